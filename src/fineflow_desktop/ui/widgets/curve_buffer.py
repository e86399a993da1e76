"""A growing, preallocated (x, y) buffer for live curves (Qt-free, numpy only).

Appending never reallocates per point: the arrays grow by doubling, so adding one metric point
is amortised O(1) and a redraw hands pyqtgraph views (no copies) of the filled part. The
pattern is the architecture guide's "Live charts" one (growing preallocated buffer).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

INITIAL_CAPACITY = 1024


class CurveBuffer:
    """Points of one curve in arrival order. ``x``/``y`` are read-only views of the filled part.

    Steps are expected to arrive ascending (the store returns metrics by step); a point whose
    x is not greater than the last one is ignored, so re-reading an overlapping range never
    draws a point twice.
    """

    def __init__(self, capacity: int = INITIAL_CAPACITY):
        self._x = np.empty(max(1, capacity), dtype=np.float64)
        self._y = np.empty(max(1, capacity), dtype=np.float64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    @property
    def x(self) -> np.ndarray:
        return self._x[: self._n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self._n]

    @property
    def capacity(self) -> int:
        return len(self._x)

    @property
    def last_x(self) -> float | None:
        return float(self._x[self._n - 1]) if self._n else None

    def _reserve(self, extra: int) -> None:
        need = self._n + extra
        if need <= len(self._x):
            return
        cap = len(self._x)
        while cap < need:
            cap *= 2
        for name in ("_x", "_y"):
            old = getattr(self, name)
            new = np.empty(cap, dtype=np.float64)
            new[: self._n] = old[: self._n]
            setattr(self, name, new)

    def extend(self, xs: Iterable[float], ys: Iterable[float]) -> int:
        """Append points (ascending x; ``None``/NaN y values are skipped); returns how many were added."""
        xa = np.asarray(list(xs) if not isinstance(xs, np.ndarray) else xs, dtype=np.float64)
        ya = np.asarray([np.nan if v is None else v for v in ys] if not isinstance(ys, np.ndarray) else ys,
                        dtype=np.float64)
        keep = np.isfinite(ya)
        if self._n:
            keep &= xa > self._x[self._n - 1]
        xa, ya = xa[keep], ya[keep]
        if len(xa) > 1:
            # a non-ascending run inside one batch: keep the strictly increasing prefix order
            ok = np.concatenate(([True], np.diff(xa) > 0))
            xa, ya = xa[ok], ya[ok]
        k = len(xa)
        if not k:
            return 0
        self._reserve(k)
        self._x[self._n: self._n + k] = xa
        self._y[self._n: self._n + k] = ya
        self._n += k
        return k

    def clear(self) -> None:
        self._n = 0
