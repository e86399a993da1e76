"""Per-provider data the wizard renders: base models, hyperparameter schema, prices, notices.

Base models and prices are shipped data (``core/finetune/data/*.json``) overlaid with the
workspace's edits (settings ``finetune.base_models`` = ``{provider: [{id, label, methods}]}``
and ``finetune.prices`` = ``{"as_of", "prices": {provider: {model: price}}}``).
Hyperparameter ranges: OpenAI from openai-openapi.yaml (``FineTuneSupervisedHyperparameters``,
``FineTuneDPOHyperparameters``); Together from its spec defaults and the v1 SDK's checks
(FINE-TUNING-APIS.md §1: the spec declares no min/max); Fireworks: types only (ranges NOT FOUND).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from fineflow_desktop.core.finetune.cost import shipped_prices
from fineflow_desktop.providers.finetuning.registry import FT_PROVIDERS
from fineflow_desktop.store.models import Setting
from fineflow_desktop.services.finetune.types import BaseModel, HyperparameterSpec

PRICES_KEY = "finetune.prices"
MODELS_KEY = "finetune.base_models"
OPENAI_NOTICE = ("OpenAI is closing self-serve fine-tuning to new users (reported: no new jobs after "
                 "2027-01-06). Accounts that already fine-tune keep working; FineFlow keeps the integration for them.")

_OPENAI_SPEC = "openai-openapi.yaml FineTune*Hyperparameters"
_TOGETHER_SRC = "together-openapi.yaml POST /fine-tunes defaults; together v1 SDK checks"
SCHEMAS: dict[str, list[HyperparameterSpec]] = {
    "openai": [
        HyperparameterSpec("epochs", "Epochs", "int", "auto", 1, 50, True, source=_OPENAI_SPEC,
                           help="Passes over the training file; auto uses the cookbook rule (3, more for small files)."),
        HyperparameterSpec("batch_size", "Batch size", "int", "auto", 1, 256, True, source=_OPENAI_SPEC),
        HyperparameterSpec("learning_rate_multiplier", "Learning-rate multiplier", "float", "auto", 0.0, None, True,
                           source=_OPENAI_SPEC, help="Greater than 0."),
        HyperparameterSpec("beta", "DPO beta", "float", "auto", 0.0, 2.0, True, methods=("dpo",), source=_OPENAI_SPEC,
                           help="Greater than 0, at most 2; higher keeps the model closer to the reference."),
    ],
    "together": [
        HyperparameterSpec("epochs", "Epochs", "int", 1, 1, None, True, source=_TOGETHER_SRC,
                           help="n_epochs (default 1); the model's limits cap it (models/limits)."),
        HyperparameterSpec("batch_size", "Batch size", "int", "auto", 1, None, True, source=_TOGETHER_SRC,
                           help="auto sends 'max' (the largest the model allows)."),
        HyperparameterSpec("learning_rate", "Learning rate", "float", 1e-5, 0.0, None, False, source=_TOGETHER_SRC),
        HyperparameterSpec("lora", "LoRA (else full fine-tuning)", "bool", True, None, None, False, source=_TOGETHER_SRC),
        HyperparameterSpec("warmup_ratio", "Warm-up ratio", "float", 0.0, 0.0, 1.0, False, source=_TOGETHER_SRC),
        HyperparameterSpec("n_checkpoints", "Checkpoints", "int", 1, 1, None, False, source=_TOGETHER_SRC),
        HyperparameterSpec("n_evals", "Evaluations", "int", 0, 0, None, False, source=_TOGETHER_SRC),
        HyperparameterSpec("dpo_beta", "DPO beta", "float", 0.1, 0.0, None, False, methods=("dpo",), source=_TOGETHER_SRC),
    ],
    "fireworks": [
        HyperparameterSpec("epochs", "Epochs", "int", "auto", 1, None, True, methods=("supervised",),
                           source="fireworks-ai SDK types (ranges not published)"),
        HyperparameterSpec("learning_rate", "Learning rate", "float", "auto", 0.0, None, True, methods=("supervised",),
                           source="fireworks-ai SDK types (ranges not published)"),
        HyperparameterSpec("lora_rank", "LoRA rank", "int", "auto", 1, None, True, methods=("supervised",),
                           source="fireworks-ai SDK types (ranges not published)"),
        HyperparameterSpec("max_context_length", "Max context length", "int", "auto", 1, None, True, methods=("supervised",),
                           source="fireworks-ai SDK types (ranges not published)"),
    ],
}


def _check_provider(provider: str) -> None:
    if provider not in FT_PROVIDERS:
        raise ValueError(f"provider: {provider!r} is not one of {', '.join(FT_PROVIDERS)}")


@lru_cache(maxsize=1)
def _shipped_models() -> dict:
    text = resources.files("fineflow_desktop.core.finetune").joinpath("data/base_models.json").read_text("utf-8")
    return json.loads(text)


def _setting(ws, key: str) -> dict:
    if ws is None:
        return {}
    with ws.session() as s:
        row = s.get(Setting, key)
        return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def base_models(provider: str, ws=None) -> list[BaseModel]:
    """Tunable base models of *provider* (``openai``, ``together``, ``fireworks``) from the
    shipped data file, overlaid with the workspace's edits when *ws* is given.
    Raises ``ValueError`` for an unknown provider."""
    _check_provider(provider)
    items = list(_shipped_models().get(provider, []))
    extra = _setting(ws, MODELS_KEY).get(provider, [])
    known = {m["id"] for m in items}
    items += [m for m in extra if m.get("id") not in known]
    return [BaseModel(provider, m["id"], m.get("label", ""), tuple(m.get("methods", ("supervised",))), m.get("context_tokens"))
            for m in items]


def hyperparameter_schema(provider: str, method: str = "supervised") -> list[HyperparameterSpec]:
    """Names, ranges, defaults and ``"auto"`` support of *provider*'s hyperparameters for *method*."""
    _check_provider(provider)
    return [h for h in SCHEMAS[provider] if method in h.methods]


