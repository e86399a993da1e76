"""Status-bar task list: one row per running task (title, progress bar, Cancel), plus a brief
"done / failed / cancelled" message when a task ends.

It only shows what ``workers.TaskManager`` reports; it never runs or computes anything itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QToolButton, QWidget

from fineflow_desktop.workers import Task, TaskManager
from fineflow_desktop.ui.style import set_tone

DONE_MESSAGE_MS = 6000
FAILED_MESSAGE_MS = 15000  # errors stay longer: the user has to read them


class TaskRow(QWidget):
    """Title, progress bar and Cancel button of one running task."""

    def __init__(self, task: Task, parent: QWidget | None = None):
        super().__init__(parent)
        self.task = task
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.setSpacing(4)
        self.label = QLabel(task.title)
        self.label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)  # sit next to the bar
        self.bar = QProgressBar()
        self.bar.setFixedWidth(140)
        self.bar.setMaximumHeight(16)
        self.bar.setRange(0, 0)  # busy until the first progress report
        # The same "done/total" numbers as a pane's own bar (a bare bar read as another amount)
        self.bar.setFormat("%v/%m")
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip(f"Cancel “{task.title}”")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self._cancel)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        task.signals.progress.connect(self.set_progress)
        if task.progress != (0, 0, ""):  # started before this row existed
            self.set_progress(*task.progress)

    def set_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        self.bar.setTextVisible(total > 0)
        detail = f"{done}/{total}" if total else ""
        self.setToolTip(f"{self.task.title}\n{message} {detail}".strip())

    def _cancel(self) -> None:
        self.task.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(f"{self.task.title} (cancelling…)")


class TasksWidget(QWidget):
    """Permanent status-bar widget listing the running tasks of a ``TaskManager``.

    ``set_manager`` rebinds it when the workspace (and so the manager) changes. ``message``
    holds the last end-of-task message ("Import finished", "Generate failed: …") until it expires.
    """

    message_changed = Signal(str)

    def __init__(self, manager: TaskManager | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._manager: TaskManager | None = None
        self._rows: dict[int, TaskRow] = {}
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.message_label = QLabel()
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setMaximumWidth(420)
        lay.addWidget(self.message_label)
        self._rows_layout = QHBoxLayout()
        self._rows_layout.setSpacing(8)
        lay.addLayout(self._rows_layout)
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self._clear_message)
        if manager is not None:
            self.set_manager(manager)

    @property
    def message(self) -> str:
        return self.message_label.text()

    def rows(self) -> list[TaskRow]:
        """Rows of the running tasks, oldest first."""
        return list(self._rows.values())

    def set_manager(self, manager: TaskManager) -> None:
        """Show the tasks of *manager* (and forget the rows of the previous one)."""
        if self._manager is not None:
            self._manager.task_started.disconnect(self._on_started)
        for task_id in list(self._rows):
            self._remove(task_id)
        self._manager = manager
        manager.task_started.connect(self._on_started)
        for task in manager.running():
            self._on_started(task)

    def _on_started(self, task: Task) -> None:
        row = TaskRow(task, self)
        self._rows[task.id] = row
        self._rows_layout.addWidget(row)
        task.signals.result.connect(lambda _v, t=task: self._show_end(t, f"{t.title}: done", ok=True))
        task.signals.error.connect(lambda msg, _tb, t=task: self._show_end(t, f"{t.title} failed: {msg}", ok=False))
        task.signals.cancelled.connect(lambda t=task: self._show_end(t, f"{t.title}: cancelled", ok=True))
        task.signals.finished.connect(lambda t=task: self._remove(t.id))

    def _remove(self, task_id: int) -> None:
        row = self._rows.pop(task_id, None)
        if row is not None:
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()

    def _show_end(self, task: Task, text: str, ok: bool) -> None:
        first_line = text.splitlines()[0] if text else ""
        self.message_label.setText(first_line)
        self.message_label.setToolTip(text)
        set_tone(self.message_label, None if ok else "error")
        self._clear_timer.start(DONE_MESSAGE_MS if ok else FAILED_MESSAGE_MS)
        self.message_changed.emit(first_line)

    def _clear_message(self) -> None:
        self.message_label.clear()
        self.message_label.setToolTip("")
        set_tone(self.message_label, None)
