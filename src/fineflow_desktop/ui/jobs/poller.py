"""One polling worker for every live fine-tuning job (issue 11, "Job lifecycle, polling").

Each pass runs ``services.finetune.sync_jobs`` (reconcile interrupted launches, then poll all
live jobs concurrently) plus the reads the monitor needs (job list, month summary) on the
task pool, so the main thread only receives a ready snapshot. Cadence: every 30 s, every 5 s
while the monitor is visible (``core.finetune.backoff``'s intervals); after errors the
service's backoff delay (jitter, Retry-After). Passes never overlap; when no job is live the
poller stops until ``poll_now()`` (a launch, "Sync now", a workspace opening).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from fineflow_desktop.core.finetune.backoff import DEFAULT_INTERVAL_S, VISIBLE_INTERVAL_S, next_delay
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.workers import TaskManager


# Requests in flight per pass in the app. Fewer than the CLI's 16: every worker thread competes
# with the main thread for the GIL, and a 20-job backlog pass with 16 threads stalled the UI
# for over a second on a loaded 2-core box (bench_monitor).
GUI_MAX_WORKERS = 4


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
    """New metrics and events of the watched job since ``cursor`` (read on the worker)."""

    cursor: DetailCursor
    metrics: list
    events: list


@dataclass
class PollSnapshot:
    """What one pass hands the monitor: the sync report, every job (newest first) with its table
    row, the month summary, and the watched job's new metrics/events."""

    report: ft.SyncReport
    jobs: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    detail: DetailDelta | None = None

    any_live: bool | None = None

    @property
    def live(self) -> bool:
        if self.any_live is not None:
            return self.any_live
        return any(not j.terminal for j in self.jobs)


def poll_pass(state, ws, failures_in_a_row: int = 0, status_filter: str = "all",
              cursor: DetailCursor | None = None, interval_s: float = DEFAULT_INTERVAL_S) -> PollSnapshot:
    """The task body (pool thread): sync, then every read the monitor needs, so the main thread
    only shows results (bench_monitor: the reads cost the main thread ~40 ms per pass)."""
    from fineflow_desktop.ui.jobs.models import job_row

    report = ft.sync_jobs(ws, state=state, failures_in_a_row=failures_in_a_row, max_workers=GUI_MAX_WORKERS,
                            interval_s=interval_s)
    jobs = ft.list_jobs(ws, status_filter)
    detail = None
    if cursor is not None:
        detail = DetailDelta(cursor, ft.job_metrics(ws, cursor.job_id, after_step=cursor.after_step),
                             ft.job_events(ws, cursor.job_id, after_id=cursor.after_event_id, level=cursor.level,
                                           search=cursor.search))
    live = any(not j.terminal for j in jobs) or (status_filter != "all" and any(
        not j.terminal for j in ft.list_jobs(ws, "active")))
    return PollSnapshot(report, jobs, [job_row(j) for j in jobs], ft.month_summary(ws), detail, any_live=live)


class JobPoller(QObject):
    """Schedules ``poll_pass`` on its own one-thread ``TaskManager``. ``synced(PollSnapshot)`` after each pass;
    ``failed(message)`` when a pass raised; ``finished_job(JobRecord)`` once per job that reached
    a final state during a pass (drives the tray notification)."""

    synced = Signal(object)
    failed = Signal(str)
    finished_job = Signal(object)

    def __init__(self, ctx, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        # Its own one-thread manager: a pass every 5 s would flood the window's task list, and
        # passes must never overlap anyway. Synchronous when the app's tasks are (unit tests).
        self.tasks = TaskManager(self, synchronous=ctx.tasks.synchronous, max_threads=1)
        self.visible_interval_s = VISIBLE_INTERVAL_S
        self.idle_interval_s = DEFAULT_INTERVAL_S
        self.fast = False
        self.failures_in_a_row = 0
        self.passes = 0
        self.task = None
        # The pane sets these: its list filter and where its detail view stands (read at pass start).
        self.status_filter: Callable[[], str] = lambda: "all"
        self.cursor: Callable[[], DetailCursor | None] = lambda: None
        self._again = False
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.poll_now)

    @property
    def interval_s(self) -> float:
        return self.visible_interval_s if self.fast else self.idle_interval_s

    def set_fast(self, on: bool) -> None:
        """Visible monitor → 5 s cadence; hidden → 30 s. Re-arms a pending timer with the new interval."""
        if on == self.fast:
            return
        self.fast = on
        if self.timer.isActive() and not self.failures_in_a_row:
            self.timer.start(int(min(self.timer.remainingTime() / 1000, self.interval_s) * 1000))

    def poll_now(self) -> None:
        """Start a pass now (or right after the running one)."""
        if self._stopped:
            return
        self.timer.stop()
        if self.task is not None:
            self._again = True
            return
        self._again = False
        task = self.tasks.submit("Checking fine-tuning jobs", poll_pass, self.ctx.workspace,
                                     self.failures_in_a_row, self.status_filter(), self.cursor(),
                                     self.interval_s)
        self.task = task
        task.signals.result.connect(self._on_result)
        task.signals.error.connect(self._on_error)
        task.signals.finished.connect(self._on_finished)
        self.tasks.start(task)

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """No further passes (workspace closing): cancel the running one and wait for it."""
        self._stopped = True
        self.timer.stop()
        return self.tasks.shutdown(timeout_ms)

    def _on_result(self, snap: PollSnapshot) -> None:
        self.passes += 1
        if snap.report.errors:
            self.failures_in_a_row += 1
            delay = snap.report.next_delay_s
        else:
            self.failures_in_a_row = 0
            delay = self.interval_s
        self._next_delay = delay if snap.live else None
        for r in snap.report.results:
            if r.changed and r.job.terminal:
                self.finished_job.emit(r.job)
        self.synced.emit(snap)

    def _on_error(self, message: str, _tb: str) -> None:
        self.failures_in_a_row += 1
        self._next_delay = next_delay(self.interval_s, self.failures_in_a_row)
        self.failed.emit(message)

    def _on_finished(self) -> None:
        self.task = None
        delay = getattr(self, "_next_delay", None)
        self._next_delay = None
        if self._stopped:
            return
        if self._again:
            self.poll_now()
        elif delay is not None:
            self.timer.start(int(delay * 1000))

    def next_poll_in_s(self) -> float | None:
        """Seconds until the next scheduled pass (``None`` when stopped or idle)."""
        return self.timer.remainingTime() / 1000 if self.timer.isActive() else None
