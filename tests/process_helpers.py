"""Module-level functions for ``workers.process.ProcessRunner`` tests (pickled by reference, so
the helper process imports this module, not the test module)."""

from __future__ import annotations

import os
import time

from fineflow_desktop.providers import keys

seen_init: list = []


def whoami(state, ws=None) -> dict:
    """Where the call ran, and what it sees of *ws* (a ``Workspace`` pickled as its folder)."""
    state.progress(1, 2, "half way")
    out = {"pid": os.getpid(), "init": list(seen_init)}
    if ws is not None:
        from fineflow_desktop.services.datasets import list_datasets

        out["datasets"] = [d["name"] for d in list_datasets(ws)]
        out["ws_path"] = str(ws.path)
    return out


def slow_to_exit(seconds: float) -> None:
    """Init call: the helper then needs *seconds* to exit (a multiprocessing finalizer runs at its
    exit, like a last poll pass still writing its transaction on a busy machine)."""
    from multiprocessing import util

    util.Finalize(None, time.sleep, args=(seconds,), exitpriority=10)


def remember(value) -> None:
    seen_init.append(value)


def bad_input(state) -> None:
    raise ValueError("line 3: field 'x' must be a number")


def bug(state) -> None:
    return {}["missing"]


def wait_for_cancel(state, limit_s: float = 30.0) -> str:
    """Runs until cancelled; reports ``(0, 1, "running")`` first, so a test knows the call has
    reached the helper (a started process may still be importing for seconds on a loaded box)."""
    state.progress(0, 1, "running")
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        state.check()
        time.sleep(0.02)
    return "not cancelled"


def sleep_then(state, seconds: float, value):
    time.sleep(seconds)
    return value


def key_of(state, username: str):
    return keys.get_key(username)
