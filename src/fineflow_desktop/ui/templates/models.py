"""Table models of the Templates pane: version history and the execution audit.

Both hold a small list of frozen info objects from ``services.templates`` (a template has tens
of versions; the execution list is capped by the service's ``limit``), so a plain list model
with cheap ``data``/``flags`` is enough.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
ROLE_ITEM = Qt.ItemDataRole.UserRole + 1  # the info object of a row


def _when(dt) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else ""


class _ListTableModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list = []

    def set_items(self, items: Sequence) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def item(self, row: int):
        return self.items[row] if 0 <= row < len(self.items) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.items)):
            return None
        it = self.items[index.row()]
        if role == ROLE_ITEM:
            return it
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(it, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(it, index.column())
        return None

    def display(self, item, column: int) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def tooltip(self, item, column: int) -> str | None:
        return None


class HistoryModel(_ListTableModel):
    """Rows of ``services.templates.HistoryEntry`` (newest first)."""

    headers = ("Version", "Status", "Author", "Saved", "Note", "Changes")

    def display(self, entry, column: int) -> str:
        v = entry.version
        if column == 0:
            parent = f" ← v{v.parent_number}" if v.parent_number else ""
            return f"v{v.number}{parent}"
        if column == 1:
            return v.status + (" ★ active" if v.is_active else "")
        if column == 2:
            return v.author
        if column == 3:
            return _when(v.created_at)
        if column == 4:
            return v.note
        return entry.changeset.summary()

    def tooltip(self, entry, column: int) -> str | None:
        if column == 5 and entry.changeset.fields:
            return "\n".join(c.describe() for c in entry.changeset.fields)
        if column == 1 and entry.version.is_active:
            return "This published version drives generation runs."
        return None


class ExecutionsModel(_ListTableModel):
    """Rows of ``services.templates.ExecutionInfo`` (newest first)."""

    headers = ("#", "When", "Version", "Kind", "Model", "Status", "Duration", "Tokens in/out", "Feedback", "Link")

    def display(self, e, column: int) -> str:
        if column == 0:
            return str(e.id)
        if column == 1:
            return _when(e.created_at)
        if column == 2:
            return f"v{e.version_number}"
        if column == 3:
            return "preview" if e.is_preview else "live"
        if column == 4:
            return e.model
        if column == 5:
            return e.status
        if column == 6:
            return f"{e.duration_ms / 1000:.2f} s" if e.duration_ms is not None else ""
        if column == 7:
            return f"{e.input_tokens or 0} / {e.output_tokens or 0}" if e.input_tokens is not None else ""
        if column == 8:
            return {1: "▲ up", -1: "▼ down"}.get(e.feedback, "")
        if e.rerun_of_id:
            return f"re-run of #{e.rerun_of_id}"
        if e.regenerated_from_id:
            return f"regenerated from #{e.regenerated_from_id}"
        return ""

    def tooltip(self, e, column: int) -> str | None:
        if column == 5 and e.error:
            return e.error
        return None
