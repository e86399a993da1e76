"""Documents and chunks as plain dicts for the UI and the CLI, and document deletion.

All functions take an open ``Workspace`` and return plain values (safe to pass across threads).
"""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from fineflow_desktop.store.models import Chunk, Document

_IN_BATCH = 500  # stay far below SQLite's bound-parameter limit


def relative_paths(source_paths: Sequence[str]) -> list[str]:
    """Display paths, in order: each path relative to the deepest folder all of them share, with
    "/" separators (``library/functions.rst.txt`` beside ``howto/functions.rst.txt``: the
    Python docs repeat 24 file names across folders). One file, or paths on different drives,
    show their file names.
    """
    paths = [PurePath(p) for p in source_paths]
    if len(paths) < 2:
        return [p.name for p in paths]
    try:
        root = PurePath(os.path.commonpath([str(p.parent) for p in paths]))
    except ValueError:  # different drives, or absolute mixed with relative
        return [p.name for p in paths]
    return [p.relative_to(root).as_posix() for p in paths]


def list_documents(ws) -> list[dict]:
    """Every document, oldest first: ``{id, name, path, kind, size_bytes, n_chunks, n_tokens,
    status, error, source_path, encoding, created_at}``; ``path`` is ``relative_paths`` over all
    documents (what lists show)."""
    with ws.session() as s:
        rows = s.execute(
            select(
                Document.id, Document.name, Document.kind, Document.size_bytes, Document.n_chunks,
                Document.n_tokens, Document.status, Document.error, Document.source_path,
                Document.encoding, Document.created_at,
            ).order_by(Document.id)
        ).all()
    docs = [dict(r._mapping) for r in rows]
    for doc, path in zip(docs, relative_paths([d["source_path"] or d["name"] for d in docs])):
        doc["path"] = path
    return docs


def list_chunks(ws, document_id: int) -> list[dict]:
    """Chunks of one document in order: ``{id, ordinal, heading_path, n_tokens, text,
    is_duplicate, duplicate_of_id, quality, is_flagged, injection_flags, language, meta}``."""
    with ws.session() as s:
        rows = s.execute(
            select(
                Chunk.id, Chunk.ordinal, Chunk.heading_path, Chunk.n_tokens, Chunk.text, Chunk.is_duplicate,
                Chunk.duplicate_of_id, Chunk.quality, Chunk.is_flagged, Chunk.injection_flags, Chunk.language,
                Chunk.meta,
            )
            .where(Chunk.document_id == document_id)
            .order_by(Chunk.ordinal)
        ).all()
    return [dict(r._mapping) for r in rows]


def delete_document(ws, document_id: int) -> bool:
    """Delete a document and its chunks (one transaction); returns False if it did not exist.

    Chunks elsewhere that were exact duplicates of the deleted ones are re-pointed: the
    earliest remaining chunk with the same text becomes the kept original. Pairs generated
    from the document keep their text; their provenance ids become NULL (foreign keys).
    """
    with ws.session() as s:
        if s.get(Document, document_id) is None:
            return False
        delete_documents_in(s, [document_id])
    return True


def delete_documents_in(s: Session, document_ids: list[int]) -> None:
    """Delete *document_ids* with their chunks inside the caller's transaction, fixing duplicates."""
    if not document_ids:
        return
    hashes = set(s.scalars(select(Chunk.norm_hash).where(Chunk.document_id.in_(document_ids))).all())
    s.execute(delete(Chunk).where(Chunk.document_id.in_(document_ids)))
    s.execute(delete(Document).where(Document.id.in_(document_ids)))
    repair_duplicates(s, hashes)


def repair_duplicates(s: Session, norm_hashes: set[str]) -> None:
    """Make the earliest chunk of each hash the original and point the others at it."""
    hashes = sorted(norm_hashes)
    for i in range(0, len(hashes), _IN_BATCH):
        rows = s.execute(
            select(Chunk.norm_hash, Chunk.id, Chunk.is_duplicate, Chunk.duplicate_of_id)
            .where(Chunk.norm_hash.in_(hashes[i : i + _IN_BATCH]))
            .order_by(Chunk.norm_hash, Chunk.id)
        ).all()
        first: dict[str, int] = {}
        for h, cid, is_dup, dup_of in rows:
            if h not in first:
                first[h] = cid
                if dup_of is not None:  # it pointed at a deleted chunk
                    s.execute(update(Chunk).where(Chunk.id == cid).values(is_duplicate=False, duplicate_of_id=None))
            elif not is_dup or dup_of != first[h]:
                s.execute(update(Chunk).where(Chunk.id == cid).values(is_duplicate=True, duplicate_of_id=first[h]))
