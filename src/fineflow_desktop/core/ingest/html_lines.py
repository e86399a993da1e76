"""Listings and line blocks written one ``<div>`` per line (no ``pre``): Doxygen's ``<div
class="fragment"><div class="line">``, highlighters that emit a block per line, reST line blocks
(Sphinx ``div.line-block``). Code is fenced with ``` lines; a line block of prose (verse,
addresses) is one paragraph with its lines kept (docs/DEVELOPING.md, "Chunk text").
"""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.html_sections import Blocks
from fineflow_desktop.core.ingest.html_structure import has_blocks, tag_of

MIN_LINES = 3
# a C-family statement end: ";", "{" or "}" at the end of the line, a // or /* comment may follow
_STATEMENT_END = re.compile(r"[;{}]\s*(?://.*|/\*.*)?$")


def line_blocks(el) -> list:
    """The leading run of at least ``MIN_LINES`` children of *el* that are all ``div`` with the same
    non-empty class, each one source line (no newline inside, no block inside, nothing between
    them), else []: a listing written without ``pre`` — Doxygen's ``<div class="fragment"><div
    class="line">``, highlighters that emit a block per line, reST line blocks. ``line_block``
    fences the run as code when a line is indented (leading spaces), else keeps it as one
    paragraph of lines."""
    if (el.text or "").strip() or not len(el) or not isinstance(el[0].tag, str):
        return []
    cls = el[0].get("class")
    if not cls:
        return []
    run = []
    for c in el:  # the cheap tests first: this runs for every element
        if not isinstance(c.tag, str) or tag_of(c) != "div" or c.get("class") != cls:
            break
        run.append(c)
        if (c.tail or "").strip():
            break
    if len(run) < MIN_LINES:
        return []
    for k, c in enumerate(run):
        if "\n" in "".join(c.itertext()) or has_blocks(c):
            run = run[:k]
            break
    return run if len(run) >= MIN_LINES else []


def is_code(lines: list[str]) -> bool:
    """Are these lines (of ``line_blocks``) code: one is indented (leading spaces matter), or at
    least half end like a C-family statement (``_STATEMENT_END``)? Else they are a line block of
    prose (reST's, for verse or addresses)."""
    filled = [t for t in lines if t.strip()]
    if any(t[:1] == " " for t in filled):
        return True
    return 2 * sum(bool(_STATEMENT_END.search(t)) for t in filled) >= len(filled) > 0


def line_block(el, lines: list, out: Blocks, depth: int) -> None:
    """The run *lines* (``line_blocks``) of *el* as a block of *out*: fenced code (``is_code``),
    else one paragraph of lines followed by the rest of *el* walked as usual."""
    raw = ["".join(line.itertext()).replace("\xa0", " ").rstrip() for line in lines]
    if is_code(raw):
        # the listing's own container holds nothing else to read: what follows the lines in it
        # is annotation (Doxygen's hover boxes for the names used, hidden by its stylesheet)
        out.block("```\n" + "\n".join(raw).strip("\n") + "\n```")
    else:  # a line block (reST's, Sphinx ``div.line-block``): one paragraph, its lines kept
        out.block("\n".join(b for line in lines for b in out.sub_blocks(line, depth + 1)))
        for child in el[len(lines):]:
            out.walk(child, depth + 1)
            out.text(child.tail)
