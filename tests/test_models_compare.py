"""Model catalog and comparisons (issue 12), against the loopback OpenAI fake."""

from __future__ import annotations

import csv
import json

import pytest
from compare_helpers import FT, JUDGE, helpdesk_workspace, responder, section
from finetune_helpers import make_dataset

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake, openai_ft_fake  # noqa: F401
from fakes.openai_fake import DEFAULT_MODELS
from fineflow_desktop import cli
from fineflow_desktop.core import compare_scores as cs
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import models
from fineflow_desktop.services.retrieval import DEFAULTS, get_ai_config
from fineflow_desktop.store.models_finetune import FineTuneJob
from fineflow_desktop.store.workspace import Workspace

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
    assert set(res["rows"][0]["scores"]["a"]) == {"exact_match", "token_f1", "rouge_l", "cosine"}
    assert res["params"]["temperature"] == DEFAULTS["temperature"]  # the workspace default (AI Settings)
    code, out, err = run("models", "compare", FT, "--against", "gpt-4o-mini", "--dataset", "support", "--limit", "6",
                         "--judge", JUDGE, "--temperature", "0", "--json")
    assert code == 0, err
    res = json.loads(out)
    assert [r["judge"].get("winner") for r in res["rows"]] == ["a"] * 5 + [None]  # prompt 5: no verdict, kept
    assert res["rows"][5]["judge"]["error"].startswith("no verdict") and res["rows"][5]["a"]
    assert res["summary"]["judge"]["a"] == 5 and res["params"]["judge"]["template"] == "builtin-judge"
    assert res["params"]["overridden"] == ["temperature"]
    code, out, _ = run("models", "compare", FT, "--against", "gpt-4o-mini", "--dataset", "support", "--limit", "3",
                       "--judge", JUDGE, "--judge-template", "nope")
    assert code == 2
    code, out, _ = run("models", "deploy", FT, "--json")
    assert code == 0 and json.loads(out)["model_id"] == FT
    code, out, _ = run("models", "archive", FT, "--json")
    assert code == 0 and json.loads(out)["status"] == "archived"
    bad = tmp_path / "prompts.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    code, _, err = run("models", "compare", FT, "--against", "gpt-4o-mini", "--prompts", str(bad), "--credential", "oa")
    assert code == 2 and "line 1" in err


# -- cosine, judge, held-out split, typed prompts, playground (issue 12, compare side) ------------------
def judging_responder(body: dict):
    """``compare_helpers.responder`` (judge: no verdict on prompt 5), and the judge refuses prompt 6 (400)."""
    from fakes.server import Reply

    if body["model"] == JUDGE:
        assert body.get("response_format", {}).get("type") == "json_object"  # the template's output format is json
        if "device number 6?" in section(body["messages"][-1]["content"], "User question"):
            return Reply(400, {"error": {"message": "judge refused", "type": "invalid_request_error", "param": None,
                                         "code": None}})
    return responder(body)


def test_parse_verdict_accepts_json_tags_and_sentences():
    from fineflow_desktop.core.judge import JudgeParseError, parse_verdict, unswap

    assert parse_verdict('{"verdict": "2", "reason": "closer"}') == ("2", "closer")
    assert parse_verdict('Sure.\n```json\n{"Winner": "Assistant 1", "explanation": "x"}\n```') == ("1", "x")
    assert parse_verdict('{"verdict": "tie"}') == ("tie", "")
    assert parse_verdict("Both are fine but A is wordy. [[B]]")[0] == "2"
    assert parse_verdict("[[C]]")[0] == "tie"
    assert parse_verdict("After comparing, Assistant 2's answer is better.")[0] == "2"
    assert parse_verdict("Final verdict: 1")[0] == "1"
    # how judges (small local ones especially) answer when they ignore the format
    replies = {
        "**Verdict:** Assistant 2": "2",
        "My final verdict is [[B]].": "2",
        "The answer from Assistant 1 is better.": "1",
        "Assistant 1 is better at formatting, but Assistant 2 is more accurate.\nVerdict: 2": "2",
        "I prefer Assistant 2 because it cites the steps.": "2",
        "Both answers are equally correct.": "tie",
        "Neither stands out, so it's a tie.": "tie",
        "Assistant 2 repeats itself.\n\nTie.": "tie",
        "Reasoning: the first answer follows the reference.\n1": "1",
        '{"winner": "B", "why": "more detail"}': "2",
        "Assistant 1 is better; this is not a tie.": "1",
    }
    assert {text: parse_verdict(text)[0] for text in replies} == replies
    assert parse_verdict('{"winner": "B", "why": "more detail"}')[1] == "more detail"
    for bad in ("", "no idea", "[[A]] or maybe [[B]]", "Both have strengths and weaknesses."):
        with pytest.raises(JudgeParseError):
            parse_verdict(bad)
    assert (unswap("1", False), unswap("1", True), unswap("2", True), unswap("tie", True)) == ("a", "b", "a", "tie")


