"""Python's cyclic garbage collector runs on the GUI thread only.

Why: CPython collects on whichever thread happens to allocate past the threshold. When that is a
worker thread (a ``QThreadPool`` task importing a library, building a result), the collector can
run the destructor of a Qt object that belonged to the GUI — ``~QObject`` then takes Qt's
connection mutex on the worker while the GUI thread, holding the GIL, waits for that mutex (e.g.
in ``QTextEdit.clear()`` → ``QMetaObject::disconnect``): a deadlock. Seen once in CI (session 8,
``test_gui_jobs_providers``, diagnosed with ``py-spy dump --native``); it can hang the app too.

The cure is pyqtgraph's ``GarbageCollector`` pattern (``pyqtgraph/util/garbage_collector.py``):
turn automatic collection off in the GUI process and let a timer on the GUI thread collect each
generation when its count passes the threshold automatic collection would have used. Reference
counting still frees everything that is not in a cycle at once, on any thread; only cycles wait
for the timer (at most ``interval_ms``). Processes the app starts use the ``spawn`` method and so
keep Python's default collector.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

DEFAULT_INTERVAL_MS = 1000  # pyqtgraph's default interval (1 s)


class MainThreadGC(QObject):
    """Owns the timer that collects garbage on the thread it was created on (the GUI thread).

    ``gc.disable()`` is called on construction; ``stop()`` turns automatic collection back on.
    ``collections`` counts the collections run per generation ``[gen0, gen1, gen2]`` (for tests
    and the log).
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = DEFAULT_INTERVAL_MS):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.collections = [0, 0, 0]
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        gc.disable()
        self._timer.start()

    def check(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds.

        Same rule as CPython's automatic collection (``gc.get_threshold()``): generation 0 when
        its count exceeds threshold 0, then the older ones in turn.
        """
        counts = gc.get_count()
        for generation in range(3):
            if self.threshold[generation] and counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                self.collections[generation] += 1
            else:
                break

    def stop(self) -> None:
        """Stop the timer and give collection back to CPython."""
        self._timer.stop()
        gc.enable()


def install_main_thread_gc(app: QObject, interval_ms: int = DEFAULT_INTERVAL_MS) -> MainThreadGC:
    """Disable automatic collection and collect on ``app``'s thread every ``interval_ms`` ms.

    ``app`` is the ``QApplication`` (the collector is its child, so it lives as long as the app);
    call from the GUI thread. Installing twice returns the existing collector.
    """
    existing = app.findChild(MainThreadGC)
    if existing is not None:
        return existing
    return MainThreadGC(app, interval_ms)
