"""``Pane``: the one shape of a sidebar pane.

A pane declares its ``title`` and the effects that make it reload, builds its widgets in
``build()`` (split into small named builders), wires signals in ``connect_signals()`` and fills
its widgets from the services in ``reload()``::

    class DuplicatesPane(Pane):
        title = "Duplicates"
        reload_on = {Effect.CHUNKS, Effect.DOCUMENTS}

        def build(self) -> None:
            self._build_toolbar()
            self._build_groups()

        def connect_signals(self) -> None:
            self.find_button.clicked.connect(self.find)

        def reload(self) -> None:
            self.groups_model.set_rows(list_groups(self.ctx.workspace))

        def find(self) -> None:
            self.ctx.ops.run("Find near-duplicates", run_find, self.ctx.workspace,
                             trigger=self.find_button, on_result=self._found,
                             effects={Effect.CHUNKS}, initiator=self)

The constructor is ``Pane(ctx, parent=None)`` and calls ``build()``, ``connect_signals()`` and
``reload()`` in that order. The hook is named ``connect_signals`` rather than ``connect``
because ``QObject.connect`` exists and overriding it on a widget would shadow Qt's.

Notices (``ctx.events.changed``): ``on_changed(changes)`` calls ``reload()`` when the notice
touches ``reload_on`` and this pane is not its initiator (nor an ancestor of it). Panes that can
apply a notice more precisely (the Pair Editor with pair ids) override ``on_changed``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from fineflow_desktop.ui.context import AppContext
from fineflow_desktop.ui.effects import Changes, Effect


class Pane(QWidget):
    """Base of every sidebar pane (see the module docstring for the usage)."""

    title: ClassVar[str] = ""
    reload_on: ClassVar[frozenset[Effect] | set[Effect]] = frozenset()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.build()
        self.connect_signals()
        ctx.events.changed.connect(self._changed)
        self.reload()

    # ---- hooks -----------------------------------------------------------------------------

    def build(self) -> None:
        """Create the widgets and layouts (no signal connections, no data)."""

    def connect_signals(self) -> None:
        """Connect widget signals to the pane's slots."""

    def reload(self) -> None:
        """Fill the widgets from the services (called at start and on matching notices)."""

    def shutdown(self) -> None:
        """Stop periodic work (timers, pollers) before the context's tasks are stopped and the
        pane is deleted (workspace switch, quit)."""

    def on_changed(self, changes: Changes) -> None:
        """React to a notice that is not this pane's own; default: ``reload()`` if it matters."""
        if changes.touches(self.reload_on):
            self.reload()

    # ---- helpers ---------------------------------------------------------------------------

    def is_initiator(self, changes: Changes) -> bool:
        """True if this pane, or a widget inside it, initiated *changes*."""
        who = changes.initiator
        return who is self or (isinstance(who, QWidget) and isValid(who) and self.isAncestorOf(who))

    def announce(self, effects, **detail) -> Changes:
        """Announce *effects* with this pane as initiator (``Events.announce``)."""
        return self.ctx.events.announce(effects, self, **detail)

    def _changed(self, changes: Changes) -> None:
        if isValid(self) and not self.is_initiator(changes):
            self.on_changed(changes)


@dataclass(frozen=True)
class PaneSpec:
    """A sidebar entry: the pane's *title* and where its class lives (``module``, ``name``).

    The window imports a pane's module only when it builds the pane, so the modules (and the
    libraries behind them, e.g. pyqtgraph for the job monitor) of panes nobody has opened yet
    stay out of the cold start. ``load()`` returns the ``Pane`` subclass; its ``title`` must
    equal the spec's (a test checks every spec).
    """

    title: str
    module: str
    name: str

    def load(self) -> type[Pane]:
        """Import the module and return the pane class (ImportError/AttributeError if misnamed)."""
        return getattr(importlib.import_module(self.module), self.name)

    def names(self, cls: type) -> bool:
        """True if *cls* (a pane class or a spec) is this entry."""
        return cls is self or getattr(cls, "__name__", None) == self.name
