"""Runs of a PDF text line that PDFium split off at another baseline, joined back into their line.

PDFium starts a new line wherever the baseline moves, so a superscript (``x²``), a subscript
(``m₀``), a footnote mark or the pieces of an inline formula came out as lines of their own,
which the paragraph rules (``pdf_layout``) then read as hanging definitions or new paragraphs.
``join_offset_runs`` joins a run into the line before it when it starts right of the previous run
and its vertical extent overlaps the line's (``_offset_piece``), in x order, and marks a line that
starts with a raised, smaller run as a footnote (``Line.note``).
"""

from __future__ import annotations

from collections import Counter

from fineflow_desktop.core.ingest.pdf_lines import MONO_SHARE, SPACE_GAP, Line
from fineflow_desktop.core.ingest.pdf_marks import BEFORE_REF, MARK_TEXT

# a run at another baseline whose glyphs overlap this share of a line's vertical extent, at most
# OFFSET_GAP em right of the run before it, belongs to that line (sub/superscripts, formula pieces);
# extents from the baseline: BAND_BELOW em down (descenders), BAND_ABOVE em up (capitals)
OFFSET_OVERLAP = 0.4
OFFSET_GAP = 1.5
OFFSET_BACK = 0.5
BAND_BELOW = 0.25
BAND_ABOVE = 0.75
# a run of at most RADICAL_CHARS characters, RADICAL_MATH of them in a math font, raised up to 1 em:
# TeX's radical sign (CMEX "p") hangs down from a baseline set at its top, so its band misses the line
RADICAL_CHARS = 2
RADICAL_MATH = 0.5
RADICAL_RAISE = 1.2  # em (a ceiling bracket around a fraction hangs a little further: 1.13 em in mpfr.pdf)
# a fraction's denominator set inline: at most FRACTION_SIZE × the line's size, starting at most
# FRACTION_BACK em left of the numerator's end (it is centred under it)
FRACTION_SIZE = 0.8
FRACTION_BACK = 4.0
# a line whose first run is raised more than NOTE_RAISE em and set smaller than NOTE_SIZE × its size
# starts with a note number (footnotes: "²See below, in the /usr/libexec section")
NOTE_RAISE = 0.2
# a run whose last baseline lies more than SPAN_SHIFT em below its first runs over two lines
# (PDFium joins the halves of a word hyphenated at a line end into one run; a radical's run
# ends *above* its start, its glyph hangs from a baseline set at its top)
SPAN_SHIFT = 0.8
NOTE_SIZE = 0.9
# a subscript stacked under the superscript that ends the run before it (``[ ]^{α1}_h``) starts back
# under that superscript: up to STACK_BACK em of the line's size left of its end, its first
# baseline more than STACK_RAISE + STACK_DROP em under the last baseline of the run before
STACK_BACK = 1.5
STACK_RAISE = 0.2
STACK_DROP = 0.1
# a run of its own size set back under the run before it and more than UNDER_DROP em lower: the
# lower half of a display fraction (``_set_under``); scripts are smaller and drop less
UNDER_DROP = 1.0


def _band(ln: Line) -> tuple[float, float]:
    """The vertical extent (bottom, top) of *ln*'s glyphs, from its baselines and size:
    descenders reach ``BAND_BELOW`` em under the baseline, capitals ``BAND_ABOVE`` em over it."""
    low, high = min(ln.y, ln.y_end), max(ln.y, ln.y_end)
    return low - BAND_BELOW * ln.size, high + BAND_ABOVE * ln.size


