"""The bottom row of the dataset file dialogs: a progress bar that takes the free width, then
the dialog's buttons (start, cancel, close)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton


def progress_button_row(progress: QProgressBar, *buttons: QPushButton) -> QHBoxLayout:
    """Lay out *progress* (stretch 1) and *buttons* left to right; no button is an auto-default,
    so Return in a text field (which previews or edits) never starts the task."""
    row = QHBoxLayout()
    row.addWidget(progress, 1)
    for button in buttons:
        button.setAutoDefault(False)
        row.addWidget(button)
    return row
