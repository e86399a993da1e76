"""Batch mode against the fakes: OpenAI Batch API (files + batches) and Anthropic Message Batches."""

import json
import time

import pytest
from sqlalchemy import func, select

import generation_fixtures as gf
from fakes.anthropic_fake import AnthropicFake
from fakes.fixtures import ANTHROPIC_TEST_KEY, OPENAI_TEST_KEY
from fakes.openai_fake import OpenAIFake
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.services.generation import batch as batch_svc
from fineflow_desktop.services import generation as gen
from fineflow_desktop.store.models_providers import UsageRecord
from fineflow_desktop.store.workspace import Workspace

pytestmark = pytest.mark.usefixtures("pydoc_sources")


def nap(_seconds):
    time.sleep(0.02)  # polls come quickly; the fakes finish batches after ~0.2 s


@pytest.fixture
def fake():
    with OpenAIFake(api_key=OPENAI_TEST_KEY, responder=gf.openai_responder, batch_complete_after_s=0.2) as f:
        yield f
        assert f.violations == [], f.violations


def _openai_run(ws, fake, n=12):
    gf.add_chunks(ws, n)
    create_credential(ws, name="main", provider="openai", base_url=fake.base_url, model="gpt-4o-mini", api_key=OPENAI_TEST_KEY)
    run_id, est = gen.create_run(ws, gen.RunParams(dataset="docs-qa", credential="main", mode="qa", batch=True))
    return run_id, est


def test_openai_batch_round_trip_matches_results_by_custom_id(workspace, fake):
    run_id, est = _openai_run(workspace, fake)
    live = gen.estimate_for(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    assert est.cost_usd == pytest.approx(live.cost_usd / 2)  # batch pricing
    summary = gen.run_generation(workspace, run_id, sleep=nap)
    assert summary.status == "completed" and summary.done == 12 and summary.pairs >= 12
    [upload] = fake.requests_to("/files", "POST")
    [created] = fake.requests_to("/batches", "POST")
    assert created.json["endpoint"] == "/v1/chat/completions" and created.json["completion_window"] == "24h"
    [file] = [f for f in fake.files.values() if f["meta"]["purpose"] == "batch"]
    lines = [json.loads(l) for l in file["content"].decode().splitlines()]
    item_ids = [i.id for i in gen.run_detail(workspace, run_id).items]
    assert [l["custom_id"] for l in lines] == [f"run{run_id}-item{i}" for i in item_ids]
    assert lines[0]["body"]["response_format"] == {"type": "json_object"}
    info = gen.get_run(workspace, run_id)
    assert info.batch_state["batches"][0]["status"] == "completed" and info.batch_state["batches"][0]["ingested"]
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(UsageRecord).where(UsageRecord.batch, UsageRecord.run_id == run_id)) == 12
    r = gf.duplicate_report(workspace, run_id)
    assert r["lost"] == r["duplicate_pairs"] == r["count_mismatch"] == 0


def test_pending_batch_survives_an_app_restart(tmp_path, fake):
    ws = Workspace.open(tmp_path / "ws")
    run_id, _ = _openai_run(ws, fake)
    fake.batch_complete_after_s = 3600  # the provider takes its time
    state = TaskState()
    state.on_progress = lambda *a: state.cancel()  # the user quits right after submission
    summary = gen.run_generation(ws, run_id, state, sleep=nap)
    assert summary.status == "batch_pending" and summary.pending == 12
    ws.close()
    ws = Workspace.open(tmp_path / "ws")  # the app starts again
    info = gen.list_runs(ws)[0]
    assert info.status == "batch_pending" and info.needs_resume and info.running == 12
    assert batch_svc.poll_batch(ws, run_id).status == "batch_pending"  # still processing
    fake.complete_batches()
    poll = batch_svc.poll_batch(ws, run_id)
    assert (poll.status, poll.done, poll.ingested) == ("completed", 12, 12)
    assert batch_svc.poll_batch(ws, run_id).ingested == 0  # idempotent
    assert len(fake.requests_to("/batches", "POST")) == 1  # never resubmitted
    r = gf.duplicate_report(ws, run_id)
    assert r["duplicate_pairs"] == r["count_mismatch"] == 0
    ws.close()