def price_table(ws=None) -> dict:
    """``{"as_of": "YYYY-MM-DD", "prices": {provider: {model: usd_per_1M_training_tokens}}}``:
    the shipped table (``core/finetune/data/prices.json``) overlaid with workspace overrides
    (``as_of`` is the override's date when the workspace has any)."""
    shipped = shipped_prices()
    table = {p: dict(m) for p, m in shipped["prices"].items()}
    over = _setting(ws, PRICES_KEY)
    for p, models in (over.get("prices") or {}).items():
        table.setdefault(p, {}).update(models)
    return {"as_of": over.get("as_of") or shipped["as_of"], "prices": table}


def set_price(ws, provider: str, model: str, usd_per_million: float | None, as_of: str | None = None) -> None:
    """Override (or with ``None`` remove the override of) one model's training price in this workspace.
    Raises ``ValueError`` for an unknown provider or a negative price."""
    _check_provider(provider)
    if usd_per_million is not None and float(usd_per_million) < 0:
        raise ValueError(f"price: {usd_per_million} must not be negative")
    from datetime import date

    with ws.session() as s:
        row = s.get(Setting, PRICES_KEY)
        value = dict(row.value) if row is not None and isinstance(row.value, dict) else {}
        prices = {p: dict(m) for p, m in (value.get("prices") or {}).items()}
        if usd_per_million is None:
            prices.get(provider, {}).pop(model, None)
        else:
            prices.setdefault(provider, {})[model] = float(usd_per_million)
        s.merge(Setting(key=PRICES_KEY, value={"as_of": as_of or date.today().isoformat(), "prices": prices}))


def provider_notice(provider: str) -> str | None:
    """A one-time notice the wizard shows for *provider* (OpenAI: self-serve fine-tuning closing to
    new users, no new jobs after 2027-01-06, as reported), else ``None``."""
    return OPENAI_NOTICE if provider == "openai" else None
