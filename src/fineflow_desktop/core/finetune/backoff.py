"""Delay before the next poll: the normal interval, or exponential backoff with full jitter after
errors, never shorter than the server's ``Retry-After`` (AWS Architecture Blog, "Exponential
Backoff And Jitter", 2015: full jitter)."""

from __future__ import annotations

import random

DEFAULT_INTERVAL_S = 30.0  # issue 11: every 30 s by default
VISIBLE_INTERVAL_S = 5.0  # issue 11: every 5 s while the monitor is visible
BASE_S = 2.0
CAP_S = 300.0


def next_delay(interval_s: float, failures_in_a_row: int, retry_after_s: float | None = None,
               rng: random.Random | None = None) -> float:
    """Seconds to wait: *interval_s* without failures; else ``uniform(0, min(CAP, BASE × 2^k))``
    but at least *interval_s*'s fifth and at least *retry_after_s*."""
    if failures_in_a_row <= 0:
        delay = interval_s
    else:
        r = rng or random
        ceiling = min(CAP_S, BASE_S * (2 ** min(failures_in_a_row, 16)))
        delay = max(interval_s / 5, r.uniform(0, ceiling))
    if retry_after_s:
        delay = max(delay, float(retry_after_s))
    return delay
