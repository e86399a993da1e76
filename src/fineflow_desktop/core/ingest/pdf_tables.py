"""Table rows among a section's PDF text lines, for ``pdf_layout.paragraphs``.

- ``table_rows``: runs of lines of several cells (``Line.cells``) whose cells line up;
- ``grid_rows``: rows of a table whose rows leave cells empty, its columns set by a line of
  ``ROW_CELLS`` cells or more (round 10);
- ``stretched``: a justified line of prose whose spaces look like cell gaps (no table);
- ``on_columns`` / ``wraps_cell``: a row's cells on its table's columns, and a line that is the
  wrapped rest of a row's last cell;
- ``merge_row_wraps``: a row that reached the text's right edge and went on under one of its
  cells, one line again (round 12).
"""

from __future__ import annotations

from dataclasses import replace

from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, FULL_WORDS, GAP_FACTOR, WORD, Line
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing

ROW_CELLS = 3  # consecutive lines of this many cells (or more, as many) are table rows
STRETCHED_SHARE = 0.75  # a stretched justified line has this share of its cells one word each (``stretched``)


def table_rows(lines: list[Line]) -> set[int]:
    """Indices of table rows: runs of two or more consecutive proportional-font lines of several
    cells whose second cells start at the same x (``CELL_ALIGN``), or of the same number of cells,
    at least ``ROW_CELLS`` (columns set centred start at a different x in every row); justified
    prose never lines up so, nor has two stretched gaps on consecutive lines (monospace lines are
    code, laid out by ``pdf_layout``), except after sentences: plain TeX widens the space after a
    sentence's period, and justification stretches it past a cell gap, so two consecutive lines of
    three short sentences have three "cells" each (round 14, pari's INSTALL.pdf: "4.3. | The GPRC
    file. | Copy the file …" / "$HOME/.gprc. | Modify it to your liking. | For instance, …"): lines
    whose inner cells all end with a clause's punctuation (``_sentence_gaps``) are no such pair."""
    rows: set[int] = set()
    for i, (a, b) in enumerate(zip(lines, lines[1:])):
        if a.mono or b.mono:
            continue
        if len(a.cells) >= 2 and len(b.cells) >= 2 and abs(a.cells[1][0] - b.cells[1][0]) <= CELL_ALIGN:
            rows.update((i, i + 1))
        elif len(a.cells) >= ROW_CELLS and len(a.cells) == len(b.cells) and not (_sentence_gaps(a) and _sentence_gaps(b)):
            rows.update((i, i + 1))  # centred columns (LaTeX ``c``): the cells' left edges differ
    return rows


def grid_rows(lines: list[Line], reach: int) -> dict[int, list[float]]:
    """Rows of a table of ``ROW_CELLS`` columns or more whose rows leave cells empty (round 10,
    physics.pdf: "\\derivative | \\dv{x} → d/dx | one argument" and then "\\dv{f}{x} → df/dx |
    two arguments", the first column empty until the next command): index → the x of the table's
    columns. A proportional line of ``ROW_CELLS`` cells or more sets the columns; a line within
    *reach* lines of it (``pdf_terms.TERM_REACH``) whose two or more cells each start at one of those columns
    (``CELL_ALIGN``) is a row of the same table, not a definition term beside its text, and so is
    the line that set them. A line in a code font may be a row (a command set in typewriter beside
    its result); code blocks with columns set the columns in a code font themselves, so they never
    start a grid, nor does a justified line stretched into one-word cells (``pdf_tables.stretched``), a
    line that ends with a comma or hyphen (its sentence goes on below: octave's "See also: [a],
    page 971, [b], page 972," twice in a page), or a line without a word (an example's output "⇒ 1 0 0" over the rest of
    its matrix in a code font: those stay code). Only the x where another row has a cell too is a column: a space stretched in a
    justified cell ("order symbol;   automatic sizing and") is none (``pdf_tables.on_columns``); a grid has
    ``ROW_CELLS`` columns so shared at least."""
    rows: dict[int, list[float]] = {}
    for i, ln in enumerate(lines):
        if (ln.mono or len(ln.cells) < ROW_CELLS or not WORD.search(ln.text) or stretched(ln)
                or ln.text.rstrip().endswith((",", "-"))):
            continue
        cols = [x for x, _ in ln.cells]
        members = []
        for k in range(max(0, i - reach), min(len(lines), i + reach + 1)):
            other = lines[k]
            if k == i or len(other.cells) < 2 or other.page != ln.page and not (other.page_start or ln.page_start):
                continue
            if other.mono and not WORD.search(other.text):
                continue  # an example's output in a code font ("0  1  0" under "⇒ 1  0  0"): code
            if all(any(abs(x - c) <= CELL_ALIGN for c in cols) for x, _ in other.cells):
                members.append(k)
        shared = [c for c in cols if any(abs(x - c) <= CELL_ALIGN for k in members for x, _ in lines[k].cells)]
        if len(shared) < ROW_CELLS:
            continue  # (a matrix "a b" / "c d" over two columns beside a cell's text: no grid)
        for k in [i, *members]:
            rows[k] = sorted({*rows.get(k, []), *shared})
    return rows


def stretched(ln: Line) -> bool:
    """Is *ln* a justified line of prose whose spaces were stretched past a cell gap: one word a
    cell (``STRETCHED_SHARE`` of them; a formula "𝑓 𝑎𝑐" may keep its space), ``FULL_WORDS`` cells or more (flint.pdf's "Clean up resources used by …", the
    same sentence three lines further down lining up with it)."""
    return len(ln.cells) >= FULL_WORDS and sum(len(t.split()) == 1 for _, t in ln.cells) >= STRETCHED_SHARE * len(ln.cells)


