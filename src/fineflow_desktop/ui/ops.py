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

Effects are announced when the op ends however it ends: a cancelled or failed run may have
stored part of its work (ingest commits file by file). ``effects_of(result)`` may add effects
or a dataset id known only from the result (``Changes`` fields as a dict).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

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
        **kwargs: Any,
    ) -> Task:
        """Start ``fn(state, *args, **kwargs)`` in the background; returns the started ``Task``.

        The task shows in the window's task list (progress, Cancel). Handlers run on the main
        thread in this order: ``on_result`` / ``on_error`` / ``on_cancelled``, then the effects
        notice (``Events.announce``), then the triggers are enabled again, then ``on_finished``.
        """
        task = self.tasks.submit(title, fn, *args, **kwargs)
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
            if on_error is None or details:  # a bug (with a traceback) always reaches the error box
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
        return self.tasks.start(task)
