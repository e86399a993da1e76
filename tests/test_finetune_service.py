"""services.finetune against the loopback OpenAI fine-tuning fake: launch, poll, faults, crash safety."""

from __future__ import annotations

import time

import pytest
from finetune_helpers import add_credential, make_dataset, sync_until_terminal
from sqlalchemy import select

from fakes.fixtures import openai_ft_fake  # noqa: F401
from fineflow_desktop.core.tokens import get_encoding
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services import pairs as pair_bulk
from fineflow_desktop.services.finetune import launch as launch_mod
from fineflow_desktop.store.models_finetune import FineTuneEvent, FineTuneJob, FineTuneMetric



def fake_events(fake, provider_job_id):
    return fake._event_dicts(fake.jobs[provider_job_id])


def test_launch_poll_to_completion(workspace, openai_ft_fake):
    fake = openai_ft_fake
    make_dataset(workspace, n=120)
    add_credential(workspace, fake)
    spec = ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini", validation_split=0.1, suffix="demo", seed=7)
    job = ft.create_job(workspace, spec)
    assert job.provider_job_id in fake.jobs and job.status in ("validating", "queued", "training")
    assert job.files["training_file"] and job.files["validation_file"]
    body = fake.created[0]
    assert body["metadata"] == {"fineflow_marker": job.marker}
    assert body["method"]["type"] == "supervised" and body["suffix"] == "demo" and body["seed"] == 7
    assert body["method"]["supervised"]["hyperparameters"] == {"n_epochs": "auto", "batch_size": "auto", "learning_rate_multiplier": "auto"}
    seen = set()
    end = time.monotonic() + 30
    while not ft.get_job(workspace, job.id).terminal and time.monotonic() < end:
        ft.sync_jobs(workspace, interval_s=5.0)
        seen.add(ft.get_job(workspace, job.id).status)
        time.sleep(0.02)
    done = ft.get_job(workspace, job.id)
    assert done.status == "completed" and done.provider_status == "succeeded"
    assert done.fine_tuned_model.startswith("ft:gpt-4o-mini:") and done.trained_tokens > 0
    assert done.cost_actual_usd == pytest.approx(done.trained_tokens / 1e6 * 3.0, abs=1e-4)
    assert "training" in seen
    path = [t.to_status for t in ft.job_transitions(workspace, job.id)]
    assert path[:2] == ["pending", "uploading"] and path[-1] == "completed"
    sim = fake.jobs[done.provider_job_id]["sim"]
    metrics = ft.job_metrics(workspace, job.id)
    assert [m.step for m in metrics] == list(range(1, sim.total_steps + 1))  # one row per step, none lost
    assert metrics[0].valid_loss is not None and any(m.full_valid_loss for m in metrics)
    events = ft.job_events(workspace, job.id)
    assert len(events) == len(fake_events(fake, done.provider_job_id))  # every event, once (pages of 100)
    assert sim.total_steps > 200  # so the events crossed several pages
    assert done.progress == {"step": sim.total_steps, "total_steps": sim.total_steps, "percent": 100.0}
    assert len(fake.created) == 1
    assert ft.job_checkpoints(workspace, job.id)[0].step == sim.total_steps
    # A finished job is not polled again.
    before = len(fake.log)
    assert ft.sync_jobs(workspace).results == []
    assert len(fake.log) == before


