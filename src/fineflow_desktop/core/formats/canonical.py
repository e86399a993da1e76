"""The canonical training example every reader produces and every writer consumes.

Shape (a plain dict, JSON-serialisable)::

    {
      "messages": [{"role": "system"|"user"|"assistant"|"tool", "content": str | list | None,
                    ["name"], ["weight": 0|1], ["tool_calls": [...]], ["tool_call_id"], ...}, ...],
      "tools": [...],                      # optional, OpenAI function-tool definitions
      "preferred": [assistant messages],   # optional, preference (DPO) data
      "non_preferred": [assistant messages],
      "extra": {...},                      # optional, the record's other top-level fields
    }

For a preference example ``messages`` is the whole chosen conversation (the prompt followed by
the ``preferred`` turns), so every SFT writer can use it directly; ``preferred`` and
``non_preferred`` keep both completions. Message keys other than the OpenAI ones are kept
verbatim (writers drop what their format cannot hold).

The OpenAI message keys follow the fine-tuning chat format (platform docs "Supervised
fine-tuning", and ``FineTuneChatCompletionRequestAssistantMessage`` in the OpenAI OpenAPI spec:
``weight`` is 0 or 1 on assistant messages).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from fineflow_desktop.core.examples import content_hash

ROLES = ("system", "developer", "user", "assistant", "tool", "function")
#: Keys the OpenAI fine-tuning chat format accepts on a message.
OPENAI_MESSAGE_KEYS = ("role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call", "refusal")
#: Keys that make up "the conversation" when two examples are compared (round trips, hashes).
CONVERSATION_KEYS = ("role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call")


class RecordError(ValueError):
    """A record does not fit its format. ``field`` is a JSON path like ``messages[2].role``."""

    def __init__(self, field: str | None, reason: str):
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


def text_of(content: Any) -> str:
    """Plain text of a message content (string, or the text parts of a content list)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(_part_text(p) or "" for p in content)
    return json.dumps(content, ensure_ascii=False)


def _part_text(part: Any) -> str | None:
    """Text of a content part: OpenAI ``{"type":"text","text"}`` or LLaMA-Factory ``"value"``."""
    if isinstance(part, str):
        return part
    if isinstance(part, Mapping) and part.get("type", "text") == "text":
        value = part.get("text", part.get("value"))
        return value if isinstance(value, str) else None
    return None


def normalize_content(content: Any) -> Any:
    """A content list made only of text parts becomes one string; anything else is unchanged."""
    if isinstance(content, list) and content:
        texts = [_part_text(p) for p in content]
        if all(t is not None for t in texts):
            return "".join(texts)  # type: ignore[arg-type]
    return content


def conversation_of(example: Mapping) -> dict:
    """The parts of an example that define its conversation (for hashing and comparisons).

    Messages are reduced to ``CONVERSATION_KEYS``; ``tools`` and the preference outputs are
    included when present. Extra record fields (ids, titles, labels) are not.
    """
    conv: dict[str, Any] = {
        "messages": [{k: m[k] for k in CONVERSATION_KEYS if k in m and m[k] is not None} for m in example.get("messages", [])]
    }
    for key in ("tools", "preferred", "non_preferred"):
        if example.get(key):
            value = example[key]
            if key != "tools":
                value = [{k: m[k] for k in CONVERSATION_KEYS if k in m and m[k] is not None} for m in value]
            conv[key] = value
    return conv


def example_hash(example: Mapping) -> str:
    """sha256 hex of the conversation (``conversation_of``): the dedupe key stored in
    ``pairs.content_hash``. Computed by ``core.examples.content_hash`` (messages + tools and
    preferences as its *extra*) so a simple imported pair hashes like a generated one."""
    conv = conversation_of(example)
    extra = {k: v for k, v in conv.items() if k != "messages"}
    return content_hash(conv["messages"], extra or None)


def is_simple(messages: Iterable[Mapping]) -> bool:
    """True for ``[system?] user assistant`` with only string role/content keys: such an
    example fits the pair table's text columns and needs no ``messages`` list."""
    msgs = list(messages)
    roles = [m.get("role") for m in msgs]
    if roles not in (["user", "assistant"], ["system", "user", "assistant"]):
        return False
    return all(set(m) <= {"role", "content"} and isinstance(m.get("content"), str) for m in msgs)


