"""Checks that an embedding source works: its input exists, the embedder answers, and an
indexed item finds itself in search. Separate from ``sources`` because it needs ``search``,
which needs what ``sources`` builds (one-way imports: checks -> search -> vector_store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from fineflow_desktop.services.retrieval.search import search
from fineflow_desktop.services.retrieval.sources import SourceError, source_dict
from fineflow_desktop.services.retrieval.vector_store import item_texts, open_index
from fineflow_desktop.store.models import Dataset
from fineflow_desktop.store.models_retrieval import EmbeddedItem, EmbeddingSource
from fineflow_desktop.store.workspace import Workspace


def check_source(ws: Workspace, source_id: int) -> dict[str, Any]:
    """Check a source without changing it: its input exists, the embedder answers, and an
    indexed item finds itself first. Returns ``{"ok", "message", "items"}``."""
    with ws.session() as s:
        src = s.get(EmbeddingSource, source_id)
        if src is None:
            raise SourceError(f"no embedding source with id {source_id}")
        row = source_dict(src)
        if row["kind"] == "dataset" and s.get(Dataset, row["config"].get("dataset_id")) is None:
            return {"ok": False, "message": f"dataset {row['config'].get('dataset_id')} no longer exists", "items": 0}
        sample = s.scalars(
            select(EmbeddedItem).where(EmbeddedItem.source_id == source_id).order_by(EmbeddedItem.id).limit(1)
        ).first()
        sample_text = item_texts(s, [sample])[0] if sample is not None else ""
        sample_id = sample.id if sample is not None else None
    if row["kind"] == "folder" and not Path(row["config"].get("path", "")).is_dir():
        return {"ok": False, "message": f"{row['config'].get('path')} is not a folder", "items": row["n_items"]}
    if sample_id is None:
        return {"ok": False, "message": "nothing indexed from this source yet: Refresh it", "items": 0}
    try:
        handle = open_index(ws, create=False, fit=False)
        if handle is None:
            return {"ok": False, "message": "no index yet: Refresh first", "items": row["n_items"]}
        handle.embedder.embed(["embedder check"])
        query = " ".join(sample_text.split()[:40])
        hits = search(ws, query, k=5, include_duplicates=True, include_flagged=True) if row["active"] else []
    except Exception as exc:  # noqa: BLE001 - the Test action reports any failure as text
        return {"ok": False, "message": f"{type(exc).__name__}: {exc}", "items": row["n_items"]}
    found = [h["item_id"] for h in hits].index(sample_id) + 1 if sample_id in [h["item_id"] for h in hits] else None
    embedder = handle.embedder.name
    if not row["active"]:
        return {"ok": True, "message": f"{row['n_items']} items indexed with {embedder}; source inactive (not searched)", "items": row["n_items"]}
    if found:
        return {"ok": True, "message": f"{row['n_items']} items indexed with {embedder}; sample item found at rank {found}", "items": row["n_items"]}
    return {"ok": False, "message": f"{row['n_items']} items indexed, but a sample item did not find itself in the top 5", "items": row["n_items"]}
