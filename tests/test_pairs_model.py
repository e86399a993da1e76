"""PairTableModel: Qt model contract (qtmodeltester), paging into a bounded cache, SQL sorting,
edits through the undo stack, row removal and highlight signals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from test_pairs_data import build_dataset, db_row

from fineflow_desktop.services import pairs as svc
from fineflow_desktop.ui.pairs import table_model as tm
from fineflow_desktop.ui.pairs.table_model import COLUMN_INDEX, PairTableModel
from fineflow_desktop.ui.effects import Events
from fineflow_desktop.ui.style import colour


@pytest.fixture
def model(workspace, qapp):
    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    m = PairTableModel(workspace, QUndoStack(), Events())
    m.load(ds)
    return m, workspace, ds, ids


def test_qt_model_contract(model, qtmodeltester):
    m, *_ = model
    qtmodeltester.check(m, force_py=True)


def test_rows_are_fetched_in_pages_into_a_bounded_cache(model, monkeypatch):
    m, ws, ds, ids = model
    monkeypatch.setattr(tm, "PAGE_SIZE", 10)
    monkeypatch.setattr(tm, "MAX_CACHED_ROWS", 30)
    m.refresh()
    m.fetches = 0
    assert m.data(m.index(0, COLUMN_INDEX["id"])) == str(ids[0])
    assert m.fetches == 1
    for r in range(10):  # same page: no new query
        m.data(m.index(r, COLUMN_INDEX["user"]))
    assert m.fetches == 1
    m.data(m.index(55, 0))
    assert m.fetches == 2
    for r in range(m.rowCount()):
        m.data(m.index(r, 0))
        assert m.cached_rows <= 30
    full = {r["id"]: r for r in svc.fetch_pairs(ws, ids)}
    for r in (0, 9, 10, 57, m.rowCount() - 1):  # page edges show the right rows
        pid = int(m.ids[r])
        assert m.data(m.index(r, COLUMN_INDEX["id"])) == str(pid)
        assert m.data(m.index(r, COLUMN_INDEX["tokens"])) == f"{full[pid]['n_tokens']:,}"
        assert m.data(m.index(r, COLUMN_INDEX["assistant"])) == tm.one_line(full[pid]["assistant"][:tm.PREVIEW_CHARS])


def test_display_tooltips_and_colours(model):
    m, ws, ds, ids = model
    multi = m.row_of(ids[-1])
    assert m.data(m.index(multi, COLUMN_INDEX["user"])).startswith("[")  # "[4 turns] ..."
    valid = m.index(0, COLUMN_INDEX["valid"])
    assert m.data(valid) == "✓" and m.data(valid, Qt.ToolTipRole) == "Valid for fine-tuning"
    assert "answer length" in m.data(m.index(0, COLUMN_INDEX["quality"]), Qt.ToolTipRole)
    svc.update_pair(ws, ids[3], assistant="  ")
    m.invalidate([ids[3]])
    bad = m.index(3, COLUMN_INDEX["valid"])
    assert m.data(bad) == "✗" and "empty user or assistant" in m.data(bad, Qt.ToolTipRole)
    assert m.data(bad, Qt.ForegroundRole).color() == colour("error")
    assert m.data(m.index(0, COLUMN_INDEX["document"])) == "alpaca_en_demo.json"
    assert m.flags(m.index(0, COLUMN_INDEX["user"])) & Qt.ItemIsEditable
    assert not m.flags(m.index(0, COLUMN_INDEX["tokens"])) & Qt.ItemIsEditable


def test_sort_runs_in_sql(model, qtbot):
    m, ws, ds, ids = model
    with qtbot.waitSignal(m.modelReset):
        m.sort(COLUMN_INDEX["tokens"], Qt.DescendingOrder)
    assert list(m.ids) == list(svc.query_pair_ids(ws, ds, sort="tokens", descending=True))
    tokens = [int(m.data(m.index(r, COLUMN_INDEX["tokens"])).replace(",", "")) for r in range(m.rowCount())]
    assert tokens == sorted(tokens, reverse=True)
    m.sort(COLUMN_INDEX["quality"], Qt.AscendingOrder)
    assert list(m.ids) == list(svc.query_pair_ids(ws, ds, sort="quality"))


def test_set_data_pushes_an_undoable_edit(model):
    m, ws, ds, ids = model
    idx = m.index(1, COLUMN_INDEX["assistant"])
    old = db_row(ws, ids[1])["assistant"]
    assert m.data(idx, Qt.EditRole) == old  # the editor gets the full text, not the preview
    assert m.setData(idx, "New\nmulti-line answer")
    assert db_row(ws, ids[1])["assistant"] == "New\nmulti-line answer"
    assert not m.setData(idx, "New\nmulti-line answer")  # unchanged: no undo step
    assert m.undo_stack.count() == 1
    m.undo_stack.undo()
    assert db_row(ws, ids[1])["assistant"] == old


def test_remove_ids_emits_row_removals_and_keeps_order(model, qtbot):
    m, ws, ds, ids = model
    n = m.rowCount()
    removed = []
    m.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    m.remove_ids([ids[2], ids[3], ids[10]])
    assert removed == [(10, 10), (2, 3)]
    assert m.rowCount() == n - 3 and ids[4] == m.pair_id(2)
    with qtbot.waitSignal(m.dataChanged):
        m.set_highlight([ids[0], ids[5]])
    assert m.data(m.index(0, 0), Qt.BackgroundRole) is not None
    assert m.data(m.index(1, 0), Qt.BackgroundRole) is None
