"""Polling: one job, all live jobs (concurrently, with reconcile of interrupted launches), cancel, watch."""

from __future__ import annotations

from typing import Callable

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.finetune.types import JobRecord, PollResult, SyncReport


def poll_job(ws, job: int | str, *, state: TaskState | None = None) -> PollResult:
    """Ask the provider about one job: status (stored with a transition when it changes), new events
    (appended once), new metrics (once per step), trained tokens, model id, error. A 404 marks the
    job ``deleted_at_provider`` (state ``failed``), never raises. Provider/network errors are
    returned in ``PollResult.error`` (with ``retry_after_s`` for 429), not raised."""
    raise NotImplementedError


def sync_jobs(ws, *, state: TaskState | None = None, max_workers: int = 16, failures_in_a_row: int = 0) -> SyncReport:
    """One pass: reconcile interrupted launches (marker lookup before any create), then poll every
    live job concurrently (up to *max_workers* requests in flight). *failures_in_a_row*: the caller's
    count of consecutive failed passes, used for ``next_delay_s`` (exponential backoff + jitter,
    honouring Retry-After)."""
    raise NotImplementedError


def cancel_job(ws, job: int | str) -> JobRecord:
    """Ask the provider to cancel; the job moves to ``cancelled`` (or stays as the provider says
    until the next poll). A launch not yet created at the provider is cancelled locally.
    ``FineTuneError`` on provider errors; a job already terminal is returned unchanged."""
    raise NotImplementedError


def watch_job(ws, job: int | str, *, interval_s: float = 30.0, on_change: Callable[[JobRecord], None] | None = None,
              state: TaskState | None = None) -> JobRecord:
    """Poll *job* until it is terminal, calling *on_change* after each change; returns the final record."""
    raise NotImplementedError
