"""The Models pane (issue 12): catalog, deploy, and a comparison against the loopback OpenAI fake."""

from __future__ import annotations

import json
import re

import pytest
from finetune_helpers import make_dataset
from gui_helpers import shot
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fakes.openai_fake import DEFAULT_MODELS
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import models
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.store.models_finetune import FineTuneJob
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.models import ModelsPane
from fineflow_desktop.workers import TaskManager

FT = "ft:gpt-4o-mini:acme::abc123"
BASE = "gpt-4o-mini"


def responder(body: dict) -> str:
    """The fine-tuned model answers like the dataset; the base model answers vaguely."""
    n = re.search(r"device number (\d+)", body["messages"][-1]["content"])
    if body["model"] == FT:
        return f"Hold the power button of device {n.group(1)} for ten seconds." if n else "I do not know."
    return "Try turning it off and on again."


@pytest.fixture
def fake(openai_fake):  # noqa: F811
    openai_fake.models = (*DEFAULT_MODELS, FT)
    openai_fake.responder = responder
    return openai_fake


def completed_job(ws, fake) -> None:
    """A credential on the fake and a completed fine-tuning job that produced ``FT``."""
    creds.create_credential(ws, "oa", "openai", base_url=fake.base_url, api_key=OPENAI_TEST_KEY, session_only=True)
    with ws.session() as s:
        s.add(FineTuneJob(marker="m1", provider="openai", credential_name="oa", model=BASE, status="completed",
                          fine_tuned_model=FT, dataset_name="support", launch_stage="created"))


def make_pane(ctx, qtbot) -> ModelsPane:
    pane = ModelsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1280, 820)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def catalog_cells(pane) -> list[list[str]]:
    m = pane.catalog.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_completed_job_model_appears_and_deploy_changes_the_default(ctx, qtbot, fake):
    completed_job(ctx.workspace, fake)
    before = get_ai_config(ctx.workspace)["chat_model"]
    pane = make_pane(ctx, qtbot)
    rows = catalog_cells(pane)
    assert len(rows) == 1
    model_id, provider, base, source, status, deployed, _last = rows[0][:7]
    assert (model_id, provider, base, status, deployed) == (FT, "openai", BASE, "active", "")
    assert source.startswith("job #") and "support" in source
    # the "Add by id…" dialog offers the workspace's credentials
    from fineflow_desktop.ui.models.catalog import AddModelDialog
    dlg = AddModelDialog(ctx, pane)
    qtbot.addWidget(dlg)
    dlg.model_edit.setText(" my-served-model ")
    dlg.base_edit.setText(BASE)
    dlg.show()
    shot(dlg, "models_add_dialog")
    assert dlg.values() == ("my-served-model", "oa", BASE)
    dlg.close()
    # a model added by id while the pane is open
    assert pane.catalog.add_model("my-served-model", "oa", BASE) is not None
    assert {r[0] for r in catalog_cells(pane)} == {FT, "my-served-model"}
    assert pane.catalog.select_model(FT)
    qtbot.mouseClick(pane.catalog.deploy_btn, Qt.MouseButton.LeftButton)
    assert get_ai_config(ctx.workspace)["chat_model"] == FT
    ft_row = next(r for r in catalog_cells(pane) if r[0] == FT)
    assert ft_row[5] == "● chat model"
    assert before in pane.catalog.deploy_label.text() and FT in pane.catalog.deploy_label.text()
    assert pane.catalog.restore_btn.isEnabled()
    shot(pane, "models_catalog")
    qtbot.mouseClick(pane.catalog.restore_btn, Qt.MouseButton.LeftButton)
    assert get_ai_config(ctx.workspace)["chat_model"] == before
    assert not pane.catalog.restore_btn.isEnabled()
    # archive hides the model from the compare pickers
    assert pane.catalog.select_model("my-served-model")
    qtbot.mouseClick(pane.catalog.archive_btn, Qt.MouseButton.LeftButton)
    assert next(r for r in catalog_cells(pane) if r[0] == "my-served-model")[4] == "archived"
    assert pane.compare.model_a_combo.findData("my-served-model") < 0
    assert pane.catalog.archive_btn.text() == "Unarchive"


