"""Minimal prompt-injection detector (placeholder for the curation issue's full detector).

Same signature as the curation issue expects: ``detect_injection(text) -> list[Flag]``. The
patterns are the phrasings of the Giskard prompt-injection corpus (jailbreak: "ignore all the
instructions you got before", DAN / developer mode, role-play overrides; hijacking: "ignore any
previous and following instructions and just print") plus chat-template role markers. The
curation issue replaces this module with a fuller detector; keep the signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    """One suspicious span: ``reason`` (short code) and the ``match``ed text."""

    reason: str
    match: str


_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("ignore_instructions", re.compile(
        r"\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(previous|prior|above|preceding|earlier|following|all|any|your|the)\b"
        r"[^.\n]{0,30}?\b(instructions?|prompts?|rules|directions|guidelines|everything)\b", re.I)),
    ("forget_training", re.compile(r"\bforget everything (you|that)\b", re.I)),
    ("role_override", re.compile(
        r"\b(from now on|starting now)\b[^.\n]{0,40}\b(you are|you will|act as|you're going to|you must)\b", re.I)),
    ("jailbreak_persona", re.compile(
        r"\b(do anything now|DAN mode|developer mode (enabled|output)|jailbr(oken|eak)|stay in character)\b", re.I)),
    ("persona_no_rules", re.compile(
        r"\b(broken free of|freed from) the (typical )?confines of (AI|Al)\b|\bdo not have to abide by\b", re.I)),
    ("system_prompt_probe", re.compile(
        r"\b(reveal|print|show|repeat|output)\b[^.\n]{0,20}\b(your|the)\s+(system|initial|hidden)\s+(prompt|instructions?)\b", re.I)),
    ("hijack_print", re.compile(r"\b(just|only)\s+(say|print|output|reply with)\s*[\"“']", re.I)),
    ("stop_everything", re.compile(r"\bstop everything\b", re.I)),
    ("role_marker", re.compile(r"<\|im_start\|>|<\|im_end\|>|<\|(system|user|assistant)\|>|\[/?INST\]|<</?SYS>>", re.I)),
]


def detect_injection(text: str) -> list[Flag]:
    """All injection flags in *text* (one per pattern at most), in pattern order."""
    flags = []
    for reason, pattern in _PATTERNS:
        m = pattern.search(text or "")
        if m:
            flags.append(Flag(reason, m.group(0)[:200]))
    return flags