def test_cost_estimate_equals_hand_computed_value(workspace, openai_ft_fake):
    """15 pairs → the cookbook's 6 epochs; tokens counted by hand with tiktoken: per example
    3 (conversation) + for each of 3 messages 3 + tokens(role) + tokens(content)."""
    from fineflow_desktop.services import datasets

    d = datasets.get_or_create_dataset(workspace, "hand")
    pairs = [{"system": "Be brief.", "user": f"What is {i} plus {i}?", "assistant": f"It is {2 * i}."} for i in range(15)]
    pair_bulk.insert_pairs(workspace, d, pairs)
    add_credential(workspace, openai_ft_fake)
    enc = get_encoding("o200k_base")
    by_hand = 0
    for p in pairs:
        by_hand += 3
        for role, content in (("system", p["system"]), ("user", p["user"]), ("assistant", p["assistant"])):
            by_hand += 3 + len(enc.encode(role)) + len(enc.encode(content))
    est = ft.estimate_job(workspace, ft.JobSpec(dataset="hand", credential="oa", model="gpt-4o-mini"))
    assert est.examples == 15 and est.epochs == 6
    assert est.training_tokens == by_hand
    assert est.billed_tokens == by_hand * 6
    assert est.price_per_million == 3.0
    assert est.cost_usd == round(by_hand * 6 * 3.0 / 1_000_000, 6)
    assert est.to_dict()["budget"] == {"limit": None, "spent_this_month": 0.0, "remaining": None, "mode": "warn",
                                       "month": est.budget.month}
    # An explicit epoch count and a workspace price override are used as given.
    ft.set_price(workspace, "openai", "gpt-4o-mini", 10.0, "2026-12-01")
    est2 = ft.estimate_job(workspace, ft.JobSpec(dataset="hand", credential="oa", model="gpt-4o-mini", epochs=2))
    assert est2.billed_tokens == by_hand * 2 and est2.cost_usd == round(by_hand * 2 * 10.0 / 1e6, 6)
    assert est2.price_as_of == "2026-12-01"
    assert openai_ft_fake.log == []  # estimating never calls the provider


def test_budget_block_refuses_with_numbers_and_creates_nothing(workspace, openai_ft_fake):
    make_dataset(workspace, n=40)
    add_credential(workspace, openai_ft_fake)
    spec = ft.JobSpec(dataset="support", credential="oa", model="gpt-4o", epochs=3)
    est = ft.estimate_job(workspace, spec)
    ft.set_budget(workspace, est.cost_usd / 2, "block")
    with pytest.raises(ft.BudgetExceeded) as info:
        ft.create_job(workspace, spec, allow_over_budget=True)  # a block is not lifted by confirming
    d = info.value.details
    assert d["mode"] == "block" and d["cost_usd"] == est.cost_usd and d["limit"] == pytest.approx(est.cost_usd / 2)
    assert d["remaining"] == pytest.approx(est.cost_usd / 2) and d["spent_this_month"] == 0
    assert f"${est.cost_usd:,.2f}" in str(info.value)
    assert openai_ft_fake.log == [] and ft.list_jobs(workspace) == []
    assert not ft.estimate_job(workspace, spec).allowed


def test_budget_warn_needs_confirmation_then_counts_spend(workspace, openai_ft_fake):
    make_dataset(workspace, n=40)
    add_credential(workspace, openai_ft_fake)
    spec = ft.JobSpec(dataset="support", credential="oa", model="gpt-4o", epochs=3)
    est = ft.estimate_job(workspace, spec)
    ft.set_budget(workspace, est.cost_usd * 1.5, "warn")
    first = ft.create_job(workspace, spec)  # within budget
    b = ft.get_budget(workspace)
    assert b.spent_this_month == pytest.approx(est.cost_usd) and b.remaining == pytest.approx(est.cost_usd * 0.5)
    warned = ft.estimate_job(workspace, spec)
    assert warned.allowed and any("exceeds" in w for w in warned.warnings)
    with pytest.raises(ft.BudgetExceeded) as info:
        ft.create_job(workspace, spec)
    assert info.value.details["mode"] == "warn"
    second = ft.create_job(workspace, spec, allow_over_budget=True)
    assert second.id != first.id and len(openai_ft_fake.created) == 2
    summary = ft.month_summary(workspace)
    assert summary["jobs"] == 2 and summary["spent_this_month"] == pytest.approx(2 * est.cost_usd)


