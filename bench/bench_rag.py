"""RAG benchmark: query latency at 100k vectors (flat FAISS index, 1 thread), end-to-end
``services.retrieval.search`` latency on a 100k-chunk workspace, and retrieval quality of the
offline embedders on the Python docs (238 module-title queries -> that module's page).

Run: /work/main/.venv/bin/python bench/bench_rag.py [--no-wordllama] [--no-e2e]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import PYDOC, corpus_100k, rss_peak_mb  # noqa: E402
from fineflow_desktop.core.embeddings import WordLlamaEmbedder, l2_normalize  # noqa: E402
from fineflow_desktop.core.lsa import LsaEmbedder  # noqa: E402
from fineflow_desktop.store.vector_index import VectorIndex  # noqa: E402


def latency(index: VectorIndex, queries: np.ndarray, k: int = 5) -> tuple[float, float]:
    times = []
    for q in queries:
        t0 = time.perf_counter()
        index.search(q[None, :], k)
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times)), float(np.percentile(times, 95))


def title_queries() -> tuple[list[str], list[str], list[tuple[str, str]]]:
    docs, files = [], []
    for f in sorted(PYDOC.rglob("*.rst.txt")):
        for p in f.read_text(encoding="utf-8").split("\n\n"):
            if len(p.strip()) >= 80:
                docs.append(p.strip())
                files.append(str(f))
    queries = []
    for f in sorted((PYDOC / "library").glob("*.rst.txt")):
        for line in f.read_text(encoding="utf-8").splitlines()[:8]:
            m = re.match(r":mod:`[^`]+`\s*---\s*(.+)", line)
            if m:
                queries.append((m.group(1).strip(), str(f)))
                break
    return docs, files, queries


def hit_rates(order: list[list[int]], files: list[str], queries) -> tuple[float, float]:
    h1 = np.mean([files[o[0]] == f for o, (_, f) in zip(order, queries)])
    h5 = np.mean([any(files[i] == f for i in o[:5]) for o, (_, f) in zip(order, queries)])
    return float(h1), float(h5)


def e2e(n_chunks: int) -> None:
    from fineflow_desktop.services.retrieval import embed_chunks, search
    from fineflow_desktop.store.workspace import Workspace

    texts = corpus_100k(size=n_chunks)
    ws = Workspace.open(Path(tempfile.mkdtemp()) / "ws")
    with ws.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO documents (id, source_path, name, kind, size_bytes, content_hash, status, n_chunks, n_tokens, meta, created_at) "
            "VALUES (1, '/bench/pydocs', 'pydocs', 'rst', 0, 'x', 'ready', ?, 0, '{}', '2026-01-01')", (len(texts),))
        conn.exec_driver_sql(
            "INSERT INTO chunks (document_id, ordinal, text, heading_path, n_tokens, norm_hash, is_duplicate, meta, "
            "quality_signals, injection_flags, is_flagged) VALUES (1, ?, ?, '[]', ?, ?, 0, '{}', '{}', '[]', 0)",
            [(i, t, len(t) // 4, hashlib.sha256(t.encode()).hexdigest()) for i, t in enumerate(texts)],
        )
    t0 = time.perf_counter()
    report = embed_chunks(ws)
    t_embed = time.perf_counter() - t0
    print(f"end-to-end: embed_chunks on {report['added']} chunks (fit + embed + index + commit): "
          f"{t_embed:.1f} s, {report['added'] / t_embed:,.0f} chunks/s; peak RSS {rss_peak_mb():.0f} MB")
    qs = ["how do I parse command line arguments", "read a csv file with a header row",
          "pretty print json with indentation", "measure execution time of small code snippets",
          "copy a directory tree recursively", "what is a context manager", "sort a list of dictionaries by key",
          "regular expression named groups", "create a temporary file", "run a subprocess and capture output"]
    search(ws, qs[0])  # warm: loads the index file and the model
    times = []
    for _ in range(3):
        for q in qs:
            t0 = time.perf_counter()
            search(ws, q, k=5)
            times.append((time.perf_counter() - t0) * 1000)
    print(f"end-to-end search(k=5) at {len(texts)} chunks: median {np.median(times):.0f} ms, "
          f"p95 {np.percentile(times, 95):.0f} ms (embed query + FAISS + SQLite rows + re-rank 100)")
    for q in qs[:3]:
        top = search(ws, q, k=1)[0]
        print(f"  {q!r} -> {top['score']:.2f} {' '.join(top['text'].split())[:90]!r}")
    ws.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-wordllama", action="store_true")
    ap.add_argument("--no-e2e", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    n, dim = 100_000, 256
    index = VectorIndex(Path(tempfile.mkdtemp()) / "v.faiss", dim)
    index.add(range(n), l2_normalize(rng.standard_normal((n, dim))))
    med, p95 = latency(index, l2_normalize(rng.standard_normal((200, dim))))
    print(f"flat IndexFlatIP, {n} random normalized {dim}-d vectors, 1 thread: median {med:.1f} ms, p95 {p95:.1f} ms per query (k=5)")

    texts = corpus_100k()
    t0 = time.perf_counter()
    lsa = LsaEmbedder.fit(texts)
    t_fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    vecs = np.vstack([lsa.embed(texts[i : i + 5000]) for i in range(0, len(texts), 5000)])
    t_emb = time.perf_counter() - t0
    print(f"fineflow-lsa: fit on {lsa.n_fit} sampled chunks {t_fit:.1f} s; embed {len(texts)} chunks {t_emb:.1f} s "
          f"({len(texts) / t_emb:,.0f} chunks/s)")
    real = VectorIndex(Path(tempfile.mkdtemp()) / "r.faiss", dim)
    real.add(range(len(vecs)), vecs)
    qv = lsa.embed([texts[i][:200] for i in rng.choice(len(texts), 200)])  # indices: np.choice on the strings made an 8 GB array
    med, p95 = latency(real, qv)
    print(f"flat IndexFlatIP, {len(vecs)} real fineflow-lsa vectors: median {med:.1f} ms, p95 {p95:.1f} ms per query (k=5)")

    docs, files, queries = title_queries()
    model = LsaEmbedder.fit(docs)
    d = model.embed(docs)
    qv = model.embed([q for q, _ in queries])
    dense = [list(np.argsort(-(v @ d.T))[:100]) for v in qv]
    h1, h5 = hit_rates(dense, files, queries)
    print(f"quality on {len(docs)} Python-doc paragraphs, {len(queries)} module-title queries:")
    print(f"  fineflow-lsa dense only:            hit@1 {h1:.3f}  hit@5 {h5:.3f}")
    reranked = []
    for (q, _), cand in zip(queries, dense):
        s = model.rerank(q, [docs[i] for i in cand])
        reranked.append([cand[i] for i in np.argsort(-s)])
    h1, h5 = hit_rates(reranked, files, queries)
    print(f"  fineflow-lsa + TF-IDF re-rank 100:  hit@1 {h1:.3f}  hit@5 {h5:.3f}   (what search() does)")
    if not args.no_wordllama:
        wl = WordLlamaEmbedder()
        t0 = time.perf_counter()
        d = wl.embed(docs)
        t_wl = time.perf_counter() - t0
        qv = wl.embed([q for q, _ in queries])
        h1, h5 = hit_rates([list(np.argsort(-(v @ d.T))[:5]) for v in qv], files, queries)
        print(f"  WordLlama 256-d (opt-in):           hit@1 {h1:.3f}  hit@5 {h5:.3f}   (embed {len(docs) / t_wl:,.0f} texts/s)")
    if not args.no_e2e:
        e2e(100_000)


if __name__ == "__main__":
    main()
