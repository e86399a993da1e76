"""Table model of the import preview: one row per record read (example or skip reason)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush

from fineflow_desktop.core.formats.canonical import first_text, text_of
from fineflow_desktop.ui.style import colour

COLUMNS = ("Line", "Turns", "System", "User", "Assistant", "Notes")
PREVIEW_CHARS = 160  # cell text is cut here; the tooltip holds more


def _short(text: str, n: int = PREVIEW_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _notes(example: dict) -> str:
    notes = []
    msgs = example.get("messages", [])
    n_calls = sum(len(m.get("tool_calls") or []) for m in msgs)
    if n_calls:
        notes.append(f"{n_calls} tool call(s)")
    if example.get("tools"):
        notes.append(f"{len(example['tools'])} tool definition(s)")
    if example.get("non_preferred") is not None:
        notes.append("preference pair (chosen / rejected)")
    if any("weight" in m for m in msgs):
        notes.append("weights")
    conf = (example.get("extra") or {}).get("confidence")
    if conf is not None:
        notes.append(f"confidence {conf:g}")
    return ", ".join(notes)


class PreviewModel(QAbstractTableModel):
    """Read-only rows ``(line, example | reason)``; skipped records show their reason in red."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[int, Any]] = []

    def set_items(self, items: list[tuple[int, Any]]) -> None:
        """Show *items* ``(line, example dict | skip reason)``."""
        self.beginResetModel()
        self._rows = list(items)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        line, item = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and not isinstance(item, dict):
            return QBrush(colour("error"))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        full = role == Qt.ItemDataRole.ToolTipRole
        if col == 0:
            return str(line)
        if not isinstance(item, dict):
            if col == 5:
                return f"skipped: {item}"
            return None
        msgs = item.get("messages", [])
        if col == 1:
            return str(len(msgs))
        if col in (2, 3, 4):
            text = first_text(msgs, COLUMNS[col].lower())
            if not text and col == 4:
                text = next((text_of(m.get("content")) for m in msgs if m.get("role") == "assistant"), "")
            return text[:2000] if full else _short(text)
        if col == 5:
            return _notes(item)
        return None
