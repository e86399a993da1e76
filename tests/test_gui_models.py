"""The Models pane (issue 12): catalog, deploy, and a comparison against the loopback OpenAI fake."""

from __future__ import annotations

import json
import threading

import pytest
from finetune_helpers import make_dataset
from compare_helpers import BASE, FT, JUDGE, helpdesk_workspace, responder
from gui_helpers import palette, shot
from test_gui_screens import clipped_texts
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake, openai_ft_fake  # noqa: F401
from fakes.openai_fake import DEFAULT_MODELS
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import models
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.store.models_catalog import ComparisonRow
from fineflow_desktop.store.models_finetune import FineTuneJob
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.models import ModelsPane
from fineflow_desktop.workers import TaskManager

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
    # this job row was made without a validation split: the first dataset is the default source
    assert view.current_source() == ("dataset", "support")
    # run parameters start from the workspace defaults (AI Settings), visibly
    defaults = get_ai_config(ws)
    rp = view.run_params
    assert (rp.temperature.value(), rp.max_tokens.value(), rp.instructions.text()) == (
        defaults["temperature"], defaults["max_tokens"], defaults["instructions"])
    assert rp.state_label.text() == "Workspace defaults (AI Settings)"
    rp.temperature.setValue(0.0)  # a per-run override, shown as such
    assert rp.state_label.text() == "Overridden: temperature"
    # the judge: any credential and model, the built-in versioned judge template
    view.judge.enabled.setChecked(True)
    view.judge.credential.setCurrentText("oa")
    view.judge.model.setCurrentText(JUDGE)
    assert view.judge.template.currentText() == "builtin-judge v1"
    progress = []
    ctx.tasks.task_started.connect(lambda t: t.signals.progress.connect(lambda d, n, _m: progress.append((d, n))))
    assert view.run() is not None
    # one step per prompt, then the cosine pass (indeterminate)
    assert progress[:20] == [(i, 20) for i in range(1, 21)] and progress[20:] == [(0, 0)]
    assert view.comparison is not None and view.comparison.status == "completed"
    bodies = fake.chat_bodies()
    assert len(bodies) == 60 and sum(b["model"] == JUDGE for b in bodies) == 20  # A, B and the judge per prompt
    assert {b["temperature"] for b in bodies if b["model"] != JUDGE} == {0.0}
    assert {b.get("max_completion_tokens", b.get("max_tokens")) for b in bodies if b["model"] != JUDGE} == {defaults["max_tokens"]}
    m = view.rows_model
    assert m.rowCount() == 20
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == ["#", "Prompt", "Reference", "Answer A", "Answer B", "ROUGE-L A", "ROUGE-L B", "Cosine A",
                       "Cosine B", "Judge", "Vote"]
    first = m.row_dict(0)
    assert m.data(m.index(0, 3)).startswith("Hold the power button of device 0")
    assert m.data(m.index(0, 4)) == "Try turning it off and on again."
    assert m.data(m.index(0, 5)) == "1.00" and float(m.data(m.index(0, 6))) < 0.5
    assert m.data(m.index(0, 7)) == "1.00" and float(m.data(m.index(0, 8))) < 0.5  # cosine with the offline embedder
    assert [m.data(m.index(i, 9)) for i in range(20)] == ["A better"] * 5 + ["error"] + ["A better"] * 14
    # the selected row shows the reference, the diff of A vs B, its scores and the judge's verdict
    assert view.reference_view.toPlainText() == first["reference"]
    assert view.diff.left_edit.toPlainText().startswith("Hold the power")
    assert view.diff.right_edit.toPlainText().startswith("Try turning")
    assert view.diff.model.change_count >= 1
    assert "ROUGE-L 1.00 · cosine 1.00" in view.diff.left_title.text()
    assert view.scores_label.text().startswith("A: exact 1.00 · F1 1.00 · ROUGE-L 1.00 · cosine 1.00")
    assert view.judge_label.text() == "Judge: A better (A shown first) — answer 1 gives the reference's steps"
    view.table.selectRow(1)
    assert view.judge_label.text().startswith("Judge: A better (B shown first)")  # positions alternate
    view.table.selectRow(5)
    assert view.judge_label.text().startswith("Judge: error — no verdict")
    view.table.selectRow(0)
    # votes with the keyboard: each vote moves to the next prompt
    view.table.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(view.table, key)
    assert [m.row_dict(i)["vote"] for i in range(6)] == ["a", "a", "a", "b", "tie", None]
    assert m.data(m.index(3, 10)) == "B better"
    view.table.selectRow(4)
    qtbot.keyClick(view.table, Qt.Key.Key_0)  # clears the tie
    view.table.selectRow(4)
    qtbot.mouseClick(view.vote_buttons["a"], Qt.MouseButton.LeftButton)
    stored = models.get_comparison(ws, view.comparison.comparison_id)
    assert [r["vote"] for r in stored.rows[:6]] == ["a", "a", "a", "b", "a", None]
    text = view.summary_label.text()
    assert "Closer to the reference: A 20, B 0, tie 0 · by cosine: A 20, B 0, tie 0" in text
    assert "ROUGE-L 1.00" in text and "exact 1.00" in text and "exact 0.00" in text and "cosine 1.00" in text
    lo, hi = stored.summary["votes"]["ci95"]
    assert stored.summary["votes"]["a_rate"] == pytest.approx(0.8)
    assert "A's win rate 80%" in text and f"95% interval {lo * 100:.0f}–{hi * 100:.0f}%" in text
    assert "Votes: A 4, B 1, tie 0, not voted 15" in text
    jlo, jhi = stored.summary["judge"]["ci95"]
    assert f"Judge: A 19, B 0, tie 0, errors 1 · A's judged win rate 100% (95% interval {jlo * 100:.0f}–100%)" in text
    params = view.params_label.text()
    assert "Ran with temperature 0.0, max tokens 1024 (overridden: temperature)" in params
    assert "prompts: dataset support" in params and "cosine: fineflow-lsa fitted on this comparison" in params
    assert f"judge: {JUDGE} via oa, template builtin-judge v1" in params
    view.table.selectRow(3)
    shot(pane, "models_compare")
    for dark in (False, True):
        with palette(dark):
            view.table.selectRow(1)
            for w, h in ((1100, 700), (1280, 820)):
                pane.resize(w, h)
                shot(pane, f"compare12-{'dark' if dark else 'light'}" + ("" if w == 1280 else f"-{w}x{h}"))
                assert clipped_texts(view) == [], (w, h)
            view.show_setup(True)  # the run's setup (parameters override, judge) above the results
            shot(pane, f"compare12-{'dark' if dark else 'light'}-setup")
            assert clipped_texts(view) == []
            view.show_setup(False)
    # export
    out = view.export(str(tmp_path / "cmp.csv"))
    assert out.read_text(encoding="utf-8").count("\n") == 21
    lines = view.export(str(tmp_path / "cmp.jsonl")).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20 and json.loads(lines[3])["vote"] == "b" and json.loads(lines[0])["judge"]["winner"] == "a"
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
        assert "A's win rate 80%" in v2.summary_label.text() and "Judge: A 19, B 0, tie 0, errors 1" in v2.summary_label.text()
        assert v2.diff.right_edit.toPlainText().startswith("Try turning")
        assert v2.rows_model.data(v2.rows_model.index(0, 7)) == "1.00" and v2.rows_model.data(v2.rows_model.index(0, 9)) == "A better"
        assert v2.judge_label.text().startswith("Judge: A better") and "(overridden: temperature)" in v2.params_label.text()
    finally:
        tasks.shutdown()
        ws2.close()


