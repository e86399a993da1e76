"""Launching local training (issue 12): ``llamafactory-cli train CONFIG`` as a subprocess, its
output to the run's log, the run followed like any local run, Cancel terminating it.

``llamafactory-cli`` is a local program, not a remote service: the tests put a stand-in script
(``tests/fixtures/local_trainer/fake_llamafactory_cli.py``) on PATH under that name. It reads
the exported YAML like LLaMA-Factory and writes ``trainer_log.jsonl`` (some lines in two halves),
checkpoints and the final ``trainer_state.json`` at a realistic pace. Everything FineFlow does —
the export, the subprocess, the log reading, the store, cancel by process group — is real.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psutil
import pytest
import yaml

from fineflow_desktop import cli
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.providers.finetuning import local_process as lp
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services import models
from fineflow_desktop.services.finetune.local_export import export_llamafactory
from fineflow_desktop.store.workspace import Workspace
from local_trainer_helpers import install_fake_trainer, project, wait_for

def test_launch_runs_the_trainer_and_follows_it_to_the_end(workspace, tmp_path, monkeypatch):
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.03, FAKE_LF_TOTAL=60)
    config = project(workspace, tmp_path)
    assert ft.find_trainer() is not None
    seen = []
    final = ft.run_local_training(workspace, config, name="lora-a", interval_s=0.05, idle_timeout_s=30,
                                  on_change=lambda j: seen.append((j.progress or {}).get("step")))
    assert final.status == "completed" and final.provider == "local" and final.suffix == "lora-a"
    run = Path(final.provider_job_id)
    assert run == (config.parent / "output").resolve()
    points = ft.job_metrics(workspace, final.id)
    assert [p.step for p in points] == list(range(5, 61, 5))  # every step once, half-written lines included
    assert [p.step for p in points if p.valid_loss is not None] == [20, 40, 60]
    assert all(p.learning_rate is not None for p in points) and points[0].learning_rate < points[1].learning_rate
    # the YAML's arguments are the job's hyperparameters; the trainer's output went to the run's log
    assert final.hyperparameters["learning_rate"] == 1e-4 and final.hyperparameters["lora_rank"] == 8
    assert final.model == "/models/fake-base"
    log = (run / lp.TRAIN_LOG).read_text()
    assert "60/60 loss=" in log and "[WARNING] this is a stand-in trainer" in log
    info = lp.read_launch(run)
    assert info["exit_code"] == 0 and info["command"][1:] == ["train", str(config)]
    assert len([s for s in seen if s]) >= 3  # the curve grew over several polls
    # the finished adapter folder is a catalog model, its checkpoint folders too
    rec = models.get_model(workspace, str(run))
    assert rec.provider == "local" and rec.job_id == final.id
    assert {c.checkpoint_step for c in models.add_checkpoints(workspace, rec.id)} == {30, 60}


def test_a_second_run_into_the_same_folder_is_a_new_job(workspace, tmp_path, monkeypatch):
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.01, FAKE_LF_TOTAL=20)
    config = project(workspace, tmp_path)
    first = ft.run_local_training(workspace, config, name="r1", interval_s=0.05, idle_timeout_s=30)
    monkeypatch.setenv("FAKE_LF_TOTAL", "30")
    second = ft.run_local_training(workspace, config, name="r2", interval_s=0.05, idle_timeout_s=30)
    assert second.id != first.id and second.status == "completed"
    assert [p.step for p in ft.job_metrics(workspace, second.id)] == [5, 10, 15, 20, 25, 30]
    assert [p.step for p in ft.job_metrics(workspace, first.id)] == [5, 10, 15, 20]  # the first keeps its curve
    old = ft.get_job(workspace, first.id)
    assert old.status == "completed" and old.provider_job_id.endswith(f"[run #{first.id}]")
    run = Path(second.provider_job_id)
    assert (run / "trainer_log.previous.jsonl").is_file()  # overwrite_output_dir: the old log kept aside


def test_cancel_terminates_the_trainer_and_its_process_group(workspace, tmp_path, monkeypatch):
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.4, FAKE_LF_TOTAL=400)
    config = project(workspace, tmp_path)
    job = ft.launch_local_training(workspace, config)
    run = Path(job.provider_job_id)
    pid = lp.read_launch(run)["pid"]
    wait_for(lambda: (run / "trainer_log.jsonl").is_file() and (run / "trainer_log.jsonl").stat().st_size > 0)
    ft.sync_jobs(workspace)
    assert ft.get_job(workspace, job.id).status == "training"
    with pytest.raises(ft.FineTuneError, match="already trains into this folder"):
        ft.launch_local_training(workspace, config)
    done = ft.cancel_job(workspace, job.id)  # the monitor's "Cancel job…" path
    assert done.status == "cancelled"
    wait_for(lambda: not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    ft.sync_jobs(workspace)
    assert ft.get_job(workspace, job.id).status == "cancelled"


def test_cancelling_the_task_stops_training(workspace, tmp_path, monkeypatch):
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.4, FAKE_LF_TOTAL=400)
    config = project(workspace, tmp_path)
    state = TaskState()
    out = {}

    def work():
        try:
            ft.run_local_training(workspace, config, state=state, interval_s=0.05,
                                  on_change=lambda j: (j.progress or {}).get("step") and state.cancel())
        except Cancelled:
            out["cancelled"] = True

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert out == {"cancelled": True}
    [job] = ft.list_jobs(workspace)
    assert job.status == "cancelled" and lp.process_of(lp.read_launch(Path(job.provider_job_id))) is None


def test_a_trainer_that_dies_fails_the_job_with_its_output(workspace, tmp_path, monkeypatch):
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.02, FAKE_LF_TOTAL=60, FAKE_LF_FAIL_AT=25)
    config = project(workspace, tmp_path)
    final = ft.run_local_training(workspace, config, interval_s=0.05, idle_timeout_s=30)
    assert final.status == "failed" and final.error.code == "exit_1"
    assert "exited with status 1" in final.error.message and "CUDA out of memory" in final.error.message
    assert [p.step for p in ft.job_metrics(workspace, final.id)] == [5, 10, 15, 20]  # what was logged is kept


def test_the_run_completes_when_the_trainer_exits_not_at_its_final_state_file(workspace, tmp_path, monkeypatch):
    # LLaMA-Factory writes trainer_state.json, then still saves the model, plots and evaluates:
    # the job is running until the process is gone, and a failure in that last part fails it.
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.01, FAKE_LF_TOTAL=20, FAKE_LF_AFTER_S=1.5)
    config = project(workspace, tmp_path)
    job = ft.launch_local_training(workspace, config)
    run = Path(job.provider_job_id)
    wait_for(lambda: (run / "trainer_state.json").is_file())
    ft.sync_jobs(workspace)
    assert ft.get_job(workspace, job.id).status == "training" and lp.process_of(lp.read_launch(run)) is not None
    final = ft.watch_local_run(workspace, str(run), interval_s=0.05, idle_timeout_s=30)
    assert final.status == "completed" and lp.read_launch(run)["exit_code"] == 0

    # quiet for longer than the idle timeout while the launched trainer is alive: busy, not stalled
    monkeypatch.setenv("FAKE_LF_AFTER_S", "1.5")
    busy = ft.run_local_training(workspace, config, interval_s=0.05, idle_timeout_s=0.5)
    assert busy.status == "completed", busy.error

    monkeypatch.setenv("FAKE_LF_AFTER_S", "0.2")
    monkeypatch.setenv("FAKE_LF_AFTER_EXIT", "1")
    failed = ft.run_local_training(workspace, config, interval_s=0.05, idle_timeout_s=30)
    assert failed.status == "failed" and failed.error.code == "exit_1"
    assert "after the run finished" in failed.error.message and "No space left" in failed.error.message


def test_missing_trainer_and_bad_configs_say_what_to_do(workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    config = project(workspace, tmp_path)
    with pytest.raises(ft.LocalTrainerMissing, match="pip install llamafactory"):
        ft.launch_local_training(workspace, config)
    install_fake_trainer(tmp_path, monkeypatch)
    cfg = yaml.safe_load(config.read_text())
    del cfg["output_dir"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(cfg))
    with pytest.raises(ValueError, match=r"bad\.yaml: field 'output_dir' is missing"):
        ft.launch_local_training(workspace, bad)
    bad.write_text("model_name_or_path: x\noutput_dir: [unclosed\n")
    with pytest.raises(ValueError, match=r"bad\.yaml line \d+: not valid YAML"):
        ft.launch_local_training(workspace, bad)
    placeholder = export_llamafactory(workspace, "support", tmp_path / "lf2").config
    with pytest.raises(ValueError, match="placeholder"):
        ft.launch_local_training(workspace, placeholder)
    assert ft.list_jobs(workspace) == []  # nothing registered for a refused launch


def test_train_local_and_compare_cli(tmp_path, monkeypatch, capsys):
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.02, FAKE_LF_TOTAL=40)
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    try:
        config = project(ws, tmp_path)
    finally:
        ws.close()
    code = cli.main(["jobs", "train-local", str(config), "--name", "a", "--interval", "0.05", "--workspace", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and "completed" in out
    cfg = yaml.safe_load(config.read_text())
    cfg.update(output_dir="output-b", learning_rate=5e-5)
    other = config.with_name("train_b.yaml")
    other.write_text(yaml.safe_dump(cfg))
    assert cli.main(["jobs", "train-local", str(other), "--name", "b", "--interval", "0.05", "--workspace", str(path),
                     "--json"]) == 0
    capsys.readouterr()
    assert cli.main(["jobs", "compare", "1", "2", "--workspace", str(path), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["jobs"] == [1, 2] and "hp.learning_rate" in d["differing"] and "base_model" not in d["differing"]
    lr = next(r for r in d["rows"] if r["key"] == "hp.learning_rate")
    assert lr["values"] == ["0.0001", "5e-05"]
    assert [p["step"] for p in d["metrics"]["1"]] == list(range(5, 41, 5))
    assert all(p["learning_rate"] is not None for p in d["metrics"]["2"])
    assert cli.main(["jobs", "compare", "1", "--workspace", str(path)]) == 2  # one run is not a comparison
