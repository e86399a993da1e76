"""Shared bench helpers: make ``src`` importable, read peak RSS, time a block."""

from __future__ import annotations

import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REAL = ROOT.parent / "shared" / "data" / "real"
PYDOC = Path("/usr/share/doc/python3.11/html/_sources")


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(results: dict, key: str):
    """Store the wall time of the block in ``results[key]`` (seconds)."""
    t0 = time.perf_counter()
    yield
    results[key] = time.perf_counter() - t0
