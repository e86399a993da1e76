"""The state of reading one PDF section's lines into blocks: what was found over the whole
section first (``SectionLayout``), and the open block with what carries over between blocks
(``BlockState``: its ``close`` puts the open block's text into the section's blocks). The rules
that read each line are ``pdf_entries.EntryRules`` (definition entries) and
``pdf_paragraphs.ParagraphBuilder`` (everything else); split out of ``pdf_layout.paragraphs``
(one 370-line loop) in round 20, with identical output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fineflow_desktop.core.ingest.pdf_joins import code_text, definition_text, is_item, paragraph_text
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing


@dataclass
class SectionLayout:
    """What ``pdf_layout.paragraphs`` found over a whole section before reading it line by line.

    *lines*: the section's lines (table rows that wrapped joined, margin names taken off);
    *left*, *right*, *width*: the prose's text edges (points); *measure_right*: the document's
    right edge when known (``pdf_layout.text_right``); *spacing*: its line spacing; *edges*: its
    justified right edges (``pdf_breaks.justified_edges``). Indices into *lines*: *grid* (row →
    its table's column x), *terms* (lines with a term beside a definition), *rows* (table rows),
    *displays* (first line → end of a display formula), *broken* (line-broken blocks),
    *run_ends* (first line → end of a run of definition lines over one text), *notes* (first line
    → end of a footnote), *margins* (a margin name → the line it stands beside), *beside* (a
    line → the margin names taken off it or met before it; emptied while reading), *split* (the
    lines that had a margin name taken off)."""

    lines: list[Line]
    left: float
    right: float
    width: float
    measure_right: float
    spacing: LineSpacing
    edges: object
    grid: dict[int, list[float]]
    terms: dict[int, None]
    rows: set[int]
    displays: dict[int, int]
    broken: set[int]
    run_ends: dict[int, int]
    notes: dict[int, int]
    margins: dict[int, int]
    beside: dict[int, list[str]]
    split: set[int] = field(default_factory=set)


class BlockState:
    """The state of reading a ``SectionLayout``'s lines into *blocks* (chunk text).

    The open block is *kind* (``"p"`` paragraph, ``"li"`` list item, ``"code"``, ``"table"``,
    ``"dd"`` definition entry, or None) with its lines *cur* (text) or *code* (``Line``), and:
    *first* / *first_label* (a paragraph's first line, and whether it had a flush-right label),
    *own_line* (indices in *cur* that keep a line of their own), *labels* (flush-right labels,
    after the block), *term* / *def_x* / *term_labels* / *dd_breaks* (a definition's term, its
    text's x, labels beside the term, indices in *cur* where another of its paragraphs starts),
    *last_row* / *row_columns* (a table's last row and its columns), *in_sentence* (the open code
    block interrupts a sentence). Across blocks: *prev* (the last line read), *skip_to* (lines
    a display or footnote already took), *after_display* (the last block ended in a display or a
    line-broken block), *term_line* (the last term beside its definition's first line),
    *entry_x* / *entry_at* (x of the last description item's label and its block's index),
    *under_label* (the entry that is a label's paragraph), *held_notes* (footnotes and captions
    that go after the open paragraph), *margin_terms* / *due* (margin names for the open block,
    and those of the line just read)."""

    def __init__(self, layout: SectionLayout) -> None:
        self.at = layout
        self.blocks: list[str] = []
        self.cur: list[str] = []
        self.code: list[Line] = []
        self.kind: str | None = None
        self.prev: Line | None = None
        self.last_row: Line | None = None
        self.row_columns: list[float] = []
        self.labels: list[str] = []
        self.term, self.def_x = "", 0.0
        self.entry_x: float | None = None
        self.entry_at = -1
        self.under_label = ("", -1.0)  # (term, def_x) of an entry that is a label's paragraph (round 18)
        self.first: Line | None = None
        self.first_label = False
        self.term_labels: list[str] = []
        self.dd_breaks: list[int] = []
        self.term_line: Line | None = None
        self.own_line: set[int] = set()
        self.skip_to = 0
        self.after_display = False
        self.in_sentence = False
        self.held_notes: list[str] = []
        self.margin_terms: list[str] = []
        self.due: list[str] = []

    def start_paragraph(self, text: str, ln: Line, labelled: bool = False) -> None:
        """Open a paragraph whose first line is *ln* (its text *text*)."""
        self.kind, self.cur, self.first, self.first_label = "p", [text], ln, labelled

    def close(self) -> None:
        """End the open block: its text goes to *blocks* (margin names as its terms, labels after
        it, consecutive list items into one block), then any footnotes held back for it."""
        if self.margin_terms and self.kind == "dd" and self.term:
            self.term = "\n".join([self.term, *self.margin_terms])  # names in the margin beside the entry: more terms
        elif self.margin_terms and self.kind == "p" and self.cur:
            self.cur[0] = "\n".join(self.margin_terms) + "\n: " + self.cur[0]  # the paragraph they name: its definition
        elif self.margin_terms:
            self.blocks.append("\n".join(self.margin_terms))
        self.margin_terms.clear()
        if self.kind == "table" and self.cur:
            self.blocks.append("\n".join(self.cur))
        elif self.kind == "dd" and not self.cur and self.term:
            self.blocks.append(self.term)  # (no text came under the terms after all: they stay, as lines)
        elif self.kind == "dd" and self.cur:
            self.blocks.append(definition_text(" ".join([self.term, *self.term_labels]), self.cur, self.dd_breaks))
            self.term_labels.clear()
            self.dd_breaks.clear()
        elif self.kind == "code" and self.code:
            self.blocks.append(code_text(self.code))
        elif self.cur:
            text = paragraph_text(self.cur, self.own_line)
            self.own_line.clear()
            if self.labels:  # after the block they float beside (reading order of the page)
                text += " " + " ".join(self.labels)
                self.labels.clear()
            if self.kind == "li" and self.blocks and is_item(self.blocks[-1]):
                self.blocks[-1] += "\n" + text  # consecutive items form one list block
            else:
                self.blocks.append(text)
        self.cur, self.code, self.kind = [], [], None
        self.blocks.extend(self.held_notes)  # footnotes after the paragraph that ran past them
        self.held_notes.clear()
