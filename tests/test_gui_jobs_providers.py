"""The launch wizard and the monitor against the Together and the Fireworks fakes (real worker
threads, the real poll process): each job is launched through the wizard's three pages and
followed in the monitor to completion. Together shows loss curves; Fireworks reports only its
``jobProgress`` (no events, metrics or checkpoints endpoints for SFT jobs: FINE-TUNING-APIS.md §2).
The key reaches the poll process only over its pipe: it is in this process's in-memory test
keyring, which the poll process cannot read."""

from __future__ import annotations

import os

import psutil
import pytest
from PySide6.QtWidgets import QWizard

from fakes.fixtures import fireworks_fake, together_fake  # noqa: F401 - fixtures
from fakes.ft_sim import Timing, step_gate
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.jobs import JobsPane
from fineflow_desktop.ui.main_window import MainWindow
from fineflow_desktop.providers import credentials as creds
from finetune_helpers import TEST_KEY, make_dataset
from gui_helpers import shot

pytestmark = pytest.mark.slow  # each follows a job through training (started first: conftest)
TOGETHER_MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"
FIREWORKS_MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"


def open_window(qtbot, tmp_path, fake, provider: str, settings: dict | None = None) -> MainWindow:
    ws = Workspace.open(tmp_path / "ws")
    make_dataset(ws, n=40)
    creds.create_credential(ws, provider[:2], provider, base_url=fake.base_url, api_key=TEST_KEY, settings=settings)
    win = MainWindow(ws)  # real threads; the monitor polls from its own process
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def launch_through_wizard(qtbot, pane: JobsPane, model: str):
    """Pages 1-3 with their defaults (validation split on) and *model*; returns the launched ``JobRecord``."""
    wiz = pane.open_wizard()
    d = wiz.dataset_page
    qtbot.waitUntil(lambda: bool(d.summaries), timeout=20_000)
    qtbot.waitUntil(d.isComplete, timeout=20_000)
    wiz.next()
    p = wiz.provider_page
    p.model_combo.setEditText(model)
    qtbot.waitUntil(p.isComplete, timeout=20_000)
    wiz.next()
    r = wiz.review_page
    qtbot.waitUntil(lambda: r.estimate is not None, timeout=20_000)
    assert r.estimate.examples > 0 and r.estimate.billed_tokens == r.estimate.training_tokens * r.estimate.epochs
    with qtbot.waitSignal(wiz.launched, timeout=30_000) as launched:
        wiz.button(QWizard.WizardButton.FinishButton).click()
    return launched.args[0]


def follow(qtbot, pane: JobsPane, job_id: int, on_training) -> tuple[list, list, list]:
    """Watch the monitor until the job completes: (statuses seen, progress texts, curve point counts).
    While the job is live the passes run in a poll process (a child of this one); once it is
    finished the poll process is released and exits. The fake holds the job in training
    (``Timing.hold_at_step``): ``on_training(points, progress)`` is called while the monitor shows
    it training from the poll process and lets the fake go on."""
    statuses, progress, points, pids = [], [], [], set()

    def watch():
        j = pane.detail.job
        if j is None or j.id != job_id:
            return False
        if not statuses or statuses[-1] != j.status:
            statuses.append(j.status)
        text = pane.model.data(pane.model.index(pane.model.row_of_id(job_id), 2))
        if not progress or progress[-1] != text:
            progress.append(text)
        pane.detail.curves.flush()
        points.append(pane.detail.curves.point_count(job_id))
        if j.status == "training" and pane.poller.process_pid() is not None:
            pids.add(pane.poller.process_pid())
            on_training(points, progress)
        return j.status == "completed"

    qtbot.waitUntil(watch, timeout=60_000)
    assert pids and os.getpid() not in pids
    qtbot.waitUntil(lambda: pane.poller.process_pid() is None, timeout=10_000)  # released: nothing live
    for pid in pids:
        qtbot.waitUntil(lambda pid=pid: not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE,
                        timeout=10_000)
    return statuses, progress, points


def poll_process_alive(pane: JobsPane) -> int:
    pid = pane.poller.process_pid()
    assert pid is not None and pid in {c.pid for c in psutil.Process().children()}
    return pid


