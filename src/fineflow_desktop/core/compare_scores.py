"""Offline scores for a model comparison: each answer against the reference, and the win rate
of the user's votes (Qt-free, no network).

- ``exact_match``, ``token_f1``: SQuAD v1.1 evaluation script rules (lower-case, strip
  punctuation and the articles a/an/the, collapse whitespace; F1 over the bag of tokens).
- ``rouge_l``: ROUGE-L F-measure from Google's ``rouge-score`` (the reference implementation of
  ROUGE-1.5.5), without stemming.
- ``cosine``: cosine similarity of the answer's and the reference's embeddings from the
  workspace's offline embedder (L2-normalised vectors, so the dot product; computed by the caller
  with ``cosine_rows``), clipped to 0..1 like the RAG scores.
- ``win_rate``: share of decided votes won by A, with the Wilson score interval at 95 %
  (z = 1.959964; Wilson 1927), ties counted apart as LMSYS' arena does. The judge model's
  verdicts are summarised the same way.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from functools import lru_cache
from typing import Iterable, Mapping

SCORE_KEYS = ("exact_match", "token_f1", "rouge_l", "cosine")
# "Closer to the reference" ranks by ROUGE-L, then token F1 (the contract key);
# ``closer_by`` also counts each score on its own.
CLOSER_KEYS = ("rouge_l", "token_f1")
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


def cosine_rows(vectors) -> list[float | None]:
    """Cosines of consecutive vector pairs: rows ``2i`` (an answer) and ``2i+1`` (its reference) of
    an ``(2n, dim)`` array of L2-normalised vectors → *n* values clipped to 0..1. A zero vector is
    a text the embedder has no feature for (e.g. "4": the LSA embedder reads words of two or more
    characters): a zero reference gives ``None`` (nothing to be close to), a zero answer 0.0 (it
    shares nothing the embedder knows with the reference)."""
    import numpy as np

    v = np.asarray(vectors, dtype=np.float32)
    n = len(v) // 2
    a, b = v[0:2 * n:2], v[1:2 * n:2]
    dots = np.clip(np.einsum("ij,ij->i", a, b), 0.0, 1.0)
    has_ref = np.linalg.norm(b, axis=1) > 0
    return [float(d) if ok else None for d, ok in zip(dots, has_ref)]


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
    ROUGE-L, then token F1; equal = tie), the same count per score (``closer_by``), answer/error
    counts, the win rate of the votes and, when a judge ran, the judge's win rate.

    *rows*: mappings with ``scores`` ``{"a": {...}, "b": {...}}``, ``error_a``, ``error_b``,
    ``vote`` and optionally ``judge`` ``{"winner": "a"|"b"|"tie", ...}`` or ``{"error": str}``."""
    sums = {side: dict.fromkeys(SCORE_KEYS, 0.0) for side in ("a", "b")}
    counts = {side: dict.fromkeys(SCORE_KEYS, 0) for side in ("a", "b")}
    closer = {"a": 0, "b": 0, "tie": 0}
    closer_by = {k: {"a": 0, "b": 0, "tie": 0} for k in SCORE_KEYS}
    errors = {"a": 0, "b": 0}
    votes, verdicts, n = [], [], 0
    judged = judge_errors = 0
    for row in rows:
        n += 1
        votes.append(row.get("vote"))
        sc = row.get("scores") or {}
        for side in ("a", "b"):
            if row.get(f"error_{side}"):
                errors[side] += 1
            for k, v in (sc.get(side) or {}).items():
                if k in sums[side] and v is not None:
                    sums[side][k] += float(v)
                    counts[side][k] += 1
        sa, sb = sc.get("a") or {}, sc.get("b") or {}
        if sa and sb:
            ka, kb = tuple(sa.get(k, 0.0) for k in CLOSER_KEYS), tuple(sb.get(k, 0.0) for k in CLOSER_KEYS)
            closer["a" if ka > kb else "b" if kb > ka else "tie"] += 1
            for k in SCORE_KEYS:
                if sa.get(k) is not None and sb.get(k) is not None:
                    va, vb = round(float(sa[k]), 6), round(float(sb[k]), 6)  # float noise is a tie
                    closer_by[k]["a" if va > vb else "b" if vb > va else "tie"] += 1
        judge = row.get("judge") or {}
        if judge.get("winner") in ("a", "b", "tie"):
            judged += 1
            verdicts.append(judge["winner"])
        elif judge.get("error"):
            judge_errors += 1
    means = {side: {k: sums[side][k] / counts[side][k] for k in SCORE_KEYS if counts[side][k]} for side in ("a", "b")}
    out = {"prompts": n, "errors": errors, "means": means, "closer_to_reference": closer,
           "closer_by": {k: v for k, v in closer_by.items() if sum(v.values())}, "votes": win_rate(votes)}
    if judged or judge_errors:
        jw = win_rate(verdicts)
        jw.pop("unvoted")
        out["judge"] = {**jw, "judged": judged, "errors": judge_errors}
    return out
