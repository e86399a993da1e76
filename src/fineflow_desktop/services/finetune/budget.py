"""Monthly training budget (limit + warn|block) and this month's spend (issue 11, budget guard).

The settings row ``finetune.budget`` holds ``{"limit": USD or null, "mode": "warn"|"block"}``.
Spend of a month (UTC calendar month of ``created_at``): completed jobs count their actual cost
(else the estimate); live jobs count their estimate (the money is committed); failed and
cancelled jobs count their actual cost when the provider reported one, else nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from fineflow_desktop.core.finetune import budget as guard
from fineflow_desktop.core.finetune.states import CANCELLED, COMPLETED, FAILED
from fineflow_desktop.store.models import Setting, utcnow
from fineflow_desktop.store.models_finetune import FineTuneJob
from fineflow_desktop.services.finetune.types import BudgetStatus

SETTING_KEY = "finetune.budget"


def month_start(now: datetime | None = None) -> datetime:
    """First instant of the UTC month of *now*."""
    now = now or utcnow()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def job_spend(status: str, estimate: float | None, actual: float | None) -> float:
    """What one job counts against the budget (see module doc)."""
    if status in (FAILED, CANCELLED):
        return actual or 0.0
    if status == COMPLETED:
        return actual if actual is not None else (estimate or 0.0)
    return estimate or 0.0


def spent_this_month(ws, now: datetime | None = None) -> float:
    """USD counted against this month's budget."""
    with ws.session() as s:
        rows = s.execute(select(FineTuneJob.status, FineTuneJob.cost_estimate_usd, FineTuneJob.cost_actual_usd)
                         .where(FineTuneJob.created_at >= month_start(now))).all()
    return round(sum(job_spend(st, est, act) for st, est, act in rows), 6)


def _settings(ws) -> dict:
    with ws.session() as s:
        row = s.get(Setting, SETTING_KEY)
        return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def get_budget(ws) -> BudgetStatus:
    """This month's budget: limit (``None`` if unset), spend, remaining, mode (default ``warn``)."""
    cfg = _settings(ws)
    limit = cfg.get("limit")
    limit = float(limit) if limit is not None else None
    spent = spent_this_month(ws)
    return BudgetStatus(limit=limit, spent_this_month=spent, remaining=guard.remaining(limit, spent),
                        mode=cfg.get("mode") or "warn", month=month_start().strftime("%Y-%m"))


def set_budget(ws, monthly_usd: float | None, mode: str = "warn") -> BudgetStatus:
    """Set the monthly limit in USD (``None`` removes it) and the mode ``warn`` or ``block``.

    Raises ``ValueError`` (message starts with the field) for a negative limit or another mode.
    """
    if mode not in guard.MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(guard.MODES)}")
    if monthly_usd is not None:
        monthly_usd = float(monthly_usd)
        if monthly_usd < 0 or monthly_usd != monthly_usd:
            raise ValueError(f"monthly_usd: {monthly_usd} must be a positive amount in USD")
    with ws.session() as s:
        s.merge(Setting(key=SETTING_KEY, value={"limit": monthly_usd, "mode": mode}))
    return get_budget(ws)


def month_summary(ws) -> dict:
    """The monitor's summary line: ``{"month", "jobs", "completed", "failed", "success_rate"
    (0–1 over finished jobs, ``None`` if none), "spent_this_month", "limit", "remaining", "mode"}``."""
    with ws.session() as s:
        statuses = list(s.scalars(select(FineTuneJob.status).where(FineTuneJob.created_at >= month_start())))
    done = sum(1 for st in statuses if st == COMPLETED)
    failed = sum(1 for st in statuses if st in (FAILED, CANCELLED))
    b = get_budget(ws)
    return {"month": b.month, "jobs": len(statuses), "completed": done, "failed": failed,
            "success_rate": round(done / (done + failed), 4) if done + failed else None,
            "spent_this_month": b.spent_this_month, "limit": b.limit, "remaining": b.remaining, "mode": b.mode}
