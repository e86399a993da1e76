"""The workspace's FAISS index file: exact inner-product search up to 200k vectors, HNSW above.

* ``IndexIDMap2(IndexFlatIP)`` over L2-normalised float32 vectors: exact cosine search, about
  13 ms per query at 100k x 256 on this machine (issue 3), ``remove_ids`` supported.
* Above ``FLAT_LIMIT`` vectors: ``IndexIDMap2(IndexHNSWFlat(M=32, inner product))``. HNSW
  cannot delete, so removed ids become tombstones that search skips; once they exceed
  ``REBUILD_FRACTION`` of the index the live vectors are copied into a fresh index.
* ``save`` writes with ``faiss.write_index`` to a temporary file and renames it over the old
  one, so a crash leaves the previous index intact. What the ids mean, and which embedder made
  the vectors, live in SQLite (``EmbeddedItem``, ``VectorIndexState``); ``reconcile`` brings a
  loaded file back in line with those rows after a crash.
* FAISS runs single-threaded (``omp_set_num_threads(1)``): the GUI shares two cores with it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from fineflow_desktop.core.lazy import lazy_module

faiss = lazy_module("faiss")  # ~1 s with its BLAS: loaded on first use, not to paint the window

INDEX_FILE = "vectors.faiss"
FLAT_LIMIT = 200_000
REBUILD_FRACTION = 0.10
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96


class VectorIndexError(RuntimeError):
    """The index file is unreadable or vectors have the wrong shape."""


def _new_index(dim: int, kind: str) -> faiss.IndexIDMap2:
    faiss.omp_set_num_threads(1)  # the GUI shares two cores with FAISS (module docstring)
    if kind == "flat":
        base = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        base = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        base.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        raise ValueError(f"unknown index kind {kind!r} (flat or hnsw)")
    return faiss.IndexIDMap2(base)


class VectorIndex:
    """One FAISS index with integer ids (the ``EmbeddedItem`` ids). Thread-safe.

    ``flat_limit`` is the size above which the index switches to HNSW (tests lower it).
    """

    def __init__(self, path: Path, dim: int, kind: str = "flat", flat_limit: int = FLAT_LIMIT):
        self.path = Path(path)
        self.dim = int(dim)
        self.kind = kind
        self.flat_limit = flat_limit
        self.tombstones: set[int] = set()
        self._index = _new_index(self.dim, kind)
        self._lock = threading.RLock()

    # --- persistence -------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path, flat_limit: int = FLAT_LIMIT) -> "VectorIndex":
        """Read an index written by ``save``. Raises ``VectorIndexError`` if unreadable."""
        path = Path(path)
        faiss.omp_set_num_threads(1)
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise VectorIndexError(f"cannot read vector index {path}: {exc}") from exc
        if not isinstance(index, faiss.IndexIDMap2):
            index = faiss.downcast_index(index)
        if not isinstance(index, faiss.IndexIDMap2):
            raise VectorIndexError(f"{path} is not an id-mapped FAISS index")
        inner = faiss.downcast_index(index.index)
        kind = "hnsw" if isinstance(inner, faiss.IndexHNSW) else "flat"
        if kind == "hnsw":
            inner.hnsw.efSearch = HNSW_EF_SEARCH
        self = cls(path, index.d, kind, flat_limit)
        self._index = index
        return self

    def save(self) -> None:
        """Write atomically: temp file in the same folder, fsync, rename over the old file."""
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            faiss.write_index(self._index, str(tmp))
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)

    # --- contents ----------------------------------------------------------------------
    @property
    def ntotal(self) -> int:
        """Vectors stored, tombstones included."""
        return int(self._index.ntotal)

    @property
    def n_live(self) -> int:
        return self.ntotal - len(self.tombstones)

    def ids(self) -> np.ndarray:
        """All stored ids (int64), tombstones included, in storage order."""
        with self._lock:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """``(ids, vectors)`` of the live entries: int64 ``(n,)`` and float32 ``(n, dim)``."""
        with self._lock:
            ids = self.ids()
            inner = faiss.downcast_index(self._index.index)
            storage = inner if self.kind == "flat" else faiss.downcast_index(inner.storage)
            vecs = faiss.vector_to_array(storage.codes).view(np.float32).reshape(-1, self.dim).copy()
        if self.tombstones:
            keep = ~np.isin(ids, np.fromiter(self.tombstones, dtype=np.int64))
            ids, vecs = ids[keep], vecs[keep]
        return ids, vecs

    def vectors_of(self, ids: Sequence[int]) -> np.ndarray:
        """The stored vectors of *ids*, float32 ``(len(ids), dim)``; a row of zeros for an id
        that is not stored (or is a tombstone)."""
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        with self._lock:
            for row, i in enumerate(ids):
                if int(i) in self.tombstones:
                    continue
                try:
                    out[row] = self._index.reconstruct(int(i))
                except RuntimeError:  # FAISS: "key not found"
                    pass
        return out

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        """Add vectors (``(n, dim)``, L2-normalised) under *ids*. Switches to HNSW when the
        live count passes ``flat_limit``. Raises ``VectorIndexError`` on a shape mismatch."""
        ids = np.ascontiguousarray(np.fromiter(ids, dtype=np.int64))
        vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[1] != self.dim or len(vecs) != len(ids):
            raise VectorIndexError(f"expected {len(ids)} vectors of dim {self.dim}, got shape {vecs.shape}")
        if not len(ids):
            return
        with self._lock:
            self.tombstones.difference_update(ids.tolist())
            self._index.add_with_ids(vecs, ids)
            if self.kind == "flat" and self.n_live > self.flat_limit:
                self.rebuild()

    def remove(self, ids: Iterable[int]) -> int:
        """Remove *ids* (unknown ids ignored); returns how many were present.

        Flat: removed at once. HNSW: tombstoned, and rebuilt when tombstones pass 10%.
        """
        ids = np.fromiter(ids, dtype=np.int64)
        if not len(ids):
            return 0
        with self._lock:
            present = ids[np.isin(ids, self.ids())]
            if self.kind == "flat":
                return int(self._index.remove_ids(faiss.IDSelectorBatch(present)))
            before = len(self.tombstones)
            self.tombstones.update(present.tolist())
            removed = len(self.tombstones) - before
            if len(self.tombstones) > REBUILD_FRACTION * max(self.ntotal, 1):
                self.rebuild()
            return removed

    def rebuild(self) -> None:
        """Copy the live vectors into a fresh index of the right kind (drops tombstones)."""
        with self._lock:
            ids, vecs = self.vectors()
            kind = "hnsw" if len(ids) > self.flat_limit else "flat"
            index = _new_index(self.dim, kind)
            if len(ids):
                index.add_with_ids(vecs, ids)
            self._index, self.kind, self.tombstones = index, kind, set()

    def reconcile(self, live_ids: Iterable[int]) -> tuple[set[int], set[int]]:
        """Make the index hold exactly *live_ids* where it can.

        Returns ``(stale, missing)``: ids that were in the index but not live (now removed or
        tombstoned) and live ids the index lacks (the caller re-embeds them).
        """
        live = set(int(i) for i in live_ids)
        with self._lock:
            stored = set(self.ids().tolist()) - self.tombstones
            stale, missing = stored - live, live - stored
            if stale:
                self.remove(stale)
        return stale, missing

    # --- search ------------------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """k-NN by inner product: ``(scores, ids)`` each ``(n, k)``; id -1 marks an empty slot.

        Tombstoned ids never appear (the search over-fetches to fill *k*).
        """
        q = np.ascontiguousarray(queries, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if q.shape[1] != self.dim:
            raise VectorIndexError(f"query has dim {q.shape[1]}, index has dim {self.dim}")
        n = len(q)
        out_s = np.full((n, k), -np.inf, dtype=np.float32)
        out_i = np.full((n, k), -1, dtype=np.int64)
        with self._lock:
            if self.ntotal == 0 or k <= 0:
                return out_s, out_i
            fetch = min(self.ntotal, k + len(self.tombstones)) if self.tombstones else min(self.ntotal, k)
            scores, ids = self._index.search(q, fetch)
        if not self.tombstones:
            out_s[:, : scores.shape[1]] = scores
            out_i[:, : ids.shape[1]] = ids
            return out_s, out_i
        dead = np.fromiter(self.tombstones, dtype=np.int64)
        for row in range(n):
            keep = (ids[row] >= 0) & ~np.isin(ids[row], dead)
            s, i = scores[row][keep][:k], ids[row][keep][:k]
            out_s[row, : len(s)], out_i[row, : len(i)] = s, i
        return out_s, out_i
