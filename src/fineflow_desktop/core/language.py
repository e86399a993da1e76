"""A cheap language guess for a chunk: Unicode script first, then stop-word counts.

``guess_language(text) -> str`` returns an ISO 639-1 code ("en", "de", "ru", "ja", ...) or
``"und"`` (ISO 639-2 "undetermined") when the text has too few letters or no language wins.
Non-Latin scripts decide directly (Hangul → ko, Kana → ja, Han → zh, Cyrillic → ru, uk or sr,
Greek, Arabic, Hebrew, Devanagari, Thai). Latin-script text is scored by how many of its
words are among each language's most frequent function words (the stop-word idea of
Grefenstette 1995, "Comparing two language identification schemes"); this is accurate on
paragraphs, not on a few words, which is all chunk curation needs. No model, no download.
"""

from __future__ import annotations

import re
from collections import Counter

# ~30 most frequent function words per language (short, unambiguous ones first).
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in is that it for as with was on be by this are or from at an which not have has but can you if will".split()),
    "de": frozenset("der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei".split()),
    "fr": frozenset("le la les de des et en du un une est pour que qui dans pas par sur au avec ce il sont ou plus se ne cette mais nous vous".split()),
    "es": frozenset("el la de que y en los del las un por con no una su para es al lo como más pero sus le ya o este ha".split()),
    "it": frozenset("il di che la e in un per non una del della le è sono con si da gli lo al nel dei più anche come ma questo".split()),
    "pt": frozenset("de que o a do da em um para com não uma os no se na por mais as dos como mas ao ele das à seu sua ou são".split()),
    "nl": frozenset("de het een en van in is dat op te zijn voor met niet die aan er maar om ook als dan bij uit nog wordt".split()),
    "sv": frozenset("och i att det som en på är av för med till den har de inte om ett var men jag så kan från".split()),
    "pl": frozenset("i w nie na się z do że to jest o jak po ale co tak za od przez są dla jego już być".split()),
    "tr": frozenset("ve bir bu da de için ile çok ne gibi daha olarak ama en var mı ki o sonra kadar değil".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_LETTERS = 20
_MIN_STOP_HITS = 2

# Script ranges (Unicode blocks); counted per letter.
_SCRIPTS = [
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("cyrl", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
]
# Scripts are compared by their share of the letters, but a Han, Kana or Hangul character carries
# what several Latin letters do (a Chinese word is about two characters, an English one about five
# letters): counted three times, so a Chinese manual full of Latin command names ("\\usepackage",
# "pdflatex") still reads as Chinese, while a few CJK characters in English text do not.
_DENSE_SCRIPTS = ("ko", "ja", "zh")
_DENSE_WEIGHT = 3

# Cyrillic languages by the letters only one of them uses (their alphabets): Serbian ђ ј љ њ ћ џ;
# Ukrainian і ї є ґ against Russian ы э ъ ё. Counted, not merely found: a Russian text quoting one
# Ukrainian word, or typed with a Latin-lookalike "і", stays Russian.
_SERBIAN = re.compile(r"[ђјљњћџЂЈЉЊЋЏ]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN = re.compile(r"[ыэъёЫЭЪЁ]")


def guess_language(text: str) -> str:
    """ISO 639-1 code of *text*'s language, or ``"und"``; see the module docstring."""
    sample = text[:4000]
    letters = sum(map(str.isalpha, sample))
    if letters < _MIN_LETTERS:
        return "und"
    counts = {} if sample.isascii() else {code: len(rx.findall(sample)) for code, rx in _SCRIPTS}
    dense = sum(counts.get(c, 0) for c in _DENSE_SCRIPTS)
    weighted = {c: n * _DENSE_WEIGHT if c in _DENSE_SCRIPTS else n for c, n in counts.items()}
    code, n = max(weighted.items(), key=lambda kv: kv[1]) if counts else ("", 0)
    if n >= 0.3 * (letters + (_DENSE_WEIGHT - 1) * dense):
        if code == "zh" and counts["ja"] >= 0.05 * letters:
            return "ja"  # Japanese mixes Kanji with Kana
        if code == "cyrl":
            return _cyrillic_language(sample)
        return code
    scores, _n_words = stop_word_hits(sample)
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    return lang if hits >= _MIN_STOP_HITS else "und"


def _cyrillic_language(sample: str) -> str:
    """"sr", "uk" or "ru" for Cyrillic *sample*, by the letters only that language uses."""
    serbian, ukrainian, russian = (len(rx.findall(sample)) for rx in (_SERBIAN, _UKRAINIAN, _RUSSIAN))
    if serbian > max(ukrainian, russian):
        return "sr"
    return "uk" if ukrainian > russian else "ru"


def stop_word_hits(text: str, min_letters: int = 1) -> tuple[dict[str, int], int]:
    """``({language: words of *text* in its STOP_WORDS}, number of words)``, lower-cased words
    of letters only, of at least *min_letters* letters. Prose runs at 25-50% function words in
    its language; a hit rate of a few per cent is noise (an identifier like
    "do-overwrite-confirmation" holds Portuguese "do"). ``min_letters=2`` leaves out one-letter
    words, which code is full of (Haskell's type variable "a" is Portuguese "a")."""
    words = Counter(w for w in _WORD.findall(text.lower()) if len(w) >= min_letters)
    scores = {lang: sum(words[w] for w in stops if w in words) for lang, stops in STOP_WORDS.items()}
    return scores, sum(words.values())
