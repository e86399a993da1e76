"""Accents that TeX's OT1 fonts print as glyphs of their own, for ``pdf_lines`` (rounds 9, 13):
marked while the character boxes are at hand (``mark_placed_accents``) and composed with their
letter into the accented letter where Unicode has one (``compose_accents`` in prose,
``compose_placed`` in code)."""

from __future__ import annotations

import re
import unicodedata

# TeX's \accent (plain TeX, Computer Modern's OT1 fonts) sets the accent as a glyph of its own
# before the letter: PDFium reads "Math´ematiques", "Teichm¨uller"; pdftotext composes them
_SPACING_ACCENTS = {"´": "\u0301", "¨": "\u0308", "ˆ": "\u0302", "˜": "\u0303", "ˇ": "\u030c",
                    "˘": "\u0306", "˚": "\u030a", "`": "\u0300", "¸": "\u0327", "¯": "\u0304", "˙": "\u0307"}
_ACCENTED = re.compile(r"(?<=\w)([´¨ˆ˜ˇ˘˚`])([A-Za-zı])")  # ı: TeX's \i under an accent
# An accent whose box lies over (or, a cedilla, under) the next letter's box is that letter's
# whatever stands before it: OT1 sets "à", "être", "l'évaluation" as "`a", "ˆetre", "l’´evaluation",
# which the text-only rule (a letter before the accent) cannot tell from a quote mark ("`a'").
# ``mark_placed_accents`` swaps such an accent for a private-use character of the same length
# (the text indices stay those of the boxes) and ``compose_accents`` composes it.
_PLACED = {acc: chr(0xF6E0 + k) for k, acc in enumerate(_SPACING_ACCENTS)}
_PLACED_MARK = {mark: acc for acc, mark in _PLACED.items()}
_PLACED_ACCENT = re.compile("[" + "".join(_PLACED_MARK) + "]([A-Za-zı])?")
_SPACING_ACCENT = re.compile("[" + "".join(_SPACING_ACCENTS) + "]")
ACCENT_OVER = 0.5  # share of the accent's width that lies inside the letter's x-range


def mark_placed_accents(tp, text: str) -> str:
    """*text* (a page's characters, one per box index of the textpage *tp*) with each spacing
    accent that sits on the next character — at least ``ACCENT_OVER`` of its width inside the
    letter's x-range, and not on its baseline — replaced by its ``_PLACED`` mark."""
    if not _SPACING_ACCENT.search(text):
        return text
    chars = list(text)
    for m in _SPACING_ACCENT.finditer(text):
        i = m.start()
        if i + 1 >= len(text) or not (text[i + 1].isalpha() and text[i + 1].isascii() or text[i + 1] == "ı"):
            continue
        a_left, a_bottom, a_right, a_top = tp.get_charbox(i)
        l_left, l_bottom, l_right, l_top = tp.get_charbox(i + 1)
        inside = min(a_right, l_right) - max(a_left, l_left)
        # above the letter's middle (an accent) or below its lower part (a cedilla, an ogonek)
        off_line = a_bottom >= l_bottom + 0.5 * (l_top - l_bottom) or a_top <= l_bottom + 0.3 * (l_top - l_bottom)
        if a_right > a_left and inside >= ACCENT_OVER * (a_right - a_left) and off_line:
            chars[i] = _PLACED[m.group()]
    return "".join(chars)


def compose_accents(text: str) -> str:
    """*text* with a spacing accent set between a letter and the next letter ("Math´ematiques")
    turned into the accented letter ("Mathématiques") where Unicode has one (NFC); otherwise left.
    An accent marked as placed on its letter (``mark_placed_accents``) is composed wherever it
    stands ("`a" → "à"), or put back as it was when no letter follows or Unicode has no such letter."""
    def one(m: re.Match) -> str:
        letter = unicodedata.normalize("NFC", m.group(2).replace("ı", "i") + _SPACING_ACCENTS[m.group(1)])
        return letter if len(letter) == 1 else m.group(0)

    return _ACCENTED.sub(one, compose_placed(text))


def compose_placed(text: str) -> str:
    """*text* with each ``_PLACED`` mark composed with the letter after it (NFC), or put back as
    the spacing accent it was when no letter follows or Unicode has no such letter."""
    def placed(m: re.Match) -> str:
        acc = _PLACED_MARK[m.group()[0]]
        if m.group(1):
            letter = unicodedata.normalize("NFC", m.group(1).replace("ı", "i") + _SPACING_ACCENTS[acc])
            if len(letter) == 1:
                return letter
        return acc + (m.group(1) or "")
    return _PLACED_ACCENT.sub(placed, text)


def has_accents(text: str, mono: bool) -> bool:
    """Does *text* hold an accent to compose: one marked as placed on its letter, or, in prose
    (not *mono*), a spacing accent between two letters."""
    return bool(not mono and _ACCENTED.search(text) or _PLACED_ACCENT.search(text))
