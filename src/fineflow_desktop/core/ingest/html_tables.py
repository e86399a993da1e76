"""Data tables as chunk text: one line per row, cells joined by `` | `` (docs/DEVELOPING.md, "Chunk
text"); also CSS-grid tables whose leading children are column headers (javadoc's
``summary-table``). Tables that only lay a page out are ``html_layout_tables``.
"""

from __future__ import annotations

from fineflow_desktop.core.ingest.html_headings import heading_level
from fineflow_desktop.core.ingest.html_sections import Blocks
from fineflow_desktop.core.ingest.html_structure import tag_of


def data_table(el, out: Blocks, depth: int) -> None:
    """A data table as blocks of *out*: rows as lines; a row that holds a heading (Doxygen's member
    summaries put ``<h2>Public Member Functions</h2>`` in a ``<tr>``) ends the rows before it, opens a
    section, and its other cells follow as blocks (gtk-doc: ``<h2>GtkFrame</h2><p>GtkFrame — A
    bin…</p>``)."""
    rows: list[str] = []
    caption = el.find("caption")
    if caption is not None:
        text = " ".join(" ".join(caption.itertext()).split())
        if text:
            rows.append(text)
    width = table_width(el)
    for tr in el.iter("tr"):
        if nearest_table(tr) is not el:
            continue
        if any(heading_level(h, tag_of(h)) is not None for h in tr.iter()):
            out.block("\n".join(rows))
            rows = []
            for cell in tr:  # the heading, and whatever else the row holds, as blocks
                if tag_of(cell) in ("td", "th"):
                    out.walk_children(cell, depth + 1)
                    out.flush()
            continue
        if (cell := full_width_cell(tr, width)) is not None:
            out.block("\n".join(rows))  # the rows before stay one block
            rows = []
            out.walk_children(cell, depth + 1)
            out.flush()
            continue
        if row := row_text(tr, out, depth):
            rows.append(row)
    out.block("\n".join(rows))


def table_width(el) -> int:
    """The number of cells (``td``/``th``, colspan counted) in the widest row of table *el*."""
    width = 0
    for tr in el.iter("tr"):
        if nearest_table(tr) is el:
            width = max(width, sum(_span(c) for c in tr if tag_of(c) in ("td", "th")))
    return width


def full_width_cell(tr, width: int):
    """The only cell of row *tr* when it spans the table's *width* (≥ 2 columns) and holds a
    collapsible box (``<details>``, HTML's disclosure widget: a block of paragraphs with its own
    ``<summary>`` title), else None. A browser draws the box across the table, not as one cell of
    a row: Haddock's instance tables put each instance's "Instance details" (its "Defined in"
    line and one ``<p class="src">`` per method) in a ``<td colspan="2"><details>`` row of its own,
    which read as one row joined every method into one line with `` — `` (round 11).
    Full-width cells of other blocks stay rows: with any block there, cppreference's held-out
    pages went from torn 0.78% to 0.87% (1,062 pages changed), with two or more paragraphs still so."""
    cells = [c for c in tr if tag_of(c) in ("td", "th")]
    if width < 2 or len(cells) != 1 or _span(cells[0]) < width:
        return None
    boxes = [c for c in cells[0] if isinstance(c.tag, str)]
    if len(boxes) == 1 and tag_of(boxes[0]) == "details" and not (cells[0].text or "").strip():
        return cells[0]
    return None


def _span(cell) -> int:
    try:
        return max(int(cell.get("colspan") or 1), 1)
    except ValueError:
        return 1


def row_text(tr, out: Blocks, depth: int) -> str:
    """A data-table row: its cells joined with `` | `` (empty cells kept: they hold a column), ""
    when all are empty; *out* walks the cells (``Blocks.sub_blocks``)."""
    cells = []
    for cell in tr:
        if tag_of(cell) in ("td", "th"):
            # a cell's paragraphs (DocBook stacks "name type" over "description") stay apart
            cells.append(" — ".join(" ".join(b.split()) for b in out.sub_blocks(cell, depth + 1, displays=False)))
    return " | ".join(cells) if any(cells) else ""


def nearest_table(node):
    """The closest ``<table>`` ancestor of *node* (a row or cell), else None: rows of a nested
    table are not rows of the outer one."""
    p = node.getparent()
    while p is not None and tag_of(p) != "table":
        p = p.getparent()
    return p


def grid_columns(el) -> int:
    """Columns of a CSS-grid table (javadoc's ``summary-table``): the number of leading children
    that are column headers (class token ``table-header`` or ARIA ``role="columnheader"``), else 0."""
    n = 0
    for child in el:
        if not isinstance(child.tag, str):
            continue
        classes = (child.get("class") or "").split()
        if "table-header" in classes or child.get("role") == "columnheader":
            n += 1
        else:
            break
    return n


def grid_text(el, columns: int, out: Blocks, depth: int) -> str:
    """A CSS-grid table's children as rows of *columns* cells joined by `` | `` (a cell's
    paragraphs by `` — ``)."""
    cells = [" — ".join(" ".join(b.split()) for b in out.sub_blocks(c, depth + 1, displays=False))
             for c in el if isinstance(c.tag, str)]
    return "\n".join(" | ".join(cells[i:i + columns]) for i in range(0, len(cells), columns))
