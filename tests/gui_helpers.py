"""Helpers shared by the GUI tests: screenshots for visual review and simulated file drops."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

APP_SCREENS = Path("/work/screens/app")


def shot(widget, name: str, screens: Path = APP_SCREENS) -> None:
    """Save ``<screens>/<name>.png`` for visual review (best effort outside this machine)."""
    QApplication.processEvents()  # let pending layout requests settle first
    try:
        screens.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(screens / f"{name}.png"))
    except OSError:
        pass


def drop_files(widget, paths) -> None:
    """Simulate dragging local files onto *widget* and releasing them (QDragEnter + QDrop)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = widget.rect().center()
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the pane must accept dragged files"
    ev = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)
