"""Keyboard shortcuts of the pair editor, in one table: the help sheet and the tooltips use it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

# (action key, keys shown to the user, what it does)
SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("next", "J / ↓", "Next pair"),
    ("prev", "K / ↑", "Previous pair"),
    ("accept", "A", "Accept: mark the selected pairs validated (then move to the next)"),
    ("unvalidate", "U", "Un-validate the selected pairs"),
    ("reject", "R", "Reject the selected pairs: kept and shown greyed, left out of export (R again restores)"),
    ("delete", "Del", "Delete the selected pairs for good (the selection stays in place)"),
    ("edit", "Enter / F2", "Edit the current cell (Ctrl+Enter saves, Esc cancels)"),
    ("tag", "T", "Tag the selected pairs"),
    ("undo", "Ctrl+Z", "Undo"),
    ("redo", "Ctrl+Shift+Z", "Redo"),
    ("search", "Ctrl+F", "Search"),
    ("apply", "Ctrl+S", "Apply the message-list edits in the detail panel"),
    ("select_all", "Ctrl+A", "Select all shown pairs (for bulk actions)"),
    ("help", "F1 / ?", "This help"),
)
KEYS = {key: keys for key, keys, _ in SHORTCUTS}


def tip(text: str, action: str) -> str:
    """Tooltip text with the action's shortcut appended, e.g. "Accept (A)"."""
    return f"{text} ({KEYS[action]})"


class ShortcutHelp(QDialog):
    """The help sheet listing every shortcut."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Pair Editor — keyboard shortcuts")
        rows = "".join(
            f"<tr><td style='padding:3px 14px 3px 0'><b>{keys}</b></td><td style='padding:3px 0'>{what}</td></tr>"
            for _key, keys, what in SHORTCUTS
        )
        label = QLabel(
            "<p>Review with the keyboard: move with J/K, accept with A, reject with R.</p>"
            f"<table>{rows}</table>"
            "<p>Every change, including bulk actions, is one undo step.</p>"
        )
        label.setTextFormat(Qt.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(buttons)
