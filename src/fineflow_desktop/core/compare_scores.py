"""Offline scores for a model comparison: each answer against the reference, and the win rate
of the user's votes (Qt-free, no network).

- ``exact_match``, ``token_f1``: SQuAD v1.1 evaluation script rules (lower-case, strip
  punctuation and the articles a/an/the, collapse whitespace; F1 over the bag of tokens).
- ``rouge_l``: ROUGE-L F-measure from Google's ``rouge-score`` (the reference implementation of
  ROUGE-1.5.5), without stemming.
- ``win_rate``: share of decided votes won by A, with the Wilson score interval at 95 %
  (z = 1.959964; Wilson 1927), ties counted apart as LMSYS' arena does.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from functools import lru_cache
from typing import Iterable, Mapping

SCORE_KEYS = ("exact_match", "token_f1", "rouge_l")
Z95 = 1.959964
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lower case, no punctuation, no articles, single spaces."""
    text = (text or "").lower().translate(_PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(answer: str, reference: str) -> float:
    """1.0 when the normalised strings are equal, else 0.0."""
    return float(normalize_answer(answer) == normalize_answer(reference))


def token_f1(answer: str, reference: str) -> float:
    """Harmonic mean of token precision and recall after normalisation (0..1)."""
    a, r = normalize_answer(answer).split(), normalize_answer(reference).split()
    if not a or not r:
        return float(a == r)
    common = sum((Counter(a) & Counter(r)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(a), common / len(r)
    return 2 * precision * recall / (precision + recall)


@lru_cache(maxsize=1)
def _scorer():
    from rouge_score import rouge_scorer  # loaded on first use: it pulls in nltk

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)


def rouge_l(answer: str, reference: str) -> float:
    """ROUGE-L F-measure of *answer* against *reference* (0..1)."""
    if not (answer or "").strip() or not (reference or "").strip():
        return 0.0
    return float(_scorer().score(reference, answer)["rougeL"].fmeasure)


def score_answer(answer: str | None, reference: str | None) -> dict:
    """``{exact_match, token_f1, rouge_l}`` of one answer, ``{}`` when either side is missing."""
    if answer is None or not reference:
        return {}
    return {"exact_match": exact_match(answer, reference), "token_f1": token_f1(answer, reference),
            "rouge_l": rouge_l(answer, reference)}


def wilson_interval(wins: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of the proportion *wins* / *n*; ``(0.0, 1.0)`` when ``n == 0``."""
    if n <= 0:
        return 0.0, 1.0
    p = wins / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def win_rate(votes: Iterable[str | None]) -> dict:
    """``{a, b, tie, unvoted, decided, a_rate, ci95: [lo, hi]}`` from votes ``a`` / ``b`` / ``tie``
    / None; ``a_rate`` is A's share of decided (non-tie) votes, ``None`` when there are none."""
    counts = Counter(v if v in ("a", "b", "tie") else None for v in votes)
    decided = counts["a"] + counts["b"]
    lo, hi = wilson_interval(counts["a"], decided)
    return {"a": counts["a"], "b": counts["b"], "tie": counts["tie"], "unvoted": counts[None], "decided": decided,
            "a_rate": counts["a"] / decided if decided else None, "ci95": [lo, hi] if decided else None}


def summarize(rows: Iterable[Mapping]) -> dict:
    """Per-model means of each score, how often each model is closer to the reference (by
    ROUGE-L, then token F1; equal = tie), answer/error counts and the win rate of the votes.

    *rows*: mappings with ``scores`` ``{"a": {...}, "b": {...}}``, ``error_a``, ``error_b``, ``vote``."""
    sums = {side: dict.fromkeys(SCORE_KEYS, 0.0) for side in ("a", "b")}
    scored = {"a": 0, "b": 0}
    closer = {"a": 0, "b": 0, "tie": 0}
    errors = {"a": 0, "b": 0}
    votes, n = [], 0
    for row in rows:
        n += 1
        votes.append(row.get("vote"))
        sc = row.get("scores") or {}
        for side in ("a", "b"):
            if row.get(f"error_{side}"):
                errors[side] += 1
            if sc.get(side):
                scored[side] += 1
                for k in SCORE_KEYS:
                    sums[side][k] += float(sc[side].get(k, 0.0))
        if sc.get("a") and sc.get("b"):
            ka = (sc["a"]["rouge_l"], sc["a"]["token_f1"])
            kb = (sc["b"]["rouge_l"], sc["b"]["token_f1"])
            closer["a" if ka > kb else "b" if kb > ka else "tie"] += 1
    means = {side: ({k: sums[side][k] / scored[side] for k in SCORE_KEYS} if scored[side] else {}) for side in ("a", "b")}
    return {"prompts": n, "errors": errors, "means": means, "closer_to_reference": closer, "votes": win_rate(votes)}
