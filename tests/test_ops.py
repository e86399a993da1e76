"""The background-operation API (``ui.ops``), the change notice (``ui.effects``), the error box
(``ui.errors``) and the ``Pane`` base (``ui.pane``), on real widgets and a real task pool."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from fineflow_desktop.core.progress import Cancelled
from fineflow_desktop.ui.effects import Changes, Effect
from fineflow_desktop.ui.pane import Pane


class CountingPane(Pane):
    title = "Counting"
    reload_on = {Effect.PAIRS}

    def build(self) -> None:
        self.reloads = 0
        self.button = QPushButton("Go", self)

    def reload(self) -> None:
        self.reloads += 1


def notices(ctx) -> list[Changes]:
    seen: list[Changes] = []
    ctx.events.changed.connect(seen.append)
    return seen


def test_pane_builds_reloads_and_skips_its_own_notice(ctx, qtbot):
    pane = CountingPane(ctx)
    qtbot.addWidget(pane)
    assert pane.reloads == 1  # reload() at construction
    ctx.events.announce({Effect.PAIRS}, initiator=pane)
    ctx.events.announce({Effect.PAIRS}, initiator=pane.button)  # a widget inside the pane
    assert pane.reloads == 1
    ctx.events.announce({Effect.TEMPLATES}, initiator=None)
    assert pane.reloads == 1
    ctx.events.announce({Effect.PAIRS, Effect.DATASETS}, initiator=None)
    assert pane.reloads == 2


def test_op_disables_trigger_runs_result_then_announces_once(workspace, qtbot):
    from PySide6.QtGui import QUndoStack

    from fineflow_desktop.ui.context import AppContext, Events
    from fineflow_desktop.workers import TaskManager

    ctx = AppContext(workspace, TaskManager(), QUndoStack(), Events())
    pane = CountingPane(ctx)
    qtbot.addWidget(pane)
    seen = notices(ctx)
    order: list[str] = []
    ctx.events.changed.connect(lambda c: order.append("notice"))
    gate = threading.Event()

    def work(state, a, b=0):
        gate.wait(5)
        return a + b

    task = ctx.ops.run("Add", work, 2, b=3, trigger=pane.button, initiator=pane, dataset_id=7,
                       on_result=lambda v: order.append(f"result {v}"), effects={Effect.PAIRS})
    assert not pane.button.isEnabled()
    assert task in ctx.tasks.running()
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        gate.set()
    qtbot.waitUntil(lambda: pane.button.isEnabled(), timeout=5000)
    assert order == ["result 5", "notice"]
    assert seen == [Changes(frozenset({Effect.PAIRS}), pane, 7)]
    assert pane.reloads == 1  # its own notice
    assert ctx.tasks.shutdown(5000)


def test_failed_op_goes_to_the_error_box_with_details_and_log_path(ctx, qtbot):
    def bug(state):
        raise RuntimeError("index out of step")

    button = QPushButton("Go")
    qtbot.addWidget(button)
    seen = notices(ctx)
    ctx.ops.run("Score pair quality", bug, trigger=button, effects={Effect.PAIRS})
    assert button.isEnabled()
    report = ctx.errors.last
    assert report.title == "Score pair quality" and report.message == "index out of step"
    assert "RuntimeError" in report.details and "fineflow.log" in report.text()
    box = ctx.errors.box
    assert isinstance(box, QMessageBox) and box.windowTitle() == "Score pair quality failed"
    assert "fineflow.log" in box.informativeText() and "RuntimeError" in box.detailedText()
    copy = next(b for b in box.buttons() if b.text() == "Copy")
    copy.click()
    assert "index out of step" in QApplication.clipboard().text()
    assert box.isVisible()  # Copy does not close the box
    assert [c.effects for c in seen] == [frozenset({Effect.PAIRS})]  # a failed op may have changed data
    box.close()


def test_expected_error_has_no_details_and_on_error_shows_it_in_place(ctx, qtbot):
    def bad(state):
        raise ValueError("credential: choose a credential first")

    ctx.ops.run("Generate", bad)
    assert ctx.errors.last.details == "" and ctx.errors.box.detailedText() == ""
    ctx.errors.box.close()
    shown: list[str] = []
    ctx.errors.last = None
    ctx.ops.run("Estimate", bad, on_error=shown.append)
    assert shown == ["credential: choose a credential first"] and ctx.errors.last is None
    ctx.ops.run("Estimate", lambda state: 1 / 0, on_error=shown.append)
    assert shown[-1] == "division by zero" and "ZeroDivisionError" in ctx.errors.last.details  # a bug: box too
    ctx.errors.box.close()


def test_cancelled_op_calls_on_cancelled_and_still_announces(ctx, qtbot):
    def stop(state):
        raise Cancelled()

    seen = notices(ctx)
    cancelled: list[bool] = []
    ctx.ops.run("Import", stop, on_cancelled=lambda: cancelled.append(True), effects={Effect.DOCUMENTS})
    assert cancelled == [True] and [c.effects for c in seen] == [frozenset({Effect.DOCUMENTS})]


def test_effects_of_adds_what_only_the_result_knows(ctx, qtbot):
    seen = notices(ctx)
    ctx.ops.run("Create dataset", lambda state: {"dataset_id": 4}, effects={Effect.DATASETS},
                effects_of=lambda r: {"effects": {Effect.PAIRS}, "dataset_id": r["dataset_id"]})
    assert seen == [Changes(frozenset({Effect.DATASETS, Effect.PAIRS}), None, 4)]
