"""A one-line progress strip (message, bar, Cancel) that runs service calls through ctx.tasks."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from fineflow_desktop.ui.context import AppContext
from fineflow_desktop.workers import Task


class TaskStrip(QWidget):
    """Shows the running task of a pane; hidden when idle. One task at a time per strip."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(240)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        self.hide()

    @property
    def busy(self) -> bool:
        return self.task is not None

    def run(
        self,
        title: str,
        fn: Callable[..., Any],
        *args: Any,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Task | None:
        """Start ``fn(state, *args)`` as a task; None if one is already running here."""
        if self.task is not None:
            return None
        task = self.ctx.tasks.submit(title, fn, *args)
        self.task = task
        self.label.setText(title + "…")
        self.bar.setRange(0, 0)
        self.show()
        task.signals.progress.connect(self._on_progress)
        # The strip is free as soon as the outcome arrives (before the handler runs), not at the
        # later ``finished`` signal: a click in between was silently dropped.
        task.signals.result.connect(lambda value: self._outcome(on_result, value))
        task.signals.error.connect(lambda msg, _tb: (self._on_finished(), self._on_error(msg, on_error)))
        task.signals.cancelled.connect(lambda: (self._on_finished(),
                                                self.ctx.events.status_message.emit(f"{title}: cancelled"),
                                                on_cancelled is not None and on_cancelled()))
        task.signals.finished.connect(self._on_finished)
        self.ctx.tasks.start(task)
        return task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        else:
            self.bar.setRange(0, 0)
        if message:
            self.label.setText(message)

    def _on_error(self, message: str, handler: Callable[[str], None] | None) -> None:
        self.ctx.events.status_message.emit(f"Error: {message}")
        if handler is not None:
            handler(message)

    def _outcome(self, handler: Callable[[Any], None] | None, value: Any) -> None:
        self._on_finished()
        if handler is not None:
            handler(value)

    def _on_finished(self) -> None:
        self.task = None
        self.hide()
