"""Model catalog and comparisons (issue 12), against the loopback OpenAI fake."""

from __future__ import annotations

import csv
import json
import re

import pytest
from finetune_helpers import make_dataset

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fakes.openai_fake import DEFAULT_MODELS
from fineflow_desktop import cli
from fineflow_desktop.core import compare_scores as cs
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import models
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.store.models_finetune import FineTuneJob
from fineflow_desktop.store.workspace import Workspace

FT = "ft:gpt-4o-mini:acme::abc123"


def responder(body: dict) -> str:
    """The fine-tuned model answers like the dataset; the base model answers vaguely; prompt 7
    is refused by the fine-tuned model only (a 400 from the fake below)."""
    user = body["messages"][-1]["content"]
    n = re.search(r"device number (\d+)", user)
    if body["model"] == FT:
        return f"Hold the power button of device {n.group(1)} for ten seconds." if n else "I do not know."
    return "Try turning it off and on again."


@pytest.fixture
def fake(openai_fake):  # noqa: F811
    openai_fake.models = (*DEFAULT_MODELS, FT)
    openai_fake.responder = responder
    return openai_fake


def add_cred(ws, fake):
    return creds.create_credential(ws, "oa", "openai", base_url=fake.base_url, api_key=OPENAI_TEST_KEY, session_only=True)


# -- core scores ---------------------------------------------------------------------------------
def test_scores_follow_squad_and_rouge():
    assert cs.exact_match("The Cat!", "cat") == 1.0 and cs.exact_match("a dog", "cat") == 0.0
    assert cs.token_f1("the cat sat", "cat sat down") == pytest.approx(0.8)
    assert cs.rouge_l("the cat sat on the mat", "a cat sat on a mat") == pytest.approx(2 / 3)
    lo, hi = cs.wilson_interval(8, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.490, 0.943)  # Wilson 95% for 8/10 (textbook value)
    wr = cs.win_rate(["a", "a", "b", "tie", None])
    assert (wr["a"], wr["b"], wr["tie"], wr["unvoted"], wr["decided"]) == (2, 1, 1, 1, 3)
    assert wr["a_rate"] == pytest.approx(2 / 3)


# -- catalog ----------------------------------------------------------------------------------------
def test_completed_job_model_appears_and_deploy_switches_the_default(workspace, fake):
    add_cred(workspace, fake)
    with workspace.session() as s:
        s.add(FineTuneJob(marker="m1", provider="openai", credential_name="oa", model="gpt-4o-mini",
                          status="completed", fine_tuned_model=FT, dataset_name="support", launch_stage="created"))
    listed = models.list_models(workspace)
    assert [(m.model_id, m.provider, m.base_model, m.source) for m in listed] == [(FT, "openai", "gpt-4o-mini", "job")]
    assert models.list_models(workspace)[0].id == listed[0].id  # not added twice
    before = get_ai_config(workspace)["chat_model"]
    assert models.deploy_model(workspace, FT) == {"model_id": FT, "previous": before}
    assert get_ai_config(workspace)["chat_model"] == FT and models.get_model(workspace, FT).deployed
    assert models.restore_previous_default(workspace) == before
    models.set_archived(workspace, FT)
    assert models.list_models(workspace, include_archived=False) == []
    with pytest.raises(ValueError, match="archived"):
        models.deploy_model(workspace, FT)


