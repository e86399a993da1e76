"""Readings of single characters of a PDFium text page that PDFium's own line text gets wrong
(round 18; ``pdf_lines.page_lines`` applies them):

- **margin notes** (``margin_cuts``): a line that goes back into the left margin on its baseline
  holds text drawn where it was called (LaTeX's ``\\marginpar``); it is cut there and
  ``pdf_runs.margin_first`` sets the margin part before the line;
- **subscripts** (``after_subscript``): a letter back on the baseline after a smaller, lowered
  one starts a new word ("aj xj", not "ajxj");
- **letter-spaced listings** (``letter_spaced``): the spaces PDFium made up between letters set
  one by one ("p r o c e s s") are taken out;
- **TeX's angle brackets** (``tex_angle_brackets``): "⟨label⟩", not "hlabeli";
- **font size** (``font_size``): a character's size on the page, its text matrix's scale included
  (round 19).
"""

from __future__ import annotations

import bisect
import ctypes
import re


def font_size(raw, tp, i: int) -> float:
    """The size in page units (points) of character *i* of the text page *tp*: ``FPDFText_GetFontSize``
    (the ``Tf`` operand) times the scale of the character's matrix (``FPDFText_GetMatrix``, the text
    matrix with the page's transformation), as PDF 32000-1 §9.4.4 sets a glyph's size through the text
    rendering matrix; 0.0 when PDFium gives no size. Round 19, amsguide.pdf (Acrobat Distiller 3 from
    dvips): every character is set at ``1 Tf`` under a text matrix scaled 9.96, so the size read
    alone was 1 point, every word space wider than a 1-em cell gap, and every line a table row of
    one-word cells; pari's plain-TeX PDFs scale theirs 1.1 (``\\magnification``). Every em
    threshold compares against character boxes, which are in page units too."""
    size = raw.FPDFText_GetFontSize(tp.raw, i)
    m = raw.FS_MATRIX()
    if not size or not raw.FPDFText_GetMatrix(tp.raw, i, ctypes.byref(m)):
        return size
    scale = abs(m.a * m.d - m.b * m.c) ** 0.5
    return size * scale if scale > 0 else size


MARGIN_BACK = 2.0  # em: a line going on this far left of where it started went into the margin


def margin_cuts(raw, tp, text: str, start: int, end: int, skip: str = "") -> list[tuple[int, int]]:
    """(end of the part before, start of the part after) in ``text[start:end]`` (one PDFium line) where it goes back on the same baseline
    more than ``MARGIN_BACK`` em left of every character before: text set in the margin (LaTeX's
    ``\\marginpar``, ltxdoc's macro names beside their description) drawn where it is called, in
    the middle of the line ("\\unbr is an alias for \\underbrace11 \\unbr , making …", mismath.pdf).
    ``pdf_runs.margin_first`` puts the margin part back before the line, as the page shows it.
    Characters in *skip* (marks without a box of their own) are passed over."""
    cuts: list[tuple[int, int]] = []
    if not _goes_back(raw, tp, start, end):
        return cuts
    x, y = ctypes.c_double(), ctypes.c_double()
    left = base = None
    for i in range(start, end):
        if text[i].isspace() or text[i] in skip:
            continue
        raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
        size = font_size(raw, tp, i) or 10.0
        if left is not None and x.value < left - MARGIN_BACK * size and abs(y.value - base) < 0.2 * size:
            j = i
            while j > start and text[j - 1].isspace():
                j -= 1
            cuts.append((j, i))
            left = x.value  # (a second jump further left again is a cut of its own)
        if left is None:
            base = y.value  # the line's baseline: its first character's (a mark before the jump is raised)
        left = x.value if left is None else min(left, x.value)
    return cuts


