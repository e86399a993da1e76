"""In-place editing of pair text cells with a multi-line editor.

Rows have a fixed one-line height, so the editor opens taller than its cell (about eight lines,
kept inside the viewport). Enter inserts a newline, Ctrl+Enter commits, Esc cancels, leaving the
cell commits. The model turns the commit into an undoable ``EditPairField``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRect, Qt
from PySide6.QtWidgets import QPlainTextEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from fineflow_desktop.ui.pairs.table_model import TEXT_COLUMNS

EDITOR_LINES = 8
MIN_EDITOR_WIDTH = 380


class CellEditor(QPlainTextEdit):
    """Multi-line cell editor (Ctrl+Enter commits)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pairCellEditor")
        self.setTabChangesFocus(True)
        self.setFrameShape(QPlainTextEdit.Box)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # lines wrap
        self.setToolTip("Ctrl+Enter to save, Esc to cancel")


class PairTextDelegate(QStyledItemDelegate):
    """Delegate for the system/user/assistant columns; other columns use the default."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget | None:
        if index.column() not in TEXT_COLUMNS:
            return super().createEditor(parent, option, index)
        editor = CellEditor(parent)
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, CellEditor):
            editor.setPlainText(index.data(Qt.EditRole) or "")
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, CellEditor):
            model.setData(index, editor.toPlainText(), Qt.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if not isinstance(editor, CellEditor):
            return super().updateEditorGeometry(editor, option, index)
        rect = QRect(option.rect)
        line = editor.fontMetrics().lineSpacing()
        rect.setHeight(max(rect.height(), line * EDITOR_LINES + 12))
        rect.setWidth(max(rect.width(), MIN_EDITOR_WIDTH))
        viewport = editor.parentWidget().rect() if editor.parentWidget() else rect
        if rect.bottom() > viewport.bottom():  # open upwards near the bottom edge
            rect.moveBottom(max(viewport.bottom(), rect.height()))
        if rect.right() > viewport.right():
            rect.moveRight(max(viewport.right(), rect.width()))
        editor.setGeometry(rect)

    def eventFilter(self, obj, event) -> bool:
        if isinstance(obj, CellEditor) and event.type() == QEvent.KeyPress:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter) and event.modifiers() & Qt.ControlModifier:
                self.commitData.emit(obj)
                self.closeEditor.emit(obj, QStyledItemDelegate.NoHint)
                return True
        return super().eventFilter(obj, event)
