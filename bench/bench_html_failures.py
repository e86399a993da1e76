"""Which HTML pages of every corpus list fail to parse, and with what (issue 10, html9).

Unlike ``bench_ingest_docs.py`` (a sample of 40 pages per corpus, quality metrics), this parses
*every* ``.html``/``.htm``/``.xhtml`` file of every HTML corpus list of that benchmark (and every
Markdown file of its Markdown lists, which share the HTML walker) with the
registered parser (``core.ingest.parse_file``, as ``fineflow ingest`` does) and counts the files
that raise, grouped by exception type and first line of the message. It also writes one line per
file (status and a hash of the parsed sections) to ``--out``, so two runs (before / after a
change) can be compared with ``--diff A B``: files whose sections changed, and how the failures
moved.

    .venv/bin/python bench/bench_html_failures.py --out /tmp/after.jsonl [--lists default,round5,...]
    .venv/bin/python bench/bench_html_failures.py --diff /tmp/before.jsonl /tmp/after.jsonl

Run it with another checkout's ``src`` first on ``PYTHONPATH`` to measure that code (``--src``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus_lists() -> dict:
    """List name → ``[(corpus, generator, files_of)]`` from ``bench_ingest_docs`` (HTML lists only)."""
    import bench_ingest_docs as b

    lists = {"default": b.HTML_CORPORA, "held-out": b.HELD_OUT_CORPORA, "round5": b.ROUND5_DEV,
             "round5-held-out": b.ROUND5_HELD_OUT, "round6-held-out": b.ROUND6_HELD_OUT,
             "round7-held-out": b.ROUND7_HELD_OUT, "grohtml-man": b.GROHTML_MAN,
             # Markdown goes through the same walker (markdown-it-py's HTML; ``markdown_html``)
             "markdown": b.MARKDOWN_DEV, "markdown-held-out": b.MARKDOWN_HELD_OUT}
    for name in ("ROUND9_DEV", "ROUND9_HELD_OUT", "ROUND10_HELD_OUT", "HADDOCK_GHC", "ROUND12_DEV", "ROUND12_HELD_OUT",
                 "ROUND13_HELD_OUT", "ROUND15_HELD_OUT", "ROUND16_HELD_OUT", "HTML_HELD_OUT_18",
                 "HTML_HELD_OUT_19", "HTML_HELD_OUT_20"):
        if hasattr(b, name):
            lists[name.lower().replace("_", "-")] = getattr(b, name)
    return lists


def run(out: Path, only: set[str] | None) -> None:
    import fineflow_desktop
    from fineflow_desktop.core.ingest import parse_file

    print(f"code: {Path(fineflow_desktop.__file__).parent}", flush=True)
    failures: Counter = Counter()
    with out.open("w") as fh:
        for list_name, corpora in corpus_lists().items():
            if only and list_name not in only:
                continue
            for name, _gen, files_of in corpora:
                files = [p for p in files_of() if p.suffix in (".html", ".htm", ".xhtml", ".md", ".markdown") and p.is_file()]
                if not files:
                    continue
                failed = 0
                t0 = time.perf_counter()
                for path in files:
                    try:
                        sections = parse_file(path).sections
                        digest = hashlib.sha1(json.dumps([[s.heading_path, s.text] for s in sections]).encode())
                        status = "ok"
                        detail = digest.hexdigest()
                    except Exception as exc:  # noqa: BLE001 - every failure is counted
                        failed += 1
                        cause = exc.__cause__ or exc
                        status = type(cause).__name__
                        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
                        failures[(list_name, name, status)] += 1
                    fh.write(json.dumps({"list": list_name, "corpus": name, "file": str(path),
                                         "status": status, "detail": detail}) + "\n")
                print(f"{list_name:<16} {name:<20} files {len(files):>5}  failed {failed:>4}  "
                      f"{time.perf_counter() - t0:7.1f} s", flush=True)
    print("failures by list, corpus, exception:")
    for key, n in sorted(failures.items()):
        print(f"  {n:>5}  {' / '.join(key)}")
    print(f"total failed: {sum(failures.values())}")


def diff(a: Path, b: Path) -> None:
    def load(p):
        return {r["file"]: r for r in map(json.loads, p.read_text().splitlines())}

    before, after = load(a), load(b)
    changed = Counter()
    moved = Counter()
    for f, r in after.items():
        old = before.get(f)
        if old is None:
            continue
        if old["status"] != r["status"]:
            moved[(r["corpus"], old["status"], r["status"])] += 1
            print(f"  {old['status']} -> {r['status']}: {f}")
        elif r["status"] == "ok" and old["detail"] != r["detail"]:
            changed[r["corpus"]] += 1
            print(f"  sections changed: {f}")
    print(f"files compared: {len(set(before) & set(after))}")
    print("status changes:", dict(moved) or "none")
    print("files whose sections changed, per corpus:", dict(changed) or "none")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, help="write one JSON line per file here")
    ap.add_argument("--lists", default=None, help="comma-separated list names (default: all HTML lists)")
    ap.add_argument("--src", default=None, help="put this src folder first on sys.path (measure other code)")
    ap.add_argument("--diff", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args()
    if args.diff:
        diff(*args.diff)
        return
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, args.src or str(HERE.parent / "src"))
    run(args.out, set(args.lists.split(",")) if args.lists else None)


if __name__ == "__main__":
    main()
