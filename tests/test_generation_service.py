"""Generation runs end to end: real SDK clients against the loopback fakes over real sockets.

Chunks are real paragraphs of the Python docs; failures are injected by the fakes (429 with
Retry-After, 500, timeouts, dropped connections, malformed output, bad keys, quota).
"""

import logging
import os
import socket
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

import generation_fixtures as gf
from fakes.anthropic_fake import AnthropicFake
from fakes.fixtures import ANTHROPIC_TEST_KEY, OPENAI_TEST_KEY
from fakes.openai_fake import OpenAIFake
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.credentials import create_credential, set_credential_key
from fineflow_desktop.services import generation as gen
from fineflow_desktop.store.models import Pair, utcnow
from fineflow_desktop.store.models_generation import GenerationRun, WorkItem
from fineflow_desktop.store.models_providers import UsageRecord

pytestmark = pytest.mark.usefixtures("pydoc_sources")
FAILURE_MIX = {"429": 0.05, "500": 0.05, "timeout": 0.05, "disconnect": 0.05}  # 20 % of requests


@pytest.fixture
def fake():
    with OpenAIFake(api_key=OPENAI_TEST_KEY, latency_s=0.01, responder=gf.openai_responder, retry_after_s=0.25, hang_s=3.0) as f:
        yield f
        assert f.violations == [], f.violations


def _cred(ws, fake, name="main", key=OPENAI_TEST_KEY, **kw):
    kw.setdefault("concurrency", 4)
    return create_credential(ws, name=name, provider="openai", base_url=fake.base_url, model="gpt-4o-mini",
                             api_key=key, settings={"timeout_s": 1.5}, **kw)  # well above latency even on a loaded CI box


class Sleeps(list):
    """A fake ``sleep`` that records the waits instead of waiting."""

    def __call__(self, seconds):
        self.append(seconds)


def test_run_generates_pairs_with_provenance_and_usage(workspace, fake):
    chunk_ids = gf.add_chunks(workspace, 24, flagged=2)
    _cred(workspace, fake)
    run_id, estimate = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    assert estimate.calls == 22  # the 2 chunks flagged for prompt injection are skipped by default
    seen = []
    summary = gen.run_generation(workspace, run_id, TaskState(on_progress=lambda d, t, m: seen.append((d, t, m))))
    assert summary.status == "completed" and summary.done == 22 and summary.failed == 0
    assert seen[-1][0] == seen[-1][1] == 22 and "items/s" in seen[-1][2]
    report = gf.duplicate_report(workspace, run_id)
    assert report["lost"] == report["duplicate_pairs"] == report["count_mismatch"] == report["stray_pairs"] == 0
    with workspace.session() as s:
        pairs = s.scalars(select(Pair).where(Pair.run_id == run_id)).all()
        assert len(pairs) == summary.pairs > 22
        p = pairs[0]
        assert (p.source, p.system, p.meta["model"], p.meta["mode"]) == ("generated", "You are a helpful Python expert.", "gpt-4o-mini", "qa")
        assert p.chunk_id in chunk_ids[2:] and p.document_id is not None and p.content_hash and p.n_tokens > 0
        assert s.scalar(select(func.count()).select_from(UsageRecord).where(UsageRecord.run_id == run_id, UsageRecord.ok)) == 22
    bodies = fake.chat_bodies()
    assert all(b["response_format"] == {"type": "json_object"} for b in bodies)
    assert "in English" in bodies[0]["messages"][1]["content"]  # chunk language "en"
    assert fake.max_concurrent <= 4
    info = gen.get_run(workspace, run_id)
    assert (info.status, info.done, info.pending, info.needs_resume) == ("completed", 22, 0, False)


@pytest.mark.slow
def test_twenty_percent_failures_lose_nothing_and_retry_failed_finishes(workspace, fake):
    gf.add_chunks(workspace, 40)
    _cred(workspace, fake)
    fake.failure_mix = FAILURE_MIX
    for kind in ("429", "500", "timeout", "disconnect"):  # each kind surely seen, then the random mix
        fake.fail_next(kind)
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa", concurrency=8))
    sleeps = Sleeps()
    summary = gen.run_generation(workspace, run_id, sleep=sleeps)
    report = gf.duplicate_report(workspace, run_id)
    assert report["lost"] == 0 and report["failed_without_error"] == 0  # every item done or failed-with-error
    assert report["duplicate_pairs"] == report["count_mismatch"] == report["stray_pairs"] == 0
    counts = fake.counts()
    assert counts["429"] and counts["500"] and counts["timeout"] and counts["disconnect"]
    assert 0.25 in sleeps  # Retry-After of the 429s honoured exactly
    assert all(s <= 300 for s in sleeps)
    # the provider goes down completely: every item fails, with its error, nothing is lost
    run2, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa", concurrency=8))
    fake.failure_mix = {"500": 1.0}
    down = gen.run_generation(workspace, run2, sleep=Sleeps())
    assert (down.status, down.failed, down.done) == ("partial", 40, 0)
    detail = gen.run_detail(workspace, run2, states=("failed",))
    assert len(detail.items) == 40 and all("HTTP 500" in i.last_error and i.attempts == 1 for i in detail.items)
    assert all(OPENAI_TEST_KEY not in i.last_error for i in detail.items)
    fake.failure_mix = FAILURE_MIX  # back up, still flaky: Retry failed finishes the run
    again = gen.retry_failed(workspace, run2, sleep=Sleeps())
    assert again.status == "completed" and again.done == 40
    for rid in (run_id, run2):
        r = gf.duplicate_report(workspace, rid)
        assert r["duplicate_pairs"] == r["count_mismatch"] == r["stray_pairs"] == 0
    assert summary.done + summary.failed == 40


