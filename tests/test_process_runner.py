"""``workers.process.ProcessRunner``: calls run in a spawned helper process with TaskManager's
signals; errors, cancel, a killed helper, shutdown, and dying with the app (kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

import process_helpers as ph
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.workers.process import ProcessRunner

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def runner(qtbot):
    r = ProcessRunner(name="test-helper")
    yield r
    r.shutdown(10_000)


def run(qtbot, runner, fn, *args, timeout=30_000):
    """Start ``fn`` in *runner*; returns ``{"result"|"error"|"cancelled": ..., "progress": [...]}``."""
    out: dict = {"progress": []}
    task = runner.submit("test", fn, *args)
    task.signals.progress.connect(lambda *p: out["progress"].append(p))
    task.signals.result.connect(lambda v: out.__setitem__("result", v))
    task.signals.error.connect(lambda m, tb: out.__setitem__("error", (m, tb)))
    task.signals.cancelled.connect(lambda: out.__setitem__("cancelled", True))
    task.signals.finished.connect(lambda: out.__setitem__("finished", True))
    runner.start(task)
    return task, out


def test_calls_run_in_one_helper_process_with_the_workspace_and_progress(qtbot, runner, workspace):
    from fineflow_desktop.services.datasets import get_or_create_dataset

    get_or_create_dataset(workspace, "support")
    runner.set_init(ph.remember, "keys-sent")
    _t, first = run(qtbot, runner, ph.whoami, workspace)
    _t, second = run(qtbot, runner, ph.whoami)
    qtbot.waitUntil(lambda: "finished" in first and "finished" in second, timeout=60_000)
    pid = first["result"]["pid"]
    assert pid != os.getpid() and pid == runner.pid() == second["result"]["pid"]  # one process, reused
    assert first["result"]["init"] == ["keys-sent"]  # the init call ran first
    assert first["result"]["datasets"] == ["support"] and first["result"]["ws_path"] == str(workspace.path)
    assert first["progress"] == [(1, 2, "half way")]


def test_errors_are_sorted_like_thread_tasks(qtbot, runner):
    _t, expected = run(qtbot, runner, ph.bad_input)
    _t, bug = run(qtbot, runner, ph.bug)
    qtbot.waitUntil(lambda: "finished" in expected and "finished" in bug, timeout=60_000)
    assert expected["error"] == ("line 3: field 'x' must be a number", "")  # bad input: no traceback
    message, tb = bug["error"]
    assert message == "'missing'" and "KeyError" in tb and "process_helpers.py" in tb
    _t, after = run(qtbot, runner, ph.sleep_then, 0.0, 7)  # the process survives both
    qtbot.waitUntil(lambda: "finished" in after, timeout=30_000)
    assert after["result"] == 7


def test_cancel_reaches_the_running_call(qtbot, runner):
    task, out = run(qtbot, runner, ph.wait_for_cancel)
    qtbot.waitUntil(lambda: bool(out["progress"]), timeout=30_000)  # the call runs in the helper
    task.cancel()
    qtbot.waitUntil(lambda: "finished" in out, timeout=30_000)
    assert out.get("cancelled") and "result" not in out


def test_a_killed_helper_fails_its_call_and_the_next_call_gets_a_new_one(qtbot, runner):
    runner.set_init(ph.remember, "again")
    _t, warm = run(qtbot, runner, ph.whoami)
    qtbot.waitUntil(lambda: "finished" in warm, timeout=60_000)
    first = warm["result"]["pid"]
    _t, busy = run(qtbot, runner, ph.wait_for_cancel)
    qtbot.waitUntil(lambda: bool(busy["progress"]), timeout=60_000)  # the call is in the helper
    os.kill(first, signal.SIGKILL)
    qtbot.waitUntil(lambda: "finished" in busy, timeout=30_000)
    assert "ended unexpectedly" in busy["error"][0]
    _t, nxt = run(qtbot, runner, ph.whoami)
    qtbot.waitUntil(lambda: "finished" in nxt, timeout=60_000)
    assert nxt["result"]["pid"] != first and nxt["result"]["init"] == ["again"]  # init ran in the new one too


def test_shutdown_ends_the_helper_and_cancels_what_runs(qtbot, runner):
    task, out = run(qtbot, runner, ph.wait_for_cancel)
    # the call runs in the helper: waiting only for a live process, shutdown's 3 s for a clean
    # exit also had to cover the helper's start-up, which took longer at load 9 (CI failure)
    qtbot.waitUntil(lambda: bool(out["progress"]), timeout=30_000)
    pid = runner.pid()
    assert runner.shutdown(10_000)  # the call stops at its next check; the helper exits by itself
    assert out.get("cancelled")
    assert not psutil.pid_exists(pid)  # exited and reaped


def test_shutdown_also_ends_a_released_helper_that_is_slow_to_exit(qtbot, runner):
    # the job poller releases its helper when no job is live; at nice 10 on a loaded machine that
    # helper can still be exiting when the app closes (CI: "test left process fineflow-poll")
    runner.set_init(ph.slow_to_exit, 60.0)
    _t, out = run(qtbot, runner, ph.whoami)
    qtbot.waitUntil(lambda: "finished" in out, timeout=60_000)
    pid = out["result"]["pid"]
    runner.release()
    assert runner.pid() is None and psutil.pid_exists(pid)
    runner.shutdown(10_000)
    assert not psutil.pid_exists(pid)


def test_keys_reach_the_helper_only_through_adopt_keys(qtbot, runner):
    from fineflow_desktop.providers import keys

    keys.set_key("credential:ws:1", "sk-test-PARENT-ONLY-1234")  # this process's in-memory test keyring
    _t, before = run(qtbot, runner, ph.key_of, "credential:ws:1")
    qtbot.waitUntil(lambda: "finished" in before, timeout=60_000)
    assert before["result"] is None  # the helper cannot see this process's keyring
    runner.set_init(keys.adopt_keys, {"credential:ws:1": "sk-test-PARENT-ONLY-1234"})
    _t, after = run(qtbot, runner, ph.key_of, "credential:ws:1")
    qtbot.waitUntil(lambda: "finished" in after, timeout=30_000)
    assert after["result"] == "sk-test-PARENT-ONLY-1234"


def test_the_helper_dies_with_the_app_on_kill_9(tmp_path):
    script = tmp_path / "app.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path[:0] = [{str(TESTS)!r}, {str(TESTS.parent / "src")!r}]
        from PySide6.QtCore import QCoreApplication
        import process_helpers as ph
        from fineflow_desktop.workers.process import ProcessRunner

        if __name__ == "__main__":
            app = QCoreApplication([])
            runner = ProcessRunner()
            task = runner.submit("t", ph.whoami)
            task.signals.result.connect(lambda r: print("CHILD", r["pid"], flush=True))
            runner.start(task)
            while True:
                app.processEvents()
                time.sleep(0.01)
        """))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = app.stdout.readline()
        assert line.startswith("CHILD"), line
        child = int(line.split()[1])
        assert psutil.pid_exists(child)
    finally:
        app.kill()
        app.wait(10)
    end = time.monotonic() + 10
    while psutil.pid_exists(child) and time.monotonic() < end:
        try:
            if psutil.Process(child).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    gone = not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE
    assert gone, f"helper {child} outlived the app"


