"""Shared data for the pair-editor tests: a dataset built from real Alpaca and ShareGPT records
(tests/fixtures/pairs, see its README for origin and licence). No tests here."""

from __future__ import annotations

import json
from pathlib import Path

from fineflow_desktop.services import pairs as svc
from fineflow_desktop.services.datasets import get_or_create_dataset
from fineflow_desktop.store.models import Chunk, Document

FIXTURES = Path(__file__).parent / "fixtures" / "pairs"
ROLE = {"human": "user", "gpt": "assistant", "system": "system"}


def alpaca_rows() -> list[dict]:
    """Alpaca records as single-turn pair rows (instruction + input → user)."""
    recs = json.loads((FIXTURES / "alpaca_sample.json").read_text(encoding="utf-8"))
    return [
        {"user": r["instruction"] + (f"\n\n{r['input']}" if r["input"] else ""), "assistant": r["output"],
         "source": "imported"}
        for r in recs
    ]


def sharegpt_rows() -> list[dict]:
    """ShareGPT conversations as multi-turn pair rows."""
    convs = json.loads((FIXTURES / "sharegpt_sample.json").read_text(encoding="utf-8"))
    return [
        {"messages": [{"role": ROLE[t["from"]], "content": t["value"]} for t in c["conversations"]],
         "source": "imported"}
        for c in convs
    ]


def build_dataset(ws, name: str = "review", with_document: bool = True) -> tuple[int, list[int]]:
    """A dataset of the real Alpaca sample (88 pairs, with exact duplicates) followed by 20
    ShareGPT multi-turn conversations; the first 10 Alpaca pairs are 'extractive' pairs tied to
    a document + chunk holding their own answer text. Returns (dataset id, pair ids)."""
    ds = get_or_create_dataset(ws, name)
    rows = alpaca_rows()
    if with_document:
        with ws.session() as s:
            doc = Document(source_path="/real/alpaca_en_demo.json", name="alpaca_en_demo.json", kind="json",
                           size_bytes=1, content_hash=f"hash-{name}", status="ready", n_chunks=10, n_tokens=0, meta={})
            s.add(doc)
            s.flush()
            for i, r in enumerate(rows[:10]):
                chunk = Chunk(document_id=doc.id, ordinal=i, text=r["assistant"], heading_path=[], n_tokens=1,
                              norm_hash=f"{name}-{i}", meta={})
                s.add(chunk)
                s.flush()
                r.update(document_id=doc.id, chunk_id=chunk.id, source="extractive")
    ids = svc.insert_pairs(ws, ds, rows + sharegpt_rows())
    return ds, ids


def db_row(ws, pair_id: int) -> dict | None:
    """The stored row of a pair straight from SQLite (None when deleted)."""
    with ws.engine.connect() as conn:
        rec = conn.exec_driver_sql(
            "SELECT id, system, user, assistant, messages, n_tokens, validated, rejected, tags, content_hash "
            "FROM pairs WHERE id = ?",
            (pair_id,)).mappings().first()
    return dict(rec) if rec else None
