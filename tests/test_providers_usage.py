"""providers/usage.py: dated editable prices, cost, records from metered calls, totals."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers import usage
from fineflow_desktop.providers.base import RateLimitError
from fineflow_desktop.providers.registry import provider_for_credential
from fineflow_desktop.store.models_providers import UsageRecord


def test_seeded_prices_and_cost(workspace):
    prices = usage.list_prices(workspace)
    assert len(prices) == len(usage.DEFAULT_PRICES)
    p = usage.price_for(workspace, "openai", "gpt-4o-mini")
    assert (p.input_per_mtok, p.output_per_mtok, p.effective_date) == (0.15, 0.60, usage.SEED_DATE)
    assert usage.cost_usd(p, 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert usage.cost_usd(p, 1_000_000, 1_000_000, batch=True) == pytest.approx(0.375)
    # dated snapshot ids use the base model's price; longest prefix wins
    assert usage.price_for(workspace, "openai", "gpt-4o-mini-2024-07-18").model == "gpt-4o-mini"
    assert usage.price_for(workspace, "openai", "gpt-4o-2024-08-06").model == "gpt-4o"
    assert usage.price_for(workspace, "openai", "mystery-model") is None
    assert usage.cost_usd(None, 10, 10) is None


def test_edited_price_applies_from_its_date(workspace):
    today = date.today()
    usage.set_price(workspace, "openai", "gpt-4o-mini", 1.0, 2.0, effective_date=today)
    assert usage.price_for(workspace, "openai", "gpt-4o-mini").input_per_mtok == 1.0
    assert usage.price_for(workspace, "openai", "gpt-4o-mini", on=today - timedelta(days=1)).input_per_mtok == 0.15
    with pytest.raises(ValueError, match="^price:"):
        usage.set_price(workspace, "openai", "x", -1, 0)
    row = next(p for p in usage.list_prices(workspace) if p.model == "gpt-4o-mini" and p.effective_date == today)
    usage.delete_price(workspace, row.id)
    assert usage.price_for(workspace, "openai", "gpt-4o-mini").input_per_mtok == 0.15
    # seeding happens once: deleted seed rows stay deleted
    seed_row = next(p for p in usage.list_prices(workspace) if p.model == "gpt-4o")
    usage.delete_price(workspace, seed_row.id)
    assert usage.seed_prices(workspace) == 0
    assert all(p.model != "gpt-4o" for p in usage.list_prices(workspace))


def test_metered_provider_records_every_call(workspace, openai_fake):
    c = creds.create_credential(workspace, "main", "openai", base_url=openai_fake.base_url, model="gpt-4o-mini", api_key=OPENAI_TEST_KEY)
    p = provider_for_credential(workspace, c.id)
    r1 = p.chat([{"role": "user", "content": "hello there"}])
    openai_fake.fail_next("429")
    with pytest.raises(RateLimitError):
        p.chat([{"role": "user", "content": "again"}])
    c = creds.get_credential(workspace, c.id)
    assert (c.n_calls, c.n_errors, c.input_tokens, c.output_tokens) == (2, 1, r1.input_tokens, r1.output_tokens)
    expected = (r1.input_tokens * 0.15 + r1.output_tokens * 0.60) / 1e6
    assert c.cost_usd == pytest.approx(expected)
    [model_total] = usage.totals_per_model(workspace)
    assert model_total.key == "openai/gpt-4o-mini" and model_total.calls == 2 and model_total.errors == 1
    assert model_total.cost_usd == pytest.approx(expected)


def test_totals_per_day_and_unpriced(workspace):
    usage.record_call(workspace, provider="openai", model="gpt-4o-mini", credential_id=None, input_tokens=1000, output_tokens=500)
    usage.record_call(workspace, provider="compatible", model="llama3", credential_id=None, input_tokens=10, output_tokens=5)
    old = usage.record_call(workspace, provider="openai", model="gpt-4o", credential_id=None, input_tokens=100, output_tokens=100)
    with workspace.session() as s:  # move the last record two days back
        s.execute(update(UsageRecord).where(UsageRecord.model == "gpt-4o").values(created_at=datetime.utcnow() - timedelta(days=2)))
    days = usage.totals_per_day(workspace)
    assert [d.calls for d in days] == [1, 2]
    today = days[-1]
    assert today.unpriced_calls == 1 and today.input_tokens == 1010
    assert today.cost_usd == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1e6)
    models = {t.key: t for t in usage.totals_per_model(workspace)}
    assert set(models) == {"openai/gpt-4o-mini", "openai/gpt-4o", "compatible/llama3"}
    assert models["openai/gpt-4o"].cost_usd == pytest.approx(old)
    assert usage.totals_per_day(workspace, days=1)[-1].calls == 2