def _goes_back(raw, tp, start: int, end: int) -> bool:
    """Does some rectangle of the text ``[start, end)`` (PDFium's, one per run of characters)
    start more than ``MARGIN_BACK`` em (of 10 pt) left of the first: the cheap test before
    ``margin_cuts`` reads the characters one by one."""
    count = raw.FPDFText_CountRects(tp.raw, start, end - start)
    if count < 2:
        return False
    lft, top, rgt, bot = (ctypes.c_double() for _ in range(4))
    first = None
    for r in range(count):
        raw.FPDFText_GetRect(tp.raw, r, ctypes.byref(lft), ctypes.byref(top), ctypes.byref(rgt), ctypes.byref(bot))
        if first is None:
            first = lft.value
        elif lft.value < first - MARGIN_BACK * 10.0:
            return True
    return False


SUB_DROP = 0.1  # em: a character set this far under the next one, and smaller, is a subscript
SUB_SIZE = 0.9


def after_subscript(raw, tp, i: int) -> bool:
    """Does character *i* start a new word after a subscript: character *i* − 1 is set smaller
    (under ``SUB_SIZE`` × *i*'s size) and lower (``SUB_DROP`` em) than *i*. A product ``a_j x_j``
    reads "aj xj", as pdftotext reads it, not one word "ajxj" (glpk.pdf's ``∑ a_j x_j``, round 18)."""
    size, before = font_size(raw, tp, i), font_size(raw, tp, i - 1)
    if not size or before >= SUB_SIZE * size:
        return False
    x, y0, y1 = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(tp.raw, i - 1, ctypes.byref(x), ctypes.byref(y0))
    raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y1))
    return y1.value - y0.value > SUB_DROP * size


FONT_SPACE = 0.06  # em: a gap wider than this between two letters where the font changes is a space
def font_spaces(raw, tp, text: str, start: int, end: int, font_of) -> set[int]:
    """Indices in ``text[start:end]`` before which a space is missing where an upright font gives
    way to an italic one: two letters or digits next to each other on one baseline, of one size,
    the first upright and the second italic (*font_of(i)*: (font name, italic) of a character),
    their loose boxes (advance, not ink) more than ``FONT_SPACE`` em apart. TeX sets an operator
    name and its argument a thin space apart (⅙ em: "sin x", "log x", Times-Roman then
    Times-Italic in maximabook.pdf), which PDFium does not read as a space ("sinx"); pdftotext
    does. Not italic to upright: that gap is an italic correction inside a word or a logo ("Ti*k*Z");
    nor letters of one font (a justified word's letters stay less than 0.05 em apart), nor a
    smaller superscript (round 20)."""
    out: set[int] = set()
    if raw.FPDFText_CountRects(tp.raw, start, end - start) <= 1:
        return out  # PDFium's one text rectangle: no gap and no change of font on the line
    rect = raw.FS_RECTF()
    prev = None  # (index, right, bottom) of the previous letter or digit
    for i in range(start, end):
        if not text[i].isalnum() or not raw.FPDFText_GetLooseCharBox(tp.raw, i, rect):
            prev = None
            continue
        # (a gap of the box height's share first: one font's letters touch, and most lines end here)
        if prev is not None and prev[0] == i - 1 and rect.left - prev[1] > FONT_SPACE / 2 * (rect.top - rect.bottom):
            size = font_size(raw, tp, i)
            if (size and rect.left - prev[1] > FONT_SPACE * size and abs(rect.bottom - prev[2]) < 0.2 * size
                    and abs(font_size(raw, tp, i - 1) - size) <= 0.1 * size):
                (name_a, italic_a), (name_b, italic_b) = font_of(i - 1), font_of(i)
                if italic_b and not italic_a and name_a != name_b:
                    out.add(i)
        prev = (i, rect.right, rect.bottom)
    return out


LETTER_GAP = 0.2  # em: a gap narrower than this between two letters is no word space (TeX's shrink to 0.22 at most)
LETTERS = 5  # single letters among a line's words that make it worth reading letter by letter ...
LETTER_SHARE = 0.4  # ... and their share of its words


