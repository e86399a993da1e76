"""Definition entries while a PDF section is read line by line (``EntryRules``, the part of
``pdf_paragraphs.ParagraphBuilder`` that opens an entry and decides whether a line goes on the
open one: kind ``"dd"``, chunk text ``term`` / ``: definition``). The entries' shapes are found
by ``pdf_terms``; split out of ``pdf_layout.paragraphs`` in round 20, with identical output.
"""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_blocks import CONTINUES
from fineflow_desktop.core.ingest.pdf_joins import ends_sentence
from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, SHORT_LINE, Line
from fineflow_desktop.core.ingest.pdf_reading import BlockState
from fineflow_desktop.core.ingest.pdf_terms import HANG_INDENT, PAR_INDENT


class EntryRules(BlockState):
    """The rules for definition entries (each returns True when it took the line)."""


    def definition_run(self, i: int) -> bool:
        """Several definition lines over one text (``pdf_terms.term_runs``): each a term line of
        one entry."""
        if i not in self.at.run_ends:
            return False
        self.close()
        lines, end = self.at.lines, self.at.run_ends[i]
        self.kind, self.term, self.def_x, self.cur = "dd", "\n".join(d.text.strip() for d in lines[i:end]), lines[end].x0, []
        # a new entry: no display before its text
        self.prev, self.skip_to, self.after_display = lines[end - 1], end, False
        return True

    def term_entry(self, i: int, ln: Line) -> bool:
        """A term beside its definition's first line (``pdf_terms.term_lines``): a new entry."""
        if i not in self.at.terms:
            return False
        self.close()
        self.kind, self.term, self.def_x = "dd", ln.cells[0][1], ln.cells[1][0]
        self.term_line = ln
        self.cur = [" ".join(t for _, t in ln.cells[1:])]
        self.prev = ln
        return True

    def at_definition(self, ln: Line) -> bool:
        """Is *ln* at the open definition's indent (a page break may shift the indent; not a
        description item's label starting the page)?"""
        return abs(ln.x0 - self.def_x) <= CELL_ALIGN or ln.page_start and not (
            ln.lead_words and self.entry_x is not None and abs(ln.x0 - self.entry_x) <= CELL_ALIGN)

    def definition_paragraph(self, i: int, ln: Line, text: str, gap: bool) -> bool:
        """Another paragraph of the definition, at its indent, after a gap or a short line that
        ended a sentence: a further ``: `` line of the entry (a line of the definition may have
        "cells": a sentence space stretched past ``CELL_GAP``)."""
        if not (self.kind == "dd" and not ln.mono and self.cur and i not in self.at.terms
                and (self.term, self.def_x) != self.under_label and self.at_definition(ln)):
            return False
        prev, right = self.prev, self.at.right
        short_end = prev is not None and (prev.x1 - self.def_x) < SHORT_LINE * (right - self.def_x) and ends_sentence(self.cur)
        if not (gap or short_end):
            return False
        self.dd_breaks.append(len(self.cur))
        self.cur.append(text)
        self.prev = ln
        return True

    def definition_line(self, i: int, ln: Line, text: str, gap: bool) -> bool:
        """The definition goes on at its own indent, or on the same printed line right of the run
        before (the rest of a line that a superscript split, "(U" / "T" / "U is identity)"). Not
        where a label's paragraph ends: a finished sentence followed by a line with text indented
        under it is the next label ("… the MIP solver." / "Comments" / "To obtain …")."""
        if not (self.kind == "dd" and not gap and not ln.mono and i not in self.at.terms):
            return False
        prev, lines = self.prev, self.at.lines
        same_line = prev is not None and abs(prev.y_end - ln.y) < 0.5 * (ln.size or 10.0) and ln.x0 > prev.x1
        next_label = ((self.term, self.def_x) == self.under_label and ends_sentence(self.cur) and i + 1 < len(lines)
                      and lines[i + 1].x0 - ln.x0 > HANG_INDENT)
        if not (self.at_definition(ln) or same_line) or next_label:
            return False
        self.cur.append(text)
        self.prev = ln
        return True

    def label_paragraph(self, ln: Line, text: str, gap: bool) -> bool:
        """A margin note beside a paragraph's indented first line (ltxdoc: "\\Par" beside "The \\P
        command already existed … and", "has been redefined, …" at the text's edge under it): the
        sentence goes on at the edge. Or a label on its own line at the text's edge above a full
        first line indented under it ("Description" / "The routine … (The MPS" / "format is …",
        glpk.pdf, round 18; not texinfo's signature wrapped under itself, "… unsigned [Function]"
        / "int flags)"): that paragraph's term, ended by a gap as a paragraph is."""
        if not (self.kind == "dd" and not gap and not ln.mono and len(self.cur) == 1):
            return False
        prev, first, left = self.prev, self.first, self.at.left
        label_above = (prev is not None and first is not None and abs(first.x0 - left) <= CELL_ALIGN
                       and prev.x1 - left >= SHORT_LINE * self.at.width)
        if not ((prev is self.term_line or label_above) and abs(ln.x0 - left) <= CELL_ALIGN
                and PAR_INDENT[0] * ln.size <= self.def_x - left <= PAR_INDENT[1] * ln.size
                and not ends_sentence(self.cur) and CONTINUES.match(text)):
            return False
        if prev is not self.term_line:
            self.under_label = (self.term, ln.x0)
        self.def_x = ln.x0
        self.cur.append(text)
        self.prev = ln
        return True

    def wrapped_term(self, ln: Line, text: str, gap: bool) -> bool:
        """The "definition" was the term's own wrapped line (a long signature indented deeper than
        the text under it): the term takes it, the text starts here."""
        first = self.first
        if not (self.kind == "dd" and not gap and not ln.mono and len(self.cur) == 1 and first is not None
                and first.x0 + HANG_INDENT < ln.x0 < self.def_x - HANG_INDENT):
            return False
        self.term, self.def_x, self.cur = f"{self.term} {self.cur[0]}", ln.x0, [text]
        self.term_labels.extend(self.labels)
        self.labels.clear()
        self.prev = ln
        return True

    def definition_code(self, i: int, ln: Line, text: str, gap: bool) -> bool:
        """Inline code that the definition's sentence runs into ("… returns" / "NULL."): at the
        definition's indent after a full prose line, no code line under it."""
        prev, lines, left, right = self.prev, self.at.lines, self.at.left, self.at.right
        if not (self.kind == "dd" and ln.mono and not gap and self.cur and not ends_sentence(self.cur)
                and prev is not None and not prev.mono
                and abs(ln.x0 - self.def_x) <= CELL_ALIGN and prev.x1 - left >= SHORT_LINE * (right - left)
                and not (i + 1 < len(lines) and lines[i + 1].mono)):
            return False
        self.cur.append(text)
        self.prev = ln
        return True
