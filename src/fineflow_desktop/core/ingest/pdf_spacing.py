"""Measures over many PDF lines (``pdf_lines.Line``): a document's two-sided layout
(``align_margins``) and a page's or section's usual line spacing (``line_spacing``,
``LineSpacing``). Split out of ``pdf_lines`` in session 12's review (a move, no change)."""

from __future__ import annotations

from collections import Counter

from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, Line


def align_margins(pages: list[list[Line]]) -> None:
    """Mark each page's first line ``page_start`` and every line's ``page`` (1-based); in a
    two-sided layout (the left edge of even pages differs from odd pages') shift the even pages'
    lines onto the odd pages' edge. A page's edge is the leftmost x where three or more of its
    proportional lines start; the shift is decided per parity (the most common edge of odd and of
    even pages), never per page: a page of nothing but a definition list has its "edge" at the
    definitions' indent. The right edges (the widest line of each page) must move by the same
    amount, or the layout is one-sided and nothing moves."""
    def edge(lines: list[Line]) -> int | None:
        xs = Counter(round(ln.x0) for ln in lines if not ln.mono)
        frequent = [x for x, c in xs.items() if c >= 3]
        return min(frequent) if frequent else None

    def parity_shift(edges: list) -> int | None:
        by_parity = [Counter(e for k, e in enumerate(edges) if e is not None and k % 2 == parity) for parity in (0, 1)]
        if not all(by_parity):
            return None
        return by_parity[1].most_common(1)[0][0] - by_parity[0].most_common(1)[0][0]  # even minus odd pages

    shift = parity_shift([edge(lines) for lines in pages]) or 0
    # the whole text block moves in a two-sided layout: its right edge by the same amount (a man
    # page's section names at the margin on some pages only must not shift a one-sided layout)
    right = parity_shift([max((round(ln.x1) for ln in lines if not ln.mono), default=None) for lines in pages])
    if right is None or abs(right - shift) > CELL_ALIGN:
        shift = 0
    for number, lines in enumerate(pages, 1):
        for k, ln in enumerate(lines):
            ln.page, ln.page_start = number, k == 0
            if shift and number % 2 == 0:
                ln.x0 -= shift
                ln.x1 -= shift
                ln.cells = [(x - shift, t) for x, t in ln.cells]


def line_spacing(lines: list[Line]) -> float:
    """The page's usual distance between consecutive lines (the most common, rounded)."""
    gaps = [round(a.y_end - b.y) for a, b in zip(lines, lines[1:]) if 0 < a.y_end - b.y < 60]
    return float(Counter(gaps).most_common(1)[0][0]) if gaps else 12.0


class LineSpacing:
    """The usual distance between consecutive lines (points): the section's (``line_spacing``),
    unless that is less than the lines' font size, which no text is set at (a code listing at
    8 pt outnumbering 10 pt prose gave 9 pt, and every prose line became a paragraph gap): then
    the usual distance between lines of their size (with at least 3 such pairs)."""

    def __init__(self, lines: list[Line]):
        self.usual = line_spacing(lines)
        by_size: dict[int, Counter] = {}
        for a, b in zip(lines, lines[1:]):
            if round(a.size) == round(b.size) and 0 < a.y_end - b.y < 60:
                by_size.setdefault(round(a.size), Counter())[round(a.y_end - b.y)] += 1
        self.by_size = {size: float(c.most_common(1)[0][0]) for size, c in by_size.items() if sum(c.values()) >= 3}

    def of(self, a: Line, b: Line) -> float:
        """The usual spacing between line *a* and the line *b* under it (points)."""
        if self.usual >= max(a.size, b.size) or round(a.size) != round(b.size):
            return self.usual
        return self.by_size.get(round(a.size), self.usual)
