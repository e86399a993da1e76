"""What changed: the one change notice every pane listens to (Anki ``OpChanges`` pattern).

An operation (``ui.ops.Ops.run``) or an undo command (``ui.undo``) announces the *effects* of
its work once, with its *initiator*, on ``ctx.events.changed``::

    ctx.events.announce({Effect.PAIRS}, initiator=self, dataset_id=ds)

A ``ui.pane.Pane`` reloads when a notice carries one of the effects in its ``reload_on`` and it is
not the initiator (it already shows its own change), so no "ignore my own echo" flag is needed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable

from PySide6.QtCore import QObject, Signal


class Effect(enum.Enum):
    """Kinds of stored data an operation can change (one per group of panes that show them)."""

    DOCUMENTS = "documents"      # documents added / removed / re-parsed
    CHUNKS = "chunks"            # chunk text, quality, keep/drop, near-duplicate groups, index
    DATASETS = "datasets"        # datasets created / renamed / deleted, pair counts
    PAIRS = "pairs"              # pairs of a dataset (``Changes.dataset_id`` when known)
    TEMPLATES = "templates"      # prompt templates and their versions / executions
    CREDENTIALS = "credentials"  # provider credentials
    RUNS = "runs"                # generation runs
    SETTINGS = "settings"        # AI settings, embedding sources


@dataclass(frozen=True)
class Changes:
    """One change notice.

    ``effects``: what changed. ``initiator``: the pane (or any object) that asked for the change,
    None for undo/redo and outside events. ``dataset_id``: the dataset whose pairs changed, None
    when unknown or several. ``ids`` / ``action``: the rows touched when the announcer knows them
    (pair ids with ``action`` "updated" | "removed" | "restored", used by the Pair Editor to keep
    its selection); empty otherwise, meaning "reload".
    """

    effects: frozenset[Effect]
    initiator: object | None = None
    dataset_id: int | None = None
    ids: tuple[int, ...] = field(default=())
    action: str = ""

    def touches(self, effects: Iterable[Effect]) -> bool:
        """True if any of *effects* is among this notice's effects."""
        return not self.effects.isdisjoint(effects)


class Events(QObject):
    """Application-wide notices, emitted on the main thread.

    ``changed(Changes)``: stored data changed (see ``announce``). ``status_message(str)``: a short
    line for the window's status bar.
    """

    changed = Signal(object)
    status_message = Signal(str)

    def announce(self, effects: Iterable[Effect], initiator: object | None = None, *,
                 dataset_id: int | None = None, ids: Iterable[int] = (), action: str = "") -> Changes:
        """Emit one ``changed`` notice for *effects* (nothing when empty); returns it."""
        changes = Changes(frozenset(effects), initiator, dataset_id, tuple(int(i) for i in ids), action)
        if changes.effects:
            self.changed.emit(changes)
        return changes
