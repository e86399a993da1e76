"""Offline chunk quality score (0–1) from named, explainable heuristic signals.

Every signal reports ``{value, threshold, ok, weight, source, score}``: the measured value, the
rule it is held to (``">= 20"``, ``"<= 0.1"``, ``"3..10"``), whether it passes, its weight in
the total, the publication the rule comes from, and a soft 0–1 score (1 when ok, falling off
linearly with the distance past the threshold, so near-misses cost little). The chunk score is
the weighted mean of the soft scores over the signals that apply.

Sources of the rules and thresholds:

* **Gopher** — Rae et al. 2021, "Scaling Language Models: Methods, Analysis & Insights from
  Training Gopher", appendix A.1.1 quality filters: 50–100,000 words; mean word length 3–10;
  symbol (``#``, ellipsis) to word ratio < 0.1; < 30 % of lines ending in an ellipsis; < 90 %
  of lines starting with a bullet; >= 80 % of words containing an alphabetic character; >= 2
  of the stop words *the, be, to, of, and, that, have, with*; repetition: duplicate-line
  fraction <= 0.30, characters in duplicate lines <= 0.20, characters in the most frequent
  2/3/4-gram <= 0.20/0.18/0.16, characters in duplicated 5..10-grams <= 0.15..0.10.
* **C4** — Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a Unified
  Text-to-Text Transformer", section 2.2: keep lines ending in terminal punctuation, drop
  "lorem ipsum" pages and lines about javascript / cookies / terms of use / privacy policy.
  (C4's "no curly brace" rule is not used: it would reject every code example.)
* **FineWeb** — Penedo et al. 2024, "The FineWeb Datasets", section 3.4 custom filters: the
  fraction of lines ending in punctuation must exceed 0.12; fewer than 67 % of lines may be
  shorter than 30 characters; characters in duplicated lines below 0.1 (we keep Gopher's 0.2).
* **Structure and coherence** (FineFlow seed spec: "length, vocabulary diversity, structural
  elements, sentence coherence"): headings, lists, code and tables present; and sentences
  linked to their predecessors by a shared content word or a referring pronoun/connective,
  after the "argument overlap" and connective cohesion indices of Coh-Metrix (Graesser,
  McNamara et al. 2004).

Adaptations for chunks (documented, measured in ``bench/bench_quality.py``): the minimum is 20
words, not 50, because a chunk is a section of a document; words are split on whitespace
only (spaCy-style punctuation splitting failed 98 % of Python-doc chunks on the alphabetic-word
rule in a test here); punctuation at line ends is judged per paragraph (blank-line block),
because reStructuredText and Markdown hard-wrap prose at ~80 columns mid-sentence.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass, field

from fineflow_desktop.core.language import STOP_WORDS, guess_language

GOPHER = "Gopher (Rae et al. 2021)"
C4 = "C4 (Raffel et al. 2020)"
FINEWEB = "FineWeb (Penedo et al. 2024)"
COHMETRIX = "Coh-Metrix argument overlap + connectives (Graesser et al. 2004)"
SEED = "FineFlow spec: structural elements"

# A fully failed weight-1 signal costs 1/PENALTY_SCALE of the score. Gopher drops a document on
# any single failure; an additive penalty keeps one near-miss (say, a code example's low
# alphabetic-word share) from zeroing an otherwise good chunk, while junk that fails several
# rules at once falls to 0 (calibrated in bench/bench_quality.py).
PENALTY_SCALE = 3.0

GOPHER_STOP_WORDS = frozenset(("the", "be", "to", "of", "and", "that", "have", "with"))
_DECORATION = "-=+|*#~^_•·:>"
_BULLETS = ("•", "-", "*", "‣", "◦", "·", "–", "▪", "●")
_TERMINAL = (".", "!", "?", '"', "'", ":", ";", ")", "”", "’", "。", "！", "？")
_C4_BAD_LINE = re.compile(r"javascript|terms of use|privacy policy|cookie policy|uses cookies|use of cookies|use cookies", re.I)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_HEADING_LINE = re.compile(r"^(?:#{1,6}[ \t]+\S|([=\-~^*\"'#+`])\1{2,}[ \t]*$)", re.M)
_LIST_LINE = re.compile(r"^[ \t]*(?:[-*•+]|\d{1,3}[.)])[ \t]+\S", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CODE = re.compile(r"^(?:```|~~~|\s*>>> |\s*\.\. code-block::)|::\s*$|^ {4,}\S", re.M)
_TABLE_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$|^[^|\n]+\|[^|\n]+$|^[ \t]*\+[-=+]+\+[ \t]*$", re.M)


@dataclass
class QualityResult:
    """``score`` in [0, 1]; ``signals``: name → {value, threshold, ok, weight, source, score}."""

    score: float
    signals: dict[str, dict] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        """Names of the signals that did not pass."""
        return [name for name, s in self.signals.items() if not s["ok"]]


def _signal(out: dict, name: str, value: float, *, lo: float | None = None, hi: float | None = None,
            tol: float, weight: float, source: str) -> None:
    """Record one signal; ``tol`` is how far past a bound the soft score falls from 1 to 0."""
    if lo is not None and value < lo:
        ok, soft = False, max(0.0, 1 - (lo - value) / tol)
    elif hi is not None and value > hi:
        ok, soft = False, max(0.0, 1 - (value - hi) / tol)
    else:
        ok, soft = True, 1.0
    if lo is not None and hi is not None:
        threshold = f"{lo:g}..{hi:g}"
    else:
        threshold = f">= {lo:g}" if lo is not None else f"<= {hi:g}"
    out[name] = {"value": round(float(value), 4), "threshold": threshold, "ok": ok, "weight": weight,
                 "source": source, "score": round(soft, 4)}


_NOT_LETTERS = string.punctuation + string.digits


def _has_letter(word: str) -> bool:
    # ASCII fast path: once punctuation and digits are stripped from both ends, anything left
    # starts with a letter. Non-ASCII words take the Unicode-aware regex.
    if word.isascii():
        return bool(word.strip(_NOT_LETTERS))
    return _HAS_LETTER.search(word) is not None


def _ngrams(words: list[str], n: int):
    return zip(*(words[i:] for i in range(n)))


def _top_ngram_char_fraction(words: list[str], n: int, total_chars: int) -> float:
    """Gopher: share of word characters inside the most frequent n-gram (if it repeats)."""
    if len(words) < n or not total_chars:
        return 0.0
    gram, count = Counter(_ngrams(words, n)).most_common(1)[0]
    if count < 2:
        return 0.0
    return min(1.0, count * sum(map(len, gram)) / total_chars)


def _dup_ngram_char_fraction(words: list[str], n: int, total_chars: int) -> float:
    """Gopher: share of word characters covered by n-grams that occur more than once."""
    if len(words) < n or not total_chars:
        return 0.0
    grams = list(_ngrams(words, n))
    counts = Counter(grams)
    if len(counts) == len(grams):
        return 0.0  # no repeated n-gram (the common case): skip the coverage pass
    covered = bytearray(len(words))
    for i, g in enumerate(grams):
        if counts[g] > 1:
            covered[i : i + n] = b"\x01" * n
    return sum(len(w) for w, c in zip(words, covered) if c) / total_chars


def score_chunk(text: str, heading_path: list[str] | None = None, language: str | None = None) -> QualityResult:
    """Score one chunk of text; see the module docstring for every signal and its source.

    *heading_path* (the chunk's headings) counts as structure; *language* (ISO code) picks the
    stop-word list, guessed with ``core.language.guess_language`` when not given. Pure
    function, no I/O; about a millisecond for a 512-token chunk.
    """
    sig: dict[str, dict] = {}
    # Markup decoration (table borders, list bullets, "|" cells, ">>>" prompts) is layout, not
    # words or lines of content: it is left out of the word and line statistics.
    words = [w for w in text.split() if w.strip(_DECORATION)]
    n_words = len(words)
    lines = [ln for ln in text.split("\n") if ln.strip(_DECORATION + " \t")]
    n_lines = max(1, len(lines))
    lang = language or guess_language(text)

    # --- Gopher: size and word shape
    _signal(sig, "word_count", n_words, lo=20, hi=100_000, tol=20, weight=1.5, source=GOPHER + "; 20 for chunks")
    if n_words:
        mean_len = sum(map(len, words)) / n_words
        _signal(sig, "mean_word_length", mean_len, lo=3, hi=10, tol=3, weight=1.0, source=GOPHER)
        symbols = text.count("#") + text.count("...") + text.count("…")
        _signal(sig, "symbol_word_ratio", symbols / n_words, hi=0.1, tol=0.2, weight=1.0, source=GOPHER)
        alpha = sum(1 for w in words if _has_letter(w)) / n_words
        _signal(sig, "alpha_word_fraction", alpha, lo=0.8, tol=0.4, weight=1.5, source=GOPHER + "; whitespace split")
    ellipsis = sum(1 for ln in lines if ln.rstrip().endswith(("...", "…"))) / n_lines
    _signal(sig, "ellipsis_line_fraction", ellipsis, hi=0.3, tol=0.4, weight=1.0, source=GOPHER)
    bullets = sum(1 for ln in lines if ln.lstrip().startswith(_BULLETS)) / n_lines
    _signal(sig, "bullet_line_fraction", bullets, hi=0.9, tol=0.1, weight=0.5, source=GOPHER)
    if lang in STOP_WORDS or lang == "und":
        stops = GOPHER_STOP_WORDS if lang in ("en", "und") else STOP_WORDS[lang]
        hits = sum(1 for w in _WORD.findall(text.lower()) if w in stops)
        _signal(sig, "stop_words", hits, lo=2, tol=2, weight=1.5, source=GOPHER + (f"; {lang} list" if lang not in ("en", "und") else ""))

    # --- Gopher: repetition
    counts = Counter(ln.strip() for ln in lines)
    dup_lines = sum(c for c in counts.values() if c > 1) - sum(1 for c in counts.values() if c > 1)
    _signal(sig, "duplicate_line_fraction", dup_lines / n_lines, hi=0.3, tol=0.4, weight=1.0, source=GOPHER)
    total_line_chars = sum(len(ln.strip()) for ln in lines) or 1
    dup_chars = sum(len(s) * (c - 1) for s, c in counts.items() if c > 1)
    _signal(sig, "duplicate_line_char_fraction", dup_chars / total_line_chars, hi=0.2, tol=0.4, weight=1.0, source=GOPHER)
    lw = [w.lower() for w in words]
    word_chars = sum(len(w) for w in lw)
    for n, limit in ((2, 0.20), (3, 0.18), (4, 0.16)):
        _signal(sig, f"top_{n}gram_char_fraction", _top_ngram_char_fraction(lw, n, word_chars), hi=limit, tol=0.3,
                weight=0.5, source=GOPHER)
    for n, limit in ((5, 0.15), (10, 0.10)):
        _signal(sig, f"dup_{n}gram_char_fraction", _dup_ngram_char_fraction(lw, n, word_chars), hi=limit, tol=0.4,
                weight=0.75, source=GOPHER)

    # --- C4 / FineWeb: line and paragraph shape, boilerplate
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if paragraphs:
        ended = sum(1 for p in paragraphs if p.endswith(_TERMINAL)) / len(paragraphs)
        _signal(sig, "punctuated_paragraph_fraction", ended, lo=0.12, tol=0.12, weight=1.0,
                source=FINEWEB + " / " + C4 + "; per paragraph")
    short = sum(1 for ln in lines if len(ln.strip()) < 30) / n_lines
    _signal(sig, "short_line_fraction", short, hi=0.67, tol=0.33, weight=0.75, source=FINEWEB)
    bad = sum(1 for ln in lines if _C4_BAD_LINE.search(ln)) / n_lines if _C4_BAD_LINE.search(text) else 0.0
    _signal(sig, "boilerplate_line_fraction", bad, hi=0.1, tol=0.3, weight=1.0, source=C4 + " line rules")
    _signal(sig, "lorem_ipsum", 1.0 if "lorem ipsum" in text.lower() else 0.0, hi=0, tol=1, weight=2.0, source=C4)

    # --- structure and coherence
    kinds = _structure_kinds(text, lines, heading_path)
    _signal(sig, "structure_elements", len(kinds), lo=1, tol=2, weight=0.5, source=SEED)
    sig["structure_elements"]["kinds"] = sorted(kinds)
    sentences = [s for s in _SENTENCE.split(" ".join(text.split())) if s]
    if len(sentences) >= 3:
        overlap = _adjacent_overlap(sentences)
        _signal(sig, "sentence_coherence", overlap, lo=0.3, tol=0.3, weight=1.0, source=COHMETRIX)

    penalty = sum(s["weight"] * (1 - s["score"]) for s in sig.values())
    score = max(0.0, 1.0 - penalty / PENALTY_SCALE)
    # Empty or near-empty text is never good, whatever the ratios say.
    if n_words < 3:
        score = min(score, 0.2)
    return QualityResult(round(score, 4), sig)


def _structure_kinds(text: str, lines: list[str], heading_path: list[str] | None) -> set[str]:
    kinds = set()
    if heading_path or _HEADING_LINE.search(text):
        kinds.add("heading")
    if len(_LIST_LINE.findall(text)) >= 2:
        kinds.add("list")
    if _CODE.search(text):
        kinds.add("code")
    if ("|" in text or "+-" in text) and len(_TABLE_LINE.findall(text)) >= 2:
        kinds.add("table")
    # Paragraphs: blank-line blocks, or (web text) several long lines that end sentences.
    if _PARAGRAPH_BREAK.search(text.strip()) or sum(1 for ln in lines if len(ln) > 60 and ln.rstrip().endswith(_TERMINAL)) >= 2:
        kinds.add("paragraphs")
    return kinds


_ANAPHORA = frozenset(
    "it its this these those they their them that such he she his her however therefore thus also then "
    "hence moreover furthermore instead otherwise similarly consequently finally first second next".split()
)


def _adjacent_overlap(sentences: list[str]) -> float:
    """Share of sentences (after the first) linked to one of the two before them.

    Linked = sharing a content-word stem (first 5 letters of words of >= 4 letters, stop words
    excluded) or opening with a pronoun/connective that refers back ("It", "This", "However")
    — the argument-overlap and connective indices of Coh-Metrix, reduced to a cheap test.
    """
    stems = [{w.lower()[:5] for w in _CONTENT_WORD.findall(s)} - STOP_WORDS["en"] for s in sentences]
    linked = 0
    for i in range(1, len(sentences)):
        first = sentences[i].split(None, 1)[0].strip("\"'(").lower() if sentences[i].split() else ""
        if first in _ANAPHORA or stems[i] & (stems[i - 1] | (stems[i - 2] if i >= 2 else set())):
            linked += 1
    return linked / (len(sentences) - 1)
