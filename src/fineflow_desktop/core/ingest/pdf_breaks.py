"""Line breaks set by hand or by wrapping, told from the right edges of a PDF page's columns.

``pdf_layout.paragraphs`` joins the lines of a paragraph into one text. A line break that a
line-breaking paragraph builder (TeX, a browser) made only moves a word down when it does not
fit; a break set by hand (texinfo's ``@deftypefnx`` lines, one under the other) leaves room
for the next line's first word. ``set_by_hand`` tells them apart from the section's justified
column edges (``justified_edges``) and the edge of the ragged column a line is wrapped in
(``local_edge``).
"""

from __future__ import annotations

from collections import Counter

from fineflow_desktop.core.ingest.pdf_displays import DISPLAY_MATH
from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, FULL_WORDS, SHORT_LINE, WORD, Line

COLUMN_FILL = 0.15  # share of a column's width: its wrapped lines end this close to its edge (``local_edge``)
FIT_MARGIN = 1.3  # a word's estimated width times this must fit (wide letters, a looser space)
JUSTIFIED_LINES = 3  # ... and this many such lines ending at one x make a column's right edge


def local_edge(lines: list[Line], ln: Line) -> float:
    """The right edge of the column *ln* is wrapped in, when its page shows one (points; ``inf``
    otherwise): of the *lines* on *ln*'s page that start at its x (``CELL_ALIGN``), the longest
    one's right end, when at least half of them end within ``COLUMN_FILL`` of that width from it
    (a wrapped ragged column, a two-column page's change history, fills its measure; signatures
    set by hand end anywhere)."""
    same = [o.x1 for o in lines if o.page == ln.page and abs(o.x0 - ln.x0) <= CELL_ALIGN]
    edge = max(same)
    full = sum(x >= edge - COLUMN_FILL * (edge - ln.x0) for x in same)
    return edge if full * 2 >= len(same) else float("inf")


def set_by_hand(prev: Line | None, ln: Line, left: float, right: float, edges: set[int], local: float,
                above: Line | None = None) -> bool:
    """Was the line break between *prev* and *ln* set by hand rather than by wrapping: *prev*
    (proportional, of the same block) stops short of the *right* edge (``SHORT_LINE`` of the
    measure from *left*), not at one of the section's justified *edges* (``justified_edges``),
    by more than the first word of *ln* and a space would take (its width estimated from
    *prev*'s mean character width, times ``FIT_MARGIN``), so that word would have fitted on
    *prev*; and *ln* is short too (lines set by hand come in runs: a paragraph's last line that
    stops short may be followed by a long line of the next one). Texinfo sets the
    ``@deftypefnx`` lines of a definition without a text one under the other ("double base
    (void) const" / "double limit (void) const"); joined, they read as one sentence. A
    line-breaking paragraph builder (TeX, a browser) only moves a word down when it does not
    fit. The word must also fit under *local*, the edge of the column the lines are wrapped in,
    when their page shows one (``local_edge``). Left alone: lines of mathematics
    (``DISPLAY_MATH``, or no word of three letters: the halves of a fraction "9" / "4"), lines that do not start at one x (a fraction's centred
    halves, "length" / "time"), and lines set in from the text's *left* edge (the wrapped text
    of a table's inner column, of an indented block, stops short of the page's edge too).

    Over a page break (*ln* starts its page; round 19, liboctave.pdf: "SCHUR& operator = (const
    SCHUR &a)" at a page's foot, "Matrix schur_matrix (void) const" atop the next, were joined
    into one sentence) the run must show on *prev*'s page: *above*, the line over *prev*, is short
    and starts at *prev*'s x as well (a paragraph's short last line after a full one is its end)."""
    if (prev is None or prev.mono or ln.mono or not ln.text.split() or abs(prev.x0 - ln.x0) > CELL_ALIGN
            or ln.x0 > left + CELL_ALIGN
            or max(prev.math, ln.math) >= DISPLAY_MATH or not (WORD.search(prev.text) and WORD.search(ln.text))):
        return False
    if ln.page_start and (above is None or above.page != prev.page or abs(above.x0 - prev.x0) > CELL_ALIGN
                          or above.x1 - left >= SHORT_LINE * (right - left)):
        return False
    shown = prev.text.strip()
    # (a justified column's lines end at one x: a two-column page's lines are short, not set by hand)
    if (not shown or max(prev.x1, ln.x1) - left >= SHORT_LINE * (right - left)
            or any(abs(prev.x1 - e) <= CELL_ALIGN for e in edges)):
        return False
    char_w = (prev.x1 - prev.x0) / len(shown)
    # (the word must fit within the lines that start where these do, on their page, too: a
    # ragged column of a two-column page wraps at its own edge)
    return prev.x1 + (len(ln.text.split()[0]) + 1) * char_w * FIT_MARGIN < min(right, local)


def justified_edges(lines: list[Line]) -> set[int]:
    """Right ends (points, rounded) where ``JUSTIFIED_LINES`` or more of *lines* with
    ``FULL_WORDS`` words or more end: the right edge of each column of justified text."""
    ends = Counter(round(ln.x1) for ln in lines if len(ln.text.split()) >= FULL_WORDS)
    return {x for x, n in ends.items() if n >= JUSTIFIED_LINES}