def test_held_out_split_is_the_default_source_for_a_launched_job(ctx, qtbot, openai_ft_fake):  # noqa: F811
    """A real launch with a 25% validation split on the fine-tuning fake: its model's compare
    defaults to the 20 held-out prompts the launch uploaded as the validation file."""
    from finetune_helpers import add_credential, sync_until_terminal

    from fineflow_desktop.services import finetune as ft

    fake = openai_ft_fake
    fake.responder = responder
    ws = ctx.workspace
    make_dataset(ws, n=80)
    add_credential(ws, fake, name="oa")
    job = ft.create_job(ws, ft.JobSpec(dataset="support", credential="oa", model=BASE, validation_split=0.25))
    model = sync_until_terminal(ws, job.id).fine_tuned_model
    pane = make_pane(ctx, qtbot)
    pane.open_compare(model)
    view = pane.compare
    assert view.current_source() == ("job", job.id)
    assert view.source_combo.currentText() == f"held-out split of job #{job.id} (20 examples)"
    assert view.model_b_combo.currentText() == BASE
    assert view.run() is not None
    c = view.comparison
    assert c.status == "completed" and len(c.rows) == 20 and view.rows_model.rowCount() == 20
    valid = fake.files[fake.created[0]["validation_file"]]["content"].decode()
    assert all(f'"{r["prompt"]}"' in valid for r in c.rows)  # exactly the held-out examples
    assert c.summary["closer_by"]["cosine"] == {"a": 20, "b": 0, "tie": 0}
    assert f"prompts: held-out split of job #{job.id} (validation.jsonl)" in view.params_label.text()


