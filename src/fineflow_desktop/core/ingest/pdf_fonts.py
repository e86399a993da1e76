"""PDF fonts of single characters (pypdfium2): monospace, bold, math, italic — split out of ``pdf_lines``.

A character's font is read with ``FPDFText_GetFontInfo`` (family name and FontDescriptor flags)
and classified once per (name, flags) (``font_kind``); a line whose fonts have no name (Type 3
fonts) is tested for a fixed advance instead (``fixed_pitch``).
"""

from __future__ import annotations

import ctypes
import functools
import re

FIXED_SAMPLES = 40  # characters of a line whose origins are read (``fixed_pitch``)
FIXED_PAIRS = 3  # ... neighbouring pairs among them at least
FIXED_TOL = 0.03  # em: ... advancing by the same distance within this
_FIXED_PITCH = 1  # FPDFText_GetFontInfo flag (PDF FontDescriptor /Flags bit 1)
_FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19 (ISO 32000-1 §9.8.2, Table 123)
# bold family names: Times-Bold, NimbusRomNo9L-Medi, Arial-BoldMT, DejaVuSans-Bold, TeX's CMBX/SFBX
_BOLD_NAME = re.compile(r"(?i)bold|black|heavy|demi|semibold|-medi|cmbx|sfbx|\+bx|lmroman\d+-bold")
# math fonts: TeX's math italic/symbols/extension (CMMI, CMSY, CMEX and their Latin Modern, TX/PX,
# AMS and Euler kin), OpenType math fonts ("Cambria Math", "STIX Two Math") and Symbol/MT Extra
_MATH_NAME = re.compile(r"(?i)^(?:[A-Z]{6}\+)?(?:cmmi|cmsy|cmex|cmbsy|cmmib|lmmi|lmsy|lmex|msam|msbm|eufm|eusm|"
                        r"rsfs|esint|stmary|wasy|t[xX]sy|t[xX]ex|p[xX]sy|p[xX]ex|ntxmi|ntxsy|ntxex|symbol|mt ?extra)|math")
# (cm-super / EC, LaTeX's T1 fonts without lmodern: SFTT typewriter, SFIT typewriter italic, SFST
# slanted, SFTC caps, each advancing 0.525 em; not SFVT/SFVI, the variable-width typewriter, nor
# SFTI, the text italic; round 19: txfonts' and newtx's typewriter, t1xtt/txtt/tcxtt and their bold
# "b" and slanted "sl" (moderncv's user guide, Sphinx's LaTeX with newtxtext), which leave the
# FixedPitch flag unset)
_MONO_NAME = re.compile(r"(?i)mono|nimbusmon|cursor|courier|cm(?:sl|i)?tt|typewriter|consol|\\bcode|inconsolata|\+tt|^tt"
                        r"|^(?:[A-Z]{6}\+)?(?:sf|ec)(?:tt|it|st|tc)\d{4}$"
                        r"|^(?:[A-Z]{6}\+)?(?:t1x|ts1x|tcx|tx|newtx)b?(?:sl)?tt(?:$|-)")


def fixed_pitch(raw, tp, idx: list[int], size: float) -> bool:
    """Are the characters *idx* (a line's, text indices in order, no spaces) set at one advance:
    ``FIXED_PAIRS`` or more pairs of neighbouring characters whose origins are apart by the same
    distance (``FIXED_TOL`` em). For lines whose fonts have no name (Type 3 fonts: GAPDoc's
    examples), where neither the FixedPitch flag nor a family name tells a code font; in a
    proportional font "il" and "mw" advance by very different widths."""
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin: dict[int, float] = {}
    for i in idx[:FIXED_SAMPLES]:
        raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(ox), ctypes.byref(oy))
        origin[i] = ox.value
    steps = [origin[i + 1] - origin[i] for i in origin if i + 1 in origin]
    return len(steps) >= FIXED_PAIRS and max(steps) - min(steps) <= FIXED_TOL * size and min(steps) > 0


def char_font(raw, tp, i: int, flags, name) -> tuple[bool, bool, bool]:
    """(monospace, bold, math) of character *i*'s font. Monospace: the FixedPitch flag, or a
    monospace family name (pdfTeX often leaves the flag unset on CMTT; DejaVu/Liberation/Nimbus
    Mono, Courier, Consolas). Bold: the ForceBold flag or a bold family name (PDFium's
    ``FPDFText_GetFontWeight`` gave 695 for Times-Roman and 728 for Times-Bold: not usable).
    Math: a math font family (``_MATH_NAME``)."""
    raw.FPDFText_GetFontInfo(tp.raw, i, name, len(name), ctypes.byref(flags))
    return font_kind(name.value, flags.value)


_ITALIC_FLAG = 1 << 6  # PDF 32000-1 Table 123, the font descriptor's Italic flag
_ITALIC_NAME = re.compile(rb"Italic|Oblique|Slant|CMMI|CMTI|CMSL|MathMI|-It\b|-MI\b|Ital", re.I)


def font_style(raw, tp, i: int, flags, name) -> tuple[bytes, bool]:
    """(font name, italic) of character *i*: the Italic flag or an italic family name (math
    italic CMMI, text italic CMTI, slanted CMSL; *flags*, *name*: ``FPDFText_GetFontInfo``'s
    out-parameters, reused; used by ``pdf_chars.font_spaces``, round 20)."""
    raw.FPDFText_GetFontInfo(tp.raw, i, name, len(name), ctypes.byref(flags))
    return name.value, _italic(name.value, flags.value)


@functools.lru_cache(maxsize=512)
def _italic(family: bytes, flags: int) -> bool:
    return bool(flags & _ITALIC_FLAG) or bool(_ITALIC_NAME.search(family))


@functools.lru_cache(maxsize=512)
def font_kind(family: bytes, flags: int) -> tuple[bool, bool, bool]:
    """``char_font`` for one (family name, flags): a document uses a handful of fonts."""
    name = family.decode("latin-1")
    return (bool(flags & _FIXED_PITCH) or bool(_MONO_NAME.search(name)),
            bool(flags & _FORCE_BOLD) or bool(_BOLD_NAME.search(name)),
            bool(_MATH_NAME.search(name)))
