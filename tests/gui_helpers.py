"""Helpers shared by the GUI tests: screenshots for visual review and simulated file drops."""

from __future__ import annotations

from contextlib import contextmanager
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


@contextmanager
def palette(dark: bool):
    """The application in the light or dark palette with the app style sheet (for screenshots);
    the previous palette and sheet are put back on exit."""
    from fineflow_desktop.ui.style import apply_app_style, dark_palette

    app = QApplication.instance()
    saved_palette, saved_sheet = app.palette(), app.styleSheet()
    try:
        if dark:
            app.setPalette(dark_palette())
        apply_app_style(app)
        yield
    finally:
        app.setPalette(saved_palette)
        app.setStyleSheet(saved_sheet)