def test_dataset_with_validation_errors_is_refused_with_the_errors(workspace, openai_ft_fake):
    did = make_dataset(workspace, n=12)
    pair_bulk.insert_pairs(workspace, did, [{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]}])
    add_credential(workspace, openai_ft_fake)
    with pytest.raises(ft.DatasetInvalid) as info:
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    errs = info.value.details["errors"]
    assert info.value.details["error_count"] == 1 and errs[0]["code"] == "missing_content"
    assert errs[0]["pair_id"] is not None and errs[0]["field"] == "messages[1].content"
    assert "validation error" in str(info.value)
    assert openai_ft_fake.log == [] and ft.list_jobs(workspace) == []
    summary = ft.dataset_summary(workspace, "support")
    assert not summary.launchable and summary.pairs == 13 and summary.tokens["min"] <= summary.tokens["max"]


def test_wrong_key_is_refused_before_any_upload(workspace, openai_ft_fake):
    make_dataset(workspace)
    add_credential(workspace, openai_ft_fake, key="sk-test-WRONGKEY99999")
    with pytest.raises(ft.CredentialRejected) as info:
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    assert "refused the key" in str(info.value) and "WRONGKEY" not in str(info.value)
    assert openai_ft_fake.requests_to("/files", "POST") == [] and openai_ft_fake.created == []
    assert ft.list_jobs(workspace) == []
    with pytest.raises(ft.CredentialRejected, match="no credential"):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="nobody", model="gpt-4o-mini"))


def test_invalid_training_file_fails_the_job_with_code_and_param(workspace, openai_ft_fake):
    fake = openai_ft_fake
    message = "The job failed due to an invalid training file. Invalid file format. Line 3, message 2: content too long."
    fake.file_checker = lambda data: {"code": "invalid_training_file", "message": message, "param": "training_file"}
    make_dataset(workspace)
    add_credential(workspace, fake)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    done = sync_until_terminal(workspace, job.id)
    assert done.status == "failed" and done.provider_status == "failed"
    assert done.error.code == "invalid_training_file" and done.error.param == "training_file"
    assert done.error.message == message  # as the provider said it
    assert "training file" in done.error.hint
    assert any(e.level == "error" and e.message == message for e in ft.job_events(workspace, job.id))


@pytest.mark.slow
def test_polling_through_429_5xx_and_timeouts_loses_and_duplicates_nothing(workspace, openai_ft_fake):
    fake = openai_ft_fake
    fake.timing.step_s = 0.01
    make_dataset(workspace, n=60)
    add_credential(workspace, fake)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    fake.hang_s = 1.0
    fake.mix_failures({"429": 0.25, "500": 0.2, "disconnect": 0.1}, seed=4)  # 429, 429, 500 first
    reports = []
    end = time.monotonic() + 60
    while not ft.get_job(workspace, job.id).terminal and time.monotonic() < end:
        reports.append(ft.sync_jobs(workspace, interval_s=0.05))
        time.sleep(0.02)
    fake.failure_mix = {}
    assert ft.get_job(workspace, job.id).status == "completed"
    ft.poll_job(workspace, job.id)  # one more pass after the end adds nothing
    assert fake.counts()["429"] and fake.counts()["500"]
    sim = fake.jobs[ft.get_job(workspace, job.id).provider_job_id]["sim"]
    with workspace.session() as s:
        steps = list(s.scalars(select(FineTuneMetric.step).where(FineTuneMetric.job_id == job.id).order_by(FineTuneMetric.step)))
        n_events = len(list(s.scalars(select(FineTuneEvent.id).where(FineTuneEvent.job_id == job.id))))
    assert steps == list(range(1, sim.total_steps + 1))
    assert n_events == len(fake_events(fake, ft.get_job(workspace, job.id).provider_job_id))


def test_retry_after_sets_the_next_delay(workspace, openai_ft_fake):
    fake = openai_ft_fake
    make_dataset(workspace)
    add_credential(workspace, fake)
    ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    fake.retry_after_s = 0.7
    fake.fail_next("429", 3)  # the SDK's two retries fail as well
    report = ft.sync_jobs(workspace, interval_s=0.01)
    assert report.errors and "429" in report.errors[0]
    assert report.results[0].retry_after_s == pytest.approx(0.7)
    assert report.next_delay_s >= 0.7
    ok = ft.sync_jobs(workspace, interval_s=0.01)
    assert not ok.errors and ok.next_delay_s == 0.01


