"""MinHash sketches and their LSH band index: datasketch 2.0.0's ``affine32`` scheme and
``MinHashLSH`` (in-memory dict storage), reimplemented here with numpy alone.

Why not datasketch itself (issue 13): its package ``__init__`` imports ``datasketch.lsh``, which
runs ``from scipy.integrate import quad`` at import time for one integral that picks the band
count. That import loads scipy.integrate, optimize, special, linalg, spatial and fft — 28 MB of
the installers — while the app needs only ``scipy.sparse`` (``core.lsa``).

Same results as datasketch 2.0.0 (``tests/test_minhash.py`` compares them when datasketch is
installed):

- permutations: ``numpy.random.RandomState(seed)``, ``a`` odd and ``b`` uniform in ``[0, 2^32)``,
  drawn in datasketch's order; ``a*h + b`` in uint32 (the wraparound is the modulo ``2^32``);
- token hashes: the first 4 bytes of SHA-1, little-endian (``datasketch.hashfunc.sha1_hash32``),
  pre-mixed with the MurmurHash3 32-bit finalizer before the permutations;
- bands: ``(b, r)`` minimising ``0.5 * false positives + 0.5 * false negatives`` over
  ``b * r <= num_perm`` (Leskovec, Rajaraman, Ullman, *Mining of Massive Datasets*, ch. 3.4).
  datasketch integrates the S-curve with QUADPACK; here Gauss-Legendre with ``QUAD_POINTS``
  nodes, exact for polynomials up to degree ``2 * QUAD_POINTS - 1`` (the S-curve
  ``1 - (1 - s^r)^b`` has degree ``r * b <= num_perm``);
- queries: a set filled band by band, each band's keys in insertion order, so even the order of
  the candidates (callers cap them, e.g. ``MAX_NEIGHBOURS``) is datasketch's.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Hashable, Iterable

import numpy as np

MAX_HASH = np.uint32(0xFFFFFFFF)  # an empty sketch: matches nothing
QUAD_POINTS = 256  # Gauss-Legendre nodes: exact up to degree 511 (num_perm <= 511)


def affine_permutations(num_perm: int, seed: int = 1) -> np.ndarray:
    """``[a, b]`` (2 x *num_perm* uint32): datasketch's ``MinHash(num_perm, seed).permutations``
    of the affine32 scheme (``a`` odd, so ``a*h + b mod 2^32`` is a bijection)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


def fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer on a uint32 array (an avalanching bijection)."""
    with np.errstate(over="ignore"):
        hv = hv ^ (hv >> np.uint32(16))
        hv = hv * np.uint32(0x85EBCA6B)
        hv = hv ^ (hv >> np.uint32(13))
        hv = hv * np.uint32(0xC2B2AE35)
        return hv ^ (hv >> np.uint32(16))


def sha1_hash32(data: bytes) -> int:
    """The first 4 bytes of SHA-1 of *data* as a little-endian unsigned int."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


def sketch(tokens: Iterable[bytes], permutations: np.ndarray) -> np.ndarray:
    """MinHash signature (uint32, one slot per permutation) of the set of byte strings *tokens*;
    all ``MAX_HASH`` for no tokens. Equal to datasketch's ``MinHash.update_batch`` result."""
    a, b = permutations
    hv = np.array([sha1_hash32(t) for t in tokens], dtype=np.uint32)
    if not len(hv):
        return np.full(len(a), MAX_HASH, dtype=np.uint32)
    with np.errstate(over="ignore"):
        phv = fmix32(hv)[:, None] * a + b
    return phv.min(axis=0)


@lru_cache(maxsize=64)
def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimising
    ``fp_weight * P(false positive) + fn_weight * P(false negative)`` at Jaccard *threshold*
    (the areas under and over the S-curve ``1 - (1 - s^rows)^bands`` below and above it)."""
    if num_perm > 2 * QUAD_POINTS - 1:
        raise ValueError(f"num_perm {num_perm} exceeds the exact quadrature's degree")
    x, w = np.polynomial.legendre.leggauss(QUAD_POINTS)
    lo_s, lo_w = threshold / 2 * (x + 1), w * threshold / 2  # nodes on [0, threshold]
    hi_s, hi_w = threshold + (1 - threshold) / 2 * (x + 1), w * (1 - threshold) / 2  # [threshold, 1]
    best, opt = float("inf"), (0, 0)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = float(lo_w @ (1 - (1 - lo_s**rows) ** bands))
            fn = float(hi_w @ (1 - hi_s**rows) ** bands)
            error = fp * fp_weight + fn * fn_weight
            if error < best:
                best, opt = error, (bands, rows)
    return opt


class LshIndex:
    """Keys of MinHash signatures that agree on at least one band of ``rows`` slots.

    ``threshold``: the Jaccard similarity the bands are tuned for (``optimal_bands``);
    ``num_perm``: the signature length. Keys are any hashables, inserted once each.
    """

    def __init__(self, threshold: float, num_perm: int):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"LSH threshold must be in [0, 1], got {threshold}")
        if num_perm < 2:
            raise ValueError("an LSH index needs at least 2 permutations")
        self.num_perm = num_perm
        self.bands, self.rows = optimal_bands(float(threshold), num_perm)
        if self.bands < 2:  # as datasketch: one band would be exact matching, not LSH
            raise ValueError(f"threshold {threshold} leaves fewer than 2 bands of {num_perm} permutations")
        self._tables: list[dict[bytes, set]] = [{} for _ in range(self.bands)]

    def _band_keys(self, signature: np.ndarray) -> list[bytes]:
        if len(signature) != self.num_perm:
            raise ValueError(f"expected a signature of {self.num_perm} slots, got {len(signature)}")
        sig = np.ascontiguousarray(signature, dtype=np.uint32)
        return [sig[i * self.rows:(i + 1) * self.rows].tobytes() for i in range(self.bands)]

    def insert(self, key: Hashable, signature: np.ndarray) -> None:
        """Index *key* under each band of *signature* (uint32, ``num_perm`` slots)."""
        for band, table in zip(self._band_keys(signature), self._tables):
            table.setdefault(band, set()).add(key)

    def query(self, signature: np.ndarray) -> list:
        """The keys sharing at least one band with *signature* (datasketch's order)."""
        found: set = set()
        for band, table in zip(self._band_keys(signature), self._tables):
            for key in table.get(band, ()):  # one by one, as datasketch: set.update may copy
                found.add(key)                # the other set's slot layout and change the order
        return list(found)
