"""Pair quality score (0–1) from named, explainable signals.

Every signal reports ``{value, threshold, ok, score, weight, source}`` so the UI can show *why*
a pair scored low. The overall score is the weighted mean of the per-signal scores of the signals
that could be computed (grounding needs the source chunk, diversity needs neighbours), so a pair
imported without provenance is not punished for missing data.

Signals and where their rules come from:

``answer_length``
    Words in the answer; fewer than ``MIN_ANSWER_WORDS`` is suspicious. Validation warns on
    answers under 3 words (core.validation ``SHORT_ANSWER_WORDS``); longer responses are a strong
    selection baseline for instruction tuning (Zhao et al. 2024, "Long Is More for Alignment",
    ICML 2024).
``length_ratio``
    Answer words / question words. An answer much shorter than its question is usually a stub
    (same source). Threshold ``MIN_LENGTH_RATIO``; score ramps linearly up to it.
``grounding``
    ROUGE-1 recall of the answer against its source chunk: the share of the answer's content
    words (lower-cased, stop words removed) that occur in the chunk (Lin 2004, "ROUGE: A Package
    for Automatic Evaluation of Summaries"; used as a faithfulness proxy for extractive answers).
    Only when the source chunk text is known.
``diversity``
    1 − the highest Jaccard similarity between the question's word uni+bigram set and those of
    the neighbouring pairs' questions (near-duplicate prompts add little; Lee et al. 2022,
    "Deduplicating Training Data Makes Language Models Better"). Threshold ``MAX_SIMILARITY`` = 0.7
    is the Jaccard threshold the near-duplicate detector uses. Only when neighbours are given.

The signals are cheap (no model): a 100k-pair dataset rescoring is dominated by candidate search,
see ``services.pairs.rescore_dataset``.
"""

from __future__ import annotations

import re
from typing import Iterable

WORD_RE = re.compile(r"\w+", re.UNICODE)

MIN_ANSWER_WORDS = 5
MIN_LENGTH_RATIO = 0.5
MIN_GROUNDING = 0.5
MAX_SIMILARITY = 0.7

WEIGHTS = {"answer_length": 0.25, "length_ratio": 0.2, "grounding": 0.35, "diversity": 0.2}

SOURCES = {
    "answer_length": "Zhao et al. 2024 'Long Is More for Alignment'; validation short-answer warning (< 3 words)",
    "length_ratio": "answer/question word ratio; stubs answer long questions with a few words",
    "grounding": "ROUGE-1 recall of answer content words in the source chunk (Lin 2004)",
    "diversity": "1 - max Jaccard of question uni+bigrams vs neighbours (Lee et al. 2022 dedup); 0.7 = near-dup threshold",
}

# A short English stop-word list (the most frequent function words; after the NLTK/SMART lists).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (``\\w+``) of *text*."""
    return WORD_RE.findall(text.lower()) if text else []


def content_words(text: str) -> list[str]:
    """Words of *text* without stop words."""
    return [w for w in words(text) if w not in STOP_WORDS]


def shingles(text: str) -> set[str]:
    """Uni- and bigrams of the lower-cased words of *text* (the diversity features)."""
    ws = words(text)
    return set(ws) | {f"{a} {b}" for a, b in zip(ws, ws[1:])}


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b| (0 when both are empty)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def _signal(name: str, value: float, threshold: float, ok: bool, score: float) -> dict:
    return {
        "value": round(float(value), 4),
        "threshold": threshold,
        "ok": bool(ok),
        "score": round(max(0.0, min(1.0, score)), 4),
        "weight": WEIGHTS[name],
        "source": SOURCES[name],
    }


def score_pair(
    user: str,
    assistant: str,
    source_chunk_text: str | None = None,
    neighbours: Iterable[str] | None = None,
) -> tuple[float, dict[str, dict]]:
    """Score one pair. Returns ``(score in 0..1, signals)``.

    ``signals`` maps a signal name (see module docstring) to
    ``{value, threshold, ok, score, weight, source}``. ``source_chunk_text`` enables grounding,
    ``neighbours`` (other pairs' user messages) enables diversity. An empty answer scores 0.
    """
    a_words = words(assistant)
    q_words = words(user)
    signals: dict[str, dict] = {}
    n_a = len(a_words)
    signals["answer_length"] = _signal("answer_length", n_a, MIN_ANSWER_WORDS, n_a >= MIN_ANSWER_WORDS,
                                       n_a / MIN_ANSWER_WORDS)
    ratio = n_a / max(1, len(q_words))
    signals["length_ratio"] = _signal("length_ratio", ratio, MIN_LENGTH_RATIO, ratio >= MIN_LENGTH_RATIO,
                                      ratio / MIN_LENGTH_RATIO)
    if source_chunk_text:
        answer_terms = content_words(assistant)
        if answer_terms:
            chunk_terms = set(content_words(source_chunk_text))
            recall = sum(1 for w in answer_terms if w in chunk_terms) / len(answer_terms)
        else:
            recall = 0.0
        signals["grounding"] = _signal("grounding", recall, MIN_GROUNDING, recall >= MIN_GROUNDING,
                                       recall / MIN_GROUNDING)
    if neighbours is not None:
        mine = shingles(user)
        best = max((jaccard(mine, shingles(n)) for n in neighbours), default=0.0)
        diversity = 1.0 - best
        signals["diversity"] = _signal("diversity", diversity, round(1 - MAX_SIMILARITY, 4),
                                       best < MAX_SIMILARITY, diversity / (1 - MAX_SIMILARITY))
    if n_a == 0:
        return 0.0, signals
    total_w = sum(s["weight"] for s in signals.values())
    score = sum(s["score"] * s["weight"] for s in signals.values()) / total_w
    return round(score, 4), signals


def explain(signals: dict[str, dict]) -> str:
    """Multi-line human text for a tooltip: one line per signal, ✓/✗, value vs threshold."""
    lines = []
    for name, s in signals.items():
        mark = "✓" if s.get("ok") else "✗"
        lines.append(f"{mark} {name.replace('_', ' ')}: {s.get('value')} (threshold {s.get('threshold')})")
    return "\n".join(lines)
