"""Pair Editor pane, driven like a user: keyboard review, in-place edit, filters, bulk actions,
multi-turn editing, duplicates, help sheet, background scoring. Store checked after each step;
screenshots go to /work/screens/pairs/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from test_pairs_data import build_dataset, db_row

from fineflow_desktop.services import pairs as svc
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.pairs import pane as pane_module
from fineflow_desktop.ui.pairs.delegate import CellEditor
from fineflow_desktop.ui.pairs.help import ShortcutHelp
from fineflow_desktop.ui.pairs.pane import PairsPane
from fineflow_desktop.ui.pairs.table_model import COLUMN_INDEX
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.ui.effects import Effect

SCREENS = Path("/work/screens/pairs")


def shot(widget, name: str) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):  # let timers and the layouts they trigger settle: the picture a user sees
        QApplication.processEvents()
    SCREENS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SCREENS / f"{name}.png"))


def make_pane(qtbot, ws, ds, synchronous=True):
    ctx = AppContext(ws, TaskManager(synchronous=synchronous), QUndoStack(), Events())
    pane = PairsPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1500, 820)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_dataset(ds)
    pane.flush_detail()
    return pane


@pytest.fixture
def env(qtbot, workspace):
    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    pane = make_pane(qtbot, workspace, ds)
    return pane, workspace, ds, ids


def key(qtbot, pane, k, mods=Qt.NoModifier):
    qtbot.keyClick(pane.view, k, mods)
    pane.flush_detail()


def test_opens_on_first_row_with_detail_and_counts(env):
    pane, ws, ds, ids = env
    assert pane.model.rowCount() == len(ids)
    assert pane.current_pair_id() == ids[0] and pane.detail.pair_id == ids[0]
    assert pane.filter_bar.count_label.text() == f"{len(ids)} pairs"
    assert "(A)" in pane.accept_btn.toolTip() and "(R)" in pane.reject_btn.toolTip()
    shot(pane, "pane_open")


def test_keyboard_review_accept_reject_navigate_undo(env, qtbot):
    pane, ws, ds, ids = env
    key(qtbot, pane, Qt.Key_A)  # accept → validated, move on
    assert db_row(ws, ids[0])["validated"] == 1
    assert pane.current_pair_id() == ids[1]
    key(qtbot, pane, Qt.Key_J)
    assert pane.current_pair_id() == ids[2]
    key(qtbot, pane, Qt.Key_K)
    assert pane.current_pair_id() == ids[1]
    key(qtbot, pane, Qt.Key_R)  # reject → kept, shown greyed, marked; the row stays current
    assert db_row(ws, ids[1])["rejected"] == 1 and pane.current_pair_id() == ids[1]
    assert pane.model.data(pane.model.index(1, COLUMN_INDEX["validated"])) == "✗ rejected"
    key(qtbot, pane, Qt.Key_R)  # R again takes the rejection back
    assert db_row(ws, ids[1])["rejected"] == 0
    key(qtbot, pane, Qt.Key_R)
    key(qtbot, pane, Qt.Key_J)
    key(qtbot, pane, Qt.Key_Delete)  # Del deletes for good; the same row index shows the next pair
    assert db_row(ws, ids[2]) is None and pane.current_pair_id() == ids[3]
    assert pane.detail.pair_id == ids[3]
    key(qtbot, pane, Qt.Key_Z, Qt.ControlModifier)  # undo the last delete: pair back and selected
    assert db_row(ws, ids[2]) is not None and pane.current_pair_id() == ids[2]
    key(qtbot, pane, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)  # redo
    assert db_row(ws, ids[2]) is None and pane.view.currentIndex().row() == 2
    key(qtbot, pane, Qt.Key_K)
    key(qtbot, pane, Qt.Key_K)
    key(qtbot, pane, Qt.Key_U)  # un-validate the first pair again
    assert db_row(ws, ids[0])["validated"] == 0
    assert pane.filter_bar.count_label.text() == f"{len(ids) - 1} pairs"
    assert db_row(ws, ids[1])["rejected"] == 1  # the rejected pair is still there


def test_delete_last_row_clamps_selection(env, qtbot):
    pane, ws, ds, ids = env
    last = pane.model.rowCount() - 1
    pane.select_rows([last], last)
    key(qtbot, pane, Qt.Key_Delete)
    assert pane.view.currentIndex().row() == last - 1 and pane.current_pair_id() == ids[-2]


def test_rejected_pairs_are_kept_filterable_reversible_and_not_exported(env, qtbot, tmp_path):
    """Reject marks pairs instead of deleting them (issue 9): shown greyed, filterable, one undo
    step, left out of validation and export; accepting a rejected pair restores it."""
    from fineflow_desktop.services.datasets import validate_dataset
    from fineflow_desktop.services.export import export_dataset

    pane, ws, ds, ids = env
    pane.select_rows(list(range(2, 6)), 2)
    qtbot.mouseClick(pane.reject_btn, Qt.LeftButton)
    assert svc.count_pairs(ws, ds)["rejected"] == 4 and pane.model.rowCount() == len(ids)
    assert "Rejected 4 pair(s)" in pane.status.text() and pane.ctx.undo_stack.count() == 1
    pane.filter_bar.rejected.setCurrentIndex(pane.filter_bar.rejected.findData(True))
    assert sorted(pane.model.ids.tolist()) == ids[2:6]
    shot(pane, "rejected_only")
    pane.filter_bar.rejected.setCurrentIndex(pane.filter_bar.rejected.findData(False))
    assert pane.model.rowCount() == len(ids) - 4
    result = export_dataset(ws, ds, tmp_path / "out.jsonl", fmt="openai")
    assert result["written"] == len(ids) - 4
    assert validate_dataset(ws, ds).stats["examples"] == len(ids) - 4
    pane.ctx.undo_stack.undo()
    assert svc.count_pairs(ws, ds)["rejected"] == 0
    pane.ctx.undo_stack.redo()
    pane.filter_bar.clear()
    pane.select_rows([2], 2)
    key(qtbot, pane, Qt.Key_A)  # accepting a rejected pair takes the rejection back
    assert db_row(ws, ids[2])["validated"] == 1 and db_row(ws, ids[2])["rejected"] == 0


def test_edit_cell_in_place_then_undo_keeps_selection(env, qtbot):
    pane, ws, ds, ids = env
    pane.select_rows([4], 4)
    pane.view.setCurrentIndex(pane.model.index(4, COLUMN_INDEX["assistant"]))
    old = db_row(ws, ids[4])
    key(qtbot, pane, Qt.Key_Return)
    editor = pane.view.findChild(CellEditor)
    assert editor is not None and editor.toPlainText() == old["assistant"]
    editor.selectAll()
    qtbot.keyClicks(editor, "A shorter answer.")
    qtbot.keyClick(editor, Qt.Key_Return)  # Enter = newline inside the multi-line editor
    qtbot.keyClicks(editor, "Second line.")
    shot(pane, "cell_editor")
    qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Enter saves
    qtbot.waitUntil(lambda: db_row(ws, ids[4])["assistant"] == "A shorter answer.\nSecond line.")
    assert db_row(ws, ids[4])["n_tokens"] < old["n_tokens"]
    assert pane.view.currentIndex().row() == 4
    assert pane.model.data(pane.model.index(4, COLUMN_INDEX["assistant"])) == "A shorter answer. Second line."
    pane.ctx.undo_stack.undo()
    assert db_row(ws, ids[4]) == old
    assert pane.view.currentIndex().row() == 4
    key(qtbot, pane, Qt.Key_F2)  # F2 edits too; Esc cancels without a change
    editor = pane.view.findChild(CellEditor)
    qtbot.keyClicks(editor, "discarded")
    qtbot.keyClick(editor, Qt.Key_Escape)
    assert db_row(ws, ids[4]) == old and pane.ctx.undo_stack.count() == 1


def test_search_and_filters_compose(env, qtbot):
    pane, ws, ds, ids = env
    fb = pane.filter_bar
    qtbot.keyClicks(fb.search, "color")
    qtbot.waitUntil(lambda: pane.model.rowCount() < len(ids), timeout=20_000)  # debounced
    rows = svc.fetch_pairs(ws, pane.model.ids.tolist())
    assert rows and all("color" in (r["user"] + r["assistant"]).lower() for r in rows)
    assert fb.count_label.text() == f"{len(rows)} of {len(ids)} pairs"
    shot(pane, "search_color")
    fb.search.clear()
    fb.flush()
    fb.flagged.setCurrentIndex(fb.flagged.findData("duplicate"))
    dup_ids = set(pane.model.ids.tolist())
    assert dup_ids and dup_ids == set(svc.query_pair_ids(ws, ds, svc.PairFilter(flagged="duplicate")))
    fb.source.setCurrentIndex(fb.source.findData("imported"))
    assert set(pane.model.ids.tolist()) == dup_ids - set(ids[:10])
    shot(pane, "filter_duplicates")
    fb.clear()
    fb.q_min.setValue(0.9)
    fb.flush()
    assert set(pane.model.ids.tolist()) == set(svc.query_pair_ids(ws, ds, svc.PairFilter(quality_min=0.9)))
    fb.clear()
    fb.valid.setCurrentIndex(fb.valid.findData(False))
    assert pane.model.rowCount() == 0 and pane.detail.pair_id is None
    fb.clear()
    assert pane.model.rowCount() == len(ids)


def test_bulk_actions_are_single_undo_steps(env, qtbot):
    pane, ws, ds, ids = env
    stack = pane.ctx.undo_stack
    pane.select_rows(list(range(10)), 0)
    assert pane.selection_label.text() == "10 selected"
    qtbot.mouseClick(pane.accept_btn, Qt.LeftButton)
    assert svc.count_pairs(ws, ds)["validated"] == 10 and stack.count() == 1
    pane.tag_selected("gold")
    assert all(json.loads(db_row(ws, i)["tags"]) == ["gold"] for i in ids[:10])
    assert pane.filter_bar.tag.findData("gold") > 0
    qtbot.mouseClick(pane.unvalidate_btn, Qt.LeftButton)
    assert svc.count_pairs(ws, ds)["validated"] == 0
    pane.select_rows(list(range(3, 8)), 3)
    pane.delete_selected()
    assert all(db_row(ws, i) is None for i in ids[3:8])
    assert pane.view.currentIndex().row() == 3 and pane.current_pair_id() == ids[8]
    assert stack.count() == 4
    stack.undo()
    assert all(db_row(ws, i) is not None for i in ids[3:8])
    assert sorted(pane.selected_ids()) == ids[3:8]
    stack.undo()
    assert svc.count_pairs(ws, ds)["validated"] == 10
    stack.undo()
    assert all(json.loads(db_row(ws, i)["tags"]) == [] for i in ids[:10])
    stack.undo()
    assert svc.count_pairs(ws, ds)["validated"] == 0


def test_select_all_then_validate(env, qtbot):
    pane, ws, ds, ids = env
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key_A, Qt.ControlModifier)
    assert len(pane.selected_ids()) == len(ids)
    qtbot.mouseClick(pane.accept_btn, Qt.LeftButton)
    assert svc.count_pairs(ws, ds)["validated"] == len(ids)


def test_validate_all_above_quality(env, qtbot):
    pane, ws, ds, ids = env
    pane.threshold.setValue(0.9)
    qtbot.mouseClick(pane.validate_above_btn, Qt.LeftButton)
    expected = set(svc.query_pair_ids(ws, ds, svc.PairFilter(quality_min=0.9)))
    assert expected and set(svc.query_pair_ids(ws, ds, svc.PairFilter(validated=True))) == expected
    assert "Ctrl+Z" in pane.status.text()
    pane.ctx.undo_stack.undo()
    assert svc.count_pairs(ws, ds)["validated"] == 0
    # the status line follows the undo instead of still offering Ctrl+Z for the undone change
    assert pane.status.text().startswith("Undone: Validate") and "Ctrl+Shift+Z to redo" in pane.status.text()
    pane.ctx.undo_stack.redo()
    assert pane.status.text().startswith("Redone: Validate")


def test_multi_turn_detail_editor(env, qtbot):
    pane, ws, ds, ids = env
    pid = ids[-2]
    assert pane.select_pair(pid)
    pane.flush_detail()
    detail = pane.detail
    before = db_row(ws, pid)
    msgs = json.loads(before["messages"])
    assert [t.role() for t in detail.turns] == [m["role"] for m in msgs]
    shot(pane, "detail_multi_turn")
    tokens_before = detail.tokens.text()
    t1 = detail.turns[1]
    t1.text.selectAll()
    qtbot.keyClicks(t1.text, "Edited first answer with a few more words than before, to change the count.")
    qtbot.waitUntil(lambda: detail.tokens.text() != tokens_before)  # live count
    assert detail.apply_btn.isEnabled()
    qtbot.mouseClick(t1.weight, Qt.LeftButton)  # weight 0: do not train on this turn
    assert not t1.weight.isChecked()
    qtbot.mouseClick(detail.turns[2].buttons["down"], Qt.LeftButton)  # reorder: turn 2 ↔ 3
    new_turn = detail.add_turn("user")
    qtbot.keyClicks(new_turn.text, "And one more question?")
    answer = detail.add_turn()
    assert answer.role() == "assistant"  # alternates after a user turn
    qtbot.keyClicks(answer.text, "A final answer.")
    qtbot.mouseClick(detail.turns[0].buttons["remove"], Qt.LeftButton)
    expected = [{"role": "assistant", "content": t1.text.toPlainText(), "weight": 0}] + \
        [msgs[3], msgs[2]] + msgs[4:] + [{"role": "user", "content": "And one more question?"},
                                         {"role": "assistant", "content": "A final answer."}]
    assert detail.messages() == expected
    shot(pane, "detail_edited")
    qtbot.mouseClick(detail.apply_btn, Qt.LeftButton)
    stored = svc.get_pair(ws, pid)
    assert stored["messages"] == expected
    pane.flush_detail()
    assert not detail.dirty and detail.messages() == expected
    assert detail.tokens.text().startswith(f"{stored['n_tokens']:,} tokens")
    pane.ctx.undo_stack.undo()
    assert db_row(ws, pid) == before
    pane.flush_detail()
    # removing every assistant turn shows the problem live and the ✗ validity
    for t in [t for t in detail.turns if t.role() == "assistant"]:
        qtbot.mouseClick(t.buttons["remove"], Qt.LeftButton)
    detail._check()
    assert "no assistant message" in detail.validity.text()
    shot(pane, "detail_invalid")
    detail.revert()
    assert not detail.dirty


def test_leaving_a_pair_saves_pending_detail_edits(env, qtbot):
    pane, ws, ds, ids = env
    t = pane.detail.turns[-1]
    t.text.selectAll()
    qtbot.keyClicks(t.text, "Changed in the detail panel.")
    key(qtbot, pane, Qt.Key_J)
    assert db_row(ws, ids[0])["assistant"] == "Changed in the detail panel."
    assert pane.detail.pair_id == ids[1]


def test_duplicates_are_highlighted_and_linked(env, qtbot):
    pane, ws, ds, ids = env
    dup = svc.query_pair_ids(ws, ds, svc.PairFilter(flagged="duplicate"))[0]
    pane.select_pair(dup)
    pane.flush_detail()
    others = svc.duplicates_of(ws, dup)
    assert others and pane.model.highlighted == frozenset(others)
    row = pane.model.row_of(others[0])
    assert pane.model.data(pane.model.index(row, 0), Qt.BackgroundRole) is not None
    assert f"#{others[0]}" in pane.detail.duplicates.text()
    pane.view.scrollTo(pane.model.index(row, 0))
    shot(pane, "duplicates")
    pane.detail.duplicates.linkActivated.emit(str(others[0]))
    pane.flush_detail()
    assert pane.current_pair_id() == others[0]
    assert dup in pane.model.highlighted


def test_help_sheet_from_f1_and_question_mark(env, qtbot, monkeypatch):
    pane, *_ = env
    shown = []
    monkeypatch.setattr(pane_module.ShortcutHelp, "exec", lambda self: shown.append(self) or 0)
    qtbot.keyClick(pane.view, Qt.Key_Question, Qt.ShiftModifier, )
    assert len(shown) == 1
    pane.activateWindow()
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key_F1)
    qtbot.mouseClick(pane.help_btn, Qt.LeftButton)
    assert len(shown) >= 2
    sheet = ShortcutHelp()
    qtbot.addWidget(sheet)
    sheet.show()
    shot(sheet, "help_sheet")
    assert "Ctrl+Shift+Z" in sheet.findChild(type(pane.status)).text()


def test_external_changes_refresh_and_keep_the_current_pair(env):
    pane, ws, ds, ids = env
    pane.select_pair(ids[20])
    svc.insert_pairs(ws, ds, [{"user": "Added by an import", "assistant": "yes"}])
    pane.ctx.events.announce({Effect.PAIRS}, dataset_id=ds)
    assert pane.model.rowCount() == len(ids) + 1
    assert pane.current_pair_id() == ids[20]


def test_score_quality_runs_on_a_real_thread(qtbot, workspace):
    ds, ids = build_dataset(workspace)
    pane = make_pane(qtbot, workspace, ds, synchronous=False)
    assert pane.model.data(pane.model.index(0, COLUMN_INDEX["quality"])) == ""
    pane.flush_detail()
    assert pane.detail.quality.text() == "Quality: not scored yet"
    qtbot.mouseClick(pane.score_btn, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Scored" in pane.status.text(), timeout=20_000)
    assert pane.model.data(pane.model.index(0, COLUMN_INDEX["quality"])) != ""
    pane.flush_detail()
    assert "not scored" not in pane.detail.quality.text()  # the detail panel follows the new scores
    assert pane.score_btn.isEnabled()
    assert pane.ctx.tasks.shutdown(5000)


def test_dataset_chooser_switches_and_survives_deletion(env, qtbot):
    pane, ws, ds, ids = env
    from fineflow_desktop.services.datasets import get_or_create_dataset

    other = get_or_create_dataset(ws, "second")
    new_ids = svc.insert_pairs(ws, other, [{"user": "Only pair here?", "assistant": "Yes."}])
    pane.ctx.events.announce({Effect.DATASETS})
    pane.dataset_box.setCurrentIndex(pane.dataset_box.findData(other))
    pane.flush_detail()
    assert pane.dataset_id == other and pane.model.ids.tolist() == new_ids
    assert pane.detail.pair_id == new_ids[0]
    pane.show_dataset(999)  # a dataset that does not exist
    assert pane.dataset_id is None and pane.model.rowCount() == 0 and "does not exist" in pane.status.text()
    pane.show_dataset(other)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM pairs WHERE dataset_id = ?", (other,))
        conn.exec_driver_sql("DELETE FROM datasets WHERE id = ?", (other,))
    pane.ctx.events.announce({Effect.DATASETS})
    assert pane.dataset_id == ds and pane.model.rowCount() == len(ids)
    assert pane.dataset_box.currentText() == f"review ({len(ids)})"


def test_tool_turns_are_read_only_and_kept_verbatim(env, qtbot):
    pane, ws, ds, ids = env
    call = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Oslo\"}"}}
    msgs = [{"role": "user", "content": "Weather in Oslo?"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_1", "content": "{\"temp\": 3}"},
            {"role": "assistant", "content": "It is 3 °C in Oslo.", "weight": 1}]
    (pid,) = svc.insert_pairs(ws, ds, [{"messages": msgs, "source": "imported"}])
    pane.ctx.events.announce({Effect.PAIRS}, dataset_id=ds)
    assert pane.select_pair(pid)
    pane.flush_detail()
    turns = pane.detail.turns
    assert turns[2].read_only and turns[2].role_box is None and turns[2].text.isReadOnly()
    assert pane.detail.validity.text().count("✓ valid") == 1
    turns[3].text.selectAll()
    qtbot.keyClicks(turns[3].text, "About 3 °C.")
    pane.detail.apply()
    stored = svc.get_pair(ws, pid)["messages"]
    assert stored[:3] == msgs[:3] and stored[3] == {"role": "assistant", "content": "About 3 °C.", "weight": 1}
    shot(pane, "detail_tool_calls")


def test_document_filter_lists_relative_paths_and_can_be_searched(qtbot, workspace):
    """Same-named files in different folders are told apart, and the document filter takes typed
    text (any part of the path) — the Python docs have thousands of documents."""
    from curation_helpers import add_document

    from fineflow_desktop.services.datasets import get_or_create_dataset
    from fineflow_desktop.services.documents import list_documents, relative_paths
    from fineflow_desktop.ui.pairs.filters import FilterBar

    assert relative_paths(["/d/library/index.rst.txt", "/d/howto/index.rst.txt", "/d/faq.rst.txt"]) == [
        "library/index.rst.txt", "howto/index.rst.txt", "faq.rst.txt"]
    assert relative_paths(["/only/one.md"]) == ["one.md"]
    a = add_document(workspace, "/docs/library/index.rst.txt", ["alpha text"])
    b = add_document(workspace, "/docs/howto/index.rst.txt", ["beta text"])
    docs = list_documents(workspace)
    assert [d["path"] for d in docs] == ["library/index.rst.txt", "howto/index.rst.txt"]
    ds = get_or_create_dataset(workspace, "docs")
    svc.insert_pairs(workspace, ds, [{"user": "q1", "assistant": "a1", "chunk_id": a[0], "document_id": docs[0]["id"]},
                                     {"user": "q2", "assistant": "a2", "chunk_id": b[0], "document_id": docs[1]["id"]}])
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()
    options = svc.filter_options(workspace, ds)
    bar.set_options(options)
    labels = [bar.document.itemText(i) for i in range(bar.document.count())]
    assert labels[1:] == sorted(path for _, path in options["documents"]) and len(set(labels)) == len(labels)
    assert bar.document.isEditable()
    assert bar.document.completer().filterMode() == Qt.MatchFlag.MatchContains
    bar.document.lineEdit().clear()
    qtbot.keyClicks(bar.document.lineEdit(), "howto/index.rst.txt")
    qtbot.keyClick(bar.document.lineEdit(), Qt.Key_Return)
    assert bar.filters().document_id == dict((p, i) for i, p in options["documents"])["howto/index.rst.txt"]


def test_reviewer_defects_are_named_with_their_values(env, qtbot):
    pane, ws, ds, ids = env
    (bad,) = svc.insert_pairs(ws, ds, [{
        "user": "How do I log HOWTO?",
        "assistant": ":Email: distutils-sig@python.org\n\nThe logging module provides a flexible event logging "
                     "system for applications and libraries written in Python."}])
    svc.rescore_dataset(ws, ds)
    pane.ctx.events.announce({Effect.PAIRS}, dataset_id=ds)
    pane.select_pair(bad)
    pane.flush_detail()
    row = pane.model.ids.tolist().index(bad)
    tip = pane.model.index(row, COLUMN_INDEX["quality"]).data(Qt.ToolTipRole)
    assert "✗ question form: 1.0 (at most 0) — 'HOWTO' names a document, not an object" in tip
    assert "✗ answer start: 1.0" in tip and ":Email:" in tip
    assert float(pane.model.index(row, COLUMN_INDEX["quality"]).data()) < 0.5
    text = pane.detail.quality.text()
    assert text.index("✗ question form") < text.index("✓ answer length")  # failing signals first
    shot(pane, "detail_quality_defects")


def test_filter_bar_wraps_instead_of_squeezing(qtbot):
    """Issue 9, usable at 1100×700: at any width the filter controls keep at least their minimum
    width (combo text whole), stay inside the bar and do not overlap; narrower means more lines."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit

    from fineflow_desktop.ui.pairs.filters import FilterBar

    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_options({"sources": ["extractive"], "documents": [(1, "library/exceptions.rst.txt")],
                     "template_versions": [3], "tags": ["gold"]})
    bar.set_count(1234, 5678)
    bar.show()
    heights = {}
    for width in (1082, 902, 600):
        heights[width] = bar.layout().heightForWidth(width)
        bar.resize(width, heights[width])
        qtbot.wait(1)
        kinds = (QComboBox, QAbstractSpinBox, QLineEdit, QAbstractButton)
        controls = [w for kind in kinds for w in bar.findChildren(kind)  # not the parts of a combo / spin box
                    if w.isVisible() and not isinstance(w.parentWidget(), kinds)]
        rects = [QRect(w.mapTo(bar, w.rect().topLeft()), w.size()) for w in controls]
        for w, r in zip(controls, rects):
            assert bar.rect().contains(r), f"{width}px: {type(w).__name__} {r} outside the bar"
            assert w.width() >= w.minimumSizeHint().width(), f"{width}px: {type(w).__name__} squeezed"
        overlaps = [(type(a).__name__, type(b).__name__) for i, (a, ra) in enumerate(zip(controls, rects))
                    for b, rb in list(zip(controls, rects))[i + 1:] if ra.intersects(rb)]
        assert not overlaps, f"{width}px: {overlaps}"
    assert heights[600] > heights[902] >= heights[1082]


