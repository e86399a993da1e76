"""The keyword (BM25) index of retrieval: an SQLite FTS5 table beside the FAISS index.

``item_fts`` holds one row per ``embedded_items`` row, under the same id (the FAISS id), with
three columns: ``title`` (the document's title, else its file name; a dataset's name for pairs),
``heading`` (the chunk's heading path joined with `` > ``) and ``body`` (the chunk text, the
pair's user + assistant text, or the manual text). SQL triggers keep it in step with
``embedded_items`` (insert / delete, including deletes cascading from chunks, pairs, documents
and sources) and with edits of a chunk's text or heading path, so every path that changes the
vector index changes this one in the same transaction. The pattern (triggers maintaining an
FTS5 table) is the one of migration 0004 and the SQLite FTS5 docs, section 4.4.3.

It is a regular (content-storing) FTS5 table, not contentless: SQLite 3.40 (Debian 12) has no
``contentless_delete``, and a contentless table can only delete a row given its old values.

Tokenizer: ``porter unicode61 remove_diacritics 2`` — Porter stemming lets "occurs" match
"occurrences" in natural questions (bench/bench_hybrid.py measured it against plain unicode61).
"""

from __future__ import annotations

FTS_TABLE = "item_fts"

CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, heading, body, tokenize='porter unicode61 remove_diacritics 2')"
)

# Values for one embedded item, as a SELECT over alias ``e`` (an embedded_items row).
_ROW_SELECT = (
    "SELECT e.id, "
    "  CASE WHEN e.chunk_id IS NOT NULL THEN "
    "    (SELECT COALESCE(NULLIF(json_extract(d.meta, '$.title'), ''), d.name) FROM chunks c "
    "     JOIN documents d ON d.id = c.document_id WHERE c.id = e.chunk_id) "
    "  WHEN e.pair_id IS NOT NULL THEN "
    "    (SELECT ds.name FROM pairs p JOIN datasets ds ON ds.id = p.dataset_id WHERE p.id = e.pair_id) "
    "  ELSE '' END, "
    "  CASE WHEN e.chunk_id IS NOT NULL THEN "
    "    (SELECT COALESCE((SELECT group_concat(j.value, ' > ') FROM json_each(c.heading_path) j), '') "
    "     FROM chunks c WHERE c.id = e.chunk_id) "
    "  ELSE '' END, "
    "  CASE WHEN e.chunk_id IS NOT NULL THEN (SELECT c.text FROM chunks c WHERE c.id = e.chunk_id) "
    "  WHEN e.pair_id IS NOT NULL THEN "
    "    (SELECT p.user || char(10) || p.assistant FROM pairs p WHERE p.id = e.pair_id) "
    "  ELSE COALESCE(e.text, '') END "
    "FROM embedded_items e"
)

TRIGGERS = {
    "item_fts_ai": (
        "CREATE TRIGGER IF NOT EXISTS item_fts_ai AFTER INSERT ON embedded_items BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, title, heading, body) {_ROW_SELECT} WHERE e.id = new.id; END"
    ),
    "item_fts_ad": (
        "CREATE TRIGGER IF NOT EXISTS item_fts_ad AFTER DELETE ON embedded_items BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
    ),
    "item_fts_chunk_au": (
        "CREATE TRIGGER IF NOT EXISTS item_fts_chunk_au AFTER UPDATE OF text, heading_path ON chunks BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT id FROM embedded_items WHERE chunk_id = new.id); "
        f"INSERT INTO {FTS_TABLE}(rowid, title, heading, body) {_ROW_SELECT} WHERE e.chunk_id = new.id; END"
    ),
}

# Fill the table from every embedded item (after creating it, or to repair it).
REBUILD = (f"DELETE FROM {FTS_TABLE}", f"INSERT INTO {FTS_TABLE}(rowid, title, heading, body) {_ROW_SELECT}")


def install_sql() -> list[str]:
    """Statements that create the table and triggers (idempotent) and rebuild the rows."""
    return [CREATE_FTS, *[f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS], *TRIGGERS.values(), *REBUILD]


def drop_sql() -> list[str]:
    """Statements that remove the table and its triggers."""
    return [*[f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS], f"DROP TABLE IF EXISTS {FTS_TABLE}"]
