"""Semantic near-duplicates: pairs of items whose embeddings have cosine >= 0.95 (issue 3).

Vectors are L2-normalised, so the inner product is the cosine. The neighbours come from a FAISS
index (exact ``IndexFlatIP`` or HNSW, see ``store.vector_index``): each item asks for its ``k``
nearest neighbours and keeps those at or above the threshold; union-find (``core.neardup``)
turns pairs into groups, so a group larger than ``k`` is still found through chains.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from fineflow_desktop.core.neardup import NearDupPair

DEFAULT_COSINE = 0.95
DEFAULT_K = 16
BATCH = 1024


def semantic_pairs(
    search: Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]],
    ids: Sequence[int],
    vectors: np.ndarray,
    threshold: float = DEFAULT_COSINE,
    k: int = DEFAULT_K,
    allowed: set[int] | None = None,
    check: Callable[[], None] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[NearDupPair]:
    """Pairs ``(a, b, cosine)`` with ``a < b`` and cosine >= *threshold*.

    ``search(queries, k) -> (scores, ids)`` is a FAISS-style k-NN search over the index (scores
    and ids shaped ``(n, k)``, id -1 for an empty slot). ``ids[i]`` is the index id of
    ``vectors[i]`` (``(n, dim)`` float32, L2-normalised). Neighbours outside *allowed* (when
    given) are ignored, e.g. manual texts sharing the index with chunks.
    Raises ``ValueError`` for a threshold outside (0, 1] or mismatched shapes.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"cosine threshold must be in (0, 1], got {threshold}")
    if len(ids) != len(vectors):
        raise ValueError("ids and vectors differ in length")
    found: dict[tuple[int, int], float] = {}
    n = len(ids)
    for start in range(0, n, BATCH):
        if check is not None:
            check()
        if progress is not None:
            progress(start, n, "searching semantic neighbours")
        q = np.ascontiguousarray(vectors[start : start + BATCH], dtype=np.float32)
        scores, nbrs = search(q, k + 1)  # +1: an item is its own nearest neighbour
        for row in range(len(q)):
            me = int(ids[start + row])
            for score, other in zip(scores[row], nbrs[row]):
                other = int(other)
                if other < 0 or other == me or score < threshold:
                    continue
                if allowed is not None and other not in allowed:
                    continue
                key = (me, other) if me < other else (other, me)
                # float rounding can put a self-similar pair a hair over 1
                found[key] = max(found.get(key, 0.0), min(float(score), 1.0))
    return [NearDupPair(a, b, s) for (a, b), s in sorted(found.items())]
