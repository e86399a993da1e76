"""Canonical example → one record of each export format.

Every writer takes ``(example, include_system=True)`` and returns a JSON-ready dict, or raises
``Unrepresentable(reason)`` when the format cannot hold the example (e.g. tool calls in
Alpaca); the export then skips that pair and reports it. Formats and their sources are those
listed in ``readers``; preference examples export their chosen conversation in the SFT formats
and both completions in ``openai-dpo``.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping

from fineflow_desktop.core.formats.canonical import OPENAI_MESSAGE_KEYS, prompt_messages

Writer = Callable[..., dict]
EXPORT_FORMATS = ("openai", "openai-dpo", "anthropic", "bedrock", "alpaca", "sharegpt", "hf-chat")
EXPORT_LABELS = {
    "openai": "OpenAI chat fine-tuning (messages)",
    "openai-dpo": "OpenAI DPO (preferences)",
    "anthropic": "Anthropic legacy (prompt / completion)",
    "bedrock": "Amazon Bedrock Claude (system + messages)",
    "alpaca": "Alpaca (instruction / input / output)",
    "sharegpt": "ShareGPT (from / value)",
    "hf-chat": "Hugging Face chat (messages role / content)",
}


class Unrepresentable(ValueError):
    """The example cannot be written in the requested format; the message says why."""


def _messages(example: Mapping, include_system: bool) -> list[dict]:
    msgs = [dict(m) for m in example.get("messages", [])]
    if not include_system:
        msgs = [m for m in msgs if m.get("role") not in ("system", "developer")]
    return msgs


def _openai_message(m: Mapping) -> dict:
    out = {k: m[k] for k in OPENAI_MESSAGE_KEYS if k in m}
    if out.get("role") != "assistant":
        out.pop("weight", None)  # OpenAI accepts weight on assistant messages only
    elif "weight" in out and out["weight"] in (0, 1):
        out["weight"] = int(out["weight"])
    return out


def write_openai(example: Mapping, include_system: bool = True) -> dict:
    """``{"messages": [...], ["tools"], ["parallel_tool_calls"]}`` with only OpenAI message keys."""
    record: dict[str, Any] = {"messages": [_openai_message(m) for m in _messages(example, include_system)]}
    if example.get("tools"):
        record["tools"] = example["tools"]
    ptc = (example.get("extra") or {}).get("parallel_tool_calls")
    if isinstance(ptc, bool):
        record["parallel_tool_calls"] = ptc
    return record


def write_openai_dpo(example: Mapping, include_system: bool = True) -> dict:
    """``{"input": {"messages", ["tools"]}, "preferred_output": [...], "non_preferred_output": [...]}``."""
    if not example.get("preferred") or not example.get("non_preferred"):
        raise Unrepresentable("no preference data (preferred and non-preferred output)")
    prompt = [m for m in prompt_messages(example) if include_system or m.get("role") not in ("system", "developer")]
    if not prompt:
        raise Unrepresentable("the preference example has no prompt messages")
    inp: dict[str, Any] = {"messages": [_openai_message(m) for m in prompt]}
    if example.get("tools"):
        inp["tools"] = example["tools"]
    return {
        "input": inp,
        "preferred_output": [_openai_message(m) for m in example["preferred"]],
        "non_preferred_output": [_openai_message(m) for m in example["non_preferred"]],
    }


def _plain_turns(example: Mapping, include_system: bool) -> tuple[str, list[tuple[str, str]]]:
    """(system text, [(user, assistant), ...]) for formats without tools or roles beyond two.

    Raises ``Unrepresentable`` unless the non-system messages alternate user/assistant, start
    with user, end with assistant and hold plain text.
    """
    systems, turns, pending_user = [], [], None
    for i, m in enumerate(example.get("messages", [])):
        role, content = m.get("role"), m.get("content")
        if m.get("tool_calls") or m.get("function_call") or role in ("tool", "function"):
            raise Unrepresentable("tool calls cannot be written in this format")
        if not isinstance(content, str):
            raise Unrepresentable(f"messages[{i}] content is not plain text")
        if role in ("system", "developer"):
            if turns or pending_user is not None:
                raise Unrepresentable("a system message in the middle of the conversation")
            systems.append(content)
        elif role == "user":
            if pending_user is not None:
                raise Unrepresentable(f"messages[{i}]: two user messages in a row")
            pending_user = content
        elif role == "assistant":
            if pending_user is None:
                raise Unrepresentable(f"messages[{i}]: an assistant message without a user message before it")
            turns.append((pending_user, content))
            pending_user = None
        else:
            raise Unrepresentable(f"messages[{i}]: role {role!r} has no equivalent")
    if pending_user is not None:
        raise Unrepresentable("the conversation does not end with an assistant message")
    if not turns:
        raise Unrepresentable("no user/assistant exchange")
    return ("\n\n".join(systems) if include_system else ""), turns


def write_anthropic(example: Mapping, include_system: bool = True) -> dict:
    """Legacy ``{"prompt": "<system>\\n\\nHuman: …\\n\\nAssistant:", "completion": " …"}``."""
    system, turns = _plain_turns(example, include_system)
    prompt = system
    for user, assistant in turns[:-1]:
        prompt += f"\n\nHuman: {user}\n\nAssistant: {assistant}"
    prompt += f"\n\nHuman: {turns[-1][0]}\n\nAssistant:"
    return {"prompt": prompt, "completion": " " + turns[-1][1]}


def write_bedrock(example: Mapping, include_system: bool = True) -> dict:
    """Bedrock Claude ``{"system": str, "messages": [{"role", "content"}]}`` (system omitted when empty)."""
    system, turns = _plain_turns(example, include_system)
    record: dict[str, Any] = {}
    if system:
        record["system"] = system
    record["messages"] = [
        msg for user, assistant in turns
        for msg in ({"role": "user", "content": user}, {"role": "assistant", "content": assistant})
    ]
    return record


def write_alpaca(example: Mapping, include_system: bool = True) -> dict:
    """``{"instruction", "input": "", "output", ["system"], ["history"]}`` (LLaMA-Factory keys)."""
    system, turns = _plain_turns(example, include_system)
    record: dict[str, Any] = {"instruction": turns[-1][0], "input": "", "output": turns[-1][1]}
    if system:
        record["system"] = system
    if len(turns) > 1:
        record["history"] = [[u, a] for u, a in turns[:-1]]
    return record


def write_sharegpt(example: Mapping, include_system: bool = True) -> dict:
    """``{"conversations": [{"from": system|human|gpt|function_call|observation, "value"}], ["tools"]}``."""
    turns = []
    for i, m in enumerate(_messages(example, include_system)):
        role, content = m.get("role"), m.get("content")
        if content is not None and not isinstance(content, str):
            raise Unrepresentable(f"messages[{i}] content is not plain text")
        if role in ("system", "developer"):
            turns.append({"from": "system", "value": content or ""})
        elif role == "user":
            turns.append({"from": "human", "value": content or ""})
        elif role == "assistant":
            if content:
                turns.append({"from": "gpt", "value": content})
            calls = m.get("tool_calls")
            if calls:
                turns.append({"from": "function_call", "value": _calls_value(calls)})
            elif not content:
                turns.append({"from": "gpt", "value": content or ""})
        elif role in ("tool", "function"):
            turns.append({"from": "observation", "value": content or ""})
        else:
            raise Unrepresentable(f"messages[{i}]: role {role!r} has no ShareGPT equivalent")
    record: dict[str, Any] = {"conversations": turns}
    if example.get("tools"):
        record["tools"] = json.dumps([t.get("function", t) for t in example["tools"]], ensure_ascii=False)
    return record


def _calls_value(calls: list) -> str:
    out = []
    for call in calls:
        fn = call.get("function", call)
        args = fn.get("arguments", {})
        if isinstance(args, str):
            try:
                args = json.loads(args)
            except ValueError:
                pass  # keep the text verbatim
        out.append({"name": fn.get("name"), "arguments": args})
    return json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False)


def write_hf_chat(example: Mapping, include_system: bool = True) -> dict:
    """``{"messages": [{"role", "content", [tool_calls], [tool_call_id], [name]}], ["tools"]}``
    (transformers chat-template shape; OpenAI-only keys such as ``weight`` are dropped)."""
    keep = ("role", "content", "name", "tool_calls", "tool_call_id")
    record: dict[str, Any] = {
        "messages": [{k: m[k] for k in keep if k in m} for m in _messages(example, include_system)]
    }
    if example.get("tools"):
        record["tools"] = example["tools"]
    return record


WRITERS: dict[str, Writer] = {
    "openai": write_openai,
    "openai-dpo": write_openai_dpo,
    "anthropic": write_anthropic,
    "bedrock": write_bedrock,
    "alpaca": write_alpaca,
    "sharegpt": write_sharegpt,
    "hf-chat": write_hf_chat,
}
