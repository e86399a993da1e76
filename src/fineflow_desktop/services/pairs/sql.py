"""SQL building blocks for pair queries: composable filters, sort keys, validity.

Filters and sorts that would otherwise read every (long) pair row use the trigger-maintained
``pair_keys`` table (``store/models_pairs.py``): validity bitmask, duplicate key, text sort keys,
injection flag, tags. Every expression uses the pair alias ``p`` (``k`` for ``pair_keys``,
``d`` for ``documents``) and the named parameters ``:ds`` and ``:token_limit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields as dc_fields
from typing import Any

from fineflow_desktop.store.models_pairs import PROBLEM_BITS, problem_sql, problems_mask_sql

FTS_TABLE = "pairs_fts"
FLAGS = ("duplicate", "injection", "too_long")
TOO_LONG = "too_many_tokens"

# Live validity of row alias p (used when its pair_keys row is missing, and by tests).
PROBLEM_SQL: dict[str, str] = {**problem_sql("p"), TOO_LONG: "(p.n_tokens > :token_limit)"}
LIVE_MASK_SQL = problems_mask_sql("p")

PROBLEM_LABELS = {
    "missing_messages_list": "the message list is not a non-empty list",
    "data_type": "a message is not an object",
    "message_missing_key": "a message lacks 'role' or 'content'",
    "message_unrecognized_key": "a message has an unknown key",
    "unrecognized_role": "a message has an unknown role",
    "missing_content": "empty user or assistant message",
    "invalid_weight": "weight must be 0 or 1",
    "example_missing_assistant_message": "no assistant message",
    TOO_LONG: "over the model's token limit",
}

_BAD_FORMAT_IDS = "SELECT pair_id FROM pair_keys WHERE dataset_id = :ds AND problems <> 0"
INVALID_SQL = f"(p.n_tokens > :token_limit OR p.id IN ({_BAD_FORMAT_IDS}))"
VALID_SQL = f"(p.n_tokens <= :token_limit AND p.id NOT IN ({_BAD_FORMAT_IDS}))"
_FLAG_SQL = {
    "duplicate": (
        "p.id IN (SELECT pair_id FROM pair_keys WHERE dataset_id = :ds AND user_key IN "
        "(SELECT user_key FROM pair_keys WHERE dataset_id = :ds GROUP BY user_key HAVING count(*) > 1))"),
    "injection": (
        "(p.id IN (SELECT pair_id FROM pair_keys WHERE dataset_id = :ds AND injection = 1) "
        "OR p.id IN (SELECT id FROM pairs WHERE chunk_id IN (SELECT id FROM chunks WHERE is_flagged = 1)))"),
    "too_long": "(p.n_tokens > :token_limit)",
}

# sort key -> (ORDER BY expression, joins needed). Text columns sort case-insensitively by
# their pair_keys prefix (user: the whole normalized text).
SORT_SQL: dict[str, tuple[str, str]] = {
    "id": ("p.id", ""),
    "system": ("k.system_key", "k"),
    "user": ("k.user_key", "k"),
    "assistant": ("k.assistant_key", "k"),
    "tokens": ("p.n_tokens", ""),
    "n_tokens": ("p.n_tokens", ""),
    "quality": ("p.quality", ""),
    "valid": ("(p.n_tokens > :token_limit OR coalesce(k.problems, 0) <> 0)", "k"),
    "validated": ("p.validated", ""),
    "rejected": ("p.rejected", ""),
    "source": ("p.source", ""),
    "document": ("d.name", "d"),
    "tags": ("k.tags", "k"),
    "created_at": ("p.created_at", ""),
    "updated_at": ("p.updated_at", ""),
}


@dataclass(frozen=True)
class PairFilter:
    """Composable pair filters (all optional; every set field narrows the result).

    ``text``: full-text search (FTS5 over system/user/assistant; each word must occur, the last
    one as a prefix; user text is quoted, so FTS syntax characters are literal).
    ``quality_min/max`` (0–1, inclusive; pairs without a score are excluded once set),
    ``tokens_min/max`` (inclusive), ``valid`` (True valid / False invalid), ``validated``,
    ``rejected`` (True: only rejected pairs, False: none of them), ``flagged`` ("duplicate" |
    "injection" | "too_long" | "any"), ``source``
    (extractive/generated/imported/manual), ``document_id``, ``template_version_id``, ``tag``.
    """

    text: str = ""
    quality_min: float | None = None
    quality_max: float | None = None
    tokens_min: int | None = None
    tokens_max: int | None = None
    valid: bool | None = None
    validated: bool | None = None
    rejected: bool | None = None
    flagged: str | None = None
    source: str | None = None
    document_id: int | None = None
    template_version_id: int | None = None
    tag: str | None = None

    def is_empty(self) -> bool:
        """True when no field narrows the result."""
        return all(getattr(self, f.name) in (None, "") for f in dc_fields(self))


_FTS_TERM = re.compile(r"\S+")


def fts_query(text: str) -> str:
    """Turn free user text into a safe FTS5 MATCH expression.

    Each whitespace-separated word becomes a quoted string (``"`` doubled), so operators and
    punctuation in user text are literal; words are ANDed; the last word gets ``*`` (prefix
    match while typing) unless the text ends in a space. Returns "" when there is no word.
    """
    terms = [t for t in _FTS_TERM.findall(text or "") if re.search(r"\w", t)]
    if not terms:
        return ""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    if not text[-1].isspace():
        quoted[-1] += "*"
    return " ".join(quoted)


def where_sql(dataset_id: int, f: PairFilter | None, token_limit: int) -> tuple[str, dict[str, Any]]:
    """``(WHERE clause over alias p, named parameters)`` for a dataset and filter.
    Raises ``ValueError`` for an unknown flag."""
    f = f or PairFilter()
    clauses = ["p.dataset_id = :ds"]
    params: dict[str, Any] = {"ds": dataset_id, "token_limit": token_limit}
    match = fts_query(f.text)
    if match:
        clauses.append(f"p.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts)")
        params["fts"] = match
    for value, clause, name, cast in (
        (f.quality_min, "p.quality >= :qmin", "qmin", float),
        (f.quality_max, "p.quality <= :qmax", "qmax", float),
        (f.tokens_min, "p.n_tokens >= :tmin", "tmin", int),
        (f.tokens_max, "p.n_tokens <= :tmax", "tmax", int),
        (f.source or None, "p.source = :source", "source", str),
        (f.document_id, "p.document_id = :doc", "doc", int),
        (f.template_version_id, "p.template_version_id = :tv", "tv", int),
    ):
        if value is not None:
            clauses.append(clause)
            params[name] = cast(value)
    if f.valid is not None:
        clauses.append(VALID_SQL if f.valid else INVALID_SQL)
    if f.validated is not None:
        clauses.append("p.validated = :validated")
        params["validated"] = 1 if f.validated else 0
    if f.rejected is not None:
        clauses.append("p.rejected = :rejected")
        params["rejected"] = 1 if f.rejected else 0
    if f.flagged:
        if f.flagged == "any":
            clauses.append("(" + " OR ".join(_FLAG_SQL.values()) + ")")
        elif f.flagged in _FLAG_SQL:
            clauses.append(_FLAG_SQL[f.flagged])
        else:
            raise ValueError(f"unknown flag filter {f.flagged!r}; expected one of {FLAGS + ('any',)}")
    if f.tag:
        clauses.append("p.id IN (SELECT k2.pair_id FROM pair_keys k2, json_each(k2.tags) t "
                       "WHERE k2.dataset_id = :ds AND t.value = :tag)")
        params["tag"] = f.tag
    return " AND ".join(clauses), params


def ids_query(sort: str, descending: bool, where: str) -> str:
    """The ordered-id query for a sort key and WHERE clause (from ``where_sql``).
    Raises ``ValueError`` for an unknown sort key."""
    if sort not in SORT_SQL:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {sorted(SORT_SQL)}")
    expr, join = SORT_SQL[sort]
    direction = "DESC" if descending else "ASC"
    if sort == "id":  # a repeated "p.id" tie-break term makes SQLite sort again (2x slower)
        return f"SELECT p.id FROM pairs p WHERE {where} ORDER BY p.id {direction}"
    if join == "k" and "p.n_tokens" not in expr:
        # Drive from pair_keys: its small rows sort fast (user_key is even indexed, so no sort);
        # the pair filters become one id set.
        narrowed = "" if where == "p.dataset_id = :ds" else f"AND k.pair_id IN (SELECT p.id FROM pairs p WHERE {where}) "
        return (f"SELECT k.pair_id AS id FROM pair_keys k WHERE k.dataset_id = :ds {narrowed}"
                f"ORDER BY {expr} {direction}, k.pair_id {direction}")
    joins = {"k": "LEFT JOIN pair_keys k ON k.pair_id = p.id",
             "d": "LEFT JOIN documents d ON d.id = p.document_id"}.get(join, "")
    return f"SELECT p.id FROM pairs p {joins} WHERE {where} ORDER BY {expr} {direction}, p.id {direction}"


def decode_problems(mask: int | None) -> list[str]:
    """Problem codes of a ``pair_keys.problems`` mask."""
    if not mask:
        return []
    return [code for code, bit in PROBLEM_BITS.items() if mask & bit]