def test_falls_over_to_next_credential_and_records_who_answered(workspace, fake):
    gf.add_chunks(workspace, 6)
    with OpenAIFake(api_key=OPENAI_TEST_KEY, failure_mix={"quota": 1.0}, responder=gf.openai_responder) as broke:
        first = create_credential(workspace, name="broke", provider="openai", base_url=broke.base_url, model="gpt-4o-mini",
                                  api_key=OPENAI_TEST_KEY, is_default=True, priority=1)
        wrong = _cred(workspace, fake, name="wrong-key", key="sk-wrong-0000000000000000", priority=2)
        good = _cred(workspace, fake, name="backup", priority=3)
        run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="broke", mode="qa"))
        summary = gen.run_generation(workspace, run_id, sleep=Sleeps())
        assert summary.status == "completed"
        assert len(broke.requests_to("/chat/completions")) >= 1  # tried once, then left alone
        assert len(broke.requests_to("/chat/completions")) <= 4  # one per worker at most
    detail = gen.run_detail(workspace, run_id)
    assert {i.answered_by for i in detail.items} == {"backup"}
    with workspace.session() as s:
        kinds = dict(s.execute(select(UsageRecord.credential_id, UsageRecord.error_kind).where(~UsageRecord.ok)).all())
    assert kinds[first.id] == "QuotaError" and kinds[wrong.id] == "AuthError"
    assert good.id not in kinds


def test_every_credential_rejected_stops_the_run_without_losing_items(workspace, fake):
    gf.add_chunks(workspace, 8)
    cred = _cred(workspace, fake, key="sk-proj-WRONGKEY0000000000001234")
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    summary = gen.run_generation(workspace, run_id, sleep=Sleeps())
    assert summary.status == "failed" and "every credential failed" in summary.error
    assert "WRONGKEY" not in summary.error and "1234" in summary.error  # masked as sk-…1234
    assert gf.duplicate_report(workspace, run_id)["states"] == {"pending": 8}  # nothing burnt as failed
    set_credential_key(workspace, cred.id, OPENAI_TEST_KEY)
    assert gen.resume_run(workspace, run_id, sleep=Sleeps()).status == "completed"


def test_cancel_leaves_items_pending_and_resume_completes_without_duplicates(workspace, fake):
    gf.add_chunks(workspace, 30)
    _cred(workspace, fake, concurrency=2)
    fake.latency_s = 0.05
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    state = TaskState()
    state.on_progress = lambda done, total, msg: state.cancel() if done >= 6 else None
    summary = gen.run_generation(workspace, run_id, state)
    assert summary.status == "cancelled" and 6 <= summary.done < 30
    report = gf.duplicate_report(workspace, run_id)
    assert report["states"].get("running", 0) == 0 and report["states"]["pending"] == 30 - summary.done
    info = gen.get_run(workspace, run_id)
    assert info.needs_resume and not info.live
    resumed = gen.resume_run(workspace, run_id)
    assert resumed.status == "completed" and resumed.done == 30
    assert resumed.processed == 30 - summary.done  # only the pending items were sent
    report = gf.duplicate_report(workspace, run_id)
    assert report["duplicate_pairs"] == report["count_mismatch"] == report["stray_pairs"] == 0


