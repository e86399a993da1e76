"""Model catalog (issue 12, catalog side): usage from the usage log, checkpoints as models, and
delete at the provider — against the spec-checked OpenAI, Together and Fireworks fakes (real
fine-tuning jobs launched and run to completion on them)."""

from __future__ import annotations

import json

import pytest
from finetune_helpers import TEST_KEY, add_credential, make_dataset, sync_until_terminal

from fakes.fixtures import fireworks_fake, openai_ft_fake, together_fake  # noqa: F401
from fineflow_desktop import cli
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.providers.usage import record_call, set_price
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services import models
from fineflow_desktop.services.finetune.local_runs import register_local_run
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.store.workspace import Workspace


def completed_job(ws, fake, credential: str, provider: str, model: str, **cred_kw):
    make_dataset(ws, n=30)
    add_credential(ws, fake, name=credential, provider=provider, **cred_kw)
    job = ft.create_job(ws, ft.JobSpec(dataset="support", credential=credential, model=model, validation_split=0.2))
    done = sync_until_terminal(ws, job.id)
    assert done.status == "completed", done
    return done


def test_openai_model_usage_checkpoints_and_delete_at_the_provider(workspace, openai_ft_fake):
    fake = openai_ft_fake
    job = completed_job(workspace, fake, "oa", "openai", "gpt-4o-mini")
    [m] = models.list_models(workspace)
    assert (m.model_id, m.job_id, m.dataset_name, m.source) == (job.fine_tuned_model, job.id, "support", "job")
    assert m.created_at == job.finished_at and m.usage["calls"] == 0
    # usage: the usage log's calls of this model id (any credential), tokens and cost
    cid = creds.get_credential(workspace, "oa").id
    set_price(workspace, "openai", m.model_id, 0.30, 1.20)
    for _ in range(3):
        record_call(workspace, provider="openai", model=m.model_id, credential_id=cid, input_tokens=1000, output_tokens=500)
    record_call(workspace, provider="openai", model=m.model_id, credential_id=cid, ok=False, error_kind="rate_limit")
    record_call(workspace, provider="openai", model="gpt-4o-mini", credential_id=cid, input_tokens=99, output_tokens=9)
    u = models.get_model(workspace, m.id).usage
    assert (u["calls"], u["errors"], u["input_tokens"], u["output_tokens"]) == (4, 1, 3000, 1500)
    assert u["cost_usd"] == pytest.approx(3 * (1000 * 0.30 + 500 * 1.20) / 1e6)
    # checkpoints: each a catalog model of its own (usable for compare and deploy)
    added = models.add_checkpoints(workspace, m.id)
    assert added and all(c.source == "checkpoint" and c.job_id == job.id and ":ckpt-step-" in c.model_id for c in added)
    assert sorted(c.checkpoint_step for c in added) == sorted(int(c.model_id.rsplit("-", 1)[1]) for c in added)
    assert models.add_checkpoints(workspace, m.id) == []  # known checkpoints are not added twice
    ckpt = added[0]
    assert models.deploy_model(workspace, ckpt.model_id)["model_id"] == ckpt.model_id
    assert ckpt.model_id in fake.models  # the fake serves a finished job's model and checkpoints
    # delete: OpenAI's DELETE /models/{model}; the deployed checkpoint is only removed from the catalog
    asks, what = models.delete_support(models.get_model(workspace, ckpt.id))
    assert not asks and "catalog only" in what
    res = models.delete_model(workspace, ckpt.id)
    assert not res.deleted_at_provider and res.chat_model == "gpt-4o-mini"  # the previous default is back
    assert get_ai_config(workspace)["chat_model"] == "gpt-4o-mini" and ckpt.model_id in fake.models
    res = models.delete_model(workspace, m.id)
    assert res.deleted_at_provider and res.provider_message == f"OpenAI deleted model {m.model_id}"
    assert [e.method for e in fake.log if e.path.endswith("/models/" + m.model_id)] == ["DELETE"]
    assert m.model_id not in fake.models
    assert m.model_id not in {r.model_id for r in models.list_models(workspace)}  # not re-added from the job


def test_openai_refusal_keeps_the_catalog_row(workspace, openai_ft_fake):
    fake = openai_ft_fake
    add_credential(workspace, fake, name="oa", provider="openai")
    rec = models.add_model(workspace, "gpt-4o-mini", "oa")  # a base model: OpenAI refuses to delete it
    with pytest.raises(ProviderError, match="permission"):
        models.delete_model(workspace, rec.id)
    assert models.get_model(workspace, rec.id).model_id == "gpt-4o-mini"
    gone = models.add_model(workspace, "ft:gpt-4o-mini:org-fake::gone1234", "oa")  # 404: already deleted
    res = models.delete_model(workspace, gone.id)
    assert res.deleted_at_provider and "no longer has it" in res.provider_message


