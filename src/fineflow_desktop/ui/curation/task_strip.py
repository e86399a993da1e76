"""A one-line progress strip (message, bar, Cancel) for a pane's operation run through ``ctx.ops``."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from fineflow_desktop.ui.context import AppContext
from fineflow_desktop.ui.effects import Effect
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
        trigger=None,
        effects: Iterable[Effect] = (),
        initiator: object | None = None,
    ) -> Task | None:
        """Start ``fn(state, *args)`` through ``ctx.ops.run`` (same arguments); None if one is
        already running here."""
        if self.task is not None:
            return None
        self.label.setText(title + "…")
        self.bar.setRange(0, 0)
        self.show()
        return self.ctx.ops.run(
            title, fn, *args, trigger=trigger, effects=effects, initiator=initiator,
            on_progress=self._on_progress,
            # The strip is free as soon as the outcome arrives (before the handler runs), not at
            # the later ``finished`` signal: a click in between was silently dropped.
            on_result=lambda value: self._outcome(on_result, value),
            on_error=lambda msg: (self._on_finished(), on_error(msg) if on_error else None),
            on_cancelled=lambda: (self._on_finished(), self.ctx.events.status_message.emit(f"{title}: cancelled"),
                                  on_cancelled() if on_cancelled is not None else None),
            on_started=self._started,
        )

    def _started(self, task: Task) -> None:
        self.task = task

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

    def _outcome(self, handler: Callable[[Any], None] | None, value: Any) -> None:
        self._on_finished()
        if handler is not None:
            handler(value)

    def _on_finished(self) -> None:
        self.task = None
        self.hide()
