"""Keyword retrieval: BM25 over the ``item_fts`` FTS5 table (``store/keyword_index.py``).

Rows share their ids with the FAISS index (``embedded_items.id``), so keyword and vector hits
fuse by id. Scores are FTS5's ``bm25()`` negated (higher is better; unbounded, not a cosine).
"""

from __future__ import annotations

from sqlalchemy import text

from fineflow_desktop.core.keyword_query import match_expression
from fineflow_desktop.store.keyword_index import FTS_TABLE, REBUILD
from fineflow_desktop.store.workspace import Workspace

# Column weights of bm25(): title, heading path, body. A word in the page title or a section
# heading says more about the topic than one in a paragraph; tuned on the `tune` split of
# bench/questions/python.jsonl (bench/bench_hybrid.py --tune), checked on the held-out questions.
FIELD_WEIGHTS = (4.0, 2.0, 1.0)


def keyword_search(
    ws: Workspace, question: str, limit: int, weights: tuple[float, float, float] = FIELD_WEIGHTS
) -> list[tuple[int, float]]:
    """Up to *limit* ``(item_id, bm25 score)`` pairs for *question*, best first; ``[]`` when
    the question has no search word. Raises ``ValueError`` for ``limit < 1``."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    match = match_expression(question)
    if not match:
        return []
    wt, wh, wb = (float(w) for w in weights)  # floats formatted into SQL: never user text
    rank = f"bm25({FTS_TABLE}, {wt!r}, {wh!r}, {wb!r})"
    sql = text(f"SELECT rowid, -{rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY {rank} LIMIT :n")
    with ws.engine.connect() as conn:
        return [(int(i), float(s)) for i, s in conn.execute(sql, {"q": match, "n": int(limit)})]


def keyword_index_size(ws: Workspace) -> int:
    """Rows in the keyword index (equals the number of embedded items when in step)."""
    with ws.engine.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE}").scalar_one())


def ensure_keyword_index(ws: Workspace, n_items: int) -> bool:
    """Rebuild the keyword index from the embedded items when its row count differs from
    *n_items* (a database restored from before migration 0009's triggers, or edited by hand).
    Returns True when it rebuilt. The triggers keep it in step otherwise."""
    if keyword_index_size(ws) == n_items:
        return False
    with ws.engine.begin() as conn:
        for sql in REBUILD:
            conn.exec_driver_sql(sql)
    return True


_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"  # control characters never found in chunk text


def matched_terms(ws: Workspace, question: str, item_ids: list[int]) -> dict[int, list[str]]:
    """Item id -> the distinct words of its text that the keyword index matched for
    *question* (as written in the text, lower-cased, e.g. "occurrences" for "occurs" through
    the Porter stemmer), from FTS5's ``highlight()``; items matching no word are absent."""
    match = match_expression(question)
    if not match or not item_ids:
        return {}
    ids = ",".join(str(int(i)) for i in item_ids)  # ints only: safe to inline
    sql = text(
        f"SELECT rowid, highlight({FTS_TABLE}, 0, :o, :c), highlight({FTS_TABLE}, 1, :o, :c), "
        f"highlight({FTS_TABLE}, 2, :o, :c) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q AND rowid IN ({ids})"
    )
    out: dict[int, list[str]] = {}
    with ws.engine.connect() as conn:
        for rowid, *columns in conn.execute(sql, {"q": match, "o": _MARK_OPEN, "c": _MARK_CLOSE}):
            words: dict[str, None] = {}
            for col in columns:
                for part in (col or "").split(_MARK_OPEN)[1:]:
                    words.setdefault(part.split(_MARK_CLOSE, 1)[0].lower(), None)
            if words:
                out[int(rowid)] = list(words)
    return out
