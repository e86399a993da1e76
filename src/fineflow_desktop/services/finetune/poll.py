"""Polling: one job, all live jobs (concurrently, with reconcile of interrupted launches), cancel, watch.

One pass (``sync_jobs``): rows whose launch was interrupted are reconciled first (marker lookup
before any create, ``launch.reconcile_launch``); then every live job is fetched **concurrently**
(job, new events since the last stored event id, metrics) in a thread pool, and the results are
written by the calling thread, one short transaction per job, with ``INSERT … ON CONFLICT DO
NOTHING`` for events and metrics — network time overlaps, store writes stay serial (SQLite has
one writer). A failing job (429, 5xx, timeout, refused connection) leaves its row untouched and
sets ``next_delay_s`` by backoff with jitter, honouring Retry-After.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import select

from fineflow_desktop.core.finetune import backoff, states
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.base import ProviderError, RateLimitError
from fineflow_desktop.providers.finetuning.base import FineTuneNotFound, RemoteJob
from fineflow_desktop.services.finetune.connect import open_provider
from fineflow_desktop.services.finetune.launch import LaunchesOf, launch_in_progress, reconcile_launch
from fineflow_desktop.services.finetune.remote import apply_remote
from fineflow_desktop.services.finetune.store_ops import add_events, add_metrics, event_key, load_row, set_status, to_record
from fineflow_desktop.services.finetune.types import (
    FineTuneError,
    JobRecord,
    LaunchRefused,
    PollResult,
    SyncReport,
)
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_finetune import FineTuneJob

DEFAULT_WORKERS = 16


@dataclass
class Fetched:
    """What one job's network round trip brought back (no store access in worker threads)."""

    job_id: int
    remote: RemoteJob | None = None
    events: list = field(default_factory=list)
    metrics: list = field(default_factory=list)
    not_found: bool = False
    error: str | None = None
    retry_after_s: float | None = None


def fetch(adapter, job_id: int, provider_job_id: str, last_event_id: str | None) -> Fetched:
    """Network part of one poll (runs in a worker thread)."""
    out = Fetched(job_id)
    try:
        out.remote = adapter.retrieve_job(provider_job_id)
        out.events = adapter.events(provider_job_id, after=last_event_id)
        out.metrics = adapter.metrics(provider_job_id, out.remote)
    except FineTuneNotFound:
        out.not_found = True
    except RateLimitError as exc:
        out.error, out.retry_after_s = str(exc), exc.retry_after
    except ProviderError as exc:
        out.error = str(exc)
    return out


def store_fetched(ws, f: Fetched) -> PollResult:
    """Write one job's fetched data (calling thread; one transaction)."""
    with ws.session() as s:
        return store_in_session(s, f)


def store_many(ws, fetched: list[Fetched]) -> list[PollResult]:
    """Write a whole pass in one transaction (one commit instead of one per job)."""
    with ws.session() as s:
        return [store_in_session(s, f) for f in fetched]


def store_in_session(s, f: Fetched) -> PollResult:
    """Apply one job's fetched data inside session *s*."""
    row = s.get(FineTuneJob, f.job_id)
    if f.error:
        return PollResult(to_record(row), error=f.error, retry_after_s=f.retry_after_s)
    if f.not_found:
        changed = not row.deleted_at_provider
        row.deleted_at_provider = True
        if row.status not in states.TERMINAL:
            row.error_code = "deleted_at_provider"
            row.error_message = f"{row.provider} answers 404 for job {row.provider_job_id}: it no longer exists there"
            set_status(s, row, states.FAILED)
        return PollResult(to_record(row), changed=changed)
    changed = apply_remote(s, row, f.remote)
    conn = s.connection()
    event_rows, points = [], list(f.metrics)
    for e in f.events:
        event_rows.append({"provider_event_id": event_key(e.id, e.type, e.created_at, e.message),
                           "created_at": e.created_at, "level": e.level, "type": e.type, "message": e.message,
                           "data": e.data})
        if e.metrics:
            points.append(e.metrics)
    new_events = add_events(conn, row.id, event_rows)
    new_metrics = add_metrics(conn, row.id, points)
    if f.events and f.events[-1].id:
        row.last_event_id = str(f.events[-1].id)
    if points:
        last = max(points, key=lambda p: p["step"])
        total = next((e.data.get("total_steps") for e in reversed(f.events) if e.data and e.data.get("total_steps")), None)
        prog = dict(row.progress or {})
        prog["step"] = max(int(last["step"]), int(prog.get("step") or 0))
        if total:
            prog["total_steps"] = int(total)
        if prog.get("total_steps"):
            prog["percent"] = round(100.0 * prog["step"] / prog["total_steps"], 1)
        row.progress = prog
    if new_events or new_metrics:
        row.updated_at = utcnow()
    return PollResult(to_record(row), changed=changed, new_events=new_events, new_metrics=new_metrics)

