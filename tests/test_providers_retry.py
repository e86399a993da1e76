"""providers/retry.py: full-jitter backoff, cap, Retry-After, retry limit, cancellation."""

import random

import pytest

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.providers.base import AuthError, BadRequestError, RateLimitError, ServerError, TransientError
from fineflow_desktop.providers.openai_provider import OpenAIProvider
from fineflow_desktop.providers.retry import MAX_DELAY_S, MAX_RETRIES, call_with_retry


class Flaky:
    def __init__(self, errors, value="ok"):
        self.errors, self.value, self.calls = list(errors), value, 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return self.value


def test_retries_retryable_errors_then_succeeds():
    sleeps, retries = [], []
    fn = Flaky([ServerError("500"), TransientError("timeout"), RateLimitError("429")])
    assert call_with_retry(fn, sleep=sleeps.append, on_retry=lambda n, e, d: retries.append((n, type(e).__name__))) == "ok"
    assert fn.calls == 4 and len(sleeps) == 3
    assert retries == [(1, "ServerError"), (2, "TransientError"), (3, "RateLimitError")]


def test_at_most_five_retries_then_the_last_error():
    sleeps = []
    fn = Flaky([ServerError(f"e{i}") for i in range(10)])
    with pytest.raises(ServerError, match="e5") as e:
        call_with_retry(fn, sleep=sleeps.append)
    assert fn.calls == MAX_RETRIES + 1 == 6 and len(sleeps) == 5
    assert e.value.attempts == 6


@pytest.mark.parametrize("exc", [AuthError("401"), BadRequestError("400"), ValueError("bug")])
def test_non_retryable_errors_raise_at_once(exc):
    sleeps = []
    fn = Flaky([exc])
    with pytest.raises(type(exc)):
        call_with_retry(fn, sleep=sleeps.append)
    assert fn.calls == 1 and sleeps == []


def test_full_jitter_exponential_within_bounds_and_capped():
    random.seed(1)
    for attempt_cap in range(200):
        sleeps = []
        fn = Flaky([ServerError("x")] * 5)
        call_with_retry(fn, sleep=sleeps.append, base_delay_s=1.0)
        for n, s in enumerate(sleeps, start=1):
            assert 0 <= s <= min(MAX_DELAY_S, 2 ** n)  # tenacity: multiplier * 2**attempt
    big = []
    call_with_retry(Flaky([ServerError("x")] * 5), sleep=big.append, base_delay_s=1000.0)
    assert all(s <= MAX_DELAY_S for s in big)
    # jitter really spreads: not all equal
    spread = []
    for _ in range(30):
        s = []
        call_with_retry(Flaky([ServerError("x")]), sleep=s.append, base_delay_s=8.0)
        spread.append(s[0])
    assert len(set(spread)) > 20


def test_retry_after_is_honoured_and_capped():
    sleeps = []
    call_with_retry(Flaky([RateLimitError("429", retry_after=42.0), RateLimitError("429", retry_after=9999)]), sleep=sleeps.append)
    assert sleeps == [42.0, MAX_DELAY_S]


def test_cancel_check_stops_before_next_attempt():
    state = TaskState()
    fn = Flaky([ServerError("x")] * 3)
    def sleep(_s):
        state.cancel()
    with pytest.raises(Cancelled):
        call_with_retry(fn, sleep=sleep, cancel_check=state.check)
    assert fn.calls == 1


def test_cancel_interrupts_a_real_sleep_quickly():
    import threading
    import time
    state = TaskState()
    threading.Timer(0.2, state.cancel).start()
    t = time.monotonic()
    with pytest.raises(Cancelled):
        call_with_retry(Flaky([RateLimitError("429", retry_after=60)]), cancel_check=state.check)
    assert time.monotonic() - t < 5  # not 60 s


def test_against_fake_429_with_retry_after_then_success(openai_fake):
    openai_fake.retry_after_s = 2
    openai_fake.fail_next("429", 2)
    p = OpenAIProvider(OPENAI_TEST_KEY, openai_fake.base_url)
    sleeps = []
    r = call_with_retry(lambda: p.chat([{"role": "user", "content": "hi"}], "gpt-4o-mini"), sleep=sleeps.append)
    assert r.text and sleeps == [2.0, 2.0]
    assert [e.status for e in openai_fake.requests_to("/chat/completions")] == [429, 429, 200]
