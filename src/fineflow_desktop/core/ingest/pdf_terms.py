"""Definition entries among a section's PDF text lines, for ``pdf_layout.paragraphs``.

- ``term_lines``: a short term and its definition side by side on one line (texinfo ``@table``,
  man-page option lists);
- ``term_runs``: several term lines over one hanging text (texinfo ``@deftypefnx``/``@itemx``);
- ``margin_notes``: names set in the left margin beside a paragraph (ltxdoc's ``\\DescribeMacro``,
  ``\\marginpar``), the terms of the paragraph they stand beside (round 15);
- ``lead_entry``: a term in bold or a code font run into its text, the text hanging under it
  (LaTeX's ``description`` lists, round 19).
"""

from __future__ import annotations

import re
from dataclasses import replace

from fineflow_desktop.core.ingest.pdf_displays import DISPLAY_MATH
from fineflow_desktop.core.ingest.pdf_lines import (
    CELL_ALIGN, FULL_WORDS, GAP_FACTOR, SENTENCE_END, SHORT_LINE, WORD, Line, item_marker,
)
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing

HANG_INDENT = 8  # points: a hanging text starts this much further in than its term
HANG_TERM_WORDS = 24  # a C signature of a few parameters
TERM_WORDS = 4  # a definition term beside its definition has at most this many words
TERM_REACH = 8  # lines: the entries of one list lie this close (``term_lines``; ``pdf_tables.grid_rows``)
TERM_RUN = 2  # definition lines over one text (``term_runs``)
MARGIN_WORDS = 3  # a margin note has at most this many words ...
MARGIN_GAP = 0.5  # em: ... ends this far left of the text's edge at least ...
LEAD_HANG = 6.0  # em: a description item's text hangs at most this far in under its label (``lead_entry``)
PAR_INDENT = (1.0, 3.0)  # em: a paragraph's first-line indent (LaTeX's \\parindent is 1.5 em)
MARGIN_TEXT_WORDS = 5  # words (``WORD``) of the text beside a note read as a line's first part (a table row has few)
MARGIN_REACH = 3.0  # em: ... and this far at most (set flush right against the text: ``\\llap``) ...
MARGIN_LEVEL = 0.3  # em: ... and sits on the baseline of a line of the text (within this)
_NOTE = re.compile(r"[A-Za-z]\S|\S[A-Za-z]")  # a name of two characters at least, a letter among them (not "A" of "A complete …")


def term_lines(lines: list[Line]) -> dict[int, None]:
    """Indices of definition-list entries set as term and definition side by side (texinfo
    ``@table``, man-page option lists): a line of two parts, the first a short term (at most
    ``TERM_WORDS`` words), the second prose (two words or more), where the definition either goes
    on in the next line at the second part's x (a hanging indent) or the next/previous line is
    such an entry with its definition at the same x (within ``TERM_REACH`` lines: the entries
    of one list, a multi-line definition between them)."""
    def shaped(ln: Line) -> bool:
        return (not ln.mono and len(ln.cells) == 2 and len(ln.cells[0][1].split()) <= TERM_WORDS
                and len(ln.cells[1][1].split()) >= 2)

    out: dict[int, None] = {}
    for i, ln in enumerate(lines):
        if not shaped(ln):
            continue
        x = ln.cells[1][0]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        hanging = nxt is not None and not nxt.cells and abs(nxt.x0 - x) <= CELL_ALIGN
        near = lines[max(0, i - TERM_REACH):i] + lines[i + 1:i + 1 + TERM_REACH]
        listed = any(shaped(o) and abs(o.cells[1][0] - x) <= CELL_ALIGN for o in near)
        if hanging or listed:
            out[i] = None
    return out


