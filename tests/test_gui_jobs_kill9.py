"""kill -9 of the app during a launch and during training, then a restart (issue 11 acceptance).

The fine-tuning fake runs as its own process (it outlives the app); the app is a real
``MainWindow`` in a subprocess (``jobs_app_driver.py``) that drives the wizard and prints what
the monitor shows. After the kill a second app process starts on the same workspace: polling
resumes, the interrupted launch is reconciled by its marker, exactly one job exists at the
fake, and the loss curve continues from the stored points.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.store.workspace import Workspace
from jobs_gui_helpers import FT_KEY, make_dataset

pytestmark = pytest.mark.slow  # two app processes and a fake per test (started first: conftest)
TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"


class Proc:
    """A subprocess whose stdout JSON lines are collected by a reader thread."""

    def __init__(self, args: list[str], env: dict, stdin=None):
        self.p = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.p.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                pass

    def wait_for(self, pred, timeout: float = 60.0) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                ev = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.p.poll() is not None:
                    raise AssertionError(f"process ended ({self.p.returncode}): {self.p.stderr.read()[-3000:]}")
                continue
            self.seen.append(ev)
            if pred(ev):
                return ev
        raise AssertionError(f"timed out; last lines: {self.seen[-5:]}")

    def send(self, line: str) -> None:
        """One line to the process's stdin (``Proc(..., stdin=subprocess.PIPE)``)."""
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def kill9(self) -> None:
        os.kill(self.p.pid, signal.SIGKILL)
        self.p.wait(10)

    def stop(self) -> None:
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()


@pytest.fixture
def env(tmp_path):
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", FINEFLOW_DATA_DIR=str(tmp_path / "data"),
                FINEFLOW_CONFIG_DIR=str(tmp_path / "config"), PYTHONPATH=f"{SRC}{os.pathsep}{TESTS}")


@pytest.fixture
def fake_proc(env):
    # 2 s queued, then ~60 s of training (120 steps): each app's first pass (a new poll process that
    # imports the SDK) must find the job still training, even on a loaded box - with 14 s the first
    # app at load 9 saw it only when completed. Once a test has seen what it waits for it sends
    # "finish" and the fake jumps to the end, so the long window costs no waiting.
    fake = Proc([sys.executable, "-m", "fakes.ft_fake_server", "--provider", "openai", "--api-key", FT_KEY,
                 "--validate-s", "0.5", "--queue-s", "2.0", "--step-s", "0.5", "--latency-s", "0.3", "--stdin-controls"], env,
                stdin=subprocess.PIPE)
    info = fake.wait_for(lambda ev: "base_url" in ev, timeout=90)
    fake.base_url = info["base_url"]
    yield fake
    fake.stop()


def fake_jobs(fake) -> list[dict]:
    req = urllib.request.Request(f"{fake.base_url}/fine_tuning/jobs?limit=100",
                                 headers={"Authorization": f"Bearer {FT_KEY}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)["data"]


def prepare(tmp_path, fake) -> Path:
    from fineflow_desktop.providers import credentials as creds

    path = tmp_path / "ws"
    ws = Workspace.open(path)
    make_dataset(ws)
    creds.create_credential(ws, "openai-ft", "openai", base_url=fake.base_url)
    ws.close()
    return path


def app(path: Path, mode: str, env: dict) -> Proc:
    return Proc([sys.executable, str(TESTS / "jobs_app_driver.py"), "--workspace", str(path), "--key", FT_KEY,
                 "--mode", mode], env)


def local_jobs(path: Path) -> list:
    ws = Workspace.open(path)
    try:
        return ft.list_jobs(ws)
    finally:
        ws.close()


@pytest.mark.parametrize("stage", ["uploading", "creating the fine-tuning job"])
def test_kill9_during_launch_then_restart(tmp_path, env, fake_proc, stage):
    path = prepare(tmp_path, fake_proc)
    first = app(path, "launch", env)
    try:
        first.wait_for(lambda ev: ev.get("ev") == "progress" and ev["message"].startswith(stage))
        first.kill9()
    finally:
        first.stop()
    jobs = local_jobs(path)
    assert len(jobs) == 1 and not jobs[0].terminal  # the row was written before the upload
    at_fake_before = len(fake_jobs(fake_proc))
    assert at_fake_before <= 1
    second = app(path, "monitor", env)
    try:
        ev = second.wait_for(lambda ev: ev.get("ev") == "job" and ev["status"] == "training", timeout=90)
        assert ev["id"] == jobs[0].id
        fake_proc.send("finish")  # the restarted app polls it in training: no need to sit through the rest
        points = second.wait_for(lambda e: e.get("ev") == "job" and e["status"] == "completed", timeout=120)["points"]
    finally:
        second.stop()
    at_fake = fake_jobs(fake_proc)
    assert len(at_fake) == 1, at_fake  # never created twice
    assert at_fake[0]["metadata"] and jobs[0].marker in json.dumps(at_fake[0]["metadata"])
    final = local_jobs(path)
    assert len(final) == 1 and final[0].status == "completed" and final[0].provider_job_id == at_fake[0]["id"]
    assert points > 0


def test_kill9_during_training_then_restart_continues_the_curve(tmp_path, env, fake_proc):
    path = prepare(tmp_path, fake_proc)
    first = app(path, "launch", env)
    try:
        before = first.wait_for(lambda ev: ev.get("ev") == "job" and ev["status"] == "training" and ev["points"] >= 10,
                                timeout=90)
        first.kill9()
    finally:
        first.stop()
    poll_pid = before["poll_pid"]  # the app's poll process dies with it (PR_SET_PDEATHSIG + parent watch)
    assert poll_pid is not None and poll_pid != first.p.pid
    end = time.monotonic() + 10
    while psutil.pid_exists(poll_pid) and psutil.Process(poll_pid).status() != psutil.STATUS_ZOMBIE \
            and time.monotonic() < end:
        time.sleep(0.1)
    assert not psutil.pid_exists(poll_pid) or psutil.Process(poll_pid).status() == psutil.STATUS_ZOMBIE
    second = app(path, "monitor", env)
    try:
        resumed = second.wait_for(lambda ev: ev.get("ev") == "job", timeout=60)
        assert resumed["id"] == before["id"] and resumed["points"] >= before["points"]  # stored curve shown again
        fake_proc.send("finish")  # the remaining steps arrive at once (many pages of events): the curve goes on
        done = resumed if resumed["status"] == "completed" else second.wait_for(
            lambda ev: ev.get("ev") == "job" and ev["status"] == "completed", timeout=120)
    finally:
        second.stop()
    assert done["points"] > before["points"]  # the curve continued past the kill
    assert len(fake_jobs(fake_proc)) == 1
    ws = Workspace.open(path)
    try:
        metrics = ft.job_metrics(ws, before["id"])
        steps = [m.step for m in metrics]
        assert steps == sorted(set(steps)) and done["points"] == len(metrics)  # each step stored once
    finally:
        ws.close()
