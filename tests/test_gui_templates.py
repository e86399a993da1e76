"""Templates pane end to end with real widgets: create, edit twice, preview, publish, diff, restore,
generation lookup, executions (feedback, re-run, regenerate), screenshots in light and dark."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QTextCursor, QUndoStack
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from fineflow_desktop.providers.base import ChatResult, ModelInfo
from fineflow_desktop.services import templates as svc
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.templates import TemplatesPane
from fineflow_desktop.ui.templates.pane import NewTemplateDialog
from fineflow_desktop.ui.templates.models import ExecutionsModel, HistoryModel
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.ui.effects import Effect

SCREENS = Path("/work/screens/templates")
V1 = "Hello {{name}}.\nWrite about {{topic}}.\nThanks.\n"


class FakeProvider:
    """Local ChatProvider stand-in (same call shape and result type as the real adapters)."""

    name = "openai"

    def __init__(self):
        self.calls = []

    def chat(self, messages, model, *, temperature=0.7, max_tokens=1024, json_mode=False, timeout_s=60.0):
        self.calls.append((messages, model, temperature, max_tokens))
        prompt = messages[-1]["content"]
        return ChatResult(text=f"[{model}] {prompt[:30]}", model=model, input_tokens=len(prompt.split()),
                          output_tokens=5, latency_s=0.0)

    def list_models(self):
        return [ModelInfo("gpt-4o-mini")]


def dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2d30", QPalette.ColorRole.WindowText: "#dfe1e5",
        QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#dfe1e5", QPalette.ColorRole.Button: "#393b40",
        QPalette.ColorRole.ButtonText: "#dfe1e5", QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#8c8f94",
        QPalette.ColorRole.ToolTipBase: "#393b40", QPalette.ColorRole.ToolTipText: "#dfe1e5",
    }
    for role, c in colors.items():
        p.setColor(role, QColor(c))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f737a"))
    return p


@pytest.fixture
def provider():
    return FakeProvider()


def make_pane(qtbot, workspace, provider, synchronous=True):
    ctx = AppContext(workspace, TaskManager(synchronous=synchronous), QUndoStack(), Events())
    pane = TemplatesPane(ctx, provider_source=lambda: {"work-key": provider})
    qtbot.addWidget(pane)
    pane.resize(1500, 860)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def set_cursor(edit, line: int, column: int):
    cursor = QTextCursor(edit.document().findBlockByNumber(line))
    cursor.movePosition(QTextCursor.MoveOperation.Right, n=column)
    edit.setTextCursor(cursor)
    edit.setFocus()


def click_row(qtbot, table, row: int):
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def save(qtbot, pane, note):
    pane.editor.note_edit.clear()
    qtbot.keyClicks(pane.editor.note_edit, note)
    assert pane.editor.save_button.isEnabled()
    qtbot.mouseClick(pane.editor.save_button, Qt.MouseButton.LeftButton)


def test_templates_workflow(qtbot, workspace, provider):
    pane = make_pane(qtbot, workspace, provider)
    assert pane.template_list.count() == 4  # built-ins seeded at first use

    # --- create through the New dialog (modal: filled from a timer) ---
    def fill_dialog():
        dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, NewTemplateDialog) and w.isVisible()), None)
        if dlg is None:  # exec() has not shown it yet
            QTimer.singleShot(10, fill_dialog)
            return
        qtbot.keyClicks(dlg.slug_edit, "greeting")
        qtbot.keyClicks(dlg.name_edit, "Greeting")
        dlg.mode_combo.setCurrentIndex(dlg.mode_combo.findData("qa"))
        dlg.body_edit.setPlainText(V1)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_dialog)
    qtbot.mouseClick(pane.new_button, Qt.MouseButton.LeftButton)
    assert pane.selected_slug() == "greeting"
    assert pane.editor.version.number == 1 and pane.editor.body() == V1
    assert pane.editor.variables_label.text() == "Variables (2): name, topic"

    # --- edit 1: insert a word by typing ---
    set_cursor(pane.editor.body_edit, 0, len("Hello "))
    qtbot.keyClicks(pane.editor.body_edit, "dear ")
    assert "unsaved changes" in pane.editor.header_label.text()
    assert not pane.preview.execute_button.isEnabled()  # unsaved: executions need a saved version
    save(qtbot, pane, "warmer greeting")
    assert pane.editor.version.number == 2 and not pane.editor.is_dirty()

    # --- edit 2: change a word, add a line with a new variable; a typo shows a live syntax error ---
    set_cursor(pane.editor.body_edit, 2, len("Thanks"))
    qtbot.keyClick(pane.editor.body_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(pane.editor.body_edit, " you")
    qtbot.keyClick(pane.editor.body_edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(pane.editor.body_edit, "Reply in {{language")
    assert pane.editor.issues_label.isVisible()
    assert pane.editor.issues_label.text().startswith("Line 4, column 10: unclosed placeholder")
    assert "Line 4, column 10" in pane.preview.errors_label.text()
    SCREENS.mkdir(parents=True, exist_ok=True)
    pane.grab().save(str(SCREENS / "editor_syntax_error_light.png"))
    qtbot.keyClicks(pane.editor.body_edit, "}}.")
    qtbot.keyClick(pane.editor.body_edit, Qt.Key.Key_Return)
    assert not pane.editor.issues_label.isVisible()
    save(qtbot, pane, "language rule")
    v3 = pane.editor.version
    assert v3.number == 3 and v3.body == "Hello dear {{name}}.\nWrite about {{topic}}.\nThank you.\nReply in {{language}}.\n"
    assert v3.parent_number == 2

    # --- preview with missing variables: errors while typing values ---
    pv = pane.preview
    assert [pv.context_table.item(r, 0).text() for r in range(pv.context_table.rowCount())] == ["name", "topic", "language"]
    assert pv.errors_label.isVisible() and pv.errors_label.text() == "Missing variables: name, topic, language"
    pv.context_table.setCurrentCell(0, 1)
    pv.context_table.editItem(pv.context_table.item(0, 1))
    cell_editor = pv.context_table.viewport().findChild(QLineEdit)
    qtbot.keyClicks(cell_editor, "Zoe")  # QTest types ASCII only
    qtbot.keyClick(cell_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pv.context_table.item(0, 1).text() == "Zoe")  # the delegate commits queued
    assert pv.errors_label.text() == "Missing variables: topic, language"
    assert "Hello dear Zoe." in pv.rendered_edit.toPlainText()
    assert "{{topic}}" in pv.rendered_edit.toPlainText()  # missing ones stay visible
    assert not pv.execute_button.isEnabled()
    SCREENS.mkdir(parents=True, exist_ok=True)
    pane.grab().save(str(SCREENS / "pane_light_missing_variables.png"))
    qtbot.mouseClick(pv.sample_button, Qt.MouseButton.LeftButton)
    assert not pv.errors_label.isVisible()
    assert pv.rendered_edit.toPlainText().startswith("Hello dear [name_value].")
    assert pv.tokens_label.text().endswith("tokens (o200k_base)")

    # --- publish v3 ---
    assert pane.editor.publish_button.isEnabled()
    qtbot.mouseClick(pane.editor.publish_button, Qt.MouseButton.LeftButton)
    assert svc.published_version(workspace, "greeting").number == 3
    assert "published v3" in pane.template_list.currentItem().text()

    # --- execute the preview, then audit: feedback, re-run, regenerate ---
    assert pv.execute_button.isEnabled()
    qtbot.mouseClick(pv.execute_button, Qt.MouseButton.LeftButton)
    assert pv.result_edit.toPlainText().startswith("[gpt-4o-mini] Hello dear [name_value].")
    ex = pane.executions
    pane.tabs.setCurrentWidget(ex)
    assert ex.model.rowCount() == 1
    click_row(qtbot, ex.table, 0)
    assert "preview" in ex.detail_edit.toPlainText() and "[name_value]" in ex.detail_edit.toPlainText()
    qtbot.mouseClick(ex.up_button, Qt.MouseButton.LeftButton)
    assert ex.selected().feedback == 1 and "feedback +1 / −0" in ex.metrics_label.text()
    first_id = ex.selected().id
    qtbot.mouseClick(ex.rerun_button, Qt.MouseButton.LeftButton)
    assert ex.model.rowCount() == 2 and ex.selected().rerun_of_id == first_id
    assert provider.calls[0] == provider.calls[1]
    click_row(qtbot, ex.table, 1)
    ex.regenerate(context={"name": "Ann", "topic": "tea", "language": "English"}, model="gpt-4o")
    assert ex.selected().regenerated_from_id == first_id and ex.selected().model == "gpt-4o"
    ex.model_combo.setCurrentIndex(ex.model_combo.findData("gpt-4o"))
    assert ex.model.rowCount() == 1 and ex.metrics_label.text().startswith("1 execution ·")
    ex.model_combo.setCurrentIndex(0)
    click_row(qtbot, ex.table, 0)
    pane.grab().save(str(SCREENS / "executions_light.png"))

    # --- diff v1 <-> v3 in the Compare tab ---
    cmp = pane.compare
    pane.tabs.setCurrentWidget(cmp)
    cmp.left_combo.setCurrentIndex(cmp.left_combo.findData(1))
    cmp.right_combo.setCurrentIndex(cmp.right_combo.findData(3))
    dv = cmp.diff_view
    assert [r.kind for r in dv.model.rows] == ["replace", "equal", "replace", "insert"]
    assert dv.count_label.text() == "2 changes · +1 −0 ~2 lines"  # rows 2-3 form one change
    style = dv.style_in_use
    left_doc, right_doc = dv.left_edit.document(), dv.right_edit.document()
    assert left_doc.blockCount() == right_doc.blockCount() == 4

    def block_bg(doc, n):
        return doc.findBlockByNumber(n).blockFormat().background()

    def word_ranges(doc, n, color):
        block, out = doc.findBlockByNumber(n), []
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().background().color() == color and frag.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                out.append((frag.position() - block.position(), frag.position() - block.position() + frag.length()))
            it += 1
        return out

    assert block_bg(right_doc, 0).color() == style.modified and block_bg(left_doc, 0).color() == style.modified
    assert block_bg(left_doc, 1).style() == Qt.BrushStyle.NoBrush
    assert block_bg(right_doc, 3).color() == style.added
    assert block_bg(left_doc, 3).style() == Qt.BrushStyle.BDiagPattern  # filler opposite the inserted line
    assert left_doc.findBlockByNumber(3).text() == "" and dv.left_edit.line_numbers == [1, 2, 3, None]
    # changed words: "dear " inserted in line 1; "Thanks" -> "Thank you" in line 3
    right1 = right_doc.findBlockByNumber(0).text()
    assert word_ranges(right_doc, 0, style.added_word) == [(5, 10)] and right1[5:10] == " dear"
    assert word_ranges(left_doc, 0, style.removed_word) == []
    assert word_ranges(left_doc, 2, style.removed_word) == [(0, 6)]  # "Thanks"
    assert word_ranges(right_doc, 2, style.added_word) == [(0, 9)]  # "Thank you"
    # next/previous change with the keyboard
    pane.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pane)  # shortcuts need an active window
    dv.left_edit.setFocus()
    qtbot.keyClick(dv.left_edit, Qt.Key.Key_F7)
    assert dv.current_change == 0 and dv.right_edit.textCursor().blockNumber() == 0
    qtbot.keyClick(dv.left_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert dv.current_change == 1 and dv.left_edit.textCursor().blockNumber() == 2
    qtbot.keyClick(dv.left_edit, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert dv.current_change == 0
    qtbot.mouseClick(dv.unified_toggle, Qt.MouseButton.LeftButton)
    assert dv.stack.currentIndex() == 1
    assert "+Reply in {{language}}." in dv.unified_edit.toPlainText().splitlines()
    qtbot.mouseClick(dv.unified_toggle, Qt.MouseButton.LeftButton)
    dv.grab().save(str(SCREENS / "diff_v1_v3_light.png"))

    # --- restore v1 from History: a new v4 equal to v1 ---
    hist = pane.history
    pane.tabs.setCurrentWidget(hist)
    assert [e.version.number for e in hist.model.items] == [3, 2, 1]
    assert hist.model.items[0].changeset.summary() == "body +1 −0 ~1 lines"
    click_row(qtbot, hist.table, 2)
    assert hist.selected().version.number == 1
    qtbot.mouseClick(hist.restore_button, Qt.MouseButton.LeftButton)
    v4 = svc.version(workspace, "greeting")
    assert v4.number == 4 and v4.snapshot() == svc.version(workspace, "greeting", 1).snapshot()
    assert hist.message_label.text() == "Restored v1 as new draft v4."
    assert [e.version.number for e in hist.model.items] == [4, 3, 2, 1]
    assert pane.editor.version.number == 4 and pane.editor.body() == V1
    assert svc.published_version(workspace, "greeting").number == 3  # a draft does not replace it
    # compare-with-parent default on the new version
    qtbot.mouseClick(hist.compare_button, Qt.MouseButton.LeftButton)
    assert pane.tabs.currentWidget() is pane.compare
    assert (pane.compare.left_combo.currentData(), pane.compare.right_combo.currentData()) == (3, 4)

    # --- a generation run uses (and records) the published version ---
    vid, body = svc.generation_template_for(workspace, "qa")
    assert vid == v3.id and body == v3.body
    eid = svc.record_execution(workspace, vid, {"name": "x", "topic": "y", "language": "z"}, "prompt",
                               provider="openai", model="gpt-4o-mini", run_id=1)
    svc.update_execution(workspace, eid, status="completed", output="{}")
    ex.load(pane._template_id())
    ex.kind_combo.setCurrentIndex(ex.kind_combo.findData(False))
    assert [(e.id, e.version_number, e.is_preview) for e in ex.model.items] == [(eid, 3, False)]


def test_history_and_execution_models_pass_qtmodeltester(qtmodeltester, workspace):
    svc.create_template(workspace, "t", "a {{x}}")
    svc.edit_template(workspace, "t", body="b {{x}}", note="n")
    hm = HistoryModel()
    hm.set_items(svc.history(workspace, "t"))
    qtmodeltester.check(hm)
    assert hm.data(hm.index(0, 5)) == "body +0 −0 ~1 lines"
    vid = svc.version(workspace, "t").id
    svc.record_execution(workspace, vid, {"x": 1}, "b 1", provider="openai", model="m")
    em = ExecutionsModel()
    em.set_items(svc.list_executions(workspace))
    qtmodeltester.check(em)
    assert em.data(em.index(0, 5)) == "pending"


def test_execute_on_real_worker_thread(qtbot, workspace, provider):
    pane = make_pane(qtbot, workspace, provider, synchronous=False)
    pane.select("builtin-qa")
    pv = pane.preview
    qtbot.mouseClick(pv.sample_button, Qt.MouseButton.LeftButton)
    assert pv.execute_button.isEnabled()
    with qtbot.waitSignal(pv.executed, timeout=10_000):
        qtbot.mouseClick(pv.execute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not pane.ctx.tasks.running(), timeout=10_000)
    assert pv.result_edit.toPlainText().startswith("[gpt-4o-mini] Source document:")
    assert pane.executions.model.rowCount() == 1
    assert pane.executions.model.items[0].template_slug == "builtin-qa"
    assert pane.ctx.tasks.shutdown(5000)


def test_search_tags_import_export(qtbot, workspace, provider, tmp_path):
    pane = make_pane(qtbot, workspace, provider)
    svc.create_template(workspace, "support-faq", "Q: {{q}}", name="Support FAQ", tags=["support"])
    pane.ctx.events.announce({Effect.TEMPLATES})
    qtbot.keyClicks(pane.search_edit, "faq")
    assert [pane.template_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(pane.template_list.count())] == ["support-faq"]
    pane.search_edit.clear()
    pane.tag_combo.setCurrentIndex(pane.tag_combo.findData("support"))
    assert pane.template_list.count() == 1
    pane.tag_combo.setCurrentIndex(0)
    pane.select("support-faq")
    out = tmp_path / "faq.json"
    pane.export_file(str(out))
    assert out.exists() and "Exported 1 template" in pane.list_message.text()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "fineflow-templates", "format_version": 1, "templates": [{"slug": "x"}]}')
    pane.import_file(str(bad))
    assert pane.list_message.text().endswith("templates[0].versions: missing")
    svc.edit_template(workspace, "support-faq", body="Question: {{q}}")
    data = svc.export_templates(workspace, ["support-faq"])
    data["templates"][0]["slug"] = "support-faq-copy"
    import json
    (tmp_path / "copy.json").write_text(json.dumps(data))
    pane.import_file(str(tmp_path / "copy.json"))
    assert "Imported 1 template(s); 2 version(s) added" in pane.list_message.text()
    assert any(pane.template_list.item(i).data(Qt.ItemDataRole.UserRole) == "support-faq-copy"
               for i in range(pane.template_list.count()))


def test_screenshots_light_and_dark(qtbot, workspace, provider):
    """Saves the pane and the diff viewer in both palettes (looked at by the engineer)."""
    svc.ensure_builtin_templates(workspace)
    body = svc.version(workspace, "builtin-qa").body
    v2 = svc.edit_template(workspace, "builtin-qa", body=body.replace("with complete answers", "with complete answers of two or three sentences")
                           .replace("Rules:\n", "Rules:\n- Prefer questions a beginner would ask.\n"), note="beginner focus")
    svc.edit_template(workspace, "builtin-qa", body=v2.body.replace(
        "- Skip navigation text, boilerplate and anything that is not real content.\n", ""), name="Q&A (beginner)",
        tags=["builtin", "generation", "qa", "beginner"], note="drop boilerplate rule")
    app = QApplication.instance()
    original = app.palette()
    SCREENS.mkdir(parents=True, exist_ok=True)
    try:
        for mode in ("light", "dark"):
            app.setPalette(dark_palette() if mode == "dark" else original)
            pane = make_pane(qtbot, workspace, provider)
            pane.select("builtin-qa")
            pane.preview.fill_sample()
            pane.grab().save(str(SCREENS / f"pane_{mode}.png"))
            pane.history.select_number(3)
            pane.tabs.setCurrentWidget(pane.history)
            pane.grab().save(str(SCREENS / f"history_{mode}.png"))
            pane.compare.compare(1, 3)
            pane.tabs.setCurrentWidget(pane.compare)
            qtbot.wait(200)  # let the wrap-on-resize rebuild settle
            pane.compare.diff_view.next_change()
            qtbot.wait(20)
            pane.grab().save(str(SCREENS / f"diff_{mode}.png"))
            style = pane.compare.diff_view.style_in_use
            assert style.dark == (mode == "dark")
            pane.close()
    finally:
        app.setPalette(original)
    assert (SCREENS / "diff_dark.png").stat().st_size > 10_000


def test_unsaved_changes_are_not_dropped_silently(qtbot, workspace, provider):
    pane = make_pane(qtbot, workspace, provider)
    pane.select("builtin-qa")
    qtbot.keyClicks(pane.editor.body_edit, "extra ")
    asked = []
    pane.confirm_discard = lambda: asked.append(1) or False  # user presses Cancel
    pane.select("builtin-auto")
    assert asked and pane.selected_slug() == "builtin-qa" and pane.editor.is_dirty()
    pane.history.select_number(1)
    qtbot.mouseClick(pane.history.open_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and pane.editor.body().startswith("extra ")
    pane.confirm_discard = lambda: True  # Discard
    pane.select("builtin-auto")
    assert pane.selected_slug() == "builtin-auto" and not pane.editor.is_dirty()


def test_regenerate_dialog_validates_json(qtbot, workspace, provider):
    from fineflow_desktop.ui.templates.executions import RegenerateDialog

    pane = make_pane(qtbot, workspace, provider)
    pane.select("builtin-qa")
    qtbot.mouseClick(pane.preview.sample_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.preview.execute_button, Qt.MouseButton.LeftButton)
    ex = pane.executions
    click_row(qtbot, ex.table, 0)
    steps = []

    def drive():
        dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, RegenerateDialog) and w.isVisible()), None)
        if dlg is None:
            QTimer.singleShot(10, drive)
            return
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        dlg.context_edit.setPlainText('{"language": ')
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        steps.append(dlg.error_label.text())
        ctx = dict(ex.selected().context, language="German")
        import json
        dlg.context_edit.setPlainText(json.dumps(ctx))
        dlg.model_edit.clear()
        qtbot.keyClicks(dlg.model_edit, "gpt-4.1")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    qtbot.mouseClick(ex.regenerate_button, Qt.MouseButton.LeftButton)
    assert steps[0].startswith("Context is not valid JSON: line 1, column 14")
    new = ex.selected()
    assert new.model == "gpt-4.1" and new.context["language"] == "German" and new.regenerated_from_id is not None
    assert "German" in new.rendered_prompt
