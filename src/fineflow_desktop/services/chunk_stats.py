"""Chunk views for the Dataset Builder: quality histogram, quality-range filter, flagged chunks.

Qt-free; the builder pane and tests call these, the widgets only draw the results. All
aggregation happens in SQL so the pane stays fast on the full Python docs corpus (~10k chunks).
Quality is the 0-1 chunk score written by ``core.quality`` (``chunks.quality``; NULL until a
chunk was scored). Flags are the prompt-injection flags of ``core.injection``
(``chunks.injection_flags`` = ``[{"reason", "match"}]``, ``chunks.is_flagged``).
"""

from __future__ import annotations

from sqlalchemy import Integer, case, cast, func, select, update

from fineflow_desktop.store.models import Chunk, Document
from fineflow_desktop.store.workspace import Workspace

PREVIEW_CHARS = 160
DEFAULT_LIMIT = 5000


def quality_histogram(ws: Workspace, bins: int = 20, document_id: int | None = None) -> tuple[list[float], list[int]]:
    """Histogram of chunk quality scores over ``[0, 1]`` in *bins* equal-width bins.

    Returns ``(edges, counts)``: ``len(edges) == bins + 1`` (0.0 … 1.0), ``len(counts) == bins``.
    A score of exactly 1.0 falls in the last bin (numpy.histogram convention). Chunks not scored
    yet (quality NULL) are not counted; see ``chunk_quality_summary``. Restricted to one document
    when *document_id* is given. Raises ``ValueError`` for ``bins < 1``.
    """
    if bins < 1:
        raise ValueError(f"bins must be >= 1, got {bins}")
    edges = [i / bins for i in range(bins + 1)]
    counts = [0] * bins
    raw_bin = cast(Chunk.quality * bins, Integer)
    bin_expr = case((raw_bin >= bins, bins - 1), (raw_bin < 0, 0), else_=raw_bin)
    stmt = select(bin_expr, func.count()).where(Chunk.quality.is_not(None)).group_by(bin_expr)
    if document_id is not None:
        stmt = stmt.where(Chunk.document_id == document_id)
    with ws.session() as s:
        for b, n in s.execute(stmt):
            counts[int(b)] += int(n)
    return edges, counts


def chunk_quality_summary(ws: Workspace) -> dict:
    """Counts for the builder's header: ``{"chunks", "scored", "duplicates", "flagged"}`` (ints)."""
    with ws.session() as s:
        row = s.execute(
            select(
                func.count(Chunk.id),
                func.count(Chunk.quality),
                func.coalesce(func.sum(case((Chunk.is_duplicate, 1), else_=0)), 0),
                func.coalesce(func.sum(case((Chunk.is_flagged, 1), else_=0)), 0),
            )
        ).one()
    return {"chunks": int(row[0]), "scored": int(row[1]), "duplicates": int(row[2]), "flagged": int(row[3])}


def chunk_origin(source_path: str | None, meta: dict | None) -> str:
    """Where a chunk comes from, for a reader to check it: ``"/docs/x.pdf, page 12"`` (PDF pages are
    1-based, ``core.ingest.pdf``; ``"pages 12–13"`` for a chunk that goes over a page break), ``"/docs/y.html"``; ``"/docs/z.md, line 40"`` for text formats (the line where the
    chunk's section, record or row starts); ``", part 2 of 4 of its section"`` is added when the
    chunker split its section (``"… (from line 40)"`` for text formats); ``", 4 small sections
    combined"`` for a chunk of combined sections (``core.chunking.combine_small_sections``)."""
    meta = meta or {}
    where = source_path or "(unknown source)"
    if meta.get("page_end") and meta.get("page") and meta["page_end"] != meta["page"]:
        where += f", pages {meta['page']}–{meta['page_end']}"
    elif meta.get("page"):
        where += f", page {meta['page']}"
    # text formats (Markdown, reST, text, JSON Lines, CSV): the 1-based source line where the
    # chunk's section (record, row) starts, so a reader can open the file there
    line = None if meta.get("page") else meta.get("line")
    if meta.get("parts", 1) > 1:
        where += f", part {meta.get('part')} of {meta['parts']} of its section"
        where += f" (from line {line})" if line else ""
    elif line:
        where += f", line {line}"
    if meta.get("combined"):
        where += f", {len(meta['combined'])} small sections combined"
    return where


