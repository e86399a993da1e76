"""Embedding sources: what the workspace index draws from (seed 000 "embedding datasets").

Kinds: ``documents`` (built in, one per workspace: every chunk not under a folder source),
``folder`` (re-scanned through ``services.ingest.ingest_paths`` on refresh; its files' chunks),
``dataset`` (a dataset's pairs, user + assistant text) and ``manual`` (texts typed in).
Refresh is incremental: only new or changed texts are embedded and vanished ones removed.
A chunk has one vector, owned by one source; a folder source claims the chunks of its files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import false, func, or_, select, update

from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.services.retrieval.vector_store import (
    BATCH,
    NewItem,
    RetrievalError,
    add_items,
    chunk_embed_text,
    index_status,
    open_index,
    pair_embed_text,
    remove_items,
    text_hash,
)
from fineflow_desktop.store.models import Chunk, Dataset, Document, Pair, utcnow
from fineflow_desktop.store.models_retrieval import EmbeddedItem, EmbeddingSource
from fineflow_desktop.store.workspace import Workspace

KINDS = ("documents", "folder", "dataset", "manual")
DOCUMENTS_NAME = "Workspace documents"
_IN = 900


class SourceError(ValueError):
    """A source definition is invalid (unknown kind, missing folder, unknown dataset...)."""


def source_dict(row: EmbeddingSource) -> dict[str, Any]:
    """A source row as ``{"id", "name", "kind", "config", "active", "last_refresh", "status", "message", "n_items"}``."""
    return {
        "id": row.id, "name": row.name, "kind": row.kind, "config": dict(row.config or {}),
        "active": bool(row.active), "last_refresh": row.last_refresh, "status": row.status,
        "message": row.message, "n_items": row.n_items,
    }


def documents_source_id(ws: Workspace) -> int:
    """Id of the built-in ``documents`` source, created on first use."""
    with ws.session() as s:
        sid = s.scalar(select(EmbeddingSource.id).where(EmbeddingSource.kind == "documents").order_by(EmbeddingSource.id))
        if sid is None:
            row = EmbeddingSource(name=DOCUMENTS_NAME, kind="documents", config={}, active=True)
            s.add(row)
            s.flush()
            sid = row.id
        return sid


def list_sources(ws: Workspace) -> list[dict[str, Any]]:
    """All sources, the documents source first (created if missing)."""
    documents_source_id(ws)
    with ws.session() as s:
        rows = s.scalars(select(EmbeddingSource).order_by(EmbeddingSource.id)).all()
        return [source_dict(r) for r in sorted(rows, key=lambda r: (r.kind != "documents", r.id))]


def _clean_config(session, kind: str, config: dict[str, Any], source_id: int | None = None) -> dict[str, Any]:
    if kind == "folder":
        raw = str(config.get("path") or "").strip()
        if not raw:
            raise SourceError("a folder source needs a folder path")
        path = Path(raw).expanduser().resolve()
        if not path.is_dir():
            raise SourceError(f"folder source: {path} is not a folder")
        return {"path": str(path)}
    if kind == "dataset":
        try:
            dataset_id = int(config.get("dataset_id"))
        except (TypeError, ValueError):
            raise SourceError("a dataset source needs a dataset_id") from None
        if session.get(Dataset, dataset_id) is None:
            raise SourceError(f"dataset source: no dataset with id {dataset_id}")
        clash = session.scalar(
            select(EmbeddingSource.id).where(EmbeddingSource.kind == "dataset", EmbeddingSource.id != (source_id or -1))
            .where(EmbeddingSource.config["dataset_id"].as_integer() == dataset_id)
        )
        if clash is not None:
            raise SourceError(f"dataset {dataset_id} is already indexed by source {clash}")
        return {"dataset_id": dataset_id}
    if kind == "manual":
        texts = config.get("texts")
        if isinstance(texts, str):
            texts = [texts]
        texts = [str(t).strip() for t in (texts or []) if str(t).strip()]
        if not texts:
            raise SourceError("a manual source needs at least one non-empty text")
        return {"texts": list(dict.fromkeys(texts))}
    return {}


def create_source(
    ws: Workspace, kind: str, name: str = "", config: dict[str, Any] | None = None, active: bool = True
) -> dict[str, Any]:
    """Add a source (not embedded until refreshed). Raises ``SourceError`` for a bad definition."""
    if kind not in KINDS:
        raise SourceError(f"unknown source kind {kind!r} (one of {', '.join(KINDS)})")
    if kind == "documents":
        raise SourceError("the documents source is built in; it cannot be added twice")
    with ws.session() as s:
        clean = _clean_config(s, kind, config or {})
        default_name = {"folder": clean.get("path", ""), "dataset": f"dataset {clean.get('dataset_id')}", "manual": "Manual texts"}
        row = EmbeddingSource(name=(name or default_name[kind]).strip(), kind=kind, config=clean, active=active)
        s.add(row)
        s.flush()
        return source_dict(row)


def update_source(
    ws: Workspace, source_id: int, *, name: str | None = None, config: dict[str, Any] | None = None,
    active: bool | None = None,
) -> dict[str, Any]:
    """Rename, reconfigure or (de)activate a source; a new config takes effect on refresh."""
    with ws.session() as s:
        row = s.get(EmbeddingSource, source_id)
        if row is None:
            raise SourceError(f"no embedding source with id {source_id}")
        if name is not None and name.strip():
            row.name = name.strip()
        if config is not None:
            row.config = _clean_config(s, row.kind, config, source_id)
            row.status, row.message = "new", "configuration changed: refresh to apply"
        if active is not None:
            row.active = bool(active)
        s.flush()
        return source_dict(row)


def set_source_active(ws: Workspace, source_id: int, active: bool) -> dict[str, Any]:
    """Include (True) or skip (False) the source's items in search; vectors stay indexed."""
    return update_source(ws, source_id, active=active)


