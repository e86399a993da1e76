"""The monitor's local-run and compare-runs views (issue 12), driving the real widgets: "Watch
local run…" follows a trainer_log.jsonl written at a realistic pace (learning-rate curve on the
right axis), "Start training" runs the stand-in ``llamafactory-cli`` (a local program, see
``local_trainer_helpers``), and "Compare runs…" overlays three jobs — two local runs and one
OpenAI job run on the spec-checked fine-tuning fake — with their differing settings highlighted."""

from __future__ import annotations

import os
import threading
import time

import pytest
from gui_helpers import shot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.jobs import JobsPane
from fineflow_desktop.ui.jobs.local_run import LocalRunDialog
from fineflow_desktop.ui.style import apply_app_style, dark_palette
from jobs_gui_helpers import add_credential, ft_fake, make_dataset  # noqa: F401 - fixture
from local_trainer_helpers import install_fake_trainer, lf_log_lines, project, write_log


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def palette(request):
    app = QApplication.instance()
    saved_palette, saved_sheet = app.palette(), app.styleSheet()
    if request.param:
        app.setPalette(dark_palette())
    apply_app_style(app)
    yield "dark" if request.param else "light"
    app.setPalette(saved_palette)
    app.setStyleSheet(saved_sheet)


def make_pane(ctx, qtbot) -> JobsPane:
    pane = JobsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1280, 800)
    pane.local_interval_s = 0.05
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_watch_local_run_shows_loss_and_learning_rate_curves(ctx, qtbot, tmp_path, palette):
    run = tmp_path / "lf" / "output"
    lines = lf_log_lines(200)
    pane = make_pane(ctx, qtbot)
    # the dialog: "Watch" needs a folder; the training tab says how to install the trainer when missing
    dlg = LocalRunDialog(pane, trainer=None)
    qtbot.addWidget(dlg)
    assert not dlg.ok_btn.isEnabled()
    dlg.folder_edit.setText(str(run))
    dlg.name_edit.setText("lora-r8")
    assert dlg.ok_btn.isEnabled() and dlg.ok_btn.text() == "Watch"
    dlg.tabs.setCurrentIndex(1)
    assert dlg.ok_btn.text() == "Start training" and not dlg.ok_btn.isEnabled()
    assert "pip install llamafactory" in dlg.trainer_label.text()
    dlg.tabs.setCurrentIndex(0)
    values = dlg.values()
    assert values[:3] == ("watch", str(run), "lora-r8")
    writer = threading.Thread(target=write_log, args=(run / "trainer_log.jsonl", lines, 0.01))
    writer.start()
    try:
        launcher = pane.open_local_run_dialog(values)  # the synchronous task follows the run to its end
    finally:
        writer.join()
    assert launcher.errors == []
    job = pane.detail.job
    assert job is not None and job.provider == "local" and job.status == "completed" and job.suffix == "lora-r8"
    curves = pane.detail.curves
    curves.flush()
    steps = sorted({o["current_steps"] for o in lines})
    assert curves.point_count(job.id) == len(steps)  # every step once
    assert curves.point_count(job.id, "learning_rate") == len(steps)
    assert curves.point_count(job.id, "valid_loss") == len([o for o in lines if "eval_loss" in o])
    assert curves.right_axis() == "lr" and curves._runs[job.id].items["learning_rate"].isVisible()
    assert [p.learning_rate for p in ft.job_metrics(ctx.workspace, job.id)] == [o["lr"] for o in lines if "lr" in o]
    pane.detail.tabs.setCurrentIndex(0)
    shot(pane, f"catalog12-local-run-lr-{palette}")


def test_start_training_from_the_monitor(ctx, qtbot, tmp_path, monkeypatch):
    install_fake_trainer(tmp_path, monkeypatch, FAKE_LF_STEP_S=0.02, FAKE_LF_TOTAL=40)
    config = project(ctx.workspace, tmp_path)
    pane = make_pane(ctx, qtbot)
    dlg = LocalRunDialog(pane, trainer=ft.find_trainer())
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(1)
    dlg.config_edit.setText(str(config))
    assert dlg.ok_btn.isEnabled() and "found" in dlg.trainer_label.text()
    launcher = pane.open_local_run_dialog(dlg.values())
    assert launcher.errors == []
    job = pane.detail.job
    assert job.status == "completed" and job.hyperparameters["learning_rate"] == 1e-4
    assert pane.detail.curves.point_count(job.id, "learning_rate") == 8
    # a config without a trainer on PATH: the failure is shown, nothing registered
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    shown = []
    monkeypatch.setattr("fineflow_desktop.ui.jobs.pane.QMessageBox.warning", lambda *a: shown.append(a[2]))
    pane.open_local_run_dialog(("train", str(config), None, 60.0))
    assert shown and "pip install llamafactory" in shown[0]
    assert len(ft.list_jobs(ctx.workspace)) == 1


