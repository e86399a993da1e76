"""CSV column mapping: which column holds the system prompt, question, answer, confidence.

A column map is ``{field: column_name}`` with fields ``system``, ``user``, ``assistant``,
``confidence`` (transcripts) and, for utterance-per-row transcripts, ``conversation``,
``speaker`` and ``text``. ``guess_column_map`` proposes one from common header names
(case-insensitive); the user can override every entry in the import dialog or with the API.
"""

from __future__ import annotations

import re
from typing import Mapping

from fineflow_desktop.core.formats.canonical import RecordError

FIELDS = ("system", "user", "assistant", "confidence", "conversation", "speaker", "text")
ALIASES: dict[str, tuple[str, ...]] = {
    "system": ("system", "system_prompt", "system prompt", "system_message"),
    "user": ("user", "question", "prompt", "instruction", "input", "query", "human", "user_message", "customer"),
    "assistant": ("assistant", "answer", "response", "output", "completion", "gpt", "reply", "assistant_message", "agent"),
    "confidence": ("confidence", "score", "conf", "probability", "confidence_score"),
    "conversation": ("conversation_id", "conversation", "call_id", "session_id", "transcript_id", "dialog_id", "dialogue_id"),
    "speaker": ("speaker", "role", "from", "author", "speaker_role"),
    "text": ("text", "utterance", "content", "value", "transcript", "message"),
}

_ID_LIKE = re.compile(r"(^|[_\s-])(id|uuid|index|idx|#)$|^(id|no|nr|row)$", re.IGNORECASE)


def guess_column_map(header: list[str]) -> dict[str, str]:
    """Propose a column map for *header*; fields without a matching column are left out.

    Utterance-style columns (conversation/speaker/text) are only proposed when all three exist,
    and then ``user``/``assistant`` are not (a row is one utterance, not a pair).
    """
    lower = {h.lower().strip(): h for h in header}
    found: dict[str, str] = {}
    taken: set[str] = set()
    for fieldname in ("conversation", "speaker", "text", "confidence", "system", "user", "assistant"):
        for alias in ALIASES[fieldname]:
            col = lower.get(alias)
            if col is not None and col not in taken:
                found[fieldname] = col
                taken.add(col)
                break
    if all(k in found for k in ("conversation", "speaker", "text")):
        found.pop("user", None)
        found.pop("assistant", None)
    else:
        for k in ("conversation", "speaker", "text"):
            found.pop(k, None)
        if "user" not in found or "assistant" not in found:
            # fall back to the first two unused columns that are not ids, in order
            rest = [h for h in header if h not in found.values() and not _ID_LIKE.search(h)]
            for k in ("user", "assistant"):
                if k not in found and rest:
                    found[k] = rest.pop(0)
    return found


def is_utterance_map(column_map: Mapping[str, str]) -> bool:
    """True when rows are single utterances grouped into conversations."""
    return all(column_map.get(k) for k in ("conversation", "speaker", "text"))


def check_column_map(column_map: Mapping[str, str], header: list[str]) -> None:
    """Raise ``RecordError`` naming a mapped column absent from *header* or a missing field."""
    for fieldname, col in column_map.items():
        if fieldname not in FIELDS:
            raise RecordError("column_map", f"unknown field {fieldname!r} (expected {', '.join(FIELDS)})")
        if col and col not in header:
            raise RecordError("column_map", f"column {col!r} for {fieldname} is not in the header ({', '.join(header)})")
    if not is_utterance_map(column_map) and not (column_map.get("user") and column_map.get("assistant")):
        raise RecordError("column_map", "map a 'user' and an 'assistant' column (or conversation, speaker and text)")


def read_csv_row(row: Mapping[str, str], column_map: Mapping[str, str]) -> dict:
    """A CSV row → canonical single-turn example; other columns go to ``extra``.

    Raises ``RecordError`` naming the column when the question or answer is empty.
    """
    messages = []
    used = {c for c in column_map.values() if c}
    system_col = column_map.get("system")
    if system_col and row.get(system_col, "").strip():
        messages.append({"role": "system", "content": row[system_col]})
    for fieldname in ("user", "assistant"):
        col = column_map[fieldname]
        value = row.get(col, "")
        if not value.strip():
            raise RecordError(col, f"empty {fieldname} text")
        messages.append({"role": fieldname, "content": value})
    example: dict = {"messages": messages}
    extra = {k: v for k, v in row.items() if k not in used and v != ""}
    if extra:
        example["extra"] = extra
    return example
