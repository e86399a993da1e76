"""Labels of figures the parser drops: a caption with nothing to caption is no text.

SQLite's syntax pages print each diagram as a paragraph with the rule's name and a colon
(``<p><b><a href="syntax/expr.html">expr:</a></b><button>show</button></p>``) followed by a block
that holds only an SVG drawing (``<div class="imgcontainer"><svg …>``). SVG, images and embedded
objects are never text (``html_chrome.SKIP_TAGS``), so the label was left alone in its chunk
("upsert-clause:", "expr:"; round 19). The structure is general: a paragraph that is only a short
label ending with a colon, whose next element holds a drawing (``svg``, ``img``, ``object``,
``embed``, ``canvas``) and no text.
"""

from __future__ import annotations

import re
from itertools import islice

from fineflow_desktop.core.ingest.html_chrome import SKIP_TAGS
from fineflow_desktop.core.ingest.html_structure import tag_of

DRAWING_TAGS = frozenset(("svg", "img", "object", "embed", "canvas"))
MAX_LABEL_WORDS = 3
MAX_LABEL_CHARS = 40
MAX_LABEL_ELEMENTS = 8  # the label and its inline markup (SQLite: p, b, a, button)
_LABEL = re.compile(r"\w[^:]*:")


def _shown_text(el, labels: bool = True) -> str:
    """The text of *el* a reader sees, without the elements that are never text (``SKIP_TAGS``)
    and, unless *labels*, without the drawing labels inside it (``is_drawing_label``)."""
    parts = [el.text or ""] if tag_of(el) not in SKIP_TAGS else []
    for child in el:
        tag = tag_of(child)
        if tag and tag not in SKIP_TAGS and (labels or not is_drawing_label(child, tag)):
            parts.append(_shown_text(child, labels))
        parts.append(child.tail or "")
    return "".join(parts)


def is_drawing_label(el, tag: str) -> bool:
    """Is *el* (a ``p`` or ``div``) only a label ("expr:", at most ``MAX_LABEL_WORDS`` words and
    ``MAX_LABEL_CHARS`` characters, ending with a colon) whose next element is a drawing with no
    text of its own (it holds one of ``DRAWING_TAGS``; the labels of the drawings nested in it, as
    SQLite nests the diagrams of a statement's sub-rules, are no text either)?"""
    if tag not in ("p", "div") or len(list(islice(el.iter(), MAX_LABEL_ELEMENTS + 1))) > MAX_LABEL_ELEMENTS:
        return False  # (a quick test first: a label is a few inline elements)
    label = " ".join(_shown_text(el).split())
    if not label or len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS or not _LABEL.fullmatch(label):
        return False
    if (el.tail or "").strip():
        return False
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):  # comments between
        nxt = nxt.getnext()
    if nxt is None or (tag_of(nxt) not in DRAWING_TAGS and not any(tag_of(d) in DRAWING_TAGS for d in nxt.iter())):
        return False
    return not _shown_text(nxt, labels=False).strip()
