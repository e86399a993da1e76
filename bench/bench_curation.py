"""Curation benchmark on the Python docs corpus: near-dup groups + embedding, service level.

Chunks come from the real ingest pipeline (``services.ingest.ingest_paths``) when this build
has it; otherwise (the issue-3 retrieval branch alone) from paragraph rows, and the output says
which. Prints time and chunks/s for ``find_near_duplicates`` (MinHash), ``embed_chunks``
(fit + embed + index), semantic dedup through the index, and a search.
Run: /work/main/.venv/bin/python bench/bench_curation.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import PYDOC, rss_peak_mb  # noqa: E402
from bench_ingest import floor_seconds  # noqa: E402
from fineflow_desktop.core.tokens import get_encoding  # noqa: E402
from fineflow_desktop.services.ingest import collect_files, ingest_paths  # noqa: E402
from fineflow_desktop.services.dedup import dedup_summary, find_near_duplicates  # noqa: E402
from fineflow_desktop.services.retrieval import embed_chunks, search  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402


def ingest(ws: Workspace) -> tuple[float, int]:
    """Real ingest of the corpus (parse, chunk, exact dedup, quality, injection flags)."""
    t0 = time.perf_counter()
    report = ingest_paths(ws, [PYDOC])
    return time.perf_counter() - t0, report.chunks


def main() -> None:
    get_encoding()
    files, _, _ = collect_files([PYDOC])
    floor, _, _ = floor_seconds(files)
    ws = Workspace.open(Path(tempfile.mkdtemp()) / "ws")
    t_ingest, n_chunks = ingest(ws)
    with ws.engine.connect() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM chunks WHERE duplicate_of_id IS NULL").scalar_one()
    print(f"corpus: {PYDOC}: {len(files)} files; ingest + exact dedup + score + flags: {t_ingest:.1f} s, "
          f"{n_chunks} chunks ({n} after exact dedup)")
    t0 = time.perf_counter()
    groups = find_near_duplicates(ws)
    dt = time.perf_counter() - t0
    t_dedup = dt
    s = dedup_summary(ws)
    print(f"near-dup (MinHash, 0.7): {dt:.1f} s, {n / dt:,.0f} chunks/s -> {s['groups']} groups, "
          f"{s['grouped_chunks']} chunks grouped, {s['dropped']} marked duplicate")
    t0 = time.perf_counter()
    rep = embed_chunks(ws)
    dt = time.perf_counter() - t0
    print(f"embed (fineflow-lsa fit + embed + FAISS + commit): {dt:.1f} s, {rep['added'] / dt:,.0f} chunks/s ({rep['added']} chunks)")
    total = t_ingest + t_dedup + dt
    print(f"pipeline ingest + dedup + score + embed: {total:.1f} s, {n_chunks / total:,.0f} chunks/s; "
          f"floor (read + tiktoken encode) {floor:.2f} s -> {total / floor:.0f}x the floor")
    t0 = time.perf_counter()
    groups = find_near_duplicates(ws, semantic=True)
    dt = time.perf_counter() - t0
    sem = sum(1 for g in groups if g["method"] == "semantic")
    print(f"near-dup + semantic (cosine 0.95 through the index): {dt:.1f} s -> {len(groups)} groups ({sem} semantic)")
    t0 = time.perf_counter()
    hits = search(ws, "how do I read a csv file with a header row", k=5)
    print(f"search: {(time.perf_counter() - t0) * 1000:.0f} ms (first query, cold); top hit: {hits[0]['document_path'].rsplit('/', 1)[-1]}")
    print(f"peak RSS {rss_peak_mb():.0f} MB")
    ws.close()


if __name__ == "__main__":
    main()
