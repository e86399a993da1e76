"""Usage records of every provider call, a dated editable price table, totals per day and model.

Cost (USD) = input_tokens × input price + output_tokens × output price, prices per million
tokens, times ``batch_discount`` for Batch API calls. The price used is the row for the model
with the latest ``effective_date`` on or before the call date; a model without a price gets
``cost_usd = None`` (shown as "unpriced", never guessed).

``DEFAULT_PRICES`` seeds a new workspace's table once. They are the providers' public list
prices (standard tier, per 1M tokens) as published on openai.com/api/pricing and
claude.com/pricing and known to us on ``SEED_DATE``; prices change, so the table is editable
in Settings → Usage and users should check it against the providers' pages.
"""

from __future__ import annotations

import threading

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from fineflow_desktop.store.models import Setting
from fineflow_desktop.store.models_providers import ModelPrice, UsageRecord

SEED_DATE = date(2025, 10, 15)
SEED_SOURCE = f"list price seeded by FineFlow, as published on {SEED_DATE.isoformat()}; edit if it changed"
# (provider, model, input $/1M, output $/1M)
DEFAULT_PRICES: list[tuple[str, str, float, float]] = [
    ("openai", "gpt-5", 1.25, 10.00),
    ("openai", "gpt-5-mini", 0.25, 2.00),
    ("openai", "gpt-5-nano", 0.05, 0.40),
    ("openai", "gpt-4.1", 2.00, 8.00),
    ("openai", "gpt-4.1-mini", 0.40, 1.60),
    ("openai", "gpt-4.1-nano", 0.10, 0.40),
    ("openai", "gpt-4o", 2.50, 10.00),
    ("openai", "gpt-4o-mini", 0.15, 0.60),
    ("openai", "o3", 2.00, 8.00),
    ("openai", "o4-mini", 1.10, 4.40),
    ("anthropic", "claude-opus-4-1", 15.00, 75.00),
    ("anthropic", "claude-opus-4", 15.00, 75.00),
    ("anthropic", "claude-sonnet-4-5", 3.00, 15.00),
    ("anthropic", "claude-sonnet-4", 3.00, 15.00),
    ("anthropic", "claude-haiku-4-5", 1.00, 5.00),
    ("anthropic", "claude-3-5-haiku", 0.80, 4.00),
]
_SEEDED_SETTING = "providers.prices_seeded"


@dataclass(frozen=True)
class Price:
    """One price row as plain values (USD per million tokens)."""

    id: int
    provider: str
    model: str
    input_per_mtok: float
    output_per_mtok: float
    batch_discount: float
    effective_date: date
    source: str


_SEED_LOCK = threading.Lock()  # concurrent first calls (e.g. a model comparison's workers) seed once


def seed_prices(ws) -> int:
    """Insert ``DEFAULT_PRICES`` once per workspace (rows the user deleted stay deleted)."""
    with _SEED_LOCK, ws.session() as s:
        if s.get(Setting, _SEEDED_SETTING) is not None:
            return 0
        for provider, model, pin, pout in DEFAULT_PRICES:
            s.add(ModelPrice(provider=provider, model=model, input_per_mtok=pin, output_per_mtok=pout,
                             batch_discount=0.5, effective_date=SEED_DATE, source=SEED_SOURCE))
        s.add(Setting(key=_SEEDED_SETTING, value=SEED_DATE.isoformat()))
        return len(DEFAULT_PRICES)


def list_prices(ws) -> list[Price]:
    """All price rows, by provider, model, newest date first."""
    seed_prices(ws)
    with ws.session() as s:
        rows = s.scalars(select(ModelPrice).order_by(ModelPrice.provider, ModelPrice.model, ModelPrice.effective_date.desc()))
        return [Price(r.id, r.provider, r.model, r.input_per_mtok, r.output_per_mtok, r.batch_discount, r.effective_date, r.source) for r in rows]


def set_price(ws, provider: str, model: str, input_per_mtok: float, output_per_mtok: float, *,
              effective_date: date | None = None, batch_discount: float = 0.5, source: str = "edited by user") -> None:
    """Add or replace the price of *model* from *effective_date* (default today).

    Raises ``ValueError`` naming the field for negative prices or a discount outside 0–1.
    """
    if input_per_mtok < 0 or output_per_mtok < 0:
        raise ValueError("price: input and output prices must not be negative")
    if not 0 <= batch_discount <= 1:
        raise ValueError("batch_discount: must be between 0 and 1")
    if not model.strip():
        raise ValueError("model: must not be empty")
    seed_prices(ws)
    eff = effective_date or date.today()
    with ws.session() as s:
        row = s.scalar(select(ModelPrice).where(ModelPrice.provider == provider, ModelPrice.model == model, ModelPrice.effective_date == eff))
        if row is None:
            row = ModelPrice(provider=provider, model=model.strip(), effective_date=eff)
            s.add(row)
        row.input_per_mtok, row.output_per_mtok = float(input_per_mtok), float(output_per_mtok)
        row.batch_discount, row.source = float(batch_discount), source


