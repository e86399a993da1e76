"""The leak check in ``conftest.py`` fails tests that leave pool work or timers running."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent

LEAKY_TESTS = '''
import threading

from PySide6.QtCore import QTimer, QObject

from fineflow_desktop.workers import TaskManager

release = threading.Event()


def test_leaves_task_running(qtbot):
    tm = TaskManager()
    tm.start(tm.submit("wait", lambda state: release.wait(3)))


def test_leaves_timer_running(qtbot):
    owner = QObject()
    timer = QTimer(owner)
    timer.start(60_000)
    test_leaves_timer_running.keep = owner


def test_leaves_single_shot_pending(qtbot):
    QTimer.singleShot(60_000, lambda: None)


def test_clean(qtbot):
    tm = TaskManager()
    task = tm.submit("quick", lambda state: 1)
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        tm.start(task)
    timer = QTimer()
    timer.start(60_000)
    timer.stop()


def test_release():
    release.set()
'''


def test_leak_check_fails_leaky_tests(pytester):
    """A task still running, a live timer, a pending single-shot each fail their test; a clean one passes."""
    for helper in ("conftest.py", "leaks.py"):
        shutil.copy(TESTS / helper, pytester.path / helper)
    pytester.makepyfile(test_leaky=LEAKY_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-o", "addopts=",
                                           "-o", "markers=allow_leaks: x", "-o", "qt_api=pyside6")
    result.assert_outcomes(passed=5, errors=3)  # a teardown error counts besides its passed call
    result.stdout.fnmatch_lines(["*test left 1 task(s) running in a QThreadPool*"])
    result.stdout.fnmatch_lines(["*test left a QTimer running (interval 60000 ms*"])
    result.stdout.fnmatch_lines(["*test left a QTimer.singleShot pending*"])


@pytest.mark.allow_leaks
def test_allow_leaks_marker_lets_a_test_leave_a_timer(qtbot):
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.start(60_000)
    test_allow_leaks_marker_lets_a_test_leave_a_timer.timer = timer  # stopped by the fixture
