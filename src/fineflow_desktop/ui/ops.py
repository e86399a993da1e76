"""One way to run background work from the UI (in the spirit of Anki's ``CollectionOp``).

Usage, from any pane (``self`` is the pane)::

    self.ctx.ops.run(
        "Score pair quality",            # title in the task list (progress + Cancel)
        svc.rescore_dataset, ws, ds,     # fn(state, *args, **kwargs) on a worker thread
        trigger=self.score_btn,          # widget(s)/action(s) disabled until the op ends
        on_result=self._scored,          # main thread, with fn's return value
        effects={Effect.PAIRS},          # announced once when the op ends
        initiator=self,                  # panes skip notices they initiated
        dataset_id=ds,                   # optional detail of the notice
    )

``fn`` receives a ``core.progress.TaskState`` first (``state.check()`` to stop on Cancel,
``state.progress(done, total, msg)`` to report). Optional handlers: ``on_progress(done, total, msg)``,
``on_error(message)`` (show the error in place instead of the error box), ``on_cancelled()``,
``on_finished()`` (always last), ``on_started(task)`` (before the task starts: keep the handle to
cancel it; a synchronous ``TaskManager`` in tests ends the task inside ``run``). A failure goes to ``ctx.errors`` (``ui.errors.ErrorPresenter``:
short message, details, log path, Copy); with ``on_error`` an *expected* error (bad input, no
credential: ``workers.task.EXPECTED_ERRORS``) is shown in place instead, while a bug (an error
with a traceback) still reaches the error box as well.

``runner=`` picks where ``fn`` runs: the window's ``TaskManager`` (default; listed in the task
list) or another object of its shape, e.g. a ``workers.process.ProcessRunner`` for work that must
not share the GUI's GIL (then ``fn`` and its arguments are pickled: a module-level function).

Recurring work (the job poller) is ``ctx.ops.recurring(...)`` → ``Recurring``: one run at a time
through ``run``, the next run scheduled by the owner's ``next_delay`` after each one::

    self.polling = ctx.ops.recurring(
        "Checking fine-tuning jobs", ft.monitor_pass,
        args=lambda: (ws, self.failures, self.filter()),  # read at each run's start
        next_delay=self._delay,          # (value, error) -> seconds, or None: wait for run_now()
        on_result=self._show, on_error=self._failed, runner=ProcessRunner(self), parent=self)
    self.polling.run_now()               # start now (or right after the running one)
    self.polling.stop()                  # no further runs; cancels and waits for the running one

Effects are announced when the op ends however it ends: a cancelled or failed run may have
stored part of its work (ingest commits file by file). ``effects_of(result)`` may add effects
or a dataset id known only from the result (``Changes`` fields as a dict).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from fineflow_desktop.ui.effects import Effect, Events
from fineflow_desktop.ui.errors import ErrorPresenter
from fineflow_desktop.workers import Task, TaskManager

Trigger = QWidget | QAction


def _as_list(trigger: Trigger | Iterable[Trigger] | None) -> list[Trigger]:
    if trigger is None:
        return []
    if isinstance(trigger, (QWidget, QAction)):
        return [trigger]
    return list(trigger)


class Ops:
    """Runs operations on a ``TaskManager`` and announces their effects on ``Events``."""

    def __init__(self, tasks: TaskManager, events: Events, errors: ErrorPresenter):
        self.tasks = tasks
        self.events = events
        self.errors = errors

    def run(
        self,
        title: str,
        fn: Callable[..., Any],
        *args: Any,
        trigger: Trigger | Iterable[Trigger] | None = None,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        on_started: Callable[[Task], None] | None = None,
        effects: Iterable[Effect] = (),
        effects_of: Callable[[Any], dict] | None = None,
        initiator: object | None = None,
        dataset_id: int | None = None,
        runner: Any = None,
        report_bugs: bool = True,
        **kwargs: Any,
    ) -> Task:
        """Start ``fn(state, *args, **kwargs)`` in the background; returns the started ``Task``.

        The task shows in the window's task list (progress, Cancel). Handlers run on the main
        thread in this order: ``on_result`` / ``on_error`` / ``on_cancelled``, then the effects
        notice (``Events.announce``), then the triggers are enabled again, then ``on_finished``.
        *runner*: where ``fn`` runs (default the window's ``TaskManager``; see the module doc).
        *report_bugs*: False keeps a bug's traceback out of the error box (a recurring run
        reports the first failure of a streak only); it is still logged and passed to ``on_error``.
        """
        runner = runner if runner is not None else self.tasks
        task = runner.submit(title, fn, *args, **kwargs)
        triggers = _as_list(trigger)
        for t in triggers:
            t.setEnabled(False)
        notice: dict[str, Any] = {"effects": set(effects), "dataset_id": dataset_id}

        def result(value: Any) -> None:
            if on_result is not None:
                on_result(value)
            if effects_of is not None:
                extra = effects_of(value) or {}
                notice["effects"] |= set(extra.get("effects", ()))
                notice["dataset_id"] = extra.get("dataset_id", notice["dataset_id"])

        def error(message: str, details: str) -> None:
            if on_error is not None:
                on_error(message)
            if on_error is None or (details and report_bugs):  # a bug (with a traceback) reaches the error box
                self.errors.present(title, message, details)

        def finished() -> None:
            self.events.announce(notice["effects"], initiator, dataset_id=notice["dataset_id"])
            for t in triggers:
                if isValid(t):
                    t.setEnabled(True)
            if on_finished is not None:
                on_finished()

        sig = task.signals
        if on_progress is not None:
            sig.progress.connect(on_progress)
        sig.result.connect(result)
        sig.error.connect(error)
        if on_cancelled is not None:
            sig.cancelled.connect(on_cancelled)
        sig.finished.connect(finished)
        if on_started is not None:  # before start: a synchronous manager ends the task inside it
            on_started(task)
        return runner.start(task)

    def recurring(self, title: str, fn: Callable[..., Any], *, args: Callable[[], tuple],
                  next_delay: Callable[[Any, str | None], float | None], on_result: Callable[[Any], None] | None = None,
                  on_error: Callable[[str], None] | None = None, runner: Any = None,
                  parent: QObject | None = None) -> "Recurring":
        """Work repeated on a schedule, one run at a time (see ``Recurring``); nothing starts until
        ``run_now()``."""
        return Recurring(self, title, fn, args, next_delay, on_result, on_error, runner, parent)


class Recurring(QObject):
    """``fn(state, *args())`` run again and again through ``Ops.run``, never two at once.

    After each run ``next_delay(value, error_message)`` (value ``None`` on error) gives the seconds
    until the next run, or ``None`` to wait for ``run_now()``. ``run_now()`` while a run is going
    starts another right after it. ``reschedule(seconds)`` brings a pending run forward (never
    later). Only the first failure of a streak reaches the error box; every failure reaches
    ``on_error``. ``stop()`` ends it: no further runs, the running one is cancelled and waited for.
    """

    def __init__(self, ops: Ops, title: str, fn: Callable[..., Any], args: Callable[[], tuple],
                 next_delay: Callable[[Any, str | None], float | None], on_result: Callable[[Any], None] | None,
                 on_error: Callable[[str], None] | None, runner: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.ops, self.title, self.fn, self.args = ops, title, fn, args
        self.next_delay, self.on_result, self.on_error = next_delay, on_result, on_error
        self.runner = runner if runner is not None else ops.tasks
        self.task: Task | None = None
        self.runs = 0  # finished runs, however they ended
        self.failures_in_a_row = 0
        self.stopped = False
        self._again = False
        self._delay: float | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run_now)

    def run_now(self) -> None:
        """Start a run now (or right after the running one)."""
        if self.stopped:
            return
        self.timer.stop()
        if self.task is not None:
            self._again = True
            return
        self._again = False
        self._delay = None
        self.ops.run(self.title, self.fn, *self.args(), runner=self.runner, on_result=self._result,
                     on_error=self._error, on_finished=self._finished, on_started=self._started,
                     report_bugs=self.failures_in_a_row == 0)

    def reschedule(self, seconds: float) -> None:
        """Bring a pending run forward to *seconds* from now (no effect if it is due sooner or none is pending)."""
        if self.timer.isActive() and self.timer.remainingTime() / 1000 > seconds:
            self.timer.start(int(seconds * 1000))

    def next_in_s(self) -> float | None:
        """Seconds until the next scheduled run (``None`` when none is scheduled)."""
        return self.timer.remainingTime() / 1000 if self.timer.isActive() else None

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """No further runs; cancel the running one and wait for the runner (True if it stopped in time)."""
        self.stopped = True
        self.timer.stop()
        if self.runner is not self.ops.tasks:  # the window's manager is shut down by the window
            return self.runner.shutdown(timeout_ms)
        if self.task is not None:
            self.task.cancel()
        return True

    def _started(self, task: Task) -> None:
        self.task = task

    def _result(self, value: Any) -> None:
        self.failures_in_a_row = 0
        self._delay = self.next_delay(value, None)
        if self.on_result is not None:
            self.on_result(value)

    def _error(self, message: str) -> None:
        self.failures_in_a_row += 1
        self._delay = self.next_delay(None, message)
        if self.on_error is not None:
            self.on_error(message)

    def _finished(self) -> None:
        self.runs += 1
        self.task = None
        delay, self._delay = self._delay, None
        if self.stopped:
            return
        if self._again:
            self.run_now()
        elif delay is not None:
            self.timer.start(int(delay * 1000))
