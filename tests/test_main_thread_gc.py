"""Garbage collection runs on the GUI thread only (ui.main_thread_gc).

The hazard: a cycle holding a Qt object, collected by a collection that a worker thread's
allocations triggered, runs ``~QObject`` on that worker (a CI deadlock in session 8).
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from fineflow_desktop.ui.main_thread_gc import MainThreadGC, install_main_thread_gc


class _CycleWithQObject:
    """A reference cycle that owns a QObject; records the thread its destructor ran on."""

    def __init__(self, record: list[str]):
        self.me = self
        self.qobject = QObject()
        self.record = record

    def __del__(self):
        self.record.append(threading.current_thread().name)


def _allocate_on_worker(keep: list) -> None:
    """Allocate well past generation 0's threshold on a worker thread and keep it alive."""

    def work():
        keep.extend([i] for i in range(5 * gc.get_threshold()[0]))

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()


def test_the_app_process_collects_on_the_gui_thread(qapp):
    assert gc.isenabled() is False
    assert qapp.findChild(MainThreadGC) is not None
    assert install_main_thread_gc(qapp) is qapp.findChild(MainThreadGC)  # idempotent


def test_a_cycle_with_a_qt_object_is_never_destroyed_on_a_worker_thread(qapp, qtbot):
    record: list[str] = []
    _CycleWithQObject(record)  # unreachable at once: only the collector can free it
    keep: list = []
    _allocate_on_worker(keep)  # with CPython's own collector this collects the cycle right here
    assert record == [], f"destroyed on {record}"
    qtbot.waitUntil(lambda: record != [], timeout=5000)  # the GUI-thread timer collects it
    assert record == [threading.main_thread().name]


def test_check_follows_cpythons_thresholds(qapp):
    collector = MainThreadGC(None, interval_ms=60_000)
    try:
        collector.check()
        before = list(collector.collections)
        garbage = [[i] for i in range(2 * collector.threshold[0])]
        collector.check()
        assert collector.collections[0] == before[0] + 1
        del garbage
    finally:
        collector.stop()
        gc.disable()  # the session's collector (qapp) stays in charge
