"""Fireworks adapter + services against the Fireworks fake (SDK-typed requests and answers)."""

from __future__ import annotations

import time

import pytest
from finetune_helpers import add_credential, make_dataset, sync_until_terminal

from fakes.fixtures import fireworks_fake  # noqa: F401
from fineflow_desktop.services import finetune as ft

MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"



def test_fireworks_launch_to_completion(workspace, fireworks_fake):
    fake = fireworks_fake
    make_dataset(workspace, n=40)
    add_credential(workspace, fake, name="fw", provider="fireworks", settings={"account_id": "fake-acct"})
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="fw", model=MODEL, validation_split=0.25,
                                              suffix="support bot"))
    body = fake.created[0]
    assert body["_id"] == f"ff-{job.marker[:24]}" and body["baseModel"] == MODEL and body["epochs"] == 3
    assert body["displayName"] == "support bot" and body["evaluationDataset"].startswith("accounts/fake-acct/datasets/ff-")
    assert len(fake.datasets) == 2 and all(d["content"] for d in fake.datasets.values())
    seen = set()
    end = time.monotonic() + 30
    while not ft.get_job(workspace, job.id).terminal and time.monotonic() < end:
        ft.sync_jobs(workspace)
        j = ft.get_job(workspace, job.id)
        seen.add(j.status)
        time.sleep(0.02)
    done = ft.get_job(workspace, job.id)
    assert done.status == "completed" and done.provider_status == "JOB_STATE_COMPLETED"
    assert done.fine_tuned_model == f"accounts/fake-acct/models/{done.provider_job_id}"
    assert done.progress["percent"] == 100.0
    assert ft.job_metrics(workspace, job.id) == [] and ft.job_checkpoints(workspace, job.id) == []  # not offered by Fireworks
    assert len(fake.created) == 1


def test_fireworks_failure_cancel_deleted_and_crash(workspace, fireworks_fake, monkeypatch):
    fake = fireworks_fake
    make_dataset(workspace)
    add_credential(workspace, fake, name="fw", provider="fireworks", settings={"account_id": "fake-acct"})
    fake.file_checker = lambda data: {"code": "invalid", "param": None, "message": "line 4: messages must alternate user/assistant"}
    bad = sync_until_terminal(workspace, ft.create_job(workspace, ft.JobSpec(dataset="support", credential="fw", model=MODEL)).id)
    assert bad.status == "failed" and bad.error.code == "INVALID_ARGUMENT"
    assert bad.error.message == "line 4: messages must alternate user/assistant" and bad.error.hint
    fake.file_checker = lambda data: None
    fake.timing.step_s = 1.0
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="fw", model=MODEL))
    assert ft.cancel_job(workspace, job.id).status == "cancelled"
    gone = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="fw", model=MODEL))
    fake.delete_job(gone.provider_job_id)
    ft.sync_jobs(workspace)
    assert ft.get_job(workspace, gone.id).deleted_at_provider
    from fineflow_desktop.services.finetune import launch as launch_mod

    class Killed(BaseException):
        pass

    monkeypatch.setattr(launch_mod, "adopt_remote", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="fw", model=MODEL))
    monkeypatch.undo()
    n = len(fake.created)
    assert len(ft.sync_jobs(workspace).reconciled) == 1 and len(fake.created) == n  # found by its job id


def test_fireworks_needs_account_id_and_key(workspace, fireworks_fake):
    make_dataset(workspace)
    add_credential(workspace, fireworks_fake, name="noacct", provider="fireworks")
    with pytest.raises(ft.LaunchRefused, match="account id"):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="noacct", model=MODEL))
    add_credential(workspace, fireworks_fake, name="bad", provider="fireworks", key="fw-wrong-key-0000000",
                   settings={"account_id": "fake-acct"})
    with pytest.raises(ft.CredentialRejected):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="bad", model=MODEL))
    assert fireworks_fake.datasets == {}
