"""Table models of the curation panes (plain lists of dicts from the services)."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex


class DictTableModel(QAbstractTableModel):
    """Read-only rows of dicts; ``columns`` is ``[(header, fn(row) -> display value)]``."""

    def __init__(self, columns: list[tuple[str, Callable[[dict], Any]]], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_dict(self, row: int) -> dict | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self.columns[index.column()][1](self.rows[index.row()])
            return None if value is None else str(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section][0]
        return None


def _fmt(value, spec: str = ".2f") -> str:
    return "" if value is None else format(value, spec)


def _short_path(path: str) -> str:
    return path.rsplit("/", 1)[-1] if path else ""


class GroupsModel(DictTableModel):
    """Near-duplicate groups: id, method, size, kept count, lowest similarity, representative."""

    def __init__(self, parent=None):
        super().__init__(
            [
                ("Group", lambda g: g["id"]),
                ("Method", lambda g: g["method"]),
                ("Chunks", lambda g: g["size"]),
                ("Kept", lambda g: sum(1 for m in g["members"] if m["keep"])),
                ("Min. similarity", lambda g: _fmt(g["similarity"])),
                ("Representative", lambda g: _short_path(next(
                    (m["document_path"] for m in g["members"] if m["is_representative"]), ""))),
            ],
            parent,
        )


class CheckColumnModel(DictTableModel):
    """A ``DictTableModel`` whose column 0 is a checkbox showing ``row[check_key]``; checking
    it calls ``on_toggle(row, checked)`` (the pane applies the change, undoably)."""

    check_key = ""

    def __init__(self, columns, on_toggle: Callable[[dict, bool], None] | None = None, parent=None):
        super().__init__(columns, parent)
        self.on_toggle = on_toggle

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            row = self.row_dict(index.row())
            if row is not None:
                return Qt.CheckState.Checked if row[self.check_key] else Qt.CheckState.Unchecked
        return super().data(index, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not (index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole):
            return False
        row = self.row_dict(index.row())
        if row is None or self.on_toggle is None:
            return False
        checked = value if isinstance(value, bool) else Qt.CheckState(value) == Qt.CheckState.Checked
        self.on_toggle(row, checked)
        return True


class MembersModel(CheckColumnModel):
    """Members of one group; column 0 is a Keep checkbox (the pane applies the change)."""

    check_key = "keep"

    def __init__(self, on_toggle: Callable[[dict, bool], None] | None = None, parent=None):
        super().__init__(
            [
                ("Keep", lambda m: "kept" if m["keep"] else "dropped"),
                ("Chunk", lambda m: m["chunk_id"]),
                ("Document", lambda m: m["document_path"]),
                ("Heading", lambda m: " > ".join(m["heading_path"])),
                ("Similarity", lambda m: _fmt(m["similarity"])),
                ("Quality", lambda m: _fmt(m["quality"]) if m["quality"] is not None else "unknown"),
                ("Chars", lambda m: m["n_chars"]),
            ],
            on_toggle,
            parent,
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == 2 and role == Qt.ItemDataRole.DisplayRole:
            row = self.row_dict(index.row())
            if row is not None:
                star = " ★" if row["is_representative"] else ""
                return _short_path(row["document_path"]) + star
        return super().data(index, role)
