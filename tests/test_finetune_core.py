"""core.finetune: status table, cookbook auto epochs, cost, budget guard, backoff, hints, tokens."""

import random

import pytest

from fineflow_desktop.core.finetune import backoff, budget, cost, hints, states, tokens
from fineflow_desktop.core.validation import epochs_for


@pytest.mark.parametrize("provider, status, state", [
    ("openai", "validating_files", "validating"), ("openai", "queued", "queued"), ("openai", "running", "training"),
    ("openai", "succeeded", "completed"), ("openai", "failed", "failed"), ("openai", "cancelled", "cancelled"),
    ("openai", "paused", "paused"),
    ("together", "pending", "queued"), ("together", "queued", "queued"), ("together", "running", "training"),
    ("together", "compressing", "training"), ("together", "uploading", "training"),
    ("together", "cancel_requested", "training"), ("together", "cancelled", "cancelled"),
    ("together", "error", "failed"), ("together", "user_error", "failed"), ("together", "completed", "completed"),
    ("fireworks", "JOB_STATE_CREATING", "queued"), ("fireworks", "JOB_STATE_VALIDATING", "validating"),
    ("fireworks", "JOB_STATE_RUNNING", "training"), ("fireworks", "JOB_STATE_COMPLETED", "completed"),
    ("fireworks", "JOB_STATE_FAILED", "failed"), ("fireworks", "JOB_STATE_CANCELLED", "cancelled"),
    ("fireworks", "JOB_STATE_PAUSED", "paused"), ("fireworks", "JOB_STATE_EXPIRED", "failed"),
    ("fireworks", "JOB_STATE_EARLY_STOPPED", "completed"),
])
def test_status_table(provider, status, state):
    assert states.lookup(provider, status) == state
    assert states.map_status(provider, status.upper() if provider == "together" else status) == state  # case-insensitive


def test_every_mapped_state_is_a_fineflow_state():
    for table in states.STATUS_TABLE.values():
        assert set(table.values()) <= set(states.STATES)


def test_unknown_status_keeps_current_state():
    assert states.lookup("openai", "defrosting") is None
    assert states.map_status("openai", "defrosting", current="training") == "training"
    assert states.map_status("together", None, current="queued") == "queued"
    with pytest.raises(ValueError, match="provider"):
        states.lookup("acme", "running")


def test_terminal_and_live():
    assert {s for s in states.STATES if states.is_terminal(s)} == {"completed", "failed", "cancelled"}
    assert states.is_live("paused") and states.is_live("pending") and not states.is_live("completed")


@pytest.mark.parametrize("n, epochs", [
    (0, 0), (1, 25), (3, 25), (4, 25), (5, 20), (10, 10), (15, 6), (12, 8), (33, 3), (34, 3), (100, 3),
    (8333, 3), (8334, 2), (12_500, 2), (12_501, 1), (30_000, 1),
])
def test_cookbook_auto_epochs(n, epochs):
    # 3; if n*3 < 100: min(25, 100 // n); if n*3 > 25,000: max(1, 25,000 // n)
    assert cost.auto_epochs(n) == epochs
    assert epochs_for(n) == epochs  # core.validation uses the same rule (it rounded up before)


def test_resolve_epochs():
    assert cost.resolve_epochs("auto", 15) == 6
    assert cost.resolve_epochs(None, 15) == 6
    assert cost.resolve_epochs(4, 15) == 4
    assert cost.resolve_epochs("7", 15) == 7
    for bad in (0, -1, "x", 2.5, True):
        with pytest.raises(ValueError, match="epochs"):
            cost.resolve_epochs(bad, 15)


def test_billed_tokens_and_cost():
    assert cost.billed_tokens(1234, 6) == 7404
    assert cost.cost_usd(7404, 3.0) == pytest.approx(0.0222, abs=1e-4)
    assert cost.cost_usd(2_000_000, 25.0) == 50.0
    assert cost.cost_usd(100, None) is None


def test_price_table_is_dated_and_matches_snapshots():
    shipped = cost.shipped_prices()
    assert shipped["as_of"] and set(shipped["prices"]) == {"openai", "together", "fireworks"}
    assert cost.price_for(shipped["prices"], "openai", "gpt-4o-mini-2024-07-18") == shipped["prices"]["openai"]["gpt-4o-mini"]
    assert cost.price_for(shipped["prices"], "openai", "davinci-002") is None


def test_budget_guard():
    assert budget.check(5.0, None, 100.0, "block").allowed  # no limit
    assert budget.check(None, 10.0, 0.0, "block").allowed  # unknown cost
    ok = budget.check(5.0, 20.0, 10.0, "block")
    assert ok.allowed and not ok.over
    blocked = budget.check(15.0, 20.0, 10.0, "block")
    assert not blocked.allowed and blocked.over
    assert "$15.00" in blocked.message and "$10.00 left" in blocked.message and "$20.00" in blocked.message
    warned = budget.check(15.0, 20.0, 10.0, "warn")
    assert warned.allowed and warned.over and warned.message
    assert budget.remaining(20.0, 25.5) == -5.5 and budget.remaining(None, 3.0) is None
    with pytest.raises(ValueError, match="mode"):
        budget.check(1.0, 2.0, 0.0, "maybe")


def test_backoff_grows_with_jitter_and_honours_retry_after():
    rng = random.Random(1)
    assert backoff.next_delay(30.0, 0) == 30.0
    assert backoff.next_delay(5.0, 0, retry_after_s=12.0) == 12.0
    delays = [backoff.next_delay(5.0, k, rng=rng) for k in range(1, 12)]
    assert all(1.0 <= d <= backoff.CAP_S for d in delays)
    assert len({round(d, 3) for d in delays}) > 5  # jittered
    assert backoff.next_delay(5.0, 1, retry_after_s=40.0, rng=rng) >= 40.0


def test_hints():
    assert "training file" in hints.hint_for("invalid_training_file", "training_file", "")
    assert hints.hint_for(None, "validation_file", "") == "The problem is in the validation file."
    assert hints.hint_for("zzz", None, "") == ""


def test_training_tokens_of_chat_and_dpo_records():
    chat = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
    dpo = {"input": {"messages": [{"role": "user", "content": "hi"}]},
           "preferred_output": [{"role": "assistant", "content": "hello"}],
           "non_preferred_output": [{"role": "assistant", "content": "go away"}]}
    c = tokens.training_tokens([chat, chat])
    assert c.examples == 2 and c.tokens > 0 and c.capped == 0
    assert tokens.training_tokens([dpo]).tokens > tokens.training_tokens([chat]).tokens
    capped = tokens.training_tokens([chat], limit=3)
    assert capped.tokens == 3 and capped.capped == 1