def poll_job(ws, job: int | str, *, state: TaskState | None = None) -> PollResult:
    """Ask the provider about one job: status (stored with a transition when it changes), new events
    (appended once), new metrics (once per step), trained tokens, model id, error. A 404 marks the
    job ``deleted_at_provider`` (state ``failed``), never raises. Provider/network errors are
    returned in ``PollResult.error`` (with ``retry_after_s`` for 429), not raised."""
    with ws.session() as s:
        row = load_row(s, job)
        job_id, pid, cred, last = row.id, row.provider_job_id, row.credential_name, row.last_event_id
        stage = row.launch_stage
        rec = to_record(row)
    if state is not None:
        state.check()
    try:
        adapter, _info = open_provider(ws, cred)
    except LaunchRefused as exc:
        return PollResult(rec, error=str(exc))
    try:
        if stage != "created" or not pid:
            with ws.session() as s:
                busy = launch_in_progress(s.get(FineTuneJob, job_id))
            if busy or rec.terminal:
                return PollResult(rec)
            try:
                rec = reconcile_launch(ws, job_id, adapter)
            except ProviderError as exc:
                return PollResult(rec, error=str(exc))
            if not rec.provider_job_id:
                return PollResult(rec, changed=True)
            pid, last = rec.provider_job_id, None
        return store_fetched(ws, fetch(adapter, job_id, pid, last))
    finally:
        adapter.close()


def _live_rows(ws) -> list[tuple]:
    with ws.session() as s:
        q = select(FineTuneJob.id, FineTuneJob.credential_name, FineTuneJob.provider_job_id, FineTuneJob.last_event_id,
                   FineTuneJob.launch_stage, FineTuneJob.status).where(FineTuneJob.status.not_in(tuple(states.TERMINAL)))
        return list(s.execute(q.order_by(FineTuneJob.id)).all())


def sync_jobs(ws, *, state: TaskState | None = None, max_workers: int = DEFAULT_WORKERS, failures_in_a_row: int = 0,
              interval_s: float = backoff.DEFAULT_INTERVAL_S, launches: LaunchesOf | None = None) -> SyncReport:
    """One pass: reconcile interrupted launches (marker lookup before any create), then poll every
    live job concurrently (up to *max_workers* requests in flight). *failures_in_a_row*: the caller's
    count of consecutive failed passes, used for ``next_delay_s`` (*interval_s* when all went well,
    else exponential backoff + jitter, never below a Retry-After). *launches*: the launches the
    process that asked for this pass is running (the app's poll process; ``launch_in_progress``)."""
    state = state or TaskState()
    t0 = time.perf_counter()
    report = SyncReport()
    rows = _live_rows(ws)
    adapters: dict[str, object] = {}
    cred_errors: dict[str, str] = {}

    def adapter_for(cred: str):
        if cred not in adapters and cred not in cred_errors:
            try:
                adapters[cred] = open_provider(ws, cred)[0]
            except LaunchRefused as exc:
                cred_errors[cred] = str(exc)
        return adapters.get(cred)

    try:
        to_poll = []
        for job_id, cred, pid, last, stage, _status in rows:
            state.check()
            adapter = adapter_for(cred)
            if adapter is None:
                with ws.session() as s:
                    report.results.append(PollResult(to_record(s.get(FineTuneJob, job_id)), error=cred_errors[cred]))
                continue
            if stage != "created" or not pid:
                with ws.session() as s:
                    if launch_in_progress(s.get(FineTuneJob, job_id), launches):
                        continue
                try:
                    rec = reconcile_launch(ws, job_id, adapter)
                except ProviderError as exc:
                    with ws.session() as s:
                        report.results.append(PollResult(to_record(s.get(FineTuneJob, job_id)), error=str(exc)))
                    continue
                report.reconciled.append(job_id)
                if not rec.provider_job_id:
                    continue
                # a job adopted already finished is still polled once: its events, metrics and
                # results CSV were never fetched (the app died before; jobs11ui kill -9 test)
                pid, last = rec.provider_job_id, None
            to_poll.append((adapter, job_id, pid, last))
        total = len(to_poll)
        if to_poll:
            with ThreadPoolExecutor(max_workers=max(1, min(max_workers, total)), thread_name_prefix="ft-poll") as pool:
                futures = [pool.submit(fetch, *args) for args in to_poll]
                fetched = []
                for done, fut in enumerate(futures, start=1):
                    fetched.append(fut.result())
                    state.progress(done, total, f"polled {done} of {total} jobs")
            report.results.extend(store_many(ws, fetched))
    finally:
        for a in adapters.values():
            a.close()
    errors = [r for r in report.results if r.error]
    retry_after = max((r.retry_after_s or 0.0 for r in errors), default=0.0) or None
    report.next_delay_s = backoff.next_delay(interval_s, failures_in_a_row + 1 if errors else 0, retry_after)
    report.seconds = time.perf_counter() - t0
    return report


