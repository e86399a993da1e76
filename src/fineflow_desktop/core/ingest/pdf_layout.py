"""PDF text lines (``core.ingest.pdf_lines``) → paragraphs in the chunk-text convention.

From the lines of one section (running headers and page furniture already gone) this module
rebuilds the blocks a reader sees: ``section_layout`` finds what needs the whole section, then
``pdf_paragraphs.ParagraphBuilder`` reads the lines one by one (one method per kind of line; the
text of a block is put together by ``pdf_joins``). The rules:

- **paragraphs** (``paragraphs``): lines are joined with a space; a paragraph ends at a vertical
  gap larger than ``GAP_FACTOR`` × the page's usual line spacing, at a first-line indent after a
  finished sentence, after a short line that ends a sentence, where the font size changes by
  more than ``pdf_paragraphs.SIZE_CHANGE`` after a finished sentence, at a line starting with a raised note
  number (``pdf_lines.Line.note``) after a finished sentence, or where the font switches between
  monospace and proportional (a line is monospace when ``pdf_lines.MONO_SHARE`` of its sampled characters
  are: prose naming many identifiers in a code font stays prose).
- **definition entries** (``pdf_terms.term_lines``): a short term and its definition side by side, the
  definition going on below at its own indent, become ``term`` / ``: definition`` (each further
  paragraph at the definition's indent another ``: `` line of the same entry); so does a
  short unfinished block followed by a hanging indent (``pdf_joins.hangs``: a signature or long option on
  its own line, the text below it indented; a label of a few words may stand a little apart
  above its text, ``pdf_blocks.label_apart``), a single code-font line with prose indented
  under it (a term of texinfo's ``@table @code``), and a label in bold or a code font run into
  its text with the text hanging under it (``pdf_terms.lead_entry``: LaTeX's ``description``,
  round 19);
- **table rows**: two or more consecutive lines of several cells (``Line.cells``) whose second
  cells line up (``CELL_ALIGN``) are rows, one per line, cells joined by `` | ``; a short part
  set flush right on its own (texinfo's ``[Function]``) is a label, moved after the block it
  stands beside, as pdftotext reads it, unless the sentence runs on into the next line
  (``pdf_joins.runs_on``: a justified line's stretched space is as wide, also on a paragraph's indented
  first line); a line of three cells or more
  sets the columns of a table whose rows may leave cells empty (``pdf_tables.grid_rows``, round 10);
- **code**: monospace runs are code (a monospace line inside a sentence is inline code unless it
  is indented, as example blocks are, follows a prose line that stops short of the right
  edge, where the sentence broke for an example, or has another code line under it): verbatim, fenced with ```; a one-line example
  that a sentence ran into is no term of a definition list, even with an indented line below;
- **lists**: lines starting with a bullet or ``1.`` are list items (``- `` / ``1. ``), one per line;
- **display formulas** (``pdf_displays.display_spans``: set off from the left edge, with math
  fonts, with their limits and equation number) are one line each. A sentence that runs into
  one (the text before does not end with ``. ! ?``) keeps it as its next line, and text after it
  that goes on with a lower-case word or punctuation is the same sentence: it stays in the
  paragraph, on the next line.
- **text after a dropped figure** (``Line.after_figure``, round 8): like text after a display, a
  line going on with a lower-case word or punctuation after a figure that a sentence ran into
  ("The following graph" / [figure] / "might be coded as follows.") stays in that paragraph,
  on its own line; before, the figure's gap made it a new paragraph, a break inside the sentence.
- **a figure's caption inside a sentence** (``pdf_blocks.caption_end``, round 15): a centred caption right
  after a dropped figure that a sentence ran into, the sentence going on after it, follows the
  paragraph (as footnotes do); LaTeX floats figures to a page's top, inside any sentence.
- **names in the left margin** (``pdf_terms.margin_notes``, round 15): ltxdoc's ``\\DescribeMacro``
  names beside a paragraph become its terms (``\\inumber`` / ``\\jnumber`` / ``: Nevertheless, …``),
  not lines inside its sentences; a term beside a paragraph's indented first line whose sentence
  goes on at the text's edge below keeps that line (``PAR_INDENT``).
- **line-broken blocks** (``pdf_blocks.broken_blocks``, round 7): ``BROKEN_LINES`` or more consecutive
  short proportional lines, indented from the text's edge and set off from the line above (the
  rows of a LaTeX ``tabular``/``array`` shown inside a sentence: a file format's layout "various
  comments / H-representation / begin / m d + 1 numbertype / end"), keep one line each; like a
  display, they stay in the sentence that runs into them. Joined, they read as one sentence
  of fragments ("begin m d + 1 numbertype b −A end").
- **hyphenation**: a line ending with ``-`` before a lower-case continuation is joined without
  the hyphen.
"""

from __future__ import annotations

import re
from collections import Counter

from fineflow_desktop.core.ingest.pdf_blocks import broken_blocks
from fineflow_desktop.core.ingest.pdf_breaks import justified_edges
from fineflow_desktop.core.ingest.pdf_displays import DISPLAY_MATH, display_spans, text_displays
from fineflow_desktop.core.ingest.pdf_lines import FULL_WORDS, Line, item_marker
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing
from fineflow_desktop.core.ingest.pdf_notes import foot_notes
from fineflow_desktop.core.ingest.pdf_paragraphs import ParagraphBuilder
from fineflow_desktop.core.ingest.pdf_reading import SectionLayout
from fineflow_desktop.core.ingest.pdf_tables import grid_rows, merge_row_wraps, table_rows
from fineflow_desktop.core.ingest.pdf_terms import TERM_REACH, margin_cells, margin_notes, term_lines, term_runs