# -- compare ------------------------------------------------------------------------------------------
def test_compare_20_prompts_scores_votes_and_reopen(tmp_path, fake):
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    make_dataset(ws, n=30)
    add_cred(ws, fake)
    prompts = models.dataset_prompts(ws, "support", 20)
    assert len(prompts) == 20 and prompts[0].reference.startswith("Hold the power button")
    cmp = models.compare_models(ws, FT, "gpt-4o-mini", prompts, credential_a="oa", credential_b="oa", concurrency=4)
    assert cmp.status == "completed" and len(cmp.rows) == 20
    assert all(r["a"].startswith("Hold the power button") and r["b"].startswith("Try turning") for r in cmp.rows)
    s = cmp.summary
    assert s["means"]["a"]["exact_match"] == 1.0 and s["means"]["b"]["exact_match"] == 0.0
    assert s["closer_to_reference"] == {"a": 20, "b": 0, "tie": 0}
    assert len(fake.requests_to("/chat/completions")) == 40  # both models, every prompt, once
    for i in range(6):
        models.set_vote(ws, cmp.comparison_id, i, "a")
    models.set_vote(ws, cmp.comparison_id, 6, "b")
    summary = models.set_vote(ws, cmp.comparison_id, 7, "tie")
    assert (summary["votes"]["a"], summary["votes"]["b"], summary["votes"]["tie"]) == (6, 1, 1)
    ws.close()
    ws = Workspace.open(path)  # survives reopening
    again = models.get_comparison(ws, cmp.comparison_id)
    assert again.rows[6]["vote"] == "b" and again.summary["votes"]["a_rate"] == pytest.approx(6 / 7)
    out = models.export_comparison(ws, cmp.comparison_id, tmp_path / "cmp.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 20 and rows[6]["vote"] == "b" and float(rows[0]["rouge_l_a"]) == 1.0
    jl = models.export_comparison(ws, cmp.comparison_id, tmp_path / "cmp.jsonl")
    assert len(jl.read_text().splitlines()) == 20
    ws.close()


def test_a_model_failing_on_some_prompts_keeps_the_other_answers(workspace, fake):
    from fakes.server import Reply

    add_cred(workspace, fake)

    def picky(body):
        if body["model"] == FT and "device number 3" in body["messages"][-1]["content"]:
            return Reply(400, {"error": {"message": "content policy", "type": "invalid_request_error", "param": None,
                                         "code": None}})
        return responder(body)

    fake.responder = picky
    make_dataset(workspace, n=5)
    cmp = models.compare_models(workspace, FT, "gpt-4o-mini", models.dataset_prompts(workspace, "support", 5),
                                credential_a="oa", credential_b="oa")
    bad = [r for r in cmp.rows if r["error_a"]]
    assert len(bad) == 1 and bad[0]["a"] is None and bad[0]["b"].startswith("Try turning")
    assert cmp.summary["errors"] == {"a": 1, "b": 0}


def test_prompts_file_errors_name_the_line(tmp_path):
    good = tmp_path / "p.jsonl"
    good.write_text('{"prompt": "Hi?", "reference": "Hello."}\n\n{"messages": [{"role": "user", "content": "2+2?"},'
                    ' {"role": "assistant", "content": "4"}]}\n', encoding="utf-8")
    items = models.read_prompts_file(good)
    assert [(i.messages[-1]["content"], i.reference) for i in items] == [("Hi?", "Hello."), ("2+2?", "4")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "ok"}\n{"prompt": 12}\n', encoding="utf-8")
    with pytest.raises(models.PromptsFileError, match=r"bad.jsonl, line 2: field 'prompt'"):
        models.read_prompts_file(bad)
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"first\n\xff\xfe\x00bad")
    with pytest.raises(models.PromptsFileError, match=r"x.txt, line 2: not UTF-8"):
        models.read_prompts_file(binary)
    text = tmp_path / "plain.txt"
    text.write_text("What is a LoRA adapter?\nHow many epochs?\n", encoding="utf-8")
    assert [i.messages[0]["content"] for i in models.read_prompts_file(text)] == ["What is a LoRA adapter?", "How many epochs?"]


# -- CLI contract -------------------------------------------------------------------------------------
def test_models_cli_contract(tmp_path, fake, capsys, monkeypatch):
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    make_dataset(ws, n=30)
    ws.close()

    def run(*argv):
        code = cli.main([*argv, "--workspace", str(path)])
        out = capsys.readouterr()
        return code, out.out, out.err

    monkeypatch.setenv("K", OPENAI_TEST_KEY)
    assert run("credentials", "add", "--name", "oa", "--provider", "openai", "--base-url", fake.base_url,
               "--key-from-env", "K")[0] == 0
    code, out, err = run("models", "add", FT, "--credential", "oa", "--base", "gpt-4o-mini", "--json")
    assert code == 0, err
    code, out, _ = run("models", "list", "--json")
    m = json.loads(out)["models"][0]
    assert {"model_id", "provider", "base_model", "job_id", "status"} <= set(m)
    assert (m["model_id"], m["provider"], m["base_model"], m["status"]) == (FT, "openai", "gpt-4o-mini", "active")
    code, out, err = run("models", "compare", FT, "--against", "gpt-4o-mini", "--dataset", "support", "--limit", "5",
                         "--json")
    assert code == 0, err
    res = json.loads(out)
    assert set(res) >= {"comparison_id", "rows", "summary"} and len(res["rows"]) == 5
    assert set(res["rows"][0]) >= {"prompt", "reference", "a", "b", "scores"}
    assert set(res["rows"][0]["scores"]) == {"a", "b"} and res["rows"][0]["scores"]["a"]["rouge_l"] == 1.0
    assert res["summary"]["closer_to_reference"]["a"] == 5
    code, out, _ = run("models", "deploy", FT, "--json")
    assert code == 0 and json.loads(out)["model_id"] == FT
    code, out, _ = run("models", "archive", FT, "--json")
    assert code == 0 and json.loads(out)["status"] == "archived"
    bad = tmp_path / "prompts.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    code, _, err = run("models", "compare", FT, "--against", "gpt-4o-mini", "--prompts", str(bad), "--credential", "oa")
    assert code == 2 and "line 1" in err
