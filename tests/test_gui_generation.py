"""Run dialog and Runs pane driven through real widgets against the OpenAI fake.

Real threads (TaskManager with its QThreadPool) in the end-to-end tests; synchronous tasks in
the unit-style ones. Screenshots go to /work/screens/generation/.
"""

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

import generation_fixtures as gf
from fakes.fixtures import OPENAI_TEST_KEY
from fakes.openai_fake import OpenAIFake
from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.services import generation as gen
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_generation import GenerationRun
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.generation import RunDialog, RunsPane
from fineflow_desktop.ui.generation.models import FailedItemsModel, RunsTableModel
from fineflow_desktop.workers import TaskManager

pytestmark = pytest.mark.usefixtures("pydoc_sources")
SCREENS = Path("/work/screens/generation")


def shot(widget, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # let pending layout requests settle first
    widget.grab().save(str(SCREENS / f"{name}.png"))


@pytest.fixture
def fake():
    with OpenAIFake(api_key=OPENAI_TEST_KEY, responder=gf.openai_responder, latency_s=0.02) as f:
        yield f
        assert f.violations == []


def _ctx(qtbot, workspace, synchronous):
    tasks = TaskManager(synchronous=synchronous, max_threads=4)
    return AppContext(workspace, tasks, QUndoStack(), Events())


@pytest.fixture
def ctx_threads(qtbot, workspace):
    ctx = _ctx(qtbot, workspace, synchronous=False)
    yield ctx
    assert ctx.tasks.shutdown(30_000), "tasks still running"


@pytest.fixture
def ctx_sync(qtbot, workspace):
    return _ctx(qtbot, workspace, synchronous=True)


def _setup(ws, fake, n=30, **cred):
    gf.add_chunks(ws, n)
    cred.setdefault("concurrency", 4)
    return create_credential(ws, name="main", provider="openai", base_url=fake.base_url, model="gpt-4o-mini",
                             api_key=OPENAI_TEST_KEY, settings={"timeout_s": 2.0}, **cred)


def _pane(qtbot, ctx, height=600):
    pane = RunsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1100, height)
    pane.show()
    return pane


def _open_dialog(qtbot, pane):
    """Click “New run…” and wait until the dialog has read the models."""
    qtbot.mouseClick(pane.new_btn, Qt.MouseButton.LeftButton)
    dialog = pane.dialog
    assert isinstance(dialog, RunDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: "models" in dialog.models_note.text() and "loading" not in dialog.models_note.text(), timeout=15_000)
    return dialog


def test_new_run_from_dialog_with_estimate_and_live_progress(qtbot, ctx_threads, fake):
    ctx = ctx_threads
    _setup(ctx.workspace, fake, 30)
    pane = _pane(qtbot, ctx, 640)
    assert "No generation runs yet" in pane.detail_label.text()
    dialog = _open_dialog(qtbot, pane)
    assert dialog.model.count() == len(fake.models) and dialog.model.currentText() == "gpt-4o-mini"
    dialog.mode.setCurrentIndex(dialog.mode.findData("qa"))
    dialog.pairs.setValue(2)
    qtbot.waitUntil(lambda: dialog.start.isEnabled() and "30 calls" in dialog.start.text(), timeout=15_000)
    assert "30 calls" in dialog.estimate.text() and "≈ $" in dialog.estimate.text()
    # unticking every document: nothing to generate from, Start is disabled and says why
    docs = [dialog.documents.item(i) for i in range(dialog.documents.count())]
    for item in docs:
        item.setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: "Cannot start: source_filter: no chunk matches" in dialog.estimate.text(), timeout=15_000)
    assert not dialog.start.isEnabled()
    for item in docs:
        item.setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.start.isEnabled() and "30 calls" in dialog.start.text(), timeout=15_000)
    shot(dialog, "run_dialog")
    with qtbot.waitSignal(pane.run_finished, timeout=60_000) as finished:
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    assert finished.args[1] == "completed"
    run = pane.model.runs[0]
    assert (run.status, run.done, run.failed, run.pairs_per_chunk, run.mode) == ("completed", 30, 0, 2, "qa")
    row = pane.model.row_of(run.id)
    assert pane.model.data(pane.model.index(row, 4)) == "completed"
    assert "items/s" in pane.model.data(pane.model.index(row, RunsTableModel.COLUMNS.index("Progress")))
    assert pane.progress.value() == 30 and not pane.cancel_btn.isEnabled()
    shot(pane, "runs_pane_completed")