def term_runs(lines: list[Line], left: float, right: float, spacing: LineSpacing, taken: set[int]) -> dict[int, int]:
    """``{first index: index of the text}`` of definition entries with several term lines (texinfo
    sets each ``@deftypefnx``/``@itemx`` on a line of its own, in a code font or code and italic:
    "quit" / "quit cancel" / "quit (status)" / then "Quit the current Octave session." indented
    under them): ``TERM_RUN`` or more consecutive lines at one x (``CELL_ALIGN``), none *taken*
    (terms beside their text, table rows, displays), no list item, none ending a sentence, the
    proportional ones short (``SHORT_LINE`` of the measure *left*–*right*), no paragraph gap
    between them nor before the text, which starts ``HANG_INDENT`` further in and goes on at its
    own x (or ends there: a hanging block, not the first-line indent of a paragraph, whose next
    line is back at the left edge; prose, no display); one line at least not in a code font (a
    code block with text indented under it stays code); the line above the run, if close, ends
    a sentence or is *taken* (a display, a row: the lines are no example that a sentence runs
    into). The lines may go on over a page break. Before, the code-font lines became code
    blocks and the others one sentence of signatures between them."""
    width = max(right - left, 1.0)

    def fits(k: int) -> bool:
        ln, text = lines[k], lines[k].text.strip()
        # (an ellipsis "(. . .)" among a signature's arguments ends no sentence)
        # (a listing's numbered lines, "196 \\let…", are no terms: ltxdoc sets the text after a
        # listing at the margin right of the numbers, like a hanging text)
        return (k not in taken and bool(text) and item_marker(text) is None and not text.split()[0].isdigit()
                and not SENTENCE_END.search(text.replace(". . .", "\u2026"))
                and (ln.mono or ln.x1 - left < SHORT_LINE * width) and len(text.split()) <= HANG_TERM_WORDS)

    def close_to(a: Line, b: Line) -> bool:
        return not b.page_start and a.y_end - b.y <= spacing.of(a, b) * GAP_FACTOR

    out: dict[int, int] = {}
    i = 0
    while i < len(lines):
        end = i
        # (the lines of one entry may go on over a page break, at the same x)
        while end < len(lines) and fits(end) and (end == i or (
                (lines[end].page_start or close_to(lines[end - 1], lines[end]))
                and abs(lines[end].x0 - lines[i].x0) <= CELL_ALIGN)):
            end += 1
        if end - i < TERM_RUN or end >= len(lines):
            i = max(end, i + 1)
            continue
        body, above = lines[end], lines[i - 1] if i else None
        nxt = lines[end + 1] if end + 1 < len(lines) else None
        hanging = (body.x0 - lines[i].x0 > HANG_INDENT and not body.mono and end not in taken
                   and body.math < DISPLAY_MATH and bool(WORD.search(body.text)) and close_to(lines[end - 1], body)
                   and not all(ln.mono for ln in lines[i:end])
                   and (nxt is None or not close_to(body, nxt) or abs(nxt.x0 - body.x0) <= CELL_ALIGN))
        clear = (above is None or not close_to(above, lines[i]) or i - 1 in taken
                 or bool(SENTENCE_END.search(above.text.strip())))
        if hanging and clear:
            out[i] = end
        i = end
    return out


def margin_cells(lines: list[Line], left: float, right: float,
                 rows: set[int] = frozenset()) -> tuple[list[Line], dict[int, list[str]]]:
    """*lines* with the margin note that PDFium read as the first part of a line taken off it,
    and ``{index: [the note]}`` of those lines (mismath.pdf: "\\enumber" beside "Nevertheless, it
    can be tiresome …", one line of two parts, which ran on from the paragraph before it). The
    first part is a note as in ``margin_notes`` (at most ``MARGIN_WORDS`` words, ``_NOTE``,
    starting ``MARGIN_GAP`` em or more left of the text block), the next part starts at the block's
    edge or up to ``PAR_INDENT`` em in (a paragraph's first-line indent), and the text beside it
    has ``MARGIN_TEXT_WORDS`` words or more. Table rows (*rows*) and definition-list lines
    (``term_lines``) keep their first parts. ``pdf_layout.paragraphs`` starts an entry at such a
    line unless a sentence is open: a man page's or texinfo's option beside its text
    ("-true Always true.", "progcomp If set, …") becomes "-true" / ": Always true." too."""
    terms = term_lines(lines)
    block = _block_left(lines, right)
    out: list[Line] = []
    notes: dict[int, list[str]] = {}
    for k, ln in enumerate(lines):
        em = ln.size or 10.0
        edge = block.get(ln.page, block.get(None))
        if (k not in terms and k not in rows and edge is not None and len(ln.cells) >= 2 and ln.cells[0][0] <= min(left, edge) - MARGIN_GAP * em
                and -CELL_ALIGN <= ln.cells[1][0] - edge <= PAR_INDENT[1] * em
                and len(ln.cells[0][1].split()) <= MARGIN_WORDS and _NOTE.search(ln.cells[0][1])
                and len(WORD.findall(" ".join(t for _, t in ln.cells[1:]))) >= MARGIN_TEXT_WORDS):
            notes[len(out)] = [ln.cells[0][1].strip()]
            rest = ln.cells[1:]
            ln = replace(ln, text=" ".join(t for _, t in rest), x0=rest[0][0], cells=rest if len(rest) > 1 else [],
                         mono=False)
        out.append(ln)
    return out, notes


