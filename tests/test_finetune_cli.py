"""``fineflow budget`` and ``fineflow jobs`` (issue 11's CLI contract) against the OpenAI fine-tuning fake,
plus a real kill -9 of a ``jobs create`` process while its create request is in flight."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from finetune_helpers import TEST_KEY, make_dataset

from fakes.fixtures import openai_ft_fake  # noqa: F401
from fineflow_desktop import cli
from fineflow_desktop.store.workspace import Workspace

SHOW_KEYS = {"id", "provider", "provider_job_id", "status", "provider_status", "fine_tuned_model", "trained_tokens",
             "error", "metrics", "events"}
METRIC_KEYS = ["step", "train_loss", "valid_loss", "train_mean_token_accuracy", "valid_mean_token_accuracy", "full_valid_loss"]


@pytest.fixture
def ws_path(tmp_path):
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    make_dataset(ws, n=30)
    ws.close()
    return str(path)


@pytest.fixture
def run(ws_path, capsys):
    def _run(*argv):
        code = cli.main([*argv, "--workspace", ws_path])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def add_cred(run, fake, monkeypatch, key=TEST_KEY):
    monkeypatch.setenv("FT_KEY", key)
    code, _out, err = run("credentials", "add", "--name", "oa", "--provider", "openai", "--base-url", fake.base_url,
                          "--key-from-env", "FT_KEY")
    assert code == 0, err


def test_budget_set_show(run):
    code, out, _ = run("budget", "show", "--json")
    assert code == 0 and json.loads(out)["limit"] is None
    code, out, _ = run("budget", "set", "--monthly-usd", "25", "--mode", "block", "--json")
    b = json.loads(out)
    assert code == 0 and {"limit", "spent_this_month", "remaining", "mode"} <= set(b)
    assert (b["limit"], b["spent_this_month"], b["remaining"], b["mode"]) == (25.0, 0.0, 25.0, "block")
    code, out, _ = run("budget", "show")
    assert "budget $25.00/month (block)" in out and "remaining $25.00" in out
    assert run("budget", "set", "--monthly-usd", "-1")[0] == 2


def test_estimate_create_watch_show_list_events(run, openai_ft_fake, monkeypatch):
    add_cred(run, openai_ft_fake, monkeypatch)
    code, out, _ = run("jobs", "estimate", "--dataset", "support", "--credential", "oa", "--model", "gpt-4o-mini",
                       "--validation-split", "0.2", "--json")
    est = json.loads(out)
    assert code == 0
    assert {"examples", "training_tokens", "epochs", "billed_tokens", "price_per_million", "cost_usd", "budget"} <= set(est)
    assert est["examples"] == 24 and est["epochs"] == 4 and est["billed_tokens"] == est["training_tokens"] * 4
    assert {"limit", "spent_this_month", "remaining", "mode"} <= set(est["budget"])
    code, out, err = run("jobs", "create", "--dataset", "support", "--credential", "oa", "--model", "gpt-4o-mini",
                         "--validation-split", "0.2", "--epochs", "2", "--batch-size", "4", "--learning-rate-multiplier", "0.5",
                         "--suffix", "cli", "--seed", "3", "--json", "--yes")
    assert code == 0, err
    created = json.loads(out)
    assert {"id", "provider_job_id", "status"} <= set(created) and created["provider_job_id"] in openai_ft_fake.jobs
    hp = openai_ft_fake.created[0]["method"]["supervised"]["hyperparameters"]
    assert hp == {"n_epochs": 2, "batch_size": 4, "learning_rate_multiplier": 0.5}
    code, out, _ = run("jobs", "watch", str(created["id"]), "--interval", "0.05")
    assert code == 0 and "completed" in out.splitlines()[-1]
    code, out, _ = run("jobs", "show", created["provider_job_id"], "--json")
    show = json.loads(out)
    assert SHOW_KEYS <= set(show) and show["status"] == "completed" and show["provider_status"] == "succeeded"
    assert show["metrics"] and list(show["metrics"][0]) == METRIC_KEYS and show["events"]
    code, out, _ = run("jobs", "list", "--json")
    [item] = json.loads(out)["jobs"]
    assert SHOW_KEYS - {"events", "metrics"} <= set(item) and "events" not in item and "metrics" not in item
    code, out, _ = run("jobs", "events", str(created["id"]), "--json")
    assert len(json.loads(out)["events"]) == len(show["events"])
    code, out, _ = run("jobs", "events", str(created["id"]))
    assert "The job has successfully completed" in out
    code, out, _ = run("jobs", "sync", "--json")
    assert code == 0 and json.loads(out)["polled"] == 0
    assert run("jobs", "show", "999")[0] == 2


def test_create_refusals_exit_1_with_the_reason(run, openai_ft_fake, monkeypatch, ws_path):
    add_cred(run, openai_ft_fake, monkeypatch)
    run("budget", "set", "--monthly-usd", "0.000001", "--mode", "block")
    code, out, err = run("jobs", "create", "--dataset", "support", "--credential", "oa", "--model", "gpt-4o-mini", "--yes", "--json")
    assert code == 1 and "budget" in err and "estimated cost" in err
    refused = json.loads(out)
    assert refused["reason"] == "budget" and refused["mode"] == "block" and refused["cost_usd"] > refused["remaining"]
    run("budget", "set", "--monthly-usd", "0.000001", "--mode", "warn")
    code, _out, err = run("jobs", "create", "--dataset", "support", "--credential", "oa", "--model", "gpt-4o-mini")
    assert code == 1 and "--yes" in err  # not a terminal: no prompt
    assert openai_ft_fake.created == []
    code, _out, _err = run("jobs", "create", "--dataset", "support", "--credential", "oa", "--model", "gpt-4o-mini", "--yes")
    assert code == 0 and len(openai_ft_fake.created) == 1
    # validation errors
    ws = Workspace.open(Path(ws_path))
    from fineflow_desktop.services import datasets
    from fineflow_desktop.services import pairs as pair_bulk

    bad = datasets.get_or_create_dataset(ws, "bad")
    pair_bulk.insert_pairs(ws, bad, [{"user": "q", "assistant": ""}] * 12)
    ws.close()
    code, out, err = run("jobs", "create", "--dataset", "bad", "--credential", "oa", "--model", "gpt-4o-mini", "--yes", "--json")
    assert code == 1 and "missing_content" in err and json.loads(out)["reason"] == "validation"
    # wrong key
    monkeypatch.setenv("BAD_KEY", "sk-test-NOTTHEKEY77777")
    run("credentials", "add", "--name", "bad", "--provider", "openai", "--base-url", openai_ft_fake.base_url, "--key-from-env", "BAD_KEY")
    code, _out, err = run("jobs", "create", "--dataset", "support", "--credential", "bad", "--model", "gpt-4o-mini", "--yes")
    assert code == 1 and "refused the key" in err and "NOTTHEKEY" not in err
    assert run("jobs", "create", "--dataset", "nope", "--credential", "oa", "--model", "gpt-4o-mini")[0] == 2
    assert run("jobs", "estimate", "--dataset", "support", "--credential", "oa", "--model", "m", "--epochs", "0")[0] == 2


def test_cancel_and_watch_exit_1(run, openai_ft_fake, monkeypatch):
    openai_ft_fake.timing.step_s = 1.0
    add_cred(run, openai_ft_fake, monkeypatch)
    code, out, _ = run("jobs", "create", "--dataset", "support", "--credential", "oa", "--model", "gpt-4o-mini", "--json")
    job = json.loads(out)
    code, out, _ = run("jobs", "cancel", str(job["id"]), "--json")
    assert code == 0 and json.loads(out)["status"] == "cancelled"
    assert run("jobs", "watch", str(job["id"]), "--interval", "0.05")[0] == 1


@pytest.mark.slow
def test_kill_9_during_create_then_sync_finds_the_job(tmp_path, ws_path, openai_ft_fake):
    """A real ``fineflow jobs create`` process is killed (SIGKILL) while its create request is at
    the provider; the job gets created there anyway. ``jobs sync`` adopts it by marker: one job."""
    fake = openai_ft_fake
    tests_dir = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": f"{tests_dir}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "PYTHON_KEYRING_BACKEND": "fakes.file_keyring.FileKeyring", "FINEFLOW_TEST_KEYRING": str(tmp_path / "keys.json"),
           "FT_KEY": TEST_KEY}

    def fineflow(*argv, **kw):
        return subprocess.run([sys.executable, "-m", "fineflow_desktop.cli", *argv, "--workspace", ws_path],
                              env=env, capture_output=True, text=True, timeout=120, **kw)

    r = fineflow("credentials", "add", "--name", "oa", "--provider", "openai", "--base-url", fake.base_url, "--key-from-env", "FT_KEY")
    assert r.returncode == 0, r.stderr
    fake.failure_paths = ("/fine_tuning/jobs",)
    fake.latency_s = 3.0  # the create request sits at the provider long enough to kill the client
    proc = subprocess.Popen([sys.executable, "-m", "fineflow_desktop.cli", "jobs", "create", "--dataset", "support",
                             "--credential", "oa", "--model", "gpt-4o-mini", "--workspace", ws_path],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    end = time.monotonic() + 60
    while not fake.requests_to("/fine_tuning/jobs", "POST") and time.monotonic() < end:
        time.sleep(0.02)
    assert fake.requests_to("/fine_tuning/jobs", "POST"), proc.communicate(timeout=5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    end = time.monotonic() + 60  # the provider finishes creating the job the dead client asked for
    while not fake.created and time.monotonic() < end:  # (~3 s of latency; a fixed 3.2 s sleep raced it)
        time.sleep(0.02)
    assert len(fake.created) == 1
    fake.latency_s = 0.0
    r = fineflow("jobs", "sync", "--json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["reconciled"]) == 1
    r = fineflow("jobs", "list", "--json")
    [job] = json.loads(r.stdout)["jobs"]
    assert job["provider_job_id"] in fake.jobs and len(fake.created) == 1
    fineflow("jobs", "sync")
    assert len(fake.created) == 1


def test_credentials_add_for_together_and_fireworks(run, monkeypatch):
    monkeypatch.setenv("TG_KEY", "tg-test-key-0123456789")
    code, out, err = run("credentials", "add", "--name", "tg", "--provider", "together", "--key-from-env", "TG_KEY", "--json")
    assert code == 0, err
    tg = json.loads(out)
    assert tg["provider"] == "together" and tg["base_url"] == "https://api.together.ai" and tg["has_key"]
    code, out, err = run("credentials", "add", "--name", "fw", "--provider", "fireworks", "--key-from-env", "TG_KEY",
                         "--base-url", "http://127.0.0.1:9/", "--account-id", "acme", "--json")
    fw = json.loads(out)
    assert code == 0 and fw["settings"] == {"account_id": "acme"} and fw["base_url"] == "http://127.0.0.1:9"
