"""Retry policy for provider calls, built on tenacity.

Policy (issue 4 / seed 001): retry only errors marked ``retryable`` (``RateLimitError``,
``ServerError``, ``TransientError``); at most ``MAX_RETRIES`` = 5 retries (6 attempts);
exponential backoff with full jitter — the n-th wait is uniform in
``[0, min(MAX_DELAY_S, BASE_DELAY_S · 2^n)]`` (AWS Architecture Blog, "Exponential Backoff And
Jitter", 2015) — capped at ``MAX_DELAY_S`` = 300 s; a 429's ``retry_after`` is honoured exactly
(also capped). ``AuthError``, ``QuotaError`` and ``BadRequestError`` are raised at once.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from fineflow_desktop.core.progress import Cancelled
from fineflow_desktop.providers.base import ProviderError, RateLimitError

T = TypeVar("T")
MAX_RETRIES = 5
MAX_DELAY_S = 300.0
BASE_DELAY_S = 1.0
_SLICE_S = 0.25  # sleep granularity so a cancel is noticed quickly


def is_retryable(exc: BaseException) -> bool:
    """True for ``ProviderError`` subclasses marked retryable."""
    return isinstance(exc, ProviderError) and exc.retryable


class _Wait:
    """tenacity wait strategy: Retry-After if the server gave one, else full-jitter backoff."""

    def __init__(self, base: float, cap: float):
        self.cap = cap
        self.backoff = wait_random_exponential(multiplier=base, max=cap)

    def __call__(self, rs: RetryCallState) -> float:
        exc = rs.outcome.exception() if rs.outcome else None
        if isinstance(exc, RateLimitError) and exc.retry_after is not None:
            return min(max(exc.retry_after, 0.0), self.cap)
        return self.backoff(rs)


def call_with_retry(
    fn: Callable[[], T],
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[int, BaseException, float], None] | None = None,
    cancel_check: Callable[[], object] | None = None,
    max_retries: int = MAX_RETRIES,
    base_delay_s: float = BASE_DELAY_S,
    max_delay_s: float = MAX_DELAY_S,
) -> T:
    """Call ``fn()`` and retry it per the policy above; return its value or raise its last error.

    ``on_retry(attempt, error, delay_s)`` is called before each wait (attempt = 1 for the first
    failure). ``cancel_check()`` is called before every attempt and during waits; it may raise
    (e.g. ``TaskState.check`` raises ``Cancelled``) or return true, which raises ``Cancelled``.
    The raised error gets an ``attempts`` attribute (number of calls made).
    """

    def check() -> None:
        if cancel_check is not None and cancel_check():
            raise Cancelled()

    def wait(seconds: float) -> None:
        if sleep is time.sleep and cancel_check is not None:
            end = time.monotonic() + seconds
            while (left := end - time.monotonic()) > 0:
                check()
                time.sleep(min(left, _SLICE_S))
        else:
            sleep(seconds)
        check()

    def before_sleep(rs: RetryCallState) -> None:
        if on_retry is not None:
            on_retry(rs.attempt_number, rs.outcome.exception(), rs.upcoming_sleep)

    retrying = Retrying(
        stop=stop_after_attempt(max_retries + 1),
        wait=_Wait(base_delay_s, max_delay_s),
        retry=retry_if_exception(is_retryable),
        sleep=wait,
        before_sleep=before_sleep,
        reraise=True,
    )
    attempts = 0

    def attempt() -> T:
        nonlocal attempts
        check()
        attempts += 1
        return fn()

    try:
        return retrying(attempt)
    except ProviderError as exc:
        exc.attempts = attempts
        raise