def test_crashed_run_is_offered_for_resume_and_stale_items_go_back_to_pending(workspace, fake):
    gf.add_chunks(workspace, 10)
    _cred(workspace, fake)
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    # What kill -9 leaves behind: run "running" by a dead pid, items claimed, a stray pair.
    with workspace.session() as s:
        s.execute(update(GenerationRun).where(GenerationRun.id == run_id).values(
            status="running", runner=f"{socket.gethostname()[:40]}:999999", heartbeat_at=utcnow()))
        s.execute(update(WorkItem).where(WorkItem.run_id == run_id, WorkItem.id <= 3).values(state="running", attempts=1))
        chunk = s.scalar(select(WorkItem.chunk_id).where(WorkItem.run_id == run_id).order_by(WorkItem.id))
        s.add(Pair(dataset_id=1, user="stray", assistant="stray", run_id=run_id, chunk_id=chunk, source="generated"))
    info = gen.list_runs(workspace)[0]
    assert info.needs_resume and not info.live and info.running == 3
    summary = gen.resume_run(workspace, run_id)
    assert summary.status == "completed" and summary.done == 10
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(Pair).where(Pair.user == "stray")) == 0
        attempts = dict(s.execute(select(WorkItem.id, WorkItem.attempts).where(WorkItem.run_id == run_id)).all())
    assert sorted(attempts.values())[-3:] == [2, 2, 2]
    r = gf.duplicate_report(workspace, run_id)
    assert r["duplicate_pairs"] == r["count_mismatch"] == r["stray_pairs"] == 0


def test_a_run_executing_in_another_live_process_is_refused(workspace, fake):
    gf.add_chunks(workspace, 3)
    _cred(workspace, fake)
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    other = f"{socket.gethostname()[:40]}:{os.getppid()}"  # a live process that is not us
    with workspace.session() as s:
        s.execute(update(GenerationRun).where(GenerationRun.id == run_id).values(status="running", runner=other, heartbeat_at=utcnow()))
    assert gen.get_run(workspace, run_id).live
    with pytest.raises(gen.RunBusyError, match="already running"):
        gen.run_generation(workspace, run_id)
    with workspace.session() as s:  # it stopped heartbeating long ago: taking over is allowed
        s.execute(update(GenerationRun).where(GenerationRun.id == run_id).values(heartbeat_at=utcnow() - timedelta(minutes=5)))
    assert gen.run_generation(workspace, run_id).status == "completed"


def test_malformed_output_is_asked_again_then_failed_with_reason(workspace, fake):
    gf.add_chunks(workspace, 2)
    _cred(workspace, fake, concurrency=1)
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    fake.fail_next("malformed", 1)  # first reply unusable, second fine
    fake.fail_next("malformed", 0)
    assert gen.run_generation(workspace, run_id).done == 2
    run2, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    fake.fail_next("malformed", 3)  # three unusable replies in a row for the first item
    s2 = gen.run_generation(workspace, run2)
    assert (s2.done, s2.failed) == (1, 1)
    failed = gen.run_detail(workspace, run2, states=("failed",)).items[0]
    assert "NoJSONError" in failed.last_error and failed.attempts == 1


def test_conversation_mode_stores_full_message_lists(workspace, fake):
    gf.add_chunks(workspace, 3)
    _cred(workspace, fake)
    fake.responder = gf.conversation_responder
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="conversation", pairs_per_chunk=2))
    assert gen.run_generation(workspace, run_id).status == "completed"
    with workspace.session() as s:
        p = s.scalars(select(Pair).where(Pair.run_id == run_id)).first()
    assert [m["role"] for m in p.messages] == ["system", "user", "assistant", "user", "assistant"]
    assert p.user == p.messages[1]["content"] and p.assistant == p.messages[2]["content"]


def test_anthropic_run_with_overload_retries(workspace):
    gf.add_chunks(workspace, 8)
    with AnthropicFake(api_key=ANTHROPIC_TEST_KEY, responder=gf.anthropic_responder, failure_mix={"529": 0.2, "429": 0.1},
                       seed=3, retry_after_s=0.1, hang_s=4.0) as fake:  # seed 3: 529, 529 and 429 in the first 8 draws
        create_credential(workspace, name="claude", provider="anthropic", base_url=fake.base_url, model="claude-haiku-4-5",
                          api_key=ANTHROPIC_TEST_KEY, settings={"timeout_s": 2.0})
        run_id, est = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="claude", mode="instruction"))
        assert est.cost_usd is not None  # claude-haiku-4-5 is in the seeded price table
        summary = gen.run_generation(workspace, run_id, sleep=Sleeps())
        assert fake.violations == []
        assert fake.counts()["529"] >= 1
    assert summary.status == "completed" and summary.pairs >= 8
    r = gf.duplicate_report(workspace, run_id)
    assert r["duplicate_pairs"] == r["count_mismatch"] == 0


