"""One pass of the job monitor: sync every live job, then read what the monitor shows.

The app runs ``monitor_pass`` in its poll process (``workers.process``), so the SDK parsing and
the store writes of a pass never compete with the GUI thread for the GIL (issue 11: ≤ 16 ms
main-thread stall per poll); everything crossing back is a plain, picklable ``MonitorSnapshot``.
Synchronous task managers (unit tests) call it in-process; the result is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fineflow_desktop.core.finetune.backoff import DEFAULT_INTERVAL_S
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.finetune.budget import month_summary
from fineflow_desktop.services.finetune.jobs import job_events, job_metrics, list_jobs
from fineflow_desktop.services.finetune.launch import LaunchesOf
from fineflow_desktop.services.finetune.poll import sync_jobs
from fineflow_desktop.services.finetune.types import SyncReport

# Requests in flight per pass in the app (the CLI uses 16). The pass runs in its own process now,
# so this only bounds the load put on the provider and on the shared 2-core box.
APP_MAX_WORKERS = 8


@dataclass(frozen=True)
class DetailCursor:
    """Where the monitor's detail view stands: job, last curve step, last event id, event filter."""

    job_id: int
    after_step: int | None
    after_event_id: int
    level: str | None = None
    search: str | None = None


@dataclass
class DetailDelta:
    """New metrics (``[MetricPoint]``) and events (``[JobEvent]``) of the watched job since ``cursor``."""

    cursor: DetailCursor
    metrics: list
    events: list


@dataclass
class MonitorSnapshot:
    """What one pass hands the monitor: the sync report, the jobs of the list filter (newest
    first, ``[JobRecord]``), the month summary (``month_summary``), the watched job's new rows,
    and whether any job is still live (any filter)."""

    report: SyncReport
    jobs: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    detail: DetailDelta | None = None
    any_live: bool = False

    @property
    def live(self) -> bool:
        return self.any_live


def monitor_pass(state: TaskState, ws, failures_in_a_row: int = 0, status_filter: str = "all",
                 cursor: DetailCursor | None = None, interval_s: float = DEFAULT_INTERVAL_S,
                 launches: LaunchesOf | None = None, max_workers: int = APP_MAX_WORKERS) -> MonitorSnapshot:
    """``sync_jobs`` (reconcile + concurrent poll, see there for errors; *launches*: the app's running
    launches, ``launch.running_launches()``), then the monitor's reads: ``list_jobs(status_filter)``,
    ``month_summary``, and the metrics/events after *cursor*."""
    report = sync_jobs(ws, state=state, failures_in_a_row=failures_in_a_row, max_workers=max_workers,
                       interval_s=interval_s, launches=launches)
    jobs = list_jobs(ws, status_filter)
    detail = None
    if cursor is not None:
        detail = DetailDelta(cursor, job_metrics(ws, cursor.job_id, after_step=cursor.after_step),
                             job_events(ws, cursor.job_id, after_id=cursor.after_event_id, level=cursor.level,
                                        search=cursor.search))
    live = any(not j.terminal for j in jobs) or (status_filter != "all" and any(
        not j.terminal for j in list_jobs(ws, "active")))
    return MonitorSnapshot(report, jobs, month_summary(ws), detail, any_live=live)
