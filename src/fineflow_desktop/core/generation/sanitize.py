"""Clean model output before it becomes a training pair, and drop suspicious pairs.

Cleaning (the pair is kept): control characters and bidi overrides, chat-template role markers
(``<|im_start|>``, ``[INST]``, ``<<SYS>>``, leading ``system:``/``assistant:`` prefixes) and a
leaked copy of the generation system prompt are removed. Dropping (the pair is discarded): text
that reads as a prompt injection (``core.injection.detect_injection``). Every action is counted
so the run can show why pairs were cleaned or dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter
from dataclasses import dataclass, field

from fineflow_desktop.core.generation.parse import Candidate
from fineflow_desktop.core.injection import detect_injection

DROP_REASONS = {
    "injection": "reads as a prompt injection",
    "empty_after_cleaning": "nothing left after removing markers",
}
CLEAN_ACTIONS = {
    "control_chars": "control characters removed",
    "role_markers": "chat role markers removed",
    "leaked_system_prompt": "leaked system prompt removed",
}

# C0/C1 control characters (Unicode category Cc) except tab and newline, plus the bidi
# embedding/override/isolate controls used in "Trojan Source" attacks (CVE-2021-42574).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKERS = re.compile(
    r"<\|(?:im_start|im_end|im_sep|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|system|user|assistant)\|>"
    r"(?:(?:system|user|assistant)\b\s*)?"
    r"|\[/?INST\]|<</?SYS>>|</?s>",
    re.I,
)
_ROLE_PREFIX = re.compile(r"^\s*(?:#{1,3}\s*)?(?:system|assistant|user|human|gpt)\s*:\s*", re.I)


@dataclass
class SanitizeReport:
    """Counts over a batch of candidates: ``cleaned`` action -> n, ``dropped`` reason -> n."""

    cleaned: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)


def clean_text(text: str, system_prompt: str = "") -> tuple[str, set[str]]:
    """Return (*text* cleaned, the ``CLEAN_ACTIONS`` keys applied)."""
    actions: set[str] = set()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = _CONTROL.sub("", text)
    if kept != text:
        actions.add("control_chars")
    text = kept
    stripped = _MARKERS.sub("", text)
    stripped = _ROLE_PREFIX.sub("", stripped, count=1)
    if stripped != text:
        actions.add("role_markers")
        text = stripped
    if system_prompt and len(system_prompt.strip()) >= 20:
        leaked = _find_ignoring_space(text, system_prompt.strip())
        if leaked:
            text = text[: leaked[0]] + text[leaked[1]:]
            actions.add("leaked_system_prompt")
    return text.strip(), actions


@lru_cache(maxsize=64)
def _leak_pattern(needle: str) -> re.Pattern:
    return re.compile(r"\s+".join(re.escape(w) for w in needle.split()), re.I)


def _find_ignoring_space(text: str, needle: str) -> tuple[int, int] | None:
    """Span of *needle* in *text*, matching any run of whitespace flexibly, case-insensitive."""
    m = _leak_pattern(needle).search(text)
    return (m.start(), m.end()) if m else None


def sanitize(candidate: Candidate, system_prompt: str = "", report: SanitizeReport | None = None) -> Candidate | None:
    """Cleaned copy of *candidate*, or ``None`` if it must be dropped; counts into *report*."""
    report = report if report is not None else SanitizeReport()
    messages, actions = [], set()
    for m in candidate.messages:
        content, applied = clean_text(m["content"], system_prompt)
        actions |= applied
        messages.append({"role": m["role"], "content": content})
    for a in actions:
        report.cleaned[a] += 1
    if any(not m["content"] for m in messages):
        report.dropped["empty_after_cleaning"] += 1
        return None
    if any(detect_injection(m["content"]) for m in messages):
        report.dropped["injection"] += 1
        return None
    return Candidate(messages, candidate.kind)
