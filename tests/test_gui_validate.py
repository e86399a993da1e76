"""Validate & Export pane on real widgets: errors block export, warnings do not, export writes JSONL."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from fineflow_desktop.services.datasets import get_or_create_dataset, validate_file
from fineflow_desktop.services.pairs import insert_pairs, update_pair
from fineflow_desktop.ui.validate import ValidatePane
from fineflow_desktop.ui.validate.models import ProblemsModel
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.style import colour
from gui_helpers import shot


def _pairs(n: int) -> list[dict]:
    return [
        {"system": "You answer questions about Python.", "user": f"How do I use feature number {i} of the standard library?",
         "assistant": f"Feature {i} is documented in the library reference; import the module and call it as shown there.",
         "source": "manual"}
        for i in range(n)
    ]


def _pane(ctx, qtbot) -> ValidatePane:
    pane = ValidatePane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1200, 700)
    pane.show()
    return pane


def test_errors_block_export_until_confirmed(ctx, qtbot, qtmodeltester, tmp_path, monkeypatch):
    ds = get_or_create_dataset(ctx.workspace, "too-small")
    rows = _pairs(6)
    rows[2]["assistant"] = ""  # empty assistant message: a blocking error
    rows[3]["user"] = rows[4]["user"]  # duplicate question: a warning
    ids = insert_pairs(ctx.workspace, ds, rows)
    pane = _pane(ctx, qtbot)
    assert pane.dataset_combo.currentText().startswith("too-small")
    assert pane.model() == "gpt-4o-mini"
    assert "F5" in pane.validate_button.toolTip() and "Ctrl+E" in pane.export_button.toolTip()
    assert "Not validated yet" in pane.banner.text()

    qtbot.mouseClick(pane.validate_button, Qt.MouseButton.LeftButton)
    report = pane.report
    assert report is not None and not report.ok
    codes = {(i.code, i.pair_id) for i in report.errors}
    assert ("too_few_examples", None) in codes and ("missing_content", ids[2]) in codes
    model = pane.problems_model
    qtmodeltester.check(model)
    first = model.index(0, 0)
    assert first.data() == "error" and first.data(Qt.ItemDataRole.ForegroundRole).color() == colour("error_text")
    pair_col = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert str(ids[2]) in pair_col  # each problem names its pair id
    severities = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert "warning" in severities
    w = severities.index("warning")
    assert model.index(w, 0).data(Qt.ItemDataRole.BackgroundRole).color() == colour("warn_bg")  # amber
    assert "error(s) block export" in pane.banner.text()
    stats = {pane.stats_model.index(r, 0).data(): pane.stats_model.index(r, 1).data() for r in range(pane.stats_model.rowCount())}
    assert stats["Total pairs"] == "6" and "Average tokens per pair" in stats and "Unique questions" in stats
    assert stats["Unique questions"] == "5"
    qtmodeltester.check(pane.stats_model)

    assert not pane.export_button.isEnabled() and not pane.export_action.isEnabled()
    assert pane.override_check.isVisible()
    shot(pane, "validate_errors")
    pane.override_check.setChecked(True)
    assert pane.export_button.isEnabled()
    out = tmp_path / "forced.jsonl"
    monkeypatch.setattr("fineflow_desktop.ui.validate.pane.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(pane.export_button, Qt.MouseButton.LeftButton)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6
    assert "Exported 6 example(s)" in pane.banner.text()


def test_valid_dataset_exports_openai_jsonl(ctx, qtbot, tmp_path, monkeypatch):
    ds = get_or_create_dataset(ctx.workspace, "good")
    insert_pairs(ctx.workspace, ds, _pairs(12))
    pane = _pane(ctx, qtbot)
    out = tmp_path / "good"  # no suffix: .jsonl is added
    monkeypatch.setattr("fineflow_desktop.ui.validate.pane.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), ""))
    exported = []
    pane.exported.connect(exported.append)
    # Export before validating: it validates first, then asks for the file.
    pane.export_action.trigger()
    assert pane.report is not None and pane.report.ok
    assert "ready to export" in pane.banner.text().lower() or "Exported" in pane.banner.text()
    target = tmp_path / "good.jsonl"
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12 and exported and exported[0]["written"] == 12
    for line in lines:
        obj = json.loads(line)
        assert list(obj) == ["messages"]
        assert [m["role"] for m in obj["messages"]] == ["system", "user", "assistant"]
        assert all(isinstance(m["content"], str) and m["content"] for m in obj["messages"])
    assert validate_file(target).ok
    pane.validate_action.trigger()
    assert "No errors" in pane.banner.text()
    assert not pane.override_check.isVisible()
    # the token histogram shows every example once, from the report's own bins
    heights = list(pane.histogram.bars.opts["height"])
    assert sum(heights) == 12 and heights == pane.report.histogram["counts"]
    assert not pane.histogram.empty.isVisible()
    shot(pane, "validate_ok")


def test_editing_pairs_marks_the_validation_stale(ctx, qtbot):
    ds = get_or_create_dataset(ctx.workspace, "good")
    ids = insert_pairs(ctx.workspace, ds, _pairs(12))
    pane = _pane(ctx, qtbot)
    pane.validate_action.trigger()
    assert pane.report.ok
    update_pair(ctx.workspace, ids[0], assistant="")
    ctx.events.announce({Effect.PAIRS}, dataset_id=ds)
    assert "changed since the last validation" in pane.banner.text()
    pane.validate_action.trigger()
    assert not pane.report.ok and not pane.export_button.isEnabled()


def test_model_choice_uses_its_token_limit(ctx, qtbot):
    ds = get_or_create_dataset(ctx.workspace, "long")
    rows = _pairs(12)
    rows[0]["assistant"] = "word " * 20_000  # ~20k tokens: fine for gpt-4o-mini, too long for gpt-3.5-turbo
    insert_pairs(ctx.workspace, ds, rows)
    pane = _pane(ctx, qtbot)
    pane.validate_action.trigger()
    assert pane.report.ok
    pane.select(ds, "gpt-3.5-turbo")
    assert pane.report is None  # another model: the old report no longer applies
    pane.validate_action.trigger()
    assert [i.code for i in pane.report.errors] == ["too_many_tokens"]
    assert "16,385" in pane.model_combo.currentText()


def test_no_dataset_yet(ctx, qtbot):
    pane = _pane(ctx, qtbot)
    assert "No dataset yet" in pane.banner.text()
    assert not pane.validate_button.isEnabled() and not pane.export_button.isEnabled()
    get_or_create_dataset(ctx.workspace, "new")
    ctx.events.announce({Effect.DATASETS})
    assert pane.validate_button.isEnabled()
    assert isinstance(pane.problems_model, ProblemsModel)