def test_workspace_pickles_as_its_folder(workspace):
    import pickle

    from fineflow_desktop.store.workspace import Workspace

    clone = pickle.loads(pickle.dumps(workspace))
    assert isinstance(clone, Workspace) and clone.path == workspace.path and clone is not workspace
    assert pickle.loads(pickle.dumps(workspace)) is clone  # one attached handle per folder and process
    clone.close()


def test_recurring_runs_one_at_a_time_and_reschedules(qtbot, workspace):
    """``Ops.recurring`` (synchronous manager): run_now inside a run queues one more; next_delay
    decides the schedule; errors count a streak and reach on_error; stop ends it."""
    from PySide6.QtGui import QUndoStack

    tasks = TaskManager(synchronous=True)
    ctx = AppContext(workspace, tasks, QUndoStack(), Events())
    calls, results, errors, delays = [], [], [], []
    outcome = {"fail": False}

    def body(state, n):
        calls.append(n)
        if outcome["fail"]:
            raise ValueError("provider said no")
        if len(calls) == 1:
            rec.run_now()  # asked while running: one more run right after this one
        return n

    def next_delay(value, error):
        delays.append((value, error))
        return None if error is None else 60.0

    rec = ctx.ops.recurring("poll", body, args=lambda: (len(calls),), next_delay=next_delay,
                            on_result=results.append, on_error=errors.append)
    rec.run_now()
    assert calls == [0, 1] and results == [0, 1] and rec.runs == 2 and rec.next_in_s() is None
    outcome["fail"] = True
    rec.run_now()
    assert errors == ["provider said no"] and rec.failures_in_a_row == 1 and 50 < rec.next_in_s() < 70  # coarse timer: ±5%
    rec.reschedule(5)
    assert rec.next_in_s() < 6  # coarse timer: ±5%
    rec.reschedule(30)  # never later
    assert rec.next_in_s() < 6
    rec.stop()
    rec.run_now()
    assert len(calls) == 3 and rec.next_in_s() is None
    tasks.shutdown()


def test_release_lets_an_idle_helper_exit_and_the_next_call_starts_another(qtbot, runner):
    _t, out = run(qtbot, runner, ph.whoami)
    qtbot.waitUntil(lambda: "finished" in out, timeout=60_000)
    first = out["result"]["pid"]
    runner.release()
    assert runner.pid() is None
    # its main thread ends at once ("zombie" in /proc while its last thread finishes)
    qtbot.waitUntil(lambda: not psutil.pid_exists(first) or psutil.Process(first).status() == psutil.STATUS_ZOMBIE,
                    timeout=10_000)
    _t, again = run(qtbot, runner, ph.whoami)
    qtbot.waitUntil(lambda: "finished" in again, timeout=60_000)
    assert again["result"]["pid"] != first
    runner.shutdown(10_000)  # waits for (and reaps) released helpers too
    assert not psutil.pid_exists(first)
