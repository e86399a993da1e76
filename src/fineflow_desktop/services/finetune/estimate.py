"""Wizard step 3 / ``fineflow jobs estimate``: tokens, epochs, billed tokens, cost and budget."""

from __future__ import annotations

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.finetune.types import JobEstimate, JobSpec


def estimate_job(ws, spec: JobSpec, *, state: TaskState | None = None, ask_provider: bool = False) -> JobEstimate:
    """Estimate *spec*: examples after the split, training tokens (cookbook count, each example
    capped at the model limit), epochs (``"auto"`` → ``core.finetune.epochs.auto_epochs``),
    billed tokens = training tokens × epochs, cost = billed / 1M × price (price table), and the
    budget check. With *ask_provider* and a provider that has an estimate API (Together
    ``estimate-price``), the provider's figure is added (this uploads the file; failures only add
    a warning). Raises ``LaunchRefused`` (``"input"``) for an unknown dataset/credential."""
    raise NotImplementedError