def test_provider_restart_mid_job_polling_carries_on(workspace, openai_ft_fake):
    fake = openai_ft_fake
    fake.timing.step_s = 0.01
    make_dataset(workspace, n=40)
    add_credential(workspace, fake)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    ft.sync_jobs(workspace)
    import threading

    t = threading.Thread(target=fake.restart, kwargs={"down_s": 4.0})  # longer than the SDK's own retries
    t.start()
    assert fake.down.wait(30)  # poll only once the port is closed (a loaded box can take a while)
    down = ft.sync_jobs(workspace)
    t.join()
    assert down.errors  # connection refused while the provider was down
    done = sync_until_terminal(workspace, job.id)
    assert done.status == "completed"
    sim = fake.jobs[done.provider_job_id]["sim"]
    assert [m.step for m in ft.job_metrics(workspace, job.id)] == list(range(1, sim.total_steps + 1))


def test_job_deleted_at_provider_is_marked_not_crashed(workspace, openai_ft_fake):
    make_dataset(workspace)
    add_credential(workspace, openai_ft_fake)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    openai_ft_fake.delete_job(job.provider_job_id)
    report = ft.sync_jobs(workspace)
    assert not report.errors
    gone = ft.get_job(workspace, job.id)
    assert gone.deleted_at_provider and gone.status == "failed" and gone.error.code == "deleted_at_provider"
    assert "no longer" in gone.error.hint
    assert ft.sync_jobs(workspace).results == []  # terminal: not polled again


def test_cancel_running_job(workspace, openai_ft_fake):
    fake = openai_ft_fake
    fake.timing.step_s = 0.5
    make_dataset(workspace)
    add_credential(workspace, fake)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    cancelled = ft.cancel_job(workspace, job.provider_job_id)
    assert cancelled.status == "cancelled" and cancelled.provider_status == "cancelled"
    assert ft.cancel_job(workspace, job.id).status == "cancelled"  # again: unchanged, no error
    assert len(fake.requests_to("/cancel", "POST")) == 1
    assert ft.job_transitions(workspace, job.id)[-1].to_status == "cancelled"


class Killed(BaseException):
    """Stands in for kill -9 at one line of the launch (nothing after it runs)."""


