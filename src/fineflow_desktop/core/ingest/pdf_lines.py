"""PDF pages (pypdfium2) → text lines with their geometry and fonts, without page furniture.

pypdfium2 (PDFium, Apache-2.0/BSD-3) gives each page's text with its line breaks and every
character's box and font flags. From those this module reads:

- **lines** (``page_lines``): text, left/right x, baseline y, font size, monospace (PDF font
  flag FixedPitch, ISO 32000-1 §9.8.2, or a monospace family name) and bold (ForceBold or a bold
  family name), by majority of up to ``MONO_SAMPLES`` characters; word spaces PDFium did not emit
  (groff/Ghostscript PDFs) are put back from the character gaps (``SPACE_GAP``);
- **cells** (``Line.cells``): a gap wider than ``CELL_GAP`` em inside a line separates parts
  (table cells, a right-aligned label such as texinfo's ``[Function]``);
- **hyphenation**: PDFium joins a word hyphenated at a line end into one line, the hyphen marked
  U+FFFE; ``page_lines`` keeps a soft hyphen there (``HYPHEN_MARK``) and ``pdf_hyphens.resolve_hyphens``
  decides over the whole document: the hyphen stays where the document spells the compound
  with one elsewhere and never without ("floating-point", "non-zero"), else the word is
  joined ("docu-ment");
- **glyphs without text** (C0 controls, U+FFFD: TeX's big delimiters) are dropped
  (``_readable``); the share of characters in a math font is kept (``Line.math``) for
  ``pdf_layout``'s display formulas (runs at another baseline are joined by ``pdf_runs``);
- page furniture (running headers/footers, page numbers, table-of-contents lines) is dropped by
  ``pdf_furniture``;
- two-sided layouts and the usual line spacing are measured over many lines by ``pdf_spacing``;
- margin notes cut off their line, a new word after a subscript, letter-spaced listings read as
  words (``pdf_chars``, round 18).

``core.ingest.pdf_layout`` turns these lines into paragraphs; ``core.ingest.pdf_headings`` finds
headings among them.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field

from fineflow_desktop.core.ingest.pdf_accents import compose_accents, compose_placed, has_accents, mark_placed_accents
from fineflow_desktop.core.ingest.pdf_chars import (
    after_subscript, font_size, font_spaces, letter_spaced, margin_cuts, tex_angle_brackets,
)
from fineflow_desktop.core.ingest.pdf_fonts import char_font, fixed_pitch, font_style
from fineflow_desktop.core.ingest.pdf_hyphens import HYPHEN_MARK
from fineflow_desktop.core.ingest.pdf_marks import raised_marks

# a vertical gap of more than this many usual line spacings breaks a block (paragraphs, headings)
GAP_FACTOR = 1.45
CELL_GAP = 1.0  # em: a gap this wide between two words of a line separates cells (word spaces are ~0.3 em)
CELL_ALIGN = 3.0  # points: table rows have their second cell at the same x
FULL_WORDS = 8  # a line of this many words or more fills the measure (``pdf_layout.text_right``)
WORD = re.compile(r"[A-Za-z]{3,}")  # a word (a fraction's halves, "9" / "y + x", have none)
SHORT_LINE = 0.8  # a line shorter than this share of the text width may end a paragraph
# ("*" and "-" only before a space: "*[⟨keyval list⟩]{…}", a starred macro's syntax line, derivative.pdf)
BULLET = re.compile(r"^\s*(?:[•◦▪‣∙·●○■□–—]|[*-](?=\s))\s*")
NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
# (a footnote reference may follow: "… crashing.[2]", ``pdf_marks``)
SENTENCE_END = re.compile(r"[.!?:;][\"'’”)\]]*(?:\[(?:[1-9]\d?|[∗*†‡§¶]{1,3})\])?$")
MONO_SHARE = 0.8  # share of sampled characters in a monospace font for a line to be code
MONO_SAMPLES = 12
LINE_NUMBER_DIGITS = 4  # a listing's line number before its code (``_after_line_number``)
# a gap between two letters wider than this share of their (loose) box height is a word space that
# PDFium did not emit (groff/Ghostscript PDFs position words without space glyphs: "theyare");
# measured: letter gaps stay below 0.1, the missing spaces are 0.2-0.8, dot leaders 0.1-0.2
SPACE_GAP = 0.15
LEAD_SAMPLES = 3  # sampled characters in a line's first part that tell its font (``Line.lead_mono``)


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
    math: float = 0.0  # share of sampled characters in a math font (``_MATH_NAME``)
    note: bool = False  # starts with a raised, smaller run: a footnote's number (``pdf_runs``)
    lead_mono: bool = False  # the first of its ``cells`` is in a code font (``LEAD_SAMPLES`` sampled characters at least)
    lead_words: int = 0  # its first words set in a bold or code font before text in another (``_lead_words``)
    after_figure: bool = False  # the first line after a dropped figure's lines (``pdf_figures``)
    slanted: bool = False  # its first and last characters are set at an angle (``pdf_furniture.upright_lines``)
    # footnote marks inside it: (mark, occurrence of that string in the text before it, at the line's start)
    marks: list[tuple[str, int, bool]] = field(default_factory=list)  # (``pdf_marks``)


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
            text = _chars([raw.FPDFText_GetUnicode(tp.raw, i) for i in range(n)])
        geometry = len(text) == n  # one char per index: boxes line up
        flags, name = ctypes.c_int(), ctypes.create_string_buffer(128)  # char_font's out-parameters, reused
        if geometry:
            def font_of(i: int) -> tuple[bool, bytes]:
                return char_font(raw, tp, i, flags, name)[2], name.value

            text = tex_angle_brackets(raw, tp, letter_spaced(raw, tp, mark_placed_accents(tp, text), font_of, PAIR_TAIL))
        lines: list[Line] = []
        ox, oy = ctypes.c_double(), ctypes.c_double()  # character origin: x and the baseline y
        for start, end, cut_hyphen in _line_bounds(raw, tp, text, geometry):
            raw_line = text[start:end]
            content = raw_line.rstrip("\r")
            stripped = content.strip()
            shown = content.replace("\ufffe", HYPHEN_MARK)  # PDFium's mark of a word hyphenated at a line end
            if stripped:
                if geometry:
                    spaces = _missing_spaces(tp, text, start, start + len(content)) if check_spaces else set()
                    spaced = bool(spaces)  # (``Line.spaced``: PDFium missed word spaces on this line)
                    # a thin space where the font changes, "sin x" (``font_spaces``, round 20)
                    spaces = spaces | font_spaces(raw, tp, text, start, start + len(content),
                                                  lambda i: font_style(raw, tp, i, flags, name))
                    shown = _line_text(content, start, spaces, cut_hyphen)
                    # the line's extent and baselines from characters that stand for text (an
                    # unmapped glyph, ``_readable``, may be a big delimiter reaching far up)
                    idx = [i for i in range(start, start + len(content))
                           if not text[i].isspace() and not _UNMAPPED.match(text[i]) and text[i] != PAIR_TAIL]
                    if cut_hyphen:  # a footnote was split off after it (``_line_bounds``)
                        idx = idx[:-1]
                    if not idx:
                        continue
                    first, last = idx[0], idx[-1]
                    left = tp.get_charbox(first)[0]
                    right = tp.get_charbox(last)[2]
                    raw.FPDFText_GetCharOrigin(tp.raw, first, ctypes.byref(ox), ctypes.byref(oy))
                    # a prose line naming many identifiers in a code font is still prose: code
                    # lines are (nearly) all monospace
                    samples = _samples(idx)
                    fonts, named = [], False
                    for i in samples:
                        fonts.append(char_font(raw, tp, i, flags, name))
                        named = named or bool(name.value)
                    mono = sum(m for m, _, _ in fonts)
                    bold = sum(b for _, b, _ in fonts) >= MONO_SHARE * len(samples)
                    math = sum(f for _, _, f in fonts) / len(samples)
                    if math:  # a product of subscripted symbols ("aj xj") is two words (``after_subscript``)
                        subs = {i for i in idx[1:] if text[i].isalnum() and text[i - 1].isalnum() and after_subscript(raw, tp, i)}
                        if subs:
                            spaced = True
                            spaces = spaces | subs
                            shown = _line_text(content, start, spaces, cut_hyphen)
                    # the usual size of the line's characters, not the first one's (an inline
                    # code word that starts a line may be set smaller)
                    sizes = sorted(font_size(raw, tp, i) for i in samples)
                    size = sizes[len(sizes) // 2] or 10.0
                    y = oy.value
                    raw.FPDFText_GetCharOrigin(tp.raw, last, ctypes.byref(ox), ctypes.byref(oy))
                    is_mono = mono >= MONO_SHARE * len(samples)
                    if not is_mono and not named:  # fonts without a name (Type 3): tell by the advances
                        is_mono = fixed_pitch(raw, tp, idx, size)
                    body = _after_line_number(text, idx)
                    if not is_mono and body is not idx:
                        # a listing's line number, set in a small roman before the code ("52 }"),
                        # tells nothing of the line's font: the code after it decides
                        code = _samples(body)
                        code_fonts = [(char_font(raw, tp, i, flags, name)[0], bool(name.value)) for i in code]
                        is_mono = sum(m for m, _ in code_fonts) >= MONO_SHARE * len(code)
                        if not is_mono and not any(n for _, n in code_fonts):  # (a Type 3 typewriter: mismath.pdf)
                            is_mono = fixed_pitch(raw, tp, body, size)
                    cells = _cells(tp, text, start, start + len(content), size, spaces)
                    if cut_hyphen and cells:
                        cells[-1] = (cells[-1][0], cells[-1][1].rstrip("\ufffe" + HYPHEN_MARK) + "-")
                    # the first part of a line of parts in a code font (code, then a comment in roman)
                    lead = [m for i, (m, _, _) in zip(samples, fonts) if cells and tp.get_charbox(i)[0] < cells[1][0]]
                    lead_mono = len(lead) >= LEAD_SAMPLES and all(lead)
                    if PAIR_TAIL in content:  # the second halves of characters outside the BMP
                        shown = shown.replace(PAIR_TAIL, "")
                        cells = [(x, t.replace(PAIR_TAIL, "")) for x, t in cells]
                    y_last = oy.value
                    lead_words = 0 if is_mono else _lead_words(raw, tp, text, start, idx, spaces, flags, name)
                    marks = [] if is_mono else raised_marks(raw, tp, text, start, idx,
                                                            lambda i: char_font(raw, tp, i, flags, name)[2])
                    lines.append(Line(shown, left, right, y, size, is_mono, y_last, cells, bold=bold,
                                      spaced=spaced, math=math, lead_mono=lead_mono,
                                      slanted=_slanted(raw, tp, first) and _slanted(raw, tp, last), marks=marks,
                                      lead_words=lead_words))
                else:
                    lines.append(Line(shown, 0.0, 0.0, 0.0, 0.0, False))
        return [ln for ln in map(_readable, lines) if ln.text.strip()]
    finally:
        tp.close()


def _line_bounds(raw, tp, text: str, geometry: bool) -> list[tuple[int, int, bool]]:
    """``[(start, end, split)]`` text indices of PDFium's lines (split at "\\n"), each also split after a
    mark of a word hyphenated at the line end ("\\ufffe") where the text going on is set smaller
    than ``NOTE_SPLIT`` × the word and lower by more than ``NOTE_DROP`` em: PDFium joined the
    page's last line with the first footnote under it ("(thanks to the es‐" + "3Due to this …",
    mismath.pdf; the word goes on on the next page). The half before the split ends with the
    mark (*split* is true), which ``page_lines`` shows as a hyphen."""
    bounds: list[tuple[int, int, bool]] = []
    start = 0
    for raw_line in text.split("\n"):
        end = start + len(raw_line)
        cut = start
        for h in range(start + 1, end - 1) if geometry else ():
            if text[h] != "\ufffe" or text[h - 1].isspace() or text[h + 1].isspace():
                continue
            before, after = font_size(raw, tp, h - 1), font_size(raw, tp, h + 1)
            if not before or after >= NOTE_SPLIT * before:
                continue
            y0, y1 = ctypes.c_double(), ctypes.c_double()
            x = ctypes.c_double()
            raw.FPDFText_GetCharOrigin(tp.raw, h - 1, ctypes.byref(x), ctypes.byref(y0))
            raw.FPDFText_GetCharOrigin(tp.raw, h + 1, ctypes.byref(x), ctypes.byref(y1))
            if y0.value - y1.value > NOTE_DROP * before:
                bounds.append((cut, h + 1, True))
                cut = h + 1
        for a_end, b_start in margin_cuts(raw, tp, text, cut, end, "\ufffe\ufffd" + PAIR_TAIL) if geometry else ():
            bounds.append((cut, a_end, False))
            cut = b_start
        bounds.append((cut, end, False))
        start = end + 1
    return bounds


NOTE_SPLIT = 0.9  # a footnote is set smaller than this share of the text above it (``_line_bounds``)
NOTE_DROP = 1.0  # em: ... and lower than the line it was joined to by more than this


SLANT = 0.05  # radians: a character turned further than this from upright is set at an angle


LEAD_CHARS = 40  # a lead run (``_lead_words``) ends within this many characters of its line's start ...
LEAD_WORDS = 4  # ... and has at most this many words
LEAD_JOIN = 3  # letters of a connective joining two runs of one label ("Ad or An", ``_lead_words``)


def _lead_words(raw, tp, text: str, start: int, idx: list[int], spaces: set[int], flags, name) -> int:
    """How many words a line starts with in one bold or code font (not math) before text in a font
    that is neither, the change at a word space within ``LEAD_CHARS`` characters (``LEAD_WORDS``
    words at most; 0 otherwise): the label of a LaTeX ``description`` item or a key of a key list
    set beside its text ("slash-tok token or tokens used for …", diffcoeff.pdf; "note Any
    additional information …", btxdoc.pdf; "sidenotes use sidenote package …" in typewriter,
    mnotes.pdf), which ``pdf_layout.paragraphs`` reads as a term when the text hangs under it
    (round 19). The text after the run is in the font of the line's last character: a texinfo
    term's slanted arguments after its typewriter name ("let *arg* …", zsh.pdf) are still the term.
    A label of alternatives joins its runs with a short connective in the body font ("**Ad** or
    **An**", nauty's dreadnaut commands): a word of at most ``LEAD_JOIN`` lower-case letters with the
    label's font again after it continues the label. *idx*: the line's text indices (no spaces),
    *spaces*: missing spaces put back."""
    mono, bold, math = char_font(raw, tp, idx[0], flags, name)
    family = name.value
    if not (mono or bold) or math:
        return 0
    char_font(raw, tp, idx[-1], flags, name)
    body = name.value  # the text after the run is in the font the line ends in (not slanted arguments)
    k = 1
    while k < min(len(idx), LEAD_CHARS):
        i = idx[k]
        mono, bold, math = char_font(raw, tp, i, flags, name)
        if name.value == family:
            k += 1
            continue
        if (mono or bold or math or name.value != body or not (text[i - 1].isspace() or i in spaces)
                or not text[i].isalpha()):
            return 0
        # a connective between two runs of the label's font ("Ad or An"): the label goes on after it
        j = k
        while j < len(idx) and idx[j] == i + (j - k) and text[idx[j]].islower():
            j += 1
        if j - k <= LEAD_JOIN and j < len(idx) and idx[j] > idx[j - 1] + 1 and text[idx[j - 1] + 1].isspace():
            char_font(raw, tp, idx[j], flags, name)
            if name.value == family:
                k = j
                continue
        words = len(_spaced(text[start:i], start, spaces).split())
        return words if words <= LEAD_WORDS else 0
    return 0


def _slanted(raw, tp, i: int) -> bool:
    """Is character *i* of the textpage *tp* turned away from upright (``FPDFText_GetCharAngle``,
    radians clockwise, 0 to 2π; −1 on error counts as upright)?"""
    angle = raw.FPDFText_GetCharAngle(tp.raw, i)
    return SLANT < angle < 2 * math.pi - SLANT


def _samples(idx: list[int]) -> set[int]:
    """Up to ``MONO_SAMPLES`` of a line's text indices *idx*, evenly spread from first to last."""
    k = min(MONO_SAMPLES, len(idx))
    return {idx[j * (len(idx) - 1) // max(k - 1, 1)] for j in range(k)}


def _after_line_number(text: str, idx: list[int]) -> list[int]:
    """The text indices *idx* of a line without a leading line number: digits (at most
    ``LINE_NUMBER_DIGITS``) and a space, then more text. LaTeX's listings (ltxdoc's ``macrocode``,
    ``listings``) number their lines in a small roman font: "52 }" sampled one roman digit in
    three characters and was no code line, so the closing brace ended its code block. *idx*
    itself when the line is no number and text."""
    k = 0
    while k < len(idx) and text[idx[k]].isdigit():
        k += 1
    if 0 < k <= LINE_NUMBER_DIGITS and k < len(idx) and idx[k] > idx[k - 1] + 1 and text[idx[k - 1] + 1].isspace():
        return idx[k:]
    return idx


def _chars(codes: list[int]) -> str:
    """The text of PDFium's per-index character *codes*, one character per index (``_char``).
    A character outside the BMP (Sphinx's math italic 𝐴, U+1D434) takes two indices, a UTF-16
    surrogate pair: the first index gets the character, the second ``PAIR_TAIL``, dropped from the
    line's text (before, both halves became U+FFFD and were dropped: "Sets to , the transpose of .")."""
    out: list[str] = []
    k = 0
    while k < len(codes):
        code = codes[k]
        if 0xD800 <= code < 0xDC00 and k + 1 < len(codes) and 0xDC00 <= codes[k + 1] < 0xE000:
            out += [chr(0x10000 + ((code - 0xD800) << 10) + (codes[k + 1] - 0xDC00)), PAIR_TAIL]
            k += 2
            continue
        out.append(_char(code))
        k += 1
    return "".join(out)


def _char(code: int) -> str:
    """One character per text index: NUL and lone UTF-16 surrogates become U+FFFD; 2, PDFium's
    raw code of a hyphen it marked at a line end, becomes U+FFFE as in its text range."""
    if code == 2:
        return "\ufffe"
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


def _line_text(content: str, start: int, spaces: set[int], cut_hyphen: bool) -> str:
    """The text of a line: *content* spaced (``_spaced``), PDFium's end-of-line hyphen mark as
    ``HYPHEN_MARK``; with *cut_hyphen* (a footnote was split off after it, ``_line_bounds``) its
    last character is a plain hyphen: the word goes on on the next page."""
    shown = _spaced(content, start, spaces).replace("\ufffe", HYPHEN_MARK)
    return shown[:-1] + "-" if cut_hyphen else shown


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
        part = _spaced(text[a:b], a, spaces).replace("\ufffe", HYPHEN_MARK).strip()
        if part:
            a += len(text[a:b]) - len(text[a:b].lstrip())
            parts.append((tp.get_charbox(a)[0], part))
    return parts


PAIR_TAIL = "\ufdd0"  # a noncharacter: the index of a surrogate pair's second half (``_chars``)
_UNMAPPED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]+")


def _readable(ln: Line) -> Line:
    """*ln* without characters that stand for no text: C0 controls and U+FFFD, which PDFium gives
    for glyphs its font has no Unicode mapping for (TeX's big delimiters and radicals, CMEX); in
    prose, an accent set as a glyph of its own joins its letter (``compose_accents``)."""
    if has_accents(ln.text, ln.mono):
        # a code line's accents join their letter only where the boxes show them placed on it
        compose = compose_placed if ln.mono else compose_accents
        ln.text = compose(ln.text)
        ln.cells = [(x, compose(t)) for x, t in ln.cells]
    if not _UNMAPPED.search(ln.text):
        return ln
    def clean(t: str) -> str:
        # code keeps its spacing; in prose the glyph stood between words or symbols
        return _UNMAPPED.sub("", t) if ln.mono else " ".join(_UNMAPPED.sub(" ", t).split())
    ln.text = clean(ln.text)
    ln.cells = [(x, clean(t)) for x, t in ln.cells if clean(t)]
    if len(ln.cells) < 2:
        ln.cells = []
    return ln


def item_marker(text: str) -> str | None:
    """``"- "`` when *text* is a bullet item (the bullet is replaced by it), ``""`` when it is a
    numbered item (its number stays), None when it is no list item."""
    if BULLET.match(text) and len(BULLET.sub("", text)) > 0:
        return "- "
    if NUMBERED.match(text):
        return ""
    return None