def test_create_run_checks_fields_and_filters(workspace, fake):
    gf.add_chunks(workspace, 10, flagged=3)
    _cred(workspace, fake)
    with pytest.raises(gen.GenerationError, match="^dataset:"):
        gen.create_run(workspace, gen.RunParams(dataset=999, credential="main"))
    with pytest.raises(gen.GenerationError, match="^credential:"):  # refused: the new dataset is not created
        gen.create_run(workspace, gen.RunParams(dataset="brand-new", credential="ghost"))
    from fineflow_desktop.services.datasets import list_datasets

    assert "brand-new" not in {d["name"] for d in list_datasets(workspace)}
    with pytest.raises(gen.GenerationError, match="^mode:"):
        gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="poems"))
    with pytest.raises(gen.GenerationError, match="^credential:"):
        gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="ghost"))
    with pytest.raises(gen.GenerationError, match="^provider:"):
        gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", provider="anthropic"))
    with pytest.raises(gen.GenerationError, match="^source_filter:"):
        gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", source_filter=gen.SourceFilter(min_quality=0.5)))
    every = gen.SourceFilter(exclude_flagged=False)
    assert gen.estimate_for(workspace, gen.RunParams(dataset="docs-qa", credential="main", source_filter=every)).calls == 10
    run_id, est = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", pairs_per_chunk=2, language="fr"))
    assert est.calls == 7
    assert gen.run_generation(workspace, run_id).status == "completed"
    assert "in French" in fake.chat_bodies()[0]["messages"][1]["content"]
    with workspace.engine.connect() as c:
        assert c.execute(text("SELECT estimate FROM generation_runs WHERE id=:r"), {"r": run_id}).scalar()


def test_no_file_in_the_workspace_contains_the_key_after_a_run(workspace, fake, tmp_path):
    gf.add_chunks(workspace, 12)
    _cred(workspace, fake)
    _cred(workspace, fake, name="bad", key="sk-proj-LEAKCHECK0000000000009999", priority=0)
    fake.failure_mix = {"429": 0.2, "500": 0.2}
    run_id, _ = gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="bad", mode="qa"))
    assert gen.run_generation(workspace, run_id, sleep=Sleeps()).done == 12
    # every export format, with a split and the provenance sidecar, and the app's log file
    from fineflow_desktop.logs import log_dir, setup_logging
    from fineflow_desktop.services.export import export_dataset

    setup_logging()
    logging.getLogger("fineflow.test").error("credential bad failed once: %s", "sk-proj-LEAKCHECK0000000000009999")
    ds_id = next(r.dataset_id for r in gen.list_runs(workspace) if r.id == run_id)
    exports = tmp_path / "exports"
    exports.mkdir()
    for fmt in ("openai", "anthropic", "bedrock", "alpaca", "sharegpt", "hf-chat"):
        export_dataset(workspace, ds_id, exports / f"{fmt}.jsonl", fmt, split=0.8, provenance_sidecar=True)
    assert len(list(exports.iterdir())) >= 12
    workspace.engine.dispose()  # checkpoint the WAL into the database file
    for handler in logging.getLogger().handlers:
        handler.flush()
    for key in (OPENAI_TEST_KEY, "sk-proj-LEAKCHECK0000000000009999"):
        for folder in (workspace.path, exports, log_dir()):
            for f in folder.rglob("*"):
                if f.is_file():
                    assert key.encode() not in f.read_bytes(), f
    assert {i.answered_by for i in gen.run_detail(workspace, run_id).items} == {"main"}  # fell over from "bad"


def test_run_renders_and_records_the_published_template_version(workspace, fake):
    """Issues 4+6: a run uses the mode's published template version, records it on the run
    and on every pair, and a newly published version drives the next run."""
    from fineflow_desktop.services import templates as tpl

    gf.add_chunks(workspace, 3)
    _cred(workspace, fake)
    run1, _ = gen.create_run(workspace, gen.RunParams(dataset="t", credential="main", mode="qa"))
    v1_id, _ = tpl.generation_template_for(workspace, "qa")
    gen.run_generation(workspace, run1, TaskState())
    body = tpl.version(workspace, "builtin-qa").body
    draft = tpl.edit_template(workspace, "builtin-qa", body=body + "\nMARKER: prefer beginner questions.\n", note="v2")
    with pytest.raises(gen.GenerationError, match="not published"):
        gen.create_run(workspace, gen.RunParams(dataset="t", credential="main", mode="qa", template_version_id=draft.id))
    tpl.publish(workspace, "builtin-qa", draft.number)
    run2, _ = gen.create_run(workspace, gen.RunParams(dataset="t2", credential="main", mode="qa"))
    gen.run_generation(workspace, run2, TaskState())
    with workspace.session() as s:
        runs = {r.id: r.template_version_id for r in s.scalars(select(GenerationRun))}
        pair_versions = {(p.run_id, p.template_version_id) for p in s.scalars(select(Pair))}
    assert runs == {run1: v1_id, run2: draft.id}
    assert pair_versions == {(run1, v1_id), (run2, draft.id)}
    prompts = [m["content"] for body in fake.chat_bodies() for m in body["messages"] if m["role"] == "user"]
    assert sum("MARKER: prefer beginner" in p for p in prompts) == 3  # only run 2's three chunks
