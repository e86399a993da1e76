"""The launch wizard driven end to end against the OpenAI fine-tuning fake (real worker threads),
then the monitor following the new job through its states while the loss chart gains points."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard

from fakes.ft_sim import Timing, step_gate
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.jobs import JobsPane
from fineflow_desktop.ui.main_window import MainWindow
from gui_helpers import shot
from jobs_gui_helpers import add_credential, ft_fake, make_dataset, support_rows  # noqa: F401 - fixture

MODEL = "gpt-4o-mini-2024-07-18"


@pytest.fixture
def window(tmp_path, qtbot, ft_fake):  # noqa: F811
    ft_fake.timing = Timing(0.3, 0.3, 0.1)  # long enough to see every state on a loaded box
    ws = Workspace.open(tmp_path / "ws")
    make_dataset(ws, "support", support_rows(60, near_duplicates=12))
    make_dataset(ws, "broken", [{"user": "", "assistant": "no question", "source": "manual"},
                                {"user": "q", "assistant": "", "source": "manual"}])
    add_credential(ws, ft_fake)
    win = MainWindow(ws)  # real threads
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.close()


def next_page(qtbot, wiz, page):
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    wiz.next()


@pytest.mark.slow
def test_wizard_end_to_end_then_monitor_to_completion(qtbot, window, ft_fake):  # noqa: F811
    # training held at steps 1, 2, 3 until the monitor shows each (step_gate): at load 9 the job
    # ran its whole 0.1 s-a-step training between two passes and "training" was never shown
    ft_fake.timing.hold_at_step = 1
    pane = window.show_pane(JobsPane)
    pane.poller.visible_interval_s = 0.15
    wiz = pane.open_wizard()
    d = wiz.dataset_page
    qtbot.waitUntil(lambda: bool(d.summaries), timeout=20_000)
    # the broken dataset is listed as not launchable, with its errors and a link to Validate
    d.dataset_combo.setCurrentIndex(d.dataset_combo.findData(ft.dataset_summary(window.ctx.workspace, "broken").dataset_id))
    assert "not launchable" in d.dataset_combo.currentText()
    assert d.errors_banner.isVisible() and "Validate pane" in d.errors_banner.text()
    assert not d.isComplete()
    d.dataset_combo.setCurrentIndex(d.dataset_combo.findData(ft.dataset_summary(window.ctx.workspace, "support").dataset_id))
    d.fraction_spin.setValue(0.3)
    qtbot.waitUntil(lambda: d.plan is not None, timeout=20_000)
    summary = ft.dataset_summary(window.ctx.workspace, "support")
    assert f"{summary.pairs:,}</b> pairs" in d.figures.text()
    assert f"{summary.tokens['max']:,}" in d.figures.text()
    leaks = ft.find_leakage(window.ctx.workspace, d.plan)
    assert len(d.leaks) == len(leaks)
    if d.leaks:  # near-duplicates landed on both sides: move them to training
        d.move_train_btn.click()
        assert ft.find_leakage(window.ctx.workspace, d.plan) == []
    shot(wiz, "jobs11-wizard-1-dataset")
    next_page(qtbot, wiz, d)

    p = wiz.provider_page
    assert p.provider() == "openai"
    assert p.notice.isVisible() and "2027-01-06" in p.notice.text()
    assert set(p.fields) >= {"epochs", "batch_size", "learning_rate_multiplier"}
    p.model_combo.setEditText(MODEL)
    p.fields["epochs"].set_value(2)
    p.suffix_edit.setText("support")
    shot(wiz, "jobs11-wizard-2-provider")
    next_page(qtbot, wiz, p)

    r = wiz.review_page
    qtbot.waitUntil(lambda: r.estimate is not None, timeout=20_000)
    expected = ft.estimate_job(window.ctx.workspace, wiz.spec())
    assert r.estimate.epochs == 2 == expected.epochs
    assert f"{expected.billed_tokens:,}" in r.figures.text()
    assert r.estimate.cost_usd == expected.cost_usd
    assert wiz.button(QWizard.WizardButton.FinishButton).text() == "Launch"
    shot(wiz, "jobs11-wizard-3-review")
    with qtbot.waitSignal(wiz.launched, timeout=30_000) as launched:
        wiz.button(QWizard.WizardButton.FinishButton).click()
    job = launched.args[0]
    assert len(ft_fake.created) == 1
    assert ft_fake.created[0]["hyperparameters" if "hyperparameters" in ft_fake.created[0] else "method"]
    assert pane.selected_job_id() == job.id

    seen, counts = [], []

    def watch():
        j = pane.detail.job
        if j is not None and (not seen or seen[-1] != j.status):
            seen.append(j.status)
        pane.detail.curves.flush()
        counts.append(pane.detail.curves.point_count(job.id))
        if j is not None and j.status == "training":
            step_gate(ft_fake.timing, counts[-1])
        return j is not None and j.status == "completed"

    qtbot.waitUntil(watch, timeout=60_000)
    assert seen[-1] == "completed" and "training" in seen
    stored = [t.to_status for t in ft.job_transitions(window.ctx.workspace, job.id)]
    assert stored[:3] == ["pending", "uploading", "validating"] and stored[-1] == "completed"
    assert counts[-1] > 0 and len(set(counts)) > 1  # the chart gained points while it ran
    assert pane.detail.model_label.text().startswith("Fine-tuned model: ft:" + MODEL)
    assert len(ft_fake.created) == 1
    shot(window, "jobs11-monitor-after-wizard")


def test_block_mode_budget_refuses_with_numbers(qtbot, window):
    ft.set_budget(window.ctx.workspace, 0.0001, "block")
    pane = window.show_pane(JobsPane)
    wiz = pane.open_wizard()
    d = wiz.dataset_page
    qtbot.waitUntil(lambda: bool(d.summaries), timeout=20_000)
    d.split_check.setChecked(False)
    next_page(qtbot, wiz, d)
    wiz.provider_page.model_combo.setEditText(MODEL)
    next_page(qtbot, wiz, wiz.provider_page)
    r = wiz.review_page
    qtbot.waitUntil(lambda: r.estimate is not None, timeout=20_000)
    assert not r.estimate.allowed and not r.isComplete()
    text = r.budget_banner.text()
    assert "Refused" in text and "$0.0001" in text and f"${r.estimate.cost_usd:.4f}" in text
    assert not wiz.button(QWizard.WizardButton.FinishButton).isEnabled()
    shot(wiz, "jobs11-wizard-3-review-blocked")
