"""Cookbook auto-epoch rule, billed tokens and training cost from a dated, editable price table.

Auto epochs (OpenAI cookbook "Data preparation and analysis for chat model fine-tuning",
issue 11 quotes it): 3 epochs; if n × 3 < 100 then min(25, 100 // n); if n × 3 > 25,000 then
max(1, 25,000 // n). Integer division: 15 examples → 6 epochs (not 7).

Prices: ``data/prices.json`` ships ``{"as_of": date, "prices": {provider: {model: USD per 1M
training tokens}}}``; a workspace overlays its own (``services.finetune.catalog``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


def auto_epochs(n_examples: int) -> int:
    """Epochs for ``"auto"`` with *n_examples* training examples (0 for none); see module doc."""
    if n_examples <= 0:
        return 0
    if n_examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n_examples)
    if n_examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n_examples)
    return TARGET_EPOCHS


def resolve_epochs(epochs: int | str | None, n_examples: int) -> int:
    """A given epoch count as is, or ``auto_epochs`` for ``"auto"``/``None``.
    Raises ``ValueError("epochs: …")`` for anything else (not a positive integer)."""
    if epochs is None or epochs == "auto":
        return auto_epochs(n_examples)
    if isinstance(epochs, int) and not isinstance(epochs, bool):
        value = epochs
    elif isinstance(epochs, str) and epochs.strip().isdigit():
        value = int(epochs)
    else:
        raise ValueError(f"epochs: {epochs!r} is not a whole number or 'auto'")
    if value < 1:
        raise ValueError(f"epochs: {value} must be at least 1")
    return value


def billed_tokens(training_tokens: int, epochs: int) -> int:
    """Tokens billed for training: one pass's tokens × epochs (OpenAI pricing rule)."""
    return int(training_tokens) * int(epochs)


def cost_usd(billed: int, price_per_million: float | None) -> float | None:
    """USD for *billed* tokens at *price_per_million* (``None`` without a price), rounded to 6
    decimals (not cents: a small job must not count as $0.00 against the budget)."""
    if price_per_million is None:
        return None
    return round(billed / 1_000_000 * float(price_per_million), 6)


@lru_cache(maxsize=1)
def shipped_prices() -> dict:
    """The shipped price table (``core/finetune/data/prices.json``), parsed once."""
    text = resources.files("fineflow_desktop.core.finetune").joinpath("data/prices.json").read_text("utf-8")
    return json.loads(text)


def price_for(table: dict, provider: str, model: str) -> float | None:
    """USD per 1M training tokens of *model* at *provider* in *table* (``{provider: {model: price}}``);
    a dated snapshot or fine-tuned name matches its base by longest prefix
    (``gpt-4o-mini-2024-07-18`` → ``gpt-4o-mini``); ``None`` if absent."""
    prices = table.get(provider) or {}
    if model in prices:
        return prices[model]
    for key in sorted(prices, key=len, reverse=True):
        if model.startswith(key):
            return prices[key]
    return None
