"""Ingest benchmark on the Python 3.11 docs sources (Debian python3.11-doc).

Prints files, MB, chunks, tokens, seconds, files/s, MB/s, chunks/s, and the ratio to a floor
measured in the same run: reading every file and tiktoken-encoding its text (o200k_base,
the same packaged vocabulary). Also prints the time of the curation step (quality score,
injection flags, language) that ingest runs per chunk.

    /work/main/.venv/bin/python bench/bench_ingest.py [CORPUS_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fineflow_desktop.core.tokens import get_encoding  # noqa: E402
from fineflow_desktop.services.ingest import pipeline as ingest_mod  # noqa: E402
from fineflow_desktop.services.ingest import collect_files, ingest_paths  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402

CORPUS = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/doc/python3.11/html/_sources")


def floor_seconds(files: list[Path]) -> tuple[float, int, int]:
    """Read + decode + tiktoken-encode every file; returns (seconds, bytes, tokens)."""
    enc = get_encoding()
    t0 = time.perf_counter()
    size = tokens = 0
    for f in files:
        data = f.read_bytes()
        size += len(data)
        tokens += len(enc.encode_ordinary(data.decode("utf-8", errors="replace")))
    return time.perf_counter() - t0, size, tokens


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS} (apt-get install python3.11-doc)")
    get_encoding()  # load the vocabulary outside the timings
    files, _, _ = collect_files([CORPUS])
    floor, size, floor_tokens = floor_seconds(files)

    # Serial run (FINEFLOW_INGEST_WORKERS=0) with the curation step timed by wrapping it,
    # then the default run (worker processes for parsing, chunking and scoring).
    curation = [0.0]
    original = ingest_mod._curation_fields

    def timed(drafts):
        t = time.perf_counter()
        try:
            return original(drafts)
        finally:
            curation[0] += time.perf_counter() - t

    def run(workers: str | None):
        if workers is None:
            os.environ.pop("FINEFLOW_INGEST_WORKERS", None)
        else:
            os.environ["FINEFLOW_INGEST_WORKERS"] = workers
        with tempfile.TemporaryDirectory() as tmp:
            ws = Workspace.open(Path(tmp) / "ws")
            t0 = time.perf_counter()
            report = ingest_paths(ws, [CORPUS])
            secs = time.perf_counter() - t0
            t1 = time.perf_counter()
            rerun = ingest_paths(ws, [CORPUS])
            rerun_secs = time.perf_counter() - t1
            ws.close()
        return report, secs, rerun, rerun_secs

    ingest_mod._curation_fields = timed
    serial, serial_secs, _, _ = run("0")
    ingest_mod._curation_fields = original
    report, secs, rerun, rerun_secs = run(None)
    workers = ingest_mod.ingest_workers(report.files_seen)

    mb = size / 1e6
    print(f"corpus            {CORPUS}")
    print(f"files             {report.files_seen} (imported {report.imported}, errors {len(report.errors)})")
    print(f"MB                {mb:.2f}")
    print(f"chunks            {report.chunks} (exact duplicates {report.duplicate_chunks}, flagged {report.flagged_chunks})")
    print(f"tokens            {report.tokens} (raw-file tokens in floor: {floor_tokens})")
    print(f"seconds           {secs:.2f} ({workers} worker processes)")
    print(f"files/s           {report.files_seen / secs:.1f}")
    print(f"MB/s              {mb / secs:.2f}")
    print(f"chunks/s          {report.chunks / secs:.0f}")
    print(f"floor seconds     {floor:.2f} (read + tiktoken encode)")
    print(f"ratio to floor    {secs / floor:.1f}x")
    print(f"serial seconds    {serial_secs:.2f} (in-process; {serial_secs / floor:.1f}x floor)")
    print(f"curation seconds  {curation[0]:.2f} ({100 * curation[0] / serial_secs:.0f}% of the serial ingest; "
          f"quality+injection+language)")
    print(f"rerun (unchanged) {rerun_secs:.2f} s, skipped {rerun.unchanged_skipped}")
    assert serial.chunks == report.chunks and serial.duplicate_chunks == report.duplicate_chunks


if __name__ == "__main__":
    main()
