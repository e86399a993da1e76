"""Footnotes at a page's foot, for ``pdf_layout.paragraphs`` (round 14): a page's notes that
cut a sentence going on on the next page are moved after its paragraph."""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_marks import NOTE_SIZE  # footnotes are set smaller than this share of their text

# "∗This document", "1Annotations are", "[2] By default" (``pdf_marks`` set the mark apart)
_NOTE_MARK = re.compile(r"^(?:[∗*†‡§¶]\s*\S|\d{1,2}[A-Z][a-z]|\[(?:[1-9]\d?|[∗*†‡§¶]{1,3})\] )")
NOTE_START = re.compile(r"^(?:[∗*†‡§¶]|\d|\[(?:[1-9]\d?|[∗*†‡§¶]{1,3})\] )")  # the next footnote's mark ("7 esvect …", "1⁴The …")
MARKED_END = re.compile(r"[.!?:;][\"'’”)\]]*\s?(?:[\d∗*†‡]{1,2}|\[[\d∗*†‡]{1,2}\])$")  # a sentence ended by a note mark ("Sweden.2")


def foot_notes(lines: list[Line]) -> dict[int, int]:
    """``{first index: end index}`` of the footnotes at a page's foot among *lines* (round 14,
    messagepassing.pdf: "… If, in addition, ∗This document corresponds to …", the sentence going
    on on the next page): the lines from one starting with a note mark (``_NOTE_MARK``: "∗", "†",
    or a number set against its first word, "1Annotations") to the page's last, all smaller than
    ``NOTE_SIZE`` × the line before them, which is on the same page; a line of the next page
    follows them. ``paragraphs`` moves them after the paragraph when that line's sentence is
    not over."""
    out: dict[int, int] = {}
    for i in range(1, len(lines)):
        ln, above = lines[i], lines[i - 1]
        if above.page != ln.page or ln.page_start or not _NOTE_MARK.match(ln.text.strip()):
            continue
        end = i
        while end < len(lines) and lines[end].page == ln.page and not (end > i and lines[end].page_start):
            end += 1
        if end < len(lines) and all(n.size < NOTE_SIZE * above.size for n in lines[i:end]):
            out[i] = end
    return out