def delete_price(ws, price_id: int) -> None:
    """Remove one price row."""
    with ws.session() as s:
        row = s.get(ModelPrice, price_id)
        if row is not None:
            s.delete(row)


def price_for(ws, provider: str, model: str, on: date | None = None) -> Price | None:
    """The price in force for *model* on *on* (default today).

    Exact model id first; otherwise the longest priced id that *model* starts with, so a dated
    snapshot like ``gpt-4o-mini-2024-07-18`` uses ``gpt-4o-mini``.
    """
    seed_prices(ws)
    on = on or date.today()
    with ws.session() as s:
        rows = s.scalars(
            select(ModelPrice).where(ModelPrice.provider == provider, ModelPrice.effective_date <= on)
            .order_by(ModelPrice.effective_date.desc())
        ).all()
    best = None
    for r in rows:
        if r.model == model or model.startswith(r.model + "-"):
            if best is None or len(r.model) > len(best.model) or (len(r.model) == len(best.model) and r.effective_date > best.effective_date):
                best = r
    if best is None:
        return None
    return Price(best.id, best.provider, best.model, best.input_per_mtok, best.output_per_mtok, best.batch_discount, best.effective_date, best.source)


def cost_usd(price: Price | None, input_tokens: int, output_tokens: int, *, batch: bool = False) -> float | None:
    """Cost in USD of one call, or ``None`` without a price."""
    if price is None:
        return None
    c = (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1_000_000
    return c * price.batch_discount if batch else c


def record_call(
    ws,
    *,
    provider: str,
    model: str,
    credential_id: int | None,
    input_tokens: int = 0,
    output_tokens: int = 0,
    latency_ms: float = 0.0,
    ok: bool = True,
    error_kind: str = "",
    purpose: str = "chat",
    batch: bool = False,
    run_id: int | None = None,
) -> float | None:
    """Store one usage record and bump the credential's counters; returns the cost (USD or None)."""
    from fineflow_desktop.providers.credentials import record_use

    cost = cost_usd(price_for(ws, provider, model), input_tokens, output_tokens, batch=batch) if ok else None
    with ws.session() as s:
        s.add(UsageRecord(
            provider=provider, model=model, credential_id=credential_id, input_tokens=int(input_tokens),
            output_tokens=int(output_tokens), latency_ms=float(latency_ms), cost_usd=cost, ok=ok,
            error_kind=error_kind, purpose=purpose, batch=batch, run_id=run_id,
        ))
    if credential_id is not None:
        record_use(ws, credential_id, ok=ok, input_tokens=input_tokens, output_tokens=output_tokens, cost_usd=cost)
    return cost


@dataclass(frozen=True)
class UsageTotal:
    """Totals of one group (a day ``YYYY-MM-DD`` or a ``provider/model``)."""

    key: str
    calls: int
    errors: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    unpriced_calls: int
    avg_latency_ms: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _totals(ws, key_expr, since: datetime | None) -> list[UsageTotal]:
    with ws.session() as s:
        q = select(
            key_expr.label("k"),
            func.count(),
            func.sum(func.iif(UsageRecord.ok, 0, 1)),
            func.coalesce(func.sum(UsageRecord.input_tokens), 0),
            func.coalesce(func.sum(UsageRecord.output_tokens), 0),
            func.coalesce(func.sum(UsageRecord.cost_usd), 0.0),
            func.sum(func.iif(UsageRecord.ok & UsageRecord.cost_usd.is_(None), 1, 0)),
            func.coalesce(func.avg(UsageRecord.latency_ms), 0.0),
        ).group_by("k").order_by("k")
        if since is not None:
            q = q.where(UsageRecord.created_at >= since)
        return [UsageTotal(str(k), int(n), int(e or 0), int(i), int(o), float(c), int(u or 0), float(l)) for k, n, e, i, o, c, u, l in s.execute(q)]


def totals_per_day(ws, days: int | None = 30) -> list[UsageTotal]:
    """Totals per UTC day (``YYYY-MM-DD``) over the last *days* days (``None`` = all), oldest first."""
    since = datetime.utcnow() - timedelta(days=days) if days else None
    return _totals(ws, func.strftime("%Y-%m-%d", UsageRecord.created_at), since)


def totals_per_model_id(ws, days: int | None = None) -> dict[str, UsageTotal]:
    """Totals per model id over every provider and credential (all time by default): the
    catalog's usage column (a fine-tuned model may be reached through several credentials)."""
    since = datetime.utcnow() - timedelta(days=days) if days else None
    return {t.key: t for t in _totals(ws, UsageRecord.model, since)}


def totals_per_model(ws, days: int | None = None) -> list[UsageTotal]:
    """Totals per ``provider/model`` (all time by default), sorted by key."""
    since = datetime.utcnow() - timedelta(days=days) if days else None
    return _totals(ws, UsageRecord.provider + "/" + UsageRecord.model, since)