def test_cancel_then_resume_from_the_banner(qtbot, ctx_threads, fake):
    ctx = ctx_threads
    fake.latency_s = 0.15
    _setup(ctx.workspace, fake, 24, concurrency=2)
    pane = RunsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1100, 600)
    pane.show()
    pane.start_new_run(gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    run_id = pane.selected_run_id()
    assert pane.cancel_btn.isEnabled() and not pane.resume_btn.isEnabled()
    qtbot.waitUntil(lambda: pane.model.runs[0].done >= 4, timeout=30_000)
    shot(pane, "runs_pane_running")
    with qtbot.waitSignal(pane.run_finished, timeout=30_000) as stopped:
        qtbot.mouseClick(pane.cancel_btn, Qt.MouseButton.LeftButton)
    assert stopped.args == [run_id, "cancelled"]
    run = pane.model.runs[0]
    assert run.status == "cancelled" and run.running == 0 and 4 <= run.done < 24
    assert pane.banner.isVisible() and f"Run #{run_id}" in pane.banner_text.text() and "stopped" in pane.banner_text.text()
    assert pane.resume_btn.isEnabled()
    shot(pane, "runs_pane_cancelled_banner")
    fake.latency_s = 0.02
    with qtbot.waitSignal(pane.run_finished, timeout=60_000) as resumed:
        qtbot.mouseClick(pane.banner_resume, Qt.MouseButton.LeftButton)
    assert resumed.args == [run_id, "completed"]
    assert pane.model.runs[0].done == 24 and not pane.banner.isVisible()
    r = gf.duplicate_report(ctx.workspace, run_id)
    assert r["duplicate_pairs"] == r["count_mismatch"] == r["stray_pairs"] == 0


def test_failed_items_view_and_retry_failed(qtbot, ctx_sync, fake, qtmodeltester):
    ctx = ctx_sync
    _setup(ctx.workspace, fake, 8)
    pane = RunsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1100, 560)
    pane.show()
    fake.models = ["gpt-4o"]  # the model is gone: every request answers 404
    with qtbot.waitSignal(pane.run_finished, timeout=30_000):
        pane.start_new_run(gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    assert pane.model.runs[0].status == "partial"
    assert pane.failed_model.rowCount() == 8 and pane.failed_label.text() == "Failed items (8)"
    error = pane.failed_model.data(pane.failed_model.index(0, 5))
    assert "HTTP 404" in error and "gpt-4o-mini" in error and OPENAI_TEST_KEY not in error
    assert pane.retry_btn.isEnabled()
    qtmodeltester.check(pane.failed_model)
    qtmodeltester.check(pane.model)
    pane.failed_table.selectRow(2)
    assert "Item 3" in pane.error_view.toPlainText() and "does not exist" in pane.error_view.toPlainText()
    shot(pane, "runs_pane_failed_items")
    fake.models = ["gpt-4o-mini"]
    with qtbot.waitSignal(pane.run_finished, timeout=30_000) as done:
        qtbot.mouseClick(pane.retry_btn, Qt.MouseButton.LeftButton)
    assert done.args[1] == "completed"
    assert pane.failed_model.rowCount() == 0 and pane.model.runs[0].done == 8 and not pane.retry_btn.isEnabled()


def test_opening_a_workspace_with_an_interrupted_run_offers_resume(qtbot, ctx_sync, fake):
    ctx = ctx_sync
    _setup(ctx.workspace, fake, 6)
    run_id, _ = gen.create_run(ctx.workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    with ctx.workspace.session() as s:  # as left by a crash: "running", by a process that is gone
        s.execute(update(GenerationRun).where(GenerationRun.id == run_id).values(
            status="running", runner=f"{socket.gethostname()[:40]}:999999", heartbeat_at=utcnow()))
    pane = RunsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1000, 420)
    pane.show()
    assert pane.banner.isVisible() and "was interrupted with 6 of 6 items left" in pane.banner_text.text()
    row = pane.model.row_of(run_id)
    assert pane.model.data(pane.model.index(row, 4)) == "interrupted — resume"
    shot(pane, "runs_pane_interrupted_banner")
    with qtbot.waitSignal(pane.run_finished, timeout=30_000) as done:
        qtbot.mouseClick(pane.banner_resume, Qt.MouseButton.LeftButton)
    assert done.args == [run_id, "completed"] and not pane.banner.isVisible()


def test_dialog_explains_what_is_missing_and_models_fail_softly(qtbot, ctx_sync, fake, caplog):
    ctx = ctx_sync
    dialog = RunDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    # no credential yet: a plain sentence saying what to do, and no ERROR (nor traceback) in the log
    qtbot.waitUntil(lambda: "No credential yet: add one in Settings" in dialog.estimate.text(), timeout=5_000)
    assert "Cannot start" not in dialog.estimate.text() and "''" not in dialog.estimate.text()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert not dialog.start.isEnabled()
    # a credential whose server is down: the model list fails, the field stays editable
    gf.add_chunks(ctx.workspace, 3)
    create_credential(ctx.workspace, name="offline", provider="compatible", base_url="http://127.0.0.1:9/v1", model="llama3")
    dialog2 = RunDialog(ctx)
    qtbot.addWidget(dialog2)
    dialog2.show()
    qtbot.waitUntil(lambda: dialog2.models_note.text() == "model list unavailable", timeout=20_000)
    assert dialog2.model.currentText() == "llama3" and dialog2.model.isEditable()
    assert not dialog2.batch.isEnabled()  # compatible servers have no batch API
    qtbot.waitUntil(lambda: dialog2.start.isEnabled(), timeout=5_000)
    assert "cost unknown" in dialog2.estimate.text()


def test_table_models_pass_the_model_tester(qtmodeltester, workspace, fake):
    _setup(workspace, fake, 4)
    gen.create_run(workspace, gen.RunParams(dataset="docs-qa", credential="main", mode="qa"))
    model = RunsTableModel()
    model.set_runs(gen.list_runs(workspace))
    model.set_progress(model.runs[0].id, "1 done · 0 failed · 3 left · 2.0 items/s · ETA 0:02")
    qtmodeltester.check(model)
    failed = FailedItemsModel()
    failed.set_items(gen.run_detail(workspace, model.runs[0].id).items)
    qtmodeltester.check(failed)


def test_batch_run_from_dialog_then_cancel_batches_at_the_provider(qtbot, ctx_threads, fake, monkeypatch):
    from fineflow_desktop.services.generation import batch as batch_svc
    from fineflow_desktop.ui.generation import runs_pane

    monkeypatch.setattr(batch_svc, "POLL_INTERVAL_S", 0.1)  # 30 s for real
    asked = []
    monkeypatch.setattr(runs_pane.QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or runs_pane.QMessageBox.StandardButton.Yes)
    ctx = ctx_threads
    _setup(ctx.workspace, fake, 12)
    pane = _pane(qtbot, ctx, 600)
    dialog = _open_dialog(qtbot, pane)
    dialog.mode.setCurrentIndex(dialog.mode.findData("qa"))
    dialog.batch.setChecked(True)
    qtbot.waitUntil(lambda: "(batch price)" in dialog.estimate.text() and dialog.start.isEnabled(), timeout=15_000)
    with qtbot.waitSignal(pane.run_finished, timeout=60_000) as finished:
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    assert finished.args[1] == "completed"
    first = pane.model.runs[0]
    assert first.is_batch and first.done == 12 and not pane.cancel_batch_btn.isEnabled()
    assert "qa · batch" in pane.model.data(pane.model.index(0, 3)) and "· batch" in pane.detail_label.text()
    assert len(fake.requests_to("/batches", "POST")) == 1

    # a second batch the provider is slow with; the app watches it, the user cancels it there
    fake.batch_complete_after_s = 3600
    pane.start_new_run(gen.RunParams(dataset="docs-qa", credential="main", mode="qa", batch=True))
    second = pane.selected_run_id()
    qtbot.waitUntil(lambda: pane.model.runs[0].status == "batch_pending" and pane.cancel_batch_btn.isEnabled(), timeout=15_000)
    assert pane.cancel_btn.isEnabled()  # Cancel = stop watching; Cancel batch = stop it at the provider
    shot(pane, "runs_pane_batch_pending")
    with qtbot.waitSignal(pane.run_finished, timeout=30_000) as ended:
        qtbot.mouseClick(pane.cancel_batch_btn, Qt.MouseButton.LeftButton)
    assert ended.args == [second, "partial"] and "batch" in asked[0]
    run = pane.model.runs[0]
    assert (run.done, run.failed, run.pending + run.running) == (0, 12, 0)
    assert pane.failed_label.text() == "Failed items (12)" and "batch cancelled" in pane.failed_model.data(pane.failed_model.index(0, 5))
    assert not pane.cancel_batch_btn.isEnabled() and pane.retry_btn.isEnabled()
    shot(pane, "runs_pane_batch_cancelled")

    # a third one the user stopped watching first: Cancel batch then watches it to its end
    pane.start_new_run(gen.RunParams(dataset="docs-qa", credential="main", mode="qa", batch=True))
    third = pane.selected_run_id()
    qtbot.waitUntil(lambda: pane.model.runs[0].status == "batch_pending", timeout=15_000)
    with qtbot.waitSignal(pane.run_finished, timeout=30_000):
        qtbot.mouseClick(pane.cancel_btn, Qt.MouseButton.LeftButton)
    assert pane.banner.isVisible() and "waiting for its batch results" in pane.banner_text.text()
    assert pane.cancel_batch_btn.isEnabled()
    with qtbot.waitSignal(pane.run_finished, timeout=30_000) as ended:
        qtbot.mouseClick(pane.cancel_batch_btn, Qt.MouseButton.LeftButton)
    assert ended.args == [third, "partial"] and not pane.banner.isVisible()
    assert len(fake.requests_to("/cancel", "POST")) == 2

    # Retry failed sends the cancelled requests again as a new batch
    fake.batch_complete_after_s = 0.05
    with qtbot.waitSignal(pane.run_finished, timeout=30_000) as again:
        qtbot.mouseClick(pane.retry_btn, Qt.MouseButton.LeftButton)
    assert again.args == [third, "completed"] and pane.model.runs[0].done == 12
