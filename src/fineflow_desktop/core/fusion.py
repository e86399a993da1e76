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


def page_boost(
    fused: Sequence[Fused], page_of: Mapping[Hashable, Hashable], weight: float, top: int = 5
) -> list[Fused]:
    """Add *weight* x (sum of the fused scores of the *top* best items of the same page) to the
    score of each item of *page_of* and re-sort, best first: a passage from a page several
    passages of which matched is more likely on the page the question is about
    (document-level evidence, as in passage-to-document score aggregation). Summing only the
    best *top* keeps a long page's many weak candidates (RRF scores count ranks, not
    relevance) from burying a short page that matches well.

    Items missing from *page_of* (texts that belong to no page: manual texts, dataset pairs)
    have no page evidence, so they are merged in by their own fused score: each goes before the
    first paged item whose own (unboosted) score is lower. A one-passage note that matches
    well is not buried under a long page's many weak matches."""
    totals: dict[Hashable, float] = {}
    counts: dict[Hashable, int] = {}
    for f in fused:  # best first, so each page's first *top* items are its best
        page = page_of.get(f.key)
        if page is not None and counts.get(page, 0) < top:
            totals[page] = totals.get(page, 0.0) + f.score
            counts[page] = counts.get(page, 0) + 1
    paged = sorted(
        ((Fused(f.key, f.score + weight * totals[page_of[f.key]], f.retrievers), f.score) for f in fused if f.key in page_of),
        key=lambda pair: -pair[0].score,
    )
    alone = [f for f in fused if f.key not in page_of]  # already best first
    out: list[Fused] = []
    a = 0
    for item, own in paged:
        while a < len(alone) and alone[a].score >= own:
            out.append(alone[a])
            a += 1
        out.append(item)
    return out + alone[a:]


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
