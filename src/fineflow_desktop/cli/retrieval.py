"""``fineflow dedup`` / ``embed`` / ``search``: near-duplicates and RAG retrieval, headless."""

from __future__ import annotations

import argparse
import sys

from fineflow_desktop.cli.common import UsageError, command, emit, progress


def _threshold(value: str) -> float:
    try:
        t = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 < t <= 1.0:
        raise argparse.ArgumentTypeError(f"threshold must be in (0, 1], got {t}")
    return t


@command
def cmd_dedup(ws, args) -> int:
    """Find near-duplicate groups and print each with its members' document path and chunk id."""
    from fineflow_desktop.services.dedup import dedup_summary, find_near_duplicates

    groups = find_near_duplicates(
        ws, threshold=args.threshold, semantic=args.semantic, state=progress(args), cosine_threshold=args.cosine
    )
    summary = dedup_summary(ws)
    lines = [f"{summary['groups']} near-duplicate groups, {summary['grouped_chunks']} chunks, {summary['dropped']} marked duplicate"]
    for g in groups:
        lines.append(f"group {g['id']} ({g['method']}, {g['size']} chunks, min similarity {g['similarity']:.2f}):")
        for m in g["members"]:
            mark = "keep" if m["keep"] else "drop"
            rep = " (representative)" if m["is_representative"] else ""
            lines.append(f"  [{mark}] chunk {m['chunk_id']}  sim {m['similarity']:.2f}  {m['document_path']}{rep}")
    emit(args, {"summary": summary, "groups": groups}, "\n".join(lines))
    return 0


@command
def cmd_embed(ws, args) -> int:
    """Embed every chunk not yet in the index (incremental) and print the index status."""
    from fineflow_desktop.core.embeddings import EmbeddingError
    from fineflow_desktop.services.retrieval import embed_chunks, index_status

    try:
        report = embed_chunks(ws, progress(args))
    except EmbeddingError as exc:
        print(f"fineflow: embedding failed: {exc}", file=sys.stderr)
        return 1
    status = index_status(ws)
    payload = {**report, "index": status}
    text = (
        f"embedded {report['added']} new chunks ({report['total']} from workspace documents); "
        f"index: {status['vectors']} vectors, {status['embedder']} {status['dim']}-d, {status['kind']}"
    )
    emit(args, payload, text)
    return 0


def where_found(hit: dict) -> str:
    """``keyword #2 (7.41) + vector #5 (0.62)``: each retriever's rank and score."""
    parts = []
    for name in ("keyword", "vector"):
        r = hit["retrievers"].get(name)
        if r:
            parts.append(f"{name} #{r['rank']} ({r['score']:.2f})")
    return " + ".join(parts)


@command
def cmd_search(ws, args) -> int:
    """Print the top-k passages for a query (hybrid keyword + vector by default) with document
    path, chunk id, score and where each retriever ranked it."""
    from fineflow_desktop.services.retrieval import RetrievalError, search

    if args.k < 1:
        raise UsageError("-k must be at least 1")
    try:
        hits = search(ws, args.query, k=args.k, mode=args.mode, include_duplicates=args.include_duplicates)
    except (RetrievalError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    lines = []
    for n, h in enumerate(hits, 1):
        heading = " > ".join(h["heading_path"])
        chunk = f"chunk {h['chunk_id']}" if h["chunk_id"] is not None else f"item {h['item_id']}"
        lines.append(f"{n}. {h['score']:.3f}  {chunk}  {h['document_path']}" + (f"  [{heading}]" if heading else ""))
        lines.append(f"   found by {h['found_by']}: {where_found(h)}")
        snippet = " ".join(h["text"].split())[:160]
        lines.append(f"   {snippet}")
    emit(args, {"query": args.query, "mode": args.mode, "hits": hits}, "\n".join(lines) or "no hits")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``dedup``, ``embed`` and ``search`` to the ``fineflow`` parser."""
    p = sub.add_parser("dedup", parents=[common], help="find near-duplicate chunk groups (MinHash, optional semantic)")
    p.add_argument("--threshold", type=_threshold, default=0.7, help="Jaccard threshold on character 5-grams (default 0.7)")
    p.add_argument("--semantic", action="store_true", help="also group chunks whose embeddings have cosine >= --cosine")
    p.add_argument("--cosine", type=_threshold, default=0.95, help="cosine threshold for --semantic (default 0.95)")
    p.set_defaults(handler=cmd_dedup)
    p = sub.add_parser("embed", parents=[common], help="embed new chunks into the workspace's vector index")
    p.set_defaults(handler=cmd_embed)
    p = sub.add_parser("search", parents=[common], help="search the indexed chunks (hybrid keyword + vector by default)")
    p.add_argument("query", help="what to look for")
    p.add_argument("-k", type=int, default=5, help="number of hits (default 5)")
    p.add_argument("--include-duplicates", action="store_true", help="also return chunks marked duplicate")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--mode", choices=["hybrid", "keyword", "vector"], default="hybrid",
                      help="hybrid (default): BM25 keyword and vector hits fused; keyword: BM25 only; vector: embeddings only")
    for name in ("keyword", "vector", "hybrid"):
        mode.add_argument(f"--{name}", dest="mode", action="store_const", const=name, help=f"same as --mode {name}")
    p.set_defaults(handler=cmd_search)
