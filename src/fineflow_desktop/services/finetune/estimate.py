"""Wizard step 3 / ``fineflow jobs estimate``: tokens, epochs, billed tokens, cost and budget.

``prepare`` is shared with the launch: it resolves the dataset and credential, makes the split,
writes the files the provider will get, counts their tokens and prices them — so the estimate
shown is computed from exactly the bytes that are uploaded.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from fineflow_desktop.core import model_limits
from fineflow_desktop.core.finetune import budget as guard
from fineflow_desktop.core.finetune.cost import billed_tokens, cost_usd, price_for, resolve_epochs
from fineflow_desktop.core.finetune.tokens import training_tokens
from fineflow_desktop.core.jsonl_io import iter_jsonl
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.finetuning.registry import training_format
from fineflow_desktop.services import datasets as ds_service
from fineflow_desktop.services.finetune.budget import get_budget
from fineflow_desktop.services.finetune.catalog import price_table
from fineflow_desktop.services.finetune.connect import credential_info
from fineflow_desktop.services.finetune.files import write_split
from fineflow_desktop.services.finetune.split import resolve_dataset, split_dataset
from fineflow_desktop.services.finetune.types import JobEstimate, JobSpec, LaunchRefused


@dataclass
class Prepared:
    """Everything a launch needs that does not touch the provider."""

    provider: str
    base_url: str
    dataset_id: int
    dataset_name: str
    fmt: str
    files: dict  # {"train": Path, "validation": Path|None, "counts", "skipped"}
    estimate: JobEstimate


def check_spec(spec: JobSpec) -> None:
    """Refuse malformed hyperparameters early (``LaunchRefused("input")``, message names the field)."""
    if spec.method not in ("supervised", "dpo"):
        raise LaunchRefused("input", f"method: {spec.method!r} must be 'supervised' or 'dpo'")
    for name in ("batch_size",):
        v = getattr(spec, name)
        if v != "auto" and (isinstance(v, bool) or not str(v).isdigit() or int(v) < 1):
            raise LaunchRefused("input", f"{name}: {v!r} must be a whole number of at least 1 or 'auto'")
    v = spec.learning_rate_multiplier
    if v != "auto":
        try:
            if float(v) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            raise LaunchRefused("input", f"learning_rate_multiplier: {v!r} must be a number above 0 or 'auto'") from None
    if spec.suffix is not None and not 1 <= len(spec.suffix) <= 64:
        raise LaunchRefused("input", "suffix: must be 1 to 64 characters (OpenAI's limit)")


def prepare(ws, spec: JobSpec, folder: Path, state: TaskState | None = None) -> Prepared:
    """Resolve, split, write the files into *folder*, count and price them; no provider call.
    Raises ``LaunchRefused`` (``input``/``credential``) with the field named."""
    state = state or TaskState()
    check_spec(spec)
    info = credential_info(ws, spec.credential)
    try:
        fmt = training_format(info.provider, spec.method)
    except ValueError as exc:
        raise LaunchRefused("input", str(exc)) from None
    did, name, _target = resolve_dataset(ws, spec.dataset)
    try:
        plan = spec.split or split_dataset(ws, did, spec.validation_split, spec.split_seed, spec.validated_only)
    except ValueError as exc:
        raise LaunchRefused("input", str(exc)) from None
    if not plan.train_pair_ids:
        raise LaunchRefused("input", f"dataset: {name!r} has no pairs to train on")
    files = write_split(ws, plan, fmt, folder, state)
    if files["counts"]["train"] == 0:
        first = files["skipped"][0] if files["skipped"] else {}
        raise LaunchRefused("input", f"dataset: none of the {len(plan.train_pair_ids)} training pairs of {name!r} can be "
                                     f"written in the {fmt} format"
                                     + (f" (pair {first['pair_id']}: {first['reason']})" if first else ""))
    limit = model_limits.lookup(ds_service.token_limits(ws), spec.model, model_limits.TOKEN_LIMITS["gpt-4o-mini"])
    counted = training_tokens((rec for _line, rec in iter_jsonl(files["train"])), limit)
    try:
        epochs = resolve_epochs(spec.epochs, counted.examples)
    except ValueError as exc:
        raise LaunchRefused("input", str(exc)) from None
    billed = billed_tokens(counted.tokens, epochs)
    table = price_table(ws)
    price = price_for(table["prices"], info.provider, spec.model)
    cost = cost_usd(billed, price)
    budget = get_budget(ws)
    decision = guard.check(cost, budget.limit, budget.spent_this_month, budget.mode)
    warnings = []
    if price is None:
        warnings.append(f"no training price for {info.provider} {spec.model} in the price table; cost unknown "
                        f"(add one in Settings → Fine-tuning prices)")
    if decision.over:
        warnings.append(decision.message)
    if files["skipped"]:
        warnings.append(f"{len(files['skipped'])} pair(s) cannot be written in the {fmt} format and are left out")
    if counted.capped:
        warnings.append(f"{counted.capped} example(s) exceed the {limit:,}-token limit of {spec.model} and will be truncated")
    est = JobEstimate(examples=files["counts"]["train"], validation_examples=files["counts"]["validation"],
                      training_tokens=counted.tokens, epochs=epochs, billed_tokens=billed, price_per_million=price,
                      price_as_of=table["as_of"], cost_usd=cost, budget=budget, allowed=decision.allowed,
                      warnings=warnings, provider=info.provider, model=spec.model)
    return Prepared(info.provider, info.base_url, did, name, fmt, files, est)


def estimate_job(ws, spec: JobSpec, *, state: TaskState | None = None, ask_provider: bool = False) -> JobEstimate:
    """Estimate *spec*: examples after the split, training tokens (cookbook count, each example
    capped at the model limit), epochs (``"auto"`` → ``core.finetune.cost.auto_epochs``),
    billed tokens = training tokens × epochs, cost = billed / 1M × price (price table), and the
    budget check. With *ask_provider* and a provider that has an estimate API (Together
    ``estimate-price``), the provider's figure is added (this uploads the file; failures only add
    a warning). Raises ``LaunchRefused`` (``"input"``/``"credential"``) for an unknown dataset/credential."""
    with tempfile.TemporaryDirectory(prefix="fineflow-estimate-") as tmp:
        prep = prepare(ws, spec, Path(tmp), state)
        est = prep.estimate
        if ask_provider:
            est.provider_estimate = provider_estimate(ws, spec, prep)
            if est.provider_estimate and est.provider_estimate.get("error"):
                est.warnings.append(f"the provider's own estimate failed: {est.provider_estimate['error']}")
    return est


def provider_estimate(ws, spec: JobSpec, prep: Prepared) -> dict | None:
    """The provider's own cost estimate where its API has one (Together ``estimate-price``), else ``None``.
    Errors come back as ``{"error": message}`` (the estimate is advisory)."""
    from fineflow_desktop.providers.base import ProviderError
    from fineflow_desktop.providers.finetuning.base import JobRequest
    from fineflow_desktop.services.finetune.connect import open_provider

    adapter, _info = open_provider(ws, spec.credential)
    try:
        fn = getattr(adapter, "estimate_price", None)
        if fn is None:
            return None
        fid = adapter.upload_file(prep.files["train"])
        return fn(JobRequest(model=spec.model, training_file=fid, validation_file=None, method=spec.method,
                             epochs=prep.estimate.epochs, batch_size=spec.batch_size,
                             extra={"resolved_epochs": prep.estimate.epochs}))
    except ProviderError as exc:
        return {"error": str(exc)}
    finally:
        adapter.close()
