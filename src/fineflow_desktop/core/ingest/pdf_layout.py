"""PDF page lines (pypdfium2) → paragraphs in the chunk-text convention.

pypdfium2 (PDFium, Apache-2.0/BSD-3) gives each page's text with its line breaks and every
character's box and font flags. From those this module rebuilds what a reader sees:

- **lines** (``page_lines``): text, left/right x, baseline y, font size, monospace (PDF font
  flag FixedPitch, ISO 32000-1 §9.8.2, or a monospace family name), by majority of 5 characters;
- **running headers/footers** (``running_lines``): a line in the top or bottom ``EDGE`` of the
  page whose text, digits replaced by ``#``, recurs in that margin on 3 or more pages (chapter
  headers change per chapter, so a share of all pages would miss them);
  lone page numbers (arabic or roman) there too;
- **table-of-contents lines**: dot leaders (``Section .......... 12``);
- **paragraphs** (``paragraphs``): lines are joined with a space; a paragraph ends at a vertical
  gap larger than ``GAP_FACTOR`` × the page's usual line spacing, at a first-line indent after a
  finished sentence, after a short line that ends a sentence, where the font size changes by
  more than ``SIZE_CHANGE`` after a finished sentence, or where the font switches between monospace and proportional (a
  line is monospace when ``MONO_SHARE`` of its sampled characters are: prose naming many
  identifiers in a code font stays prose).
- **definition entries** (``_term_lines``): a short term and its definition side by side, the
  definition going on below at its own indent, become ``term`` / ``: definition`` (each further
  paragraph at the definition's indent another ``: `` line of the same entry); so does a
  short unfinished block followed by a hanging indent (``_hangs``: a signature or long option on
  its own line, the text below it indented), and a single code-font line with prose indented
  under it (a term of texinfo's ``@table @code``);
- **cells** (``Line.cells``): a gap wider than ``CELL_GAP`` em inside a line separates parts.
  Two or more consecutive lines of several parts whose second parts line up are **table rows**
  (one per line, cells joined by `` | ``); a short part set flush right on its own (texinfo's
  ``[Function]``) is a label, moved after the block it stands beside, as pdftotext reads it. Monospace runs are code (a monospace line inside a sentence is inline code
  unless it is indented, as example blocks are): verbatim, fenced with ```. Lines starting with a
  bullet or ``1.`` are list items (``- `` / ``1. ``), one per line;
- **hyphenation**: PDFium marks a word hyphenated at a line end with U+FFFE (or the line ends
  with ``-`` before a lower-case continuation); the two halves are joined without the hyphen.
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

EDGE = 0.09  # top/bottom share of the page height where running headers/footers live
GAP_FACTOR = 1.45
CELL_GAP = 1.0  # em: a gap this wide between two words of a line separates cells (word spaces are ~0.3 em)
HANG_INDENT = 8  # points
HANG_TERM_WORDS = 24  # a C signature of a few parameters
TERM_WORDS = 4
TERM_REACH = 8  # lines  # a definition term beside its definition has at most this many words
CELL_ALIGN = 3.0  # points: table rows have their second cell at the same x
MONO_SHARE = 0.8  # share of sampled characters in a monospace font for a line to be code
MONO_SAMPLES = 12
SIZE_CHANGE = 0.08  # a line whose font size differs by more than this share starts a new block
SHORT_LINE = 0.8  # a line shorter than this share of the text width may end a paragraph
# a gap between two letters wider than this share of their (loose) box height is a word space that
# PDFium did not emit (groff/Ghostscript PDFs position words without space glyphs: "theyare");
# measured: letter gaps stay below 0.1, the missing spaces are 0.2-0.8, dot leaders 0.1-0.2
SPACE_GAP = 0.15
_FIXED_PITCH = 1  # FPDFText_GetFontInfo flag (PDF FontDescriptor /Flags bit 1)
_FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19 (ISO 32000-1 §9.8.2, Table 123)
# bold family names: Times-Bold, NimbusRomNo9L-Medi, Arial-BoldMT, DejaVuSans-Bold, TeX's CMBX/SFBX
_BOLD_NAME = re.compile(r"(?i)bold|black|heavy|demi|semibold|-medi|cmbx|sfbx|\+bx|lmroman\d+-bold")
_MONO_NAME = re.compile(r"(?i)mono|nimbusmon|cursor|courier|cm(?:sl|i)?tt|typewriter|consol|\\bcode|inconsolata|\+tt|^tt")
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*[\divxlcIVXLC]+\s*$")
_PAGE_NO = re.compile(r"^\s*(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[•◦▪‣∙·●○■□–—*]|-(?=\s))\s*")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
_SENTENCE_END = re.compile(r"[.!?:;][\"'’”)\]]*$")


@dataclass
class Line:
    """One text line of a page; PDF coordinates (points, y grows upwards); ``y`` is the baseline."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    mono: bool
    y_end: float = 0.0  # baseline of the last character (PDFium joins lines at a hyphenation)
    # the line's parts separated by a horizontal gap wider than ``CELL_GAP`` em (table cells, a
    # right-aligned label such as texinfo's "[Function]"); empty when the line has one part
    cells: list[tuple[float, str]] = field(default_factory=list)  # (left x, text) per part
    page: int = 0  # 1-based page number, set by the reader
    page_start: bool = False  # the first content line of its page
    bold: bool = False  # most sampled characters in a bold font (``_BOLD_NAME`` or ForceBold)
    spaced: bool = False  # word spaces PDFium had missed were put back (``_missing_spaces``)


