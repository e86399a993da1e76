"""The job monitor pane against the OpenAI fine-tuning fake: list, states, curves, events, actions."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtWidgets import QMessageBox

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.jobs import JobsPane
from gui_helpers import shot
from jobs_gui_helpers import add_credential, ft_fake, make_dataset  # noqa: F401 - fixture

MODEL = "gpt-4o-mini-2024-07-18"


@pytest.fixture
def launched(ctx, ft_fake):  # noqa: F811
    make_dataset(ctx.workspace)
    add_credential(ctx.workspace, ft_fake)
    job = ft.create_job(ctx.workspace, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL,
                                                  validation_split=0.2, suffix="support"))
    return job


def test_monitor_follows_a_job_to_completion(qtbot, ctx, launched, ft_fake):  # noqa: F811
    pane = JobsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1100, 760)
    pane.show()
    pane.poller.visible_interval_s = 0.2
    assert pane.model.rowCount() == 1
    assert pane.detail.job.id == launched.id
    seen_states, points = set(), []

    def progressed():
        pane.detail.curves.flush()
        seen_states.add(pane.detail.job.status)
        points.append(pane.detail.curves.point_count(launched.id))
        return pane.detail.job.status == "completed"

    qtbot.waitUntil(progressed, timeout=30_000)
    assert {"training", "completed"} <= seen_states
    assert points[-1] == len(ft.job_metrics(ctx.workspace, launched.id)) > 0
    assert "ft:" + MODEL in pane.detail.model_label.text()
    assert pane.detail.events_model.rowCount() == len(ft.job_events(ctx.workspace, launched.id))
    assert "1 job(s) this month" in pane.summary_label.text() and "success rate 100%" in pane.summary_label.text()
    assert pane.notifier.sent and pane.notifier.sent[0][0] == f"Fine-tuning job #{launched.id} completed"
    assert not pane.detail.cancel_btn.isEnabled()
    shot(pane, "jobs11-monitor-completed")


def test_event_filter_search_and_csv(qtbot, ctx, launched, ft_fake, tmp_path):  # noqa: F811
    ft_fake.finish_all()
    ft.sync_jobs(ctx.workspace)
    pane = JobsPane(ctx)
    qtbot.addWidget(pane)
    total = pane.detail.events_model.rowCount()
    pane.detail.search_edit.setText("validat")
    msgs = pane.detail.events_model.messages()
    assert msgs and all("validat" in m.lower() for m in msgs) and len(msgs) < total
    pane.detail.search_edit.clear()
    pane.detail.level_combo.setCurrentText("error")
    assert pane.detail.events_model.rowCount() == 0
    out = tmp_path / "m.csv"
    rows = pane.save_metrics_csv(str(out))
    with open(out, newline="") as fh:
        data = list(csv.DictReader(fh))
    assert rows == len(data) == len(ft.job_metrics(ctx.workspace, launched.id))
    assert float(data[0]["train_loss"]) > 0
    pane.copy_model_id()
    from PySide6.QtWidgets import QApplication
    assert QApplication.clipboard().text() == ft.get_job(ctx.workspace, launched.id).fine_tuned_model


def test_cancel_running_job_asks_first(qtbot, ctx, launched, ft_fake, monkeypatch):  # noqa: F811
    pane = JobsPane(ctx)
    qtbot.addWidget(pane)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    pane.cancel_selected()
    assert ft.get_job(ctx.workspace, launched.id).status != "cancelled"
    pane.cancel_selected()
    qtbot.waitUntil(lambda: pane.detail.job.status == "cancelled", timeout=10_000)
    assert ft_fake.jobs[launched.provider_job_id]["sim"].phase == "cancelled"  # the fake was asked
    assert pane.notifier.sent[-1][0].endswith("cancelled")
    pane.filter_combo.setCurrentIndex(1)  # Active
    assert pane.model.rowCount() == 0
    pane.filter_combo.setCurrentIndex(3)  # Failed / cancelled
    assert pane.model.rowCount() == 1
