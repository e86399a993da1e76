"""The reading of one PDF section's lines, line by line, into blocks (``ParagraphBuilder``).

``pdf_layout.paragraphs`` first finds what needs the whole section (its text edges and line
spacing, the table rows, definition terms, displays, line-broken blocks, footnotes and margin
names: a ``pdf_reading.SectionLayout``); this module then reads the lines in order and decides
for each whether it goes on the open block or starts another (the rules are listed in
``pdf_layout``'s docstring; definition entries are ``pdf_entries``'). Split out of
``pdf_layout.paragraphs`` (one 370-line loop) in round 20, with identical output.
"""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_blocks import CONTINUES, caption_end, label_apart
from fineflow_desktop.core.ingest.pdf_breaks import local_edge, set_by_hand
from fineflow_desktop.core.ingest.pdf_entries import EntryRules
from fineflow_desktop.core.ingest.pdf_joins import (
    PERIOD_END, ends_sentence, hangs, join, numbered_blank, runs_on, whole_label,
)
from fineflow_desktop.core.ingest.pdf_lines import BULLET, CELL_ALIGN, GAP_FACTOR, SHORT_LINE, Line, item_marker
from fineflow_desktop.core.ingest.pdf_marks import NOTE_SIZE
from fineflow_desktop.core.ingest.pdf_notes import MARKED_END, NOTE_START
from fineflow_desktop.core.ingest.pdf_terms import HANG_INDENT, HANG_TERM_WORDS, lead_entry
from fineflow_desktop.core.ingest.pdf_tables import on_columns, wraps_cell

SIZE_CHANGE = 0.08  # a line whose font size differs by more than this share starts a new block