def letter_spaced(raw, tp, text: str, font_of, no_char: str) -> str:
    """*text* (a page's, one character per index) without the word spaces PDFium made up between
    the letters of a line set letter by letter: LaTeX's ``listings`` in a proportional font places
    each character on its own ("\\ n ew p r o c e s swi t hl e n g t h {p}{4}", messagepassing.pdf;
    pdftotext reads "\\newprocesswithlength{p}{4}"). Only lines with ``LETTERS`` single letters
    making ``LETTER_SHARE`` of their words are read; there a space PDFium generated between two
    letters of one text font (not math: "x y" in a formula stays, nor "ln x" in a roman and an
    italic) closer than ``LETTER_GAP`` em becomes *no_char*, an index without a character of its
    own that the line drops. *font_of(i)*: (in a math font, font name) of character *i*."""
    out = None
    rect = raw.FS_RECTF()
    start = 0
    for line in text.split("\n"):
        words = line.split()
        singles = sum(len(w) == 1 and w.isalpha() for w in words)
        if singles >= LETTERS and singles >= LETTER_SHARE * len(words):
            for k in range(start + 1, start + len(line) - 1):
                if text[k] != " " or not text[k - 1].isalpha() or not text[k + 1].isalpha():
                    continue
                if not raw.FPDFText_IsGenerated(tp.raw, k) or not raw.FPDFText_GetLooseCharBox(tp.raw, k - 1, rect):
                    continue
                right = rect.right
                size = font_size(raw, tp, k - 1)
                if not size or not raw.FPDFText_GetLooseCharBox(tp.raw, k + 1, rect) or rect.left - right >= LETTER_GAP * size:
                    continue
                # both letters in one text font ("ln x": roman, then math set in italic)
                (math_before, font), (math_after, font_after) = font_of(k - 1), font_of(k + 1)
                if math_before or math_after or font != font_after:
                    continue
                out = out or list(text)
                out[k] = no_char
        start += len(line) + 1
    return "".join(out) if out else text


# TeX's math symbol fonts (CMSY, CMBSY) name their angle brackets "angbracketleft"/"angbracketright",
# which no glyph list maps: PDFium (and pdftotext) fall back to the codes 0x68/0x69, "h" and "i"
_TEX_SYMBOLS = re.compile(rb"(?i)^(?:[A-Z]{6}\+)?cmb?sy\d")
_ANGLES = {"h": "⟨", "i": "⟩"}
META_REACH = 40  # characters: a meta name's closing bracket follows its opening one within this
_OPENING = re.compile(r"(?<![^\W\d_])h|(?<=i)h")  # "h" starting a word, or after "i" ("ψihξ": ⟩⟨)
_CLOSING = re.compile(r"i(?![^\W\d_])|i(?=h)")  # "i" ending a word (after a letter, a digit or a space), or before "h"


def tex_angle_brackets(raw, tp, text: str) -> str:
    """*text* (a page's, one character per index) with TeX's angle brackets read as such: an "h"
    starting a word or an "i" ending one (after a letter, a digit, "⟨γ1⟩", or alone after the space
    PDFium put for an italic correction, "receiver i}"), or the pair "ih" ("|ψ⟩⟨ξ|"), set in a TeX
    math symbol font (``_TEX_SYMBOLS``), is ⟨ or ⟩: ltxdoc's ``\\meta{label}`` reads "⟨label⟩",
    not "hlabeli" (messagepassing.pdf, physics.pdf; round 18). Only those positions are read (one
    font look-up each)."""
    out = None
    name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    ends = [m.start() for m in _CLOSING.finditer(text)]
    spots = set(ends)
    for m in _OPENING.finditer(text):
        k = m.start()
        # (an opening "h" before a word is read only with a closing "i" within ``META_REACH``: "how is it" is no meta)
        after = bisect.bisect_right(ends, k)
        if (text[k - 1:k] != "i" and text[k + 1:k + 2].isascii() and text[k + 1:k + 2].isalpha()
                and not (after < len(ends) and ends[after] <= k + META_REACH)):
            continue
        spots.add(k)
    for k in sorted(spots):
        if text[k] == "i" and k > 0 and text[k - 1] in "\r\n":
            continue
        raw.FPDFText_GetFontInfo(tp.raw, k, name, len(name), ctypes.byref(flags))
        if _TEX_SYMBOLS.match(name.value):
            out = out or list(text)
            out[k] = _ANGLES[text[k]]
    return "".join(out) if out else text
