"""Block shapes of a PDF page that are neither paragraphs nor tables, for ``pdf_layout.paragraphs``:
line-broken blocks (short indented lines set one per line: addresses, poems, option groups), a
label standing apart above its indented text (Doxygen's ``\\note``), and a figure's caption that a
sentence ran into. Split from ``pdf_layout`` (session 8), which decides what each line joins."""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.pdf_displays import DISPLAY_MATH
from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, GAP_FACTOR, Line, item_marker
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing
from fineflow_desktop.core.ingest.pdf_terms import HANG_INDENT

LABEL_WORDS = 3  # a label over its indented text ("Note", "See also") has at most this many words
LABEL_GAP = 2.5  # ... and stands at most this many line spacings above it
BROKEN_LINES = 3  # consecutive short indented lines that form a line-broken block
BROKEN_SHORT = 0.6  # ... each ending before this share of the text width
BROKEN_INDENT = 1.5  # em: ... each starting this far in from the text's edge
CAPTION_LINES = 3  # lines of a figure's caption that a sentence ran into (``caption_end``)
CAPTION_CENTRE = 2.0  # em: ... each centred within this and set in from the text's edge at least as far
BROKEN_LEAD_WORDS = 3  # ... under a line of this many words at least (a term has fewer)
LABEL = re.compile(r"[A-Za-z][A-Za-z'&-]*(?: [A-Za-z&][A-Za-z'&-]*)*")  # "Note", "See also", "Returns"
CONTINUES = re.compile(r"^(?:[a-z]|[,.;:)\]])")  # text going on with the sentence a display sat in


def caption_end(lines: list[Line], i: int, spacing: LineSpacing, left: float, right: float) -> int | None:
    """The end index of a caption that starts at *lines[i]*, the first line after a dropped figure
    (``Line.after_figure``) that a sentence ran into, when the sentence goes on after it: its lines
    follow each other without a paragraph gap, each centred between the text's *left* and *right*
    edges (within ``CAPTION_CENTRE`` em) and set in from them, then, apart by a paragraph gap,
    comes a proportional line carrying the sentence on (lower case or punctuation, ``CONTINUES``).
    ``None`` otherwise (nauty's "h =" / [graph] / "Example 4:" / "g =" / [graph]: a label at the
    left edge, the next example's, not a caption).
    LaTeX floats a figure with its caption to the top of a page, inside whatever sentence runs
    there (messagepassing.pdf: "If, in addition," / [figure] / "Execution 1: An example of message
    passing" / "annotatevertical is set, …"); the caption belongs after the paragraph, as
    footnotes do (``pdf_notes``)."""
    end = i + 1
    while (end < len(lines) and lines[end].page == lines[i].page
           and lines[end - 1].y_end - lines[end].y <= GAP_FACTOR * spacing.of(lines[end - 1], lines[end])):
        end += 1
    if end >= len(lines) or end - i > CAPTION_LINES:
        return None
    for c in lines[i:end]:
        em = c.size or 10.0
        if abs((c.x0 + c.x1) - (left + right)) > 2 * CAPTION_CENTRE * em or c.x0 - left < CAPTION_CENTRE * em:
            return None
    nxt, last = lines[end], lines[end - 1]
    apart = nxt.page == last.page and last.y_end - nxt.y > GAP_FACTOR * spacing.of(last, nxt)
    return end if apart and not nxt.mono and CONTINUES.match(nxt.text.strip()) else None

def label_apart(prev: Line | None, ln: Line, after: list[Line], cur: list[str], spacing: LineSpacing) -> bool:
    """Is the paragraph *cur* a label standing apart above *ln*, its indented text: one line of
    at most ``LABEL_WORDS`` words of letters (``LABEL``: not the last line of a numbered code
    listing, "21 }"; no sentence end), at most ``LABEL_GAP`` line
    spacings above *ln*, and the line *after* *ln* (if it goes on in the same block) at *ln*'s
    indent: a block set in, not a paragraph's first-line indent. Doxygen's LaTeX sets its
    ``\\note``, ``\\sa``, ``\\return`` sections as a description list (``DoxyDesc``): the label
    on its own line, the text indented under it after a little space; its HTML says the same
    with ``<dl><dt>Note</dt><dd>``."""
    if not (prev is not None and len(cur) == 1 and LABEL.fullmatch(cur[0].strip())
            and len(cur[0].split()) <= LABEL_WORDS and prev.y_end - ln.y <= LABEL_GAP * spacing.of(prev, ln)):
        return False
    nxt = after[0] if after else None
    return (nxt is None or nxt.page_start or abs(nxt.x0 - ln.x0) <= CELL_ALIGN
            or ln.y_end - nxt.y > GAP_FACTOR * spacing.of(ln, nxt))

def broken_blocks(lines: list[Line], left: float, width: float, spacing: LineSpacing, taken: set[int]) -> set[int]:
    """Indices of the lines of line-broken blocks (see the module docstring): runs of at least
    ``BROKEN_LINES`` consecutive proportional lines, each starting ``BROKEN_INDENT`` em or more in
    from *left* and ending before ``BROKEN_SHORT`` of *width*, all at the x of the first
    (``CELL_ALIGN``: terms and their definitions alternate between two), no gap wider than a
    paragraph gap between them, the first set apart from the line above it or set in under a
    line of text (``BROKEN_LEAD_WORDS`` or more, no term or row); lines already
    *taken* (terms, table rows) and list items break a run. Lines of mathematics (``Line.math``
    ≥ ``DISPLAY_MATH``: a formula among the rows) may be in a run but do not count: the rows of a
    display formula set line by line stay the one line ``pdf_displays`` makes of them."""
    def fits(k: int) -> bool:
        ln = lines[k]
        return (k not in taken and not ln.mono and bool(ln.size) and ln.x0 - left >= BROKEN_INDENT * ln.size
                and ln.x1 - left < BROKEN_SHORT * width and item_marker(ln.text.strip()) is None)

    found: set[int] = set()
    run: list[int] = []
    for k in range(len(lines) + 1):
        if k < len(lines) and fits(k) and (not run or (
                (lines[run[-1]].y_end - lines[k].y) <= spacing.of(lines[run[-1]], lines[k]) * GAP_FACTOR
                and (lines[k].math >= DISPLAY_MATH or abs(lines[k].x0 - lines[run[0]].x0) <= CELL_ALIGN))):
            run.append(k)
            continue
        if sum(lines[j].math < DISPLAY_MATH for j in run) >= BROKEN_LINES:
            above = lines[run[0] - 1] if run[0] else None
            apart = above is None or above.y_end - lines[run[0]].y > spacing.of(above, lines[run[0]]) * GAP_FACTOR
            # set in under a sentence, not under a term (a word or two: a man page's hanging
            # "file-ignored" over its three messages is a definition list entry)
            under_text = (above is not None and above.x0 < lines[run[0]].x0 - HANG_INDENT
                          and len(above.text.split()) >= BROKEN_LEAD_WORDS and run[0] - 1 not in taken)
            if apart or under_text:
                found.update(run)
        run = [k] if k < len(lines) and fits(k) else []
    return found
