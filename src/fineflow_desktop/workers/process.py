"""A helper process for background work that must not share the GUI process's GIL.

Threads of the GUI process hold the GIL while they parse SDK responses (pydantic) and write
SQLite; the job monitor's poll pass did that for 20 jobs every 5 s and the main thread stalled
60 ms (median; 244 ms max) per pass (issue 11, ``bench/bench_monitor.py``). ``ProcessRunner``
runs such functions in one long-lived child process instead, and has ``TaskManager``'s shape
(``submit`` / ``start`` / ``running`` / ``shutdown``, ``synchronous = False``), so
``ui.ops.Ops.run(..., runner=...)`` drives it like the thread pool: the ``Task``'s signals fire on
the main thread. ``fn`` and its arguments are pickled: ``fn`` must be a module-level function, and
a ``Workspace`` crosses as its folder (``Workspace.__reduce__`` → ``Workspace.attach``).

Lifetime and crash safety:
- spawn context (never fork: the GUI process has Qt threads), ``daemon=True``, and the child dies
  with the app even on ``kill -9`` (``services.ingest.pool.die_with_parent``: ``PR_SET_PDEATHSIG`` plus
  a parent-watch thread). A frozen (PyInstaller) app must call ``multiprocessing.freeze_support()``
  first thing in its entry point (``app.main`` does).
- If the child dies (crash, OOM, killed), the running tasks fail with a message and the next
  ``start`` spawns a new child, which first runs the ``set_init`` call again (the app's keys).
  What a task stored before is committed; an interrupted transaction is rolled back by SQLite.
- ``shutdown`` asks the child to exit, waits, then terminates it.

Pipe protocol (pickled tuples). App → child: ``("run", id, fn, args, kwargs)``, ``("init", fn,
args)``, ``("cancel", id)``, ``None`` (exit). Child → app: ``("progress", id, done, total, msg)``,
``("result", id, value)``, ``("error", id, message, traceback_or_empty)``, ``("cancelled", id)``.
The app reads the pipe on a small thread that only moves bytes (``recv_bytes`` releases the GIL);
unpickling happens on the main thread, in the handler, so no thread competes with it.
"""

from __future__ import annotations

import functools
import itertools
import logging
import multiprocessing
import os
import pickle
import queue
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal

from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.workers.task import EXPECTED_ERRORS, PROGRAMMING_ERRORS, TaskSignals

log = logging.getLogger(__name__)
_ids = itertools.count(1)
EXIT_WAIT_S = 3.0  # a pass in flight gets this long to finish its transaction on shutdown


class ProcessTask:
    """One call run in the helper process; ``signals`` as ``workers.Task`` (main thread)."""

    def __init__(self, runner: "ProcessRunner", title: str, fn: Callable[..., Any], args: tuple, kwargs: dict):
        self.id = next(_ids)
        self.title = title
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = TaskSignals()
        self.progress: tuple[int, int, str] = (0, 0, "")
        self._runner = runner

    def cancel(self) -> None:
        """Ask the child to stop this call at its next ``state.check()``."""
        self._runner.send(("cancel", self.id))


class _Pipe(QObject):
    """Carries what the reader thread received to the main thread (queued connection)."""

    received = Signal(int, object)  # child generation, bytes
    closed = Signal(int)  # child generation


