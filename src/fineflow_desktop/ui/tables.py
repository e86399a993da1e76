"""Small building blocks shared by the panes: a read-only row-dict table model, table views and
a titled column.

``RowsModel`` suits lists of up to a few thousand rows (documents, chunks of one document,
validation problems); the big pair table uses the id-list + page-cache model (ui/pairs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QStyledItemDelegate, QTableView, QVBoxLayout, QWidget,
)
from fineflow_desktop.ui.style import set_heading

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's database id
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # raw value used for sorting

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[dict], str]
    sort_key: Callable[[dict], Any]
    numeric: bool = False


class RowsModel(QAbstractTableModel):
    """Read-only table over a list of row dicts with declarative columns; sorts in Python."""

    columns: list[Column] = []

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None  # re-applied when rows are replaced

    # Qt API -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (0 <= index.column() < len(self.columns)):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.display(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return row.get("id")
        if role == SORT_ROLE:
            return col.sort_key(row)
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: dict, column: int, role: int):
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        key = self.columns[column].sort_key
        self._rows.sort(key=lambda r: _none_last(key(r)), reverse=order == Qt.SortOrder.DescendingOrder)

    # helpers -----------------------------------------------------------------------------
    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_rows()
        self.endResetModel()

    def row_dict(self, row: int) -> dict | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[dict]:
        return list(self._rows)

    def row_of_id(self, item_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.get("id") == item_id:
                return i
        return -1


def _none_last(value):
    # Tuples compare element-wise: (False, v) < (True, None) keeps None at the end ascending.
    return (value is None, value if value is not None else 0)



class ElideRightDelegate(QStyledItemDelegate):
    """Elides its column's text at the end, whatever the view's elide mode.

    For a message column ("no text found in the file") in a table whose view elides at the start
    so that file names keep their ends visible.
    """

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt API)
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


def make_table(model) -> QTableView:
    """A read-only, row-selecting, sortable table with fixed row height (cheap to paint)."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt's default indicator is descending
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    return view


def make_single_select_table(model, row_height: int = 24, parent=None) -> QTableView:
    """A table showing *model* that selects one whole row at a time, without row numbers.

    *row_height* is the fixed default row height in pixels. Column sizing, sorting and
    colours are left to the caller.
    """
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(row_height)
    return view


def titled_column(title: str, widget: QWidget, stretch: int = 1) -> tuple[QWidget, QVBoxLayout, QLabel]:
    """A margin-less column: a bold *title* label above *widget* (added with *stretch*).

    Returns ``(column, its layout, the title label)`` so callers can append widgets or
    retitle it later.
    """
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title)
    set_heading(label)
    layout.addWidget(label)
    layout.addWidget(widget, stretch)
    return column, layout, label


def with_empty_label(table: QTableView, text: str) -> tuple[QWidget, QLabel]:
    """``(box, label)``: *table* above a centred, word-wrapped label that explains an empty list
    (the caller shows the label when there are no rows)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(table, 1)
    lay.addWidget(label)
    return box, label


def columns_width(view: QTableView) -> int:
    """Width in px that shows every column of *view* at its content size (plus frame and a
    vertical scroll bar): a minimum width that keeps a splitter from cutting columns."""
    header = view.horizontalHeader()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    # ResizeToContents sections already have their content size (sort indicator included); a
    # stretched last section never gets narrower than the default section size.
    last = header.defaultSectionSize() if header.stretchLastSection() else 0
    columns = sum(max(view.sizeHintForColumn(c), header.sectionSizeHint(c),
                      header.sectionSize(c) if c != shown[-1] else last) for c in shown)
    return columns + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width() + 2