def test_together_deletes_the_job_that_made_the_model(workspace, together_fake):
    fake = together_fake
    job = completed_job(workspace, fake, "tg", "together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference")
    rec = models.get_model(workspace, job.fine_tuned_model)
    asks, what = models.delete_support(rec)
    assert asks and "no call to delete a model" in what and f"job #{job.id}" in what
    res = models.delete_model(workspace, rec.id)
    assert res.deleted_at_provider and job.provider_job_id in res.provider_message
    assert res.provider_message.startswith("Together has no model-delete endpoint")
    assert [e.method for e in fake.log if e.path == f"/v1/fine-tunes/{job.provider_job_id}"][-1] == "DELETE"
    assert job.provider_job_id not in fake.jobs


def test_fireworks_deletes_the_output_model(workspace, fireworks_fake):
    fake = fireworks_fake
    job = completed_job(workspace, fake, "fw", "fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct",
                        settings={"account_id": "fake-acct"})
    short = job.fine_tuned_model.rsplit("/", 1)[-1]
    assert short in fake.model_ids()
    res = models.delete_model(workspace, job.fine_tuned_model)
    assert res.deleted_at_provider and res.provider_message == f"Fireworks deleted model {job.fine_tuned_model}"
    assert short in fake.deleted_models and short not in fake.model_ids()


def test_local_adapter_folder_is_never_deleted(workspace, tmp_path):
    run = tmp_path / "run"
    (run / "checkpoint-10").mkdir(parents=True)
    (run / "trainer_state.json").write_text(json.dumps({"global_step": 10, "max_steps": 10, "log_history": [
        {"loss": 1.0, "learning_rate": 1e-4, "epoch": 1.0, "step": 10}]}))
    job = register_local_run(workspace, run, "lora")
    ft.sync_jobs(workspace)
    rec = models.get_model(workspace, str(run.resolve()))
    assert rec.provider == "local" and rec.job_id == job.id
    [ck] = models.add_checkpoints(workspace, rec.id)
    assert ck.checkpoint_step == 10 and ck.model_id == str(run / "checkpoint-10")
    res = models.delete_model(workspace, rec.id)
    assert not res.deleted_at_provider and "stays on disk" in res.provider_message
    assert run.is_dir() and (run / "checkpoint-10").is_dir()


def test_models_delete_and_checkpoints_cli(tmp_path, openai_ft_fake, capsys, monkeypatch):
    fake = openai_ft_fake
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    try:
        job = completed_job(ws, fake, "oa", "openai", "gpt-4o-mini")
    finally:
        ws.close()

    def run(*argv) -> tuple[int, str]:
        capsys.readouterr()
        code = cli.main([*argv, "--workspace", str(path), "--json"])
        return code, capsys.readouterr().out

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, out = run("models", "list")
    [m] = json.loads(out)["models"]
    assert code == 0 and m["model_id"] == job.fine_tuned_model and m["usage"]["calls"] == 0 and m["created_at"]
    code, out = run("models", "checkpoints", job.fine_tuned_model)
    added = json.loads(out)["added"]
    assert code == 0 and added and all(a["source"] == "checkpoint" for a in added)
    # a non-interactive delete that would ask the provider needs --yes
    code, _out = run("models", "delete", job.fine_tuned_model)
    assert code == 2 and job.fine_tuned_model in fake.models
    code, out = run("models", "delete", job.fine_tuned_model, "--yes")
    d = json.loads(out)
    assert code == 0 and set(d) == {"model_id", "catalog_id", "deleted_at_provider", "provider_message",
                                    "removed_from_catalog", "chat_model"}
    assert d["deleted_at_provider"] and d["removed_from_catalog"] and job.fine_tuned_model not in fake.models
    code, out = run("models", "delete", added[0]["model_id"], "--keep-at-provider")
    assert code == 0 and json.loads(out)["deleted_at_provider"] is False
    code, _out = run("models", "delete", "nope")
    assert code == 2


def test_chat_calls_default_to_the_workspace_ai_settings(workspace, openai_ft_fake):
    """A call that gives no model / temperature / max tokens takes AI Settings' values (the one
    place), not the credential's old sampling columns; the chat model when the credential has no
    test model."""
    from fineflow_desktop.providers.registry import provider_for_credential
    from fineflow_desktop.services.retrieval import set_ai_config

    fake = openai_ft_fake
    info = add_credential(workspace, fake, name="oa", provider="openai")
    set_ai_config(workspace, chat_model="gpt-4o-mini", temperature=0.2, max_tokens=77)
    p = provider_for_credential(workspace, info.id)
    try:
        p.chat([{"role": "user", "content": "hi"}])
    finally:
        p.close()
    body = fake.chat_bodies()[-1]
    assert (body["model"], body["temperature"], body["max_completion_tokens"]) == ("gpt-4o-mini", 0.2, 77)
    d = models.chat_defaults(workspace)
    assert (d.model, d.temperature, d.max_tokens, d.credential) == ("gpt-4o-mini", 0.2, 77, None)
