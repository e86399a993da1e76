"""One reader per dataset schema: a record (dict) → canonical example (see ``canonical``).

Every reader raises ``RecordError(field, reason)`` for a record that does not fit, so the
import report can name the line and field. Tool calls, names, weights and unknown message keys
are kept verbatim; unknown top-level fields go to ``example["extra"]``.

Schema sources:
* OpenAI chat / DPO: platform.openai.com fine-tuning guides ("Supervised fine-tuning",
  "Direct preference optimization": ``input``/``preferred_output``/``non_preferred_output``).
* Anthropic legacy: ``prompt`` with ``"\\n\\nHuman: … \\n\\nAssistant:"`` turns + ``completion``
  (Anthropic Text Completions API); without the markers it is OpenAI's legacy prompt/completion.
* Bedrock Claude: ``{"system", "messages": [{"role","content"}]}`` (AWS Bedrock "Prepare data
  for fine-tuning Claude 3 Haiku").
* Alpaca / ShareGPT incl. ``system``, ``history``, ``tools``, ``function_call``/``observation``
  and ``chosen``/``rejected``: LLaMA-Factory ``data/README.md`` and its converters
  (``AlpacaDatasetConverter`` joins instruction and input with ``"\\n"``).
* Hugging Face chat: ``messages``/``conversations`` with ``role``/``content`` (transformers chat
  templates); ``chosen``/``rejected`` message lists as in TRL preference datasets.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping

from fineflow_desktop.core.formats.canonical import RecordError, check_messages, normalize_content

Reader = Callable[[Mapping], dict]


def _require_dict(record: Any) -> Mapping:
    if not isinstance(record, Mapping):
        raise RecordError(None, f"expected a JSON object, got {type(record).__name__}")
    return record


def _extra(record: Mapping, used: set[str]) -> dict:
    return {k: v for k, v in record.items() if k not in used}


def _finish(messages: list[dict], record: Mapping, used: set[str], tools: Any = None,
            preferred: list | None = None, non_preferred: list | None = None) -> dict:
    example: dict[str, Any] = {"messages": messages}
    if tools:
        example["tools"] = tools
    if preferred is not None or non_preferred is not None:
        example["preferred"] = preferred or []
        example["non_preferred"] = non_preferred or []
    extra = _extra(record, used)
    if extra:
        example["extra"] = extra
    return example


def _loss_weight_to_weight(messages: list[dict]) -> list[dict]:
    """LLaMA-Factory's ``loss_weight`` 0/1 on an assistant turn is OpenAI's ``weight``."""
    for m in messages:
        if m.get("role") == "assistant" and "weight" not in m and m.get("loss_weight") in (0, 1):
            m["weight"] = int(m.pop("loss_weight"))
        elif m.get("role") != "assistant" and m.get("loss_weight") in (0, 0.0):
            m.pop("loss_weight")  # OpenAI never trains on non-assistant turns: nothing lost
    return messages


def read_openai(record: Mapping) -> dict:
    """OpenAI chat: ``{"messages": [...], ["tools"], ...}``; message keys kept verbatim.

    A top-level ``system`` string beside messages without a system turn is Bedrock's shape
    (a file can mix both: Bedrock records without a system prompt look like OpenAI ones).
    """
    record = _require_dict(record)
    if "messages" not in record:
        raise RecordError("messages", "missing")
    if isinstance(record.get("system"), str) and isinstance(record["messages"], list) and not any(
            isinstance(m, Mapping) and m.get("role") == "system" for m in record["messages"]):
        return read_bedrock(record)
    messages = _loss_weight_to_weight(check_messages(record["messages"]))
    return _finish(messages, record, {"messages", "tools"}, tools=_tools(record.get("tools"), "tools"))


def read_hf_chat(record: Mapping) -> dict:
    """Hugging Face chat: ``messages`` or ``conversations`` with role/content; ``chosen`` /
    ``rejected`` message lists (plus an optional ``prompt`` string) are preferences."""
    record = _require_dict(record)
    key = "messages" if "messages" in record else "conversations" if "conversations" in record else None
    if key is None and "chosen" in record:
        return _read_hf_preference(record)
    if key is None:
        raise RecordError("messages", "missing (expected 'messages' or 'conversations')")
    messages = _loss_weight_to_weight(check_messages(record[key], key))
    return _finish(messages, record, {key, "tools"}, tools=_tools(record.get("tools"), "tools"))


def _read_hf_preference(record: Mapping) -> dict:
    chosen = check_messages(record["chosen"], "chosen")
    rejected = check_messages(record.get("rejected"), "rejected")
    # TRL implicit-prompt style: both lists share the prompt; the answers are the tails
    n = 0
    while n < min(len(chosen), len(rejected)) - 1 and chosen[n] == rejected[n]:
        n += 1
    prompt = chosen[:n]
    if not prompt and isinstance(record.get("prompt"), str):
        prompt = [{"role": "user", "content": record["prompt"]}]
    preferred, non_preferred = chosen[n:], rejected[n:]
    return _finish(prompt + preferred, record, {"chosen", "rejected", "prompt", "tools"},
                   tools=_tools(record.get("tools"), "tools"), preferred=preferred, non_preferred=non_preferred)


def read_openai_dpo(record: Mapping) -> dict:
    """OpenAI DPO: ``{"input": {"messages", ["tools"]}, "preferred_output", "non_preferred_output"}``."""
    record = _require_dict(record)
    inp = record.get("input")
    if not isinstance(inp, Mapping):
        raise RecordError("input", "missing or not an object")
    prompt = check_messages(inp.get("messages"), "input.messages")
    preferred = check_messages(record.get("preferred_output"), "preferred_output")
    non_preferred = check_messages(record.get("non_preferred_output"), "non_preferred_output")
    example = _finish(prompt + preferred, record, {"input", "preferred_output", "non_preferred_output"},
                      tools=_tools(inp.get("tools"), "input.tools"), preferred=preferred, non_preferred=non_preferred)
    inp_extra = {k: v for k, v in inp.items() if k not in ("messages", "tools")}
    if inp_extra:
        example.setdefault("extra", {})["input"] = inp_extra
    return example


_TURN = re.compile(r"(?:^|\n\n)(Human|Assistant):")


def read_anthropic(record: Mapping) -> dict:
    """Anthropic legacy ``prompt``/``completion`` (``\\n\\nHuman:`` / ``\\n\\nAssistant:`` turns;
    text before the first turn is the system prompt). Without markers: one user turn."""
    record = _require_dict(record)
    prompt, completion = record.get("prompt"), record.get("completion")
    if not isinstance(prompt, str):
        raise RecordError("prompt", "missing or not a string")
    if not isinstance(completion, str):
        raise RecordError("completion", "missing or not a string")
    used = {"prompt", "completion"}
    marks = list(_TURN.finditer(prompt))
    if not marks:
        messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": _one_space(completion)}]
        return _finish(messages, record, used)
    messages: list[dict] = []
    head = prompt[: marks[0].start()]
    if head.strip():
        messages.append({"role": "system", "content": head.strip("\n")})
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(prompt)
        role = "user" if mark.group(1) == "Human" else "assistant"
        messages.append({"role": role, "content": _one_space(prompt[mark.end():end])})
    if messages[-1]["role"] == "assistant":
        last = messages[-1]
        last["content"] = last["content"] + completion if last["content"] else _one_space(completion)
    else:
        messages.append({"role": "assistant", "content": _one_space(completion)})
    return _finish(messages, record, used)


def _one_space(text: str) -> str:
    return text[1:] if text.startswith(" ") else text


def read_bedrock(record: Mapping) -> dict:
    """Bedrock Claude: ``{"system": str, "messages": [{"role": "user"|"assistant", "content"}]}``."""
    record = _require_dict(record)
    messages = check_messages(record.get("messages"), "messages")
    system = record.get("system")
    if system is not None and not isinstance(system, str):
        system = normalize_content(system)
        if not isinstance(system, str):
            raise RecordError("system", "expected a string")
    if system:
        messages = [{"role": "system", "content": system}] + messages
    return _finish(messages, record, {"system", "messages"})


def read_alpaca(record: Mapping) -> dict:
    """Alpaca: ``instruction``, ``input``, ``output`` (+ ``system``, ``history`` [[q, a], ...];
    ``chosen``/``rejected`` strings instead of ``output`` for preferences)."""
    record = _require_dict(record)
    instruction = record.get("instruction")
    if not isinstance(instruction, str):
        raise RecordError("instruction", "missing or not a string")
    inp = record.get("input") or ""
    if not isinstance(inp, str):
        raise RecordError("input", "not a string")
    messages: list[dict] = []
    system = record.get("system")
    if isinstance(system, str) and system:
        messages.append({"role": "system", "content": system})
    history = record.get("history") or []
    if not isinstance(history, list):
        raise RecordError("history", "expected a list of [question, answer] pairs")
    for i, turn in enumerate(history):
        if not (isinstance(turn, (list, tuple)) and len(turn) == 2 and all(isinstance(t, str) for t in turn)):
            raise RecordError(f"history[{i}]", "expected [question, answer] strings")
        messages += [{"role": "user", "content": turn[0]}, {"role": "assistant", "content": turn[1]}]
    messages.append({"role": "user", "content": f"{instruction}\n{inp}" if inp else instruction})
    used = {"instruction", "input", "output", "system", "history"}
    if "output" not in record and "chosen" in record:
        chosen, rejected = record.get("chosen"), record.get("rejected")
        for key, value in (("chosen", chosen), ("rejected", rejected)):
            if not isinstance(value, str):
                raise RecordError(key, "missing or not a string")
        preferred = [{"role": "assistant", "content": chosen}]
        return _finish(messages + preferred, record, used | {"chosen", "rejected"}, preferred=preferred,
                       non_preferred=[{"role": "assistant", "content": rejected}])
    output = record.get("output")
    if not isinstance(output, str):
        raise RecordError("output", "missing or not a string")
    messages.append({"role": "assistant", "content": output})
    return _finish(messages, record, used)


SHAREGPT_ROLES = {
    "human": "user", "user": "user",
    "gpt": "assistant", "assistant": "assistant", "chatgpt": "assistant", "bard": "assistant", "bing": "assistant", "model": "assistant",
    "system": "system",
    "function_call": "tool_call", "observation": "tool", "tool": "tool",
}


def read_sharegpt(record: Mapping) -> dict:
    """ShareGPT: ``conversations`` of ``{"from", "value"}`` (human/gpt/system, and
    function_call/observation as in glaive tool-call data), top-level ``system`` and ``tools``
    (JSON text or list); ``chosen``/``rejected`` turns make a preference example (LLaMA-Factory DPO).

    A ``function_call`` turn becomes an assistant message with ``tool_calls`` (ids
    ``call_0``, ``call_1``… in order; arguments as JSON text); an ``observation`` becomes a
    ``tool`` message answering the oldest unanswered call.
    """
    record = _require_dict(record)
    key = "conversations" if "conversations" in record else "messages"
    turns = record.get(key)
    if not isinstance(turns, list) or not turns:
        raise RecordError(key, "missing or empty")
    messages: list[dict] = []
    system = record.get("system")
    if isinstance(system, str) and system:
        messages.append({"role": "system", "content": system})
    state = {"n_calls": 0, "pending": []}
    for i, turn in enumerate(turns):
        messages.append(_sharegpt_turn(turn, f"{key}[{i}]", state))
    used = {key, "system", "tools", "chosen", "rejected"}
    tools = _tools(record.get("tools"), "tools")
    if "chosen" in record:
        preferred = [_sharegpt_turn(record["chosen"], "chosen", dict(state, pending=list(state["pending"])))]
        non_preferred = [_sharegpt_turn(record.get("rejected"), "rejected", dict(state, pending=list(state["pending"])))]
        return _finish(messages + preferred, record, used, tools=tools, preferred=preferred, non_preferred=non_preferred)
    return _finish(messages, record, used, tools=tools)


def _sharegpt_turn(turn: Any, where: str, state: dict) -> dict:
    if not isinstance(turn, Mapping):
        raise RecordError(where, "expected an object with 'from' and 'value'")
    who, value = turn.get("from"), turn.get("value")
    if not isinstance(who, str):
        raise RecordError(f"{where}.from", "missing")
    role = SHAREGPT_ROLES.get(who.lower())
    if role is None:
        raise RecordError(f"{where}.from", f"unknown speaker {who!r} (expected human, gpt, system, function_call or observation)")
    if not isinstance(value, str):
        raise RecordError(f"{where}.value", "missing or not a string")
    extra = {k: v for k, v in turn.items() if k not in ("from", "value")}
    if role == "tool_call":
        try:
            calls = json.loads(value)
        except ValueError as exc:
            raise RecordError(f"{where}.value", f"function_call is not JSON ({exc.msg})") from None
        calls = calls if isinstance(calls, list) else [calls]
        tool_calls = []
        for call in calls:
            if not isinstance(call, Mapping) or not isinstance(call.get("name"), str):
                raise RecordError(f"{where}.value", "function_call needs a 'name'")
            args = call.get("arguments", {})
            call_id = f"call_{state['n_calls']}"
            state["n_calls"] += 1
            state["pending"].append(call_id)
            tool_calls.append({"id": call_id, "type": "function", "function": {
                "name": call["name"], "arguments": args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)}})
        return {"role": "assistant", "tool_calls": tool_calls, **extra}
    msg = {"role": role, "content": value, **extra}
    if role == "tool" and state["pending"]:
        msg["tool_call_id"] = state["pending"].pop(0)
    return msg


def _tools(value: Any, where: str) -> list | None:
    """Tool definitions as OpenAI ``[{"type": "function", "function": {...}}]``; accepts JSON
    text and bare function definitions (glaive / LLaMA-Factory)."""
    if value in (None, "", []):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise RecordError(where, f"not valid JSON ({exc.msg})") from None
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        raise RecordError(where, "expected a list of tool definitions")
    out = []
    for i, tool in enumerate(value):
        if not isinstance(tool, Mapping):
            raise RecordError(f"{where}[{i}]", "expected an object")
        out.append(dict(tool) if "type" in tool else {"type": "function", "function": dict(tool)})
    return out or None


READERS: dict[str, Reader] = {
    "openai": read_openai,
    "openai-dpo": read_openai_dpo,
    "anthropic": read_anthropic,
    "bedrock": read_bedrock,
    "alpaca": read_alpaca,
    "sharegpt": read_sharegpt,
    "hf-chat": read_hf_chat,
}
