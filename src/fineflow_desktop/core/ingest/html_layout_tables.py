"""Tables that lay a page out rather than hold data, walked as the blocks a browser shows:

- layout tables (``is_layout_table``: holding ``pre``, another table, a code display or a row
  marked as a heading by class): each cell as blocks (Doxygen's signatures, the Haskell 98 report's
  code columns, pydoc's class tables), a heading row as a heading;
- spacer tables (``html_indent.is_spacer_table``: cells that only indent, grohtml's ``.TP``): row
  by row as lines, definition entries or a listing's indented lines (``html_indent.row_entry``).
"""

from __future__ import annotations

from fineflow_desktop.core.ingest.html_banner import is_menu_cell
from fineflow_desktop.core.ingest.html_displays import MONO_TAGS, is_code_display
from fineflow_desktop.core.ingest.html_headings import class_heading, heading_level, heading_text
from fineflow_desktop.core.ingest.html_indent import is_blank_cell, row_entry
from fineflow_desktop.core.ingest.html_sections import Blocks, lines_or_blocks
from fineflow_desktop.core.ingest.html_structure import has_blocks, tag_of
from fineflow_desktop.core.ingest.html_tables import nearest_table, row_text


def is_layout_table(el) -> bool:
    """Does ``<table>`` *el* hold a ``pre``, another table, a code display (``html_displays``) or a
    row its generator marks as a heading (``html_headings.class_heading``: pydoc boxes each class
    in a table whose first row is its title and whose other rows lay out its docstring and
    members beside a blank colour bar)? A row holding a real h1–h6 (Doxygen's member tables) does
    not make a layout: ``html_tables.data_table`` reads such tables."""
    return (el.find(".//pre") is not None or el.find(".//table") is not None
            or any(is_code_display(d, tag_of(d)) for d in el.iter(*MONO_TAGS))
            or any(class_heading(tr, "tr") for tr in el.iter("tr") if nearest_table(tr) is el))


def layout_table(el, out: Blocks, depth: int) -> None:
    """A layout table (``is_layout_table``): each cell is walked as blocks of *out*; a cell of only
    inline text after another in the same row (Doxygen's ``inline``/``static`` labels beside a
    signature) joins the row's last line with `` | `` instead of standing as a paragraph. A row
    that is a heading (``html_headings.heading_level``: pydoc's title rows) opens a section."""
    out.flush()
    row, row_start = None, 0
    for cell in el.iter("td", "th"):
        if cell.getparent() is None or nearest_table(cell) is not el:
            continue
        if cell.getparent() is row and row_start < 0:
            continue  # the rest of a heading row
        if cell.getparent() is not row:
            row, row_start = cell.getparent(), len(out.blocks)
            level = heading_level(row, tag_of(row))
            if level is not None:
                out.heading(level, heading_text(row))
                row_start = -1
                continue
        if is_menu_cell(cell):
            continue  # a side column of link boxes ("Main Menu", "Related links"; round 20)
        label = " ".join(" ".join(cell.itertext()).split())
        if (label and len(out.blocks) > row_start and not has_blocks(cell)
                and not out.blocks[-1].endswith("```")):
            out.blocks[-1] += " | " + label  # a label beside what this row already showed
            continue
        out.walk_children(cell, depth + 1)
        out.flush()


def spacer_table(el, out: Blocks, depth: int) -> None:
    """A table that only indents (``html_indent.is_spacer_table``), row by row as the browser shows
    it (``html_indent.row_entry``): one-line rows (list items, data rows, lone tags, lines of
    text) as lines of one block, tag + text as a definition entry, a lone tag in the last row
    waiting for the set-off text after the table (``html_set_off.term_waits``). Right after a
    set-off display its one-line rows go on with the listing, indented (grohtml sets a tab stop
    inside a no-fill display so)."""
    out.flush()
    goes_on = bool(out.blocks) and out.display_end == len(out.blocks)
    entries: list[tuple[str, str]] = []
    for tr in el.iter("tr"):
        if nearest_table(tr) is not el:
            continue
        cells = [c for c in tr if tag_of(c) == "td"]
        filled = [k for k, c in enumerate(cells) if not is_blank_cell(c)]
        texts = [t for t in ("\n\n".join(out.sub_blocks(cells[k], depth + 1)) for k in filled) if t.strip()]
        if not texts:
            continue  # images only (a navigation row of icons)
        if goes_on and all("\n" not in t for t in texts):
            out.blocks[-1] = out.blocks[-1].removesuffix("\n```") + "\n    " + " ".join(texts) + "\n```"
            continue
        goes_on = False
        kind, text = row_entry(texts, filled[0] > 0, filled[-1] < len(cells) - 1)
        entries.append((kind, row_text(tr, out, depth) if kind == "cell" else text))
    if entries and entries[0][0] == "text" and out.tag_at == len(out.blocks):
        # a tag set as an indented paragraph of its own (wider than the tag column) and its text
        # in the table's first row: one definition entry, as the browser shows tag above text
        out.blocks[-1] += "\n: " + entries.pop(0)[1]
    lines_or_blocks(out, [(kind == "entry" or "\n" in text, text) for kind, text in entries])
    if goes_on:
        out.display_end = len(out.blocks)
    elif entries and entries[-1][0] == "term":
        out.term_at = len(out.blocks)  # its text may follow as a set-off block (``html_set_off.term_waits``)
