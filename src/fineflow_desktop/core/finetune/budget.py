"""Monthly budget guard (requirements: budget guard; issue 11): limit in USD, mode warn|block.

``check`` decides a launch: without a limit or cost everything passes; in ``warn`` mode an
estimate over what is left passes with a warning; in ``block`` mode it is refused. The
numbers are always returned so the caller can show them.
"""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("warn", "block")


@dataclass(frozen=True)
class BudgetDecision:
    """``allowed`` (False only in block mode over budget), ``over`` (estimate > remaining),
    ``message`` (a sentence with the numbers; empty when within budget)."""

    allowed: bool
    over: bool
    message: str


def remaining(limit: float | None, spent: float) -> float | None:
    """What is left this month (may be negative when already over); ``None`` without a limit."""
    return None if limit is None else round(limit - spent, 6)


def check(cost: float | None, limit: float | None, spent: float, mode: str) -> BudgetDecision:
    """Decide a launch costing *cost* USD against *limit* with *spent* already this month."""
    if mode not in MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    if limit is None or cost is None:
        return BudgetDecision(True, False, "")
    left = limit - spent
    if cost <= left + 1e-9:
        return BudgetDecision(True, False, "")
    message = (f"estimated cost ${cost:,.2f} exceeds the ${max(left, 0):,.2f} left of this month's "
               f"${limit:,.2f} budget (spent ${spent:,.2f})")
    return BudgetDecision(mode == "warn", True, message)
