"""Canonical training-example helpers: message lists from pair fields and content hashes."""

from __future__ import annotations

import hashlib
import json


def pair_messages(system: str, user: str, assistant: str, messages: list | None = None) -> list[dict]:
    """OpenAI-style message list: *messages* when given (multi-turn), else system/user/assistant
    (the system message is omitted when empty)."""
    if messages:
        return messages
    out = [{"role": "system", "content": system}] if system else []
    out += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    return out


def content_hash(messages: list[dict], extra: dict | None = None) -> str:
    """sha256 hex of the canonical JSON of *messages* (+ *extra*, e.g. preferences): the
    dedupe key for re-imports and re-generation."""
    payload = {"messages": messages, **({"extra": extra} if extra else {})}
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
