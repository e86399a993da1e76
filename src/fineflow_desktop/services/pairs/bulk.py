"""Bulk pair writes and upkeep of the derived review indexes (Qt-free).

``insert_pairs`` commits every batch (a crash loses at most the batch in flight) and counts
tokens with one tiktoken batch call per batch. ``ensure_review_index`` re-installs the FTS and
``pair_keys`` triggers when a table rebuild dropped them or their SQL is outdated.
"""

from __future__ import annotations

import json
from importlib import import_module
from typing import Iterable, Sequence

from fineflow_desktop.core.examples import pair_messages as _pair_messages
from fineflow_desktop.core.formats.canonical import example_from_row, example_hash, example_to_row
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.core.tokens import TOKENS_PER_CONVERSATION, TOKENS_PER_MESSAGE, TOKENS_PER_NAME, count_tokens_batch
from fineflow_desktop.store.models import Pair, utcnow
from fineflow_desktop.store.models_pairs import backfill_sql, trigger_sql
from fineflow_desktop.store.workspace import Workspace

INSERT_BATCH = 1000  # rows per transaction
TEXT_FIELDS = ("system", "user", "assistant")
INSERT_FIELDS = frozenset(
    TEXT_FIELDS + ("messages", "validated", "quality", "quality_signals", "tags", "meta", "source", "document_id",
                   "chunk_id", "template_version_id", "run_id")
)


def chat_tokens_many(conversations: Sequence[Sequence[dict]]) -> list[int]:
    """``core.tokens.chat_tokens`` for many conversations with one tiktoken batch call
    (same OpenAI-cookbook rule: 3 per message, +1 per name, +3 per conversation)."""
    texts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    for messages in conversations:
        start = len(texts)
        overhead = TOKENS_PER_CONVERSATION
        for message in messages:
            overhead += TOKENS_PER_MESSAGE
            for key, value in message.items():
                if value is None:
                    continue
                texts.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
                if key == "name":
                    overhead += TOKENS_PER_NAME
        spans.append((start, len(texts), overhead))
    counts = count_tokens_batch(texts) if texts else []
    return [overhead + sum(counts[a:b]) for a, b, overhead in spans]


def insert_pairs(ws: Workspace, dataset_id: int, rows: Iterable[dict], batch_size: int = INSERT_BATCH,
                 state: TaskState | None = None) -> list[int]:
    """Insert pairs into *dataset_id*, committing every *batch_size* rows; returns the new ids.

    A row gives ``messages`` (any OpenAI message list) or ``system``/``user``/``assistant``, plus
    optional ``source`` (default "manual"), ``document_id``, ``chunk_id``, ``meta``, ``validated``,
    ``quality``, ``quality_signals``, ``tags``, ``template_version_id``, ``run_id``. Text columns
    are mirrored from ``messages`` (a plain ``[system] user assistant`` list is stored in the
    columns only); ``n_tokens`` and ``content_hash`` are computed. Raises ``ValueError`` for an
    unknown field; ``Cancelled`` via *state* between batches (committed batches stay).
    """
    table = Pair.__table__
    ids: list[int] = []
    batch: list[dict] = []

    def flush() -> None:
        if not batch:
            return
        convs = [_pair_messages(r["system"], r["user"], r["assistant"], r["messages"]) for r in batch]
        for r, n in zip(batch, chat_tokens_many(convs)):
            r["n_tokens"] = n
        with ws.engine.begin() as conn:
            result = conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), batch)
            ids.extend(r[0] for r in result)
        batch.clear()
        if state is not None:
            state.check()
            state.progress(len(ids), 0, f"{len(ids)} pairs inserted")

    for row in rows:
        unknown = set(row) - INSERT_FIELDS
        if unknown:
            raise ValueError(f"insert_pairs: unknown field(s) {sorted(unknown)}")
        messages = row.get("messages") or None
        if messages:
            mirrored = example_to_row({"messages": messages})
            system, user, assistant = (row.get(c, mirrored[c]) for c in TEXT_FIELDS)
            messages = mirrored["messages"]
        else:
            system, user, assistant = (row.get(c) or "" for c in TEXT_FIELDS)
        meta = dict(row.get("meta") or {})
        now = utcnow()
        batch.append({
            "dataset_id": dataset_id, "system": system, "user": user, "assistant": assistant,
            "messages": messages, "n_tokens": 0, "source": row.get("source") or "manual",
            "document_id": row.get("document_id"), "chunk_id": row.get("chunk_id"), "meta": meta,
            "validated": bool(row.get("validated", False)), "quality": row.get("quality"),
            "quality_signals": row.get("quality_signals") or {}, "tags": list(row.get("tags") or []),
            "content_hash": example_hash(example_from_row(system, user, assistant, messages, meta)),
            "template_version_id": row.get("template_version_id"), "run_id": row.get("run_id"),
            "created_at": now, "updated_at": now,
        })
        if len(batch) >= batch_size:
            flush()
    flush()
    return ids


def _fts_migration():
    return import_module("fineflow_desktop.store.migrations.versions.0004_pairs_fts")


def _norm_sql(sql: str | None) -> str:
    return " ".join((sql or "").replace("IF NOT EXISTS ", "").split())


def ensure_review_index(ws: Workspace) -> list[str]:
    """Re-install missing/outdated FTS and ``pair_keys`` triggers and rebuild what they feed.

    Returns the names repaired (empty when all is in place — one ``sqlite_master`` read).
    """
    mig = _fts_migration()
    expected = {**{n: _norm_sql(s) for n, s in mig.TRIGGERS.items()},
                **{n: _norm_sql(s) for n, s in trigger_sql().items()}}
    with ws.engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        have = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'table')").fetchall())
        broken = [n for n, sql in expected.items() if _norm_sql(have.get(n)) != sql]
        if mig.FTS_TABLE not in have:
            broken.append(mig.FTS_TABLE)
        if not broken:
            return []
        raw.execute(mig.CREATE_FTS)
        for name, sql in {**mig.TRIGGERS, **trigger_sql()}.items():
            raw.execute(f"DROP TRIGGER IF EXISTS {name}")
            raw.execute(sql)
        raw.execute(f"INSERT INTO {mig.FTS_TABLE}({mig.FTS_TABLE}) VALUES ('rebuild')")
        raw.execute("DELETE FROM pair_keys")
        raw.execute(backfill_sql())
    return broken