def test_turn_buttons_stay_visible_when_the_detail_is_squeezed(env, qtbot):
    """Issue 9: at 1100×700 the ✕ of each turn was cut at the right edge of the detail panel.
    Dragging the splitter as far right as it goes still leaves ▲ ▼ ✕ inside the visible area."""
    pane, ws, ds, ids = env
    pane.resize(910, 650)  # the pane's share of a 1100×700 window
    pane.splitter.setSizes([5000, 1])
    qtbot.wait(5)
    from PySide6.QtWidgets import QScrollArea

    scroll = pane.detail.findChild(QScrollArea)
    assert pane.detail.turns and not scroll.horizontalScrollBar().isVisible()
    viewport = scroll.viewport()
    for turn in pane.detail.turns:
        for name, button in turn.buttons.items():
            left = button.mapTo(viewport, button.rect().topLeft()).x()
            assert 0 <= left and left + button.width() <= viewport.width(), f"{name} cut: {left}+{button.width()}"
    shot(pane, "detail_squeezed_1100")


def test_edited_pair_is_rescored_in_the_background_and_undo_restores_its_score(env, qtbot):
    pane, ws, ds, ids = env
    def pair(i):
        return svc.fetch_pairs(ws, [i])[0]

    before = pair(ids[4])
    assert before["quality"] is not None
    pane.select_rows([4], 4)
    pane.view.setCurrentIndex(pane.model.index(4, COLUMN_INDEX["assistant"]))
    key(qtbot, pane, Qt.Key_Return)
    editor = pane.view.findChild(CellEditor)
    editor.selectAll()
    qtbot.keyClicks(editor, "Light.")  # a stub answer
    qtbot.keyClick(editor, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: db_row(ws, ids[4])["assistant"] == "Light.")
    row = pair(ids[4])
    assert row["quality"] is not None and row["quality"] < before["quality"]  # re-scored, no button pressed
    assert not row["quality_signals"]["answer_length"]["ok"]
    pane.flush_detail()
    assert pane.detail.quality.text().startswith(f"Quality {row['quality']:.2f}: ")  # not "not scored yet"
    shot(pane, "rescored_after_edit")
    pane.ctx.undo_stack.undo()
    assert pair(ids[4])["quality"] == before["quality"]


def test_opening_a_dataset_scored_by_an_older_scorer_rescores_it(qtbot, workspace, monkeypatch):
    from fineflow_desktop.services.pairs import scoring

    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    monkeypatch.setattr(scoring, "SCORER_VERSION", scoring.SCORER_VERSION + 1)  # the scorer changed since
    pane = make_pane(qtbot, workspace, ds, synchronous=False)
    qtbot.waitUntil(lambda: svc.scorer_version(workspace, ds) == scoring.SCORER_VERSION, timeout=20000)
    qtbot.waitUntil(lambda: "the scorer changed" in pane.status.text(), timeout=5000)
    assert svc.stale_scores(workspace, ds)["reason"] is None
    assert all(r["quality"] is not None for r in svc.fetch_pairs(workspace, ids))
