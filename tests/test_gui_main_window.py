"""Main window and app entry point: panes, menus, shortcuts, About, workspace switching, quit."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from fineflow_desktop.services.datasets import get_or_create_dataset
from fineflow_desktop.store.workspace import Workspace, default_workspace_path, recent_workspaces
from fineflow_desktop.ui.builder import BuilderPane
from fineflow_desktop.ui.about import about_text
from fineflow_desktop.ui.main_window import PANES, MainWindow
from fineflow_desktop.ui.pairs.pane import PairsPane
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.validate import ValidatePane
from fineflow_desktop.ui.effects import Effect
from gui_helpers import shot

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def window(tmp_path, qtbot):
    ws = Workspace.open(tmp_path / "first")
    win = MainWindow(ws, synchronous_tasks=True)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_panes_sidebar_and_menus(window, qtbot):
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == [cls.title for cls in PANES] and titles[:3] == ["Dataset Builder", "Pair Editor", "Validate & Export"]
    assert isinstance(window.stack.currentWidget(), BuilderPane)
    shot(window, "main_window")
    window.sidebar.setCurrentRow(2)
    assert isinstance(window.stack.currentWidget(), ValidatePane)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Dataset", "&View", "&Help"]
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    # "&&" shows a literal "&" (a single one underlined the E: "Validate _Export")
    assert "Validate && Export" in [a.text() for a in view.actions()]
    assert all(pane.title and isinstance(pane, Pane) for pane in window.panes)


def test_every_pane_spec_names_a_pane_with_its_title():
    for spec in PANES:
        cls = spec.load()
        assert issubclass(cls, Pane) and cls.title == spec.title and spec.names(cls)


def test_deferred_start_paints_before_building_the_other_panes(tmp_path, qtbot):
    """The app's start-up (defer_panes): the visible pane and the menu's panes exist at the
    first paint, the rest are built one per event-loop turn after it, or at once when asked."""
    ws = Workspace.open(tmp_path / "deferred")
    win = MainWindow(ws, synchronous_tasks=True, defer_panes=True)
    qtbot.addWidget(win)
    early = {type(p).__name__ for p in win.panes}
    assert early == {"BuilderPane", "ValidatePane"}
    assert isinstance(win.stack.currentWidget(), BuilderPane)
    models = win.pane(PANES[6])  # asked for before its turn: built now, once
    assert type(models).__name__ == "ModelsPane" and win.pane(PANES[6]) is models
    win.show()
    qtbot.waitUntil(lambda: len(win.panes) == len(PANES), timeout=20000)
    assert [type(p).__name__ for p in win.panes] == [spec.name for spec in PANES]
    assert win.stack.count() == len(PANES) and all(win.stack.widget(i) is p for i, p in enumerate(win.panes))
    win.sidebar.setCurrentRow(5)
    assert win.stack.currentWidget() is win.jobs
    win.close()


def test_menus_come_from_one_table_that_also_feeds_the_shortcuts_help(window, qtbot):
    from fineflow_desktop.ui.actions import MenuItem, shortcut_rows
    from fineflow_desktop.ui.main_window import MENU_TABLE

    for item in (i for i in MENU_TABLE if isinstance(i, MenuItem)):
        action = getattr(window, item.attr)
        assert action.text() == item.text and (item.tip or item.text.replace("&", "")) in action.toolTip()
    rows = shortcut_rows(window.menuBar())
    assert ("File", "Open workspace…", "Ctrl+O") in rows and ("Help", "Keyboard shortcuts", "Ctrl+/") in rows
    assert ("View", "Validate & Export", "Ctrl+3") in rows  # "&&" shown as "&", not an accelerator
    dlg = window.show_shortcuts()
    qtbot.addWidget(dlg)
    text = dlg.label.text()
    for keys in ("Ctrl+O", "Ctrl+Shift+D", "F5", "Ctrl+3", "Del", "J / ↓"):
        assert keys in text
    shot(dlg, "shortcuts_help")
    shortcuts = {
        window.open_workspace_action: "Ctrl+O",
        window.builder.import_files_action: "Ctrl+I",
        window.builder.import_folder_action: "Ctrl+Shift+I",
        window.validate.export_action: "Ctrl+E",
        window.validate.validate_action: "F5",
        window.undo_action: "Ctrl+Z",
        window.redo_action: "Ctrl+Shift+Z",
    }
    for action, keys in shortcuts.items():
        assert action.shortcut() == QKeySequence(keys), action.text()
    for action in (window.open_workspace_action, window.builder.import_files_action, window.builder.import_folder_action,
                   window.validate.export_action, window.validate.validate_action):
        assert QKeySequence(action.shortcut()).toString(QKeySequence.SequenceFormat.NativeText) in action.toolTip()
    assert "Ctrl+O" in window.workspace_button.toolTip()


def test_menu_shortcut_brings_its_pane_forward(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr("fineflow_desktop.ui.validate.pane.QFileDialog.getSaveFileName", lambda *a, **k: asked.append(1) or ("", ""))
    get_or_create_dataset(window.ctx.workspace, "d")
    window.ctx.events.announce({Effect.DATASETS})
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts go to the active window
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert isinstance(window.stack.currentWidget(), ValidatePane)
    assert window.validate.report is not None  # F5 validated from the builder pane
    monkeypatch.setattr("fineflow_desktop.ui.builder.pane.QFileDialog.getOpenFileNames", lambda *a, **k: (asked.append(2) or [], ""))
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), BuilderPane) and asked == [2]


def test_double_click_on_a_problem_opens_its_pair(window, qtbot):
    from fineflow_desktop.services.pairs import insert_pairs

    ds = get_or_create_dataset(window.ctx.workspace, "small")
    rows = [{"user": f"Question {i}?", "assistant": f"Answer number {i} with words."} for i in range(12)]
    rows[7]["assistant"] = ""
    ids = insert_pairs(window.ctx.workspace, ds, rows)
    window.ctx.events.announce({Effect.DATASETS})
    validate = window.show_pane(ValidatePane)
    validate.validate_action.trigger()
    model = validate.problems_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 2).data() == str(ids[7]))
    table = validate.problems_table
    rect = table.visualRect(model.index(row, 4))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a real double-click starts with a press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(window.stack.currentWidget(), PairsPane)
    assert window.pairs.dataset_id == ds and window.pairs.current_pair_id() == ids[7]


def test_undo_redo_actions_follow_the_undo_stack(window):
    from PySide6.QtGui import QUndoCommand

    log = []

    class Cmd(QUndoCommand):
        def redo(self):
            log.append("do")

        def undo(self):
            log.append("undo")

    assert not window.undo_action.isEnabled()
    window.ctx.undo_stack.push(Cmd("Edit cell"))
    assert window.undo_action.isEnabled() and "Edit cell" in window.undo_action.text()
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert log == ["do", "undo", "do"]


def test_about_lists_version_and_licences(window, qtbot):
    text = about_text()
    assert "0.1.0" in text and "tiktoken" in text and "o200k_base" in text and "WordLlama" in text and "LGPL" in text
    box = window.show_about()
    assert box.isVisible()
    from PySide6.QtWidgets import QLabel

    assert "WordLlama" in box.findChild(QLabel, "aboutText").text()
    shot(box, "about")
    box.close()


def test_switch_workspace_rebuilds_context_and_panes(window, tmp_path, qtbot):
    first_ctx, first_builder = window.ctx, window.builder
    get_or_create_dataset(first_ctx.workspace, "only-in-first")
    contexts = []
    window.workspace_changed.connect(contexts.append)
    assert window.switch_workspace(tmp_path / "second", create=True)
    assert window.ctx is not first_ctx and contexts == [window.ctx]
    assert window.builder is not first_builder
    assert window.ctx.workspace.path == (tmp_path / "second").resolve()
    assert "second" in window.windowTitle()
    assert window.validate.dataset_combo.count() == 0  # the panes show the new workspace
    # Open Recent lists the first workspace; choosing it brings its data back.
    window._fill_recent_menu()
    recent = [a.text() for a in window.recent_menu.actions()]
    assert str((tmp_path / "first").resolve()) in recent
    next(a for a in window.recent_menu.actions() if a.text().endswith("first")).trigger()
    assert window.validate.dataset_combo.currentText().startswith("only-in-first")
    assert (tmp_path / "second").resolve() in recent_workspaces()


def test_open_workspace_dialog_and_refusals(window, tmp_path, monkeypatch):
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: errors.append(text))
    empty = tmp_path / "not-a-workspace"
    empty.mkdir()
    monkeypatch.setattr("fineflow_desktop.ui.main_window.QFileDialog.getExistingDirectory", lambda *a, **k: str(empty))
    before = window.ctx
    window.open_workspace_action.trigger()
    assert window.ctx is before and errors and "not a FineFlow workspace" in errors[0]
    # A database written by a newer schema is refused with a clear message; nothing changes.
    newer = tmp_path / "newer"
    Workspace.open(newer).close()
    con = sqlite3.connect(newer / "workspace.db")
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    assert not window.switch_workspace(newer)
    assert "newer version of FineFlow" in errors[-1] and window.ctx is before
    # File > New workspace… in an empty folder creates and opens it.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    monkeypatch.setattr("fineflow_desktop.ui.main_window.QFileDialog.getExistingDirectory", lambda *a, **k: str(fresh))
    window.new_workspace_action.trigger()
    assert window.ctx is not before and (fresh / "workspace.db").exists()
    assert window.ctx.workspace.path == fresh.resolve()


def test_close_cancels_and_waits_for_running_tasks(tmp_path, qtbot):
    win = MainWindow(Workspace.open(tmp_path / "ws"))  # real threads
    qtbot.addWidget(win)
    win.show()
    inside, stopped = threading.Event(), []

    def loop(state):
        inside.set()
        try:
            while True:
                state.check()
                threading.Event().wait(0.005)
        finally:
            stopped.append(True)

    tasks = win.ctx.tasks
    tasks.start(tasks.submit("Long job", loop))
    assert inside.wait(5)
    qtbot.waitUntil(lambda: len(win.tasks_widget.rows()) == 1)
    shot(win, "main_window_task_running")
    win.close()
    assert stopped == [True] and tasks.running() == []


def _run_app(args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FINEFLOW_DATA_DIR=str(tmp_path / "data"),
               FINEFLOW_CONFIG_DIR=str(tmp_path / "config"), PYTHONPATH=str(SRC))
    return subprocess.run([sys.executable, "-m", "fineflow_desktop", *args], capture_output=True, text=True, env=env, timeout=120)


def test_first_start_creates_the_default_workspace(tmp_path, monkeypatch):
    proc = _run_app(["--quit-after-paint"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "first paint after" in proc.stdout
    monkeypatch.setenv("FINEFLOW_DATA_DIR", str(tmp_path / "data"))
    assert (default_workspace_path() / "workspace.db").exists()


def test_workspace_option_and_bad_workspace(tmp_path):
    proc = _run_app(["--quit-after-paint", "--workspace", str(tmp_path / "chosen")], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "chosen" / "workspace.db").exists()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "workspace.db").write_text("not sqlite")
    proc = _run_app(["--quit-after-paint", "--workspace", str(bad)], tmp_path)
    assert proc.returncode == 2 and "not an SQLite database" in proc.stderr


def test_dataset_menu_opens_import_and_export_dialogs(window, qtbot):
    from fineflow_desktop.ui.importer import ExportDialog, ImportDialog

    window.import_dataset_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, ImportDialog) and w.isVisible() for w in window.findChildren(ImportDialog)))
    for dlg in window.findChildren(ImportDialog):
        dlg.close()
    window.export_options_action.trigger()
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(ExportDialog)))
    assert window.import_dataset_action.shortcut().toString() == "Ctrl+Shift+D"
    for dlg in window.findChildren(ExportDialog):
        dlg.close()


def test_process_start_clock_agrees_with_the_parents_clock():
    """Start-up figures count from the process's real start: psutil's create_time (boot time in
    whole seconds) put it 0.9 s early here. The child's estimate of its start must fall between
    the parent's clock before and after starting it (10 ms tick resolution allowed)."""
    import time

    code = "import time; from fineflow_desktop.app import seconds_since_process_start as s; print(time.time() - s())"
    before = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    after = time.time()
    started = float(out.stdout.strip())
    assert before - 0.03 <= started <= after, (before, started, after)
