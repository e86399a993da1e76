"""Wizard step 1: dataset summary, reproducible validation split, train/validation leakage check."""

from __future__ import annotations

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.finetune.types import DatasetSummary, LeakagePair, SplitPlan


def dataset_summary(ws, dataset: int | str, model: str | None = None, *, state: TaskState | None = None) -> DatasetSummary:
    """Pairs, tokens (total/min/mean/max) and validation errors of *dataset* for *model*
    (default: the dataset's target model). Raises ``LaunchRefused("input", …)`` for an unknown dataset."""
    raise NotImplementedError


def split_dataset(ws, dataset: int | str, validation_fraction: float | None, seed: int = 0,
                  validated_only: bool = False) -> SplitPlan:
    """Split the dataset's pairs: pairs are grouped by source document (no document on both sides),
    groups shuffled with ``random.Random(seed)``, taken into validation until ``fraction`` of the
    pairs (the exporter's rule, ``services.export``). ``None``/0 → everything trains.
    Raises ``ValueError`` for a fraction outside [0, 1)."""
    raise NotImplementedError


def find_leakage(ws, plan: SplitPlan, threshold: float = 0.8, *, state: TaskState | None = None) -> list[LeakagePair]:
    """Near-duplicate pairs across the split (MinHash, ``core.neardup.find_pairs`` on the user +
    assistant text), each with its similarity; empty when nothing leaks."""
    raise NotImplementedError


def move_pairs(plan: SplitPlan, leaks: list[LeakagePair], to: str = "train") -> SplitPlan:
    """A new plan with the leaking pairs moved to one side (``"train"`` or ``"validation"``)."""
    raise NotImplementedError
