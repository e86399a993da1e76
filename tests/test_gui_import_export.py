"""Import and Export dialogs driven through their real widgets (pytest-qt), with screenshots."""

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import func, select

from fineflow_desktop.services.import_dataset import import_file
from fineflow_desktop.store.models import Pair
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.importer import ExportDialog, ImportDialog
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.ui.effects import Effect

from conftest import FIXTURES, REAL_DATA

FMT = FIXTURES / "formats"
SCREENS = Path("/work/screens/importer")


def _shot(widget, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SCREENS / f"{name}.png"))


@pytest.fixture
def ctx(qtbot, workspace):
    tasks = TaskManager(synchronous=True)
    c = AppContext(workspace, tasks, QUndoStack(), Events())
    yield c
    tasks.shutdown()


@pytest.fixture
def threaded_ctx(qtbot, workspace):
    tasks = TaskManager()
    c = AppContext(workspace, tasks, QUndoStack(), Events())
    yield c
    assert tasks.shutdown(30_000)


def _tick(qtbot, box):
    """Click a check box on its indicator (a wide box's centre can be empty space)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _type_path(qtbot, dlg, path):
    dlg.path_edit.clear()
    qtbot.keyClicks(dlg.path_edit, str(path))
    qtbot.keyClick(dlg.path_edit, Qt.Key.Key_Return)


def test_import_preview_override_and_report(qtbot, ctx, qtmodeltester, tmp_path):
    lines = (FMT / "v1_sft_openai_sample.jsonl").read_text().splitlines()
    lines[2] = lines[2][:40]
    lines[6] = '{"messages": [{"role": "wizard", "content": "x"}]}'
    bad = tmp_path / "chat_with_bad_lines.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    dlg = ImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    _type_path(qtbot, dlg, bad)
    assert dlg.preview.format == "openai" and "OpenAI chat" in dlg.detected_label.text()
    assert dlg.model.rowCount() == 20 and dlg.dataset_combo.currentText() == "chat_with_bad_lines"
    qtmodeltester.check(dlg.model)
    assert "skipped" in dlg.model.index(2, 5).data()  # line 3 is broken, shown in red
    assert not dlg.columns_box.isVisible()
    dataset_events = []
    ctx.events.changed.connect(lambda c: dataset_events.append(c.dataset_id) if Effect.PAIRS in c.effects else None)
    with qtbot.waitSignal(dlg.imported) as blocker:
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report.imported == 38 and [line for line, _ in report.skipped_lines] == [3, 7]
    assert dlg.skipped_table.isVisible() and dlg.skipped_table.rowCount() == 2
    assert dlg.skipped_table.item(1, 1).text().startswith("messages[0].role: unknown role 'wizard'")
    assert "Imported 38 pair(s)" in dlg.status_label.text() and dataset_events == [report.dataset_id]
    dlg.resize(1100, 720)
    _shot(dlg, "import_report_with_skipped_lines")

    # an explicit override: read the ShareGPT file as Alpaca -> every record would be skipped
    _type_path(qtbot, dlg, FMT / "fastchat_sharegpt_sample.json")
    assert dlg.preview.format == "sharegpt" and dlg.dataset_combo.currentText() == "fastchat_sharegpt_sample"
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData("alpaca"))
    assert dlg.preview.format == "alpaca" and dlg.preview.detected == "sharegpt"
    assert all(isinstance(item, str) for _l, item in dlg.preview.items)
    assert "would be skipped" in dlg.preview_label.text()


def test_csv_column_mapping_in_the_dialog(qtbot, ctx, workspace):
    dlg = ImportDialog(ctx, path=str(FMT / "custom_columns.csv"))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.columns_box.isVisible()
    assert dlg.column_combos["user"].currentText() == "Frage"
    # swap the mapping with the combos: the preview follows
    dlg.column_combos["user"].setCurrentText("Antwort")
    dlg.column_combos["assistant"].setCurrentText("Frage")
    assert dlg.model.index(0, 3).data().startswith("The craft store made")
    _shot(dlg, "import_csv_column_mapping")
    with qtbot.waitSignal(dlg.imported) as blocker:
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].imported == 30


def test_transcript_threshold_widgets(qtbot, ctx):
    dlg = ImportDialog(ctx, path=str(FMT / "transcripts_qa.csv"))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.preview.format == "transcript" and dlg.min_conf.isEnabled()
    assert dlg.min_conf.value() == 0.8 and dlg.max_count.value() == 100
    dlg.max_count.setValue(4)
    _shot(dlg, "import_transcript_options")
    with qtbot.waitSignal(dlg.imported) as blocker:
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].imported == 4


def test_import_on_real_threads_with_cancel(qtbot, threaded_ctx, workspace):
    dlg = ImportDialog(threaded_ctx, path=str(REAL_DATA / "llamafactory_alpaca_en_demo.json"))
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitSignal(dlg.imported, timeout=120_000) as blocker:
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
        assert dlg.cancel_button.isEnabled() and not dlg.close_button.isEnabled()
    assert blocker.args[0].imported == 985
    qtbot.waitUntil(lambda: dlg.task is None)
    # again, cancelled at once: nothing new, nothing lost, the dialog says so
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60_000)
    assert "cancelled" in dlg.status_label.text() or "already there" in dlg.status_label.text()
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(Pair)) == 985


def test_export_dialog_all_options(qtbot, ctx, workspace, tmp_path):
    plain = import_file(workspace, FMT / "glaive_toolcall_sample.json", dataset_name="tools")
    prefs = import_file(workspace, FMT / "llamafactory_dpo_sample.json", dataset_name="prefs")
    dlg = ExportDialog(ctx, dataset_id=plain.dataset_id)
    qtbot.addWidget(dlg)
    dlg.show()
    dpo_item = dlg.format_combo.model().item(dlg.format_combo.findData("openai-dpo"))
    assert not dpo_item.isEnabled()  # no preferences in this dataset
    assert not dlg.export_button.isEnabled()  # no file chosen yet
    out = tmp_path / "tools.jsonl"
    qtbot.keyClicks(dlg.path_edit, str(out))
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData("alpaca"))
    _tick(qtbot, dlg.split_check)
    dlg.split_ratio.setValue(0.8)
    _tick(qtbot, dlg.provenance)
    assert "tools.train.jsonl" in dlg.files_label.text() and "tools.provenance.jsonl" in dlg.files_label.text()
    with qtbot.waitSignal(dlg.exported) as blocker:
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result["skipped_count"] > 0 and "tool calls" in dlg.status_label.text()
    train = [json.loads(x) for x in (tmp_path / "tools.train.jsonl").read_text().splitlines()]
    assert train and set(train[0]) >= {"instruction", "input", "output"}
    assert (tmp_path / "tools.provenance.jsonl").exists()
    dlg.resize(700, 480)
    _shot(dlg, "export_dialog_after_export")

    dlg.dataset_combo.setCurrentIndex(dlg.dataset_combo.findData(prefs.dataset_id))
    assert dpo_item.isEnabled()
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData("openai-dpo"))
    _tick(qtbot, dlg.split_check)  # off again
    _tick(qtbot, dlg.include_system)
    assert dlg.options()["include_system"] is False and dlg.options()["split"] is None
    with qtbot.waitSignal(dlg.exported) as blocker:
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == blocker.args[0]["written"] == prefs.imported
    assert all(m["role"] != "system" for rec in lines for m in rec["input"]["messages"])


def test_export_dialog_unwrap_and_strip_markup(qtbot, ctx, workspace, tmp_path):
    from fineflow_desktop.store.models import Dataset

    answer = "The :func:`open` function returns a **file\nobject** that reads and writes the bytes of a file\non disk."
    with workspace.session() as s:
        ds = Dataset(name="docs", system_prompt="")
        s.add(ds)
        s.flush()
        s.add(Pair(dataset_id=ds.id, user="What does open() do?", assistant=answer, source="extractive"))
        ds_id = ds.id
    dlg = ExportDialog(ctx, dataset_id=ds_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.unwrap.isChecked() and dlg.strip_markup.isChecked()  # on by default
    out = tmp_path / "docs.jsonl"
    qtbot.keyClicks(dlg.path_edit, str(out))
    with qtbot.waitSignal(dlg.exported):
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    got = json.loads(out.read_text())["messages"][-1]["content"]
    assert got == "The `open` function returns a file object that reads and writes the bytes of a file on disk."
    dlg.resize(700, 520)
    _shot(dlg, "export_dialog_text_options")
    _tick(qtbot, dlg.unwrap)
    _tick(qtbot, dlg.strip_markup)
    with qtbot.waitSignal(dlg.exported):
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert json.loads(out.read_text())["messages"][-1]["content"] == answer


def test_export_dialog_scores_an_edited_pair_before_its_quality_filter(qtbot, ctx, workspace, tmp_path):
    """Issue 10: the dialog's "Minimum quality" goes through export_dataset, which scores stale and
    unscored pairs first (before: an edited pair, its score cleared, was left out silently)."""
    from test_pairs_data import build_dataset

    from fineflow_desktop.services import pairs as svc

    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    new_answer = "Eat a balanced diet with plenty of fruit and vegetables, exercise regularly and sleep well."
    svc.update_pair(workspace, ids[0], assistant=new_answer)
    seen = []
    ctx.events.changed.connect(lambda changes: seen.append(changes.effects))
    dlg = ExportDialog(ctx, dataset_id=ds)
    qtbot.addWidget(dlg)
    dlg.show()
    _tick(qtbot, dlg.min_quality_check)
    dlg.min_quality.setValue(0.0)
    out = tmp_path / "q.jsonl"
    qtbot.keyClicks(dlg.path_edit, str(out))
    with qtbot.waitSignal(dlg.exported) as blocker:
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    contents = [json.loads(x)["messages"][-1]["content"] for x in out.read_text().splitlines()]
    assert new_answer in contents
    assert blocker.args[0]["scored_first"]["scored"] == 1
    assert dlg.status_label.text().startswith("Scored 1 pair first: they had no score. Exported")
    assert any(Effect.PAIRS in e for e in seen)  # the Pairs pane reloads the new score
    dlg.resize(700, 520)
    _shot(dlg, "export_dialog_scored_first")
