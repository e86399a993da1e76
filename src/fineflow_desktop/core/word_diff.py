"""Word-level difference of two texts, for the side-by-side duplicate compare view.

``difflib.SequenceMatcher`` over word-and-whitespace tokens (autojunk off: chunks are short and
frequent words must still align). Each side comes back as segments ``(text, tag)`` with tag
``equal`` or ``changed``; joining a side's segment texts gives the original text back exactly.
"""

from __future__ import annotations

import difflib
import re

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_segments(a: str, b: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Segments of *a* and of *b*: ``[(text, "equal" | "changed"), ...]`` (adjacent merged).

    Words present on one side only, or replaced, are ``changed``; whitespace runs between
    two changed words are ``changed`` too so the highlight reads as one span.
    """
    ta, tb = _TOKENS.findall(a), _TOKENS.findall(b)
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        tag = "equal" if op == "equal" else "changed"
        _append(left, "".join(ta[i1:i2]), tag)
        _append(right, "".join(tb[j1:j2]), tag)
    return left, right


def _append(out: list[tuple[str, str]], text: str, tag: str) -> None:
    if not text:
        return
    if out and out[-1][1] == tag:
        out[-1] = (out[-1][0] + text, tag)
    else:
        out.append((text, tag))


def changed_fraction(a: str, b: str) -> float:
    """Share of *a*'s words that differ in *b* (0 = same words, 1 = nothing in common)."""
    ta = [t for t in _TOKENS.findall(a) if not t.isspace()]
    tb = [t for t in _TOKENS.findall(b) if not t.isspace()]
    if not ta:
        return 0.0 if not tb else 1.0
    same = sum(block.size for block in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_matching_blocks())
    return 1.0 - same / len(ta)