def test_cosine_uses_the_rag_index_embedder_or_a_scoped_fit(workspace, fake):
    from fineflow_desktop.services.retrieval import resolve_embedder

    make_dataset(workspace, n=12)
    add_cred(workspace, fake)
    prompts = models.dataset_prompts(workspace, "support", 12)
    # no RAG index yet: an LSA model fitted on this comparison's texts, said so
    first = models.compare_models(workspace, FT, "gpt-4o-mini", prompts, credential_a="oa", credential_b="oa")
    assert "fitted on this comparison's 48 prompts, references and answers (no RAG index yet)" in first.params["embedder"]
    assert all(r["scores"]["a"]["cosine"] == pytest.approx(1.0, abs=1e-5) for r in first.rows)  # same text
    assert all(0.0 <= r["scores"]["b"]["cosine"] < 0.5 for r in first.rows)
    s = first.summary
    assert s["means"]["a"]["cosine"] == pytest.approx(1.0, abs=1e-5) and s["means"]["b"]["cosine"] < 0.5
    assert s["closer_by"]["cosine"] == {"a": 12, "b": 0, "tie": 0}
    # the workspace's LSA model (what the RAG index embeds with) is used once it knows the words
    texts = [p.messages[-1]["content"] + " " + p.reference for p in prompts] + ["Try turning it off and on again."] * 3
    lsa = resolve_embedder(workspace, extra_fit_texts=texts)
    second = models.compare_models(workspace, FT, "gpt-4o-mini", prompts, credential_a="oa", credential_b="oa")
    assert second.params["embedder"] == f"fineflow-lsa/{lsa.version} (the RAG index's embedder)"
    ref, b = prompts[0].reference, second.rows[0]["b"]
    expected = float(lsa.embed([b])[0] @ lsa.embed([ref])[0])
    assert second.rows[0]["scores"]["b"]["cosine"] == pytest.approx(max(0.0, expected), abs=1e-5)
    export = models.export_comparison(workspace, second.comparison_id, workspace.path / "c.csv")
    row = next(csv.DictReader(export.open(encoding="utf-8")))
    assert float(row["cosine_a"]) == pytest.approx(1.0, abs=1e-5) and row["cosine_b"]


def test_judge_verdicts_errors_and_template_versions(workspace, fake):
    from fineflow_desktop.services import templates as T

    fake.models = (*DEFAULT_MODELS, FT)
    fake.responder = judging_responder
    make_dataset(workspace, n=10)
    add_cred(workspace, fake)
    prompts = models.dataset_prompts(workspace, "support", 10)
    cmp = models.compare_models(workspace, FT, "gpt-4o-mini", prompts, credential_a="oa", credential_b="oa",
                                judge=models.JudgeSpec(JUDGE, "oa"))
    assert cmp.status == "completed" and all(r["a"] and r["b"] for r in cmp.rows)  # the judge never costs a row
    judged = {r["idx"]: r["judge"] for r in cmp.rows}
    assert judged[5]["error"].startswith("no verdict") and "judge call failed" in judged[6]["error"]
    ok = [j for i, j in judged.items() if i not in (5, 6)]
    assert all(j["winner"] == "a" for j in ok)  # unswapped: the fine-tuned answer wins wherever it was shown
    assert {j["swapped"] for j in ok} == {False, True} and all("gives the reference's steps" in j["reason"] for j in ok)
    assert set(cmp.rows[0]["scores"]) == {"a", "b"}  # the contract's scores keep only the two models
    j = cmp.summary["judge"]
    assert (j["a"], j["b"], j["tie"], j["errors"], j["judged"]) == (8, 0, 0, 2, 8) and j["a_rate"] == 1.0
    assert j["ci95"][0] == pytest.approx(cs.wilson_interval(8, 8)[0])
    assert cmp.params["judge"] == {"model": JUDGE, "credential": "oa", "template": "builtin-judge", "version": 1}
    # every judge call is in the template execution audit of builtin-judge v1
    execs = T.list_executions(workspace, T.get_template(workspace, "builtin-judge").id)
    assert len(execs) == 10 and {e.status for e in execs} == {"completed", "failed"}
    assert all(e.version_number == 1 and e.model == JUDGE for e in execs)
    # a published v2 of the judge template is what the next run uses
    body = T.published_version(workspace, "builtin-judge").body
    v2 = T.edit_template(workspace, "builtin-judge", body=body.replace("Be as objective", "Be strict and as objective"))
    T.publish(workspace, "builtin-judge", v2.number)
    again = models.compare_models(workspace, FT, "gpt-4o-mini", prompts[:2], credential_a="oa", credential_b="oa",
                                  judge=models.JudgeSpec(JUDGE, "oa"))
    assert again.params["judge"]["version"] == 2
    judge_bodies = [b["messages"][-1]["content"] for b in fake.chat_bodies() if b["model"] == JUDGE]
    assert len(judge_bodies) == 12 and all("Be strict" in b for b in judge_bodies[-2:])
    # a template using variables a comparison does not supply is refused before anything is sent
    T.create_template(workspace, "my-judge", "Judge {{prompt}} vs {{ground_truth}}", tags=["judge"])
    with pytest.raises(ValueError, match="ground_truth"):
        models.compare_models(workspace, FT, "gpt-4o-mini", prompts[:1], credential_a="oa", credential_b="oa",
                              judge=models.JudgeSpec(JUDGE, "oa", "my-judge"))
    assert [t["slug"] for t in models.judge_templates(workspace)] == ["builtin-judge", "my-judge"]


