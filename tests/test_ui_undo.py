"""Undo commands of ``ui.undo`` that are not pair commands: they carry ids and recorded old
values (never a widget) and announce their effects on ``ctx.events``."""

from __future__ import annotations

from curation_helpers import add_document
from PySide6.QtGui import QUndoStack

from fineflow_desktop.services import chunk_stats
from fineflow_desktop.ui.effects import Effect, Events
from fineflow_desktop.ui.undo import KeepDropCommand, SetFlaggedCommand


def test_clear_flag_undoes_to_each_chunks_recorded_value(workspace, qapp):
    """A bulk clear over a flagged and an unflagged chunk is one step; undo restores each one's
    own old value (the old command wrote ``not flagged`` and flagged both)."""
    a, b = add_document(workspace, "a.md", ["first chunk text", "second chunk text"], flagged=[True, False])
    events, seen = Events(), []
    events.changed.connect(seen.append)
    stack = QUndoStack()
    stack.push(SetFlaggedCommand(workspace, events, [a, b], False))
    assert chunk_stats.chunk_flags(workspace, [a, b]) == {a: False, b: False}
    stack.undo()
    assert chunk_stats.chunk_flags(workspace, [a, b]) == {a: True, b: False}
    stack.redo()
    assert chunk_stats.chunk_flags(workspace, [a, b]) == {a: False, b: False}
    assert stack.count() == 1
    assert [c.effects for c in seen] == [frozenset({Effect.CHUNKS})] * 3 and seen[0].initiator is None


def test_keep_drop_command_holds_ids_not_a_pane(workspace, qapp):
    from fineflow_desktop.services.dedup import find_near_duplicates, get_group, list_groups

    text = "The quick brown fox jumps over the lazy dog near the river bank at dawn every day. " * 3
    add_document(workspace, "a.md", [text])
    add_document(workspace, "b.md", [text.replace("dawn", "dusk")])
    find_near_duplicates(workspace, threshold=0.5)
    group = get_group(workspace, list_groups(workspace)[0]["id"])
    member = next(m for m in group["members"] if not m["is_representative"])
    events, seen = Events(), []
    events.changed.connect(seen.append)
    cmd = KeepDropCommand(workspace, events, group["id"], member["chunk_id"], not member["keep"], member["keep"])
    assert not any(hasattr(v, "ctx") for v in vars(cmd).values())  # nothing pane-like inside
    stack = QUndoStack()
    stack.push(cmd)
    changed = next(m for m in get_group(workspace, group["id"])["members"] if m["chunk_id"] == member["chunk_id"])
    assert changed["keep"] is (not member["keep"])
    stack.undo()
    back = next(m for m in get_group(workspace, group["id"])["members"] if m["chunk_id"] == member["chunk_id"])
    assert back["keep"] is member["keep"]
    assert [(c.action, c.ids) for c in seen] == [("group", (group["id"],))] * 2
