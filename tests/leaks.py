"""Record Qt thread pools and timers started during a test; report those still running after it.

Used by the ``no_leaked_qt_work`` fixture in ``conftest.py`` (napari's ``_dangling_qthread_pool``
/ ``_dangling_qtimers`` pattern): ``QThreadPool.start``, ``QTimer.start`` and
``QTimer.singleShot`` are replaced at class level, so pools created anywhere (``TaskManager``
has its own) and timers started from Python are seen. ``multiprocessing`` processes started
during the test (the app's poll process, ingest workers) must have ended too.
"""

from __future__ import annotations

import multiprocessing.process
import traceback
import weakref

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool, QTimer
from shiboken6 import isValid

# A worker emits ``finished`` a moment before its thread is free: give it this long.
POOL_GRACE_MS = 1000
PROCESS_GRACE_S = 3.0  # a child asked to exit finishes its last transaction first


def _where() -> str:
    """The test-side frames of the current stack (where a timer was started)."""
    frames = [f for f in traceback.extract_stack()[:-2] if "/tests/leaks.py" not in f.filename]
    return "".join(traceback.format_list(frames[-4:]))


class LeakRecorder:
    """Patches the start methods (``install``) and lists what still runs (``problems``)."""

    def __init__(self) -> None:
        self.pools: list[QThreadPool] = []
        self.timers: weakref.WeakKeyDictionary[QTimer, str] = weakref.WeakKeyDictionary()
        self.single_shots: list[dict] = []
        self.processes: list[tuple[multiprocessing.process.BaseProcess, str]] = []

    def install(self, monkeypatch) -> None:
        """Replace ``QThreadPool.start``, ``QTimer.start`` and ``QTimer.singleShot`` for one test."""
        recorder = self
        pool_start, timer_start, single_shot = QThreadPool.start, QTimer.start, QTimer.singleShot

        def start_pool(pool, runnable, *args):
            if not any(p is pool for p in recorder.pools):
                recorder.pools.append(pool)
            return pool_start(pool, runnable, *args)

        def start_timer(timer, *args):
            recorder.timers[timer] = _where()
            return timer_start(timer, *args)

        def start_single_shot(msec, *args):
            fn = args[-1]
            if not callable(fn) or isinstance(fn, QObject) or isinstance(fn, (str, bytes)):
                return single_shot(msec, *args)  # (msec, receiver, "SLOT()") forms: not tracked
            owner = args[0] if len(args) == 2 and isinstance(args[0], QObject) else getattr(fn, "__self__", None)
            owner = owner if isinstance(owner, QObject) else None
            entry = {"where": _where(), "owner": weakref.ref(owner) if owner is not None else None, "done": False}

            def fire():
                entry["done"] = True
                fn()

            recorder.single_shots.append(entry)
            if owner is not None:  # cancelled when the owner is deleted, as Qt does with a context
                return single_shot(msec, owner, fire)
            return single_shot(msec, fire)

        process_start = multiprocessing.process.BaseProcess.start

        def start_process(proc):
            recorder.processes.append((proc, _where()))
            return process_start(proc)

        monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start_process)
        monkeypatch.setattr(QThreadPool, "start", start_pool)
        monkeypatch.setattr(QTimer, "start", start_timer)
        monkeypatch.setattr(QTimer, "singleShot", staticmethod(start_single_shot))

    def problems(self) -> list[str]:
        """Descriptions of pools with running work and timers still active on live objects.

        Deletes the objects already scheduled for deletion (the widgets pytest-qt closed) and
        delivers pending events first: a timer owned by a deleted widget is gone, not leaked.
        """
        app = QCoreApplication.instance()
        if app is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
        out = []
        for pool in self.pools:
            if isValid(pool) and not pool.waitForDone(POOL_GRACE_MS):
                out.append(f"test left {pool.activeThreadCount()} task(s) running in a QThreadPool "
                           f"(cancel and wait for them, e.g. TaskManager.shutdown())")
        for timer, where in list(self.timers.items()):
            if isValid(timer) and timer.isActive():
                out.append(f"test left a QTimer running (interval {timer.interval()} ms, started at):\n{where}")
        for entry in self.single_shots:
            owner = entry["owner"]() if entry["owner"] is not None else None
            gone = entry["owner"] is not None and (owner is None or not isValid(owner))
            if not entry["done"] and not gone:
                out.append(f"test left a QTimer.singleShot pending, started at:\n{entry['where']}")
        for proc, where in self.processes:
            try:
                proc.join(PROCESS_GRACE_S)
                alive = proc.is_alive()
            except ValueError:  # closed: it ended and was collected
                alive = False
            if alive:
                out.append(f"test left process {proc.name} (pid {proc.pid}) running, started at:\n{where}")
        return out

    def stop_all(self) -> None:
        """Stop what leaked so that it cannot disturb the next test."""
        for timer in list(self.timers):
            if isValid(timer):
                timer.stop()
        for pool in self.pools:
            if isValid(pool):
                pool.waitForDone(30_000)
        for proc, _where_started in self.processes:
            try:
                if proc.is_alive():
                    proc.kill()
                    proc.join(5)
            except ValueError:
                pass