def _chunk_row(c: Chunk, doc_name: str | None = None, source_path: str | None = None) -> dict:
    text = c.text or ""
    row = {
        "id": c.id,
        "document_id": c.document_id,
        "ordinal": c.ordinal,
        "heading_path": list(c.heading_path or []),
        "n_tokens": c.n_tokens,
        "quality": c.quality,
        "quality_signals": dict(c.quality_signals or {}),
        "is_duplicate": bool(c.is_duplicate),
        "duplicate_of_id": c.duplicate_of_id,
        "near_dup_group_id": c.near_dup_group_id,
        "is_flagged": bool(c.is_flagged),
        "flags": [f.get("reason", "") if isinstance(f, dict) else str(f) for f in (c.injection_flags or [])],
        # the exact text each flag matched, in the order of "flags" ("" for flags stored without one)
        "matches": [f.get("match", "") if isinstance(f, dict) else "" for f in (c.injection_flags or [])],
        "preview": " ".join(text[: PREVIEW_CHARS * 2].split())[:PREVIEW_CHARS],
        "text": text,
        "source_path": source_path,
        "page": (c.meta or {}).get("page"),
        "page_end": (c.meta or {}).get("page_end"),  # a chunk over a page break: its last page
        "origin": chunk_origin(source_path, c.meta),
    }
    if doc_name is not None:
        row["document_name"] = doc_name
    return row


def list_chunks_filtered(
    ws: Workspace,
    document_id: int | None,
    min_q: float | None = None,
    max_q: float | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[dict]:
    """Chunks of one document (or of all documents when *document_id* is None) in a quality range.

    Bounds are inclusive; ``None`` means unbounded. Unscored chunks (quality NULL) are included
    only when both bounds are None (no filter), so a filter never shows chunks it cannot judge.
    Ordered by document then position; at most *limit* rows. Each row is a dict with ``id,
    document_id, document_name, ordinal, heading_path (list[str]), n_tokens, quality (float|None),
    quality_signals, is_duplicate, duplicate_of_id, near_dup_group_id, is_flagged, flags (list of
    reasons), preview (first 160 chars, whitespace collapsed), text, source_path, page (PDF page,
    1-based, or None), origin`` (``chunk_origin``).
    """
    stmt = select(Chunk, Document.name, Document.source_path).join(Document, Document.id == Chunk.document_id)
    stmt = _filtered(stmt, document_id, min_q, max_q)
    stmt = stmt.order_by(Chunk.document_id, Chunk.ordinal).limit(limit)
    with ws.session() as s:
        return [_chunk_row(c, name, src) for c, name, src in s.execute(stmt)]


def _filtered(stmt, document_id: int | None, min_q: float | None, max_q: float | None):
    """*stmt* restricted to one document (None: all) and an inclusive quality range (None: open)."""
    if document_id is not None:
        stmt = stmt.where(Chunk.document_id == document_id)
    if min_q is not None:
        stmt = stmt.where(Chunk.quality >= min_q)
    if max_q is not None:
        stmt = stmt.where(Chunk.quality <= max_q)
    return stmt


def count_chunks_filtered(ws: Workspace, document_id: int | None, min_q: float | None = None, max_q: float | None = None) -> int:
    """How many rows ``list_chunks_filtered`` would return without its limit."""
    stmt = select(func.count(Chunk.id))
    stmt = _filtered(stmt, document_id, min_q, max_q)
    with ws.session() as s:
        return int(s.execute(stmt).scalar_one())


def list_flagged_chunks(ws: Workspace, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """Chunks with prompt-injection flags still set (``is_flagged``), for review.

    Same row shape as ``list_chunks_filtered`` plus ``matches`` (the matched text of each flag).
    Ordered by document and position; at most *limit* rows.
    """
    stmt = (
        select(Chunk, Document.name, Document.source_path)
        .join(Document, Document.id == Chunk.document_id)
        .where(Chunk.is_flagged.is_(True))
        .order_by(Chunk.document_id, Chunk.ordinal)
        .limit(limit)
    )
    rows = []
    with ws.session() as s:
        for c, name, src in s.execute(stmt):
            row = _chunk_row(c, name, src)
            rows.append(row)
    return rows


def chunk_flags(ws: Workspace, chunk_ids: list[int]) -> dict[int, bool]:
    """``{chunk id: is_flagged}`` of *chunk_ids* (unknown ids are left out): what undo restores."""
    if not chunk_ids:
        return {}
    with ws.session() as s:
        rows = s.execute(select(Chunk.id, Chunk.is_flagged).where(Chunk.id.in_(list(chunk_ids))))
        return {int(i): bool(f) for i, f in rows}


def restore_chunk_flags(ws: Workspace, flags: dict[int, bool]) -> None:
    """Put back ``is_flagged`` values recorded by ``chunk_flags`` (one update per value)."""
    for value in (True, False):
        set_chunks_flagged(ws, [i for i, f in flags.items() if f is value], value)


def set_chunks_flagged(ws: Workspace, chunk_ids: list[int], flagged: bool) -> int:
    """Set ``is_flagged`` on *chunk_ids* (a reviewer clears a false alarm, or flags again).

    The recorded ``injection_flags`` (reasons) are kept either way, so clearing is reversible
    and auditable. Returns the number of chunks updated.
    """
    if not chunk_ids:
        return 0
    with ws.session() as s:
        result = s.execute(update(Chunk).where(Chunk.id.in_(list(chunk_ids))).values(is_flagged=bool(flagged)))
        return int(result.rowcount or 0)