def on_columns(cells: list[tuple[float, str]], columns: list[float]) -> list[str]:
    """The texts of a table row's *cells*, a cell that starts at no column of its table joined to
    the cell before it (a stretched space inside a justified cell, ``pdf_tables.grid_rows``)."""
    out: list[str] = []
    for x, text in cells:
        if out and columns and not any(abs(x - c) <= CELL_ALIGN for c in columns):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


def wraps_cell(row: Line | None, ln: Line, columns: list[float]) -> bool:
    """Is *ln* the wrapped rest of the last cell of the table row *row* (round 10, physics.pdf:
    "\\order | \\order{x^2} → O(x²) | order symbol; automatic sizing and" / "space handling"): a
    proportional line of one part starting where that cell starts (``CELL_ALIGN``), the row
    having two cells or more and words in its last, and a line spacing below it at most
    (``GAP_FACTOR``, checked by the caller). A line starting at the first cell is the next row; at another cell, a row with
    empty cells (those have several parts, or are rows of their own). With the table's
    *columns* known, the last cell starts at the last of the row's cells on a column."""
    if row is None or len(row.cells) < 2 or ln.mono or ln.cells or ln.page != row.page:
        return False
    starts = [x for x, _ in row.cells if not columns or any(abs(x - c) <= CELL_ALIGN for c in columns)]
    # (a number under a number is the next row's one cell, a span: doxygen's "10 | 10 | 10" / "1000")
    return len(starts) >= 2 and abs(ln.x0 - starts[-1]) <= CELL_ALIGN and bool(WORD.search(row.cells[-1][1]))


def merge_row_wraps(lines: list[Line], right: float, spacing: LineSpacing) -> list[Line]:
    """*lines* with each table row that reached the *right* edge of the text and wrapped under one
    of its cells joined with its wrapped line (new ``Line`` objects; the given ones are left as
    they are). Round 12, mathsemantics.pdf: "valpha. . . vomega | lower-case Greek letters with a
    vector accent Ð \\valpha,\\vbeta | 4" / "𝛼⃗, 𝛽⃗": a paragraph cell holds a description and a
    flush-right example, and the example went to the next line under the cell's start. Read apart,
    the wrapped piece was a display formula or a paragraph, which ended the table: the rows after
    it lost their cells, and the piece stood alone between them (a torn fragment).

    A wrap (``wraps_row``) is joined when the row is a row of a table: the line above it, or the
    line after the wrap, has its second cell where the row has its own (``CELL_ALIGN``), as
    ``table_rows`` pairs rows; the wrap stands no further below than a line spacing
    (``GAP_FACTOR``); and the row's inner cells do not all end with a clause's punctuation
    (``_sentence_gaps``: justified prose), nor is the row a justified line stretched into one-word
    cells (``stretched``: octave's "tiffn   TIFF   image   with   LZW …" beside its wrapped
    definition). The text goes on the row's last cell."""
    out: list[Line] = []
    k = 0
    while k < len(lines):
        row = lines[k]
        wrap = lines[k + 1] if k + 1 < len(lines) else None
        if wrap is not None and wraps_row(row, wrap, right) and row.y_end - wrap.y <= GAP_FACTOR * spacing.of(row, wrap):
            near = [ln for ln in (out[-1] if out else None, lines[k + 2] if k + 2 < len(lines) else None)
                    if ln is not None and len(ln.cells) >= 2 and ln.page == row.page]
            if any(abs(ln.cells[1][0] - row.cells[1][0]) <= CELL_ALIGN for ln in near) and not _sentence_gaps(row) and not stretched(row):
                (x, last), shown = row.cells[-1], wrap.text.strip()
                out.append(replace(row, text=f"{row.text.rstrip()} {shown}", y_end=wrap.y_end,
                                   cells=[*row.cells[:-1], (x, f"{last} {shown}")]))
                k += 2
                continue
        out.append(row)
        k += 1
    return out


def _sentence_gaps(row: Line) -> bool:
    """Do all the inner cells of *row* end with a clause's punctuation (``. , ; :``): a justified
    line whose sentence spaces TeX stretched past a cell gap (a bibliography entry, "[Kut88] |
    B. Kutzler. | muMATH-algebra facilities on microcomputers. | Mini Micro Magazin, 4(9)…", its
    wrapped line under the text's hanging indent), prose, not a row."""
    return all(t.rstrip().endswith((".", ",", ";", ":")) for _, t in row.cells[1:-1])


def wraps_row(row: Line | None, ln: Line, right: float) -> bool:
    """Is *ln* the wrapped rest of the table row *row* whose text reached the *right* edge
    (``merge_row_wraps``): a line of one part (no ``cells``), proportional, on *row*'s page,
    starting where one of *row*'s cells but the first starts (``CELL_ALIGN``; at the first cell it
    is the next row), *row* having ``ROW_CELLS`` cells or more and ending at *right*
    (``CELL_ALIGN``): a row that stops short had room left, so what follows under it is no wrap."""
    return (row is not None and len(row.cells) >= ROW_CELLS and not ln.cells and not ln.mono and ln.page == row.page
            and row.x1 >= right - CELL_ALIGN and any(abs(ln.x0 - x) <= CELL_ALIGN for x, _ in row.cells[1:]))
