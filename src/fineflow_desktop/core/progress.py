"""Progress and cancellation state shared by core functions, workers and the CLI.

A long core function takes a ``TaskState`` and calls ``state.check()`` between units of work
and ``state.progress(done, total, message)`` when something changed. The worker layer wires
the callbacks to Qt signals; the CLI prints them; tests use the defaults. (Pattern: Orange3
``widgets/utils/concurrent.py``.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable


class Cancelled(Exception):
    """Raised by ``TaskState.check`` once cancellation was requested."""


ProgressCallback = Callable[[int, int, str], None]


@dataclass
class TaskState:
    """Progress sink + cancel flag for one running task. Thread-safe to cancel.

    ``on_progress(done, total, message)`` is called only when the triple changes, so a tight
    loop may call ``progress`` freely.
    """

    on_progress: ProgressCallback | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)
    _last: tuple[int, int, str] | None = None

    def cancel(self) -> None:
        """Ask the task to stop at its next ``check()``."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if cancellation was requested."""
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report ``done`` of ``total`` units (total 0 = unknown) with a short message."""
        triple = (done, total, message)
        if triple != self._last:
            self._last = triple
            if self.on_progress is not None:
                self.on_progress(done, total, message)
