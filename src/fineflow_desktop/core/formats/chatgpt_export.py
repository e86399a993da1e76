"""ChatGPT data export (``conversations.json`` from the export zip) → linear conversations.

Each conversation in the export is a message *tree*: ``mapping`` maps node ids to
``{"id", "message", "parent", "children"}`` and ``current_node`` is the leaf the user last saw.
Regenerated answers and edited prompts are sibling branches; the conversation the user actually
had is the path from ``current_node`` up through ``parent`` links to the root, reversed.

Kept along that path: visible ``system``/``user``/``assistant`` messages addressed to everyone
(``recipient`` "all") whose content is text (``content_type`` text, multimodal_text, code). Tool
traffic (browsing, code execution, ``tool`` messages), hidden system messages and empty
messages are dropped; consecutive turns of the same role are joined with a blank line so the
result alternates. The title, conversation id and create time go to ``extra``.
"""

from __future__ import annotations

from typing import Any, Mapping

from fineflow_desktop.core.formats.canonical import RecordError

TEXT_CONTENT_TYPES = ("text", "multimodal_text", "code")
MAX_DEPTH = 100_000  # guards against a cycle in a damaged mapping


def branch_nodes(conversation: Mapping) -> list[Mapping]:
    """Nodes from the root to ``current_node`` (falls back to the last leaf when it is missing).

    Raises ``RecordError`` when ``mapping`` is missing or the parent links form a cycle.
    """
    mapping = conversation.get("mapping")
    if not isinstance(mapping, Mapping) or not mapping:
        raise RecordError("mapping", "missing or empty")
    node_id = conversation.get("current_node")
    if node_id not in mapping:
        leaves = [k for k, n in mapping.items() if isinstance(n, Mapping) and not n.get("children")]
        if not leaves:
            raise RecordError("current_node", "missing and the tree has no leaf")
        node_id = leaves[-1]
    path = []
    seen = set()
    while node_id is not None and node_id in mapping:
        if node_id in seen or len(path) > MAX_DEPTH:
            raise RecordError("mapping", f"parent links form a cycle at node {node_id!r}")
        seen.add(node_id)
        node = mapping[node_id]
        path.append(node)
        node_id = node.get("parent") if isinstance(node, Mapping) else None
    path.reverse()
    return path


def _message_text(message: Mapping) -> str:
    content = message.get("content") or {}
    ctype = content.get("content_type", "text")
    if ctype not in TEXT_CONTENT_TYPES:
        return ""
    if ctype == "code":
        return content.get("text") or ""
    parts = content.get("parts") or []
    return "\n".join(p for p in parts if isinstance(p, str)).strip()


def _visible(message: Mapping) -> bool:
    meta = message.get("metadata") or {}
    if meta.get("is_visually_hidden_from_conversation"):
        return False
    return message.get("recipient", "all") == "all"


def read_chatgpt(record: Mapping) -> dict:
    """One conversation of ``conversations.json`` → canonical example (current branch only).

    Raises ``RecordError`` if the tree is malformed or the branch holds no user/assistant text.
    """
    if not isinstance(record, Mapping):
        raise RecordError(None, "expected a conversation object")
    messages: list[dict] = []
    for node in branch_nodes(record):
        message = node.get("message") if isinstance(node, Mapping) else None
        if not isinstance(message, Mapping):
            continue
        role = (message.get("author") or {}).get("role")
        if role not in ("system", "user", "assistant") or not _visible(message):
            continue
        text = _message_text(message)
        if not text:
            continue
        if messages and messages[-1]["role"] == role:
            messages[-1]["content"] += "\n\n" + text
        else:
            messages.append({"role": role, "content": text})
    if not any(m["role"] == "assistant" for m in messages):
        raise RecordError("mapping", "the current branch has no assistant text")
    extra = {k: record[k] for k in ("title", "id", "conversation_id", "create_time") if k in record}
    example: dict[str, Any] = {"messages": messages}
    if extra:
        example["extra"] = extra
    return example
