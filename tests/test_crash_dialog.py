"""Crash dialog: exceptions in a worker, a slot and a thread open ONE dialog, are logged with the
traceback (keys masked) and the window keeps responding. Help ▸ Open log folder and About."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from fineflow_desktop.logs import log_dir, setup_logging
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.crash import CrashDialog, install_crash_reporter
from fineflow_desktop.ui.main_window import MainWindow
from gui_helpers import shot

PLANTED = "sk-proj-PLANTEDcrashKEY0123456789abcd"


@pytest.fixture
def app_window(tmp_path, qtbot):
    """The real main window with background tasks on threads, JSON logging and the crash reporter."""
    import logging

    path = setup_logging()
    app = QApplication.instance()
    reporter = install_crash_reporter(app)
    win = MainWindow(Workspace.open(tmp_path / "ws"))  # real thread pool, not synchronous
    qtbot.addWidget(win)
    win.show()
    yield win, reporter, path
    if reporter.dialog is not None:
        reporter.dialog.close()
    reporter.uninstall()
    win.close()
    for h in list(logging.getLogger().handlers):
        if getattr(h, "baseFilename", None) == str(path):
            logging.getLogger().removeHandler(h)
            h.close()


def dialogs() -> list[CrashDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()]


def log_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def window_responds(win, qtbot) -> None:
    """Switching panes from the sidebar still works and the window repaints."""
    target = (win.sidebar.currentRow() + 1) % win.sidebar.count()
    win.sidebar.setCurrentRow(target)
    qtbot.waitUntil(lambda: win.stack.currentIndex() == target)
    assert not win.grab().isNull()


@pytest.mark.qt_no_exception_capture
def test_worker_exception_opens_one_dialog_logged_and_window_responds(app_window, qtbot):
    win, reporter, path = app_window

    def broken(state):
        return {"a": 1}["missing " + PLANTED]  # KeyError: a programming error inside a task

    tasks = win.ctx.tasks
    tasks.start(tasks.submit("Broken task", broken))
    qtbot.waitUntil(lambda: len(dialogs()) == 1, timeout=10_000)
    dlg = dialogs()[0]
    assert "KeyError" in dlg.message.text() and "Broken task" in dlg.message.text()
    assert PLANTED not in dlg.details_text() and "Traceback" in dlg.details_text()
    window_responds(win, qtbot)

    tasks.start(tasks.submit("Broken again", broken))
    qtbot.waitUntil(lambda: len(reporter.dialog.reports) == 2, timeout=10_000)
    assert len(dialogs()) == 1, "further errors go into the same dialog"
    assert "2 unexpected errors" in dlg.message.text()
    shot(dlg, "crash_dialog")

    dlg.copy_button.click()
    copied = QApplication.clipboard().text()
    assert "KeyError" in copied and "broken" in copied and PLANTED not in copied

    text = path.read_text(encoding="utf-8")
    assert PLANTED not in text
    crash = [r for r in log_lines(path) if r["event"].startswith("uncaught error in task")]
    assert len(crash) == 2 and "Traceback" in crash[0]["traceback"] and crash[0]["level"] == "ERROR"
    failed = [r for r in log_lines(path) if r["event"] == "task finished" and r.get("outcome") == "failed"]
    assert failed and all(isinstance(r["task_id"], int) and r["duration_ms"] >= 0 for r in failed)


@pytest.mark.qt_no_exception_capture
def test_slot_exception_opens_the_dialog_and_the_app_keeps_running(app_window, qtbot):
    win, reporter, path = app_window
    button = QPushButton("Break", win)

    def slot():
        raise ValueError(f"slot failed with {PLANTED}")

    button.clicked.connect(slot)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs()) == 1, timeout=10_000)
    dlg = dialogs()[0]
    assert "ValueError" in dlg.message.text() and "main thread" in dlg.message.text()
    assert PLANTED not in dlg.message.text() + dlg.details_text()
    window_responds(win, qtbot)
    records = [r for r in log_lines(path) if r["event"].startswith("uncaught error in main thread")]
    assert records and "in slot" in records[0]["traceback"] and PLANTED not in path.read_text(encoding="utf-8")

    # a second click adds to the same dialog; closing it and failing again opens a new one
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dlg.reports) == 2)
    dlg.close()
    qtbot.waitUntil(lambda: reporter.dialog is None)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs()) == 1)
    assert len(dialogs()[0].reports) == 1


@pytest.mark.qt_no_exception_capture
def test_thread_exception_is_reported_on_the_main_thread(app_window, qtbot):
    win, reporter, path = app_window

    def boom():
        raise RuntimeError("thread broke")

    t = threading.Thread(target=boom, name="helper-thread")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(dialogs()) == 1, timeout=10_000)
    assert "thread helper-thread" in dialogs()[0].message.text()
    window_responds(win, qtbot)


def test_open_log_folder_asks_the_desktop_for_the_log_folder(app_window, monkeypatch):
    win, reporter, path = app_window
    opened = []
    # The desktop's file manager is outside the app: record the URL instead of launching one.
    monkeypatch.setattr("fineflow_desktop.ui.crash.QDesktopServices.openUrl", lambda url: opened.append(url) or True)
    win.open_log_folder_action.trigger()
    assert opened and opened[0].toLocalFile() == str(log_dir()) and path.parent == log_dir()


def test_about_lists_versions_and_licences(app_window, qtbot):
    win, reporter, path = app_window
    dlg = win.show_about()
    qtbot.waitUntil(dlg.isVisible)
    from PySide6.QtWidgets import QLabel

    label = dlg.findChild(QLabel, "aboutText")
    html = label.text()
    import platform

    import PySide6
    from PySide6.QtCore import qVersion

    from fineflow_desktop import __version__

    for needle in (__version__, platform.python_version(), qVersion(), PySide6.__version__, "SQLAlchemy", "tiktoken",
                   "PSF License", "LGPL-3.0", "SOURCES.txt"):
        assert needle in html, needle
    shot(dlg, "about_box")
    dlg.close()
