"""Train locally (issue 12): LLaMA-Factory project export and following a local run's logs.

The writers below produce ``trainer_log.jsonl`` / ``trainer_state.json`` the way LLaMA-Factory's
``LogCallback`` and HF ``TrainerState.save_to_json`` do (``shared/specs/FINE-TUNING-APIS.md``
§3–4), at a realistic pace, including a half-written last line and a state file caught mid-write.
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from finetune_helpers import make_dataset

from fineflow_desktop import cli
from fineflow_desktop.core.finetune import trainer_logs as tl
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services.finetune.local_export import export_llamafactory
from fineflow_desktop.services.finetune.local_runs import register_local_run, watch_local_run
from fineflow_desktop.store.workspace import Workspace

TOTAL = 120
LOG_EVERY, EVAL_EVERY = 5, 30


def lf_lines(total: int = TOTAL) -> list[dict]:
    """LLaMA-Factory log objects: a training line every LOG_EVERY steps, an eval line (same step,
    only ``eval_loss``) every EVAL_EVERY steps — as ``LogCallback.on_log`` writes them."""
    lines = []
    for step in range(LOG_EVERY, total + 1, LOG_EVERY):
        common = {"current_steps": step, "total_steps": total, "epoch": round(step / 40, 2),
                  "percentage": round(step / total * 100, 2), "elapsed_time": str(timedelta(seconds=step)),
                  "remaining_time": str(timedelta(seconds=total - step))}
        lines.append({**common, "loss": round(2.0 - step / total, 4), "lr": 1e-4 * (1 - step / total)})
        if step % EVAL_EVERY == 0:
            lines.append({**common, "eval_loss": round(2.1 - step / total, 4)})
    return lines


def write_lf_log(path: Path, lines: list[dict], pause: float = 0.004, split_every: int = 7) -> None:
    """Append *lines* like the trainer; every *split_every*-th line is written in two halves with a
    pause between them (a reader sees a line without its newline)."""
    with path.open("a", encoding="utf-8") as fh:
        for i, obj in enumerate(lines):
            text = json.dumps(obj) + "\n"
            if i % split_every == 3:
                fh.write(text[: len(text) // 2])
                fh.flush()
                time.sleep(pause * 5)
                fh.write(text[len(text) // 2:])
            else:
                fh.write(text)
            fh.flush()
            time.sleep(pause)


def state_doc(upto: int, total: int = TOTAL) -> dict:
    history = []
    for step in range(LOG_EVERY, upto + 1, LOG_EVERY):
        history.append({"loss": round(2.0 - step / total, 4), "grad_norm": 1.5, "learning_rate": 1e-4,
                        "epoch": step / 40, "step": step})
        if step % EVAL_EVERY == 0:
            history.append({"eval_loss": round(2.1 - step / total, 4), "eval_runtime": 1.2, "epoch": step / 40,
                            "step": step})
    if upto == total:
        history.append({"train_runtime": 99.0, "train_loss": 1.4, "total_flos": 1.0, "epoch": 3.0, "step": total})
    return {"global_step": upto, "max_steps": total, "log_history": history, "epoch": upto / 40}


def write_state(path: Path, doc: dict, pause: float = 0.01) -> None:
    """Rewrite *path* in place in two halves (not atomically: a reader can catch it half-written)."""
    text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(text[: len(text) // 2])
        fh.flush()
        time.sleep(pause)
        fh.write(text[len(text) // 2:])


def expected_points(lines: list[dict]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for obj in lines:
        p = out.setdefault(obj["current_steps"], {"train_loss": None, "valid_loss": None, "learning_rate": None})
        if "loss" in obj:
            p["train_loss"] = obj["loss"]
            p["learning_rate"] = obj.get("lr")
        if "eval_loss" in obj:
            p["valid_loss"] = obj["eval_loss"]
    return out


# -- core -------------------------------------------------------------------------------------
def test_read_trainer_log_leaves_a_half_written_line_for_later(tmp_path):
    log = tmp_path / "trainer_log.jsonl"
    first, second = json.dumps({"current_steps": 5, "loss": 1.0}), json.dumps({"current_steps": 10, "loss": 0.9})
    log.write_text(first + "\n" + second[:12], encoding="utf-8")
    read = tl.read_trainer_log(log)
    assert [r for _, r in read.records] == [{"current_steps": 5, "loss": 1.0}]
    assert read.offset == len(first) + 1
    with log.open("a", encoding="utf-8") as fh:
        fh.write(second[12:] + "\n" + "not json\n")
    again = tl.read_trainer_log(log, read.offset)
    assert [r["current_steps"] for _, r in again.records] == [10]
    assert again.bad_lines == 1 and again.offset == log.stat().st_size


def test_log_line_points_progress_and_durations():
    line = {"current_steps": 30, "total_steps": 120, "loss": 1.5, "lr": 2e-5, "epoch": 0.75, "percentage": 25.0,
            "elapsed_time": "0:00:30", "remaining_time": "1 day, 0:01:30"}
    assert tl.point_from_log_line(line) == {"step": 30, "train_loss": 1.5, "valid_loss": None, "epoch": 0.75,
                                            "learning_rate": 2e-5}
    assert tl.progress_from_log_line(line) == {"step": 30, "total_steps": 120, "percent": 25.0,
                                               "remaining_s": 86490.0, "elapsed_s": 30.0}
    assert tl.point_from_log_line({"current_steps": 5, "total_steps": 9, "percentage": 55.6}) is None
    assert not tl.log_line_finished(line) and tl.log_line_finished({"current_steps": 120, "total_steps": 120})


def test_points_from_state_merge_train_and_eval_and_skip_the_summary():
    pts = tl.points_from_state(state_doc(TOTAL))
    assert [p["step"] for p in pts] == list(range(LOG_EVERY, TOTAL + 1, LOG_EVERY))
    at60 = next(p for p in pts if p["step"] == 60)
    assert at60["train_loss"] == 1.5 and at60["valid_loss"] == 1.6 and at60["learning_rate"] == 1e-4


# -- following a run -----------------------------------------------------------------------------
def test_watch_follows_a_trainer_log_written_line_by_line(workspace, tmp_path):
    run = tmp_path / "out"
    run.mkdir()
    lines = lf_lines()
    writer = threading.Thread(target=write_lf_log, args=(run / "trainer_log.jsonl", lines))
    seen: list[int] = []
    writer.start()
    try:
        final = watch_local_run(workspace, run, name="lora-1", idle_timeout_s=20, interval_s=0.02,
                                on_change=lambda j: seen.append((j.progress or {}).get("step") or 0))
    finally:
        writer.join()
    assert final.status == "completed" and final.provider == "local"
    assert final.fine_tuned_model == str(run.resolve())
    points = ft.job_metrics(workspace, final.id)
    want = expected_points(lines)
    assert [p.step for p in points] == sorted(want)  # every step once
    for p in points:
        assert (p.train_loss, p.valid_loss) == (want[p.step]["train_loss"], want[p.step]["valid_loss"])
        assert p.learning_rate == pytest.approx(want[p.step]["learning_rate"])  # ``lr`` stored (migration 0013)
    assert len(ft.job_events(workspace, final.id)) == len(lines)  # every line once
    assert len(seen) >= 3 and seen == sorted(seen)  # the curve grew over several polls
    assert [t.to_status for t in ft.job_transitions(workspace, final.id)][-2:] == ["training", "completed"]


def test_watch_follows_trainer_state_json_caught_mid_write(workspace, tmp_path):
    run = tmp_path / "hf"

    def trainer():
        for upto in range(30, TOTAL, 30):
            write_state(run / f"checkpoint-{upto}" / "trainer_state.json", state_doc(upto))
            time.sleep(0.05)
        write_state(run / "trainer_state.json", state_doc(TOTAL))

    t = threading.Thread(target=trainer)
    t.start()
    try:
        final = watch_local_run(workspace, run, idle_timeout_s=20, interval_s=0.01)
    finally:
        t.join()
    assert final.status == "completed"
    points = ft.job_metrics(workspace, final.id)
    assert [p.step for p in points] == list(range(LOG_EVERY, TOTAL + 1, LOG_EVERY))
    assert [p.step for p in points if p.valid_loss is not None] == list(range(EVAL_EVERY, TOTAL + 1, EVAL_EVERY))
    assert {p.learning_rate for p in points} == {1e-4}  # HF ``learning_rate`` stored
    assert {c.step for c in ft.job_checkpoints(workspace, final.id)} >= {30, 60, 90}


def test_sync_polls_local_runs_with_the_cloud_jobs(workspace, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    job = register_local_run(workspace, run, "nightly")
    assert register_local_run(workspace, run).id == job.id  # same folder, same job
    lines = lf_lines(60)
    write_lf_log(run / "trainer_log.jsonl", lines[:5], pause=0)
    ft.sync_jobs(workspace)
    assert ft.get_job(workspace, job.id).status == "training"
    write_lf_log(run / "trainer_log.jsonl", lines[5:], pause=0)
    ft.sync_jobs(workspace)
    assert ft.get_job(workspace, job.id).status == "training"  # last step just logged: its eval line may follow
    old = time.time() - 60
    os.utime(run / "trainer_log.jsonl", (old, old))  # the log has been quiet for a minute
    ft.sync_jobs(workspace)
    rec = ft.get_job(workspace, job.id)
    assert rec.status == "completed" and rec.progress["step"] == 60 and rec.progress["total_steps"] == 60
    assert [p.step for p in ft.job_metrics(workspace, job.id)] == sorted(expected_points(lines))
    with pytest.raises(ft.FineTuneError, match="belongs to the process running the training"):
        ft.cancel_job(workspace, register_local_run(workspace, tmp_path / "other").id)


def test_credential_names_in_parentheses_are_reserved(workspace):
    with pytest.raises(creds.CredentialError, match="reserved"):
        creds.create_credential(workspace, "(local run)", "openai", api_key="sk-x", session_only=True)


# -- CLI ------------------------------------------------------------------------------------------
@pytest.fixture
def ws_path(tmp_path):
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    make_dataset(ws, n=30)
    ws.close()
    return str(path)


def fineflow(capsys, ws_path, *argv):
    code = cli.main([*argv, "--workspace", ws_path])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_watch_waits_for_the_run_folder_to_appear(workspace, tmp_path):
    """The trainer makes its output folder when it starts; a watch begun before that waits for it
    instead of failing the job as "folder not found" (seen once under load in the full suite)."""
    run = tmp_path / "later"
    started = threading.Event()

    def trainer():
        started.wait(5)
        time.sleep(0.3)  # the watcher polls a folder that is not there yet
        write_state(run / "trainer_state.json", state_doc(TOTAL))

    t = threading.Thread(target=trainer)
    t.start()
    try:
        final = watch_local_run(workspace, run, idle_timeout_s=20, interval_s=0.01,
                                clock=lambda: (started.set(), time.monotonic())[1])
    finally:
        t.join()
    assert final.status == "completed"


def test_watch_local_cli_completed_run_then_show_and_list(capsys, ws_path, tmp_path):
    run = tmp_path / "done"
    run.mkdir()
    write_lf_log(run / "trainer_log.jsonl", lf_lines(), pause=0)
    code, out, err = fineflow(capsys, ws_path, "jobs", "watch-local", str(run), "--name", "qwen-lora", "--interval", "0.05")
    assert code == 0, err
    assert "completed" in out
    code, out, _ = fineflow(capsys, ws_path, "--json", "jobs", "show", str(run.resolve()))
    shown = json.loads(out)
    assert shown["provider"] == "local" and shown["status"] == "completed"
    assert set(shown["metrics"][0]) >= {"step", "train_loss", "valid_loss", "train_mean_token_accuracy",
                                        "valid_mean_token_accuracy", "full_valid_loss"}
    assert [m["step"] for m in shown["metrics"]] == sorted(expected_points(lf_lines()))
    code, out, _ = fineflow(capsys, ws_path, "jobs", "list", "--json")
    assert [j["provider"] for j in json.loads(out)["jobs"]] == ["local"]


def test_watch_local_cli_names_the_files_looked_for(capsys, ws_path, tmp_path):
    empty = tmp_path / "empty-run"
    empty.mkdir()
    code, out, _ = fineflow(capsys, ws_path, "jobs", "watch-local", str(empty), "--idle-timeout", "0.3",
                            "--interval", "0.05")
    assert code == 1
    assert "trainer_log.jsonl" in out and "trainer_state.json" in out and str(empty) in out
    code, out, _ = fineflow(capsys, ws_path, "--json", "jobs", "show", str(empty.resolve()))
    assert json.loads(out)["status"] == "failed"


def test_export_local_llamafactory_project_loads_with_hf_datasets(capsys, ws_path, tmp_path):
    datasets = pytest.importorskip("datasets")
    out_dir = tmp_path / "lf"
    code, out, err = fineflow(capsys, ws_path, "--json", "jobs", "export-local", "--dataset", "support",
                              "--trainer", "llamafactory", "--out", str(out_dir), "--validation-split", "0.2",
                              "--base-model", "/models/qwen2.5-0.5b-instruct", "--template", "qwen")
    assert code == 0, err
    res = json.loads(out)
    assert res["formatting"] == "alpaca"  # single-turn pairs are instruction data
    assert res["counts"]["train"] + res["counts"]["validation"] == 30 and res["counts"]["validation"] >= 1
    info = json.loads((out_dir / "data" / "dataset_info.json").read_text())
    assert info["fineflow_train"] == {"file_name": "train.jsonl", "formatting": "alpaca",
                                      "columns": {"prompt": "instruction", "query": "input", "response": "output",
                                                  "system": "system"}}
    assert info["fineflow_validation"]["file_name"] == "validation.jsonl"
    cfg = yaml.safe_load((out_dir / "train_lora_sft.yaml").read_text())
    assert cfg["model_name_or_path"] == "/models/qwen2.5-0.5b-instruct" and cfg["template"] == "qwen"
    assert (cfg["stage"], cfg["finetuning_type"], cfg["dataset"], cfg["eval_dataset"], cfg["dataset_dir"]) == \
        ("sft", "lora", "fineflow_train", "fineflow_validation", "data")
    assert res["counts"]["train"] == 24
    assert cfg["num_train_epochs"] == 4.0  # cookbook auto rule: 24 × 3 < 100 → min(25, 100 // 24) = 4
    train = datasets.load_dataset("json", data_files=str(out_dir / "data" / "train.jsonl"), split="train")
    assert set(train.column_names) == {"instruction", "input", "output", "system"}
    assert train[0]["system"] == "You help." and train[0]["instruction"].startswith("How do I reset device")
    assert "llamafactory-cli train train_lora_sft.yaml" in res["command"]
    assert "llamafactory-cli train train_lora_sft.yaml" in (out_dir / "README.txt").read_text()


def test_export_local_sharegpt_with_openai_tags(capsys, ws_path, tmp_path):
    datasets = pytest.importorskip("datasets")
    out_dir = tmp_path / "lf-chat"
    code, out, err = fineflow(capsys, ws_path, "jobs", "export-local", "--dataset", "support", "--trainer",
                              "llamafactory", "--out", str(out_dir), "--format", "sharegpt", "--epochs", "2")
    assert code == 0, err
    assert "PATH/TO/BASE-MODEL" in (out_dir / "train_lora_sft.yaml").read_text()  # placeholder, said in the file
    info = json.loads((out_dir / "data" / "dataset_info.json").read_text())
    assert set(info) == {"fineflow_train"}
    assert info["fineflow_train"] == {
        "file_name": "train.jsonl", "formatting": "sharegpt", "columns": {"messages": "messages"},
        "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant",
                 "system_tag": "system"}}
    rows = datasets.load_dataset("json", data_files=str(out_dir / "data" / "train.jsonl"), split="train")
    assert len(rows) == 30
    assert [m["role"] for m in rows[0]["messages"]] == ["system", "user", "assistant"]
    assert yaml.safe_load((out_dir / "train_lora_sft.yaml").read_text())["num_train_epochs"] == 2.0


def test_export_local_refuses_bad_input(capsys, ws_path, tmp_path):
    code, _out, err = fineflow(capsys, ws_path, "jobs", "export-local", "--dataset", "nope", "--trainer", "llamafactory",
                               "--out", str(tmp_path / "x"))
    assert code == 2 and "nope" in err
    code, _out, err = fineflow(capsys, ws_path, "jobs", "export-local", "--dataset", "support", "--trainer",
                               "llamafactory", "--out", str(tmp_path / "y"), "--validation-split", "1.5")
    assert code == 2 and "validation_split" in err


def test_ranking_record_for_preference_examples():
    from fineflow_desktop.core.finetune import llamafactory as lf

    ex = {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}],
          "preferred": [{"role": "assistant", "content": "4"}],
          "non_preferred": [{"role": "assistant", "content": "Five."}]}
    rec = lf.ranking_record(ex)
    assert rec == {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}],
                   "chosen": {"role": "assistant", "content": "4"}, "rejected": {"role": "assistant", "content": "Five."}}
    assert lf.dataset_entry("train.jsonl", lf.CHAT, ranking=True)["columns"] == {
        "messages": "messages", "chosen": "chosen", "rejected": "rejected"}
    with pytest.raises(lf.NotExportable):
        lf.ranking_record({"messages": [{"role": "user", "content": "hi"}]})
