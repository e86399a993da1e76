"""The pair table view: fixed row height, review keyboard map, cheap selection helpers.

Plain keys (no modifier) drive review: J/K move, A accept, R reject, Del delete, U un-validate, T tag,
Enter edit, ? help (see ``help.SHORTCUTS``); they reach ``keyPressEvent`` only when no cell
editor has focus, so typing in an editor is never taken for a command.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


class PairTableView(QTableView):
    """Table view with the review keyboard map; emits ``action(name)`` for pane-level actions."""

    action = Signal(str)

    _PLAIN = {
        Qt.Key_A: "accept", Qt.Key_R: "reject", Qt.Key_Delete: "delete", Qt.Key_Backspace: "delete",
        Qt.Key_U: "unvalidate", Qt.Key_T: "tag", Qt.Key_Return: "edit", Qt.Key_Enter: "edit",
    }

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pairTable")
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.ElideRight)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.Fixed)  # uniform row height: O(1) row geometry
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionsMovable(True)
        hh.setStretchLastSection(True)

    def setModel(self, model) -> None:
        super().setModel(model)
        # The headers get a private, always-empty selection model. With the view's, QHeaderView
        # asks isColumnSelected() for every section on paint, which calls flags() for every
        # selected row: 1.1M Python calls (~10 s) after selecting all of 100k rows.
        self._header_selection = QItemSelectionModel(model, self)
        self.horizontalHeader().setSelectionModel(self._header_selection)
        self.verticalHeader().setSelectionModel(self._header_selection)

    def keyboardSearch(self, search: str) -> None:
        """Disabled: type-to-search would fetch rows across 100k pairs; use the search box."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() == QAbstractItemView.EditingState:
            return super().keyPressEvent(event)
        mods = event.modifiers() & ~Qt.KeypadModifier
        key = event.key()
        if mods == Qt.NoModifier and key in (Qt.Key_J, Qt.Key_K):
            arrow = Qt.Key_Down if key == Qt.Key_J else Qt.Key_Up
            return super().keyPressEvent(QKeyEvent(event.type(), arrow, Qt.NoModifier))
        if mods == Qt.NoModifier and key in self._PLAIN:
            self.action.emit(self._PLAIN[key])
            return event.accept()
        if event.text() == "?":
            self.action.emit("help")
            return event.accept()
        # Reached only when no window-level Undo/Redo action took the shortcut (pane used alone).
        if event.matches(QKeySequence.Undo):
            self.action.emit("undo")
            return event.accept()
        if event.matches(QKeySequence.Redo) or (key == Qt.Key_Z and mods == (Qt.ControlModifier | Qt.ShiftModifier)):
            self.action.emit("redo")
            return event.accept()
        super().keyPressEvent(event)

    def selected_rows(self) -> list[int]:
        """Selected row numbers, ascending (from the selection ranges: cheap at 100k rows)."""
        rows: set[int] = set()
        for rng in self.selectionModel().selection():
            rows.update(range(rng.top(), rng.bottom() + 1))
        return sorted(rows)

    def select_rows(self, rows: list[int], current: int, default_column: int = 0) -> QModelIndex:
        """Select whole *rows*, make *current* (clamped) the current row and scroll it into view
        (vertically only). Returns the new current index (invalid when the table is empty)."""
        model = self.model()
        n = model.rowCount()
        if n == 0:
            return QModelIndex()
        current = max(0, min(current, n - 1))
        col = self.currentIndex().column() if self.currentIndex().isValid() else default_column
        last = model.columnCount() - 1
        selection = QItemSelection()
        runs: list[list[int]] = []  # contiguous row runs → one selection range each
        for r in sorted(set(rows)):
            if 0 <= r < n:
                if runs and r == runs[-1][1] + 1:
                    runs[-1][1] = r
                else:
                    runs.append([r, r])
        for first, end in runs:
            selection.select(model.index(first, 0), model.index(end, last))
        sm = self.selectionModel()
        index = model.index(current, col)
        sm.setCurrentIndex(index, QItemSelectionModel.NoUpdate)
        sm.select(selection, QItemSelectionModel.ClearAndSelect)
        hbar = self.horizontalScrollBar()
        x = hbar.value()
        self.scrollTo(index)
        hbar.setValue(x)  # keep the columns the user is looking at
        return index
