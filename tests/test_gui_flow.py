"""Acceptance: the whole user flow of issue 2 through the real main window, on real threads.

Drop files and import a folder of real Python doc sources (tests/fixtures/pydocs), create a
dataset with the offline extractive generator, edit a pair in the Pair Editor through its
delegate, undo, validate, export OpenAI JSONL, close and reopen the workspace.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fineflow_desktop.services.datasets import list_datasets, validate_file
from fineflow_desktop.services.pairs import get_pair
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.builder import BuilderPane
from fineflow_desktop.ui.main_window import MainWindow
from fineflow_desktop.ui.pairs.delegate import CellEditor
from fineflow_desktop.ui.pairs.pane import PairsPane
from fineflow_desktop.ui.pairs.table_model import COLUMN_INDEX
from fineflow_desktop.ui.validate import ValidatePane
from gui_helpers import drop_files, shot

PYDOCS = Path(__file__).parent / "fixtures" / "pydocs"
WAIT_MS = 120_000  # generous: the machine is shared; waits end as soon as the condition holds


@pytest.mark.slow
def test_documents_to_validated_openai_jsonl_through_the_gui(tmp_path, qtbot, monkeypatch):
    ws_path = tmp_path / "workspace"
    win = MainWindow(Workspace.open(ws_path))  # real QThreadPool threads
    qtbot.addWidget(win)
    win.resize(1280, 820)
    win.show()
    assert not win.ctx.tasks.synchronous

    # 1. Drop two files onto the builder, then import the whole folder with the action.
    builder: BuilderPane = win.builder
    drop_files(builder, [PYDOCS / "general.rst.txt", PYDOCS / "errors.rst.txt"])
    assert builder.progress_box.isVisibleTo(builder)
    qtbot.waitUntil(lambda: builder.current_task is None, timeout=WAIT_MS)
    assert sorted(r["name"] for r in builder.docs_model.rows()) == ["errors.rst.txt", "general.rst.txt"]
    monkeypatch.setattr("fineflow_desktop.ui.builder.pane.QFileDialog.getExistingDirectory", lambda *a, **k: str(PYDOCS))
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: builder.current_task is None and len(builder.docs_model.rows()) == 6, timeout=WAIT_MS)
    assert "2 unchanged file(s) skipped" in builder.banner_label.text()
    assert all(r["status"] == "ready" and r["n_chunks"] > 0 for r in builder.docs_model.rows())
    shot(win, "flow_builder")

    # 2. Create a dataset with the offline extractive generator (qa), as a task.
    builder.create_dataset_action.trigger()
    dlg = builder.generate_dialog
    dlg.name_edit.setText("python-docs-qa")
    dlg.set_mode("qa")
    qtbot.keyClicks(dlg.system_edit, "You answer questions about Python.")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: builder.current_task is None and builder.open_pairs_button.isVisibleTo(builder), timeout=WAIT_MS)
    ds = {d["name"]: d for d in list_datasets(win.ctx.workspace)}["python-docs-qa"]
    assert ds["n_pairs"] >= 20

    # 3. Pair Editor: edit an assistant cell through the delegate, then undo with Ctrl+Z.
    qtbot.mouseClick(builder.open_pairs_button, Qt.MouseButton.LeftButton)
    pairs: PairsPane = win.stack.currentWidget()
    assert isinstance(pairs, PairsPane) and pairs.dataset_id == ds["id"]
    qtbot.waitUntil(lambda: pairs.model.rowCount() == ds["n_pairs"], timeout=WAIT_MS)
    view = pairs.view
    index = pairs.model.index(0, COLUMN_INDEX["assistant"])
    pair_id = pairs.current_pair_id() or pairs.model.index(0, COLUMN_INDEX["id"]).data()
    original = get_pair(win.ctx.workspace, pair_id)["assistant"]
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: view.findChild(CellEditor) is not None and view.findChild(CellEditor).isVisible())
    editor = view.findChild(CellEditor)
    editor.selectAll()
    qtbot.keyClicks(editor, "Edited in the GUI test: Python is a programming language.")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: get_pair(win.ctx.workspace, pair_id)["assistant"].startswith("Edited in the GUI test"))
    shot(win, "flow_pairs_edited")
    assert win.undo_action.isEnabled()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: get_pair(win.ctx.workspace, pair_id)["assistant"] == original)

    # 4. Validate (F5) on a real thread.
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)  # shortcuts go to the active window
    qtbot.keyClick(win, Qt.Key.Key_F5)
    validate: ValidatePane = win.stack.currentWidget()
    assert isinstance(validate, ValidatePane)
    qtbot.waitUntil(lambda: validate.report is not None and not validate.busy, timeout=WAIT_MS)
    assert validate.dataset_id() == ds["id"]
    assert validate.report.ok, [i.message for i in validate.report.errors]
    assert validate.report.stats["examples"] == ds["n_pairs"]
    assert validate.export_button.isEnabled()
    shot(win, "flow_validate")

    # 5. Export (Ctrl+E) → file chosen in the save dialog → OpenAI chat JSONL.
    out = tmp_path / "export" / "python-docs.jsonl"
    out.parent.mkdir()
    monkeypatch.setattr("fineflow_desktop.ui.validate.pane.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), ""))
    exported = []
    validate.exported.connect(exported.append)
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(exported), timeout=WAIT_MS)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == ds["n_pairs"]
    for line in lines:
        example = json.loads(line)
        assert set(example) == {"messages"}
        roles = [m["role"] for m in example["messages"]]
        assert roles == ["system", "user", "assistant"]
        assert all(set(m) == {"role", "content"} and m["content"].strip() for m in example["messages"])
        assert example["messages"][0]["content"] == "You answer questions about Python."
    assert validate_file(out).ok
    # the export task's finished signal can trail its result on a loaded machine
    qtbot.waitUntil(lambda: win.ctx.tasks.running() == [], timeout=WAIT_MS)

    # 6. Close and reopen: everything is still there.
    win.close()
    again = MainWindow(Workspace.open(ws_path))
    qtbot.addWidget(again)
    again.show()
    assert len(again.builder.docs_model.rows()) == 6
    assert again.validate.dataset_combo.currentText().startswith("python-docs-qa")
    again.show_dataset_in_pairs(ds["id"])
    qtbot.waitUntil(lambda: again.pairs.model.rowCount() == ds["n_pairs"], timeout=WAIT_MS)
    assert get_pair(again.ctx.workspace, pair_id)["assistant"] == original
    shot(again, "flow_reopened")
    again.close()
