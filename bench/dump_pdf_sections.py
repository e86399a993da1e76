"""Dump the sections (heading path + text) of a fixed PDF sample, one JSON file per PDF.

For refactors that must change no output (round 20's ``pdf_layout`` rewrite): run this
checkout's copy before and after, then compare the two folders (``diff -r`` / ``cmp``). The
sample is every PDF of every list in ``bench_ingest_docs.py`` (including held-out lists: parsing
them changes nothing and reads none of their text) plus the first ``--sweep`` files of
``bench_parse_sweep.py pdf``'s sample order (default ``--per-folder 3``, seed 7).

    .venv/bin/python bench/dump_pdf_sections.py OUT_DIR [--sweep 300]

Each file is named by a running index and the PDF's name; it holds ``{"path": …, "sections":
[[heading path, text], …]}`` or ``{"path": …, "error": "<exception>: …"}``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402,F401 - puts this checkout's src first on sys.path
import bench_ingest_docs as docs  # noqa: E402
import bench_parse_sweep as sweep  # noqa: E402

from fineflow_desktop.core.ingest import parse_file  # noqa: E402


class _Timeout(Exception):
    pass


def _on_alarm(*_):
    raise _Timeout


def list_pdfs() -> list[Path]:
    """Every ``.pdf`` of every corpus list in ``bench_ingest_docs`` (module-level lists of
    ``(name, generator, files_of)``), in list order, each once."""
    out: list[Path] = []
    for value in vars(docs).values():
        if not (isinstance(value, list) and value and isinstance(value[0], tuple) and len(value[0]) == 3
                and callable(value[0][2])):
            continue
        for _name, _gen, files_of in value:
            try:
                files = files_of()
            except Exception:  # noqa: BLE001 - a list whose files are not installed
                continue
            out += [f for f in files if Path(f).suffix == ".pdf" and f not in out]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--sweep", type=int, default=300)
    ap.add_argument("--list-only", action="store_true", help="print the sample's paths only")
    args = ap.parse_args()
    files = list_pdfs()
    swept, _ = sweep.files_of("pdf", 3, Path("/usr/share/doc"))
    files += [f for f in swept[:args.sweep] if f not in files]
    if args.list_only:
        print("\n".join(map(str, files)))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _on_alarm)
    for k, path in enumerate(files):
        target = args.out / f"{k:04d}-{path.name}.json"
        signal.alarm(600)  # (not the sweep's 120 s: a timeout under load would differ between runs)
        try:
            doc = parse_file(path)
            record = {"path": str(path), "sections": [[s.heading_path, s.text] for s in doc.sections]}
        except BaseException as e:  # noqa: BLE001 - a failure is part of the output to compare
            record = {"path": str(path), "error": f"{type(e).__name__}: {str(e)[:200]}"}
        finally:
            signal.alarm(0)
        target.write_text(json.dumps(record, ensure_ascii=False, indent=0), encoding="utf-8")
        print(k, path, flush=True)


if __name__ == "__main__":
    main()