def _offset_piece(base: Line, prev: Line, ln: Line) -> bool:
    """Is *ln* a run of the line *base* set at another baseline (a superscript, a subscript, a
    formula piece): it starts right of the previous run *prev* (within ``OFFSET_GAP`` em) and its
    vertical extent overlaps *base*'s by at least ``OFFSET_OVERLAP`` of the smaller extent.
    The next line of a paragraph lies a whole line spacing lower and starts back at the left.
    A radical or big operator (``RADICAL_CHARS`` characters in a math font, raised up to 1 em)
    joins too: its glyph hangs below a baseline set at its top."""
    if not (ln.size and base.size) or abs(ln.y_end - ln.y) > ln.size:  # a run of several lines
        return False
    gap = ln.x0 - prev.x1  # a prime over a subscript (v′₂) is set back a little; a new line far back
    (b0, b1), (l0, l1) = _band(base), _band(ln)
    if _denominator(base, prev, ln, gap) or _stacked(base, prev, ln, gap):
        return min(b1, l1) - max(b0, l0) >= OFFSET_OVERLAP * min(b1 - b0, l1 - l0)
    if gap < -OFFSET_BACK * ln.size or gap > OFFSET_GAP * max(ln.size, prev.size):
        return False
    if ln.math >= RADICAL_MATH and len(ln.text.strip()) <= RADICAL_CHARS and 0 <= ln.y - base.y <= RADICAL_RAISE * ln.size:
        return True  # a radical or big operator of a math font: its baseline is set at its top
    return min(b1, l1) - max(b0, l0) >= OFFSET_OVERLAP * min(b1 - b0, l1 - l0)


def join_offset_runs(lines: list[Line]) -> list[Line]:
    """*lines* with the runs that PDFium split off at another baseline joined back into their
    line, in x order: PDFium starts a new line wherever the baseline moves, so a superscript
    (``x²``), a subscript (``m₀``) or the pieces of an inline formula became lines of their own,
    which the paragraph rules then read as new blocks. *lines* are one page's, in PDFium's order
    (a run follows the run before it); lines without geometry (size 0) are left alone. The joined
    line keeps the size of its main run (``_main_run``), the baseline most of its characters sit
    on and the fonts most of them are in; a space goes between two runs that are further apart
    than ``SPACE_GAP`` em, and a run may start up to ``OFFSET_BACK`` em left of the previous run's
    end (a prime set over a subscript)."""
    out: list[Line] = []
    group: list[Line] = []

    def flush() -> None:
        if group:
            out.append(group[0] if len(group) == 1 else _merged(group))
            group.clear()

    for ln in lines:
        if group:
            base = max(group, key=_main_run)
            if _offset_piece(base, group[-1], ln):
                group.append(ln)
                continue
            flush()
        group.append(ln)
    flush()
    return out


def _denominator(base: Line, prev: Line, ln: Line, gap: float) -> bool:
    """Is *ln* the lower half of an inline fraction whose upper half ends *prev*: set smaller
    (≤ ``FRACTION_SIZE`` × *base*'s size), below *base*'s baseline, under *prev*'s last
    ``FRACTION_BACK`` em and ending by its end (texinfo's ⌈p log 2 / log b⌉: "log b" under "p log 2",
    which read as a line of its own, a torn fragment, round 8)."""
    return (ln.size <= FRACTION_SIZE * base.size and ln.y < base.y and abs(ln.y_end - ln.y) <= ln.size
            and -FRACTION_BACK * base.size <= gap < -OFFSET_BACK * ln.size and ln.x1 <= prev.x1 + OFFSET_BACK * ln.size)


def _stacked(base: Line, prev: Line, ln: Line, gap: float) -> bool:
    """Is *ln* a subscript stacked under the superscript that ends *prev*: *ln* starts lower than
    *prev* ends (by ``STACK_RAISE`` + ``STACK_DROP`` em of *base*'s size) and back under *prev*'s
    end, by more than a prime's set-back (``OFFSET_BACK``) but at most ``STACK_BACK`` em (the
    vertical overlap with *base* is still required, ``_offset_piece``). membranecomputing's ``[ ]^{α1}_h``: the "h" under "α1" became a paragraph
    of its own ("a [ ]α1" / "h → [ b ] α2 h", round 13)."""
    return (-STACK_BACK * base.size <= gap < -OFFSET_BACK * ln.size
            and prev.y_end - ln.y > (STACK_RAISE + STACK_DROP) * base.size)


