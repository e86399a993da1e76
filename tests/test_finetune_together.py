"""Together adapter + services against the Together fake (spec-checked; SDK upload redirect flow)."""

from __future__ import annotations


import pytest
from finetune_helpers import add_credential, make_dataset, sync_until_terminal

from fakes.fixtures import together_fake  # noqa: F401
from fineflow_desktop.services import finetune as ft

MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"



def test_together_launch_to_completion(workspace, together_fake):
    fake = together_fake
    make_dataset(workspace, n=40)
    add_credential(workspace, fake, name="tg", provider="together")
    spec = ft.JobSpec(dataset="support", credential="tg", model=MODEL, validation_split=0.25, suffix="help", seed=5)
    est = ft.estimate_job(workspace, spec, ask_provider=True)
    assert est.epochs == 3 and est.price_per_million == 0.48
    assert est.provider_estimate["source"] == "together estimate-price" and est.provider_estimate["cost_usd"] > 0
    job = ft.create_job(workspace, spec)
    body = fake.created[0]
    assert body["n_epochs"] == 3 and body["batch_size"] == "max" and body["random_seed"] == 5
    assert body["suffix"] == f"help-ff{job.marker[:12]}" and body["validation_file"]
    assert body["training_method"] == {"method": "sft", "train_on_inputs": "auto"}
    # the SDK's upload: POST /files (302), PUT to the Location, POST /preprocess — once for the
    # provider's estimate, then train + validation
    assert len(fake.requests_to("/v1/files", "POST")) == 3 and len(fake.requests_to("/preprocess", "POST")) == 3
    assert len([e for e in fake.log if e.method == "PUT"]) == 3
    done = sync_until_terminal(workspace, job.id)
    assert done.status == "completed" and done.provider_status == "completed"
    assert done.fine_tuned_model.startswith("fakeuser/") and done.trained_tokens > 0
    assert done.cost_actual_usd == pytest.approx(done.trained_tokens / 1e6 * 0.48, abs=1e-5)  # price table × trained tokens
    sim = fake.jobs[done.provider_job_id]["sim"]
    metrics = ft.job_metrics(workspace, job.id)
    assert [m.step for m in metrics] == list(range(1, sim.total_steps + 1))
    assert metrics[0].train_loss is not None and metrics[0].valid_loss is not None
    assert {m.learning_rate for m in metrics} == {1e-5}  # Together ``train/learning_rate`` (migration 0013)
    types = [e.type for e in ft.job_events(workspace, job.id)]
    assert types[0] == "job_pending" and types[-1] == "job_complete" and "checkpoint_save" in types
    assert len(types) == len(set(e.provider_event_id for e in ft.job_events(workspace, job.id)))
    assert ft.job_checkpoints(workspace, job.id)[0].step == sim.total_steps
    assert len(fake.created) == 1


def test_together_user_error_and_cancel_and_reconcile(workspace, together_fake, monkeypatch):
    fake = together_fake
    make_dataset(workspace)
    add_credential(workspace, fake, name="tg", provider="together")
    fake.file_checker = lambda data: {"code": "user_error", "param": None,
                                      "message": "Invalid file format: line 2 has no assistant message"}
    bad = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="tg", model=MODEL))
    failed = sync_until_terminal(workspace, bad.id)
    assert failed.status == "failed" and failed.provider_status == "user_error"
    assert failed.error.code == "user_error" and failed.error.message == "Invalid file format: line 2 has no assistant message"
    fake.file_checker = lambda data: None
    fake.timing.step_s = 1.0
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="tg", model=MODEL))
    c = ft.cancel_job(workspace, job.id)
    assert c.provider_status == "cancel_requested" and c.status == "training"
    assert sync_until_terminal(workspace, job.id).status == "cancelled"
    # crash after the create reached Together: the marker in the suffix finds it
    from fineflow_desktop.services.finetune import launch as launch_mod

    class Killed(BaseException):
        pass

    monkeypatch.setattr(launch_mod, "adopt_remote", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="tg", model=MODEL))
    monkeypatch.undo()
    assert len(fake.created) == 3
    report = ft.sync_jobs(workspace)
    assert len(report.reconciled) == 1 and len(fake.created) == 3


def test_together_wrong_key_and_unknown_model(workspace, together_fake):
    make_dataset(workspace)
    add_credential(workspace, together_fake, name="tg", provider="together", key="sk-wrong-000000000000")
    with pytest.raises(ft.CredentialRejected):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="tg", model=MODEL))
    assert together_fake.requests_to("/v1/files", "POST") == []
