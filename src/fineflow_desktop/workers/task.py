"""Run plain core functions on a QThreadPool with progress, cancel and main-thread signals.

A ``Task`` wraps ``fn(state, *args, **kwargs)`` where ``state`` is a ``core.progress.TaskState``.
Its signal holder (``TaskSignals``) is created in the constructor, i.e. on the main thread, so
connected slots run on the main thread (superqt ``_qthreading.py``). The ``TaskManager`` keeps a
strong reference to every task until it finishes, lists running tasks, cancels and waits for
them on quit (git-cola ``qtutils.py``), and has a synchronous mode for unit tests.
"""

from __future__ import annotations

import itertools
import logging
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.store.workspace import WorkspaceError

log = logging.getLogger(__name__)
_ids = itertools.count(1)

# Errors the user fixes (bad input, missing credential, unreachable provider, unreadable file):
# reported as one line and logged as a warning, without a traceback (PROGRAMMING_ERRORS such as
# KeyError stay bugs). The services raise
# ValueError / LookupError subclasses for bad input (see their docstrings).
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (ValueError, LookupError, OSError, ProviderError, WorkspaceError)

# Exceptions that mean a bug rather than bad input or an unreachable service: besides the task's
# own error signal (the pane shows the message), they are passed to every callable in
# ``unexpected_error_hooks(title, exc)`` — the app's crash reporter (``ui.crash``) registers there.
PROGRAMMING_ERRORS = (TypeError, AttributeError, NameError, KeyError, IndexError, AssertionError,
                      ZeroDivisionError, RecursionError, NotImplementedError)
unexpected_error_hooks: list[Callable[[str, BaseException], None]] = []


class TaskSignals(QObject):
    """Signals of one task; all delivered on the thread that created the task (main)."""

    progress = Signal(int, int, str)  # done, total, message
    result = Signal(object)
    error = Signal(str, str)  # message, traceback text ("" for an EXPECTED_ERRORS error)
    cancelled = Signal()
    finished = Signal()  # always last, after result / error / cancelled


class Task(QRunnable):
    """One unit of background work. Connect to ``task.signals`` before starting it."""

    def __init__(self, title: str, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        super().__init__()
        self.setAutoDelete(False)  # the manager owns the lifetime
        self.id = next(_ids)
        self.title = title
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = TaskSignals()
        self.state = TaskState(on_progress=self.signals.progress.emit)
        self.progress: tuple[int, int, str] = (0, 0, "")
        self.signals.progress.connect(self._remember_progress)

    def _remember_progress(self, done: int, total: int, message: str) -> None:
        self.progress = (done, total, message)

    def cancel(self) -> None:
        """Request cancellation; the function stops at its next ``state.check()``."""
        self.state.cancel()

    def run(self) -> None:  # runs on a pool thread (or inline in synchronous mode)
        started = time.perf_counter()
        outcome = "failed"
        try:
            value = self.fn(self.state, *self.args, **self.kwargs)
        except Cancelled:
            outcome = "cancelled"
            self.signals.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - every error must reach the UI
            outcome = "failed"
            if isinstance(exc, EXPECTED_ERRORS) and not isinstance(exc, PROGRAMMING_ERRORS):
                log.warning("task %r: %s", self.title, exc, extra={"task_id": self.id})
                log.debug("task %r failed", self.title, exc_info=True)
                self.signals.error.emit(str(exc) or type(exc).__name__, "")
                return  # ``finally`` still logs the outcome and emits ``finished``
            log.exception("task %r failed", self.title, extra={"task_id": self.id})
            self.signals.error.emit(str(exc) or type(exc).__name__, traceback.format_exc())
            if isinstance(exc, PROGRAMMING_ERRORS):
                for hook in list(unexpected_error_hooks):
                    hook(self.title, exc)
        else:
            if self.state.cancelled:
                outcome = "cancelled"
                self.signals.cancelled.emit()
            else:
                outcome = "done"
                self.signals.result.emit(value)
        finally:
            log.info("task finished", extra={"task_id": self.id, "task": self.title, "outcome": outcome,
                                             "duration_ms": round((time.perf_counter() - started) * 1000)})
            self.signals.finished.emit()


class TaskManager(QObject):
    """Starts tasks, tracks the running ones, cancels and waits for them on quit.

    ``synchronous=True`` runs each task inline in ``start`` (unit tests); otherwise tasks run
    on a private ``QThreadPool`` with ``max_threads`` threads.
    """

    task_started = Signal(object)
    task_finished = Signal(object)

    def __init__(self, parent: QObject | None = None, synchronous: bool = False, max_threads: int = 2):
        super().__init__(parent)
        self.synchronous = synchronous
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: dict[int, Task] = {}

    def start(self, task: Task) -> Task:
        """Run *task*; returns it so callers can chain ``.signals`` connections."""
        self._running[task.id] = task
        task.signals.finished.connect(lambda t=task: self._on_finished(t))
        self.task_started.emit(task)
        if self.synchronous:
            task.run()
        else:
            self.pool.start(task)
        return task

    def submit(self, title: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Create a ``Task`` for ``fn(state, *args, **kwargs)`` (not started yet)."""
        return Task(title, fn, *args, **kwargs)

    def _on_finished(self, task: Task) -> None:
        self._running.pop(task.id, None)
        self.task_finished.emit(task)

    def running(self) -> list[Task]:
        """Tasks started and not finished, oldest first."""
        return list(self._running.values())

    def cancel_all(self) -> None:
        for task in self.running():
            task.cancel()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every task and wait for the pool; True if all stopped in time."""
        self.cancel_all()
        return self.pool.waitForDone(timeout_ms)
