"""Rank fusion: merge the ranked lists of several retrievers into one.

Reciprocal rank fusion (Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms
Condorcet and individual rank learning methods", SIGIR 2009): an item's fused score is
``sum over retrievers of weight / (k + rank)`` (rank from 1); ``k = 60`` is the paper's value.
RRF needs no score calibration between BM25 (unbounded) and cosine (0-1), which is why it is
used here instead of a weighted sum of raw scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Mapping, Sequence

RRF_K = 60


@dataclass
class Fused:
    """One fused item: ``score`` (the RRF sum) and, per retriever that found it,
    ``{"rank": 1-based rank, "score": that retriever's own score}``."""

    key: Hashable
    score: float
    retrievers: dict[str, dict[str, float]] = field(default_factory=dict)


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[tuple[Hashable, float]]],
    weights: Mapping[str, float] | None = None,
    k: int = RRF_K,
) -> list[Fused]:
    """Fuse *rankings* (retriever name -> ``[(key, score), ...]`` best first) into one list,
    best first; ties keep the order of first appearance. *weights* default to 1 per retriever.
    Raises ``ValueError`` for ``k < 0`` or a negative weight."""
    if k < 0:
        raise ValueError(f"RRF k must be >= 0, got {k}")
    fused: dict[Hashable, Fused] = {}
    for name, ranking in rankings.items():
        w = 1.0 if weights is None else float(weights.get(name, 1.0))
        if w < 0:
            raise ValueError(f"fusion weight of {name!r} must be >= 0, got {w}")
        for rank, (key, score) in enumerate(ranking, 1):
            item = fused.setdefault(key, Fused(key, 0.0))
            if name in item.retrievers:
                continue  # a retriever listing a key twice counts once, at its best rank
            item.retrievers[name] = {"rank": rank, "score": float(score)}
            item.score += w / (k + rank)
    return sorted(fused.values(), key=lambda f: -f.score)


def page_boost(fused: Sequence[Fused], page_of: Mapping[Hashable, Hashable], weight: float) -> list[Fused]:
    """Add *weight* x (sum of the fused scores of every item of the same page) to each item's
    score and re-sort, best first: a passage from a page many passages of which matched is
    more likely on the page the question is about (document-level evidence, as in
    passage-to-document score aggregation). Items missing from *page_of* are their own page."""
    totals: dict[Hashable, float] = {}
    for f in fused:
        page = page_of.get(f.key, ("item", f.key))
        totals[page] = totals.get(page, 0.0) + f.score
    out = [Fused(f.key, f.score + weight * totals[page_of.get(f.key, ("item", f.key))], f.retrievers) for f in fused]
    return sorted(out, key=lambda f: -f.score)


def pages_first(items: Sequence[Fused], page_of: Mapping[Hashable, Hashable], n: int = 3) -> list[Fused]:
    """Reorder so that the first *n* items come from *n* different pages where possible (each
    page's best item, best first), the rest following in score order: the top of the list
    shows different pages, like a web search's one result per site, while a RAG context of
    more than *n* passages still gets the strongest passages of the leading pages."""
    seen: set[Hashable] = set()
    first: list[Fused] = []
    for f in items:
        page = page_of.get(f.key, ("item", f.key))
        if page not in seen:
            first.append(f)
            seen.add(page)
            if len(first) == n:
                break
    chosen = {id(f) for f in first}
    return first + [f for f in items if id(f) not in chosen]