def cancel_job(ws, job: int | str) -> JobRecord:
    """Ask the provider to cancel; the job moves to ``cancelled`` (or stays as the provider says
    until the next poll). A launch not yet created at the provider is cancelled locally.
    ``FineTuneError`` on provider errors; a job already terminal is returned unchanged."""
    with ws.session() as s:
        row = load_row(s, job)
        if row.status in states.TERMINAL:
            return to_record(row)
        if not row.provider_job_id:
            set_status(s, row, states.CANCELLED)
            return to_record(row)
        job_id, pid, cred = row.id, row.provider_job_id, row.credential_name
    adapter, _info = open_provider(ws, cred)
    try:
        remote = adapter.cancel_job(pid)
    except FineTuneNotFound:
        return store_fetched(ws, Fetched(job_id, not_found=True)).job
    except ProviderError as exc:
        raise FineTuneError(f"cancelling job {job}: {exc}") from None
    finally:
        adapter.close()
    with ws.session() as s:
        row = s.get(FineTuneJob, job_id)
        apply_remote(s, row, remote)
        return to_record(row)


def watch_job(ws, job: int | str, *, interval_s: float = 30.0, on_change: Callable[[JobRecord], None] | None = None,
              state: TaskState | None = None) -> JobRecord:
    """Poll *job* until it is terminal, calling *on_change* after each change (state, provider
    status, new metrics); errors back off (``core.finetune.backoff``); returns the final record."""
    state = state or TaskState()
    failures = 0
    while True:
        state.check()
        res = poll_job(ws, job, state=state)
        if res.error:
            failures += 1
        else:
            failures = 0
            if (res.changed or res.new_metrics) and on_change is not None:
                on_change(res.job)
        if res.job.terminal:
            return res.job
        delay = backoff.next_delay(interval_s, failures, res.retry_after_s)
        end = time.monotonic() + delay
        while time.monotonic() < end:
            state.check()
            time.sleep(min(0.1, max(0.0, end - time.monotonic())))


def _pause_or_resume(ws, job: int | str, action: str) -> JobRecord:
    with ws.session() as s:
        row = load_row(s, job)
        if row.status in states.TERMINAL or not row.provider_job_id:
            raise FineTuneError(f"job {row.id} is {row.status}: it cannot be {action}d")
        job_id, pid, cred = row.id, row.provider_job_id, row.credential_name
    adapter, _info = open_provider(ws, cred)
    try:
        remote = getattr(adapter, f"{action}_job")(pid)
    except NotImplementedError as exc:
        raise FineTuneError(f"{action}: {exc}") from None
    except ProviderError as exc:
        raise FineTuneError(f"{action} job {job}: {exc}") from None
    finally:
        adapter.close()
    with ws.session() as s:
        row = s.get(FineTuneJob, job_id)
        apply_remote(s, row, remote)
        return to_record(row)


def pause_job(ws, job: int | str) -> JobRecord:
    """Pause a training job where the provider offers it (OpenAI); ``FineTuneError`` otherwise
    (Together and Fireworks have no pause) or on provider errors."""
    return _pause_or_resume(ws, job, "pause")


def resume_job(ws, job: int | str) -> JobRecord:
    """Resume a paused job (OpenAI, Fireworks ``:resume``); ``FineTuneError`` otherwise."""
    return _pause_or_resume(ws, job, "resume")