class ParagraphBuilder(EntryRules):
    """Reads a ``SectionLayout``'s lines in order into blocks of the chunk-text convention (the
    state: ``pdf_reading.BlockState``; definition entries: ``pdf_entries.EntryRules``). Each rule
    returns True when it took the line."""

    def run(self) -> list[str]:
        """The section's blocks, every line read."""
        for i, ln in enumerate(self.at.lines):
            self.read(i, ln)
        self.margin_terms.extend(self.due)
        self.close()
        return self.blocks

    def read(self, i: int, ln: Line) -> None:
        """Read line *i*: the first rule that takes it decides (their order matters: a line of
        several kinds goes to the earliest)."""
        at = self.at
        self.margin_terms.extend(self.due)
        self.due = at.beside.pop(i, [])
        if i in at.margins:
            self.margin_name(i, ln)
            return
        if i < self.skip_to or self.held_footnote(i):
            return
        text = ln.text.strip()
        if (self.figure_caption(i, ln, text) or self.definition_run(i) or self.broken_line(i, ln, text)
                or self.display(i, ln) or self.after_a_display(ln, text) or self.after_figure(i, ln, text)):
            return
        gap = self.gap_before(ln)
        if (self.term_entry(i, ln) or self.margin_split(i, ln, text) or self.definition_paragraph(i, ln, text, gap)
                or self.definition_line(i, ln, text, gap) or self.label_paragraph(ln, text, gap)
                or self.wrapped_term(ln, text, gap) or self.definition_code(i, ln, text, gap)):
            return
        if self.kind == "dd":
            self.close()
        if self.table_line(i, ln, text, gap):
            return
        text, label = self.flush_right_label(i, ln, text)
        if self.code_line(i, ln, text, gap):  # (a labelled line is proportional: it opens no code block)
            self.labels.extend([label] if label else [])
            return
        if self.description_item(i, ln, text, gap, label):
            return
        self.prose_line(i, ln, text, gap, label)
        self.prev = ln

    # -- lines that something over the whole section claimed ---------------------------------

    def margin_name(self, i: int, ln: Line) -> None:
        """A name in the left margin (``pdf_terms.margin_notes``): a term of the block it stands
        beside, the open one or the one its line will start."""
        if self.at.margins[i] < i:
            self.margin_terms.append(ln.text.strip())  # beside a line of the open block
        else:
            self.at.beside.setdefault(self.at.margins[i], []).append(ln.text.strip())

    def held_footnote(self, i: int) -> bool:
        """Footnotes met inside an unfinished sentence: the sentence goes on on the next page, its
        footnotes come after it (``close``), not inside it."""
        cur = self.cur
        if not (i in self.at.notes and self.kind == "p" and cur and not ends_sentence(cur)
                and not MARKED_END.search(cur[-1])):
            return False
        for note in self.at.lines[i:self.at.notes[i]]:
            text = note.text.strip()
            if self.held_notes and not NOTE_START.match(text):
                self.held_notes[-1] = join(self.held_notes[-1], text)
            else:
                self.held_notes.append(text)
        self.skip_to = self.at.notes[i]
        return True

    def figure_caption(self, i: int, ln: Line, text: str) -> bool:
        """A figure's caption inside a sentence (``pdf_blocks.caption_end``, round 15): after the
        paragraph, as footnotes go (LaTeX floats figures to a page's top, inside any sentence)."""
        if not (ln.after_figure and self.kind == "p" and self.cur and not PERIOD_END.search(self.cur[-1])
                and not CONTINUES.match(text)):
            return False
        at = self.at
        end = caption_end(at.lines, i, at.spacing, at.left, at.right)
        if end is None:
            return False
        self.held_notes.append(" ".join(c.text.strip() for c in at.lines[i:end]))
        self.skip_to = end
        return True

    def broken_line(self, i: int, ln: Line, text: str) -> bool:
        """A line of a line-broken block (``pdf_blocks.broken_blocks``): one line each, inside the
        sentence that runs into it (not a line at the open definition's indent)."""
        if i not in self.at.broken or (self.kind == "dd" and abs(ln.x0 - self.def_x) <= CELL_ALIGN):
            return False
        if self.kind == "p" and self.cur and (i - 1 in self.at.broken or not PERIOD_END.search(self.cur[-1])):
            self.own_line.add(len(self.cur))
            self.cur.append(text)
        else:
            self.close()
            self.start_paragraph(text, ln)
        self.prev, self.after_display = ln, True
        return True

    def display(self, i: int, ln: Line) -> bool:
        """A display formula (``pdf_displays``): one line; the sentence it sits in goes on around it."""
        if i not in self.at.displays:
            return False
        lines, end = self.at.lines, self.at.displays[i]
        shown = " ".join(" ".join(d.text.split()) for d in lines[i:end])
        after = lines[end] if end < len(lines) else None
        if (self.kind == "dd" and self.cur and not PERIOD_END.search(self.cur[-1])
                and (after is None or abs(after.x0 - self.def_x) <= CELL_ALIGN)):
            # inside a definition's sentence, the text going on at the definition's indent
            # after it: its next line (text going on at another x is no part of the entry)
            self.cur[-1] += "\n" + shown
        elif self.kind == "p" and self.cur and not PERIOD_END.search(self.cur[-1]):
            self.own_line.add(len(self.cur))
            self.cur.append(shown)
        else:
            self.close()
            self.start_paragraph(shown, ln)
        self.prev, self.skip_to, self.after_display = lines[end - 1], end, True
        return True

    def after_a_display(self, ln: Line, text: str) -> bool:
        """The line after a display or a line-broken block: the sentence going on (a lower-case
        word or punctuation) on its own line, or another paragraph of the open definition;
        anything else closes the block."""
        if not self.after_display:
            return False
        self.after_display = False
        if self.kind == "dd" and not ln.mono and item_marker(text) is None and abs(ln.x0 - self.def_x) <= CELL_ALIGN:
            # the definition goes on after its display: the sentence on the next line, or
            # another paragraph of the definition
            if CONTINUES.match(text) and self.cur:  # (cur is empty when the display closed the entry)
                self.cur[-1] += "\n" + text
            else:
                self.dd_breaks.append(len(self.cur))
                self.cur.append(text)
            self.prev = ln
            return True
        if self.kind == "p" and CONTINUES.match(text) and not ln.mono and item_marker(text) is None:
            self.own_line.add(len(self.cur))
            self.cur.append(text)
            self.prev = ln
            return True
        self.close()
        return False

    def after_figure(self, i: int, ln: Line, text: str) -> bool:
        """A dropped figure stood inside the sentence ("The following graph" / [figure] / "might be
        coded as follows."): it goes on, on a line of its own as after a display (round 8)."""
        if not (ln.after_figure and self.kind == "p" and self.cur and not PERIOD_END.search(self.cur[-1])
                and not ln.mono and CONTINUES.match(text) and item_marker(text) is None and i not in self.at.terms):
            return False
        self.own_line.add(len(self.cur))
        self.cur.append(text)
        self.prev = ln
        return True

    def gap_before(self, ln: Line) -> bool:
        """Is there a vertical gap above *ln* (more than ``GAP_FACTOR`` line spacings)? Over a page
        break a paragraph goes on unless its text had ended a sentence."""
        prev = self.prev
        gap = prev is not None and (prev.y_end - ln.y) > self.at.spacing.of(prev, ln) * GAP_FACTOR
        if ln.page_start and prev is not None:
            gap = self.kind not in ("p", "li", "dd") or ends_sentence(self.cur)
        return gap

    def margin_split(self, i: int, ln: Line, text: str) -> bool:
        """A line whose margin name ``pdf_terms.margin_cells`` took off: a new paragraph, unless a
        sentence is open."""
        if not (i in self.at.split and not ln.mono and (self.kind != "p" or not self.cur or ends_sentence(self.cur))):
            return False
        self.close()
        self.start_paragraph(text, ln)
        self.prev = ln
        return True

    # -- tables, labels, code -------------------------------------------------------------------

    def table_line(self, i: int, ln: Line, text: str, gap: bool) -> bool:
        """A table row: one line, cells joined by " | " (proportional lines only); the last cell of
        the row above wrapping under its own start goes on that row. Any other line ends a table."""
        if i in self.at.rows:
            if self.kind != "table":
                self.close()
                self.kind = "table"
            columns = self.at.grid.get(i, [])
            self.cur.append(" | ".join(on_columns(ln.cells, columns)))
            self.prev, self.last_row, self.row_columns = ln, ln, columns
            return True
        if (self.kind == "table" and self.cur and not gap and wraps_cell(self.last_row, ln, self.row_columns)
                and not ends_sentence(self.cur)):
            self.cur[-1] = join(self.cur[-1], text)
            self.prev = ln
            return True
        if self.kind == "table":
            self.close()
        return False

    def flush_right_label(self, i: int, ln: Line, text: str) -> tuple[str, str | None]:
        """(*ln*'s text, its label or None): a short part set flush right apart from the line's
        text (texinfo's ``[Function]``, GAPDoc's "(function)") is a label, kept for after the
        block the line goes on or starts (``prose_line``). Not a word
        broken at the line's end ("https://sourceforge.←-": a justified line's stretched space
        before an unbreakable URL is as wide as a label's), nor a part that is no whole label
        (``pdf_joins.whole_label``), nor a sentence running on (``pdf_joins.runs_on``)."""
        lines, right = self.at.lines, self.at.right
        labelled = (not ln.mono and len(ln.cells) == 2 and len(ln.cells[1][1].split()) <= 3
                    and ln.x1 >= right - CELL_ALIGN and not ln.cells[1][1].endswith("-")
                    and whole_label(ln.cells[1][1])
                    and not runs_on(ln, lines[i + 1] if i + 1 < len(lines) else None, self.at.spacing))
        if not labelled:
            return text, None
        return ln.cells[0][1], ln.cells[1][1]

    def code_line(self, i: int, ln: Line, text: str, gap: bool) -> bool:
        """A monospace line: code, unless it is inline code inside a sentence (a monospace line
        goes on a paragraph unless indented, after a gap or a finished sentence, after a prose
        line that stops short of the right edge — the sentence broke for an example — or with
        another code line under it). Also an empty numbered line inside a listing, and a single
        code line with prose indented under it: a term (texinfo's ``@table @code``)."""
        if self.kind == "code" and not gap and numbered_blank(self.code[-1], ln):
            self.code.append(ln)  # an empty line of a numbered listing: its number only, in roman
            self.prev = ln
            return True
        prev, lines, left = self.prev, self.at.lines, self.at.left
        indented = ln.x0 - left > 8
        after_short = prev is not None and not prev.mono and prev.x1 - left < SHORT_LINE * self.at.width
        code_below = i + 1 < len(lines) and lines[i + 1].mono and not lines[i + 1].page_start
        if ln.mono and ln.size and (prev is None or prev.mono or gap or indented or self.kind != "p"
                                    or ends_sentence(self.cur) or after_short or code_below):
            if self.kind != "code":
                self.in_sentence = self.kind == "p" and bool(self.cur) and not ends_sentence(self.cur)
                self.close()
                self.kind = "code"
            self.code.append(ln)
            self.prev = ln
            return True
        if (self.kind == "code" and len(self.code) == 1 and not gap and ln.x0 - self.code[0].x0 > HANG_INDENT
                and len(self.code[0].text.split()) <= HANG_TERM_WORDS and item_marker(text) is None
                and not self.in_sentence):
            # one line in a code font with prose indented under it: a term set in code (texinfo
            # "@table @code" with a term too long to sit beside its text), not a code block; but
            # not an example a sentence ran into ("The command" / "import graph;" / "is a …",
            # the paragraph after it set with its first-line indent)
            self.kind, self.term, self.def_x, self.cur = "dd", BULLET.sub("", self.code[0].text.strip()), ln.x0, [text]
            self.code = []
            self.prev = ln
            return True
        if self.kind == "code":
            self.close()
        return False

    # -- prose ----------------------------------------------------------------------------------

    def description_item(self, i: int, ln: Line, text: str, gap: bool, label: str | None = None) -> bool:
        """A description item (``pdf_terms.lead_entry``, round 19): its label in bold or code run
        into its text, the text hanging under it; a one-line item at the last item's x continues
        the list only right after it."""
        at = self.at
        if not ((self.kind is None or gap or ends_sentence(self.cur)) and i not in at.terms
                and lead_entry(ln, at.lines[i + 1] if i + 1 < len(at.lines) else None, at.spacing,
                               self.entry_x if gap and len(self.blocks) == self.entry_at + 1 else None,
                               ln.x1 - at.left >= SHORT_LINE * at.width)):
            return False
        self.labels.extend([label] if label else [])  # (before the entry: a label run into an item is rare)
        self.close()
        words = text.split()
        self.kind, self.term, self.cur = "dd", " ".join(words[:ln.lead_words]), [" ".join(words[ln.lead_words:])]
        nxt = at.lines[i + 1] if i + 1 < len(at.lines) else None
        self.def_x = nxt.x0 if nxt is not None and nxt.x0 > ln.x0 + HANG_INDENT else self.def_x
        self.entry_x, self.entry_at, self.prev = ln.x0, len(self.blocks), ln
        return True

    def prose_line(self, i: int, ln: Line, text: str, gap: bool, label: str | None) -> None:
        """A list item, a hanging indent under a short block (a term and its definition), or a
        prose line: on the open paragraph, or starting a new one (``new_paragraph``). The line's
        flush-right *label* goes with the block the line is in: after a block the line closes
        (round 20: GAPDoc's "(function)" beside "▷ RunAsyncTask(func[, …])" and texinfo's
        "[Function]" beside a definition line after a gap went to the end of the paragraph before)."""
        item = item_marker(text)
        labelled = label is not None
        if item is not None:
            self.close()
            self.kind, self.cur = "li", [item + BULLET.sub("", text) if item == "- " else text]
        elif self.kind is None:
            self.start_paragraph(text, ln, labelled)
        elif (self.kind == "p" and (not gap or label_apart(self.prev, ln, self.at.lines[i + 1:i + 2], self.cur, self.at.spacing))
              and hangs(self.first, ln, self.cur)
              and (self.first_label or self.first.x1 < self.at.right - 3 * self.first.size)):
            # a hanging indent under a short unfinished block: a term (a signature, a long
            # option) and its definition below it (texinfo @deffn/@table, man pages); a label
            # (Doxygen's "Note", "See also", "Returns") may stand a little apart above its text
            self.kind, self.term, self.def_x = "dd", " ".join(self.cur), ln.x0
            self.labels.extend([label] if label else [])
            self.term_labels.extend(self.labels)
            self.labels.clear()
            self.cur = [text]
        elif self.new_paragraph(ln, gap):
            self.close()
            self.start_paragraph(text, ln, labelled)
        else:
            at = self.at
            if self.kind == "p" and set_by_hand(self.prev, ln, at.left, max(at.right, at.measure_right), at.edges,
                                                local_edge(at.lines, self.prev), at.lines[i - 2] if i >= 2 else None):
                self.own_line.add(len(self.cur))  # the line was not wrapped: it keeps its own line
            self.cur.append(text)
        if label is not None and self.kind != "dd":  # (a term's label went with the term above)
            self.labels.append(label)

    def new_paragraph(self, ln: Line, gap: bool) -> bool:
        """Does prose line *ln* start a new paragraph: after a gap; at a first-line indent after a
        finished sentence (a hanging indent continues the item); after a short line that ended a
        sentence; at another font size after a finished sentence (not a word in a smaller font
        that a wrapped sentence goes on with: "under\\nHISTORY."); at a footnote's raised number
        after a finished sentence, or after an unfinished line ("… ctan.tug.org/tex/") when set
        smaller than that line or when that line's block is a footnote (``pdf_marks``)."""
        prev, cur, left = self.prev, self.cur, self.at.left
        done = ends_sentence(cur)
        indent = ln.x0 - left > 8 and prev is not None and prev.x0 - left < 4 and self.kind == "p" and done
        short_end = prev is not None and (prev.x1 - left) < SHORT_LINE * self.at.width and done
        resized = prev is not None and abs(ln.size - prev.size) > SIZE_CHANGE * max(ln.size, prev.size) and done
        note = ln.note and (done or (prev is not None and ln.size < NOTE_SIZE * prev.size)
                            or (self.kind == "p" and self.first is not None and self.first.note))
        return bool(gap or indent or short_end or resized or note)
