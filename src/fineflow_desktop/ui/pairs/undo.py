"""Undo commands of the pair editor (Spine Toolbox ``spine_db_commands.py`` pattern).

Commands carry ids and values and call ``services.pairs``; they never touch widgets. After each
redo/undo they announce what changed through a ``PairChanges`` notifier, and the pane updates
its model and selection. A bulk action is one command, i.e. one undo step.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from fineflow_desktop.services import pairs as svc
from fineflow_desktop.store.workspace import Workspace


class PairChanges(QObject):
    """Change notifications emitted by the commands (on the main thread).

    ``updated(dataset_id, ids)``: rows changed in place; ``removed(dataset_id, ids)``: rows
    deleted; ``restored(dataset_id, ids)``: deleted rows are back (ids as restored).
    """

    updated = Signal(int, list)
    removed = Signal(int, list)
    restored = Signal(int, list)


class PairCommand(QUndoCommand):
    """Base: the workspace, the dataset the pairs belong to and the notifier."""

    def __init__(self, ws: Workspace, changes: PairChanges, dataset_id: int, text: str):
        super().__init__(text)
        self.ws = ws
        self.changes = changes
        self.dataset_id = dataset_id


class EditPair(PairCommand):
    """Set several fields of one pair (the multi-turn detail editor's Apply)."""

    def __init__(self, ws: Workspace, changes: PairChanges, dataset_id: int, pair_id: int,
                 new: dict[str, Any], text: str | None = None):
        super().__init__(ws, changes, dataset_id, text or f"Edit pair {pair_id}")
        self.pair_id = pair_id
        self.new = dict(new)
        self.old: dict[str, Any] | None = None

    def redo(self) -> None:
        try:
            old = svc.update_pair(self.ws, self.pair_id, **self.new)
        except svc.PairNotFound:  # deleted meanwhile (e.g. by an import): drop this step
            self.setObsolete(True)
            return
        if self.old is None:  # first redo: remember exactly what to put back
            self.old = old
        self.changes.updated.emit(self.dataset_id, [self.pair_id])

    def undo(self) -> None:
        try:
            if self.old:
                svc.update_pair(self.ws, self.pair_id, **self.old)
        except svc.PairNotFound:
            self.setObsolete(True)
            return
        self.changes.updated.emit(self.dataset_id, [self.pair_id])


class EditPairField(EditPair):
    """Edit one field of one pair (an in-place cell edit). Carries the old and new value."""

    def __init__(self, ws: Workspace, changes: PairChanges, dataset_id: int, pair_id: int, field: str,
                 old: Any, new: Any):
        super().__init__(ws, changes, dataset_id, pair_id, {field: new}, f"Edit {field} of pair {pair_id}")
        self.field = field
        self.old_value = old


class DeletePairs(PairCommand):
    """Delete pairs; undo re-inserts the snapshots taken at deletion with the same ids."""

    def __init__(self, ws: Workspace, changes: PairChanges, dataset_id: int, ids: Sequence[int]):
        n = len(ids)
        super().__init__(ws, changes, dataset_id, f"Delete {n} pair{'s' if n != 1 else ''}")
        self.ids = [int(i) for i in ids]
        self.snapshots: list[dict] = []

    def redo(self) -> None:
        self.snapshots = svc.delete_pairs(self.ws, self.ids)
        self.changes.removed.emit(self.dataset_id, list(self.ids))

    def undo(self) -> None:
        restored = svc.restore_pairs(self.ws, self.snapshots)
        self.ids = restored  # a pair re-inserted under a new id is deleted by that id on redo
        self.changes.restored.emit(self.dataset_id, list(restored))


class BulkSetValidated(PairCommand):
    """Mark many pairs validated (accept) or not; undo restores each pair's old value."""

    def __init__(self, ws: Workspace, changes: PairChanges, dataset_id: int, ids: Sequence[int], value: bool):
        n = len(ids)
        verb = "Validate" if value else "Un-validate"
        super().__init__(ws, changes, dataset_id, f"{verb} {n} pair{'s' if n != 1 else ''}")
        self.ids = [int(i) for i in ids]
        self.value = bool(value)
        self.old_values: dict[int, bool] = {}

    def redo(self) -> None:
        self.old_values = svc.set_validated(self.ws, self.ids, self.value)
        self.changes.updated.emit(self.dataset_id, self.ids)

    def undo(self) -> None:
        svc.restore_validated(self.ws, self.old_values)
        self.changes.updated.emit(self.dataset_id, self.ids)


class BulkTag(PairCommand):
    """Add (or with ``add=False`` remove) a tag on many pairs; undo restores the old tag lists."""

    def __init__(self, ws: Workspace, changes: PairChanges, dataset_id: int, ids: Sequence[int], tag: str,
                 add: bool = True):
        n = len(ids)
        super().__init__(ws, changes, dataset_id,
                         f"{'Tag' if add else 'Untag'} {n} pair{'s' if n != 1 else ''} '{tag}'")
        self.ids = [int(i) for i in ids]
        self.tag = tag
        self.add = add
        self.old_tags: dict[int, list] = {}

    def redo(self) -> None:
        fn = svc.add_tag if self.add else svc.remove_tag
        self.old_tags = fn(self.ws, self.ids, self.tag)
        self.changes.updated.emit(self.dataset_id, list(self.old_tags))

    def undo(self) -> None:
        svc.set_tags(self.ws, self.old_tags)
        self.changes.updated.emit(self.dataset_id, list(self.old_tags))