def test_compare_20_prompts_votes_by_keyboard_and_reopen(ctx, qtbot, fake, tmp_path):
    ws = ctx.workspace
    make_dataset(ws, n=30)
    completed_job(ws, fake)
    pane = make_pane(ctx, qtbot)
    pane.catalog.select_model(FT)
    qtbot.mouseClick(pane.catalog.compare_btn, Qt.MouseButton.LeftButton)
    view = pane.compare
    assert pane.tabs.currentWidget() is view
    assert view.model_a_combo.currentData() == FT and view.model_b_combo.currentText() == BASE  # B defaults to the base
    assert view.limit_spin.value() == 50
    view.limit_spin.setValue(20)
    assert view.current_source() == ("dataset", "support")
    progress = []
    ctx.tasks.task_started.connect(lambda t: t.signals.progress.connect(lambda d, n, _m: progress.append((d, n))))
    assert view.run() is not None
    assert progress[-1] == (20, 20) and len(progress) == 20
    assert view.comparison is not None and view.comparison.status == "completed"
    assert len(fake.requests_to("/chat/completions")) == 40
    m = view.rows_model
    assert m.rowCount() == 20
    first = m.row_dict(0)
    assert m.data(m.index(0, 3)).startswith("Hold the power button of device 0")
    assert m.data(m.index(0, 4)) == "Try turning it off and on again."
    assert m.data(m.index(0, 5)) == "1.00" and float(m.data(m.index(0, 6))) < 0.5
    # the selected row shows the reference and the diff of A vs B
    assert view.reference_view.toPlainText() == first["reference"]
    assert view.diff.left_edit.toPlainText().startswith("Hold the power button")
    assert view.diff.right_edit.toPlainText().startswith("Try turning")
    assert view.diff.model.change_count >= 1
    assert "ROUGE-L 1.00" in view.diff.left_title.text()
    # votes with the keyboard: each vote moves to the next prompt
    view.table.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(view.table, key)
    assert [m.row_dict(i)["vote"] for i in range(6)] == ["a", "a", "a", "b", "tie", None]
    assert m.data(m.index(3, 7)) == "B better"
    view.table.selectRow(4)
    qtbot.keyClick(view.table, Qt.Key.Key_0)  # clears the tie
    view.table.selectRow(4)
    qtbot.mouseClick(view.vote_buttons["a"], Qt.MouseButton.LeftButton)
    stored = models.get_comparison(ws, view.comparison.comparison_id)
    assert [r["vote"] for r in stored.rows[:6]] == ["a", "a", "a", "b", "a", None]
    text = view.summary_label.text()
    assert "Closer to the reference: A 20, B 0, tie 0" in text
    assert "ROUGE-L 1.00" in text and "exact 1.00" in text and "exact 0.00" in text
    lo, hi = stored.summary["votes"]["ci95"]
    assert stored.summary["votes"]["a_rate"] == pytest.approx(0.8)
    assert "A's win rate 80%" in text and f"95% interval {lo * 100:.0f}–{hi * 100:.0f}%" in text
    assert "Votes: A 4, B 1, tie 0, not voted 15" in text
    view.table.selectRow(3)
    shot(pane, "models_compare")
    # export
    out = view.export(str(tmp_path / "cmp.csv"))
    assert out.read_text(encoding="utf-8").count("\n") == 21
    lines = view.export(str(tmp_path / "cmp.jsonl")).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20 and json.loads(lines[3])["vote"] == "b"
    # the catalog shows the last comparison
    pane.tabs.setCurrentWidget(pane.catalog)
    assert catalog_cells(pane)[0][6].startswith(f"#{stored.comparison_id} (completed) · closer A 20 / B 0")
    shot(pane, "models_catalog_compared")
    cid = stored.comparison_id

    # reopen the workspace: a new context on the same folder, the comparison reopened from the list
    path = ws.path
    pane.close()
    ws2 = Workspace.open(path)
    tasks = TaskManager(synchronous=True)
    ctx2 = AppContext(workspace=ws2, tasks=tasks, undo_stack=QUndoStack(), events=Events())
    try:
        pane2 = make_pane(ctx2, qtbot)
        v2 = pane2.compare
        pane2.tabs.setCurrentWidget(v2)
        i = v2.stored_combo.findData(cid)
        assert i >= 0 and FT in v2.stored_combo.itemText(i)
        v2.stored_combo.setCurrentIndex(i)
        qtbot.mouseClick(v2.open_btn, Qt.MouseButton.LeftButton)
        assert v2.rows_model.rowCount() == 20
        assert [v2.rows_model.row_dict(k)["vote"] for k in range(6)] == ["a", "a", "a", "b", "a", None]
        assert "A's win rate 80%" in v2.summary_label.text()
        assert v2.diff.right_edit.toPlainText().startswith("Try turning")
    finally:
        tasks.shutdown()
        ws2.close()