def _set_under(prev: Line, ln: Line, gap: float) -> bool:
    """Is *ln* set back under the run *prev* (it starts left of *prev*'s middle: a big bracket
    just before a formula's lower line is no numerator), in a size of its own
    (at least ``NOTE_SIZE`` × *prev*'s: no script) and more than ``UNDER_DROP`` em below *prev*'s
    last baseline: the denominator of a display fraction under its numerator, a word of its own
    (round 14, maximabook's 4/9 after a stacked 8/27 read "49"; spacing every run set back on a
    lower baseline, tried in round 13, split stacked scripts: "v0 n", "𝑥 2")."""
    return (gap < 0 and ln.x0 < (prev.x0 + prev.x1) / 2 and ln.size >= NOTE_SIZE * prev.size and abs(ln.y_end - ln.y) <= ln.size
            and prev.y_end - ln.y > UNDER_DROP * ln.size)


def _main_run(run: Line) -> tuple[int, float]:
    """Sort key of a line's main run: the most characters, then the larger size (a symbol set
    larger, such as groff's 12 pt "ˆ" in "ˆstring1ˆstring2ˆ", does not make the line larger)."""
    return len(run.text.strip()), round(run.size, 1)


def _merged(runs: list[Line]) -> Line:
    """One line from the runs of ``join_offset_runs`` (see there)."""
    base = max(runs, key=_main_run)
    weight = [len(r.text.strip()) for r in runs]
    total = max(sum(weight), 1)
    # the line's baseline: the one most of its characters sit on (a run may start or end raised)
    votes: Counter = Counter()
    for w, r in zip(weight, runs):
        votes[r.y] += w / 2
        votes[r.y_end] += w / 2
    y = max(votes, key=lambda v: (votes[v], -abs(v - base.y)))
    first = runs[0]
    note = first.y - y > NOTE_RAISE * base.size and first.size < NOTE_SIZE * base.size
    # runs are joined as one text; cells only come from inside a run (the gap between two runs
    # may be the room of a glyph that has no text, ``pdf_lines`` drops those)
    text, cells = "", []
    marks: list[tuple[str, int, bool]] = []  # the runs' footnote marks, counted in the joined text
    for prev, ln in zip([None, *runs], runs):
        part = ln.text.strip()
        parts = ln.cells or [(ln.x0, part)]
        if prev is None:
            text, cells = part, list(parts)
            marks = list(ln.marks) + ([(part, 0, True)] if note and MARK_TEXT.match(part) else [])
            continue
        # a footnote's number is a word of its own ("9 Found at"), a superscript is not ("x2")
        # (a fraction's lower half, set back under the upper, is a word of its own too)
        # (and so is a subscript stacked under a superscript: "α1 h", as pdftotext reads it)
        gap = ln.x0 - prev.x1
        # (and a display fraction's denominator under its numerator: "4 9", not "49")
        sep = " " if (gap > SPACE_GAP * base.size or _denominator(base, prev, ln, gap) or _stacked(base, prev, ln, gap)
                      or _set_under(prev, ln, gap) or (note and prev is first)) else ""
        marks += [(m, (text + sep).count(m) + occ, False) for m, occ, _ in ln.marks]
        if (ln.y - y > NOTE_RAISE * base.size and ln.size < NOTE_SIZE * base.size and MARK_TEXT.match(part)
                and BEFORE_REF.match(text[-1:]) and prev.math < RADICAL_MATH):
            marks.append((part, (text + sep).count(part), False))  # a raised mark in a run of its own ("x.²")
        text += sep + part
        cells[-1] = (cells[-1][0], cells[-1][1] + sep + parts[0][1])
        cells.extend(parts[1:])

    def share(values) -> float:
        return sum(w * v for w, v in zip(weight, values)) / total

    # a run that PDFium joined over a line end (a word hyphenated there) keeps the line's first
    # and last baselines: with one baseline the line looked a whole line spacing lower (or higher)
    # than it starts, a paragraph gap above it ("…by typing explicitly their elements," / "very often")
    spans = [r for r in runs if r.y - r.y_end > SPAN_SHIFT * r.size]
    y_first, y_last = (spans[0].y, spans[-1].y_end) if spans else (y, y)
    return Line(text, min(r.x0 for r in runs), max(r.x1 for r in runs), y_first, base.size,
                share(r.mono for r in runs) >= MONO_SHARE, y_last, cells if len(cells) > 1 else [],
                bold=share(r.bold for r in runs) >= MONO_SHARE, spaced=any(r.spaced for r in runs),
                math=share(r.math for r in runs), note=note, after_figure=first.after_figure, lead_mono=first.lead_mono,
                marks=marks)