@pytest.mark.parametrize("where", ["upload", "create_sent", "adopt"])
def test_crash_during_launch_never_creates_a_second_job(workspace, openai_ft_fake, monkeypatch, where):
    """A launch killed before the upload, after the create request reached the provider, or after
    the provider answered but before the id was stored: the next sync finishes it with exactly
    one job at the provider."""
    from fineflow_desktop.providers.finetuning import openai_ft

    fake = openai_ft_fake
    make_dataset(workspace)
    add_credential(workspace, fake)
    real_create = openai_ft.OpenAIFineTuning.create_job
    if where == "upload":
        monkeypatch.setattr(openai_ft.OpenAIFineTuning, "upload_file", lambda self, path, purpose="fine-tune": (_ for _ in ()).throw(Killed()))
    elif where == "create_sent":
        def create_then_die(self, request):
            real_create(self, request)
            raise Killed()
        monkeypatch.setattr(openai_ft.OpenAIFineTuning, "create_job", create_then_die)
    else:
        monkeypatch.setattr(launch_mod, "adopt_remote", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini", validation_split=0.2))
    monkeypatch.undo()
    with workspace.session() as s:
        row = s.scalars(select(FineTuneJob)).one()
        assert row.provider_job_id is None and row.launch_stage != "created"
    assert len(fake.created) == (0 if where == "upload" else 1)
    report = ft.sync_jobs(workspace)
    assert report.reconciled and not report.errors
    job = ft.list_jobs(workspace)[0]
    assert job.provider_job_id in fake.jobs
    assert len(fake.created) == 1  # never twice
    assert fake.created[0]["metadata"]["fineflow_marker"] == job.marker
    uploads = len(fake.requests_to("/files", "POST"))
    assert uploads == 2  # training + validation, each once
    ft.sync_jobs(workspace)
    assert len(fake.created) == 1 and sync_until_terminal(workspace, job.id).status == "completed"


def test_launch_of_another_live_process_is_left_alone(workspace, openai_ft_fake, monkeypatch):
    make_dataset(workspace)
    add_credential(workspace, openai_ft_fake)
    monkeypatch.setattr(launch_mod, "adopt_remote", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    monkeypatch.undo()
    with workspace.session() as s:
        row = s.scalars(select(FineTuneJob)).one()
        row.request = {**row.request, "launcher": {"pid": 1, "started": __import__("psutil").Process(1).create_time()}}
    assert ft.sync_jobs(workspace).reconciled == []  # pid 1 is alive: its launch is still running


def test_restart_resumes_polling_and_curves_continue(tmp_path, openai_ft_fake):
    from fineflow_desktop.store.workspace import Workspace

    fake = openai_ft_fake
    fake.timing.step_s = 0.01
    ws = Workspace.open(tmp_path / "w")
    make_dataset(ws, n=40)
    add_credential(ws, fake)
    job = ft.create_job(ws, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    while not ft.job_metrics(ws, job.id):
        ft.sync_jobs(ws)
        time.sleep(0.05)
    first = len(ft.job_metrics(ws, job.id))
    ws.close()
    ws = Workspace.open(tmp_path / "w")  # the app restarts
    try:
        done = sync_until_terminal(ws, job.id)
        steps = [m.step for m in ft.job_metrics(ws, job.id)]
        assert done.status == "completed" and len(steps) > first
        assert steps == list(range(1, fake.jobs[done.provider_job_id]["sim"].total_steps + 1))
    finally:
        ws.close()


def test_sync_polls_jobs_concurrently(workspace, openai_ft_fake):
    fake = openai_ft_fake
    fake.timing.step_s = 10.0
    make_dataset(workspace)
    add_credential(workspace, fake)
    for _ in range(6):
        ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    fake.latency_s = 0.2
    report = ft.sync_jobs(workspace)
    assert len(report.results) == 6 and not report.errors
    assert fake.max_concurrent >= 3


def test_split_leakage_and_move(workspace):
    from fineflow_desktop.services import datasets

    d = datasets.get_or_create_dataset(workspace, "leaky")
    base = [f"Step {i}: open the panel, loosen screw {i}, lift the cover and check the fuse rating printed on it." for i in range(20)]
    rows = [{"user": f"How do I do step {i}?", "assistant": t} for i, t in enumerate(base)]
    rows += [{"user": f"How do I do step {i}?", "assistant": t} for i, t in enumerate(base)]  # exact copies
    pair_bulk.insert_pairs(workspace, d, rows)
    plan = ft.split_dataset(workspace, "leaky", 0.25, seed=3)
    assert plan == ft.split_dataset(workspace, "leaky", 0.25, seed=3)  # reproducible
    assert len(plan.validation_pair_ids) == 10 and len(plan.train_pair_ids) == 30
    leaks = ft.find_leakage(workspace, plan)
    assert leaks and all(l.train_pair_id in plan.train_pair_ids and l.validation_pair_id in plan.validation_pair_ids for l in leaks)
    moved = ft.move_pairs(plan, leaks, to="train")
    assert ft.find_leakage(workspace, moved) == []
    assert len(moved.train_pair_ids) + len(moved.validation_pair_ids) == 40
    with pytest.raises(ValueError, match="validation_split"):
        ft.split_dataset(workspace, "leaky", 1.5)


def test_catalog():
    assert any(m.id.startswith("gpt-4o-mini") for m in ft.base_models("openai"))
    assert ft.base_models("together") and ft.base_models("fireworks")
    names = [h.name for h in ft.hyperparameter_schema("openai", "dpo")]
    assert names == ["epochs", "batch_size", "learning_rate_multiplier", "beta"]
    epochs = ft.hyperparameter_schema("openai")[0]
    assert (epochs.minimum, epochs.maximum, epochs.allows_auto) == (1, 50, True)
    assert "2027-01-06" in ft.provider_notice("openai") and ft.provider_notice("together") is None
    with pytest.raises(ValueError, match="provider"):
        ft.base_models("acme")


def test_dpo_launch_sends_the_preference_file_and_method(workspace, openai_ft_fake):
    from fineflow_desktop.services import datasets

    fake = openai_ft_fake
    add_credential(workspace, fake)
    make_dataset(workspace, name="plain", n=12)
    with pytest.raises(ft.LaunchRefused, match="openai-dpo") as info:
        ft.estimate_job(workspace, ft.JobSpec(dataset="plain", credential="oa", model="gpt-4o-mini", method="dpo"))
    assert info.value.reason == "input"
    d = datasets.get_or_create_dataset(workspace, "prefs")
    pair_bulk.insert_pairs(workspace, d, [{"user": f"Describe item {i}.", "assistant": f"Item {i} is a small blue box.",
                                           "meta": {"non_preferred_output": [{"role": "assistant", "content": "No idea."}]}}
                                          for i in range(12)])
    job = ft.create_job(workspace, ft.JobSpec(dataset="prefs", credential="oa", model="gpt-4o-mini", method="dpo",
                                              hyperparameters={"beta": 0.2}))
    body = fake.created[0]
    assert body["method"]["type"] == "dpo" and body["method"]["dpo"]["hyperparameters"]["beta"] == 0.2
    uploaded = fake.files[job.files["training_file"]]["content"].decode().splitlines()
    first = __import__("json").loads(uploaded[0])
    assert first["non_preferred_output"] == [{"role": "assistant", "content": "No idea."}] and "input" in first
    assert sync_until_terminal(workspace, job.id).status == "completed"


@pytest.mark.slow
def test_pause_resume_and_metrics_csv(workspace, openai_ft_fake, tmp_path):
    fake = openai_ft_fake
    fake.timing.step_s = 0.05
    make_dataset(workspace)
    add_credential(workspace, fake)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    while ft.get_job(workspace, job.id).status != "training":
        ft.sync_jobs(workspace)
        time.sleep(0.05)
    paused = ft.pause_job(workspace, job.id)
    assert paused.status == "paused" and paused.provider_status == "paused"
    assert ft.job_transitions(workspace, job.id)[-1].to_status == "paused"
    resumed = ft.resume_job(workspace, job.id)
    assert resumed.status == "training"
    done = sync_until_terminal(workspace, job.id)
    assert done.status == "completed"
    n = ft.metrics_csv(workspace, job.id, tmp_path / "m.csv")
    lines = (tmp_path / "m.csv").read_text().splitlines()
    assert n == len(lines) - 1 == len(ft.job_metrics(workspace, job.id))
    assert lines[0] == "step,train_loss,valid_loss,train_mean_token_accuracy,valid_mean_token_accuracy,full_valid_loss"
    with pytest.raises(ft.FineTuneError, match="cannot be paused"):
        ft.pause_job(workspace, job.id)


def test_cancel_during_launch_cancels_at_the_provider_too(workspace, openai_ft_fake, monkeypatch):
    from fineflow_desktop.providers.finetuning import openai_ft

    fake = openai_ft_fake
    fake.timing.step_s = 1.0
    make_dataset(workspace)
    add_credential(workspace, fake)
    real_create = openai_ft.OpenAIFineTuning.create_job

    def cancel_then_create(self, request):
        ft.cancel_job(workspace, ft.list_jobs(workspace)[0].id)  # the user clicks Cancel mid-launch
        return real_create(self, request)

    monkeypatch.setattr(openai_ft.OpenAIFineTuning, "create_job", cancel_then_create)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    assert job.status == "cancelled" and job.provider_job_id in fake.jobs
    assert fake.jobs[job.provider_job_id]["sim"].phase == "cancelled"
