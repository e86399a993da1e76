"""The text of one PDF block from its lines, and the tests on single lines that decide how a line
joins the block before it (used by ``pdf_paragraphs``; split out of ``pdf_layout`` in round 20).

Text: a paragraph's lines joined with a space, an end-of-line hyphen undone (``join``); a
definition's paragraphs as ``: `` lines (``definition_text``); code lines placed by their x in
monospace columns and fenced (``code_text``).

Line tests: does a sentence end (``ends_sentence``, ``PERIOD_END``), does a line hang under a
short block as a definition under its term (``hangs``), can a line's flush-right part be a label
(``whole_label``) or does it run on into the next line (``runs_on``), is a roman line only the next number
of a numbered listing (``numbered_blank``).
"""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, GAP_FACTOR, NUMBERED, SENTENCE_END, Line
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing
from fineflow_desktop.core.ingest.pdf_terms import HANG_INDENT, HANG_TERM_WORDS, PAR_INDENT

# a full stop, "!" or "?" ending a text, closing quotes or brackets after it (a note reference may follow)
PERIOD_END = re.compile(r"[.!?][\"'’”)\]]*(?:\[(?:[1-9]\d?|[∗*†‡§¶]{1,3})\])?$")
_LINE_NUMBER = re.compile(r"\s*(\d{1,4})(?:\s|$)")


def ends_sentence(cur: list[str]) -> bool:
    """Does the last line of the open block *cur* end a sentence (``pdf_lines.SENTENCE_END``)?"""
    return bool(cur) and bool(SENTENCE_END.search(cur[-1]))


def join(text: str, nxt: str) -> str:
    """Join a wrapped line to its paragraph, undoing end-of-line hyphenation (where PDFium left
    two lines; the words it joined itself were decided by ``pdf_hyphens.resolve_hyphens``)."""
    if re.search(r"[a-z]-$", text) and re.match(r"^[a-z]", nxt):
        return text[:-1] + nxt
    return text + " " + nxt


def joined(parts: list[str]) -> str:
    """The lines *parts* of one paragraph joined (``join``)."""
    text = parts[0]
    for part in parts[1:]:
        text = join(text, part)
    return text


def paragraph_text(cur: list[str], own_line: set[int]) -> str:
    """The lines *cur* of one paragraph joined (``join``), except those whose index is in
    *own_line*, which start a line of their own (a display, a line set by hand)."""
    text = cur[0]
    for k, part in enumerate(cur[1:], 1):
        text = f"{text}\n{part}" if k in own_line else join(text, part)
    return text


def definition_text(term: str, cur: list[str], breaks: list[int]) -> str:
    """A definition entry: *term*, then each paragraph of the definition (*cur* split before the
    indices in *breaks*) as a ``: `` line."""
    bounds = [0, *breaks, len(cur)]
    paras = [joined(cur[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]
    return f"{term}\n: " + "\n: ".join(paras)


def code_text(code: list[Line]) -> str:
    """A code block, fenced with `````, each line as printed (``verbatim``) from the block's
    leftmost x."""
    base = min(ln.x0 for ln in code)
    char_w = max(code[0].size * 0.6, 1.0)  # monospace advance ≈ 0.6 em
    body = "\n".join(verbatim(ln, base, char_w) for ln in code)
    return f"```\n{body}\n```"


def verbatim(ln: Line, base: float, char_w: float) -> str:
    """A code line as printed: indented and its parts placed by their x (monospace columns of
    *char_w* points from *base*)."""
    def col(x: float) -> int:
        return max(0, round((x - base) / char_w))

    if not ln.cells:
        return " " * col(ln.x0) + ln.text.strip()
    out = ""
    for x, part in ln.cells:
        out += " " * max(1 if out else 0, col(x) - len(out)) + part
    return out


def is_item(block: str) -> bool:
    """Does the text block *block* end with a list item (``- `` or ``1.``)?"""
    last = block.rsplit("\n", 1)[-1]
    return last.startswith("- ") or bool(NUMBERED.match(last))


def numbered_blank(last: Line, ln: Line) -> bool:
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


def hangs(first: Line | None, ln: Line, cur: list[str]) -> bool:
    """Does *ln* start the definition of the paragraph *cur* (begun by *first*) as its term: *ln*
    is indented more than ``HANG_INDENT`` points past *first*, and *cur* is at most two lines of
    at most ``HANG_TERM_WORDS`` words that do not end a sentence (a wrapped paragraph keeps its
    left edge; a first-line indent goes the other way)."""
    return (first is not None and len(cur) <= 2 and ln.x0 - first.x0 > HANG_INDENT and not ends_sentence(cur)
            and sum(len(c.split()) for c in cur) <= HANG_TERM_WORDS)


def whole_label(part: str) -> bool:
    """Can the flush-right *part* of a line be a label: a whole unit, its brackets closed and no
    comma in it ("[Function]", "[User Option]", "(function)"). A justified line's stretched last
    space sets the end of a sentence apart as wide (round 20, bashref.pdf: "… parameter $? (see" /
    "Section 3.4.2 …"; zsh.pdf: "… invoked as sh or ksh: NO_BAD_PATTERN," / "NO_BANG_HIST, …";
    "Function tracing is enabled: command substitution, shell" / "functions, and subshells …")."""
    return "," not in part and all(part.count(a) == part.count(b) for a, b in ("()", "[]", "{}"))


def runs_on(ln: Line, nxt: Line | None, spacing: LineSpacing) -> bool:
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
    if len(ln.cells) >= 2 and PERIOD_END.search(ln.cells[-2][1]) and ln.cells[-1][1][:1].isupper():
        reach += PAR_INDENT[1] * ln.size  # a sentence space stretched on a hanging entry's first line
    # (a next line in a code font goes on the sentence only when it ends it: inline code that a
    # wrapped sentence ends with, "… Use" / "push_localbitprec.", not a code block)
    return (nxt is not None and (not nxt.mono or PERIOD_END.search(nxt.text.strip()) is not None)
            and -PAR_INDENT[1] * ln.size - CELL_ALIGN <= nxt.x0 - ln.x0 <= reach
            and ln.y_end - nxt.y <= GAP_FACTOR * spacing.of(ln, nxt) and nxt.text.strip()[:1].islower())
