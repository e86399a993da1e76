"""Table cells that a PDF sets after the wrapped lines of the cell before them, put back in their row.

A table whose cell wraps (texinfo's ``@multitable``: "uniform_cdf | unifcdf in Octave Forge /
statistics pkg | 3.4.0") is drawn column by column inside the row: PDFium's order gives the row's
first line ("uniform_cdf  unifcdf in Octave Forge"), the wrapped rest of the middle cell
("statistics pkg", one line lower) and only then the last cell ("3.4.0"), a line of its own on
the row's baseline. Read in that order, the paragraph rules saw a term with its definition and a
stray number after it (octave.pdf's table of obsolete functions: the numbers read as torn
fragments, the text out of order). ``rejoin_late_cells`` moves such a late cell into its row as a
further cell and folds the wrapped lines into the cell they continue, as ``pdftotext -layout``
shows the row.

A formula set inside a cell does the same (round 10, physics.pdf's tables of commands, "\\dv{x} →
d/dx | one argument"): PDFium ends the row's line where the fraction starts, gives its numerator
and denominator (set about half a line above and below the baseline) as lines of their own, and
then the rest of the row on the row's baseline; or the denominator and the next cell as one line
that ends on the row's baseline. ``rejoin_late_cells`` joins such pieces into the cell they stand
in and the rest into the row, so the row reads as one table row instead of a code line, two
fragments and a stray comment. The limits of a big evaluation bar (round 16, "\\eval(x|_0^\\infty →
x", "∞" above and "0" below in script size) stand further off and are pieces too.
"""

from __future__ import annotations

from dataclasses import replace

from fineflow_desktop.core.ingest.pdf_lines import MONO_SHARE

from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, CELL_GAP, Line

LATE_REACH = 3  # wrapped lines between a row and its late cell
BASELINE_TOL = 0.1  # em: the late cell sits on the row's baseline
WRAP_DROP = 1.6  # em: each wrapped line stands at most this far below the line above it
# em: a formula piece (a fraction's numerator or denominator, a big delimiter's script) has its
# baseline at most this far above or below the row's: TeX's \\frac in text style sets them
# about 0.68 em off the axis (physics.pdf), a wrapped line is a whole spacing (1.2 em) lower
PIECE_REACH = 0.9
# em: a big bar's or operator's limits (``_limit``: two pieces in script size, ≤ ``SCRIPT_SIZE`` × the
# row's, stacked on either side of the baseline) may stand further off ("\\eval(x|_0^\\infty": "∞" 1.2 em above the row's baseline,
# "0" 1.0 em below; 1.5 em for a taller bar, physics.pdf); a wrapped line is set at the row's size
SCRIPT_REACH = 1.6
SCRIPT_SIZE = 0.8


def rejoin_late_cells(lines: list[Line]) -> list[Line]:
    """*lines* (one page's, in PDFium's order) with late cells put back into their rows (see the
    module docstring). A line is a late cell of the row ``k`` lines back (1 < k ≤ 1 + ``LATE_REACH``)
    when the row has two cells or more (``Line.cells``), the line sits on the row's baseline
    (``BASELINE_TOL`` em), starts at least ``CELL_GAP`` em right of the row's end, and every line
    between is a one-part, proportional line starting at one of the row's cells (``CELL_ALIGN``),
    ending left of the late cell, each at most ``WRAP_DROP`` em below the one above: the wrapped
    rest of that cell, appended to it (a word hyphenated at the wrap joined). Any other order is
    left alone."""
    out = list(lines)
    i = 0
    while i < len(out):
        ln = out[i]
        k = _piece_row(out, i)
        if k:  # the rest of a row after the pieces of a formula in one of its cells
            out[i - k] = _with_pieces(out[i - k], out[i - k + 1:i], ln)
            del out[i - k + 1:i + 1]
            i -= k - 1
            continue
        done = False
        for k in range(2, LATE_REACH + 2):
            if i - k < 0 or done:
                break
            row, between = out[i - k], out[i - k + 1:i]
            if _late_cell(row, between, ln):
                cells = list(row.cells)
                for wrap in between:
                    c = min(range(len(cells)), key=lambda j: abs(cells[j][0] - wrap.x0))
                    cells[c] = (cells[c][0], _joined(cells[c][1], wrap.text.strip()))
                cells.append((ln.x0, ln.text.strip()))
                out[i - k] = replace(row, cells=cells, text=" ".join(t for _, t in cells), x1=max(row.x1, ln.x1))
                del out[i - k + 1:i + 1]
                i -= k
                done = True
        i += 1
    return out


