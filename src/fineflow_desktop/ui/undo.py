"""Every undo command of the app (Spine Toolbox ``spine_db_commands.py`` pattern).

A command carries the workspace, ids and values — the old values are the ones the service
returned when the change was first made — and calls the service; it never holds or calls a
widget. After each redo/undo it announces what changed on ``ctx.events`` (``ui.effects``) with
no initiator, so every pane showing that data updates, the one that pushed it included::

    ctx.undo_stack.push(BulkSetValidated(ctx.workspace, ctx.events, dataset_id, ids, True))

A bulk action is one command, i.e. one undo step. Pair commands announce ``Effect.PAIRS`` with
the dataset id, the pair ids and ``action`` ("updated" / "removed" / "restored") so the Pair
Editor can keep its selection; chunk commands announce ``Effect.CHUNKS``.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtGui import QUndoCommand

from fineflow_desktop.services import chunk_stats
from fineflow_desktop.services import pairs as svc
from fineflow_desktop.services.dedup import set_group_keep
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.effects import Effect, Events


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


class PairCommand(QUndoCommand):
    """Base: the workspace, the notices and the dataset the pairs belong to."""

    def __init__(self, ws: Workspace, events: Events, dataset_id: int, text: str):
        super().__init__(text)
        self.ws = ws
        self.events = events
        self.dataset_id = dataset_id

    def announce(self, action: str, ids) -> None:
        """``Effect.PAIRS`` (and ``DATASETS`` when rows come or go: pair counts) for *ids*."""
        effects = {Effect.PAIRS} if action == "updated" else {Effect.PAIRS, Effect.DATASETS}
        self.events.announce(effects, None, dataset_id=self.dataset_id, ids=ids, action=action)


class EditPair(PairCommand):
    """Set several fields of one pair (the multi-turn detail editor's Apply)."""

    def __init__(self, ws: Workspace, events: Events, dataset_id: int, pair_id: int,
                 new: dict[str, Any], text: str | None = None):
        super().__init__(ws, events, dataset_id, text or f"Edit pair {pair_id}")
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
        self.announce("updated", [self.pair_id])

    def undo(self) -> None:
        try:
            if self.old:
                svc.update_pair(self.ws, self.pair_id, **self.old)
        except svc.PairNotFound:
            self.setObsolete(True)
            return
        self.announce("updated", [self.pair_id])


class EditPairField(EditPair):
    """Edit one field of one pair (an in-place cell edit). Carries the old and new value."""

    def __init__(self, ws: Workspace, events: Events, dataset_id: int, pair_id: int, field: str,
                 old: Any, new: Any):
        super().__init__(ws, events, dataset_id, pair_id, {field: new}, f"Edit {field} of pair {pair_id}")
        self.field = field
        self.old_value = old


class DeletePairs(PairCommand):
    """Delete pairs; undo re-inserts the snapshots taken at deletion with the same ids."""

    def __init__(self, ws: Workspace, events: Events, dataset_id: int, ids: Sequence[int]):
        super().__init__(ws, events, dataset_id, f"Delete {_plural(len(ids), 'pair')}")
        self.ids = [int(i) for i in ids]
        self.snapshots: list[dict] = []

    def redo(self) -> None:
        self.snapshots = svc.delete_pairs(self.ws, self.ids)
        self.announce("removed", self.ids)

    def undo(self) -> None:
        restored = svc.restore_pairs(self.ws, self.snapshots)
        self.ids = restored  # a pair re-inserted under a new id is deleted by that id on redo
        self.announce("restored", restored)


class BulkSetValidated(PairCommand):
    """Mark many pairs validated (accept) or not; undo restores each pair's old value.
    Accepting a rejected pair takes its rejection back (in the same undo step)."""

    def __init__(self, ws: Workspace, events: Events, dataset_id: int, ids: Sequence[int], value: bool):
        n = len(ids)
        verb = "Validate" if value else "Un-validate"
        super().__init__(ws, events, dataset_id, f"{verb} {_plural(n, 'pair')}")
        self.ids = [int(i) for i in ids]
        self.value = bool(value)
        self.old_values: dict[int, bool] = {}
        self.old_rejected: dict[int, bool] = {}

    def redo(self) -> None:
        self.old_values = svc.set_validated(self.ws, self.ids, self.value)
        self.old_rejected = svc.set_rejected(self.ws, self.ids, False) if self.value else {}
        self.announce("updated", self.ids)

    def undo(self) -> None:
        svc.restore_validated(self.ws, self.old_values)
        svc.restore_rejected(self.ws, self.old_rejected)
        self.announce("updated", self.ids)


class BulkSetRejected(PairCommand):
    """Reject many pairs (or take the rejection back): they stay in the dataset, shown greyed, and
    are left out of validation and export. Rejecting clears "validated"; undo restores both values."""

    def __init__(self, ws: Workspace, events: Events, dataset_id: int, ids: Sequence[int], value: bool):
        verb = "Reject" if value else "Restore"
        super().__init__(ws, events, dataset_id, f"{verb} {_plural(len(ids), 'pair')}")
        self.ids = [int(i) for i in ids]
        self.value = bool(value)
        self.old_values: dict[int, bool] = {}
        self.old_validated: dict[int, bool] = {}

    def redo(self) -> None:
        self.old_values = svc.set_rejected(self.ws, self.ids, self.value)
        self.old_validated = svc.set_validated(self.ws, self.ids, False) if self.value else {}
        self.announce("updated", self.ids)

    def undo(self) -> None:
        svc.restore_rejected(self.ws, self.old_values)
        svc.restore_validated(self.ws, self.old_validated)
        self.announce("updated", self.ids)


class BulkTag(PairCommand):
    """Add (or with ``add=False`` remove) a tag on many pairs; undo restores the old tag lists."""

    def __init__(self, ws: Workspace, events: Events, dataset_id: int, ids: Sequence[int], tag: str,
                 add: bool = True):
        n = len(ids)
        super().__init__(ws, events, dataset_id,
                         f"{'Tag' if add else 'Untag'} {n} pair{'s' if n != 1 else ''} '{tag}'")
        self.ids = [int(i) for i in ids]
        self.tag = tag
        self.add = add
        self.old_tags: dict[int, list] = {}

    def redo(self) -> None:
        fn = svc.add_tag if self.add else svc.remove_tag
        self.old_tags = fn(self.ws, self.ids, self.tag)
        self.announce("updated", list(self.old_tags))

    def undo(self) -> None:
        svc.set_tags(self.ws, self.old_tags)
        self.announce("updated", list(self.old_tags))


class SetFlaggedCommand(QUndoCommand):
    """Flag or clear the review flag of chunks; undo puts back each chunk's recorded old value."""

    def __init__(self, ws: Workspace, events: Events, chunk_ids: Sequence[int], flagged: bool):
        verb = "Flag" if flagged else "Clear flag on"
        super().__init__(f"{verb} {_plural(len(chunk_ids), 'chunk')}")
        self.ws, self.events = ws, events
        self.chunk_ids, self.flagged = [int(i) for i in chunk_ids], bool(flagged)
        self.old: dict[int, bool] | None = None

    def redo(self) -> None:
        if self.old is None:  # first redo: what undo restores
            self.old = chunk_stats.chunk_flags(self.ws, self.chunk_ids)
        chunk_stats.set_chunks_flagged(self.ws, self.chunk_ids, self.flagged)
        self.events.announce({Effect.CHUNKS}, None, ids=self.chunk_ids)

    def undo(self) -> None:
        chunk_stats.restore_chunk_flags(self.ws, self.old or {})
        self.events.announce({Effect.CHUNKS}, None, ids=self.chunk_ids)


class KeepDropCommand(QUndoCommand):
    """Keep or drop one member of a near-duplicate group; undo restores the previous choice.

    Announces ``Effect.CHUNKS`` with ``action="group"`` and ``ids=(group_id,)``. A group replaced
    by a newer "Find near-duplicates" run makes the step obsolete (a status message says so).
    """

    def __init__(self, ws: Workspace, events: Events, group_id: int, chunk_id: int, keep: bool, previous: bool):
        super().__init__(f"{'Keep' if keep else 'Drop'} duplicate chunk {chunk_id}")
        self.ws, self.events = ws, events
        self.group_id, self.chunk_id, self.keep, self.previous = group_id, chunk_id, bool(keep), bool(previous)

    def _apply(self, keep: bool) -> None:
        try:
            set_group_keep(self.ws, self.group_id, self.chunk_id, keep)
        except LookupError:
            self.setObsolete(True)
            self.events.status_message.emit("That duplicate group was replaced by a newer run.")
            return
        self.events.announce({Effect.CHUNKS}, None, ids=[self.group_id], action="group")

    def redo(self) -> None:
        self._apply(self.keep)

    def undo(self) -> None:
        self._apply(self.previous)