# a comment leader: "\\", "#", "//", "--", "/*", "%", ";" (not a typographic dash: "GLP_DUAL — use …" is a definition)
_LEADER = r"[^\w\s()\[\]{}\"'“”‘’—–]{1,3}"
_ENDS_WITH_LEADER = re.compile(rf"\s{_LEADER}$")
_STARTS_WITH_LEADER = re.compile(rf"^{_LEADER}(?:\s|$)")


def text_right(pages: list[list[Line]]) -> float:
    """The right edge of a document's text (points): the most common right end, to the point,
    of its proportional lines of ``FULL_WORDS`` words or more (a justified line ends there);
    0.0 when there are none. A section of short lines only (texinfo's definition lines without
    text) has no line reaching the edge to measure it by."""
    ends = Counter(round(ln.x1) for lines in pages for ln in lines
                   if not ln.mono and len(ln.text.split()) >= FULL_WORDS)
    return float(ends.most_common(1)[0][0]) if ends else 0.0


def paragraphs(lines: list[Line], measure_right: float = 0.0) -> list[str]:
    """Blocks of the chunk-text convention from one section's *lines* (see the module docstring);
    *measure_right*: the document's right text edge (``text_right``; points), when known."""
    if not lines:
        return []
    return ParagraphBuilder(section_layout(lines, measure_right)).run()


def section_layout(lines: list[Line], measure_right: float = 0.0) -> SectionLayout:
    """What needs a whole section's *lines* (non-empty) before they are read one by one: its text
    edges and line spacing, table rows, definition terms, displays, line-broken blocks, footnotes
    and margin names (``pdf_reading.SectionLayout``). Marks code lines whose comment is set
    in roman as monospace (``_commented_code``)."""
    # the text's edge and line spacing from its prose: display formulas (set apart and indented)
    # can outnumber the prose lines of a short section
    words = [ln for ln in lines if ln.math < DISPLAY_MATH]
    spacing = LineSpacing(words if len(words) > 1 else lines)
    prose = [ln for ln in words if not ln.mono] or [ln for ln in lines if not ln.mono] or lines
    left = Counter(round(ln.x0) for ln in prose).most_common(1)[0][0]
    right = max(ln.x1 for ln in prose)
    width = max(right - left, 1.0)
    lines = merge_row_wraps(lines, right, spacing)  # a table row that wrapped under one of its cells
    # (a name in the margin that PDFium read as the first part of a paragraph's first line)
    grid = grid_rows(lines, TERM_REACH)
    lines, beside = margin_cells(lines, left, right, (table_rows(lines) - set(term_lines(lines))) | set(grid))
    for ln in lines:
        if _commented_code(ln, left, right):
            ln.mono = True  # code with a comment set in roman: a code line as its neighbours are
    edges = justified_edges(prose)
    grid = grid_rows(lines, TERM_REACH)
    terms = {k: None for k in term_lines(lines) if k not in grid}
    rows = (table_rows(lines) - set(terms)) | set(grid)
    displays = display_spans(lines, left, right, spacing, lambda text: item_marker(text) is not None)
    taken = {k for b, e in displays.items() for k in range(b - 1, e + 1)} | set(terms) | rows
    displays.update({b: e for b, e in text_displays(lines, left, right, spacing, lambda t: item_marker(t) is not None).items()
                     if not {b - 1, b, b + 1} & taken})
    broken = broken_blocks(lines, left, width, spacing, set(terms) | rows)
    run_ends = term_runs(lines, left, max(right, measure_right), spacing,
                         set(terms) | rows | broken | {k for b, e in displays.items() for k in range(b, e)})
    notes = foot_notes(lines)
    margins = margin_notes(lines, left, right)  # names in the left margin → the line they stand beside
    return SectionLayout(lines=lines, left=left, right=right, width=width, measure_right=measure_right,
                         spacing=spacing, edges=edges, grid=grid, terms=terms, rows=rows, displays=displays,
                         broken=broken, run_ends=run_ends, notes=notes, margins=margins, beside=beside,
                         split=set(beside))


def _commented_code(ln: Line, left: float, right: float) -> bool:
    """Is *ln* a code line whose comment is set in a text font (PARI's ``ellorder(E, q) \\ simpler``):
    not monospace as a whole, but its first part is (``Line.lead_mono``), a comment leader (a
    token of punctuation, no bracket: a definition beside a code term starts with a word) ends
    that part or starts the next, and the line is indented and stops short of the right edge
    (not justified prose)."""
    if ln.mono or not ln.lead_mono or len(ln.cells) < 2 or ln.x0 - left <= 8 or ln.x1 >= right - 2 * ln.size:
        return False
    # the leader ("\\", "#", "//", "--") ends the code part or starts the comment
    return bool(_ENDS_WITH_LEADER.search(ln.cells[0][1]) or _STARTS_WITH_LEADER.match(ln.cells[1][1]))
