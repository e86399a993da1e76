"""Status-bar task list (ui/tasks_widget.py) on real tasks."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from fineflow_desktop.ui.tasks_widget import TasksWidget
from fineflow_desktop.workers import TaskManager


def test_row_per_running_task_with_progress_and_cancel(qtbot):
    tm = TaskManager()
    widget = TasksWidget(tm)
    qtbot.addWidget(widget)
    widget.show()
    entered, go_on = threading.Event(), threading.Event()

    def work(state):
        state.progress(3, 10, "file 3 of 10")
        entered.set()
        go_on.wait(5)
        while True:  # until cancelled
            state.check()
            threading.Event().wait(0.005)

    task = tm.start(tm.submit("Import docs", work))
    assert entered.wait(5)
    rows = widget.rows()
    assert len(rows) == 1 and rows[0].label.text() == "Import docs"
    qtbot.waitUntil(lambda: rows[0].bar.maximum() == 10 and rows[0].bar.value() == 3, timeout=5000)
    assert "file 3 of 10" in rows[0].toolTip()
    go_on.set()
    qtbot.mouseClick(rows[0].cancel_button, Qt.MouseButton.LeftButton)
    assert task.state.cancelled and not rows[0].cancel_button.isEnabled()
    qtbot.waitUntil(lambda: widget.rows() == [], timeout=5000)
    assert widget.message == "Import docs: cancelled"
    assert tm.shutdown(5000)


def test_done_and_failed_messages(qtbot):
    tm = TaskManager(synchronous=True)
    widget = TasksWidget(tm)
    qtbot.addWidget(widget)
    tm.start(tm.submit("Validate", lambda state: 42))
    assert widget.message == "Validate: done" and widget.rows() == []

    def fail(state):
        raise RuntimeError("notes.csv:3 [text]: empty field")

    tm.start(tm.submit("Import notes", fail))
    assert widget.message == "Import notes failed: notes.csv:3 [text]: empty field"
    assert widget.message_label.property("tone") == "error"  # errors in red (app.qss)
    widget._clear_timer.timeout.emit()  # the message is brief
    assert widget.message == "" and not widget.message_label.property("tone")


def test_rebinding_to_a_new_manager_shows_only_its_tasks(qtbot):
    old, new = TaskManager(), TaskManager(synchronous=True)
    widget = TasksWidget(old)
    qtbot.addWidget(widget)
    release = threading.Event()
    old.start(old.submit("Old", lambda s: release.wait(5)))
    qtbot.waitUntil(lambda: len(widget.rows()) == 1)
    widget.set_manager(new)
    assert widget.rows() == []
    release.set()
    assert old.shutdown(5000)
    new.start(new.submit("New", lambda s: 1))
    assert widget.message == "New: done"


def test_status_bar_row_and_builder_bar_show_the_same_progress(qtbot, workspace):
    """The two import progress bars agree (issue 9 saw 50/317 inline and ~5% in the status bar)."""
    from pathlib import Path

    from PySide6.QtGui import QUndoStack

    from fineflow_desktop.ui.builder import BuilderPane
    from fineflow_desktop.ui.context import AppContext, Events

    ctx = AppContext(workspace, TaskManager(), QUndoStack(), Events())
    widget = TasksWidget(ctx.tasks)
    pane = BuilderPane(ctx)
    for w in (widget, pane):
        qtbot.addWidget(w)
    seen = []

    def compare(done, total, _msg):
        row, bar = widget.rows()[0].bar, pane.progress_box.bar
        seen.append(((row.value(), row.maximum(), row.text()), (bar.value(), bar.maximum()), (done, total)))

    ctx.tasks.task_started.connect(lambda task: task.signals.progress.connect(compare))
    pane.import_paths([Path(__file__).parent / "fixtures" / "pydocs"])
    qtbot.waitUntil(lambda: pane.current_task is None, timeout=60_000)
    with_total = [s for s in seen if s[2][1] > 0]
    assert len(with_total) >= 3
    for (rv, rm, text), (bv, bm), (done, total) in with_total:
        assert (rv, rm) == (bv, bm) == (min(done, total), total) and text == f"{rv}/{rm}"
    assert ctx.tasks.shutdown(5000)
