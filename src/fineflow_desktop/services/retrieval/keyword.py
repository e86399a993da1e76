"""Keyword retrieval: BM25 over the ``item_fts`` FTS5 table (``store/keyword_index.py``).

Rows share their ids with the FAISS index (``embedded_items.id``), so keyword and vector hits
fuse by id. Scores are FTS5's ``bm25()`` negated (higher is better; unbounded, not a cosine).

Candidate limiting: FTS5 computes ``bm25()`` for every row that matches the expression, so
one common word ("file", "use") OR-ed into a question makes a 100k-row search score tens of
thousands of rows (about 120 ms of a 300 ms search in bench/bench_hybrid.py). When some words
of the question are in more than ``PRUNE_DF`` of the rows, the expression becomes
``(rare words OR-ed) AND (all words OR-ed)``: only rows holding a rare word are candidates
(a row with only common words has a near-zero BM25 score, idf being near zero: the
safe-pruning idea of MaxScore, Turtle & Flood 1995), and every word still scores them. FTS5
scores each phrase of the expression, so the rare words count twice; on the tune questions
this scored as the plain OR query (bench/bench_hybrid.py; dropping the common words instead
lost 0.10 of hybrid hit@1). Document frequencies come from FTS5's own ``fts5vocab`` table,
for the words as FTS5 tokenizes and stems them.
"""

from __future__ import annotations

from sqlalchemy import text

from fineflow_desktop.core.keyword_query import match_expression, query_terms, terms_expression
from fineflow_desktop.store.keyword_index import FTS_TABLE, REBUILD
from fineflow_desktop.store.workspace import Workspace

# Column weights of bm25(): title, heading path, body. A word in the page title or a section
# heading says more about the topic than one in a paragraph; tuned on the `tune` split of
# bench/questions/python.jsonl (bench/bench_hybrid.py --tune), checked on the held-out questions.
FIELD_WEIGHTS = (4.0, 2.0, 1.0)
# Query words in more than this share of the indexed rows do not make a row a candidate
# (module docstring); tuned on the `tune` split of bench/questions/python.jsonl (0.02 lost
# hybrid hit@1, 0.05 and 0.10 kept it), checked on the held-out sets.
PRUNE_DF = 0.05
# ...and in more than this many rows: limiting is a latency device for long posting lists
# (bm25() costs microseconds per row), so small indexes keep the plain OR query, where a
# 3-document corpus would otherwise call its every topic word "common".
PRUNE_MIN_ROWS = 2000
_QUERY_TABLE = "temp.fineflow_query"  # one row per query word, tokenized like item_fts
_SETUP = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {_QUERY_TABLE} USING fts5(w, tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fineflow_query_terms USING fts5vocab(temp, fineflow_query, instance)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.fineflow_item_terms USING fts5vocab(main, {FTS_TABLE}, row)",
)


def document_frequencies(conn, words: list[str]) -> dict[str, int]:
    """Word -> number of keyword-index rows holding it (as FTS5 tokenizes and stems it; a word
    that splits into several tokens counts its rarest token; 0 when absent), on an open
    SQLAlchemy connection. The temporary tables live on that connection only and their rows
    are discarded with its transaction."""
    if not words:
        return {}
    for sql in _SETUP:
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql(f"DELETE FROM {_QUERY_TABLE}")
    conn.exec_driver_sql(
        f"INSERT INTO {_QUERY_TABLE}(rowid, w) VALUES " + ",".join("(?, ?)" for _ in words),
        tuple(v for i, w in enumerate(words, 1) for v in (i, w)),
    )
    counts: dict[str, int] = {}
    rows = conn.exec_driver_sql(
        "SELECT q.doc, COALESCE((SELECT t.doc FROM temp.fineflow_item_terms t WHERE t.term = q.term), 0) "
        "FROM temp.fineflow_query_terms q"
    ).all()
    for doc, df in rows:
        word = words[int(doc) - 1]
        counts[word] = min(counts.get(word, int(df)), int(df))
    return {w: counts.get(w, 0) for w in words}


def prune_terms(terms: list[str], df: dict[str, int], n_rows: int, limit: float = PRUNE_DF) -> list[str]:
    """The rare *terms*: those found in at most *limit* x *n_rows* rows, or ``PRUNE_MIN_ROWS``
    when that is more (*df*: term -> rows),
    in their order; the rarest term when all are more common; ``[]`` only for no terms."""
    if not terms:
        return []
    kept = [t for t in terms if df.get(t, 0) <= max(limit * n_rows, PRUNE_MIN_ROWS)]
    return kept or [min(terms, key=lambda t: df.get(t, 0))]


def keyword_search(
    ws: Workspace,
    question: str,
    limit: int,
    weights: tuple[float, float, float] = FIELD_WEIGHTS,
    n_rows: int = 0,
    prune: float | None = PRUNE_DF,
) -> list[tuple[int, float]]:
    """Up to *limit* ``(item_id, bm25 score)`` pairs for *question*, best first; ``[]`` when
    the question has no search word. With *n_rows* (the index's row count, e.g. the FAISS
    index's live vectors) and *prune*, only rows holding a word found in at most *prune* x
    *n_rows* rows are candidates (module docstring). Raises ``ValueError`` for ``limit < 1``."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    terms = query_terms(question)
    if not terms:
        return []
    wt, wh, wb = (float(w) for w in weights)  # floats formatted into SQL: never user text
    rank = f"bm25({FTS_TABLE}, {wt!r}, {wh!r}, {wb!r})"
    sql = text(f"SELECT rowid, -{rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY {rank} LIMIT :n")
    with ws.engine.connect() as conn:
        match = terms_expression(terms)
        if prune is not None and n_rows > 0 and len(terms) > 1:
            rare = prune_terms(terms, document_frequencies(conn, terms), n_rows, prune)
            if len(rare) < len(terms):
                match = f"({terms_expression(rare)}) AND ({match})"
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
