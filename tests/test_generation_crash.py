"""kill -9 during a run (a real ``fineflow generate`` process), reopen, Resume: nothing lost, no duplicates.

The OpenAI fake runs in this test process; the CLI runs in a subprocess against the same
workspace over real sockets and is killed with SIGKILL while requests are in flight.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

import generation_fixtures as gf
from fakes.openai_fake import OpenAIFake
from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.services import generation as gen
from fineflow_desktop.store.workspace import Workspace

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("pydoc_sources")]
SRC = Path(__file__).resolve().parents[1] / "src"
CLI = "import sys; from fineflow_desktop import cli; sys.exit(cli.main(sys.argv[1:]))"
N = 80


def _count(path, sql):
    con = sqlite3.connect(path / "workspace.db", timeout=30)  # a plain reader, like a second app
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _start_cli(path, *argv):
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.Popen([sys.executable, "-c", CLI, *argv, "--workspace", str(path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when(proc, path, done_at_least, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        if _count(path, "SELECT count(*) FROM work_items WHERE state='done'") >= done_at_least:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            return
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the run made no progress")


def test_kill_9_twice_then_resume_loses_nothing_and_duplicates_nothing(tmp_path):
    path = tmp_path / "ws"
    with OpenAIFake(api_key=None, latency_s=0.1, responder=gf.openai_responder) as fake:
        ws = Workspace.open(path)
        gf.add_chunks(ws, N)
        # An OpenAI-compatible local server needs no key (the subprocess has no keyring).
        create_credential(ws, name="local", provider="compatible", base_url=fake.base_url, model="gpt-4o-mini", concurrency=4)
        ws.close()

        proc = _start_cli(path, "generate", "--dataset", "docs-qa", "--credential", "local", "--mode", "qa", "--yes")
        _kill_when(proc, path, 15)
        assert proc.returncode == -signal.SIGKILL
        ws = Workspace.open(path)
        info = gen.list_runs(ws)[0]
        assert info.status == "running" and not info.live and info.needs_resume  # offered for Resume
        assert 15 <= info.done < N
        ws.close()

        proc = _start_cli(path, "generate", "--resume", str(info.id))  # resume, and crash again
        _kill_when(proc, path, info.done + 15)

        ws = Workspace.open(path)
        summary = gen.resume_run(ws, info.id)
        assert summary.status == "completed" and summary.done == N and summary.failed == 0
        report = gf.duplicate_report(ws, info.id)
        assert report == {"states": {"done": N}, "total": N, "lost": 0, "duplicate_pairs": 0, "count_mismatch": 0,
                          "stray_pairs": 0, "failed_without_error": 0}
        with ws.engine.connect() as c:
            chunks_with_pairs = c.execute(text("SELECT count(DISTINCT chunk_id) FROM pairs WHERE run_id=:r"), {"r": info.id}).scalar()
        assert chunks_with_pairs == N
        # A crash repeats at most the requests in flight (concurrency 4) plus the answers waiting
        # for the writer (its queue holds at most 4): two crashes, at most 2 * (4 + 4) repeats.
        sent = len(fake.chat_bodies())
        assert N <= sent <= N + 2 * (4 + 4)
        assert ws.integrity_check() == "ok"
        ws.close()
