"""The job monitor pane against the OpenAI fine-tuning fake: list, states, curves, events, actions."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtWidgets import QMessageBox

from fakes.ft_sim import Timing, step_gate
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.jobs import JobsPane
from gui_helpers import shot
from jobs_gui_helpers import add_credential, ft_fake, make_dataset  # noqa: F401 - fixture

MODEL = "gpt-4o-mini-2024-07-18"


@pytest.fixture
def launched(ctx, ft_fake):  # noqa: F811
    ft_fake.timing = Timing(0.3, 0.3, 0.12)  # ~12 s of training: every state is seen even on a loaded box
    make_dataset(ctx.workspace)
    add_credential(ctx.workspace, ft_fake)
    job = ft.create_job(ctx.workspace, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL,
                                                  validation_split=0.2, suffix="support"))
    return job


@pytest.mark.slow
def test_monitor_follows_a_job_to_completion(qtbot, ctx, launched, ft_fake):  # noqa: F811
    # held at steps 1, 2, 3 until the monitor shows each (step_gate), so quicker steps lose no state
    ft_fake.timing.hold_at_step, ft_fake.timing.step_s = 1, 0.02
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
        if pane.detail.job.status == "training":
            step_gate(ft_fake.timing, points[-1])
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


def test_poll_errors_back_off_then_recover_without_duplicates(qtbot, ctx, launched, ft_fake):  # noqa: F811
    pane = JobsPane(ctx)  # its first pass ran in the constructor (synchronous tasks)
    qtbot.addWidget(pane)
    ft_fake.fail_next("500", 3)  # the SDK's 2 retries fail too: this job's poll fails
    pane.sync_now()
    assert pane.poller.failures_in_a_row == 1
    assert "error" in pane.sync_label.text()
    delay = pane.poller.next_poll_in_s()
    assert delay is not None and delay >= pane.poller.interval_s / 5 - 0.5  # backoff, not a tight loop
    ft_fake.finish_all()
    pane.sync_now()
    assert pane.poller.failures_in_a_row == 0 and pane.detail.job.status == "completed"
    events = ft.job_events(ctx.workspace, launched.id)
    ids = [e.provider_event_id for e in events]
    assert len(ids) == len(set(ids)) and pane.detail.events_model.rowCount() == len(events)
    steps = [m.step for m in ft.job_metrics(ctx.workspace, launched.id)]
    assert steps == sorted(set(steps)) and pane.detail.curves.point_count(launched.id) == len(steps)


def test_open_dataset_and_notification_while_minimised(qtbot, workspace, ft_fake):  # noqa: F811
    from fineflow_desktop.ui.main_window import MainWindow

    ds = make_dataset(workspace)
    add_credential(workspace, ft_fake)
    job = ft.create_job(workspace, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL))
    win = MainWindow(workspace, synchronous_tasks=True)
    qtbot.addWidget(win)
    win.show()
    pane = win.show_pane(JobsPane)
    assert pane.detail.job.id == job.id
    pane.detail.dataset_btn.click()
    assert win.stack.currentWidget() is win.pairs and win.pairs.dataset_id == ds
    win.showMinimized()
    ft_fake.finish_all()
    pane.sync_now()
    assert pane.notifier.sent[-1][0] == f"Fine-tuning job #{job.id} completed"
    assert "Model ready: ft:" in pane.notifier.sent[-1][1]
