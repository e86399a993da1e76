"""What every pane gets: the open workspace, the task manager, the undo stack and an event bus.

A pane is a ``QWidget`` subclass with a class attribute ``title`` and the constructor
``Pane(ctx: AppContext, parent=None)``. It listens to ``ctx.events`` to refresh, starts long work
through ``ctx.tasks``, and pushes edits onto ``ctx.undo_stack`` (one stack per workspace).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.workers import TaskManager


class Events(QObject):
    """Application-wide change notifications (emitted on the main thread)."""

    documents_changed = Signal()
    chunks_changed = Signal()
    datasets_changed = Signal()
    pairs_changed = Signal(int)  # dataset id
    templates_changed = Signal()
    credentials_changed = Signal()
    runs_changed = Signal()
    status_message = Signal(str)


@dataclass
class AppContext:
    """Shared state handed to every pane. Rebuilt when another workspace is opened."""

    workspace: Workspace
    tasks: TaskManager
    undo_stack: QUndoStack
    events: Events
