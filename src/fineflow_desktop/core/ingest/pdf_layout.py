"""PDF text lines (``core.ingest.pdf_lines``) → paragraphs in the chunk-text convention.

From the lines of one section (running headers and page furniture already gone) this module
rebuilds the blocks a reader sees:

- **paragraphs** (``paragraphs``): lines are joined with a space; a paragraph ends at a vertical
  gap larger than ``GAP_FACTOR`` × the page's usual line spacing, at a first-line indent after a
  finished sentence, after a short line that ends a sentence, where the font size changes by
  more than ``SIZE_CHANGE`` after a finished sentence, at a line starting with a raised note
  number (``pdf_lines.Line.note``) after a finished sentence, or where the font switches between
  monospace and proportional (a line is monospace when ``pdf_lines.MONO_SHARE`` of its sampled characters
  are: prose naming many identifiers in a code font stays prose).
- **definition entries** (``pdf_terms.term_lines``): a short term and its definition side by side, the
  definition going on below at its own indent, become ``term`` / ``: definition`` (each further
  paragraph at the definition's indent another ``: `` line of the same entry); so does a
  short unfinished block followed by a hanging indent (``_hangs``: a signature or long option on
  its own line, the text below it indented; a label of a few words may stand a little apart
  above its text, ``pdf_blocks.label_apart``), a single code-font line with prose indented
  under it (a term of texinfo's ``@table @code``), and a label in bold or a code font run into
  its text with the text hanging under it (``pdf_terms.lead_entry``: LaTeX's ``description``,
  round 19);
- **table rows**: two or more consecutive lines of several cells (``Line.cells``) whose second
  cells line up (``CELL_ALIGN``) are rows, one per line, cells joined by `` | ``; a short part
  set flush right on its own (texinfo's ``[Function]``) is a label, moved after the block it
  stands beside, as pdftotext reads it, unless the sentence runs on into the next line
  (``_runs_on``: a justified line's stretched space is as wide, also on a paragraph's indented
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

from fineflow_desktop.core.ingest.pdf_blocks import CONTINUES, broken_blocks, caption_end, label_apart
from fineflow_desktop.core.ingest.pdf_breaks import justified_edges, local_edge, set_by_hand
from fineflow_desktop.core.ingest.pdf_displays import DISPLAY_MATH, display_spans, text_displays
from fineflow_desktop.core.ingest.pdf_lines import (
    BULLET, CELL_ALIGN, FULL_WORDS, GAP_FACTOR, NUMBERED, SENTENCE_END, SHORT_LINE, Line, LineSpacing, item_marker,
)
from fineflow_desktop.core.ingest.pdf_marks import NOTE_SIZE
from fineflow_desktop.core.ingest.pdf_notes import MARKED_END, NOTE_START, foot_notes
from fineflow_desktop.core.ingest.pdf_terms import (
    HANG_INDENT, HANG_TERM_WORDS, PAR_INDENT, TERM_REACH, lead_entry, margin_cells, margin_notes, term_lines, term_runs,
)
from fineflow_desktop.core.ingest.pdf_tables import grid_rows, merge_row_wraps, on_columns, table_rows, wraps_cell

SIZE_CHANGE = 0.08  # a line whose font size differs by more than this share starts a new block
_PERIOD_END = re.compile(r"[.!?][\"'’”)\]]*(?:\[(?:[1-9]\d?|[∗*†‡§¶]{1,3})\])?$")  # (a note reference may follow)
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
    blocks: list[str] = []
    cur: list[str] = []
    code: list[Line] = []
    kind = None  # "p", "li", "code" or "table"
    prev: Line | None = None
    last_row: Line | None = None  # the last table row (kind "table")
    row_columns: list[float] = []  # ... the x of its table's columns, when known (``pdf_tables.grid_rows``)
    grid = grid_rows(lines, TERM_REACH)
    terms = {k: None for k in term_lines(lines) if k not in grid}
    rows = (table_rows(lines) - set(terms)) | set(grid)
    labels: list[str] = []
    term, def_x = "", 0.0  # the open definition entry (kind "dd")
    # x of the last description item's label (``pdf_terms.lead_entry``) and its block's index: a
    # one-line item at that x continues the list only right after it
    entry_x, entry_at = None, -1
    under_label = ("", -1.0)  # (term, def_x) of an entry that is a label's paragraph (round 18)
    first: Line | None = None  # the first line of the open paragraph (kind "p")
    first_label = False  # ... had a flush-right label (a texinfo definition line)
    term_labels: list[str] = []  # flush-right labels beside the open term (after it in the text)
    dd_breaks: list[int] = []  # indices in cur where another paragraph of the open definition starts
    displays = display_spans(lines, left, right, spacing, lambda text: item_marker(text) is not None)
    taken = {k for b, e in displays.items() for k in range(b - 1, e + 1)} | set(terms) | rows
    displays.update({b: e for b, e in text_displays(lines, left, right, spacing, lambda t: item_marker(t) is not None).items()
                     if not {b - 1, b, b + 1} & taken})
    broken = broken_blocks(lines, left, width, spacing, set(terms) | rows)
    run_ends = term_runs(lines, left, max(right, measure_right), spacing,
                         set(terms) | rows | broken | {k for b, e in displays.items() for k in range(b, e)})
    term_line: Line | None = None  # the last line of ``terms`` (a term beside its definition's first line)
    own_line: set[int] = set()  # indices in cur (kind "p") that start a line of their own: a display
    skip_to = 0  # the lines of a display after its first
    after_display = False
    in_sentence = False  # the open code block interrupts a sentence (the text before it did not end one)

    def close() -> None:
        nonlocal cur, code, kind, term
        if margin_terms and kind == "dd" and term:
            term = "\n".join([term, *margin_terms])  # names in the margin beside the entry: more terms
        elif margin_terms and kind == "p" and cur:
            cur[0] = "\n".join(margin_terms) + "\n: " + cur[0]  # the paragraph they name: its definition
        elif margin_terms:
            blocks.append("\n".join(margin_terms))
        margin_terms.clear()
        if kind == "table" and cur:
            blocks.append("\n".join(cur))
        elif kind == "dd" and not cur and term:
            blocks.append(term)  # (no text came under the terms after all: they stay, as lines)
        elif kind == "dd" and cur:
            paras = [_joined(p) for p in _split_at(cur, dd_breaks)]
            blocks.append(f"{' '.join([term, *term_labels])}\n: " + "\n: ".join(paras))
            term_labels.clear()
            dd_breaks.clear()
        elif kind == "code" and code:
            base = min(ln.x0 for ln in code)
            char_w = max(code[0].size * 0.6, 1.0)  # monospace advance ≈ 0.6 em
            body = "\n".join(_verbatim(ln, base, char_w) for ln in code)
            blocks.append(f"```\n{body}\n```")
        elif cur:
            text = cur[0]
            for k, part in enumerate(cur[1:], 1):
                text = f"{text}\n{part}" if k in own_line else _join(text, part)
            own_line.clear()
            if labels:  # after the block they float beside (reading order of the page)
                text += " " + " ".join(labels)
                labels.clear()
            if kind == "li" and blocks and _is_item(blocks[-1]):
                blocks[-1] += "\n" + text  # consecutive items form one list block
            else:
                blocks.append(text)
        cur, code, kind = [], [], None
        blocks.extend(held_notes)  # footnotes after the paragraph that ran past them
        held_notes.clear()

    held_notes: list[str] = []  # footnotes met inside an unfinished sentence (``pdf_notes.foot_notes``)
    notes = foot_notes(lines)
    margins = margin_notes(lines, left, right)  # names in the left margin → the line they stand beside
    margin_terms: list[str] = []  # ... the names beside the open block (its terms, at ``close``)
    # (``beside``: text line → the margin names beside it, met before it or read as its first part)
    due: list[str] = []  # names whose text line was the last one read: they go with its block
    split = set(beside)  # lines whose margin name ``margin_cells`` took off: each starts an entry
    for i, ln in enumerate(lines):
        margin_terms.extend(due)
        due = beside.pop(i, [])
        if i in margins:
            if margins[i] < i:
                margin_terms.append(ln.text.strip())  # beside a line of the open block
            else:
                beside.setdefault(margins[i], []).append(ln.text.strip())
            continue
        if i < skip_to:
            continue
        if i in notes and kind == "p" and cur and not _ends_sentence(cur) and not MARKED_END.search(cur[-1]):
            # the sentence goes on on the next page: its footnotes come after it, not inside it
            for note in lines[i:notes[i]]:
                text = note.text.strip()
                if held_notes and not NOTE_START.match(text):
                    held_notes[-1] = _join(held_notes[-1], text)
                else:
                    held_notes.append(text)
            skip_to = notes[i]
            continue
        text = ln.text.strip()
        if ln.after_figure and kind == "p" and cur and not _PERIOD_END.search(cur[-1]) and not CONTINUES.match(text):
            end = caption_end(lines, i, spacing, left, right)
            if end is not None:  # a figure's caption inside the sentence: after its paragraph
                held_notes.append(" ".join(c.text.strip() for c in lines[i:end]))
                skip_to = end
                continue
        if i in run_ends:  # several definition lines over one text: each a term line of the entry
            close()
            end = run_ends[i]
            kind, term, def_x, cur = "dd", "\n".join(d.text.strip() for d in lines[i:end]), lines[end].x0, []
            prev, skip_to, after_display = lines[end - 1], end, False  # a new entry: no display before its text
            continue
        if i in broken and not (kind == "dd" and abs(ln.x0 - def_x) <= CELL_ALIGN):
            # a line-broken block: one line each, inside the sentence that runs into it
            if kind == "p" and cur and (i - 1 in broken or not _PERIOD_END.search(cur[-1])):
                own_line.add(len(cur))
                cur.append(text)
            else:
                close()
                kind, cur, first, first_label = "p", [text], ln, False
            prev, after_display = ln, True
            continue
        if i in displays:  # a display formula: one line; the sentence it sits in goes on around it
            shown = " ".join(" ".join(d.text.split()) for d in lines[i:displays[i]])
            after = lines[displays[i]] if displays[i] < len(lines) else None
            if (kind == "dd" and cur and not _PERIOD_END.search(cur[-1])
                    and (after is None or abs(after.x0 - def_x) <= CELL_ALIGN)):
                # inside a definition's sentence, the text going on at the definition's indent
                # after it: its next line (text going on at another x is no part of the entry)
                cur[-1] += "\n" + shown
            elif kind == "p" and cur and not _PERIOD_END.search(cur[-1]):
                own_line.add(len(cur))
                cur.append(shown)
            else:
                close()
                kind, cur, first, first_label = "p", [shown], ln, False
            prev, skip_to, after_display = lines[displays[i] - 1], displays[i], True
            continue
        if after_display:
            after_display = False
            if kind == "dd" and not ln.mono and item_marker(text) is None and abs(ln.x0 - def_x) <= CELL_ALIGN:
                # the definition goes on after its display: the sentence on the next line, or
                # another paragraph of the definition
                if CONTINUES.match(text) and cur:  # (cur is empty when the display closed the entry)
                    cur[-1] += "\n" + text
                else:
                    dd_breaks.append(len(cur))
                    cur.append(text)
                prev = ln
                continue
            if kind == "p" and CONTINUES.match(text) and not ln.mono and item_marker(text) is None:
                own_line.add(len(cur))
                cur.append(text)
                prev = ln
                continue
            close()
        if (ln.after_figure and kind == "p" and cur and not _PERIOD_END.search(cur[-1]) and not ln.mono
                and CONTINUES.match(text) and item_marker(text) is None and i not in terms):
            # a dropped figure stood inside the sentence ("The following graph" / [figure] /
            # "might be coded as follows."): it goes on, on a line of its own as after a display
            own_line.add(len(cur))
            cur.append(text)
            prev = ln
            continue
        gap = prev is not None and (prev.y_end - ln.y) > spacing.of(prev, ln) * GAP_FACTOR
        if ln.page_start and prev is not None:
            # over a page break a paragraph goes on unless its text had ended a sentence
            gap = kind not in ("p", "li", "dd") or _ends_sentence(cur)
        if i in terms:  # a definition entry: term, then its definition beside and below it
            close()
            kind, term, def_x = "dd", ln.cells[0][1], ln.cells[1][0]
            term_line = ln
            cur = [" ".join(t for _, t in ln.cells[1:])]
            prev = ln
            continue
        if i in split and not ln.mono and (kind != "p" or not cur or _ends_sentence(cur)):
            # a margin name beside this line (taken off it): a new paragraph, unless a sentence is open
            close()
            kind, cur, first, first_label = "p", [text], ln, False
            prev = ln
            continue
        dd_short_end = prev is not None and (prev.x1 - def_x) < SHORT_LINE * (right - def_x) and _ends_sentence(cur)
        # (a page break may shift the indent; not a description item's label starting the page)
        at_def = abs(ln.x0 - def_x) <= CELL_ALIGN or ln.page_start and not (
            ln.lead_words and entry_x is not None and abs(ln.x0 - entry_x) <= CELL_ALIGN)
        # (a line of the definition may have "cells": a sentence space stretched past CELL_GAP)
        if kind == "dd" and not ln.mono and at_def and i not in terms and (gap or dd_short_end) and cur and (term, def_x) != under_label:
            dd_breaks.append(len(cur))  # another paragraph of the definition, at its indent: ": " line
            cur.append(text)
            prev = ln
            continue
        # (or on the same printed line, right of the run before: the rest of a line that a
        # superscript split, "(U" / "T" / "U is identity)")
        same_line = prev is not None and abs(prev.y_end - ln.y) < 0.5 * (ln.size or 10.0) and ln.x0 > prev.x1
        # (a label's paragraph ends where a finished sentence is followed by a line with text
        # indented under it: the next label, "… the MIP solver." / "Comments" / "To obtain …")
        next_label = ((term, def_x) == under_label and _ends_sentence(cur) and i + 1 < len(lines)
                      and lines[i + 1].x0 - ln.x0 > HANG_INDENT)
        if kind == "dd" and not gap and not ln.mono and (at_def or same_line) and i not in terms and not next_label:
            cur.append(text)  # the definition goes on at its own indent
            prev = ln
            continue
        # (or a label on its own line at the text's edge over a full first line indented under it;
        # not texinfo's signature wrapped under itself, "… unsigned [Function]" / "int flags)")
        label_above = (prev is not None and first is not None and abs(first.x0 - left) <= CELL_ALIGN
                       and prev.x1 - left >= SHORT_LINE * width)
        if (kind == "dd" and not gap and not ln.mono and len(cur) == 1 and (prev is term_line or label_above)
                and abs(ln.x0 - left) <= CELL_ALIGN and PAR_INDENT[0] * ln.size <= def_x - left <= PAR_INDENT[1] * ln.size
                and not _ends_sentence(cur) and CONTINUES.match(text)):
            # a margin note beside a paragraph's indented first line (ltxdoc: "\\Par" beside "The \\P
            # command already existed … and", "has been redefined, …" at the text's edge under it):
            # the sentence goes on at the edge; a label on its own line above a paragraph indented
            # under it ("Description" / "The routine … (The MPS" / "format is …", glpk.pdf, round 18) is
            # that paragraph's term: a gap ends it, as it ends a paragraph
            if prev is not term_line:
                under_label = (term, ln.x0)
            def_x = ln.x0
            cur.append(text)
            prev = ln
            continue
        if (kind == "dd" and not gap and not ln.mono and len(cur) == 1 and first is not None
                and first.x0 + HANG_INDENT < ln.x0 < def_x - HANG_INDENT):
            # the "definition" was the term's own wrapped line (a long signature indented
            # deeper than the text under it): the term takes it, the text starts here
            term, def_x, cur = f"{term} {cur[0]}", ln.x0, [text]
            term_labels.extend(labels)
            labels.clear()
            prev = ln
            continue
        if (kind == "dd" and ln.mono and not gap and cur and not _ends_sentence(cur) and prev is not None and not prev.mono
                and abs(ln.x0 - def_x) <= CELL_ALIGN and prev.x1 - left >= SHORT_LINE * (right - left)
                and not (i + 1 < len(lines) and lines[i + 1].mono)):
            cur.append(text)  # inline code that the definition's sentence runs into ("… returns" / "NULL.")
            prev = ln
            continue
        if kind == "dd":
            close()
        if i in rows:  # a table row: one line, cells joined by " | " (proportional lines only)
            if kind != "table":
                close()
                kind = "table"
            cur.append(" | ".join(on_columns(ln.cells, grid.get(i, []))))
            prev, last_row, row_columns = ln, ln, grid.get(i, [])
            continue
        if kind == "table" and cur and not gap and wraps_cell(last_row, ln, row_columns) and not _ends_sentence(cur):
            # the last cell of the row above wraps here, under its own start: the row goes on
            cur[-1] = _join(cur[-1], text)
            prev = ln
            continue
        if kind == "table":
            close()
        # (not a word broken at the line's end, "https://sourceforge.←-": a justified line's
        # stretched space before an unbreakable URL is as wide as a label's)
        labelled = (not ln.mono and len(ln.cells) == 2 and len(ln.cells[1][1].split()) <= 3
                    and ln.x1 >= right - CELL_ALIGN and not ln.cells[1][1].endswith("-")
                    and not _runs_on(ln, lines[i + 1] if i + 1 < len(lines) else None, spacing))
        if labelled:
            text = ln.cells[0][1]  # a label set flush right, apart from the line's text
            labels.append(ln.cells[1][1])
        indented = ln.x0 - left > 8
        # a prose line that stops short of the right edge was not wrapped: what follows in a code
        # font is an example set on its own lines ("The command" / "import graph;"), not inline code
        after_short = prev is not None and not prev.mono and prev.x1 - left < SHORT_LINE * width
        # ... and so is a code line with another under it (inline code wraps into prose)
        code_below = i + 1 < len(lines) and lines[i + 1].mono and not lines[i + 1].page_start
        if kind == "code" and not gap and _numbered_blank(code[-1], ln):
            code.append(ln)  # an empty line of a numbered listing: its number only, in roman
            prev = ln
            continue
        if ln.mono and ln.size and (prev is None or prev.mono or gap or indented or kind != "p" or _ends_sentence(cur)
                                    or after_short or code_below):
            if kind != "code":
                in_sentence = kind == "p" and bool(cur) and not _ends_sentence(cur)
                close()
                kind = "code"
            code.append(ln)
            prev = ln
            continue
        if (kind == "code" and len(code) == 1 and not gap and ln.x0 - code[0].x0 > HANG_INDENT
                and len(code[0].text.split()) <= HANG_TERM_WORDS and item_marker(text) is None
                and not in_sentence):
            # one line in a code font with prose indented under it: a term set in code (texinfo
            # "@table @code" with a term too long to sit beside its text), not a code block; but
            # not an example a sentence ran into ("The command" / "import graph;" / "is a …",
            # the paragraph after it set with its first-line indent)
            kind, term, def_x, cur = "dd", BULLET.sub("", code[0].text.strip()), ln.x0, [text]
            code = []
            prev = ln
            continue
        if kind == "code":
            close()
        if ((kind is None or gap or _ends_sentence(cur)) and i not in terms
                and lead_entry(ln, lines[i + 1] if i + 1 < len(lines) else None, spacing,
                               entry_x if gap and len(blocks) == entry_at + 1 else None,
                               ln.x1 - left >= SHORT_LINE * width)):
            # a description item: its label in bold or code, the text hanging under it (round 19)
            close()
            words = text.split()
            kind, term, cur = "dd", " ".join(words[:ln.lead_words]), [" ".join(words[ln.lead_words:])]
            def_x = lines[i + 1].x0 if i + 1 < len(lines) and lines[i + 1].x0 > ln.x0 + HANG_INDENT else def_x
            entry_x, entry_at, prev = ln.x0, len(blocks), ln
            continue
        item = item_marker(text)
        if item is not None:
            close()
            kind, cur = "li", [item + BULLET.sub("", text) if item == "- " else text]
        elif kind is None:
            kind, cur, first, first_label = "p", [text], ln, labelled
        elif (kind == "p" and (not gap or label_apart(prev, ln, lines[i + 1:i + 2], cur, spacing))
              and _hangs(first, ln, cur) and (first_label or first.x1 < right - 3 * first.size)):
            # a hanging indent under a short unfinished block: a term (a signature, a long
            # option) and its definition below it (texinfo @deffn/@table, man pages); a label
            # (Doxygen's "Note", "See also", "Returns") may stand a little apart above its text
            kind, term, def_x = "dd", " ".join(cur), ln.x0
            term_labels.extend(labels)
            labels.clear()
            cur = [text]
        else:
            # a first-line indent after a finished sentence (a hanging indent continues the item)
            indent = ln.x0 - left > 8 and prev is not None and prev.x0 - left < 4 and kind == "p" and _ends_sentence(cur)
            short_end = prev is not None and (prev.x1 - left) < SHORT_LINE * width and _ends_sentence(cur)
            # after a finished sentence, another font size is another block
            # (not a word in a smaller font that a wrapped sentence goes on with: "under\nHISTORY.")
            resized = (prev is not None and abs(ln.size - prev.size) > SIZE_CHANGE * max(ln.size, prev.size)
                       and _ends_sentence(cur))
            # a footnote starts with its raised number; after an unfinished line ("… ctan.tug.org/tex/")
            # too when it is set smaller than that line or that line's block is a footnote (``pdf_marks``)
            note = ln.note and (_ends_sentence(cur) or (prev is not None and ln.size < NOTE_SIZE * prev.size)
                                or (kind == "p" and first is not None and first.note))
            if gap or indent or short_end or resized or note:
                close()
                kind, cur, first, first_label = "p", [text], ln, labelled
            else:
                if kind == "p" and set_by_hand(prev, ln, left, max(right, measure_right), edges,
                                                local_edge(lines, prev), lines[i - 2] if i >= 2 else None):
                    own_line.add(len(cur))  # the line was not wrapped: it keeps its own line
                cur.append(text)
        prev = ln
    margin_terms.extend(due)
    close()
    return blocks


_LINE_NUMBER = re.compile(r"\s*(\d{1,4})(?:\s|$)")


def _numbered_blank(last: Line, ln: Line) -> bool:
    """Is *ln* an empty line of the numbered listing whose last code line is *last*: its text is
    only the next line number (LaTeX's ``macrocode``/``listings`` number every line, the empty
    ones too, in a roman font: "4 \\RequirePackage {keyval}" / "5" / "6 %% Options"; the "5"
    ended the code block and stood as a paragraph of its own between two halves of it). Or the
    next number and a bracket or three, too short to tell the font by ("17 }", "53 }{", mismath.pdf's
    Type 3 typewriter, round 18)."""
    number, before = ln.text.strip(), _LINE_NUMBER.match(last.text)
    number, _, rest = number.partition(" ")
    return (number.isdigit() and len(number) <= 4 and before is not None and int(before.group(1)) + 1 == int(number)
            and (not rest or re.fullmatch(r"[][(){}]{1,3}[;,%]?", rest.strip()) is not None))


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


def _split_at(items: list[str], breaks: list[int]) -> list[list[str]]:
    bounds = [0, *breaks, len(items)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _joined(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        text = _join(text, part)
    return text


def _hangs(first: Line | None, ln: Line, cur: list[str]) -> bool:
    """Does *ln* start the definition of the paragraph *cur* (begun by *first*) as its term: *ln*
    is indented more than ``HANG_INDENT`` points past *first*, and *cur* is at most two lines of
    at most ``HANG_TERM_WORDS`` words that do not end a sentence (a wrapped paragraph keeps its
    left edge; a first-line indent goes the other way)."""
    return (first is not None and len(cur) <= 2 and ln.x0 - first.x0 > HANG_INDENT and not _ends_sentence(cur)
            and sum(len(c.split()) for c in cur) <= HANG_TERM_WORDS)


def _runs_on(ln: Line, nxt: Line | None, spacing: LineSpacing) -> bool:
    """Is the last part of *ln* its sentence going on rather than a flush-right label: PDFium
    joined *ln* with the next printed line at a line-end hyphen (its last baseline is a line
    lower: the "label" is the start of that next line's text), or the next line *nxt* carries on
    the same block (no gap, the same left x, a lower-case start; a code-font line only when it
    ends the sentence, round 8). A justified line stretches its
    sentence spaces past ``CELL_GAP`` ("… of a pen. The" / "functions pen gray(pen) …"). *ln* may
    be a paragraph's first line, indented up to ``PAR_INDENT`` em more than *nxt* (round 18,
    glpk.pdf: "… to a text file. (The MPS" / "format is described …" lost "(The MPS" to a label).
    Round 19: *nxt* may also hang up to ``PAR_INDENT`` em further in, when the stretched space
    follows a sentence's end and the part after it starts with a capital: a hanging-indent entry's
    first line (btxdoc.pdf's field list: "note Any additional information that can help the
    reader. The first word" / "should be capitalized.", the next sentence read as a label and
    its end left behind). A flush-right label follows no full stop with a capitalised word and
    the rest of its sentence a line lower."""
    if abs(ln.y - ln.y_end) > 0.5 * ln.size:
        return True
    reach = CELL_ALIGN
    if len(ln.cells) >= 2 and _PERIOD_END.search(ln.cells[-2][1]) and ln.cells[-1][1][:1].isupper():
        reach += PAR_INDENT[1] * ln.size  # a sentence space stretched on a hanging entry's first line
    # (a next line in a code font goes on the sentence only when it ends it: inline code that a
    # wrapped sentence ends with, "… Use" / "push_localbitprec.", not a code block)
    return (nxt is not None and (not nxt.mono or _PERIOD_END.search(nxt.text.strip()) is not None)
            and -PAR_INDENT[1] * ln.size - CELL_ALIGN <= nxt.x0 - ln.x0 <= reach
            and ln.y_end - nxt.y <= GAP_FACTOR * spacing.of(ln, nxt) and nxt.text.strip()[:1].islower())


def _verbatim(ln: Line, base: float, char_w: float) -> str:
    """A code line as printed: indented and its parts placed by their x (monospace columns)."""
    def col(x: float) -> int:
        return max(0, round((x - base) / char_w))

    if not ln.cells:
        return " " * col(ln.x0) + ln.text.strip()
    out = ""
    for x, part in ln.cells:
        out += " " * max(1 if out else 0, col(x) - len(out)) + part
    return out


def _is_item(block: str) -> bool:
    last = block.rsplit("\n", 1)[-1]
    return last.startswith("- ") or bool(NUMBERED.match(last))


def _ends_sentence(cur: list[str]) -> bool:
    return bool(cur) and bool(SENTENCE_END.search(cur[-1]))


def _join(text: str, nxt: str) -> str:
    """Join a wrapped line to its paragraph, undoing end-of-line hyphenation (where PDFium left
    two lines; the words it joined itself were decided by ``pdf_hyphens.resolve_hyphens``)."""
    if re.search(r"[a-z]-$", text) and re.match(r"^[a-z]", nxt):
        return text[:-1] + nxt
    return text + " " + nxt
