"""Robustness sweep: parse (nearly) every document under ``/usr/share/doc`` with the registered parsers.

Acceptance measures ingest "on documentation sets not named here", so beyond the sampled corpus
lists of ``bench_ingest_docs.py`` this parses whole directories of files nobody looked at and
counts what a user would see: parsed with text, no text (``empty``), a clear ``ParseError``, a
crash (any other exception — a bug), or over the time limit. Files are grouped by their folder
and at most ``--per-folder`` are taken from each (seeded random sample), so one huge manual does
not swamp the count. Prints one JSON line per file that is not ``ok`` or took over 10 s, then a
summary.

    .venv/bin/python bench/bench_parse_sweep.py html --per-folder 100000   # every HTML file
    .venv/bin/python bench/bench_parse_sweep.py pdf --per-folder 2
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import signal
import time
from pathlib import Path

from fineflow_desktop.core.ingest import ParseError, parse_file

KINDS = {"html": (".html", ".htm", ".xhtml"), "pdf": (".pdf",), "text": (".md", ".markdown", ".rst", ".txt")}
LIMIT_S = 120  # per file


class _Timeout(Exception):
    pass


def _on_alarm(*_):
    raise _Timeout


def files_of(kind: str, per_folder: int, root: Path, seed: int = 7) -> tuple[list[Path], int]:
    """(sampled files, folders): regular files (no symlinks) under *root* with *kind*'s suffixes."""
    by_folder: dict[Path, list[Path]] = collections.defaultdict(list)
    for p in root.rglob("*"):
        if p.suffix.lower() in KINDS[kind] and p.is_file() and not p.is_symlink():
            by_folder[p.parent].append(p)
    rnd = random.Random(seed)
    out: list[Path] = []
    for _folder, fs in sorted(by_folder.items()):
        fs.sort()
        out += rnd.sample(fs, min(per_folder, len(fs)))
    return out, len(by_folder)


def parse_status(path: Path) -> str:
    """``ok`` | ``empty`` | ``ParseError: …`` | ``CRASH <Exception>: …`` | ``TIMEOUT`` for one file."""
    signal.alarm(LIMIT_S)
    try:
        return "ok" if parse_file(path).sections else "empty"
    except ParseError as e:
        return f"ParseError: {str(e)[-160:]}"
    except _Timeout:
        return "TIMEOUT"
    except Exception as e:  # noqa: BLE001 - the point is to count every other exception as a crash
        return f"CRASH {type(e).__name__}: {str(e)[:120]}"
    finally:
        signal.alarm(0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=sorted(KINDS))
    ap.add_argument("--per-folder", type=int, default=3)
    ap.add_argument("--root", type=Path, default=Path("/usr/share/doc"))
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, _on_alarm)
    files, folders = files_of(args.kind, args.per_folder, args.root)
    counts: collections.Counter = collections.Counter()
    t0, cpu0 = time.time(), time.process_time()
    for f in files:
        s = time.time()
        status = parse_status(f)
        dt = time.time() - s
        counts[status.split(":")[0]] += 1
        if status != "ok" or dt > 10:
            print(json.dumps({"file": str(f), "status": status, "s": round(dt, 1), "kb": f.stat().st_size // 1024}),
                  flush=True)
    print(f"SUMMARY {args.kind}: {len(files)} files from {folders} folders: {dict(counts)}; "
          f"{time.time() - t0:.0f} s wall, {time.process_time() - cpu0:.0f} s CPU")


if __name__ == "__main__":
    main()
