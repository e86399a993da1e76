"""Compare runs (issue 12, as H2O LLM Studio's "compare experiments"): two or more jobs — cloud
or local — side by side: their stored curves (train / validation loss, learning rate) and their
configurations (base model, dataset, split, hyperparameters, cost, outcome), with the rows whose
values differ marked.

Reads the store only (plus a local run's ``trainer_state.json`` for the trainer's settings, a
local file), so it is cheap enough for the monitor's main thread with a handful of runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fineflow_desktop.core.finetune import trainer_logs as tl
from fineflow_desktop.providers.finetuning.local_run import LOCAL
from fineflow_desktop.services.finetune.jobs import get_job, job_metrics
from fineflow_desktop.services.finetune.types import JobRecord, MetricPoint

# HF ``TrainerState`` fields worth comparing (FINE-TUNING-APIS.md §4: saved with the state).
STATE_SETTINGS = ("num_train_epochs", "max_steps", "train_batch_size", "logging_steps", "eval_steps", "save_steps")
MIN_RUNS = 2


@dataclass
class ConfigRow:
    """One compared setting: ``key`` (stable, e.g. ``hp.learning_rate``), ``label``, one display
    value per run (``None`` = not reported), ``differs``: the runs that report it disagree, or
    only some report it."""

    key: str
    label: str
    values: list
    differs: bool

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "values": self.values, "differs": self.differs}


@dataclass
class RunsComparison:
    """``jobs`` in the order asked, ``rows`` (``ConfigRow``), ``metrics[job_id]`` = stored points."""

    jobs: list[JobRecord]
    rows: list[ConfigRow]
    metrics: dict[int, list[MetricPoint]] = field(default_factory=dict)

    @property
    def differing(self) -> list[str]:
        """Keys of the rows whose values differ."""
        return [r.key for r in self.rows if r.differs]

    def to_dict(self) -> dict:
        return {"jobs": [j.id for j in self.jobs], "rows": [r.to_dict() for r in self.rows],
                "differing": self.differing,
                "metrics": {str(k): [p.curve_dict() for p in v] for k, v in self.metrics.items()}}


def run_label(job: JobRecord) -> str:
    """Short legend name of a run: ``#id name-or-model``."""
    name = job.suffix if job.provider == LOCAL and job.suffix else job.model or job.provider
    return f"#{job.id} {name}"


def _split(job: JobRecord) -> str | None:
    if job.examples is None:
        return None
    val = job.validation_examples or 0
    total = job.examples + val
    return f"{job.examples} / {val} ({val / total:.0%} held out)" if total else None


def _cost(job: JobRecord) -> str | None:
    if job.cost_actual_usd is not None:
        return f"${job.cost_actual_usd:.2f}"
    if job.cost_estimate_usd is not None:
        return f"≈ ${job.cost_estimate_usd:.2f} (estimate)"
    return "$0 (own GPU)" if job.provider == LOCAL else None


def _duration(job: JobRecord) -> str | None:
    if job.finished_at is None or job.created_at is None:
        return None
    secs = int((job.finished_at - job.created_at).total_seconds())
    return f"{secs // 3600}:{secs % 3600 // 60:02d}:{secs % 60:02d}"


def _fmt(v) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def local_settings(job: JobRecord) -> dict:
    """A local run's trainer settings from its ``trainer_state.json`` (``STATE_SETTINGS``); empty
    for cloud jobs or while no state file parses."""
    if job.provider != LOCAL or not job.provider_job_id:
        return {}
    path, _final = tl.latest_state_file(Path(job.provider_job_id))
    state = tl.read_trainer_state(path) if path is not None else None
    return {k: state[k] for k in STATE_SETTINGS if state and state.get(k) is not None}


def _outcome(points: list[MetricPoint]) -> dict:
    train = [p for p in points if p.train_loss is not None]
    valid = [p for p in points if p.valid_loss is not None]
    best = min(valid, key=lambda p: p.valid_loss) if valid else None
    lrs = [p.learning_rate for p in points if p.learning_rate is not None]
    return {"final_train": f"{train[-1].train_loss:.4f} (step {train[-1].step})" if train else None,
            "best_valid": f"{best.valid_loss:.4f} (step {best.step})" if best else None,
            "peak_lr": f"{max(lrs):.3g}" if lrs else None,
            "steps": str(max(p.step for p in points)) if points else None}


def compare_runs(ws, job_ids: list[int | str]) -> RunsComparison:
    """Configurations and curves of two or more jobs (local ids or provider job ids).

    Raises ``ValueError`` (``jobs: …``) for fewer than two distinct jobs and ``JobNotFound`` for
    an unknown one. Hyperparameters are the union over the runs (``hp.<name>``); a local run adds
    its trainer's settings (``trainer.<name>``)."""
    jobs: list[JobRecord] = []
    for ref in job_ids:
        job = get_job(ws, ref)
        if job.id not in {j.id for j in jobs}:
            jobs.append(job)
    if len(jobs) < MIN_RUNS:
        raise ValueError(f"jobs: compare needs at least {MIN_RUNS} different jobs, got {len(jobs)}")
    metrics = {j.id: job_metrics(ws, j.id) for j in jobs}
    outcomes = [_outcome(metrics[j.id]) for j in jobs]
    settings = [local_settings(j) for j in jobs]
    fixed: list[tuple[str, str, list]] = [
        ("provider", "Provider", [j.provider for j in jobs]),
        ("status", "Status", [j.status for j in jobs]),
        ("base_model", "Base model", [j.model or None for j in jobs]),
        ("method", "Method", [j.method for j in jobs]),
        ("dataset", "Dataset", [j.dataset_name for j in jobs]),
        ("split", "Train / validation examples", [_split(j) for j in jobs]),
        ("trained_tokens", "Trained tokens", [j.trained_tokens for j in jobs]),
        ("cost", "Cost", [_cost(j) for j in jobs]),
        ("duration", "Duration (h:mm:ss)", [_duration(j) for j in jobs]),
        ("steps", "Steps logged (last)", [o["steps"] for o in outcomes]),
        ("final_train", "Final train loss", [o["final_train"] for o in outcomes]),
        ("best_valid", "Best validation loss", [o["best_valid"] for o in outcomes]),
        ("peak_lr", "Peak learning rate", [o["peak_lr"] for o in outcomes]),
    ]
    hp_keys = sorted({k for j in jobs for k in j.hyperparameters})
    fixed += [(f"hp.{k}", k, [j.hyperparameters.get(k) for j in jobs]) for k in hp_keys]
    st_keys = [k for k in STATE_SETTINGS if any(k in s for s in settings)]
    fixed += [(f"trainer.{k}", f"{k} (trainer)", [s.get(k) for s in settings]) for k in st_keys]
    rows = []
    for key, label, raw in fixed:
        values = [_fmt(v) for v in raw]
        # outcomes (loss, steps, duration) always differ a little; mark the settings that differ
        differs = len(set(values)) > 1 and key not in ("status", "final_train", "best_valid", "duration", "steps")
        rows.append(ConfigRow(key, label, values, differs))
    return RunsComparison(jobs, rows, metrics)
