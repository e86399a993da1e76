"""Worker processes for ingest that never outlive the process that started them.

``start_pool`` gives a spawn-context ``ProcessPoolExecutor`` whose workers exit when their parent
dies, even by ``kill -9`` (issue 10: orphaned workers and the multiprocessing resource tracker
kept ~128 MB each for 45+ minutes). Two independent guards, set up in each worker's initializer:

- Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (prctl(2)) — the kernel kills the worker when the
  thread that spawned it ends. A worker only runs pool jobs, so being killed then is harmless.
- Everywhere: a daemon thread checks every ``PARENT_POLL_S`` seconds that the parent is still
  there (POSIX re-parents an orphan, so ``os.getppid()`` changes; elsewhere ``psutil.pid_exists``)
  and ends the worker with ``os._exit``. It also covers a parent that died before ``prctl`` ran.

The resource tracker needs no guard of its own: it exits when the last holder of its pipe
(the parent and the workers) is gone (``multiprocessing.resource_tracker``).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

PARENT_POLL_S = 1.0
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of *workers* spawned processes, warmed up and tied to this process's lifetime.

    spawn, not fork: the GUI runs ingest from a worker thread of a multi-threaded Qt process."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_worker, initargs=(os.getpid(),))


def stop_pool(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    """End *pool* so that no worker outlives the ingest. *finished*: every file is done, wait for
    the idle workers to exit. Otherwise (cancelled, or an error): drop the queued files and
    terminate the workers at once — they only parse and chunk (the parent stores every result),
    so nothing is lost, and left alone a worker would go on parsing its current file for seconds
    after Cancel. ``ProcessPoolExecutor`` has no public way to stop busy workers before Python
    3.14's ``terminate_workers()``, hence its ``_processes`` map."""
    if finished:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(5.0)


def init_worker(parent_pid: int) -> None:
    """Worker initializer: die with *parent_pid*, then load the tokenizer and parser registry."""
    die_with_parent(parent_pid)
    from fineflow_desktop.core.ingest.base import supported_extensions
    from fineflow_desktop.core.tokens import get_encoding

    get_encoding()
    supported_extensions()


def die_with_parent(parent_pid: int) -> None:
    """Make this process exit when *parent_pid* ends (see the module docstring)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher thread below still guards
    if not parent_alive(parent_pid):
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def parent_alive(parent_pid: int) -> bool:
    """True while *parent_pid* is this process's living parent."""
    if os.name == "posix":
        return os.getppid() == parent_pid
    import psutil

    return psutil.pid_exists(parent_pid)


def _watch_parent(parent_pid: int) -> None:
    event = threading.Event()
    while not event.wait(PARENT_POLL_S):
        if not parent_alive(parent_pid):
            os._exit(1)
