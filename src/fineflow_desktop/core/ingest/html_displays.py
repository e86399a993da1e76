"""Code set without ``<pre>`` (round 6 of issue 10): monospace inline elements holding ``<br>``
line breaks, as hand-written and converted HTML of the 1990s writes listings (the Haskell 98
report: ``<tt><br>&nbsp;&nbsp;f x = ...<br>&nbsp;&nbsp;&nbsp;&nbsp;where<br></tt>``), and their
lines laid out as a browser draws them (HTML 4.01 §9.1: ASCII white space collapses, ``&nbsp;``
does not). ``html_blocks`` decides which siblings continue a display and fences the result.
"""

from __future__ import annotations

import re

from lxml import etree

from fineflow_desktop.core.ingest.html_chrome import SKIP_TAGS

_LINE_END = "\x0b"  # a <br> among the display's text pieces (source newlines are plain white space)


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


MONO_TAGS = frozenset(("tt", "code", "samp", "kbd"))
MIN_DISPLAY_BREAKS = 2
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")  # HTML's ASCII whitespace; U+00A0 (&nbsp;) does not collapse


def is_code_display(el, tag: str) -> bool:
    """Is *el* a code listing written without ``pre``: a monospace inline element (``tt``, ``code``,
    ``samp``, ``kbd``) holding at least ``MIN_DISPLAY_BREAKS`` ``<br>``, as hand-written and
    converted HTML of the 1990s set code (the Haskell 98 report: ``<tt><br>&nbsp;&nbsp;f x =
    ...<br>&nbsp;&nbsp;&nbsp;&nbsp;where<br></tt>``)? A browser draws it as lines of monospace text
    on their own, indented by the ``&nbsp;`` runs that HTML never collapses (round 6)."""
    if tag not in MONO_TAGS:
        return False
    breaks = 0
    for _ in el.iter("br"):
        breaks += 1
        if breaks >= MIN_DISPLAY_BREAKS:
            return True
    return False


def line_open(el) -> bool:
    """Is the last line of *el* still open: does text follow its last ``<br>`` (or has it text and
    no ``<br>``)?"""
    return bool("".join(display_parts(el)).rsplit(_LINE_END, 1)[-1].replace("\xa0", " ").strip())


def display_parts(el) -> list[str]:
    """*el*'s text pieces in document order (not its own tail), ``_LINE_END`` for each ``<br>``."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if _tag(node) == "br":
                parts.append(_LINE_END)
            elif node.text and _tag(node) not in SKIP_TAGS:
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    return parts


def display_text(run: list) -> str:
    """The lines of a code display (``is_code_display``; *run*: it and the siblings that
    continue it, ``html_blocks.display_run``) as a browser
    lays them out: ``<br>`` ends a line, ASCII whitespace runs collapse to one space and vanish at
    a line's start, ``&nbsp;`` is kept as a space (the indentation), blank lines at both ends
    dropped, inner ones kept."""
    parts: list[str] = []
    for k, el in enumerate(run):
        parts += display_parts(el)
        if k + 1 < len(run):
            parts.append(el.tail or "")
    # source newlines are collapsible whitespace, not line ends: only the <br> marks split lines
    lines = [_COLLAPSIBLE.sub(" ", line).lstrip(" ").replace("\xa0", " ").rstrip()
             for line in "".join(parts).split(_LINE_END)]
    return "\n".join(lines).strip("\n")
