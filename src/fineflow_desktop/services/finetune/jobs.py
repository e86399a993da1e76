"""Reading stored jobs: list, show, events, metrics, transitions, checkpoints, metrics CSV."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from sqlalchemy import select

from fineflow_desktop.core.finetune import states
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.services.finetune.connect import open_provider
from fineflow_desktop.services.finetune.store_ops import load_row, to_record
from fineflow_desktop.services.finetune.types import (
    Checkpoint,
    FineTuneError,
    JobEvent,
    JobRecord,
    MetricPoint,
    StateTransition,
)
from fineflow_desktop.store.models_finetune import FineTuneEvent, FineTuneJob, FineTuneMetric, FineTuneTransition

FILTERS = ("all", "active", "finished", "failed")
CSV_COLUMNS = ("step", "train_loss", "valid_loss", "train_mean_token_accuracy", "valid_mean_token_accuracy", "full_valid_loss")


def list_jobs(ws, status_filter: str = "all") -> list[JobRecord]:
    """Jobs, newest first. *status_filter*: ``all``, ``active`` (not terminal), ``finished``
    (completed), ``failed`` (failed or cancelled). ``ValueError`` for another filter."""
    if status_filter not in FILTERS:
        raise ValueError(f"filter: {status_filter!r} is not one of {', '.join(FILTERS)}")
    q = select(FineTuneJob)
    if status_filter == "active":
        q = q.where(FineTuneJob.status.not_in(tuple(states.TERMINAL)))
    elif status_filter == "finished":
        q = q.where(FineTuneJob.status == states.COMPLETED)
    elif status_filter == "failed":
        q = q.where(FineTuneJob.status.in_((states.FAILED, states.CANCELLED)))
    with ws.session() as s:
        return [to_record(r) for r in s.scalars(q.order_by(FineTuneJob.id.desc()))]


def get_job(ws, job: int | str) -> JobRecord:
    """A job by local id (int or digits) or provider job id; ``JobNotFound`` if none."""
    with ws.session() as s:
        return to_record(load_row(s, job))


def _job_id(ws, job: int | str) -> int:
    if isinstance(job, int):
        return job
    with ws.session() as s:
        return load_row(s, job).id


def job_events(ws, job: int | str, *, after_id: int = 0, level: str | None = None, search: str | None = None,
               limit: int | None = None) -> list[JobEvent]:
    """Stored events, oldest first, with local id > *after_id* (incremental reads for the monitor);
    *level* filters (``info``/``warning``/``error``; ``warn`` matches ``warning``), *search* is a
    case-insensitive substring of the message."""
    jid = _job_id(ws, job)
    q = select(FineTuneEvent).where(FineTuneEvent.job_id == jid, FineTuneEvent.id > after_id)
    if level:
        levels = {"warning": ("warning", "warn", "Warning"), "warn": ("warning", "warn", "Warning"),
                  "error": ("error", "Error"), "info": ("info", "Info", "")}.get(level, (level,))
        q = q.where(FineTuneEvent.level.in_(levels))
    if search:
        q = q.where(FineTuneEvent.message.ilike(f"%{search}%"))
    q = q.order_by(FineTuneEvent.created_at, FineTuneEvent.id)
    if limit:
        q = q.limit(limit)
    with ws.session() as s:
        return [JobEvent(e.id, e.job_id, e.provider_event_id, e.created_at, e.level, e.type, e.message, e.data)
                for e in s.scalars(q)]


def job_metrics(ws, job: int | str, *, after_step: int | None = None) -> list[MetricPoint]:
    """Stored metrics, by step ascending (steps > *after_step* when given: incremental curve updates)."""
    jid = _job_id(ws, job)
    m = FineTuneMetric
    # Columns, not ORM objects: 3× faster for the thousands of rows of a long run (bench_compare_runs).
    q = select(m.step, m.train_loss, m.valid_loss, m.train_mean_token_accuracy, m.valid_mean_token_accuracy,
               m.full_valid_loss, m.full_valid_mean_token_accuracy, m.epoch, m.learning_rate).where(m.job_id == jid)
    if after_step is not None:
        q = q.where(m.step > after_step)
    with ws.session() as s:
        return [MetricPoint(*row) for row in s.execute(q.order_by(m.step))]


def job_transitions(ws, job: int | str) -> list[StateTransition]:
    """Every stored state change of the job, oldest first, with its time."""
    jid = _job_id(ws, job)
    with ws.session() as s:
        return [StateTransition(t.job_id, t.from_status, t.to_status, t.provider_status, t.at)
                for t in s.scalars(select(FineTuneTransition).where(FineTuneTransition.job_id == jid)
                                   .order_by(FineTuneTransition.id))]


def job_checkpoints(ws, job: int | str) -> list[Checkpoint]:
    """The provider's checkpoints of the job (asked live; ``FineTuneError`` on provider errors;
    empty before the provider has the job)."""
    rec = get_job(ws, job)
    if not rec.provider_job_id:
        return []
    adapter, _info = open_provider(ws, rec.credential)
    try:
        return [Checkpoint(c.step, c.model, c.created_at, dict(c.metrics)) for c in adapter.checkpoints(rec.provider_job_id)]
    except ProviderError as exc:
        raise FineTuneError(f"checkpoints of job {rec.id}: {exc}") from None
    finally:
        adapter.close()


def metrics_csv(ws, job: int | str, path: str | Path) -> int:
    """Write the job's metrics as CSV (``step,train_loss,valid_loss,train_mean_token_accuracy,
    valid_mean_token_accuracy,full_valid_loss``) atomically; returns the number of rows."""
    points = job_metrics(ws, job)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(CSV_COLUMNS)
            for p in points:
                d = p.to_dict()
                w.writerow(["" if d[c] is None else d[c] for c in CSV_COLUMNS])
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(points)