def _piece_row(out: list[Line], i: int) -> int:
    """How many lines back the row lies of which ``out[i]`` is the rest after a formula's pieces
    (0: none). The row and the rest share one baseline (``BASELINE_TOL`` em; for a rest that starts
    with the formula's last piece, PDFium's one line for both, its *last* baseline); every line
    between is a piece: its baseline within ``PIECE_REACH`` em of the row's (``SCRIPT_REACH`` for a
    big bar's limits, ``_limit``; the search for the row steps over them) but not on it, right of
    the row's start and left of the rest's next cell (a matrix's rows, "a b" / "c d", are pieces
    of several parts); the rest's text cell starts at least ``CELL_GAP`` em right of the row's and
    the pieces' end (``_split_rest``). Code lines may be rows (a command in a typewriter font
    before its result), the rest must be proportional. A rest right after a row of two cells or
    more, nothing between, joins it too (a big delimiter without text, dropped by ``pdf_lines``,
    made PDFium end the line: "\\tr(\\tall) → tr" / "trace; same bracing …")."""
    ln = out[i]
    size = ln.size
    if not size or ln.mono:
        return 0
    lead = _leads(ln)
    for k in range(1, LATE_REACH + 2):
        if i - k < 0:
            break
        row, between = out[i - k], out[i - k + 1:i]
        if k == 1 and not lead and len(row.cells) < 2:
            continue  # right after the row, with no piece between: only a row already of cells
        if not row.size or abs(row.size - size) > BASELINE_TOL * size or abs(row.y_end - row.y) > BASELINE_TOL * size:
            if _limit(out, i - k, ln.y, size):
                continue  # a big bar's limit: the row lies further back
            return 0
        if abs((ln.y_end if lead else ln.y) - row.y) > BASELINE_TOL * size:
            continue
        head, rest = _split_rest(row, between, ln)
        if not rest or (lead and not head):
            return 0
        cell_x = rest[0][0]
        for j, p in enumerate(between, i - k + 1):
            reach = SCRIPT_REACH if _limit(out, j, row.y, size) else PIECE_REACH
            if (p.mono or not row.x0 < p.x0 < p.x1 < cell_x or abs(p.y - row.y) > reach * size
                    or abs(p.y - row.y) <= BASELINE_TOL * size):
                return 0
        if lead and (not row.x0 < ln.x0 or abs(ln.y - row.y) > PIECE_REACH * size):
            return 0
        return k
    return 0


def _limit(out: list[Line], j: int, base_y: float, size: float) -> bool:
    """Is ``out[j]`` one of a big bar's or operator's two limits: set in script size (at most
    ``SCRIPT_SIZE`` × *size*) and stacked with the line before or after it, also in script size, at
    the same x (within half an em) on the other side of the baseline *base_y* ("∞" above, "0"
    below). A lone raised script (an exponent after a big parenthesis) is none."""
    p = out[j]
    if not p.size or p.size > SCRIPT_SIZE * size:
        return False
    for q in (out[j - 1] if j else None, out[j + 1] if j + 1 < len(out) else None):
        if (q is not None and q.size and q.size <= SCRIPT_SIZE * size and abs(q.x0 - p.x0) <= 0.5 * size
                and (q.y - base_y) * (p.y - base_y) < 0):
            return True
    return False


def _leads(ln: Line) -> bool:
    """Does *ln* start with a formula's last piece and end on another baseline (the row's)?"""
    return ln.y_end != ln.y and len(ln.cells) >= 2


def _split_rest(row: Line, between: list[Line], rest: Line) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """*rest*'s parts as (formula pieces, further cells of the row): the further cells start at
    least ``CELL_GAP`` em right of the row's and the pieces' end (a matrix's columns, closer, are
    pieces); a rest that does not start with a piece (``_leads``) is all further cells, or none if
    it starts too close."""
    limit = max([row.x1, *(p.x1 for p in between)]) + CELL_GAP * rest.size
    parts = rest.cells or [(rest.x0, rest.text.strip())]
    if not _leads(rest):
        return ([], parts) if parts[0][0] >= limit else ([], [])
    head = [c for c in parts if c[0] < limit]
    return head, parts[len(head):]


def _with_pieces(row: Line, between: list[Line], rest: Line) -> Line:
    """*row* with the formula pieces *between* (and the leading pieces of *rest*) joined into the
    cell each stands in, and *rest*'s further cells after them (see ``_piece_row``)."""
    cells = list(row.cells) or [(row.x0, row.text.strip())]
    head, tail = _split_rest(row, between, rest)
    pieces = [*((p.x0, p.text.strip()) for p in between), *(((head[0][0], " ".join(t for _, t in head)),) if head else ())]
    for x, text in pieces:
        c = max((j for j in range(len(cells)) if cells[j][0] <= x), default=0)
        cells[c] = (cells[c][0], f"{cells[c][1]} {text}")
    cells.extend(tail)
    # the joined line is code only if most of its characters are (a command and its result in text)
    mono_chars = len(row.text.strip()) if row.mono else 0
    total = max(sum(len(t) for _, t in cells), 1)
    return replace(row, cells=cells, text=" ".join(t for _, t in cells), x1=max(row.x1, rest.x1),
                   mono=mono_chars / total >= MONO_SHARE)


def _late_cell(row: Line, between: list[Line], ln: Line) -> bool:
    size = row.size
    if not size or len(row.cells) < 2 or row.mono or ln.mono or ln.cells:
        return False
    if abs(ln.y - row.y) > BASELINE_TOL * size or ln.x0 < row.x1 + CELL_GAP * size:
        return False
    above = row
    for wrap in between:
        if (wrap.cells or wrap.mono or wrap.x1 > ln.x0 or not 0 < above.y - wrap.y <= WRAP_DROP * size
                or not any(abs(x - wrap.x0) <= CELL_ALIGN for x, _ in row.cells)):
            return False
        above = wrap
    return True


def _joined(text: str, more: str) -> str:
    if text.endswith(("-", "\xad")) and more[:1].islower():  # a hard or soft hyphen at the wrap
        return text[:-1] + more
    return f"{text} {more}"
