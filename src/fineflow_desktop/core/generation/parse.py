"""Tolerant parsing of model output into candidate pairs, and per-pair validation.

Models wrap JSON in code fences, add prose before or after it, return one object instead of a
list, or nest the list under ``"pairs"``/``"examples"``. ``parse_output`` accepts all of these
and returns the candidates plus a reason for every item it had to reject; ``validate`` checks
one candidate (non-empty, not a copy of the prompt or the source, within the token limit).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from fineflow_desktop.core.tokens import chat_tokens

DEFAULT_MAX_EXAMPLE_TOKENS = 4096  # our default per-example cap; a run may pass another

# Reject reason codes -> human label (shown in run details and counted per run).
REASONS = {
    "no_json": "reply contained no JSON",
    "not_an_object": "item is not a JSON object",
    "unknown_shape": "item has no question/answer, instruction/response or messages fields",
    "bad_conversation": "conversation turns are not user/assistant alternating, ending with the assistant",
    "empty": "empty question or answer",
    "copy_of_source": "copies the source text",
    "copy_of_prompt": "copies the prompt",
    "too_long": "exceeds the example token limit",
    "duplicate_in_reply": "repeats another pair of the same reply",
}

_LIST_KEYS = ("pairs", "examples", "items", "data", "qa_pairs", "questions", "conversations", "results", "output")
_USER_KEYS = ("question", "instruction", "prompt", "query", "user", "input", "q")
_ASSISTANT_KEYS = ("answer", "response", "output", "completion", "assistant", "a")
_ROLE_ALIASES = {"user": "user", "human": "user", "assistant": "assistant", "gpt": "assistant", "model": "assistant", "bot": "assistant", "system": "system"}
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*[ \t]*\n?(.*?)```", re.DOTALL)


@dataclass
class Candidate:
    """One parsed pair. ``messages`` holds the user/assistant turns (no system turn)."""

    messages: list[dict]
    kind: str  # qa | instruction | conversation

    @property
    def user(self) -> str:
        return next((m["content"] for m in self.messages if m["role"] == "user"), "")

    @property
    def assistant(self) -> str:
        return next((m["content"] for m in self.messages if m["role"] == "assistant"), "")


@dataclass
class Reject:
    """An item dropped while parsing/validating/sanitizing; ``reason`` is a key of ``REASONS``
    (or of ``sanitize.DROP_REASONS``)."""

    reason: str
    detail: str = ""


@dataclass
class ParseResult:
    """``candidates`` in reply order; ``rejects`` with reasons; ``found_json`` false means the
    reply had no usable JSON at all (worth asking the model again)."""

    candidates: list[Candidate] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    found_json: bool = True


def _json_values(text: str) -> list:
    """Every top-level JSON value found in *text*: whole text, fenced blocks, or embedded."""
    text = text.strip().lstrip("\ufeff")
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    for block in _FENCE.findall(text):
        try:
            return [json.loads(block.strip())]
        except ValueError:
            continue
    decoder = json.JSONDecoder()
    values, pos = [], 0
    while True:
        starts = [i for i in (text.find("{", pos), text.find("[", pos)) if i >= 0]
        if not starts:
            break
        start = min(starts)
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            pos = start + 1
            continue
        # Stray brackets in prose ("[1]") are not pairs; keep objects and lists of objects.
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
            values.append(value)
        pos = end
    return values


def _items(values: list) -> list:
    items: list = []
    for value in values:
        if isinstance(value, list):
            items.extend(value)
        elif isinstance(value, dict):
            nested = next((value[k] for k in _LIST_KEYS if isinstance(value.get(k), list)), None)
            if nested is not None and not _looks_like_conversation(value):
                items.extend(nested)
            else:
                items.append(value)
    return items


def _looks_like_conversation(obj: dict) -> bool:
    """True for one conversation (a list of role/from turns), not a list of pairs."""
    turns = next((obj[k] for k in ("messages", "conversation", "conversations") if isinstance(obj.get(k), list)), None)
    return bool(turns) and all(isinstance(t, dict) and ("role" in t or "from" in t) for t in turns)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _to_candidate(item) -> Candidate | Reject:
    if not isinstance(item, dict):
        return Reject("not_an_object", _text(item)[:80])
    item = {str(k).lower(): v for k, v in item.items()}
    turns = item.get("messages") or item.get("conversation") or item.get("conversations")
    if isinstance(turns, list):
        messages = []
        for turn in turns:
            if not isinstance(turn, dict):
                return Reject("bad_conversation", "turn is not an object")
            role = _ROLE_ALIASES.get(str(turn.get("role") or turn.get("from") or "").lower())
            content = _text(turn.get("content", turn.get("value")))
            if role is None:
                return Reject("bad_conversation", f"unknown role {turn.get('role') or turn.get('from')!r}")
            if role != "system":
                messages.append({"role": role, "content": content})
        roles = [m["role"] for m in messages]
        if len(roles) < 2 or roles[0] != "user" or roles[-1] != "assistant" or any(
            a == b for a, b in zip(roles, roles[1:])
        ):
            return Reject("bad_conversation", " → ".join(roles) or "no turns")
        return Candidate(messages, "conversation")
    user_key = next((k for k in _USER_KEYS if k in item), None)
    asst_key = next((k for k in _ASSISTANT_KEYS if k in item and k != user_key), None)
    if user_key is None or asst_key is None:
        return Reject("unknown_shape", ", ".join(sorted(item))[:80])
    user = _text(item[user_key])
    # Alpaca shape: instruction + optional input context.
    if user_key == "instruction" and asst_key != "input" and _text(item.get("input")):
        user = f"{user}\n\n{_text(item['input'])}"
    kind = "instruction" if user_key == "instruction" or asst_key == "response" else "qa"
    kind = item.get("type") if item.get("type") in ("qa", "instruction") else kind
    return Candidate([{"role": "user", "content": user}, {"role": "assistant", "content": _text(item[asst_key])}], kind)


def parse_output(text: str) -> ParseResult:
    """Parse one model reply into candidate pairs (see module doc for accepted shapes)."""
    values = _json_values(text or "")
    if not values:
        return ParseResult([], [Reject("no_json", (text or "").strip()[:120])], found_json=False)
    result = ParseResult()
    for item in _items(values):
        parsed = _to_candidate(item)
        (result.rejects if isinstance(parsed, Reject) else result.candidates).append(parsed)
    return result


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def prompt_lines(prompt_text: str, source_text: str, min_len: int = 30) -> list[str]:
    """Instruction lines of a rendered prompt (long lines not taken from the source)."""
    source = _norm(source_text)
    lines = (_norm(line.strip().lstrip("-*•").strip()) for line in prompt_text.splitlines())
    return [n for n in lines if len(n) >= min_len and n not in source]


def validate(
    candidate: Candidate,
    *,
    source_text: str,
    prompt_text: str = "",
    system: str = "",
    max_tokens: int = DEFAULT_MAX_EXAMPLE_TOKENS,
    _prompt_lines: list[str] | None = None,
) -> str | None:
    """Return a ``REASONS`` key if *candidate* must be dropped, else ``None``.

    Checks: every turn non-empty; no turn equal to the source (or containing all of a source
    longer than 200 characters); no turn containing an instruction line of *prompt_text*; the
    example (with *system*) within *max_tokens* by ``core.tokens.chat_tokens``.
    """
    if any(not m["content"].strip() for m in candidate.messages):
        return "empty"
    source = _norm(source_text)
    lines = _prompt_lines if _prompt_lines is not None else prompt_lines(prompt_text, source_text)
    for m in candidate.messages:
        content = _norm(m["content"])
        if content == source or (len(source) > 200 and source in content):
            return "copy_of_source"
        if any(line in content for line in lines):
            return "copy_of_prompt"
    messages = ([{"role": "system", "content": system}] if system else []) + candidate.messages
    if chat_tokens(messages) > max_tokens:
        return "too_long"
    return None


def validate_all(
    candidates: list[Candidate], *, source_text: str, prompt_text: str = "", system: str = "",
    max_tokens: int = DEFAULT_MAX_EXAMPLE_TOKENS,
) -> tuple[list[Candidate], list[Reject]]:
    """Validate many candidates of one reply; also drops repeats of an earlier pair's question."""
    kept, rejects, seen = [], [], set()
    lines = prompt_lines(prompt_text, source_text)
    for c in candidates:
        reason = validate(c, source_text=source_text, system=system, max_tokens=max_tokens, _prompt_lines=lines)
        key = _norm(c.user)
        if reason is None and key in seen:
            reason = "duplicate_in_reply"
        if reason:
            rejects.append(Reject(reason, c.user[:80]))
        else:
            seen.add(key)
            kept.append(c)
    return kept, rejects
