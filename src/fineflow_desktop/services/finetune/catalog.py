"""Per-provider data the wizard renders: base models, hyperparameter schema, prices, notices."""

from __future__ import annotations

from fineflow_desktop.services.finetune.types import BaseModel, HyperparameterSpec


def base_models(provider: str, ws=None) -> list[BaseModel]:
    """Tunable base models of *provider* (``openai``, ``together``, ``fireworks``) from the
    shipped data file, overlaid with the workspace's edits when *ws* is given.
    Raises ``ValueError`` for an unknown provider."""
    raise NotImplementedError


def hyperparameter_schema(provider: str, method: str = "supervised") -> list[HyperparameterSpec]:
    """Names, ranges, defaults and ``"auto"`` support of *provider*'s hyperparameters for *method*."""
    raise NotImplementedError


def price_table(ws=None) -> dict:
    """``{"as_of": "YYYY-MM-DD", "prices": {provider: {model: usd_per_1M_training_tokens}}}``:
    the shipped table (``core/finetune/data/prices.json``) overlaid with workspace overrides."""
    raise NotImplementedError


def set_price(ws, provider: str, model: str, usd_per_million: float | None, as_of: str | None = None) -> None:
    """Override (or with ``None`` remove the override of) one model's training price in this workspace."""
    raise NotImplementedError


def provider_notice(provider: str) -> str | None:
    """A one-time notice the wizard shows for *provider* (OpenAI: self-serve fine-tuning closing to
    new users, no new jobs after 2027-01-06, as reported), else ``None``."""
    raise NotImplementedError