def test_typed_prompts_and_workspace_defaults_with_override(workspace, fake):
    from fineflow_desktop.services.retrieval import set_ai_config

    add_cred(workspace, fake)
    set_ai_config(workspace, temperature=0.3, max_tokens=77, instructions="Answer in one sentence.")
    typed = models.parse_prompts_text("How do I reset device number 1?\n\nWhat is a LoRA adapter?\n")
    assert [p.messages for p in typed] == [[{"role": "user", "content": "How do I reset device number 1?"}],
                                           [{"role": "user", "content": "What is a LoRA adapter?"}]]
    pasted = models.parse_prompts_text('{"prompt": "How do I reset device number 2?", "reference": "Hold the power '
                                       'button of device 2 for ten seconds."}')
    assert pasted[0].reference.startswith("Hold")
    with pytest.raises(models.PromptsFileError, match=r"typed prompts, line 2: not a JSON object"):
        models.parse_prompts_text('{"prompt": "a"}\nnot json')
    cmp = models.compare_models(workspace, FT, "gpt-4o-mini", typed, credential_a="oa", credential_b="oa",
                                prompt_source="typed prompts")
    bodies = fake.chat_bodies()
    assert {b["temperature"] for b in bodies} == {0.3} and {b.get("max_tokens") or b.get("max_completion_tokens")
                                                             for b in bodies} == {77}
    assert all(b["messages"][0] == {"role": "system", "content": "Answer in one sentence."} for b in bodies)
    assert cmp.params["overridden"] == [] and cmp.rows[0]["scores"] == {"a": {}, "b": {}}  # no reference, no scores
    over = models.compare_models(workspace, FT, "gpt-4o-mini", pasted, credential_a="oa", credential_b="oa",
                                 temperature=0.0, instructions="")
    assert over.params["overridden"] == ["temperature", "instructions"] and over.params["temperature"] == 0.0
    assert all(b["messages"][0]["role"] == "user" for b in fake.chat_bodies()[len(bodies):])
    assert over.rows[0]["scores"]["a"]["cosine"] == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(ValueError, match="temperature"):
        models.compare_models(workspace, FT, "gpt-4o-mini", pasted, credential_a="oa", temperature=3.0)


