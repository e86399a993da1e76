"""Near-duplicate detection: MinHash LSH over character 5-gram shingles (rensa).

Rule (issue 3): after exact dedup, chunks whose estimated Jaccard similarity of character
5-gram sets is at least ``threshold`` (default 0.7) are near-duplicates. 128 permutations.
Character shingles, not word 5-grams: on short chunks word 5-grams caught 36% of copies with
5% of words edited, character 5-grams 86% (measured on this machine, issue 3).

The sketches (MinHash) and the banding (LSH) are rensa's ``RMinHash``/``RMinHashLSH`` (MIT,
Rust): the shingles of ``normalize(text)`` are its tokens. Until session 9 they were datasketch's,
whose package import runs ``from scipy.integrate import quad`` and so kept about 33 MB of SciPy
in the installers (packaging/README.md). Exact Jaccard (the check that decides a pair) uses this
module's own 32-bit shingle hashes, not the sketches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

NUM_PERM = 128
SHINGLE = 5
DEFAULT_THRESHOLD = 0.7
SEED = 1
BAND_SLACK = 0.1  # LSH bands tuned this far below the threshold, for recall at the threshold
ESTIMATE_SLACK = 0.15  # about 3.5 standard errors of a 128-slot Jaccard estimate near 0.7
SKETCH_BATCH = 2000  # texts sketched per rensa call, between cancel checks
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC, casefold and collapse whitespace: formatting-only edits must not count as changes."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """32-bit hashes (uint32 array) of the character *k*-grams of ``normalize(text)``.

    A text shorter than *k* characters is one shingle; an empty text gives an empty array.
    Repeated shingles stay in the array: the minimum is the same for a set and a multiset.
    """
    norm = normalize(text)
    if not norm:
        return np.empty(0, dtype=np.uint32)
    cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cps) < k:
        cps = np.concatenate([cps, np.zeros(k - len(cps), dtype=np.uint64)])
    n = len(cps) - k + 1
    # Polynomial rolling hash, wrapping mod 2^64 (uint64 overflow is the modulo).
    prime = np.uint64(1099511628211)  # FNV-1a 64-bit prime: odd, well spread
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * prime + cps[j : j + n]
        # splitmix64 finalizer so neighbouring shingles get unrelated high bits
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return (h >> np.uint64(32)).astype(np.uint32)


def char_shingles(text: str, k: int = SHINGLE) -> list[str]:
    """The character *k*-grams of ``normalize(text)`` (rensa's tokens; a text shorter than *k*
    characters is one shingle, an empty text none)."""
    norm = normalize(text)
    if len(norm) <= k:
        return [norm] if norm else []
    return [norm[i : i + k] for i in range(len(norm) - k + 1)]


def sketches(texts: Sequence[str], num_perm: int = NUM_PERM, seed: int = SEED) -> list:
    """rensa ``RMinHash`` sketches of *texts* (one per text; an empty text gets the all-max
    digest, which matches nothing)."""
    from rensa import RMinHash  # loaded on first use, not at start-up

    return RMinHash.from_token_sets([char_shingles(t) for t in texts], num_perm, seed)


def signatures(
    texts: Sequence[str],
    num_perm: int = NUM_PERM,
    seed: int = SEED,
    check: Callable[[], None] | None = None,
) -> np.ndarray:
    """MinHash signatures of *texts*: a ``(len(texts), num_perm)`` uint32 array (rensa digests;
    an empty text gives all-max). ``check`` is called between batches of ``SKETCH_BATCH`` texts
    (pass ``TaskState.check`` to allow cancelling)."""
    return _sketch_all(texts, num_perm, seed, check)[1]


def _sketch_all(texts: Sequence[str], num_perm: int, seed: int,
                check: Callable[[], None] | None) -> tuple[list, np.ndarray]:
    """(rensa sketches, their digests as a ``(len(texts), num_perm)`` uint32 array)."""
    hashes: list = []
    for start in range(0, len(texts), SKETCH_BATCH):
        hashes += sketches(texts[start : start + SKETCH_BATCH], num_perm, seed)
        if check is not None:
            check()
    sigs = np.array([m.digest() for m in hashes], dtype=np.uint32).reshape(len(texts), num_perm)
    return hashes, sigs


def lsh_bands(threshold: float, num_perm: int) -> int:
    """Number of LSH bands for a candidate *threshold*: rensa needs a divisor of *num_perm*; the
    S-curve of ``b`` bands of ``r = num_perm / b`` rows rises at about ``(1/b)^(1/r)`` (Leskovec,
    Rajaraman & Ullman, *Mining of Massive Datasets*, §3.4.3), and the divisor whose rise is the
    highest at or below *threshold* is taken, so pairs at the threshold stay candidates (recall
    first: every candidate is checked afterwards)."""
    divisors = [b for b in range(2, num_perm + 1) if num_perm % b == 0]
    rises = [(b, (1 / b) ** (b / num_perm)) for b in divisors]
    below = [b for b, t in rises if t <= threshold]
    return min(below) if below else max(divisors)


class _ShingleSets:
    """Sorted unique shingle hashes per text, computed on demand; bounded cache (the oldest
    half is dropped when full) so 100k-chunk runs stay within memory."""

    LIMIT = 50_000

    def __init__(self, texts: Sequence[str]):
        self.texts = texts
        self.cache: dict[int, np.ndarray] = {}

    def get(self, i: int) -> np.ndarray:
        hit = self.cache.get(i)
        if hit is None:
            if len(self.cache) >= self.LIMIT:
                for key in list(self.cache)[: self.LIMIT // 2]:
                    del self.cache[key]
            hit = self.cache[i] = np.unique(shingle_hashes(self.texts[i]))
        return hit


@dataclass
class NearDupPair:
    """Two item ids whose estimated Jaccard similarity is ``similarity`` (0-1)."""

    a: int
    b: int
    similarity: float


@dataclass
class DupGroup:
    """Connected near-duplicate items: ``members`` ids and the pair ``edges`` that link them."""

    members: list[int]
    edges: list[NearDupPair] = field(default_factory=list)


def find_pairs(
    ids: Sequence[int],
    texts: Sequence[str],
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = NUM_PERM,
    seed: int = SEED,
    check: Callable[[], None] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[NearDupPair]:
    """Near-duplicate pairs among ``zip(ids, texts)``.

    Candidates come from rensa's ``RMinHashLSH`` banded ``BAND_SLACK`` below *threshold*
    (``lsh_bands``, so pairs right at the threshold are not lost to the S-curve), pre-filtered by the estimated
    Jaccard (share of equal signature slots >= threshold - ``ESTIMATE_SLACK``), then kept when
    the exact Jaccard of their 5-gram sets is >= *threshold* (``similarity`` is that exact
    value). Estimates >= threshold + ``ESTIMATE_SLACK`` (3.5 standard errors above) are kept
    without the exact check, with the estimate as similarity: on template-like data (GPTeacher
    Toolformer, 2.5M pairs at 0.6) exact checks of every pair took 80 s.
    On 100k chunks this raised recall of copies with 10% of words edited from 48% (estimate
    only) and made every reported pair a true near-duplicate (bench/bench_neardup.py).
    Raises ``ValueError`` for a threshold outside (0, 1] or mismatched lengths.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
    if len(ids) != len(texts):
        raise ValueError("ids and texts differ in length")
    from rensa import RMinHashLSH  # loaded on first use, not at start-up

    total = len(ids)
    hashes, sigs = _sketch_all(texts, num_perm, seed, check)
    empty = np.all(sigs == np.iinfo(np.uint32).max, axis=1)
    # band at <= 0.9 (two bands at least); the exact check below applies the real threshold
    band_threshold = max(0.2, min(threshold - BAND_SLACK, 0.9))
    lsh = RMinHashLSH(band_threshold, num_perm, lsh_bands(band_threshold, num_perm))
    for row in range(total):
        if not empty[row]:
            lsh.insert(row, hashes[row])
        if check is not None and row % 5000 == 0:
            check()
            if progress:
                progress(row, total * 2, "indexing MinHash sketches")
    pairs: list[NearDupPair] = []
    sets = _ShingleSets(texts)
    for row in range(total):
        if empty[row]:
            continue
        cands = sorted(c for c in lsh.query(hashes[row]) if c > row)
        if cands:
            estimates = (sigs[cands] == sigs[row]).mean(axis=1)
            close = []
            for c, e in zip(cands, estimates):
                if e >= threshold + ESTIMATE_SLACK:  # certain: no need to pay for the exact value
                    pairs.append(NearDupPair(int(ids[row]), int(ids[c]), float(e)))
                elif e >= threshold - ESTIMATE_SLACK:
                    close.append(c)
            if close:
                # exact Jaccard of this row against all its close candidates in one numpy pass
                mine = sets.get(row)
                others = [sets.get(c) for c in close]
                sizes = np.array([len(o) for o in others])
                starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
                cat = np.concatenate(others)
                pos = np.minimum(np.searchsorted(mine, cat), len(mine) - 1)  # mine is sorted
                inter = np.add.reduceat((mine[pos] == cat).astype(np.int64), starts)
                jac = inter / (len(mine) + sizes - inter)
                for c, j in zip(close, jac):
                    if j >= threshold:
                        pairs.append(NearDupPair(int(ids[row]), int(ids[c]), float(j)))
        if row % 5000 == 0:
            if check is not None:
                check()
            if progress:
                progress(total + row, total * 2, "querying near-duplicate candidates")
    return pairs


def group_pairs(pairs: Iterable[NearDupPair]) -> list[DupGroup]:
    """Union-find the pairs into connected groups (each with >= 2 members, members sorted).

    Groups are transitive: A~B and B~C put A, B, C together even when A and C are below the
    threshold; the per-member similarity to the kept representative shows such chains.
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges: list[NearDupPair] = []
    for p in pairs:
        edges.append(p)
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, DupGroup] = {}
    for x in list(parent):
        groups.setdefault(find(x), DupGroup(members=[])).members.append(x)
    for e in edges:
        groups[find(e.a)].edges.append(e)
    result = [g for g in groups.values() if len(g.members) > 1]
    for g in result:
        g.members.sort()
    result.sort(key=lambda g: g.members[0])
    return result


def jaccard_shingles(a: str, b: str, k: int = SHINGLE) -> float:
    """Exact Jaccard similarity of the character *k*-gram sets of two texts (for checks/tests)."""
    sa, sb = set(shingle_hashes(a, k).tolist()), set(shingle_hashes(b, k).tolist())
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)
