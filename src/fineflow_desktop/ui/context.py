"""What every pane gets: the open workspace, the task manager, the undo stack, the change
notices and the background-operation runner.

Panes subclass ``ui.pane.Pane``; long work goes through ``ctx.ops.run`` (``ui.ops``); edits are
undo commands from ``ui.undo`` pushed onto ``ctx.undo_stack`` (one stack per workspace); changes
are announced once on ``ctx.events.changed`` (``ui.effects``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QUndoStack

from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.effects import Changes, Effect, Events
from fineflow_desktop.ui.errors import ErrorPresenter
from fineflow_desktop.ui.ops import Ops
from fineflow_desktop.workers import TaskManager

__all__ = ["AppContext", "Changes", "Effect", "Events"]


@dataclass
class AppContext:
    """Shared state handed to every pane. Rebuilt when another workspace is opened.

    ``errors`` and ``ops`` are made from the other fields (``AppContext(ws, tasks, stack, events)``).
    """

    workspace: Workspace
    tasks: TaskManager
    undo_stack: QUndoStack
    events: Events
    errors: ErrorPresenter = field(init=False)
    ops: Ops = field(init=False)

    def __post_init__(self) -> None:
        self.errors = ErrorPresenter()
        self.ops = Ops(self.tasks, self.events, self.errors)
