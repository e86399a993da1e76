"""The worker layer (workers/task.py): synchronous mode, real threads, cancel, errors, shutdown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.workers import TaskManager


def _count(state: TaskState, n: int) -> int:
    for i in range(n):
        state.check()
        state.progress(i + 1, n, f"item {i + 1}")
    return n * 10


class Recorder:
    """Collects every signal of a task, and the thread each slot ran on."""

    def __init__(self, task):
        self.progress: list[tuple[int, int, str]] = []
        self.results: list = []
        self.errors: list[tuple[str, str]] = []
        self.cancelled = 0
        self.finished = 0
        self.threads: set = set()
        s = task.signals
        s.progress.connect(self._on_progress)
        s.result.connect(self._on_result)
        s.error.connect(self._on_error)
        s.cancelled.connect(self._on_cancelled)
        s.finished.connect(self._on_finished)

    def _here(self):
        self.threads.add(QThread.currentThread())

    def _on_progress(self, done, total, msg):
        self._here()
        self.progress.append((done, total, msg))

    def _on_result(self, value):
        self._here()
        self.results.append(value)

    def _on_error(self, msg, tb):
        self._here()
        self.errors.append((msg, tb))

    def _on_cancelled(self):
        self._here()
        self.cancelled += 1

    def _on_finished(self):
        self._here()
        self.finished += 1


def test_synchronous_mode_runs_inline_and_reports_everything(qtbot):
    tm = TaskManager(synchronous=True)
    task = tm.submit("count", _count, 3)
    rec = Recorder(task)
    finished = []
    tm.task_finished.connect(finished.append)
    tm.start(task)
    # Inline: everything already happened when start() returns.
    assert rec.progress == [(1, 3, "item 1"), (2, 3, "item 2"), (3, 3, "item 3")]
    assert rec.results == [30]
    assert rec.finished == 1 and not rec.errors and rec.cancelled == 0
    assert finished == [task]
    assert tm.running() == []
    assert task.progress == (3, 3, "item 3")


def test_progress_is_emitted_only_when_it_changes(qtbot):
    def repeat(state):
        for _ in range(50):
            state.progress(1, 2, "same")
        state.progress(2, 2, "same")

    tm = TaskManager(synchronous=True)
    task = tm.submit("repeat", repeat)
    rec = Recorder(task)
    tm.start(task)
    assert rec.progress == [(1, 2, "same"), (2, 2, "same")]


def test_real_thread_delivers_progress_and_result_on_main_thread(qtbot):
    tm = TaskManager()
    worker_threads = []

    def work(state, n):
        worker_threads.append(threading.get_ident())
        return _count(state, n)

    task = tm.submit("count", work, 5)
    rec = Recorder(task)
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        tm.start(task)
    assert rec.results == [50]
    assert [p[0] for p in rec.progress] == [1, 2, 3, 4, 5]
    main = QApplication.instance().thread()
    assert rec.threads == {main}, "slots must run on the main (GUI) thread"
    assert worker_threads and worker_threads[0] != threading.get_ident(), "work must run off the main thread"
    assert tm.running() == []
    assert tm.shutdown(5000)


def test_cancel_stops_a_running_task_at_its_next_check(qtbot):
    tm = TaskManager()
    started, release = threading.Event(), threading.Event()

    def slow(state):
        started.set()
        release.wait(5)
        for _ in range(1000):
            state.check()
        return "not reached"

    task = tm.submit("slow", slow)
    rec = Recorder(task)
    tm.start(task)
    assert started.wait(5)
    assert tm.running() == [task]
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: rec.finished == 1, timeout=10_000)
    assert rec.cancelled == 1 and rec.results == [] and rec.errors == []
    assert tm.running() == []
    assert tm.shutdown(5000)


def test_a_task_that_ignores_check_but_was_cancelled_reports_cancelled(qtbot):
    tm = TaskManager(synchronous=True)

    def cancel_self(state):
        state.cancel()  # cancelled while finishing: the result must not be presented as done
        return 1

    task = tm.submit("self-cancel", cancel_self)
    rec = Recorder(task)
    tm.start(task)
    assert rec.cancelled == 1 and rec.results == []


@pytest.mark.parametrize("synchronous", [True, False])
def test_error_signal_carries_message_and_traceback(qtbot, synchronous, caplog):
    """A bug (RuntimeError) comes with its traceback and is logged as an ERROR."""
    tm = TaskManager(synchronous=synchronous)

    def boom(state):
        raise RuntimeError("index out of step")

    task = tm.submit("boom", boom)
    rec = Recorder(task)
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        tm.start(task)
    assert rec.errors and rec.errors[0][0] == "index out of step"
    assert "RuntimeError" in rec.errors[0][1] and "boom" in rec.errors[0][1]
    assert rec.results == [] and rec.finished == 1
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)
    assert tm.shutdown(5000)


def test_expected_error_has_no_traceback(qtbot, caplog):
    """Bad input (a ValueError subclass) is one line for the user and a WARNING without traceback."""
    tm = TaskManager(synchronous=True)

    def bad_input(state):
        raise ValueError("notes.csv:3 [text]: empty field")

    task = tm.submit("import", bad_input)
    rec = Recorder(task)
    tm.start(task)
    assert rec.errors == [("notes.csv:3 [text]: empty field", "")]
    warnings = [r for r in caplog.records if r.name == "fineflow_desktop.workers.task"]
    assert [r.levelname for r in warnings] == ["WARNING"] and not warnings[0].exc_info


def test_shutdown_cancels_and_waits_for_running_tasks(qtbot):
    tm = TaskManager(max_threads=2)
    entered = threading.Barrier(3)
    stopped = []

    def loop(state, name):
        entered.wait(5)
        try:
            while True:
                state.check()
                QThread.msleep(5)
        except Cancelled:
            stopped.append(name)
            raise

    tasks = [tm.start(tm.submit(f"loop {i}", loop, i)) for i in range(2)]
    entered.wait(5)  # both are inside their loops
    assert len(tm.running()) == 2
    assert tm.shutdown(10_000) is True
    # waitForDone returned: the functions have left their loops before shutdown returned.
    assert sorted(stopped) == [0, 1]
    assert all(t.state.cancelled for t in tasks)
    # Queued finished signals are delivered once the event loop runs again.
    qtbot.waitUntil(lambda: tm.running() == [], timeout=5000)