MARGIN_BASELINE = 0.2  # em: a margin part sits on its line's baseline within this


def margin_first(lines: list[Line]) -> list[Line]:
    """*lines* (one page's, PDFium's order) with text set in the left margin put back before the
    line it stands beside: LaTeX draws a ``\\marginpar`` (ltxdoc's and many package manuals' macro
    names) where it is called, mid-line, so PDFium reads "By default, the \\vect command6" then
    "\\vect , produces vectors …" on the same baseline (``pdf_lines`` cuts a line where it goes back
    into the margin). A line *b* right after *a* on *a*'s baseline whose first part lies left of
    *a* and whose other parts (if any) lie right of *a* becomes one line: "\\vect By default, the
    \\vect command6 , produces vectors …", as the page (and ``pdftotext -layout``) reads it.
    Lines that start with a footnote mark or without geometry are left alone."""
    out: list[Line] = []
    for ln in lines:
        a = out[-1] if out else None
        if a is not None and _beside(a, ln):
            out[-1] = _margin_joined(a, ln)
        else:
            out.append(ln)
    return out


def _beside(a: Line, b: Line) -> bool:
    """Does *b* start with a margin part beside *a* (``margin_first``): on *a*'s baseline (within
    ``MARGIN_BASELINE`` em), starting left of *a*, its other parts (if any) right of *a*'s end."""
    if not (a.size and b.size) or a.note or b.note or any(start for _, _, start in a.marks + b.marks):
        return False
    if abs(a.y - b.y) > MARGIN_BASELINE * a.size or abs(a.y_end - a.y) > a.size or b.x0 >= a.x0 - OFFSET_BACK * a.size:
        return False
    if len(b.cells) > 1:  # the margin part, then the rest of the line right of a
        return b.cells[1][0] >= a.x1 - OFFSET_BACK * a.size
    return b.x1 <= a.x0  # the margin part alone


def _margin_joined(a: Line, b: Line) -> Line:
    """*b*'s first part, then *a*, then the rest of *b*, as one line (``margin_first``)."""
    lead = b.cells[0][1].strip() if len(b.cells) > 1 else b.text.strip()
    rest = b.cells[1:] if len(b.cells) > 1 else []
    tail = " ".join(t.strip() for _, t in rest)
    text = lead + " " + a.text.strip() + (" " + tail if tail else "")
    marks = [(m, occ + lead.count(m), False) for m, occ, _ in a.marks]
    head = lead + " " + a.text.strip() + " "
    b_text = b.text.strip()
    cut = b_text.find(tail) if tail else len(b_text)
    marks += [(m, occ - b_text[:cut].count(m) + head.count(m), False) for m, occ, _ in b.marks
              if occ >= b_text[:cut].count(m)]
    cells = [(b.x0, lead), *(a.cells or [(a.x0, a.text.strip())]), *rest]
    return Line(text, b.x0, max(a.x1, b.x1), a.y, a.size, a.mono, b.y_end if rest else a.y_end, cells,
                page=a.page, page_start=a.page_start, bold=a.bold, spaced=a.spaced or b.spaced, math=a.math,
                lead_mono=b.lead_mono, after_figure=a.after_figure, slanted=a.slanted, marks=marks)
