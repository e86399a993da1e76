"""MathML (``<math>``) read as a line of text, as the page's formula reads aloud in plain text.

Before round 20 ``math`` was never-text (``html_chrome.SKIP_TAGS``) and a formula inside a
sentence was dropped with a paragraph break in its place ("When" / ", there are two solutions to" —
MathJax's sample-mml.html). Source of the element names: MathML 3 (W3C, 2014) §3 (presentation
markup) and §5.1 (``semantics``/``annotation``).

- an ``alttext`` attribute, else a TeX annotation of ``semantics`` (``application/x-tex``), is the
  formula's own text and is used as it stands;
- otherwise the presentation tree is linearised: token elements (``mi``, ``mn``, ``mo``,
  ``mtext``, ``ms``) give their text, ``msup``/``msub``/``msubsup`` write ``^``/``_``, ``mfrac``
  writes ``(a)/(b)``, ``msqrt`` ``√(…)``, ``mroot`` ``root(…, n)``; other layout elements
  (``mrow``, ``mstyle``, ``mpadded``…) their children in order; ``annotation`` is not shown.
"""

from __future__ import annotations

import re

_TOKENS = frozenset(("mi", "mn", "mo", "mtext", "ms"))
_HIDDEN = frozenset(("annotation", "annotation-xml", "none", "mprescripts"))
_SPACE = re.compile(r"\s+")


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _group(text: str) -> str:
    """*text* bracketed when it is more than one token ("b^2 − 4ac" → "(b^2 − 4ac)")."""
    return text if len(text.split()) <= 1 else f"({text})"


def _read(el) -> str:
    tag = _local(el)
    kids = [k for k in el if _local(k) and _local(k) not in _HIDDEN]
    if tag in _TOKENS:
        return _SPACE.sub(" ", "".join(el.itertext())).strip()
    parts = [_read(k) for k in kids]
    if tag == "semantics":
        return parts[0] if parts else ""
    if tag in ("msup", "msub") and len(parts) == 2:
        return f"{parts[0]}{'^' if tag == 'msup' else '_'}{_group(parts[1])}"
    if tag == "msubsup" and len(parts) == 3:
        return f"{parts[0]}_{_group(parts[1])}^{_group(parts[2])}"
    if tag == "mfrac" and len(parts) == 2:
        return f"{_group(parts[0])}/{_group(parts[1])}"
    if tag == "msqrt":
        return f"√({' '.join(p for p in parts if p)})"
    if tag == "mroot" and len(parts) == 2:
        return f"root({parts[0]}, {parts[1]})"
    return " ".join(p for p in parts if p)


def math_text(el) -> str:
    """The plain text of the ``<math>`` element *el* (see the module docstring); "" when it has none."""
    alt = (el.get("alttext") or "").strip()
    if alt:
        return alt
    for ann in el.iter():
        if _local(ann) == "annotation" and (ann.get("encoding") or "").lower() in ("application/x-tex", "tex"):
            tex = "".join(ann.itertext()).strip()
            if tex:
                return tex
    return _SPACE.sub(" ", _read(el)).strip()


def is_display_math(el) -> bool:
    """Does ``<math>`` *el* stand as a display (``display="block"``), on lines of its own?"""
    return (el.get("display") or "").lower() == "block"