def test_together_job_from_the_wizard_shows_status_progress_and_curves(qtbot, tmp_path, together_fake):  # noqa: F811
    # training is held at step 1, 2, 3 in turn until the monitor shows each (step_gate), then ends:
    # on a loaded box the poll process's first pass (it imports the SDK) came after a 7 s training
    together_fake.timing = Timing(0.3, 0.5, 0.2, hold_at_step=1)
    win = open_window(qtbot, tmp_path, together_fake, "together")
    pane = win.show_pane(JobsPane)
    pane.poller.visible_interval_s = 0.15
    job = launch_through_wizard(qtbot, pane, TOGETHER_MODEL)
    assert job.provider == "together" and len(together_fake.created) == 1
    assert pane.selected_job_id() == job.id
    statuses, progress, points = follow(qtbot, pane, job.id,
                                        lambda points, _progress: step_gate(together_fake.timing, points[-1]))
    assert "training" in statuses and statuses[-1] == "completed"
    assert any("steps" in t for t in progress) and progress[-1].endswith("(100%)")
    stored = ft.job_metrics(win.ctx.workspace, job.id)
    assert points[-1] == len(stored) > 0 and len(set(points)) > 2  # the chart gained points while it trained
    assert stored[0].train_loss is not None and stored[0].valid_loss is not None
    assert pane.detail.events_model.rowCount() == len(ft.job_events(win.ctx.workspace, job.id)) > 0
    done = ft.get_job(win.ctx.workspace, job.id)
    assert pane.detail.model_label.text() == f"Fine-tuned model: {done.fine_tuned_model}"
    assert len(together_fake.created) == 1  # the poll process never re-created it
    shot(win, "stall11-monitor-together")


def test_fireworks_job_from_the_wizard_shows_status_and_progress(qtbot, tmp_path, fireworks_fake):  # noqa: F811
    fireworks_fake.timing = Timing(0.3, 0.5, 0.2, hold_at_step=1)  # held in training until progress shows

    def release_once_progress_moved(_points, progress):
        if any(t.startswith("epoch ") and not t.endswith("(100%)") for t in progress):
            fireworks_fake.timing.hold_at_step = None

    win = open_window(qtbot, tmp_path, fireworks_fake, "fireworks", settings={"account_id": "fake-acct"})
    pane = win.show_pane(JobsPane)
    pane.poller.visible_interval_s = 0.15
    job = launch_through_wizard(qtbot, pane, FIREWORKS_MODEL)
    assert job.provider == "fireworks" and len(fireworks_fake.created) == 1
    statuses, progress, points = follow(qtbot, pane, job.id, release_once_progress_moved)
    assert "training" in statuses and statuses[-1] == "completed"
    assert any(t.startswith("epoch ") and not t.endswith("(100%)") for t in progress)  # progress moved
    assert progress[-1].endswith("(100%)")
    assert points[-1] == 0 and ft.job_metrics(win.ctx.workspace, job.id) == []  # Fireworks publishes no metrics
    done = ft.get_job(win.ctx.workspace, job.id)
    assert done.fine_tuned_model == f"accounts/fake-acct/models/{done.provider_job_id}"
    assert done.fine_tuned_model in pane.detail.model_label.text()
    shot(win, "stall11-monitor-fireworks")


def test_poll_process_killed_is_started_again_and_nothing_is_lost(qtbot, tmp_path, together_fake):  # noqa: F811
    """kill -9 of the poll process: the pass in flight fails (shown, retried with backoff), the
    next pass runs in a new process, and the job's events and metrics are complete, once each."""
    together_fake.timing = Timing(0.2, 0.5, 0.2, hold_at_step=1)  # training until a new poll process runs
    win = open_window(qtbot, tmp_path, together_fake, "together")
    pane = win.show_pane(JobsPane)
    pane.poller.visible_interval_s = 0.15
    job = ft.create_job(win.ctx.workspace, ft.JobSpec(dataset="support", credential="to", model=TOGETHER_MODEL))
    pane.on_launched(job)
    qtbot.waitUntil(lambda: pane.detail.job is not None and pane.detail.job.status == "training", timeout=30_000)
    first = poll_process_alive(pane)
    psutil.Process(first).kill()
    later = set()

    def new_poll_process():
        later.add(pane.poller.process_pid())
        return bool(later - {None, first})

    qtbot.waitUntil(new_poll_process, timeout=60_000)  # the pass after the backoff runs in a new one
    together_fake.timing.hold_at_step = None
    qtbot.waitUntil(lambda: pane.detail.job.status == "completed", timeout=60_000)
    assert not psutil.pid_exists(first)
    events = ft.job_events(win.ctx.workspace, job.id)
    assert len({e.provider_event_id for e in events}) == len(events)
    sim = together_fake.jobs[job.provider_job_id]["sim"]
    assert [m.step for m in ft.job_metrics(win.ctx.workspace, job.id)] == list(range(1, sim.total_steps + 1))
    pane.detail.curves.flush()
    assert pane.detail.curves.point_count(job.id) == sim.total_steps
    assert len(together_fake.created) == 1
