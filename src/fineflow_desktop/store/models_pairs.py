"""``pair_keys``: per-pair review keys kept in step with ``pairs`` by SQLite triggers.

Why a side table: ``pairs`` rows carry long texts, so any filter or sort that must look at every
row (validity, duplicate user messages, text order) reads the whole table — about 1 s at 100k
pairs — and SQLite 3.40 cannot serve expression indexes as covering indexes. ``pair_keys`` holds
small derived values with their own indexes, so those queries become index scans:

* ``user_key``  = ``lower(trim(user))`` — the duplicate key (same normalized user message) and
  the user-column sort key;
* ``system_key`` / ``assistant_key`` = the first ``TEXT_KEY_CHARS`` characters lower-cased —
  sort keys (ties beyond the prefix keep id order);
* ``problems`` = bitmask of the format problems ``core.validation`` reports (``PROBLEM_BITS``;
  the token limit is checked on ``pairs.n_tokens`` because it depends on the target model);
* ``injection`` = 1 when ``pairs.meta.injection_flags`` is non-empty;
* ``tags`` = the tag list (JSON), for tag filters/options without reading pair rows.

Triggers (``pair_keys_ai/au/ad``) fill the table on insert, on update of the source columns and
on delete, whatever code writes ``pairs``. Like the FTS triggers, they are dropped when a later
migration rebuilds ``pairs`` with ``batch_alter_table``; ``services.pairs.ensure_review_index``
re-installs them and backfills (it compares the stored trigger SQL with ``trigger_sql()``).
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from fineflow_desktop.core.validation import VALID_MESSAGE_KEYS, VALID_ROLES
from fineflow_desktop.store.models import Base

TEXT_KEY_CHARS = 40


class PairKeys(Base):
    """Derived review keys of one pair (see module docstring); written only by triggers."""

    __tablename__ = "pair_keys"
    pair_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(Integer)
    user_key: Mapped[str] = mapped_column(Text, default="")
    system_key: Mapped[str] = mapped_column(Text, default="")
    assistant_key: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[int] = mapped_column(Integer, default=0)
    injection: Mapped[int] = mapped_column(Integer, default=0)
    tags: Mapped[str] = mapped_column(Text, default="[]")

    __table_args__ = (
        # Only the two indexes that turn whole-table work into index scans; the other keys are
        # small enough to scan (~20-60 ms at 100k) and every index slows inserts (imports).
        Index("ix_pair_keys_user", "dataset_id", "user_key"),
        Index("ix_pair_keys_problems", "dataset_id", "problems"),
    )


# --------------------------------------------------------------------------------------------
# Validity rules as SQL (mirrors core.validation._format_errors; tests check they agree)
# --------------------------------------------------------------------------------------------

# Python's str.isspace() characters, so SQL trim() agrees with str.strip().
WS = ("char(9,10,11,12,13,28,29,30,31,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,"
      "8201,8202,8232,8233,8239,8287,12288)")
PROBLEM_CODES = (
    "missing_messages_list", "data_type", "message_missing_key", "message_unrecognized_key",
    "unrecognized_role", "missing_content", "invalid_weight", "example_missing_assistant_message",
)
PROBLEM_BITS = {code: 1 << i for i, code in enumerate(PROBLEM_CODES)}


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


def problem_sql(a: str) -> dict[str, str]:
    """SQL expressions (0/1) per problem code over the pair row alias *a* (e.g. ``p`` or ``new``).

    ``kind``: 's' single-turn (text columns), 'm' a message list, 'x' an unusable ``messages``.
    """
    m = f"{a}.messages"
    kind = (f"(CASE WHEN {m} IS NULL THEN 's' WHEN NOT json_valid({m}) THEN 'x' "
            f"WHEN json_type({m}) = 'null' THEN 's' WHEN json_type({m}) <> 'array' THEN 'x' "
            f"WHEN json_array_length({m}) = 0 THEN 's' ELSE 'm' END)")
    obj = "j.type = 'object'"
    role = "json_extract(j.value, '$.role')"

    def jt(key: str) -> str:
        return f"json_type(j.value, '$.{key}')"

    def truthy(key: str) -> str:  # Python truthiness of message[key]
        path = f"'$.{key}'"
        return (f"(CASE {jt(key)} WHEN 'array' THEN json_array_length(j.value, {path}) > 0 "
                f"WHEN 'object' THEN json_extract(j.value, {path}) <> '{{}}' "
                f"WHEN 'text' THEN json_extract(j.value, {path}) <> '' "
                f"WHEN 'integer' THEN json_extract(j.value, {path}) <> 0 "
                f"WHEN 'real' THEN json_extract(j.value, {path}) <> 0 WHEN 'true' THEN 1 ELSE 0 END)")

    def any_message(cond: str) -> str:
        return f"EXISTS (SELECT 1 FROM json_each({m}) j WHERE {cond})"

    def when_list(expr: str) -> str:
        return f"(CASE {kind} WHEN 'm' THEN ({expr}) ELSE 0 END)"

    ctype = f"coalesce({jt('content')}, 'null')"
    # Python: content not None and not str/list, or (no tool/function call, role user/assistant,
    # content not a list and not a non-blank string).
    empty_content = (
        f"{obj} AND (({ctype} NOT IN ('null', 'text', 'array')) OR ("
        f"NOT {truthy('tool_calls')} AND NOT {truthy('function_call')} AND {role} IN ('user', 'assistant') "
        f"AND {ctype} <> 'array' AND ({ctype} <> 'text' OR trim(json_extract(j.value, '$.content'), {WS}) = '')))"
    )
    return {
        "missing_messages_list": f"({kind} = 'x')",
        "data_type": when_list(any_message("j.type <> 'object'")),
        "message_missing_key": when_list(any_message(
            f"{obj} AND ({jt('role')} IS NULL OR ({jt('content')} IS NULL AND {jt('tool_calls')} IS NULL))")),
        "message_unrecognized_key": when_list(any_message(
            f"{obj} AND EXISTS (SELECT 1 FROM json_each(j.value) k WHERE k.key NOT IN ({_sql_list(VALID_MESSAGE_KEYS)}))")),
        "unrecognized_role": when_list(any_message(
            f"{obj} AND {jt('role')} IS NOT NULL AND {jt('role')} <> 'null' "
            f"AND ({jt('role')} <> 'text' OR {role} NOT IN ({_sql_list(VALID_ROLES)}))")),
        "missing_content": (
            f"(CASE {kind} WHEN 's' THEN (trim({a}.user, {WS}) = '' OR trim({a}.assistant, {WS}) = '') "
            f"WHEN 'm' THEN {any_message(empty_content)} ELSE 0 END)"),
        "invalid_weight": when_list(any_message(
            f"{obj} AND {jt('weight')} IS NOT NULL AND {jt('weight')} <> 'null' AND NOT "
            f"({jt('weight')} IN ('integer', 'real') AND json_extract(j.value, '$.weight') IN (0, 1))")),
        "example_missing_assistant_message": when_list("NOT " + any_message(f"{obj} AND {role} = 'assistant'")),
    }


def problems_mask_sql(a: str) -> str:
    """SQL integer: the ``PROBLEM_BITS`` mask of row alias *a*."""
    return "(" + " + ".join(f"({expr}) * {PROBLEM_BITS[code]}" for code, expr in problem_sql(a).items()) + ")"


def _values_sql(a: str) -> str:
    return (
        f"{a}.id, {a}.dataset_id, lower(trim({a}.user)), lower(substr({a}.system, 1, {TEXT_KEY_CHARS})), "
        f"lower(substr({a}.assistant, 1, {TEXT_KEY_CHARS})), {problems_mask_sql(a)}, "
        f"(coalesce(json_array_length({a}.meta, '$.injection_flags'), 0) > 0), coalesce({a}.tags, '[]')"
    )


_COLUMNS = "pair_id, dataset_id, user_key, system_key, assistant_key, problems, injection, tags"


def trigger_sql() -> dict[str, str]:
    """``CREATE TRIGGER`` statements keeping ``pair_keys`` in step with ``pairs``."""
    upsert = f"INSERT OR REPLACE INTO pair_keys ({_COLUMNS}) SELECT {_values_sql('new')};"
    return {
        "pair_keys_ai": f"CREATE TRIGGER pair_keys_ai AFTER INSERT ON pairs BEGIN {upsert} END",
        "pair_keys_au": (
            "CREATE TRIGGER pair_keys_au AFTER UPDATE OF dataset_id, system, user, assistant, messages, meta, tags "
            f"ON pairs BEGIN {upsert} END"),
        "pair_keys_ad": "CREATE TRIGGER pair_keys_ad AFTER DELETE ON pairs BEGIN DELETE FROM pair_keys WHERE pair_id = old.id; END",
    }


def backfill_sql() -> str:
    """Recompute every ``pair_keys`` row from ``pairs``."""
    return f"INSERT OR REPLACE INTO pair_keys ({_COLUMNS}) SELECT {_values_sql('p')} FROM pairs p"