def test_typed_prompts_and_the_playground(ctx, qtbot, fake):
    ws = ctx.workspace
    completed_job(ws, fake)
    helpdesk_workspace(ws)
    pane = make_pane(ctx, qtbot)
    pane.open_compare(FT)
    view = pane.compare
    # typed / pasted prompts: one per line (the box shows only for that source; here the only one)
    assert view.sources == [("typed", None)] and view.typed_edit.isVisible()
    view.typed_edit.setPlainText("How do I reset device number 1?\n\nHow do I reset device number 2?\n")
    assert view.run() is not None
    c = view.comparison
    assert [r["prompt"] for r in c.rows] == ["How do I reset device number 1?", "How do I reset device number 2?"]
    assert c.rows[0]["a"].startswith("Hold the power") and c.params["overridden"] == []
    assert all(b["messages"][0] == {"role": "system", "content": "You are the device helpdesk."} for b in fake.chat_bodies())
    assert view.reference_view.toPlainText().startswith("(no reference")
    # a bad JSONL line is reported with its line number, nothing is run
    view.typed_edit.setPlainText('{"prompt": "ok"}\n{"prompt": 3}')
    shown = []
    from PySide6.QtWidgets import QMessageBox
    orig = QMessageBox.warning
    QMessageBox.warning = lambda _p, title, msg: shown.append(msg)
    try:
        view.run()
    finally:
        QMessageBox.warning = orig
    assert shown == ["typed prompts, line 2: field 'prompt' (text) or 'messages' (list) is missing"]
    # the playground: the deployed model, the workspace instructions, the RAG context beside the answer
    view.detail_tabs.setCurrentWidget(view.playground)
    pg = view.playground
    assert f"Deployed chat model: {FT} via oa" in pg.target_label.text() and "RAG on" in pg.target_label.text()
    qtbot.keyClicks(pg.prompt_edit, "How do I reset device number 4?")
    qtbot.keyClick(pg.prompt_edit, Qt.Key.Key_Return)
    assert pg.answer_view.toPlainText() == "Hold the power button of device 4 for ten seconds."
    assert "[1] manual:Helpdesk notes" in pg.context_view.toPlainText() and "paperclip" in pg.context_view.toPlainText()
    sent = fake.chat_bodies()[-1]
    assert sent["model"] == FT and "paperclip" in sent["messages"][0]["content"]
    assert sent["messages"][0]["content"].startswith("You are the device helpdesk.")
    assert "(workspace defaults)" in pg.target_label.text()
    shot(pane, "compare12-playground")
    # new AI Settings reach untouched run parameters; an override survives them
    from fineflow_desktop.services.retrieval import set_ai_config

    set_ai_config(ws, temperature=0.2)
    pane.reload()
    assert view.run_params.temperature.value() == 0.2 and view.run_params.overridden() == []
    view.run_params.max_tokens.setValue(64)
    set_ai_config(ws, temperature=0.4)
    pane.reload()
    assert (view.run_params.temperature.value(), view.run_params.max_tokens.value()) == (0.2, 64)
    assert view.run_params.overridden() == ["temperature", "max_tokens"]
    qtbot.mouseClick(view.run_params.reset_btn, Qt.MouseButton.LeftButton)
    assert view.run_params.temperature.value() == 0.4 and view.run_params.overridden() == []


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
    # The first three prompts (the run reports progress in prompt order) are answered; the others
    # wait until Cancel has been clicked. Without the gate a loaded machine could answer all 30
    # before the click landed (a flaky "completed").
    gate, first_three = threading.Event(), []

    def gated(body):
        if not first_three:  # the comparison's rows are stored before its first request
            with workspace.session() as s:
                first_three.extend(r[-1]["content"] for r in s.scalars(
                    select(ComparisonRow.prompt).where(ComparisonRow.idx < 3)))
        if body["messages"][-1]["content"] not in first_three:
            gate.wait(60)
        return responder(body)

    fake.responder = gated
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
        gate.set()  # the calls in flight finish; no new prompt starts
        qtbot.waitUntil(lambda: not view.strip.busy and view.comparison is not None, timeout=20_000)
        assert view.comparison.status == "cancelled" and view.run_btn.isEnabled()
        answered = [view.rows_model.row_dict(i) for i in range(view.rows_model.rowCount())]
        done = [r for r in answered if r["a"] is not None]
        assert 2 <= len(done) < 30 and all(r["b"] == "Try turning it off and on again." for r in done)
        assert "(cancelled)" in view.summary_label.text()
    finally:
        gate.set()
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


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_compare_tab_fits_the_smallest_window(tmp_path, qtbot, fake, dark):
    """The compare tab in the real window at 1100×700 (the smallest size the screens test checks),
    setup open with typed prompts, then a comparison shown: nothing cut, no scrolling needed."""
    from fineflow_desktop.ui.main_window import MainWindow

    ws = Workspace.open(tmp_path / "small")
    completed_job(ws, fake)
    win = MainWindow(ws, synchronous_tasks=True)
    qtbot.addWidget(win)
    try:
        with palette(dark):
            win.show()
            win.resize(1100, 700)
            pane = win.show_pane(ModelsPane)
            pane.open_compare(FT)
            view = pane.compare
            assert view.current_source() == ("typed", None) and view.typed_edit.isVisible()
            qtbot.wait(5)
            assert win.width() == 1100 and win.height() == 700  # the pane's minimum size fits
            shot(win, f"compare12-window-1100x700-setup-{'dark' if dark else 'light'}")
            assert clipped_texts(view) == []
            view.typed_edit.setPlainText("How do I reset device number 1?\nHow do I reset device number 2?")
            assert view.run() is not None and not view.setup_box.isVisible()
            assert view.setup_btn.text() == "New comparison ▾"
            qtbot.wait(5)
            shot(win, f"compare12-window-1100x700-results-{'dark' if dark else 'light'}")
            assert clipped_texts(view) == [] and view.rows_model.rowCount() == 2
            qtbot.mouseClick(view.setup_btn, Qt.MouseButton.LeftButton)
            assert view.setup_box.isVisible() and view.setup_btn.text() == "Hide setup ▴"
    finally:
        win.close()
        ws.close()