def margin_notes(lines: list[Line], left: float, right: float) -> dict[int, int]:
    """``{index of a margin note: index of the text line beside it}`` among one section's *lines*
    (*left*, *right*: the text's edges, points): a line of at most ``MARGIN_WORDS`` words with a
    letter (``_NOTE``), ending ``MARGIN_GAP`` to ``MARGIN_REACH`` em left of the text block (``_block_left``), on the
    baseline (``MARGIN_LEVEL`` em) of a line of its page that starts at the text's edge or further
    in. LaTeX's ltxdoc sets the names a paragraph describes in the margin beside it
    (``\\DescribeMacro``: mismath.pdf's "\\inumber", "\\jnumber" beside "many formulas containing e
    or i. …"); PDFium reads them as lines of their own between the paragraph's lines, where they
    cut its sentences ("should be type- \\e \\i \\j set in upright shape"). A term on its own line
    above its text (a man page's option) shares no baseline with the text, and a table's first
    column lies inside the block: neither is a margin note."""
    out: dict[int, int] = {}
    block = _block_left(lines, right)
    for k, ln in enumerate(lines):
        em = ln.size or 10.0
        words = ln.text.split()
        edge = block.get(ln.page, block.get(None))
        if (not words or len(words) > MARGIN_WORDS or edge is None or ln.x1 > min(left, edge) - MARGIN_GAP * em
                or ln.x1 < edge - MARGIN_REACH * em or not _NOTE.search(ln.text)):
            continue
        beside = [j for j, o in enumerate(lines) if j != k and o.page == ln.page and o.x0 >= left - CELL_ALIGN
                  and abs(o.y - ln.y) <= MARGIN_LEVEL * em]
        if beside:
            out[k] = beside[0]
    return out


def _block_left(lines: list[Line], right: float) -> dict[int | None, float]:
    """The left edge of the text block per page (and for the section, key ``None``): the leftmost
    start of its full lines (``FULL_WORDS`` words or more, reaching within 2 em of *right*); a
    line whose first part is a margin note's shape starts at its second part ("\\pinumber[〈command〉]
    The mathematical constant π should …")."""
    out: dict[int | None, float] = {}
    for ln in lines:
        if len(ln.text.split()) >= FULL_WORDS and ln.x1 >= right - 2 * (ln.size or 10.0):
            start = ln.cells[1][0] if len(ln.cells) >= 2 and len(ln.cells[0][1].split()) <= MARGIN_WORDS else ln.x0
            for key in (ln.page, None):
                out[key] = min(out.get(key, start), start)
    return out


def lead_entry(ln: Line, nxt: Line | None, spacing: LineSpacing, entry_x: float | None, wrapped: bool) -> bool:
    """Does *ln* start a definition entry whose term is its first ``Line.lead_words`` words (set in
    bold or a code font, run into the text in the body font): *ln* was *wrapped* (it reaches the
    measure's end, ``SHORT_LINE``: the item's text goes on under it) and the next line *nxt* hangs under it,
    further in by more than ``HANG_INDENT`` points and at most ``LEAD_HANG`` em, on its page, no
    gap between (``GAP_FACTOR``), neither being a list item or code; or *ln* starts at *entry_x*,
    the x of an entry found so just before (a one-line item of the same list). LaTeX's
    ``description`` environment and key lists set each label so, the text hanging under it
    (btxdoc.pdf's fields, "note Any additional information …" / "should be capitalized.";
    diffcoeff.pdf's keys; mnotes.pdf's options in typewriter): read as one paragraph, an item's
    unfinished last line ran into the next item's lower-case label (a break inside a sentence).
    A run-in heading ("**Proof.** …") has its paragraph under it at the same x or further out; a
    texinfo ``@table`` term ("if list then list … fi", zsh.pdf: "if" in typewriter, "list" in
    slanted roman) stops short, its definition under it (``pdf_joins.hangs``: the whole line is the term)."""
    # (a stretched space, or a gap set after the label, may split the line: the label is within its first part)
    first = ln.cells[0][1] if ln.cells else ln.text
    if (not ln.lead_words or ln.mono or item_marker(ln.text) is not None or len(first.split()) < ln.lead_words
            or len(ln.text.split()) <= ln.lead_words):
        return False
    if entry_x is not None and abs(ln.x0 - entry_x) <= CELL_ALIGN:
        return True
    return (wrapped and nxt is not None and not nxt.mono and nxt.page == ln.page and item_marker(nxt.text) is None
            and HANG_INDENT < nxt.x0 - ln.x0 <= LEAD_HANG * (ln.size or 10.0)
            and ln.y_end - nxt.y <= GAP_FACTOR * spacing.of(ln, nxt))
