"""Footnote marks (issue 10 round 17): set apart from the words they were glued to.

A footnote mark is a smaller glyph raised above the baseline; its note sits at the page's foot,
set smaller, starting with the same mark. Read as plain text the mark sticks to a word: the note
read "2By default, …" and the text "… called crashing.2 Note that …" or "active constraints3 ."
(maint-guide.pdf 38 notes, glpk.pdf 34). That text is what the generators, the deduplicator, the
quality score and the RAG index see.

The form chosen is the one plain-text renderings of footnotes use (pandoc ``-t plain``, RFCs):
the reference is the mark in brackets against the word, ``crashing.[2] Note …``,
``constraints[3].``, and the note is a paragraph of its own starting with it, ``[2] By default,
…``. Dropping the reference would lose which note belongs to which sentence once the note has
moved after its paragraph (``pdf_notes``); Markdown's ``[^2]`` reads as markup to a reviewer.

Two steps: ``raised_marks`` finds the marks inside one PDFium line (``pdf_lines.page_lines``; a
mark in a run of its own is found by ``pdf_runs``), ``note_marks`` rewrites one page's lines:
a note is a line that starts with a mark and is set smaller than the page's text; a mark
inside a line is a reference only when a note of that page starts with the same mark (a
superscript in a formula, "x²", "10⁶", has no note to point to).
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from fineflow_desktop.core.ingest.pdf_chars import font_size

if TYPE_CHECKING:  # (pdf_lines imports this module)
    from fineflow_desktop.core.ingest.pdf_lines import Line

MARK_CHARS = frozenset("0123456789∗*†‡§¶")
MARK_TEXT = re.compile(r"^(?:[1-9]\d?|[∗*†‡§¶]{1,3})$")  # "3", "12", "∗", "††"
NOTE_RAISE = 0.2  # em of the text before it: a mark's baseline lies higher than this (as ``pdf_runs``)
NOTE_SIZE = 0.9  # a mark (and a note) is set smaller than this share of the text it belongs to
TITLE_SIZE = 1.15  # a line this much larger than the text is a title (``pdf_headings.HEADING_SIZE``): its mark goes
BEFORE_REF = re.compile(r"[^\W\d_]|[.,;:!?)’”'\"]")  # a reference follows a letter or punctuation


def raised_marks(raw, tp, text: str, start: int, idx: list[int], math_at: Callable[[int], bool]) -> list[tuple[str, int, bool]]:
    """The footnote marks inside one PDFium line: ``[(mark, occurrence, at_start)]``.

    *text* is the page's text, the line starts at index *start*, *idx* are the indices of its
    characters that stand for text (``pdf_lines.page_lines``), *math_at(i)* tells a math font.
    A mark is a run of 1–2 digits (or 1–3 of ``∗ † ‡ § ¶``) each set smaller than ``NOTE_SIZE``
    × the character it is read against and raised by more than ``NOTE_RAISE`` em over it: the
    character before it (a letter or punctuation, not in a math font, not a digit: "10⁶"), or,
    at the line's start, the one after it (a note's own mark; that one may be math: graphs.pdf's
    "¹A may be a multiset", A in math italic). *occurrence* counts the same
    string in the line's text before the mark (the line's text may gain spaces later, not
    marks); *at_start*: no text before it."""
    out: list[tuple[str, int, bool]] = []
    def size(i: int) -> float:
        return font_size(raw, tp, i)

    x, y = ctypes.c_double(), ctypes.c_double()

    def baseline(i: int) -> float:
        raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
        return y.value

    k = 0
    while k < len(idx):
        if text[idx[k]] not in MARK_CHARS:
            k += 1
            continue
        first, end = k, k
        while end < len(idx) and text[idx[end]] in MARK_CHARS and idx[end] == idx[first] + (end - first):
            end += 1
        run, mark = idx[first:end], text[idx[first]:idx[end - 1] + 1]
        ref = idx[first - 1] if first else (idx[end] if end < len(idx) else None)
        k = end
        if ref is None or not MARK_TEXT.match(mark) or (first and not BEFORE_REF.match(text[ref])):
            continue
        ref_size = size(ref)
        if not ref_size or any(size(i) >= NOTE_SIZE * ref_size for i in run):
            continue
        if baseline(run[0]) - baseline(ref) <= NOTE_RAISE * ref_size or (first and math_at(ref)):
            continue
        out.append((mark, text[start:run[0]].count(mark), first == 0))
    return out


def _at(text: str, mark: str, occurrence: int) -> int:
    """Index of the *occurrence*-th (0-based, non-overlapping, as ``str.count``) *mark* in *text*, or -1."""
    pos = -len(mark)
    for _ in range(occurrence + 1):
        pos = text.find(mark, pos + len(mark))
        if pos < 0:
            return -1
    return pos


def _reference(text: str, mark: str, occurrence: int, title: bool = False) -> str | None:
    """*text* with that mark set as a reference against the text before it: ``crashing.[2] Note``,
    ``constraints[3].`` (PDFium spaced "constraints3 ." and "outdated. 1"), or, in a *title*,
    dropped (a heading path "… margin comments" without the ``\thanks`` mark); None if not found."""
    pos = _at(text, mark, occurrence)
    if pos < 0:
        return None
    before, after = text[:pos].rstrip(), text[pos + len(mark):]
    if after[:2].strip() in {".", ",", ";", ":", ")"} and after[:1] == " ":
        after = after[1:]
    return f"{before}{after}" if title else f"{before}[{mark}]{after}"


def note_marks(lines: list[Line]) -> list[Line]:
    """One page's *lines* with their footnote marks set apart (see the module docstring).

    A note: a line set smaller than ``NOTE_SIZE`` × the page's text size (the size of most of its
    characters outside code lines) that starts with a raised mark (``Line.marks``, or ``Line.note``: a run of its
    own), or, in the page's foot block (``_foot``), with a number set against a capitalised word
    ("1The document …": DBLaTeX sets its marks at full size on the baseline, maint-guide.pdf). It
    reads ``[1] The document …`` and is marked ``note``. A reference: a raised mark inside a line
    whose string starts a note of this page, or, for a note whose mark is raised nowhere, the one
    place in the page's text where its number stands after a word's punctuation, alone
    ("outdated. 1", "option.11 You", ``_loose_mark``). It reads ``outdated.[1]``; in a title (a line
    ``TITLE_SIZE`` × the text size or larger: LaTeX's ``\thanks``) the mark is dropped, so that
    heading paths read "mnotes — annotate documents with margin comments"."""
    sizes: Counter = Counter()
    for ln in lines:
        if not ln.mono:  # (a page of listings set smaller than the text: glpk.pdf p. 43)
            sizes[round(ln.size, 1)] += len(ln.text)
    if not sizes:
        return lines
    body = sizes.most_common(1)[0][0]
    foot = _foot(lines, body)
    out = list(lines)
    notes: set[str] = set()
    for i, ln in enumerate(lines):
        if ln.size >= NOTE_SIZE * body:
            continue
        text = ln.text.strip()
        start = next((m for m, occ, first in ln.marks if first and occ == 0 and text.startswith(m)), None)
        if start is None and ln.note:
            head = text.split(" ", 1)[0]
            start = head if MARK_TEXT.match(head) else None
        if start is None and i >= foot and (glued := _GLUED.match(text)):
            start = glued.group(1)
        if start is None:
            continue
        rest = text[len(start):].lstrip()
        start = start.translate(_SUPERSCRIPT)
        notes.add(start)
        cells = ln.cells
        if cells and cells[0][1].strip().startswith(start):
            cells = [(cells[0][0], f"[{start}] " + cells[0][1].strip()[len(start):].lstrip()), *cells[1:]]
        out[i] = replace(ln, text=f"[{start}] {rest}", cells=cells, note=True,
                         marks=[m for m in ln.marks if m[2] is False])
    raised = set()
    for i, ln in enumerate(out):
        refs = [(m, occ) for m, occ, first in ln.marks if not first and m in notes]
        if not refs:
            continue
        raised.update(m for m, _ in refs)
        text, cells, title = ln.text, list(ln.cells), ln.size >= TITLE_SIZE * body
        for m, occ in sorted(refs, key=lambda r: -r[1]):  # the later first: earlier occurrences keep their count
            text = _reference(text, m, occ, title) or text
            cells = _cell_reference(cells, m, occ, title)
        out[i] = replace(ln, text=text, cells=cells, marks=[])
    for i in range(len(out) - 1, 0, -1):
        # a raised mark that PDFium set on a line of its own after the line it ends (fhs-3.0.pdf,
        # FOP: "… (Note that the <locale> component may be missing.)" / "2")
        ln, above = out[i], out[i - 1]
        mark = ln.text.strip()
        if (mark in notes and ln.size < NOTE_SIZE * body and ln.y > above.y - above.size and above.size >= NOTE_SIZE * body
                and BEFORE_REF.match(above.text.rstrip()[-1:])):
            ref = "" if above.size >= TITLE_SIZE * body else f"[{mark}]"
            out[i - 1] = replace(above, text=f"{above.text.rstrip()}{ref}")
            del out[i]
            raised.add(mark)
    for m in notes - raised:
        places = [(i, hit) for i, ln in enumerate(out) if NOTE_SIZE * body <= ln.size < TITLE_SIZE * body and not ln.mono
                  for hit in _loose_mark(m).finditer(ln.text)]  # (text lines: a title holds no loose number)
        if len(places) == 1:  # the one place: any doubt ("see note 2"?) leaves the text as it is
            i, hit = places[0]
            ln = out[i]
            shown = hit.group(2)  # (maybe in superscript digits)
            occ = ln.text[:hit.start(2)].count(shown)
            text = _reference(ln.text, shown, occ)
            out[i] = replace(ln, text=text.replace(f"[{shown}]", f"[{m}]") if text else ln.text,
                             cells=_cell_reference(list(ln.cells), shown, occ))
    return out


_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")  # a font's own superscript digits ("1⁴The", maint-guide)
_DIGIT = "0123456789"
_GLUED = re.compile(r"^([1-9][0-9⁰¹²³⁴⁵⁶⁷⁸⁹]?)(?=[A-Z][a-z]|[“\"‘(][A-Z])")  # "1The document", "2“Adopting …", "1⁴If"


def _loose_mark(mark: str) -> re.Pattern:
    """A note's number standing in the text after a word and its punctuation, alone: "outdated. 1",
    "option.11 You", "follows:13" (then the line's end, or a capital: a sentence starts)."""
    digits = "".join(f"[{c}{'⁰¹²³⁴⁵⁶⁷⁸⁹'[_DIGIT.index(c)]}]" if c in _DIGIT else re.escape(c) for c in mark)
    # after a word's punctuation, or two of it ("(0-9). 13")
    # (a word: two letters at least — "A.1 Shared libraries" is a section number)
    return re.compile(rf"(?:(?<=[^\W\d_]{{2}}[.,;:!?)])|(?<=\w[)”’\"\]][.,;:!?]))( ?)({digits})(?=$| [A-Z(“\"‘])")


def _foot(lines: list[Line], body: float) -> int:
    """Index of the first line of the page's foot block: the lines at the page's end set smaller
    than ``NOTE_SIZE`` × *body*, a last line that is only a page number aside; ``len(lines)`` if none."""
    foot = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text.strip()
        if lines[i].size < NOTE_SIZE * body or (i == len(lines) - 1 and _FOLIO.match(text)):
            foot = i
        else:
            break
    while foot < len(lines) and lines[foot].size >= NOTE_SIZE * body:  # (the page number itself)
        foot += 1
    return foot


_FOLIO = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,6})$")


def _cell_reference(cells: list[tuple[float, str]], mark: str, occurrence: int,
                    title: bool = False) -> list[tuple[float, str]]:
    """``_reference`` in the line's cells (the same string counted over the cells in order)."""
    for j, (x0, part) in enumerate(cells):
        here = part.count(mark)
        if occurrence < here:
            new = _reference(part, mark, occurrence, title)
            return [*cells[:j], (x0, new if new is not None else part), *cells[j + 1:]]
        occurrence -= here
    return cells
