"""Pair review queries and mutations (Qt-free): the pair editor, its undo commands and the CLI
call these.

Scale rules (the editor stays smooth at 100k pairs): queries return only ordered **ids**
(``query_pair_ids``), sorting and filtering happen in SQL (``pairs.sql``, helped by the
trigger-maintained ``pair_keys`` table), and rows are fetched by id in pages (``fetch_pairs``).
Hot read paths use the raw sqlite3 cursor; id lists go to SQLite as one JSON array parameter
(``json_each``), so 10k-id bulk actions need no chunking for SQLite's variable limit.

Duplicates are pairs of the same dataset with the same ``lower(trim(user))``; the validation
report's warning uses ``core.dedup``'s stronger normalization. Mutations return what undo needs
(old values / snapshots). Bulk inserts and index upkeep live in ``pairs.bulk``.
"""

from __future__ import annotations

import copy
import json
from array import array
from typing import Any, Iterable, Sequence

import numpy as np
from sqlalchemy import bindparam, func, literal_column, select

from fineflow_desktop.core import model_limits
from fineflow_desktop.core.examples import pair_messages as _pair_messages
from fineflow_desktop.core.formats.canonical import example_from_row, example_hash, example_to_row, text_of
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.pairs.bulk import chat_tokens_many
from fineflow_desktop.services.pairs.sql import (
    LIVE_MASK_SQL,
    PROBLEM_LABELS,
    SORT_SQL,
    TOO_LONG,
    PairFilter,
    decode_problems,
    ids_query,
    where_sql,
)
from fineflow_desktop.services.documents import relative_paths
from fineflow_desktop.services.token_limits import token_limits
from fineflow_desktop.store.models import Pair, utcnow
from fineflow_desktop.store.workspace import Workspace

TEXT_FIELDS = ("system", "user", "assistant")
CONTENT_FIELDS = TEXT_FIELDS + ("messages",)
EDITABLE_FIELDS = frozenset(
    CONTENT_FIELDS
    + ("validated", "rejected", "quality", "quality_signals", "tags", "meta", "source", "document_id", "chunk_id",
       "template_version_id")
)
SOURCES = ("extractive", "generated", "imported", "manual")


class PairNotFound(LookupError):
    """No pair with that id (it was deleted, e.g. by another pane)."""


def _raw(conn):
    """The sqlite3 connection under an SQLAlchemy connection (fast tuple rows)."""
    return conn.connection.dbapi_connection


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


# --------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------


