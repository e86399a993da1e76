"""Guess a dataset's schema from its first records (the user can always override it).

``detect_record`` looks at one record's keys and shapes; ``detect_format`` votes over the
first records (default 20) so one odd record does not decide. CSV files are ``transcript``
when a confidence column exists, else ``csv`` (column mapping).

Import format names: ``openai``, ``openai-dpo``, ``anthropic``, ``bedrock``, ``alpaca``,
``sharegpt``, ``hf-chat``, ``chatgpt`` (ChatGPT data export), ``csv``, ``transcript``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

IMPORT_FORMATS = ("openai", "openai-dpo", "anthropic", "bedrock", "alpaca", "sharegpt", "hf-chat", "chatgpt", "csv", "transcript")
FORMAT_LABELS = {
    "openai": "OpenAI chat (messages)",
    "openai-dpo": "OpenAI DPO (input / preferred_output / non_preferred_output)",
    "anthropic": "Anthropic legacy (prompt / completion)",
    "bedrock": "Bedrock Claude (system + messages)",
    "alpaca": "Alpaca (instruction / input / output)",
    "sharegpt": "ShareGPT (conversations from / value)",
    "hf-chat": "Hugging Face chat (role / content)",
    "chatgpt": "ChatGPT data export (conversations.json)",
    "csv": "CSV with column mapping",
    "transcript": "Transcript CSV with confidence",
}


def _items_with(value: Any, *keys: str) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(m, Mapping) and all(k in m for k in keys) for m in value)


def detect_record(record: Any) -> str | None:
    """The schema name one JSON record looks like, or None."""
    if not isinstance(record, Mapping):
        return None
    if "mapping" in record and "current_node" in record:
        return "chatgpt"
    if isinstance(record.get("input"), Mapping) and "preferred_output" in record:
        return "openai-dpo"
    if isinstance(record.get("prompt"), str) and "completion" in record:
        return "anthropic"
    messages = record.get("messages")
    if _items_with(messages, "role"):
        if isinstance(record.get("system"), str) and not any(m.get("role") == "system" for m in messages):
            return "bedrock"
        return "openai"
    conversations = record.get("conversations")
    if _items_with(conversations, "from", "value") or _items_with(messages, "from", "value"):
        return "sharegpt"
    if _items_with(conversations, "role"):
        return "hf-chat"
    if _items_with(record.get("chosen"), "role"):
        return "hf-chat"
    if "instruction" in record and ("output" in record or "chosen" in record):
        return "alpaca"
    return None


def detect_format(records: Iterable[Any], limit: int = 20) -> str | None:
    """Majority schema of the first *limit* records that look like any schema; None if none."""
    votes: Counter[str] = Counter()
    for i, record in enumerate(records):
        if i >= limit:
            break
        name = detect_record(record)
        if name:
            votes[name] += 1
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def detect_csv(header: list[str]) -> str:
    """``transcript`` when the header has a confidence-like column, else ``csv``."""
    from fineflow_desktop.core.formats.columns import ALIASES

    names = {h.lower().strip() for h in header}
    return "transcript" if names & set(ALIASES["confidence"]) else "csv"
