"""Undo commands of the pair editor: each carries ids/values, calls services.pairs, and a bulk
action is one undo step. The store is checked after every redo/undo."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QUndoStack
from test_pairs_data import build_dataset, db_row

from fineflow_desktop.services import pairs as svc
from fineflow_desktop.ui.effects import Events
from fineflow_desktop.ui.undo import BulkSetValidated, BulkTag, DeletePairs, EditPair, EditPairField


@pytest.fixture
def setup(workspace, qapp):
    ds, ids = build_dataset(workspace)
    changes = Events()
    events = []
    changes.changed.connect(lambda c: events.append((c.action, c.dataset_id, list(c.ids))))
    return workspace, ds, ids, QUndoStack(), changes, events


def test_edit_field_undo_redo(setup):
    ws, ds, ids, stack, changes, events = setup
    pid = ids[2]
    before = db_row(ws, pid)
    stack.push(EditPairField(ws, changes, ds, pid, "user", before["user"], "Edited question?"))
    assert db_row(ws, pid)["user"] == "Edited question?"
    assert db_row(ws, pid)["n_tokens"] != before["n_tokens"]
    assert events[-1] == ("updated", ds, [pid])
    stack.undo()
    assert db_row(ws, pid) == before
    stack.redo()
    assert db_row(ws, pid)["user"] == "Edited question?"
    assert stack.count() == 1 and stack.undoText() == f"Edit user of pair {pid}"


def test_edit_messages_of_multi_turn_pair(setup):
    ws, ds, ids, stack, changes, _ = setup
    pid = ids[-3]
    before = db_row(ws, pid)
    msgs = json.loads(before["messages"])
    new = [msgs[1], msgs[0]] + msgs[2:] + [{"role": "user", "content": "One more?"},
                                           {"role": "assistant", "content": "Yes.", "weight": 0}]
    stack.push(EditPair(ws, changes, ds, pid, {"messages": new}))
    assert json.loads(db_row(ws, pid)["messages"]) == new
    stack.undo()
    assert db_row(ws, pid) == before
    stack.redo()
    assert json.loads(db_row(ws, pid)["messages"]) == new


def test_delete_is_one_step_and_restores_the_same_ids(setup):
    ws, ds, ids, stack, changes, events = setup
    victims = ids[10:15] + [ids[40]]
    before = {i: db_row(ws, i) for i in victims}
    stack.push(DeletePairs(ws, changes, ds, victims))
    assert all(db_row(ws, i) is None for i in victims)
    assert events[-1] == ("removed", ds, victims)
    stack.undo()
    assert {i: db_row(ws, i) for i in victims} == before
    assert events[-1] == ("restored", ds, victims)
    stack.redo()
    assert all(db_row(ws, i) is None for i in victims)
    assert stack.count() == 1


def test_bulk_validate_and_untag_restore_each_old_value(setup):
    ws, ds, ids, stack, changes, _ = setup
    svc.set_validated(ws, ids[:3], True)
    stack.push(BulkSetValidated(ws, changes, ds, ids[:50], True))
    assert svc.count_pairs(ws, ds)["validated"] == 50
    stack.push(BulkSetValidated(ws, changes, ds, ids[:10], False))
    assert svc.count_pairs(ws, ds)["validated"] == 40
    stack.undo()
    assert svc.count_pairs(ws, ds)["validated"] == 50
    stack.undo()
    assert [db_row(ws, i)["validated"] for i in ids[:5]] == [1, 1, 1, 0, 0]
    assert svc.count_pairs(ws, ds)["validated"] == 3
    svc.add_tag(ws, ids[:2], "keep")
    stack.push(BulkTag(ws, changes, ds, ids[:6], "review"))
    stack.push(BulkTag(ws, changes, ds, ids[:6], "keep", add=False))
    assert [json.loads(db_row(ws, i)["tags"]) for i in ids[:3]] == [["review"], ["review"], ["review"]]
    stack.undo()
    assert [json.loads(db_row(ws, i)["tags"]) for i in ids[:3]] == [["keep", "review"], ["keep", "review"], ["review"]]
    stack.undo()
    assert [json.loads(db_row(ws, i)["tags"]) for i in ids[:3]] == [["keep"], ["keep"], []]


def test_edit_of_a_pair_deleted_elsewhere_becomes_obsolete(setup):
    ws, ds, ids, stack, changes, _ = setup
    stack.push(EditPairField(ws, changes, ds, ids[0], "user", "", "x"))
    svc.delete_pairs(ws, [ids[0]])
    stack.undo()  # no exception; the step is dropped
    assert stack.count() == 0
