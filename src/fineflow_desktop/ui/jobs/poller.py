"""One polling worker for every live fine-tuning job (issue 11, "Job lifecycle, polling").

Each pass is ``services.finetune.monitor_pass`` (reconcile interrupted launches, poll all live
jobs concurrently, store, then read the job list, the month summary and the watched job's new
rows), run as ``ctx.ops.recurring`` work in the app's **poll process** (``workers.process``):
the GUI process only unpickles the small snapshot, so SDK parsing and SQLite writes never hold
its GIL (bench_monitor: the longest main-thread gap per pass went from 60 ms to a few ms). The
poll process gets the app's fine-tuning keys over its pipe (``keys.adopt_keys``; re-sent when
credentials change) and the app's running launches with each pass (``ft.LaunchesOf``), so it
never reconciles a launch the app is still making. With a synchronous task manager (unit
tests) the same pass runs in-process. When no job is live the poll process is released (it
exits by itself) and the next pass starts a new one.

Cadence: every 30 s, every 5 s while the monitor is visible (``core.finetune.backoff``); after
errors the service's backoff delay (jitter, Retry-After). Passes never overlap; when no job is
live the poller waits for ``poll_now()`` (a launch, "Sync now", a workspace opening).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal

from fineflow_desktop.core.finetune.backoff import DEFAULT_INTERVAL_S, VISIBLE_INTERVAL_S, next_delay
from fineflow_desktop.providers.keys import adopt_keys
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.workers.process import ProcessRunner


POLL_NICE = 10  # the poll process's niceness (POSIX; "below normal" on Windows)


class JobPoller(QObject):
    """Schedules ``ft.monitor_pass``. ``synced(MonitorSnapshot)`` after each pass; ``failed(message)``
    when a pass raised (or the poll process died); ``finished_job(JobRecord)`` once per job that
    reached a final state during a pass (drives the tray notification)."""

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
        # The pane sets these: its list filter and where its detail view stands (read at pass start).
        self.status_filter: Callable[[], str] = lambda: "all"
        self.cursor: Callable[[], ft.DetailCursor | None] = lambda: None
        if ctx.tasks.synchronous:  # unit tests: the same pass, in-process and inline
            self.runner = TaskManager(self, synchronous=True, max_threads=1)
        else:
            # Below the GUI's priority (nice 10): on a busy 2-core machine the passes wait, the UI does not.
            self.runner = ProcessRunner(self, name="fineflow-poll", nice=POLL_NICE)
        self._keys_sent = False
        ctx.events.changed.connect(self._on_changed)
        self.polling = ctx.ops.recurring("Checking fine-tuning jobs", ft.monitor_pass, args=self._pass_args,
                                         next_delay=self._next_delay, on_result=self._on_result,
                                         on_error=self._on_error, runner=self.runner, parent=self)

    @property
    def interval_s(self) -> float:
        return self.visible_interval_s if self.fast else self.idle_interval_s

    @property
    def passes(self) -> int:
        """Passes finished so far (however they ended)."""
        return self.polling.runs

    @property
    def task(self):
        """The running pass's task, ``None`` between passes."""
        return self.polling.task

    @property
    def timer(self):
        return self.polling.timer

    def process_pid(self) -> int | None:
        """Pid of the poll process while it runs (``None`` in-process or before the first pass)."""
        return self.runner.pid() if isinstance(self.runner, ProcessRunner) else None

    def set_fast(self, on: bool) -> None:
        """Visible monitor → 5 s cadence; hidden → 30 s. Brings a pending pass forward when faster."""
        if on == self.fast:
            return
        self.fast = on
        if not self.failures_in_a_row:
            self.polling.reschedule(self.interval_s)

    def poll_now(self) -> None:
        """Start a pass now (or right after the running one)."""
        self.polling.run_now()

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """No further passes (workspace closing): cancel the running one, end the poll process."""
        return self.polling.stop(timeout_ms)

    def next_poll_in_s(self) -> float | None:
        """Seconds until the next scheduled pass (``None`` when stopped or idle)."""
        return self.polling.next_in_s()

    # ---- one pass -----------------------------------------------------------------------------

    def _pass_args(self) -> tuple:
        ws = self.ctx.workspace
        if isinstance(self.runner, ProcessRunner) and not self._keys_sent:
            # Read here, on the main thread, once (and after credential changes): a keyring read per
            # fine-tuning credential. Session-only keys exist only in this process's memory.
            self.runner.set_init(adopt_keys, ft.credential_keys(ws))
            self._keys_sent = True
        return (ws, self.failures_in_a_row, self.status_filter(), self.cursor(), self.interval_s,
                ft.running_launches())

    def _next_delay(self, snap, error: str | None) -> float | None:
        if error is not None:
            self.failures_in_a_row += 1
            return next_delay(self.interval_s, self.failures_in_a_row)
        if snap.report.errors:
            self.failures_in_a_row += 1
            delay = snap.report.next_delay_s
        else:
            self.failures_in_a_row = 0
            delay = self.interval_s
        return delay if snap.live else None

    def _on_result(self, snap) -> None:
        if not snap.live and isinstance(self.runner, ProcessRunner):
            self.runner.release()  # nothing to poll until a launch / "Sync now": no idle interpreter
        for r in snap.report.results:
            if r.changed and r.job.terminal:
                self.finished_job.emit(r.job)
        self.synced.emit(snap)

    def _on_error(self, message: str) -> None:
        self.failed.emit(message)

    def _on_changed(self, changes) -> None:
        if changes.touches({Effect.CREDENTIALS}):
            self._keys_sent = False  # re-sent before the next pass