def delete_source(ws: Workspace, source_id: int) -> None:
    """Remove a source and its vectors (documents and chunks are kept). The documents source
    cannot be deleted (deactivate it instead)."""
    with ws.session() as s:
        row = s.get(EmbeddingSource, source_id)
        if row is None:
            raise SourceError(f"no embedding source with id {source_id}")
        if row.kind == "documents":
            raise SourceError("the documents source cannot be deleted; deactivate it instead")
        item_ids = list(s.scalars(select(EmbeddedItem.id).where(EmbeddedItem.source_id == source_id)))
    handle = open_index(ws, create=False, fit=False) if item_ids else None
    if handle is not None:
        remove_items(ws, handle, item_ids)
    with ws.session() as s:
        row = s.get(EmbeddingSource, source_id)
        if row is not None:
            s.delete(row)


def _or(conds):
    return or_(*conds) if conds else false()


def _folder_prefix_filter(prefixes: list[str]):
    conds = []
    for p in prefixes:
        conds.append(Document.source_path == p)
        conds.append(Document.source_path.startswith(p.rstrip(os.sep) + os.sep, autoescape=True))
    return conds


def _folder_prefixes(ws: Workspace, exclude: int | None = None) -> list[str]:
    with ws.session() as s:
        rows = s.scalars(select(EmbeddingSource).where(EmbeddingSource.kind == "folder")).all()
        return [r.config.get("path", "") for r in rows if r.id != exclude and r.config.get("path")]


def _unembedded_chunks(ws: Workspace, source_id: int, doc_filter) -> tuple[int, Iterator[NewItem]]:
    """``(count, items)`` for chunks matching *doc_filter* that have no vector yet."""
    base = (
        select(Chunk.id, Chunk.heading_path, Chunk.text)
        .join(Document, Document.id == Chunk.document_id)
        .outerjoin(EmbeddedItem, EmbeddedItem.chunk_id == Chunk.id)
        .where(EmbeddedItem.id.is_(None), Chunk.duplicate_of_id.is_(None), Document.status == "ready", *doc_filter)
    )
    with ws.session() as s:
        total = s.scalar(select(func.count()).select_from(base.subquery())) or 0

    def gen() -> Iterator[NewItem]:
        last = 0
        while True:
            with ws.session() as s:
                page = s.execute(base.where(Chunk.id > last).order_by(Chunk.id).limit(BATCH)).all()
            if not page:
                return
            for cid, heading, text in page:
                yield NewItem(source_id=source_id, embed_text=chunk_embed_text(heading, text), chunk_id=cid)
            last = page[-1][0]

    return total, gen()


def _refresh_documents(ws, source_id, state) -> dict[str, int]:
    handle = open_index(ws, state)
    if handle is None:
        return {"added": 0, "removed": 0}
    prefixes = _folder_prefixes(ws)
    conds = _folder_prefix_filter(prefixes)
    doc_filter = [~_or(conds)] if conds else []
    total, items = _unembedded_chunks(ws, source_id, doc_filter)
    added = add_items(ws, handle, items, total, state, "embedding chunks")
    return {"added": added, "removed": 0}


def _refresh_folder(ws, row: dict[str, Any], state) -> dict[str, int]:
    path = Path(row["config"].get("path", ""))
    if not path.is_dir():
        raise RetrievalError(f"folder source {row['name']!r}: {path} is not a folder (moved or deleted?)")
    from fineflow_desktop.services.ingest import ingest_paths  # the ingest pipeline (issue 2)

    report = ingest_paths(ws, [path], state)
    prefix = str(path.resolve())
    with ws.session() as s:
        docs = s.execute(
            select(Document.id, Document.source_path).where(Document.status == "ready", _or(_folder_prefix_filter([prefix])))
        ).all()
    keep = sorted(doc_id for doc_id, src in docs if Path(src).exists())
    handle = open_index(ws, state)
    if handle is None:
        return {"added": 0, "removed": 0, "ingested": report.imported}
    with ws.session() as s:
        mine = s.execute(
            select(EmbeddedItem.id, Chunk.document_id)
            .join(Chunk, Chunk.id == EmbeddedItem.chunk_id)
            .where(EmbeddedItem.source_id == row["id"])
        ).all()
    keep_set = set(keep)
    removed = remove_items(ws, handle, [iid for iid, doc in mine if doc not in keep_set])
    with handle.lock, ws.session() as s:
        for start in range(0, len(keep), _IN):
            chunk_ids = select(Chunk.id).where(Chunk.document_id.in_(keep[start : start + _IN]))
            s.execute(
                update(EmbeddedItem)
                .where(EmbeddedItem.chunk_id.in_(chunk_ids), EmbeddedItem.source_id != row["id"])
                .values(source_id=row["id"])
            )
    total, items = _unembedded_chunks(ws, row["id"], [Document.id.in_(keep)] if keep else [Document.id < 0])
    added = add_items(ws, handle, items, total, state, f"embedding {path.name}")
    return {"added": added, "removed": removed, "ingested": report.imported}


