"""``fineflow generate`` / ``fineflow runs`` against the OpenAI fake."""

import json

import pytest

import generation_fixtures as gf
from fakes.fixtures import OPENAI_TEST_KEY
from fakes.openai_fake import OpenAIFake
from fineflow_desktop import cli
from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.store.workspace import Workspace

pytestmark = pytest.mark.usefixtures("pydoc_sources")


@pytest.fixture
def setup(tmp_path, monkeypatch, capsys):
    path = tmp_path / "ws"
    with OpenAIFake(api_key=OPENAI_TEST_KEY, responder=gf.openai_responder, retry_after_s=0.01) as fake:
        ws = Workspace.open(path)
        gf.add_chunks(ws, 12)
        create_credential(ws, name="main", provider="openai", base_url=fake.base_url, model="gpt-4o-mini",
                          api_key=OPENAI_TEST_KEY, settings={"timeout_s": 2.0})
        ws.close()

        def run(*argv):
            code = cli.main([*argv, "--workspace", str(path)])
            out = capsys.readouterr()
            return code, out.out, out.err

        yield run, fake, path
        assert fake.violations == []


def test_estimate_then_refuse_without_yes_when_not_interactive(setup, monkeypatch):
    run, fake, _ = setup
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    code, out, err = run("generate", "--dataset", "docs-qa", "--provider", "openai", "--credential", "main",
                         "--model", "gpt-4o-mini", "--mode", "qa")
    assert code == 2 and "estimate: 12 calls" in out and "pass --yes" in err
    assert fake.chat_bodies() == []  # nothing was sent
    code, out, _ = run("runs", "list")
    assert "no generation runs yet" in out


def test_generate_with_yes_then_runs_list_and_show(setup):
    run, fake, _ = setup
    code, out, err = run("generate", "--dataset", "docs-qa", "--credential", "main", "--mode", "qa",
                         "--pairs-per-chunk", "2", "--concurrency", "3", "--yes")
    assert code == 0, err
    assert "estimate: 12 calls" in out and "run 1: completed — 12 done, 0 failed" in out
    assert "[12/12]" in err  # progress on stderr
    code, out, _ = run("runs", "list", "--json")
    [r] = json.loads(out)
    assert (r["status"], r["done"], r["concurrency"], r["pairs_per_chunk"]) == ("completed", 12, 3, 2)
    code, out, _ = run("runs", "show", "1", "--json")
    detail = json.loads(out)
    assert len(detail["items"]) == 12 and {i["state"] for i in detail["items"]} == {"done"}
    assert {i["answered_by"] for i in detail["items"]} == {"main"}
    code, out, _ = run("runs", "show", "1")
    assert "run 1: completed" in out and "item " in out


def test_failures_exit_1_and_retry_failed_finishes(setup):
    run, fake, _ = setup
    fake.models = ["gpt-4o"]  # the model vanished: 404, not retried, every item fails at once
    code, out, err = run("generate", "--dataset", "docs-qa", "--credential", "main", "--mode", "qa", "--yes", "--json")
    summary = json.loads(out)
    assert code == 1 and summary["status"] == "partial" and summary["failed"] == 12
    code, out, _ = run("runs", "show", "1", "--state", "failed")
    assert out.count("error: ") == 12 and "HTTP 404" in out and OPENAI_TEST_KEY not in out
    fake.models = ["gpt-4o-mini"]
    code, out, _ = run("generate", "--retry-failed", "1")
    assert code == 0 and "completed — 12 done, 0 failed" in out
    code, out, _ = run("generate", "--resume", "1")  # nothing left: still fine
    assert code == 0


def test_usage_errors_exit_2(setup):
    run, _, _ = setup
    # a new dataset name is fine (runs create it), but a refused run creates nothing
    code, _, err = run("generate", "--dataset", "nope", "--credential", "missing", "--yes")
    assert code == 2 and "missing" in err
    assert "nope" not in run("stats")[1]
    code, _, err = run("generate", "--credential", "main", "--yes")
    assert code == 2 and "--dataset is required" in err
    code, _, err = run("generate", "--resume", "42")
    assert code == 2 and "no generation run 42" in err
    code, _, err = run("generate", "--dataset", "docs-qa", "--provider", "anthropic", "--yes")
    assert code == 2 and "no anthropic credential" in err
    code, _, err = run("runs", "show", "7")
    assert code == 2


def test_batch_generate_then_cancel_a_second_batch_at_the_provider(setup, monkeypatch):
    from fineflow_desktop.core.progress import TaskState
    from fineflow_desktop.services.generation import batch as batch_svc
    from fineflow_desktop.services import generation as gen

    run, fake, path = setup
    monkeypatch.setattr(batch_svc, "POLL_INTERVAL_S", 0.05)  # read at call time; 30 s for real
    code, out, err = run("generate", "--dataset", "docs-qa", "--credential", "main", "--mode", "qa", "--batch", "--yes")
    assert code == 0, err
    assert "run 1: completed — 12 done, 0 failed" in out and "batch" in err
    fake.batch_complete_after_s = 3600  # the next batch takes its time at the provider
    ws = Workspace.open(path)
    run_id, _ = gen.create_run(ws, gen.RunParams(dataset="docs-qa", credential="main", mode="qa", batch=True))
    state = TaskState()
    state.on_progress = lambda *a: state.cancel()  # submitted, then the user closed the app
    assert gen.run_generation(ws, run_id, state).status == "batch_pending"
    ws.close()
    fake.failure_paths = ("/batches",)
    fake.fail_next("500")  # the provider fails the first cancel request
    code, out, err = run("runs", "cancel", str(run_id))
    assert code == 1 and "HTTP 500" in err and "(cancel)" in err and OPENAI_TEST_KEY not in err + out
    assert "Traceback" not in err
    code, out, err = run("runs", "cancel", str(run_id))  # the batch still waits: try again
    assert code == 0, err
    assert f"run {run_id}: partial — 0 done, 12 failed" in out and f"--retry-failed {run_id}" in out
    assert len(fake.requests_to("/cancel", "POST")) == 2
    code, _, err = run("runs", "cancel", str(run_id))
    assert code == 2 and "no batch waiting" in err
    code, _, err = run("runs", "cancel", "1")
    assert code == 2 and "no batch waiting" in err


def test_generate_into_a_new_dataset_with_a_provider_creates_it(setup, monkeypatch):
    """The help says runs create the dataset: the estimate must not look it up first."""
    run, fake, path = setup
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    code, out, err = run("generate", "--dataset", "brand-new", "--provider", "openai", "--mode", "qa")
    assert code == 2 and "estimate: 12 calls" in out and "pass --yes" in err
    code, out, _ = run("stats", "--json")
    assert "brand-new" not in [d["name"] for d in json.loads(out)["dataset_list"]]  # refused: nothing created
    code, out, err = run("generate", "--dataset", "brand-new", "--provider", "openai", "--mode", "qa",
                         "--pairs-per-chunk", "1", "--yes")
    assert code == 0, err
    assert "run 1: completed — 12 done, 0 failed" in out
    code, out, _ = run("stats", "--json")
    [new] = [d for d in json.loads(out)["dataset_list"] if d["name"] == "brand-new"]
    assert new["pairs"] > 0