def test_failed_and_missing_lines_fail_their_items_and_retry_failed_resubmits(workspace, fake):
    fake.batch_line_failure_rate = 0.4
    run_id, _ = _openai_run(workspace, fake, n=15)
    first = gen.run_generation(workspace, run_id, sleep=nap)
    assert first.status == "partial" and first.failed > 0 and first.done + first.failed == 15
    failed = gen.run_detail(workspace, run_id, states=("failed",)).items
    assert all("HTTP 500" in i.last_error for i in failed)
    fake.batch_line_failure_rate = 0.0
    again = gen.retry_failed(workspace, run_id, sleep=nap)
    assert again.status == "completed" and again.done == 15
    second_file = [f for f in fake.files.values() if f["meta"]["purpose"] == "batch"][-1]
    assert len(second_file["content"].decode().splitlines()) == first.failed  # only the failed ones
    # a batch that expires without output fails its items with the reason
    run2, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa", batch=True))
    fake.batch_complete_after_s = 3600
    state = TaskState()
    state.on_progress = lambda *a: state.cancel()
    gen.run_generation(workspace, run2, state, sleep=nap)
    [b] = [b for b in fake.batches.values() if b["status"] == "in_progress"]
    b.update(status="expired", expired_at=int(time.time()))
    poll = batch_svc.poll_batch(workspace, run2)
    assert (poll.status, poll.failed) == ("partial", 15)
    assert "batch expired" in gen.run_detail(workspace, run2, states=("failed",)).items[0].last_error
    r = gf.duplicate_report(workspace, run_id)
    assert r["duplicate_pairs"] == r["count_mismatch"] == r["stray_pairs"] == 0


def _anthropic_batch_run(ws, fake) -> int:
    create_credential(ws, name="claude", provider="anthropic", base_url=fake.base_url, model="claude-haiku-4-5",
                      api_key=ANTHROPIC_TEST_KEY)
    return gen.create_run(ws, gen.RunParams(dataset="docs-qa", credential="claude", mode="qa", batch=True))[0]


def test_anthropic_message_batches(workspace):
    gf.add_chunks(workspace, 10)
    with AnthropicFake(api_key=ANTHROPIC_TEST_KEY, responder=gf.anthropic_responder, batch_complete_after_s=0.2) as fake:
        run_id = _anthropic_batch_run(workspace, fake)
        summary = gen.run_generation(workspace, run_id, sleep=nap)
        assert fake.violations == []
        [b] = fake.batches.values()
        assert sorted(r["custom_id"] for r in b["_results"]) == sorted(f"run{run_id}-item{i.id}" for i in gen.run_detail(workspace, run_id).items)
    assert summary.status == "completed" and summary.done == 10 and summary.pairs >= 10


def test_batch_needs_a_batch_capable_provider(workspace, fake):
    gf.add_chunks(workspace, 2)
    create_credential(workspace, name="local", provider="compatible", base_url=fake.base_url, model="gpt-4o-mini")
    with pytest.raises(gen.GenerationError, match="^batch:"):
        gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="local", batch=True))


def _submitted_then_stopped_watching(ws, run_id):
    state = TaskState()
    state.on_progress = lambda *a: state.cancel()  # stop watching right after submission
    assert gen.run_generation(ws, run_id, state, sleep=nap).status == "batch_pending"


def test_cancel_at_the_provider_fails_the_unanswered_items_and_retry_sends_them_again(workspace, fake):
    from fineflow_desktop.services.generation import NotABatchRunError, cancel_batch_run

    run_id, _ = _openai_run(workspace, fake, n=12)
    fake.batch_complete_after_s = 3600
    _submitted_then_stopped_watching(workspace, run_id)
    summary = cancel_batch_run(workspace, run_id, sleep=nap, poll_interval_s=0.01)
    [b] = fake.batches.values()
    assert b["status"] == "cancelled" and len(fake.requests_to(f"/batches/{b['id']}/cancel", "POST")) == 1
    assert (summary.status, summary.failed, summary.done, summary.pending) == ("partial", 12, 0, 0)
    failed = gen.run_detail(workspace, run_id, states=("failed",)).items
    assert all("batch cancelled" in i.last_error for i in failed)
    with pytest.raises(NotABatchRunError, match="no batch waiting"):  # nothing left to cancel
        cancel_batch_run(workspace, run_id, sleep=nap)
    fake.batch_complete_after_s = 0.05
    again = gen.retry_failed(workspace, run_id, sleep=nap)
    assert (again.status, again.done) == ("completed", 12)
    r = gf.duplicate_report(workspace, run_id)
    assert r["lost"] == r["duplicate_pairs"] == r["count_mismatch"] == r["stray_pairs"] == 0
    live, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    with pytest.raises(NotABatchRunError, match="does not use the batch API"):
        cancel_batch_run(workspace, live)


def test_cancel_without_watching_leaves_the_end_to_the_watcher_anthropic(workspace):
    from fineflow_desktop.services.generation import batch as batch_svc
    from fineflow_desktop.services.generation import cancel_batch_run

    gf.add_chunks(workspace, 6)
    with AnthropicFake(api_key=ANTHROPIC_TEST_KEY, responder=gf.anthropic_responder, batch_complete_after_s=3600) as fake:
        run_id = _anthropic_batch_run(workspace, fake)
        _submitted_then_stopped_watching(workspace, run_id)
        cancel_batch_run(workspace, run_id, watch=False)
        [b] = fake.batches.values()
        assert b["processing_status"] in ("canceling", "ended")
        poll = batch_svc.poll_batch(workspace, run_id)
        assert (poll.status, poll.failed) == ("partial", 6)
        assert fake.violations == []
    assert "canceled" in gen.run_detail(workspace, run_id, states=("failed",)).items[0].last_error
