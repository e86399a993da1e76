"""The menu bar as one table (gitfourchette ``tasks/taskbook.py`` pattern): name, shortcut, tip,
handler. The same table feeds the keyboard-shortcuts help, so the menus, the tooltips and the
help never disagree.

``MenuItem(menu, attr, text, handler, shortcut, tip)``: *handler* is the name of a window method;
the action is stored as ``window.<attr>``. ``PaneItem(menu, pane, attr)`` puts an action a pane
owns (``BuilderPane.import_files_action``) in a menu and brings that pane forward first.
``SEPARATOR`` separates groups. ``build_menus(window, table)`` builds the bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMenuBar, QScrollArea, QVBoxLayout, QWidget

from fineflow_desktop.ui.shortcuts import make_action


@dataclass(frozen=True)
class MenuItem:
    """A window action: menu title, attribute name, text, window method, shortcut, tooltip."""

    menu: str
    attr: str
    text: str
    handler: str
    shortcut: Any = None  # str | QKeySequence.StandardKey
    tip: str = ""


@dataclass(frozen=True)
class PaneItem:
    """An action owned by a pane (class *pane*, attribute *attr*), shown in *menu*."""

    menu: str
    pane: type
    attr: str


@dataclass(frozen=True)
class Separator:
    menu: str


SEPARATOR = Separator


def build_menus(window, bar: QMenuBar, table: Iterable[MenuItem | PaneItem | Separator]) -> dict[str, Any]:
    """Fill *bar* from *table*; returns ``{menu title: QMenu}`` (menus in table order)."""
    menus: dict[str, Any] = {}
    for item in table:
        menu = menus.get(item.menu) or menus.setdefault(item.menu, bar.addMenu(item.menu))
        if isinstance(item, Separator):
            menu.addSeparator()
        elif isinstance(item, PaneItem):
            action = getattr(window.pane(item.pane), item.attr)
            action.triggered.connect(lambda _=False, c=item.pane: window.show_pane(c))  # works from any pane
            menu.addAction(action)
        else:
            action = make_action(window, item.text, getattr(window, item.handler), item.shortcut, item.tip or None)
            setattr(window, item.attr, action)
            menu.addAction(action)
    return menus


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """``(menu, action text, shortcut)`` of every menu action that has a shortcut, in menu order."""
    rows = []
    for top in bar.actions():
        menu = top.menu()
        if menu is None:
            continue
        for action in menu.actions():
            seq = action.shortcut()
            if not action.isSeparator() and not seq.isEmpty():
                rows.append((top.text().replace("&", ""), action.text().replace("&&", "\0").replace("&", "")
                             .replace("\0", "&"), seq.toString(QKeySequence.SequenceFormat.NativeText)))
    return rows


def shortcuts_html(bar: QMenuBar, review: Iterable[tuple[str, str, str]]) -> str:
    """The help text: the menu table's shortcuts, then the Pair Editor's review keys."""
    def table(rows) -> str:
        body = "".join(f"<tr><td style='padding-right:18px'><b>{k}</b></td><td>{what}</td></tr>" for k, what in rows)
        return f"<table>{body}</table>"

    menu_rows = [(keys, f"{text} <span style='color:gray'>({menu})</span>") for menu, text, keys in shortcut_rows(bar)]
    return ("<h3>Menus (work in every pane)</h3>" + table(menu_rows)
            + "<h3>Pair Editor review keys</h3>" + table([(keys, what) for _, keys, what in review]))


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: built from the menu bar and the Pair Editor's key table."""

    def __init__(self, bar: QMenuBar, review: Iterable[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.label = QLabel(shortcuts_html(bar, review))
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidget(self.label)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll)
        lay.addWidget(buttons)
        self.resize(560, 600)
