"""Reading stored jobs: list, show, events, metrics, transitions, checkpoints, metrics CSV."""

from __future__ import annotations

from pathlib import Path

from fineflow_desktop.services.finetune.types import Checkpoint, JobEvent, JobRecord, MetricPoint, StateTransition

FILTERS = ("all", "active", "finished", "failed")


def list_jobs(ws, status_filter: str = "all") -> list[JobRecord]:
    """Jobs, newest first. *status_filter*: ``all``, ``active`` (not terminal), ``finished``
    (completed), ``failed`` (failed or cancelled)."""
    raise NotImplementedError


def get_job(ws, job: int | str) -> JobRecord:
    """A job by local id (int or digits) or provider job id; ``JobNotFound`` if none."""
    raise NotImplementedError


def job_events(ws, job: int | str, *, after_id: int = 0, level: str | None = None, search: str | None = None,
               limit: int | None = None) -> list[JobEvent]:
    """Stored events, oldest first, with local id > *after_id* (incremental reads for the monitor);
    *level* filters (``info``/``warning``/``error``), *search* is a case-insensitive substring."""
    raise NotImplementedError


def job_metrics(ws, job: int | str, *, after_step: int | None = None) -> list[MetricPoint]:
    """Stored metrics, by step ascending (steps > *after_step* when given: incremental curve updates)."""
    raise NotImplementedError


def job_transitions(ws, job: int | str) -> list[StateTransition]:
    """Every stored state change of the job, oldest first, with its time."""
    raise NotImplementedError


def job_checkpoints(ws, job: int | str) -> list[Checkpoint]:
    """The provider's checkpoints of the job (asked live; ``FineTuneError`` on provider errors)."""
    raise NotImplementedError


def metrics_csv(ws, job: int | str, path: str | Path) -> int:
    """Write the job's metrics as CSV (``step,train_loss,valid_loss,train_mean_token_accuracy,
    valid_mean_token_accuracy,full_valid_loss``) atomically; returns the number of rows."""
    raise NotImplementedError
