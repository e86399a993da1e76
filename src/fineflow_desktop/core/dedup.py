"""Exact-duplicate keys for chunks: a normalized-text sha256.

Two chunks are exact duplicates when their texts are equal after ``normalize_for_hash``:
Unicode NFKC (full-width letters, ligatures, non-breaking spaces fold to their plain forms),
invisible format characters (zero-width space/joiner, BOM, soft hyphen) removed, ``casefold``,
punctuation stripped at the edges of whitespace-separated words (so ``"Hello, world!"`` equals
``"hello world"`` while ``a.b`` stays distinct from ``ab`` inside code), and whitespace runs
collapsed to one space. The same normalization is used by the near-duplicate pass's shingles
(Broder 1997 canonicalization: case and whitespace are not content).
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata

# Unicode "Cf" characters that render as nothing (zero-width space/joiners, word joiner, BOM,
# soft hyphen, bidi marks) — they make visually identical texts hash differently.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Stripped from both ends of each whitespace-separated word: ASCII punctuation and the common
# Unicode quotes, dashes, ellipsis and bullets (str.strip is ~10x faster than a regex here).
_EDGE_PUNCT = string.punctuation + "\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u2013\u2014\u2015\u2026\u00b7\u2022\u00a1\u00bf\u00b6\u00a7"


def normalize_for_hash(text: str) -> str:
    """Canonical form of *text* for exact-duplicate detection (rules in the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).casefold()
    return " ".join(w for w in (w.strip(_EDGE_PUNCT) for w in text.split()) if w)


def norm_hash(text: str) -> str:
    """sha256 hex digest (64 chars) of ``normalize_for_hash(text)`` encoded as UTF-8."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()