def local_job(ws, tmp_path, name: str, lr0: float, total: int):
    run = tmp_path / name
    write_log(run / "trainer_log.jsonl", lf_log_lines(total, lr0=lr0), pause=0)
    job = ft.register_local_run(ws, run, name)
    with ws.session() as s:  # what a launch from a YAML stores (local_launch.HYPERPARAMETERS)
        from fineflow_desktop.store.models_finetune import FineTuneJob
        row = s.get(FineTuneJob, job.id)
        row.model, row.hyperparameters = "Qwen2.5-0.5B", {"learning_rate": lr0, "lora_rank": 8, "num_train_epochs": 3.0}
    return job


def test_compare_runs_overlays_curves_and_highlights_differences(ctx, qtbot, tmp_path, ft_fake, palette):  # noqa: F811
    ws = ctx.workspace
    a = local_job(ws, tmp_path, "lora-lr1e-4", 1e-4, 300)
    b = local_job(ws, tmp_path, "lora-lr5e-5", 5e-5, 300)
    make_dataset(ws)
    add_credential(ws, ft_fake)
    cloud = ft.create_job(ws, ft.JobSpec(dataset="support", credential="openai-ft", model="gpt-4o-mini-2024-07-18",
                                         validation_split=0.2))
    ft_fake.finish_all()
    old = time.time() - 60
    for run in (a, b):
        os.utime(f"{run.provider_job_id}/trainer_log.jsonl", (old, old))  # the local runs are over
    ft.sync_jobs(ws)
    pane = make_pane(ctx, qtbot)
    pane.select_job(a.id)
    qtbot.mouseClick(pane.compare_btn, Qt.MouseButton.LeftButton)
    dlg = pane.compare_dialog
    qtbot.addWidget(dlg)
    assert dlg.checked_ids() == [a.id] and dlg.comparison is None
    assert "at least two" in dlg.status_label.text()
    dlg.set_checked([a.id, b.id, cloud.id])
    cmp = dlg.comparison
    assert [j.id for j in cmp.jobs] == [cloud.id, b.id, a.id]  # list order: newest first
    curves = dlg.curves
    assert sorted(curves.runs()) == sorted([a.id, b.id, cloud.id])
    assert curves.point_count(a.id) == 60 and curves.point_count(cloud.id) == len(ft.job_metrics(ws, cloud.id))
    assert curves.point_count(a.id, "learning_rate") == 60 and curves.point_count(cloud.id, "learning_rate") == 0
    names = [label.text for _sample, label in curves.legend.items]
    assert names[:3] == [f"#{cloud.id} gpt-4o-mini-2024-07-18", f"#{b.id} lora-lr5e-5", f"#{a.id} lora-lr1e-4"]
    assert {"Train loss", "Validation loss"} <= set(names[3:])
    # configurations side by side, the differing settings highlighted
    m = dlg.config_model
    rows = {m.data(m.index(r, 0)): r for r in range(m.rowCount())}
    lr_row = rows["learning_rate"]
    assert [m.data(m.index(lr_row, c)) for c in (1, 2, 3)] == ["—", "5e-05", "0.0001"]
    assert m.data(m.index(lr_row, 1), Qt.ItemDataRole.BackgroundRole) is not None
    base_row = rows["Base model"]
    assert m.data(m.index(base_row, 1), Qt.ItemDataRole.BackgroundRole) is not None  # cloud vs local base model
    rank = rows["lora_rank"]
    assert "hp.learning_rate" in cmp.differing and "provider" in cmp.differing
    steps = rows["Steps logged (last)"]
    assert m.data(m.index(steps, 1), Qt.ItemDataRole.BackgroundRole) is None  # outcomes are not "settings"
    assert m.data(m.index(rank, 2)) == "8"
    dlg.curves.set_right_axis("lr")
    shot(dlg, f"catalog12-compare-runs-{palette}")
    # two local runs only: same base model, learning rate differs
    dlg.set_checked([a.id, b.id])
    assert dlg.comparison.differing == ["peak_lr", "hp.learning_rate"]