def page_lines(page, check_spaces: bool = True) -> list[Line]:
    """The lines of a pypdfium2 ``PdfPage`` in reading order (PDFium's own order). With
    *check_spaces*, word spaces PDFium missed are put back (``_missing_spaces``; each line that
    got one has ``spaced`` set)."""
    import pypdfium2.raw as raw

    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text = tp.get_text_range() if n else ""
        if len(text) != n:
            # PDFium's text range skipped or added characters (LaTeX math fonts): read them one
            # by one so that each index of the text is its character's box again
            text = "".join(_char(raw.FPDFText_GetUnicode(tp.raw, i)) for i in range(n))
        geometry = len(text) == n  # one char per index: boxes line up
        lines: list[Line] = []
        flags, name = ctypes.c_int(), ctypes.create_string_buffer(128)
        ox, oy = ctypes.c_double(), ctypes.c_double()  # character origin: x and the baseline y
        start = 0
        for raw_line in text.split("\n"):
            end = start + len(raw_line)
            content = raw_line.rstrip("\r")
            stripped = content.strip()
            shown = content.replace("\ufffe", "")  # PDFium's mark of a word hyphenated at a line end
            if stripped:
                if geometry:
                    spaces = _missing_spaces(tp, text, start, start + len(content)) if check_spaces else set()
                    shown = _spaced(content, start, spaces).replace("\ufffe", "")
                    idx = [i for i in range(start, start + len(content)) if not text[i].isspace()]
                    first, last = idx[0], idx[-1]
                    left = tp.get_charbox(first)[0]
                    right = tp.get_charbox(last)[2]
                    raw.FPDFText_GetCharOrigin(tp.raw, first, ctypes.byref(ox), ctypes.byref(oy))
                    # a prose line naming many identifiers in a code font is still prose: code
                    # lines are (nearly) all monospace
                    k = min(MONO_SAMPLES, len(idx))
                    samples = {idx[j * (len(idx) - 1) // max(k - 1, 1)] for j in range(k)}
                    fonts = [_font(raw, tp, i, flags, name) for i in samples]
                    mono = sum(m for m, _ in fonts)
                    bold = sum(b for _, b in fonts) >= MONO_SHARE * len(samples)
                    # the usual size of the line's characters, not the first one's (an inline
                    # code word that starts a line may be set smaller)
                    sizes = sorted(raw.FPDFText_GetFontSize(tp.raw, i) for i in samples)
                    size = sizes[len(sizes) // 2] or 10.0
                    y = oy.value
                    raw.FPDFText_GetCharOrigin(tp.raw, last, ctypes.byref(ox), ctypes.byref(oy))
                    is_mono = mono >= MONO_SHARE * len(samples)
                    cells = _cells(tp, text, start, start + len(content), size, spaces)
                    lines.append(Line(shown, left, right, y, size, is_mono, oy.value, cells, bold=bold,
                                      spaced=bool(spaces)))
                else:
                    lines.append(Line(shown, 0.0, 0.0, 0.0, 0.0, False))
            start = end + 1
        return lines
    finally:
        tp.close()


def _char(code: int) -> str:
    """One character per text index: NUL and lone UTF-16 surrogates become U+FFFD."""
    return chr(code) if code and not 0xD800 <= code < 0xE000 else "\ufffd"


def _missing_spaces(tp, text: str, start: int, end: int) -> set[int]:
    """Indices in ``text[start:end]`` before which a word space is missing: the gap between two
    consecutive non-space characters' loose boxes (font advance, not ink) on one baseline is wider
    than ``SPACE_GAP`` × their height. Reads the boxes through the raw API with one reused
    rectangle (the helper's per-call allocation doubled the parse time)."""
    import pypdfium2.raw as raw

    out: set[int] = set()
    rect = raw.FS_RECTF()
    prev = None  # (left, bottom, right, top) of the previous character
    for i in range(start, end):
        if text[i].isspace() or text[i] == "\ufffe" or not raw.FPDFText_GetLooseCharBox(tp.raw, i, rect):
            prev = None
            continue
        box = (rect.left, rect.bottom, rect.right, rect.top)
        if prev is not None and (text[i].isalnum() or text[i - 1].isalnum()):  # not between leader dots
            height = prev[3] - prev[1]
            if height > 0 and box[0] - prev[2] > SPACE_GAP * height and abs(box[1] - prev[1]) < height / 2:
                out.add(i)
        prev = box
    return out


def _spaced(part: str, offset: int, spaces: set[int]) -> str:
    """*part* (``text[offset:…]``) with a space put before each index in *spaces*."""
    if not spaces:
        return part
    return "".join((" " + ch) if offset + k in spaces else ch for k, ch in enumerate(part))


def _cells(tp, text: str, start: int, end: int, size: float, spaces: set[int] = frozenset()) -> list[tuple[float, str]]:
    """``[(left x, text)]``: the parts of ``text[start:end]`` separated by gaps wider than
    ``CELL_GAP`` × *size* (``[]`` for a line of one part). Only boxes around space runs are read."""
    cuts, i = [], start
    while i < end:
        if text[i].isspace() and i > start and not text[i - 1].isspace():
            j = i
            while j < end and text[j].isspace():
                j += 1
            if j < end and tp.get_charbox(j)[0] - tp.get_charbox(i - 1)[2] > CELL_GAP * size:
                cuts.append((i, j))
            i = j
        else:
            i += 1
    if not cuts:
        return []
    bounds = [start] + [c for cut in cuts for c in cut] + [end]
    parts = []
    for a, b in zip(bounds[::2], bounds[1::2]):
        part = _spaced(text[a:b], a, spaces).replace("\ufffe", "").strip()
        if part:
            a += len(text[a:b]) - len(text[a:b].lstrip())
            parts.append((tp.get_charbox(a)[0], part))
    return parts


def _font(raw, tp, i: int, flags, name) -> tuple[bool, bool]:
    """(monospace, bold) of character *i*'s font. Monospace: the FixedPitch flag, or a monospace
    family name (pdfTeX often leaves the flag unset on CMTT; DejaVu/Liberation/Nimbus Mono,
    Courier, Consolas). Bold: the ForceBold flag or a bold family name (PDFium's
    ``FPDFText_GetFontWeight`` gave 695 for Times-Roman and 728 for Times-Bold: not usable)."""
    raw.FPDFText_GetFontInfo(tp.raw, i, name, len(name), ctypes.byref(flags))
    return _font_kind(name.value, flags.value)


@functools.lru_cache(maxsize=512)
def _font_kind(family: bytes, flags: int) -> tuple[bool, bool]:
    """``_font`` for one (family name, flags): a document uses a handful of fonts."""
    name = family.decode("latin-1")
    return (bool(flags & _FIXED_PITCH) or bool(_MONO_NAME.search(name)),
            bool(flags & _FORCE_BOLD) or bool(_BOLD_NAME.search(name)))


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def running_lines(pages: list[list[Line]], heights: list[float]) -> set[str]:
    """Shapes (``_shape``) of lines that recur in the top/bottom margin across pages."""
    counts: Counter = Counter()
    for lines, h in zip(pages, heights):
        seen = {_shape(ln.text) for ln in lines if _in_margin(ln, h)}
        counts.update(seen)
    need = 3 if len(pages) >= 6 else 2
    return {shape for shape, c in counts.items() if c >= need}


def _in_margin(line: Line, height: float) -> bool:
    return height > 0 and (line.y > height * (1 - EDGE) or line.y < height * EDGE)


def content_lines(lines: list[Line], height: float, running: set[str]) -> list[Line]:
    """*lines* without running headers/footers, margin page numbers and dot-leader TOC lines."""
    out = []
    for ln in lines:
        if _in_margin(ln, height) and (_shape(ln.text) in running or _PAGE_NO.match(ln.text)):
            continue
        if _DOT_LEADER.search(ln.text):
            continue
        out.append(ln)
    return out


def align_margins(pages: list[list[Line]]) -> None:
    """Mark each page's first line ``page_start`` and every line's ``page`` (1-based); in a
    two-sided layout (the left edge of even pages differs from odd pages') shift the even pages'
    lines onto the odd pages' edge. A page's edge is the leftmost x where three or more of its
    proportional lines start; the shift is decided per parity (the most common edge of odd and of
    even pages), never per page: a page of nothing but a definition list has its "edge" at the
    definitions' indent. The right edges (the widest line of each page) must move by the same
    amount, or the layout is one-sided and nothing moves."""
    def edge(lines: list[Line]) -> int | None:
        xs = Counter(round(ln.x0) for ln in lines if not ln.mono)
        frequent = [x for x, c in xs.items() if c >= 3]
        return min(frequent) if frequent else None

    def parity_shift(edges: list) -> int | None:
        by_parity = [Counter(e for k, e in enumerate(edges) if e is not None and k % 2 == parity) for parity in (0, 1)]
        if not all(by_parity):
            return None
        return by_parity[1].most_common(1)[0][0] - by_parity[0].most_common(1)[0][0]  # even minus odd pages

    shift = parity_shift([edge(lines) for lines in pages]) or 0
    # the whole text block moves in a two-sided layout: its right edge by the same amount (a man
    # page's section names at the margin on some pages only must not shift a one-sided layout)
    right = parity_shift([max((round(ln.x1) for ln in lines if not ln.mono), default=None) for lines in pages])
    if right is None or abs(right - shift) > CELL_ALIGN:
        shift = 0
    for number, lines in enumerate(pages, 1):
        for k, ln in enumerate(lines):
            ln.page, ln.page_start = number, k == 0
            if shift and number % 2 == 0:
                ln.x0 -= shift
                ln.x1 -= shift
                ln.cells = [(x - shift, t) for x, t in ln.cells]


def line_spacing(lines: list[Line]) -> float:
    """The page's usual distance between consecutive lines (the most common, rounded)."""
    gaps = [round(a.y_end - b.y) for a, b in zip(lines, lines[1:]) if 0 < a.y_end - b.y < 60]
    return float(Counter(gaps).most_common(1)[0][0]) if gaps else 12.0


def paragraphs(lines: list[Line]) -> list[str]:
    """Blocks of the chunk-text convention from one section's *lines* (see the module docstring)."""
    if not lines:
        return []
    spacing = line_spacing(lines)
    prose = [ln for ln in lines if not ln.mono] or lines
    left = Counter(round(ln.x0) for ln in prose).most_common(1)[0][0]
    right = max(ln.x1 for ln in prose)
    width = max(right - left, 1.0)
    blocks: list[str] = []
    cur: list[str] = []
    code: list[Line] = []
    kind = None  # "p", "li", "code" or "table"
    prev: Line | None = None
    terms = _term_lines(lines)
    rows = _table_rows(lines) - set(terms)
    labels: list[str] = []
    term, def_x = "", 0.0  # the open definition entry (kind "dd")
    first: Line | None = None  # the first line of the open paragraph (kind "p")
    first_label = False  # ... had a flush-right label (a texinfo definition line)
    term_labels: list[str] = []  # flush-right labels beside the open term (after it in the text)
    dd_breaks: list[int] = []  # indices in cur where another paragraph of the open definition starts

    def close() -> None:
        nonlocal cur, code, kind
        if kind == "table" and cur:
            blocks.append("\n".join(cur))
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
            for part in cur[1:]:
                text = _join(text, part)
            if labels:  # after the block they float beside (reading order of the page)
                text += " " + " ".join(labels)
                labels.clear()
            if kind == "li" and blocks and _is_item(blocks[-1]):
                blocks[-1] += "\n" + text  # consecutive items form one list block
            else:
                blocks.append(text)
        cur, code, kind = [], [], None

    for i, ln in enumerate(lines):
        text = ln.text.strip()
        gap = prev is not None and (prev.y_end - ln.y) > spacing * GAP_FACTOR
        if ln.page_start and prev is not None:
            # over a page break a paragraph goes on unless its text had ended a sentence
            gap = kind not in ("p", "li", "dd") or _ends_sentence(cur)
        if i in terms:  # a definition entry: term, then its definition beside and below it
            close()
            kind, term, def_x = "dd", ln.cells[0][1], ln.cells[1][0]
            cur = [" ".join(t for _, t in ln.cells[1:])]
            prev = ln
            continue
        dd_short_end = prev is not None and (prev.x1 - def_x) < SHORT_LINE * (right - def_x) and _ends_sentence(cur)
        at_def = abs(ln.x0 - def_x) <= CELL_ALIGN or ln.page_start  # a page break may shift the indent
        # (a line of the definition may have "cells": a sentence space stretched past CELL_GAP)
        if kind == "dd" and not ln.mono and at_def and i not in terms and (gap or dd_short_end) and cur:
            dd_breaks.append(len(cur))  # another paragraph of the definition, at its indent: ": " line
            cur.append(text)
            prev = ln
            continue
        if kind == "dd" and not gap and not ln.mono and at_def and i not in terms:
            cur.append(text)  # the definition goes on at its own indent
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
        if kind == "dd":
            close()
        if i in rows:  # a table row: one line, cells joined by " | " (proportional lines only)
            if kind != "table":
                close()
                kind = "table"
            cur.append(" | ".join(t for _, t in ln.cells))
            prev = ln
            continue
        if kind == "table":
            close()
        labelled = not ln.mono and len(ln.cells) == 2 and len(ln.cells[1][1].split()) <= 3 and ln.x1 >= right - CELL_ALIGN
        if labelled:
            text = ln.cells[0][1]  # a label set flush right, apart from the line's text
            labels.append(ln.cells[1][1])
        indented = ln.x0 - left > 8
        if ln.mono and ln.size and (prev is None or prev.mono or gap or indented or kind != "p" or _ends_sentence(cur)):
            if kind != "code":
                close()
                kind = "code"
            code.append(ln)
            prev = ln
            continue
        if (kind == "code" and len(code) == 1 and not gap and ln.x0 - code[0].x0 > HANG_INDENT
                and len(code[0].text.split()) <= HANG_TERM_WORDS and _item_marker(text) is None):
            # one line in a code font with prose indented under it: a term set in code (texinfo
            # "@table @code" with a term too long to sit beside its text), not a code block
            kind, term, def_x, cur = "dd", _BULLET.sub("", code[0].text.strip()), ln.x0, [text]
            code = []
            prev = ln
            continue
        if kind == "code":
            close()
        item = _item_marker(text)
        if item is not None:
            close()
            kind, cur = "li", [item + _BULLET.sub("", text) if item == "- " else text]
        elif kind is None:
            kind, cur, first, first_label = "p", [text], ln, labelled
        elif kind == "p" and not gap and _hangs(first, ln, cur) and (first_label or first.x1 < right - 3 * first.size):
            # a hanging indent under a short unfinished block: a term (a signature, a long
            # option) and its definition below it (texinfo @deffn/@table, man pages)
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
            if gap or indent or short_end or resized:
                close()
                kind, cur, first, first_label = "p", [text], ln, labelled
            else:
                cur.append(text)
        prev = ln
    close()
    return blocks


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


def _term_lines(lines: list[Line]) -> dict[int, None]:
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


def _table_rows(lines: list[Line]) -> set[int]:
    """Indices of table rows: runs of two or more consecutive proportional-font lines of several
    cells whose second cells start at the same x (``CELL_ALIGN``); justified prose never lines
    up so (monospace lines are code, laid out by ``_verbatim``)."""
    rows: set[int] = set()
    for i, (a, b) in enumerate(zip(lines, lines[1:])):
        if a.mono or b.mono:
            continue
        if len(a.cells) >= 2 and len(b.cells) >= 2 and abs(a.cells[1][0] - b.cells[1][0]) <= CELL_ALIGN:
            rows.update((i, i + 1))
    return rows


def _is_item(block: str) -> bool:
    last = block.rsplit("\n", 1)[-1]
    return last.startswith("- ") or bool(_NUMBERED.match(last))


def _item_marker(text: str) -> str | None:
    if _BULLET.match(text) and len(_BULLET.sub("", text)) > 0:
        return "- "
    if _NUMBERED.match(text):
        return ""
    return None


def _ends_sentence(cur: list[str]) -> bool:
    return bool(cur) and bool(_SENTENCE_END.search(cur[-1]))


def _join(text: str, nxt: str) -> str:
    """Join a wrapped line to its paragraph, undoing end-of-line hyphenation."""
    if text.endswith("\ufffe"):
        return text[:-1] + nxt
    if re.search(r"[a-z]-$", text) and re.match(r"^[a-z]", nxt):
        return text[:-1] + nxt
    return text + " " + nxt
