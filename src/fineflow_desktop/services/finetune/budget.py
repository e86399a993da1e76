"""Monthly training budget (limit + warn|block) and this month's spend (issue 11, budget guard)."""

from __future__ import annotations

from fineflow_desktop.services.finetune.types import BudgetStatus


def get_budget(ws) -> BudgetStatus:
    """This month's budget: limit (``None`` if unset), spend, remaining, mode (default ``warn``)."""
    raise NotImplementedError


def set_budget(ws, monthly_usd: float | None, mode: str = "warn") -> BudgetStatus:
    """Set the monthly limit in USD (``None`` removes it) and the mode ``warn`` or ``block``.

    Raises ``ValueError`` (message starts with the field) for a negative limit or another mode.
    """
    raise NotImplementedError


def month_summary(ws) -> dict:
    """The monitor's summary line: ``{"month", "jobs", "completed", "failed", "success_rate"
    (0–1 over finished jobs, ``None`` if none), "spent_this_month", "limit", "remaining", "mode"}``."""
    raise NotImplementedError