def first_text(messages: Iterable[Mapping], role: str) -> str:
    """Text of the first message with *role* that has text (mirrored into the text columns)."""
    for m in messages:
        if m.get("role") == role:
            text = text_of(m.get("content"))
            if text:
                return text
    return ""


def example_to_row(example: Mapping) -> dict:
    """Pair-table columns for an example: ``system``, ``user``, ``assistant``, ``messages``
    (None for simple single-turn examples) and ``meta`` (tools, preferences, extra fields)."""
    messages = list(example.get("messages", []))
    meta: dict[str, Any] = {}
    if example.get("tools"):
        meta["tools"] = example["tools"]
    if example.get("preferred") is not None or example.get("non_preferred") is not None:
        meta["preferred_output"] = list(example.get("preferred") or [])
        meta["non_preferred_output"] = list(example.get("non_preferred") or [])
    if example.get("extra"):
        meta["extra"] = dict(example["extra"])
    return {
        "system": first_text(messages, "system"),
        "user": first_text(messages, "user"),
        "assistant": first_text(messages, "assistant"),
        "messages": None if is_simple(messages) else messages,
        "meta": meta,
    }


def example_from_row(system: str, user: str, assistant: str, messages: list | None, meta: Mapping | None) -> dict:
    """Rebuild the canonical example from pair-table columns (inverse of ``example_to_row``).

    The ``messages`` list is authoritative when set; otherwise the text columns make
    ``[system?, user, assistant]``. Preferences come from ``meta``: ``preferred`` is the current
    trailing assistant turns (so an edit in the pair editor is exported), ``non_preferred`` the
    stored rejected output.
    """
    meta = meta or {}
    if messages:
        msgs = [dict(m) for m in messages]
    else:
        msgs = []
        if system:
            msgs.append({"role": "system", "content": system})
        msgs.append({"role": "user", "content": user or ""})
        msgs.append({"role": "assistant", "content": assistant or ""})
    example: dict[str, Any] = {"messages": msgs}
    if meta.get("tools"):
        example["tools"] = meta["tools"]
    if "non_preferred_output" in meta:
        n_pref = max(1, len(meta.get("preferred_output") or []))
        tail = trailing_assistant(msgs)
        example["preferred"] = tail[-n_pref:] if tail else list(meta.get("preferred_output") or [])
        example["non_preferred"] = list(meta.get("non_preferred_output") or [])
    if meta.get("extra"):
        example["extra"] = dict(meta["extra"])
    return example


def trailing_assistant(messages: list[Mapping]) -> list[dict]:
    """The assistant messages at the end of *messages* (after the last non-assistant one)."""
    i = len(messages)
    while i > 0 and messages[i - 1].get("role") == "assistant":
        i -= 1
    return [dict(m) for m in messages[i:]]


def prompt_messages(example: Mapping) -> list[dict]:
    """The prompt of a preference example: ``messages`` without its trailing preferred turns."""
    msgs = list(example.get("messages", []))
    n = len(example.get("preferred") or [])
    if n and len(msgs) >= n and all(m.get("role") == "assistant" for m in msgs[-n:]):
        msgs = msgs[:-n]
    return [dict(m) for m in msgs]


def check_messages(messages: Any, field: str = "messages") -> list[dict]:
    """Check a message list's shape; returns it as a list of dicts.

    Raises ``RecordError`` naming the field for: not a non-empty list, a message that is not an
    object, a missing/unknown ``role``, or a message without ``content`` that has no tool call.
    Content lists of text parts are normalised to a string (``normalize_content``).
    """
    if not isinstance(messages, list):
        raise RecordError(field, f"expected a list of messages, got {type(messages).__name__}")
    if not messages:
        raise RecordError(field, "empty message list")
    out = []
    for i, m in enumerate(messages):
        where = f"{field}[{i}]"
        if not isinstance(m, Mapping):
            raise RecordError(where, f"expected an object, got {type(m).__name__}")
        role = m.get("role")
        if not isinstance(role, str):
            raise RecordError(f"{where}.role", "missing")
        if role not in ROLES:
            raise RecordError(f"{where}.role", f"unknown role {role!r} (expected one of {', '.join(ROLES)})")
        msg = dict(m)
        if "content" not in msg and not (msg.get("tool_calls") or msg.get("function_call")):
            raise RecordError(f"{where}.content", "missing")
        if "content" in msg:
            msg["content"] = normalize_content(msg["content"])
        out.append(msg)
    return out