def _refresh_texts(ws, row: dict[str, Any], state, wanted: dict[str, NewItem], key_of) -> dict[str, int]:
    """Sync a source to *wanted* (key -> item); ``key_of(item_row)`` gives a stored item's key."""
    handle = open_index(ws, state, extra_fit_texts=[w.embed_text for w in wanted.values()])
    if handle is None:
        return {"added": 0, "removed": 0}
    with ws.session() as s:
        existing = {key_of(i): i.id for i in s.scalars(select(EmbeddedItem).where(EmbeddedItem.source_id == row["id"]))}
    removed = remove_items(ws, handle, [iid for key, iid in existing.items() if key not in wanted])
    todo = [item for key, item in wanted.items() if key not in existing]
    added = add_items(ws, handle, iter(todo), len(todo), state, f"embedding {row['name']}")
    return {"added": added, "removed": removed}


def _refresh_dataset(ws, row, state) -> dict[str, int]:
    dataset_id = row["config"].get("dataset_id")
    with ws.session() as s:
        if s.get(Dataset, dataset_id) is None:
            raise RetrievalError(f"dataset source {row['name']!r}: dataset {dataset_id} no longer exists")
        pairs = s.execute(select(Pair.id, Pair.user, Pair.assistant).where(Pair.dataset_id == dataset_id)).all()
    wanted = {}
    for pid, user, assistant in pairs:
        text = pair_embed_text(user, assistant)
        if text:
            wanted[(pid, text_hash(text))] = NewItem(source_id=row["id"], embed_text=text, pair_id=pid)
    return _refresh_texts(ws, row, state, wanted, lambda i: (i.pair_id, i.text_hash))


def _refresh_manual(ws, row, state) -> dict[str, int]:
    wanted = {
        text_hash(t): NewItem(source_id=row["id"], embed_text=t, text=t) for t in row["config"].get("texts", [])
    }
    return _refresh_texts(ws, row, state, wanted, lambda i: i.text_hash)


_REFRESH = {"documents": _refresh_documents, "folder": _refresh_folder, "dataset": _refresh_dataset, "manual": _refresh_manual}


def refresh_source(ws: Workspace, source_id: int, state: TaskState | None = None) -> dict[str, Any]:
    """Bring a source's vectors up to date; returns ``{"source_id", "added", "removed",
    "total", "embedder", "status"}`` (folder sources also ``"ingested"``).

    On failure the source is marked ``error`` with the reason and the exception re-raised;
    cancelling keeps every committed batch.
    """
    with ws.session() as s:
        src = s.get(EmbeddingSource, source_id)
        if src is None:
            raise SourceError(f"no embedding source with id {source_id}")
        row = source_dict(src)
    try:
        if row["kind"] == "documents":
            result = _refresh_documents(ws, source_id, state)
        else:
            result = _REFRESH[row["kind"]](ws, row, state)
    except Cancelled:
        _finish(ws, source_id, "ok" if row["status"] == "ok" else "new", "refresh cancelled; committed batches kept")
        raise
    except Exception as exc:
        _finish(ws, source_id, "error", str(exc) or type(exc).__name__)
        raise
    msg = f"{result['added']} added, {result['removed']} removed"
    total = _finish(ws, source_id, "ok", msg)
    return {"source_id": source_id, **result, "total": total, "embedder": index_status(ws)["embedder"], "status": "ok"}


def _finish(ws: Workspace, source_id: int, status: str, message: str) -> int:
    with ws.session() as s:
        src = s.get(EmbeddingSource, source_id)
        n = s.scalar(select(func.count(EmbeddedItem.id)).where(EmbeddedItem.source_id == source_id)) or 0
        if src is not None:
            src.status, src.message, src.n_items = status, message, n
            if status == "ok":
                src.last_refresh = utcnow()
        return n


def refresh_all(ws: Workspace, state: TaskState | None = None) -> list[dict[str, Any]]:
    """Refresh every active source, the documents source first; returns their reports."""
    return [refresh_source(ws, src["id"], state) for src in list_sources(ws) if src["active"]]


def embed_chunks(ws: Workspace, state: TaskState | None = None) -> dict[str, Any]:
    """Embed every chunk not indexed yet (incremental); returns the refresh report
    ``{"source_id", "added", "removed", "total", "embedder", "status"}``."""
    return refresh_source(ws, documents_source_id(ws), state)
