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
"""

from __future__ import annotations

from dataclasses import replace

from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, CELL_GAP, Line

LATE_REACH = 3  # wrapped lines between a row and its late cell
BASELINE_TOL = 0.1  # em: the late cell sits on the row's baseline
WRAP_DROP = 1.6  # em: each wrapped line stands at most this far below the line above it


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