def test_prompts_file_error_is_shown_not_raised(ctx, qtbot, fake, tmp_path, monkeypatch):
    completed_job(ctx.workspace, fake)
    pane = make_pane(ctx, qtbot)
    bad = tmp_path / "prompts.jsonl"
    bad.write_text('{"prompt": "ok"}\n{"prompt": 12}\n', encoding="utf-8")
    pane.open_compare(FT)
    pane.compare.choose_prompts_file(str(bad))
    shown = []
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, msg: shown.append((title, msg)))
    pane.compare.run()
    assert shown and "prompts.jsonl, line 2" in shown[0][1]
    assert pane.compare.comparison is None and pane.compare.run_btn.isEnabled()


def test_cancel_keeps_the_answered_rows(workspace, qtbot, fake):
    """A real (threaded) task: Cancel in the progress strip stops the run; what was answered is shown."""
    make_dataset(workspace, n=30)
    completed_job(workspace, fake)
    fake.latency_s = 0.15
    tasks = TaskManager(synchronous=False)
    c = AppContext(workspace=workspace, tasks=tasks, undo_stack=QUndoStack(), events=Events())
    try:
        pane = make_pane(c, qtbot)
        pane.open_compare(FT)
        view = pane.compare
        view.limit_spin.setValue(30)
        assert view.run() is not None
        assert not view.run_btn.isEnabled() and view.strip.isVisible()
        qtbot.waitUntil(lambda: view.strip.bar.value() >= 2, timeout=20_000)
        qtbot.mouseClick(view.strip.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not view.strip.busy and view.comparison is not None, timeout=20_000)
        assert view.comparison.status == "cancelled" and view.run_btn.isEnabled()
        answered = [view.rows_model.row_dict(i) for i in range(view.rows_model.rowCount())]
        done = [r for r in answered if r["a"] is not None]
        assert 2 <= len(done) < 30 and all(r["b"] == "Try turning it off and on again." for r in done)
        assert "(cancelled)" in view.summary_label.text()
    finally:
        assert tasks.shutdown(20_000)


def test_rows_where_a_model_failed_show_the_error(ctx, qtbot, fake):
    from fakes.server import Reply

    def picky(body):
        if body["model"] == FT and "device number 3" in body["messages"][-1]["content"]:
            return Reply(400, {"error": {"message": "content policy", "type": "invalid_request_error", "param": None,
                                         "code": None}})
        return responder(body)

    fake.responder = picky
    make_dataset(ctx.workspace, n=5)
    completed_job(ctx.workspace, fake)
    pane = make_pane(ctx, qtbot)
    pane.open_compare(FT)
    pane.compare.limit_spin.setValue(5)
    pane.compare.run()
    view = pane.compare
    m = view.rows_model
    assert m.rowCount() == 5 and m.data(m.index(3, 3)).startswith("[error]") and "content policy" in m.data(m.index(3, 3))
    assert m.data(m.index(3, 4)) == "Try turning it off and on again."
    view.table.selectRow(3)
    assert view.diff.left_edit.toPlainText().startswith("[error]")
    assert "errors: A 1, B 0" in view.summary_label.text()
