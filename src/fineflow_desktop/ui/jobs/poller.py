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

from PySide6.QtCore import QObject, QTimer, Signal

from fineflow_desktop.core.finetune.backoff import DEFAULT_INTERVAL_S, VISIBLE_INTERVAL_S, next_delay
from fineflow_desktop.services import finetune as ft


@dataclass
class PollSnapshot:
    """What one pass hands the monitor: the sync report, every job (newest first), the month summary."""

    report: ft.SyncReport
    jobs: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def live(self) -> bool:
        return any(not j.terminal for j in self.jobs)


def poll_pass(state, ws, failures_in_a_row: int = 0) -> PollSnapshot:
    """The task body (pool thread): sync, then read the list and the summary."""
    report = ft.sync_jobs(ws, state=state, failures_in_a_row=failures_in_a_row)
    return PollSnapshot(report, ft.list_jobs(ws), ft.month_summary(ws))


class JobPoller(QObject):
    """Schedules ``poll_pass`` on ``ctx.tasks``. ``synced(PollSnapshot)`` after each pass;
    ``failed(message)`` when a pass raised; ``finished_job(JobRecord)`` once per job that reached
    a final state during a pass (drives the tray notification)."""

    synced = Signal(object)
    failed = Signal(str)
    finished_job = Signal(object)

    def __init__(self, ctx, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.visible_interval_s = VISIBLE_INTERVAL_S
        self.idle_interval_s = DEFAULT_INTERVAL_S
        self.fast = False
        self.failures_in_a_row = 0
        self.passes = 0
        self.task = None
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
        task = self.ctx.tasks.submit("Checking fine-tuning jobs", poll_pass, self.ctx.workspace,
                                     self.failures_in_a_row)
        self.task = task
        task.signals.result.connect(self._on_result)
        task.signals.error.connect(self._on_error)
        task.signals.finished.connect(self._on_finished)
        self.ctx.tasks.start(task)

    def stop(self) -> None:
        """No further passes (workspace closing)."""
        self._stopped = True
        self.timer.stop()
        if self.task is not None:
            self.task.cancel()

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
