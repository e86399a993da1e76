"""The fine-tuning fakes run as their own process (jobs11ui's kill -9 tests rely on it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import openai
import pytest

TESTS = Path(__file__).parent


@pytest.mark.parametrize("provider", ["openai", "together", "fireworks"])
def test_fake_runs_standalone_and_keeps_jobs(provider, tmp_path):
    env = {**os.environ, "PYTHONPATH": f"{TESTS}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    proc = subprocess.Popen([sys.executable, "-m", "fakes.ft_fake_server", "--provider", provider, "--api-key", "sk-test-proc1234567",
                             "--step-s", "0.01"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        assert info["provider"] == provider and info["pid"] == proc.pid
        if provider == "openai":
            client = openai.OpenAI(api_key="sk-test-proc1234567", base_url=info["base_url"], max_retries=0)
            data = tmp_path / "t.jsonl"
            data.write_text("".join(json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}]}) + "\n"
                                    for i in range(10)))
            fid = client.files.create(file=data.open("rb"), purpose="fine-tune").id
            job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=fid, metadata={"k": "v"})
            assert [j.id for j in client.fine_tuning.jobs.list(metadata={"k": "v"})] == [job.id]
        else:
            import httpx

            path = "/v1/fine-tunes" if provider == "together" else "/v1/accounts/fake-acct/supervisedFineTuningJobs"
            r = httpx.get(info["base_url"] + path, headers={"Authorization": "Bearer sk-test-proc1234567"})
            assert r.status_code == 200
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