class ProcessRunner(QObject):
    """Runs ``fn(state, *args, **kwargs)`` in one spawned helper process, one call at a time, in order."""

    task_started = Signal(object)
    task_finished = Signal(object)
    synchronous = False

    def __init__(self, parent: QObject | None = None, name: str = "fineflow-helper", nice: int = 0):
        super().__init__(parent)
        self.name = name
        self.nice = nice
        # The child and its pipe, in a plain dict so that deleting this QObject (a pane closed
        # without ``shutdown``) still ends the child: ``destroyed`` calls ``stop_child`` on it.
        self._child: dict[str, Any] = {"process": None, "conn": None}
        self.destroyed.connect(functools.partial(stop_child, self._child))
        self._reader: threading.Thread | None = None
        self._generation = 0
        self._running: dict[int, ProcessTask] = {}
        self._init: tuple[Callable[..., Any], tuple] | None = None
        self._released: list = []  # helpers told to exit, not yet reaped
        self.main_thread_ms = 0.0  # time spent on the main thread handling messages (bench_monitor)
        self._pipe = _Pipe(self)
        self._pipe.received.connect(self._on_received, Qt.ConnectionType.QueuedConnection)
        self._pipe.closed.connect(self._on_closed, Qt.ConnectionType.QueuedConnection)

    @property
    def process(self):
        return self._child["process"]

    @process.setter
    def process(self, proc) -> None:
        self._child["process"] = proc

    @property
    def _conn(self):
        return self._child["conn"]

    @_conn.setter
    def _conn(self, conn) -> None:
        self._child["conn"] = conn

    # ---- TaskManager's shape ------------------------------------------------------------------

    def submit(self, title: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> ProcessTask:
        """A task for ``fn(state, *args, **kwargs)`` in the helper process (not started yet)."""
        return ProcessTask(self, title, fn, args, kwargs)

    def start(self, task: ProcessTask) -> ProcessTask:
        """Send *task* to the helper process (spawned on first use or after it died)."""
        self._running[task.id] = task
        self.task_started.emit(task)
        try:
            self._ensure_child()
            self.send(("run", task.id, task.fn, task.args, task.kwargs), strict=True)
        except (OSError, ValueError, pickle.PicklingError, AttributeError) as exc:
            self._finish(task, "error", f"could not start the helper process call: {exc}", traceback.format_exc())
        return task

    def running(self) -> list[ProcessTask]:
        return list(self._running.values())

    def cancel_all(self) -> None:
        for task in self.running():
            task.cancel()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel what runs, ask the child (and any released one) to exit, wait, then terminate
        it; True if the current child exited by itself.

        The wait is the shorter of *timeout_ms* and ``EXIT_WAIT_S`` (3 s): a poll pass in flight
        only needs to finish its transaction, and closing the window must not hang on a stuck child.
        """
        self.cancel_all()
        proc, conn, reader = self.process, self._conn, self._reader
        self.process = self._conn = self._reader = None
        self._generation += 1  # late messages of this child are ignored
        # A released helper still finishing its last pass gets the same wait, then is ended: at
        # nice 10 on a busy machine it can need longer, and the app must not leave it behind.
        for old in self._released:
            _end(old, EXIT_WAIT_S)
        self._released.clear()
        if proc is None:
            return True
        try:
            conn.send(None)
        except (OSError, ValueError):
            pass
        clean = _end(proc, min(EXIT_WAIT_S, timeout_ms / 1000))
        if reader is not None:
            reader.join(2.0)  # it sees EOF now and closes the pipe
        for task in self.running():
            self._finish(task, "cancelled")
        return clean

    def release(self) -> None:
        """End the helper process when nothing runs, without waiting on this thread (it exits by
        itself; reaped later). The next ``start`` spawns a new one. For idle periods: the job
        poller releases it when no job is live, so an idle app holds no second interpreter."""
        if self._running or self.process is None:
            return
        proc, conn = self.process, self._conn
        self.process = self._conn = self._reader = None
        self._generation += 1
        try:
            conn.send(None)  # the reader thread closes the pipe at the child's EOF
        except (OSError, ValueError):
            pass
        self._released.append(proc)
        self._reap()

    def _reap(self) -> None:
        """Collect released helpers that have exited (``is_alive`` polls without blocking)."""
        for proc in list(self._released):
            if not proc.is_alive():
                proc.close()
                self._released.remove(proc)

    # ---- the helper process -------------------------------------------------------------------

    def set_init(self, fn: Callable[..., Any], *args: Any) -> None:
        """``fn(*args)`` runs first in every new helper process (and now, if one runs): e.g. the
        keys it may use (``providers.keys.adopt_keys``)."""
        self._init = (fn, args)
        if self.alive():
            self.send(("init", fn, args))

    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def pid(self) -> int | None:
        return self.process.pid if self.alive() else None

    def send(self, message: Any, strict: bool = False) -> None:
        """Send *message* to the child (dropped when none runs, unless *strict*)."""
        if self._conn is None:
            if strict:
                raise OSError("the helper process is not running")
            return
        try:
            self._conn.send(message)
        except (OSError, ValueError):
            if strict:
                raise

    def _ensure_child(self) -> None:
        if self.alive():
            return
        if self.process is not None:  # died: collect it before starting another
            self._on_closed(self._generation)
        self._reap()
        mp = multiprocessing.get_context("spawn")
        ours, theirs = mp.Pipe()
        proc = mp.Process(target=child_main, args=(theirs, os.getpid(), self.nice), name=self.name, daemon=True)
        proc.start()
        theirs.close()
        self._generation += 1
        self.process, self._conn = proc, ours
        self._reader = threading.Thread(target=_read_pipe, args=(ours, self._pipe, self._generation),
                                        name=f"{self.name}-pipe", daemon=True)
        self._reader.start()
        log.info("helper process %s started (pid %s)", self.name, proc.pid)
        if self._init is not None:
            self.send(("init", *self._init), strict=True)

    def _on_received(self, generation: int, data: bytes) -> None:
        started = time.perf_counter()
        try:
            self._dispatch(generation, data)
        finally:
            self.main_thread_ms += (time.perf_counter() - started) * 1000

    def _dispatch(self, generation: int, data: bytes) -> None:
        if generation != self._generation:
            return
        kind, task_id, *rest = pickle.loads(data)
        task = self._running.get(task_id)
        if task is None:
            return
        if kind == "progress":
            task.progress = tuple(rest)
            task.signals.progress.emit(*rest)
        elif kind == "result":
            self._finish(task, "result", rest[0])
        elif kind == "error":
            self._finish(task, "error", *rest)
        else:
            self._finish(task, "cancelled")

    def _on_closed(self, generation: int) -> None:
        if generation != self._generation or self.process is None:
            return
        proc = self.process
        proc.join(1.0)
        code = proc.exitcode
        log.warning("helper process %s ended (exit code %s)", self.name, code)
        self.process = self._conn = self._reader = None
        for task in self.running():
            self._finish(task, "error", f"the helper process ended unexpectedly (exit code {code}); "
                                        "it is started again for the next run", "")

    def _finish(self, task: ProcessTask, kind: str, *payload: Any) -> None:
        self._running.pop(task.id, None)
        if kind == "result":
            task.signals.result.emit(payload[0])
        elif kind == "error":
            task.signals.error.emit(*payload)
        else:
            task.signals.cancelled.emit()
        task.signals.finished.emit()
        self.task_finished.emit(task)


def _end(proc, wait_s: float) -> bool:
    """Let *proc* exit for *wait_s* (it was sent ``None``), then terminate / kill it. True if it
    exited by itself. The pipe is closed by its reader thread only (one closer: no fd reuse race)."""
    proc.join(wait_s)
    clean = proc.exitcode is not None
    if not clean:
        proc.terminate()
        proc.join(2.0)
        if proc.exitcode is None:
            proc.kill()
            proc.join(2.0)
    proc.close()
    return clean


def stop_child(child: dict) -> None:
    """End the child in *child* (``{"process", "conn"}``) if one still runs (its runner was deleted)."""
    proc, conn = child.get("process"), child.get("conn")
    child["process"] = child["conn"] = None
    if proc is None:
        return
    try:
        conn.send(None)
    except (OSError, ValueError):
        pass
    _end(proc, 1.0)


def _read_pipe(conn, pipe: _Pipe, generation: int) -> None:
    """App side, reader thread: bytes only (the GIL is released while it waits)."""
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            conn.close()
            try:
                pipe.closed.emit(generation)
            except RuntimeError:  # the runner was deleted meanwhile
                pass
            return
        try:
            pipe.received.emit(generation, data)
        except RuntimeError:  # the runner was deleted: drain until EOF, then close
            pass


# ---- child side (runs in the spawned process; no Qt object is created here) -------------------


def child_main(conn, parent_pid: int, nice: int = 0) -> None:
    """Entry point of the helper process: run calls from *conn* in order until ``None`` / EOF.
    *nice* > 0 lowers its CPU priority, so on a busy machine the GUI process gets the cores first."""
    from fineflow_desktop.services.ingest.pool import die_with_parent

    die_with_parent(parent_pid)
    if nice > 0:
        _lower_priority(nice)
    inbox: queue.Queue = queue.Queue()
    states: dict[int, TaskState] = {}
    cancelled_early: set[int] = set()
    lock = threading.Lock()

    def send(message: tuple) -> None:
        with lock:
            conn.send(message)

    def receive() -> None:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                msg = None
            if msg is None:
                for st in list(states.values()):
                    st.cancel()
                inbox.put(None)
                return
            if msg[0] == "cancel":
                st = states.get(msg[1])
                if st is not None:
                    st.cancel()
                else:
                    cancelled_early.add(msg[1])
            else:
                inbox.put(msg)

    threading.Thread(target=receive, name="pipe-in", daemon=True).start()
    while (msg := inbox.get()) is not None:
        if msg[0] == "init":
            try:
                msg[1](*msg[2])
            except Exception:  # noqa: BLE001 - the calls after it report their own errors
                log.exception("helper process init failed")
            continue
        _, task_id, fn, args, kwargs = msg
        state = TaskState(on_progress=lambda d, t, m, tid=task_id: send(("progress", tid, d, t, m)))
        states[task_id] = state
        if task_id in cancelled_early:
            state.cancel()
        try:
            reply = _call(task_id, fn, state, args, kwargs)
            try:
                send(reply)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                send(("error", task_id, f"the result could not be sent back: {exc}", traceback.format_exc()))
        except (OSError, ValueError):
            break  # the app closed the pipe
        finally:
            states.pop(task_id, None)
    conn.close()


def _lower_priority(nice: int) -> None:
    try:
        if os.name == "posix":
            os.nice(nice)
        else:
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
    except (OSError, AttributeError):
        pass  # best effort: priority is a courtesy, not a requirement


def _call(task_id: int, fn: Callable[..., Any], state: TaskState, args: tuple, kwargs: dict) -> tuple:
    """``fn(state, *args, **kwargs)`` as a reply tuple, errors sorted as ``workers.Task`` does."""
    try:
        value = fn(state, *args, **kwargs)
    except Cancelled:
        return ("cancelled", task_id)
    except Exception as exc:  # noqa: BLE001 - every error must reach the app
        message = str(exc) or type(exc).__name__
        if isinstance(exc, EXPECTED_ERRORS) and not isinstance(exc, PROGRAMMING_ERRORS):
            log.warning("helper call: %s", message)
            return ("error", task_id, message, "")
        return ("error", task_id, message, traceback.format_exc())
    return ("cancelled", task_id) if state.cancelled else ("result", task_id, value)