def test_held_out_split_of_a_launched_job_is_the_default(workspace, openai_ft_fake, capsys):
    from finetune_helpers import add_credential, sync_until_terminal

    from fineflow_desktop.services import finetune as ft

    fake = openai_ft_fake
    fake.responder = responder
    make_dataset(workspace, n=40)
    add_credential(workspace, fake, name="oa")
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini",
                                              validation_split=0.25, split_seed=7))
    done = sync_until_terminal(workspace, job.id)
    model = done.fine_tuned_model
    [rec] = models.list_models(workspace)
    assert rec.job_id == job.id and models.job_of_model(workspace, model) == job.id
    assert models.has_held_out(workspace, job.id)
    prompts, label = models.job_prompts(workspace, job.id)
    assert len(prompts) == 10 and label == f"held-out split of job #{job.id} (validation.jsonl)"
    # exactly the validation side the launch uploaded, none of the training side
    train_text = fake.files[fake.created[0]["training_file"]]["content"].decode()
    valid_text = fake.files[fake.created[0]["validation_file"]]["content"].decode()
    for p in prompts:
        assert f'"{p.messages[-1]["content"]}"' not in train_text and f'"{p.messages[-1]["content"]}"' in valid_text
        assert p.reference.startswith("Hold the power button") and p.messages[0]["role"] == "system"
    # the validation file gone: the same split is recomputed from the dataset (same fraction, seed)
    info = models.held_out_info(workspace, job.id)
    from pathlib import Path
    Path(info["path"]).unlink()
    again, label2 = models.job_prompts(workspace, job.id)
    assert [p.messages[-1]["content"] for p in again] == [p.messages[-1]["content"] for p in prompts]
    assert "recomputed from dataset 'support', 0.25 with seed 7" in label2
    # the CLI compares on it by default (no --dataset / --prompts)
    code = cli.main(["models", "compare", model, "--against", "gpt-4o-mini", "--limit", "4", "--json",
                     "--workspace", str(workspace.path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    res = json.loads(out.out)
    assert len(res["rows"]) == 4 and res["prompt_source"].startswith(f"held-out split of job #{job.id}")
    assert set(res["rows"][0]["scores"]["a"]) == {"exact_match", "token_f1", "rouge_l", "cosine"}
    assert res["summary"]["closer_by"]["cosine"]["a"] == 4
    # a job launched without a validation split says what to use instead
    plain = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="oa", model="gpt-4o-mini"))
    with pytest.raises(models.NoHeldOutSplit, match="without a validation split"):
        models.job_prompts(workspace, plain.id)


def test_playground_answers_with_instructions_and_rag_context(workspace, fake):
    from fineflow_desktop.services.retrieval import set_ai_config

    add_cred(workspace, fake)
    models.add_model(workspace, FT, "oa", "gpt-4o-mini")
    helpdesk_workspace(workspace)
    out = models.playground_answer(workspace, "How do I reset device number 4?")
    assert out["model"] == FT and out["credential"] == "oa" and out["error"] is None
    assert out["answer"] == "Hold the power button of device 4 for ten seconds."
    assert out["rag_enabled"] and out["hits"][0]["text"].startswith("Device number 4 resets")
    sent = fake.chat_bodies()[-1]
    assert sent["model"] == FT and sent["temperature"] == 0.7
    system = sent["messages"][0]["content"]
    assert system.startswith("You are the device helpdesk.") and "paperclip" in system and "<context>" in system
    set_ai_config(workspace, rag_enabled=False)
    plain = models.playground_answer(workspace, "How do I reset device number 4?", temperature=0.1)
    assert plain["hits"] == [] and plain["system_prompt"] == "You are the device helpdesk."
    assert plain["params"]["overridden"] == ["temperature"] and fake.chat_bodies()[-1]["temperature"] == 0.1
    with pytest.raises(ValueError, match="prompt"):
        models.playground_answer(workspace, "   ")


def test_cosine_is_undefined_for_a_text_without_features_and_left_out_of_means():
    import numpy as np

    v = np.array([[1, 0], [1, 0], [0.6, 0.8], [0, 0], [0, 0], [0.6, 0.8], [0.6, 0.8], [-0.6, -0.8]], dtype=np.float32)
    # identical; zero reference (no cosine); zero answer (nothing in common); opposite (clipped)
    assert cs.cosine_rows(v) == [1.0, None, 0.0, 0.0]
    s = cs.summarize([{"scores": {"a": {"cosine": 1.0}, "b": {"cosine": None}}},
                      {"scores": {"a": {"cosine": 0.5}, "b": {"cosine": 0.25}}}])
    assert s["means"]["a"]["cosine"] == 0.75 and s["means"]["b"]["cosine"] == 0.25
    assert s["closer_by"]["cosine"] == {"a": 1, "b": 0, "tie": 0}


def test_held_out_file_of_a_preference_job_and_a_damaged_line(workspace, tmp_path):
    """A DPO launch's validation file (OpenAI preference format): the preferred answer is the
    reference; a damaged line is reported with the file and its line number."""
    good = {"input": {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}]},
            "preferred_output": [{"role": "assistant", "content": "4"}],
            "non_preferred_output": [{"role": "assistant", "content": "Five, I think."}]}
    path = tmp_path / "validation.jsonl"
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    with workspace.session() as s:
        job = FineTuneJob(marker="dpo1", provider="openai", credential_name="oa", model="gpt-4o-mini", method="dpo",
                          status="completed", fine_tuned_model="ft:dpo", launch_stage="created",
                          request={"validation_path": str(path), "format": "openai-dpo",
                                   "spec": {"validation_split": 0.2, "split_seed": 0}})
        s.add(job)
        s.flush()
        job_id = job.id
    [item], label = models.job_prompts(workspace, job_id)
    assert item.messages == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}]
    assert item.reference == "4" and label.endswith("(validation.jsonl)")
    path.write_text(json.dumps(good) + "\n" + '{"input": {"messages": [' + "\n", encoding="utf-8")
    with pytest.raises(models.PromptsFileError, match=r"validation.jsonl, line 2"):
        models.job_prompts(workspace, job_id)
    with pytest.raises(LookupError, match="no fine-tuning job #999"):
        models.job_prompts(workspace, 999)