def token_limit_for(ws: Workspace, dataset_id: int) -> int:
    """Token limit per example for the dataset's target model (workspace-edited table first)."""
    with ws.engine.connect() as conn:
        model = _raw(conn).execute("SELECT target_model FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
    model = model[0] if model else model_limits.DEFAULT_MODEL
    return int(model_limits.lookup(token_limits(ws), model, model_limits.TOKEN_LIMITS[model_limits.DEFAULT_MODEL]))


def query_pair_ids_np(ws: Workspace, dataset_id: int, filters: PairFilter | None = None, sort: str = "id",
                      descending: bool = False, token_limit: int | None = None) -> np.ndarray:
    """``query_pair_ids`` as an int64 numpy array (what the table model keeps)."""
    if token_limit is None:
        token_limit = token_limit_for(ws, dataset_id)
    where, params = where_sql(dataset_id, filters, token_limit)
    # group_concat in one row is ~4x faster than fetching 100k one-column rows through sqlite3;
    # the aggregate keeps the subquery's order (the subquery is not flattened into an aggregate).
    sql = f"SELECT group_concat(id) FROM ({ids_query(sort, descending, where)})"
    with ws.engine.connect() as conn:
        text = _raw(conn).execute(sql, params).fetchone()[0]
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def query_pair_ids(ws: Workspace, dataset_id: int, filters: PairFilter | None = None, sort: str = "id",
                   descending: bool = False, token_limit: int | None = None) -> array:
    """Ordered ids (``array('q')``) of the pairs of *dataset_id* passing *filters*.

    *sort* is a key of ``pairs.sql.SORT_SQL`` (id, system, user, assistant, tokens,
    quality, valid, validated, source, document, tags, created_at, updated_at; text columns sort
    case-insensitively); ties break by id in the same direction. *token_limit* defaults to the
    dataset model's limit (for valid / too_long). Raises ``ValueError`` for an unknown sort key
    or flag.
    """
    return array("q", query_pair_ids_np(ws, dataset_id, filters, sort, descending, token_limit).tobytes())


def count_pairs(ws: Workspace, dataset_id: int) -> dict:
    """``{total, validated, rejected}`` pair counts of a dataset."""
    with ws.engine.connect() as conn:
        total, validated, rejected = _raw(conn).execute(
            "SELECT count(*), coalesce(sum(validated), 0), coalesce(sum(rejected), 0) FROM pairs WHERE dataset_id = ?",
            (dataset_id,)).fetchone()
    return {"total": total, "validated": validated, "rejected": rejected}


_ROW_COLS = (
    "id", "dataset_id", "system", "user", "assistant", "messages", "n_tokens", "source", "document_id",
    "chunk_id", "meta", "validated", "rejected", "quality", "quality_signals", "tags", "content_hash",
    "template_version_id", "run_id", "created_at", "updated_at",
)


def _loads(text: str | None, default):
    if text is None:
        return default
    try:
        value = json.loads(text)
    except ValueError:
        return default
    return default if value is None else value


def fetch_pairs(
    ws: Workspace,
    ids: Sequence[int],
    *,
    preview_chars: int | None = None,
    token_limit: int | None = None,
) -> list[dict]:
    """Rows for *ids*, in the order given (ids that no longer exist are skipped).

    Each dict has every ``pairs`` column (JSON columns parsed, ``validated``/``rejected`` as bool, ``messages``
    None for single-turn pairs), plus ``document`` (file name or None), ``n_turns`` (messages in
    the example), ``multi_turn`` (the ``messages`` list is authoritative), ``problems`` (validity
    codes, see ``PROBLEM_LABELS``) and ``valid``. With *preview_chars* the text columns are cut
    to that many characters in SQL and ``messages`` is not loaded (small page cache).
    """
    ids = [int(i) for i in ids]
    if not ids:
        return []
    if token_limit is None:
        with ws.engine.connect() as conn:
            ds = _raw(conn).execute("SELECT dataset_id FROM pairs WHERE id = ?", (ids[0],)).fetchone()
        token_limit = token_limit_for(ws, ds[0]) if ds else model_limits.TOKEN_LIMITS[model_limits.DEFAULT_MODEL]
    cols = []
    for c in _ROW_COLS:
        if preview_chars and c in TEXT_FIELDS:
            cols.append(f"substr(p.{c}, 1, {int(preview_chars)})")
        elif preview_chars and c == "messages":
            cols.append("NULL")
        else:
            cols.append(f"p.{c}")
    multi = "(p.messages IS NOT NULL AND json_valid(p.messages) AND json_type(p.messages) = 'array' " \
            "AND json_array_length(p.messages) > 0)"
    n_turns = f"(CASE WHEN {multi} THEN json_array_length(p.messages) ELSE 2 + (p.system <> '') END)"
    sql = (
        f"SELECT {', '.join(cols)}, d.name, {n_turns}, {multi}, coalesce(k.problems, {LIVE_MASK_SQL}) "
        "FROM pairs p LEFT JOIN documents d ON d.id = p.document_id LEFT JOIN pair_keys k ON k.pair_id = p.id "
        "WHERE p.id IN (SELECT value FROM json_each(:ids))"
    )
    n = len(_ROW_COLS)
    by_id: dict[int, dict] = {}
    with ws.engine.connect() as conn:
        for rec in _raw(conn).execute(sql, {"ids": json.dumps(ids)}):
            row = dict(zip(_ROW_COLS, rec[:n]))
            row["messages"] = _loads(row["messages"], None) or None
            row["meta"] = _loads(row["meta"], {})
            row["quality_signals"] = _loads(row["quality_signals"], {})
            row["tags"] = _loads(row["tags"], [])
            row["validated"] = bool(row["validated"])
            row["rejected"] = bool(row["rejected"])
            row["document"] = rec[n]
            row["n_turns"] = rec[n + 1]
            row["multi_turn"] = bool(rec[n + 2])
            problems = decode_problems(rec[n + 3])
            if row["n_tokens"] > token_limit:
                problems.append(TOO_LONG)
            row["problems"] = problems
            row["valid"] = not problems
            by_id[row["id"]] = row
    return [by_id[i] for i in ids if i in by_id]


def get_pair(ws: Workspace, pair_id: int) -> dict:
    """One full row (see ``fetch_pairs``); raises ``PairNotFound``."""
    rows = fetch_pairs(ws, [pair_id])
    if not rows:
        raise PairNotFound(f"pair {pair_id} does not exist")
    return rows[0]


def pair_messages(row: dict) -> list[dict]:
    """OpenAI messages of a row: its ``messages`` list when set, else system/user/assistant."""
    return _pair_messages(row.get("system") or "", row.get("user") or "", row.get("assistant") or "",
                          row.get("messages") or None)


def duplicates_of(ws: Workspace, pair_id: int) -> list[int]:
    """Ids of the other pairs in the same dataset with the same normalized user message
    (``lower(trim(user))``, kept in ``pair_keys.user_key``), ascending."""
    sql = (
        "SELECT k.pair_id FROM pair_keys k, pair_keys me WHERE me.pair_id = :id "
        "AND k.dataset_id = me.dataset_id AND k.user_key = me.user_key AND k.pair_id <> :id ORDER BY k.pair_id"
    )
    with ws.engine.connect() as conn:
        return [r[0] for r in _raw(conn).execute(sql, {"id": pair_id})]


def filter_options(ws: Workspace, dataset_id: int) -> dict:
    """Values the filter dropdowns offer for a dataset (index scans only):
    ``{documents: [(id, relative path)], template_versions: [id], sources: [str], tags: [str]}``
    (documents sorted by ``services.documents.relative_paths``)."""
    with ws.engine.connect() as conn:
        raw = _raw(conn)
        rows = raw.execute(
            "SELECT d.id, coalesce(d.source_path, d.name) FROM documents d WHERE d.id IN "
            "(SELECT DISTINCT document_id FROM pairs WHERE dataset_id = ?)", (dataset_id,)).fetchall()
        docs = sorted(zip([r[0] for r in rows], relative_paths([r[1] for r in rows])), key=lambda d: d[1].lower())
        tvs = [r[0] for r in raw.execute(
            "SELECT DISTINCT template_version_id FROM pairs WHERE dataset_id = ? AND template_version_id IS NOT NULL "
            "ORDER BY 1", (dataset_id,))]
        sources = [r[0] for r in raw.execute(
            "SELECT DISTINCT source FROM pairs WHERE dataset_id = ? ORDER BY 1", (dataset_id,))]
        tags = [r[0] for r in raw.execute(
            "SELECT DISTINCT t.value FROM pair_keys k, json_each(k.tags) t WHERE k.dataset_id = ? AND k.tags <> '[]' "
            "ORDER BY 1", (dataset_id,))]
    return {"documents": [tuple(d) for d in docs], "template_versions": tvs,
            "sources": sorted(set(sources) | set(SOURCES)), "tags": tags}


# --------------------------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------------------------


def _derived(system: str, user: str, assistant: str, messages: list | None, meta: dict | None) -> tuple[int, str]:
    """(n_tokens, content_hash) of a pair's content."""
    msgs = _pair_messages(system or "", user or "", assistant or "", messages or None)
    return chat_tokens_many([msgs])[0], example_hash(example_from_row(system, user, assistant, messages, meta))


def _patch_messages(messages: list[dict], role: str, text: str) -> list[dict]:
    """Copy of *messages* with the first *role* turn that has text (the one mirrored into the
    text column) set to *text*; a missing system turn is inserted first, others appended."""
    out = copy.deepcopy(messages)
    candidates = [i for i, m in enumerate(out) if isinstance(m, dict) and m.get("role") == role]
    with_text = [i for i in candidates if text_of(m := out[i].get("content"))]
    target = (with_text or candidates or [None])[0]
    if target is not None:
        out[target]["content"] = text
    elif role == "system":
        out.insert(0, {"role": "system", "content": text})
    else:
        out.append({"role": role, "content": text})
    return out


def update_pair(ws: Workspace, pair_id: int, **fields: Any) -> dict:
    """Set fields of one pair; returns the old values of every column it changed, so
    ``update_pair(ws, pair_id, **old)`` undoes it exactly.

    Editable: ``EDITABLE_FIELDS``. Content rules: a non-empty ``messages`` list is authoritative
    and its first system/user/assistant texts are mirrored into the text columns (unless those are
    given too; a plain ``[system] user assistant`` list is then stored in the columns only);
    editing a text column of a multi-turn pair also edits that turn in ``messages``.
    ``n_tokens`` and ``content_hash`` are recomputed when content changes, and the quality score
    is cleared (unless *fields* set it: undo) so that it is recomputed. Raises ``PairNotFound``
    and ``ValueError`` (unknown field).
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot edit pair field(s) {sorted(unknown)}; editable: {sorted(EDITABLE_FIELDS)}")
    with ws.session() as s:
        pair = s.get(Pair, pair_id)
        if pair is None:
            raise PairNotFound(f"pair {pair_id} does not exist")
        new = dict(fields)
        if new.get("messages"):
            mirrored = example_to_row({"messages": new["messages"]})
            for col in TEXT_FIELDS:
                new.setdefault(col, mirrored[col])
            if "system" not in fields and "user" not in fields and "assistant" not in fields:
                new["messages"] = mirrored["messages"]  # None for a plain [system] user assistant
        elif "messages" not in new and pair.messages:
            patched = pair.messages
            for col in TEXT_FIELDS:
                if col in new:
                    patched = _patch_messages(patched, col, new[col] or "")
            if patched is not pair.messages:
                new["messages"] = patched
        old: dict[str, Any] = {}
        for key, value in new.items():
            current = getattr(pair, key)
            if current == value and not (key == "messages" and current is None and value == []):
                continue
            old[key] = copy.deepcopy(current)
            setattr(pair, key, copy.deepcopy(value) if isinstance(value, (list, dict)) else value)
        if old.keys() & set(CONTENT_FIELDS) or "meta" in old:
            pair.n_tokens, pair.content_hash = _derived(pair.system, pair.user, pair.assistant, pair.messages, pair.meta)
        if old.keys() & set(CONTENT_FIELDS) and "quality" not in fields and pair.quality is not None:
            # the score was for the old text: cleared, so the pair editor re-scores it in the
            # background (services.pairs.refresh_stale_scores); undo puts the old score back
            old.update(quality=pair.quality, quality_signals=copy.deepcopy(pair.quality_signals))
            pair.quality, pair.quality_signals = None, {}
        if old:
            pair.updated_at = utcnow()
        return old


def _id_in(ids: Iterable[int]):
    """``Pair.id IN (SELECT value FROM json_each(:ids))`` — one parameter for any number of ids."""
    sub = select(literal_column("value")).select_from(func.json_each(bindparam("ids_json", _ids_json(ids))))
    return Pair.id.in_(sub)


def snapshot_pairs(ws: Workspace, ids: Sequence[int]) -> list[dict]:
    """Full column values of the pairs *ids* (for undo), in the order given."""
    table = Pair.__table__
    with ws.engine.connect() as conn:
        rows = {r["id"]: dict(r) for r in conn.execute(select(table).where(_id_in(ids))).mappings()}
    return [rows[i] for i in ids if i in rows]


def delete_pairs(ws: Workspace, ids: Sequence[int]) -> list[dict]:
    """Delete pairs (one transaction); returns their snapshots for ``restore_pairs``."""
    ids = [int(i) for i in ids]
    table = Pair.__table__
    with ws.engine.begin() as conn:
        by_id = {r["id"]: dict(r) for r in conn.execute(select(table).where(_id_in(ids))).mappings()}
        conn.execute(table.delete().where(_id_in(ids)))
    return [by_id[i] for i in ids if i in by_id]


def restore_pairs(ws: Workspace, snapshots: Sequence[dict]) -> list[int]:
    """Re-insert deleted pairs with their original ids (one transaction); returns the ids used.

    A pair whose id was taken meanwhile (SQLite reuses the highest rowid) gets a new id; a
    document or chunk deleted meanwhile becomes NULL. Raises ``LookupError`` when the
    dataset itself is gone.
    """
    if not snapshots:
        return []
    table = Pair.__table__
    rows = [dict(s) for s in snapshots]
    with ws.engine.begin() as conn:
        raw = _raw(conn)
        ds_ids = {r["dataset_id"] for r in rows}
        present = {r[0] for r in raw.execute(f"SELECT id FROM datasets WHERE id IN ({','.join('?' * len(ds_ids))})",
                                             tuple(ds_ids))}
        if ds_ids - present:
            raise LookupError(f"cannot restore pairs: dataset(s) {sorted(ds_ids - present)} were deleted")
        taken = {r[0] for r in raw.execute("SELECT id FROM pairs WHERE id IN (SELECT value FROM json_each(?))",
                                           (_ids_json(r["id"] for r in rows),))}
        docs = {r[0] for r in raw.execute("SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                                          (_ids_json(r["document_id"] for r in rows if r["document_id"]),))}
        chunks = {r[0] for r in raw.execute("SELECT id FROM chunks WHERE id IN (SELECT value FROM json_each(?))",
                                            (_ids_json(r["chunk_id"] for r in rows if r["chunk_id"]),))}
        keep_id, new_id = [], []
        for r in rows:
            if r.get("document_id") and r["document_id"] not in docs:
                r["document_id"] = None
            if r.get("chunk_id") and r["chunk_id"] not in chunks:
                r["chunk_id"] = None
            (new_id if r["id"] in taken else keep_id).append(r)
        if keep_id:
            conn.execute(table.insert(), keep_id)
        assigned = {}
        for r in new_id:
            old = r.pop("id")
            assigned[old] = conn.execute(table.insert().values(**r)).inserted_primary_key[0]
    return [assigned.get(s["id"], s["id"]) for s in snapshots]


def set_validated(ws: Workspace, ids: Sequence[int], value: bool) -> dict[int, bool]:
    """Mark pairs validated / not validated; returns ``{id: old value}`` for the pairs found."""
    return _set_review_flag(ws, "validated", ids, value)


def restore_validated(ws: Workspace, old_values: dict[int, bool]) -> None:
    """Undo of ``set_validated``: put back ``{id: value}``."""
    _restore_review_flag(ws, "validated", old_values)


def set_rejected(ws: Workspace, ids: Sequence[int], value: bool) -> dict[int, bool]:
    """Reject pairs (or take the rejection back); returns ``{id: old value}`` for the pairs found.

    A rejected pair stays in the dataset and in the Pair Editor (filter ``rejected``); validation
    and export leave it out (``services.datasets.dataset_examples``, ``services.export``).
    """
    return _set_review_flag(ws, "rejected", ids, value)


def restore_rejected(ws: Workspace, old_values: dict[int, bool]) -> None:
    """Undo of ``set_rejected``: put back ``{id: value}``."""
    _restore_review_flag(ws, "rejected", old_values)


_REVIEW_FLAGS = ("validated", "rejected")  # boolean review columns of ``pairs``


def _set_review_flag(ws: Workspace, column: str, ids: Sequence[int], value: bool) -> dict[int, bool]:
    if column not in _REVIEW_FLAGS:  # the name goes into SQL text
        raise ValueError(f"unknown review flag {column!r}")
    payload = _ids_json(ids)
    with ws.engine.begin() as conn:
        raw = _raw(conn)
        old = {r[0]: bool(r[1]) for r in raw.execute(
            f"SELECT id, {column} FROM pairs WHERE id IN (SELECT value FROM json_each(?))", (payload,))}
        raw.execute(
            f"UPDATE pairs SET {column} = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?)) "
            f"AND {column} <> ?",
            (int(bool(value)), _now_text(), payload, int(bool(value))))
    return old


def _restore_review_flag(ws: Workspace, column: str, old_values: dict[int, bool]) -> None:
    if column not in _REVIEW_FLAGS:
        raise ValueError(f"unknown review flag {column!r}")
    with ws.engine.begin() as conn:
        raw = _raw(conn)
        for value in (True, False):
            ids = [i for i, v in old_values.items() if bool(v) == value]
            if ids:
                raw.execute(f"UPDATE pairs SET {column} = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                            (int(value), _now_text(), _ids_json(ids)))


def _now_text() -> str:
    # SQLAlchemy's SQLite DateTime storage format, so ORM reads parse it.
    return utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")


def add_tag(ws: Workspace, ids: Sequence[int], tag: str) -> dict[int, list]:
    """Append *tag* to the pairs that lack it; returns ``{id: old tags}`` of those changed."""
    tag = (tag or "").strip()
    if not tag:
        raise ValueError("tag is empty")
    return _retag(ws, ids, lambda tags: tags + [tag] if tag not in tags else None)


def remove_tag(ws: Workspace, ids: Sequence[int], tag: str) -> dict[int, list]:
    """Remove *tag* from the pairs that have it; returns ``{id: old tags}`` of those changed."""
    return _retag(ws, ids, lambda tags: [t for t in tags if t != tag] if tag in tags else None)


def _retag(ws: Workspace, ids: Sequence[int], change) -> dict[int, list]:
    old: dict[int, list] = {}
    updates = []
    now = _now_text()
    with ws.engine.begin() as conn:
        raw = _raw(conn)
        for pid, tags_json in raw.execute("SELECT id, tags FROM pairs WHERE id IN (SELECT value FROM json_each(?))",
                                          (_ids_json(ids),)).fetchall():
            tags = _loads(tags_json, [])
            new = change(list(tags))
            if new is not None:
                old[pid] = tags
                updates.append((json.dumps(new, ensure_ascii=False), now, pid))
        raw.executemany("UPDATE pairs SET tags = ?, updated_at = ? WHERE id = ?", updates)
    return old


def set_tags(ws: Workspace, tags_by_id: dict[int, list]) -> None:
    """Set each pair's tag list exactly (undo of ``add_tag`` / ``remove_tag``)."""
    now = _now_text()
    with ws.engine.begin() as conn:
        _raw(conn).executemany("UPDATE pairs SET tags = ?, updated_at = ? WHERE id = ?",
                               [(json.dumps(t, ensure_ascii=False), now, i) for i, t in tags_by_id.items()])


def check_messages(messages: list[dict], token_limit: int) -> dict:
    """Live check of an edited message list: ``{n_tokens, problems: [(code, message)], valid}``.

    Problems come from ``core.validation.validate_examples`` (the same rules as Validate) with
    *token_limit*; the dataset-level minimum-examples rule does not apply to one pair.
    ``n_tokens`` is counted like the stored ``pairs.n_tokens`` (``chat_tokens_many``).
    """
    from fineflow_desktop.core.validation import Example, validate_examples

    report = validate_examples([Example({"messages": messages})], model="edited", token_limits={"edited": token_limit},
                               min_examples=1)
    problems = [(i.code, i.message) for i in report.errors]
    n_tokens = chat_tokens_many([[m for m in messages if isinstance(m, dict)]])[0]
    return {"n_tokens": n_tokens, "problems": problems, "valid": not problems}
