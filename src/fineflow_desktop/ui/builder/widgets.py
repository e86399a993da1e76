"""Small display widgets of the Dataset Builder: progress strip, result banner, drop zone."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton, QWidget
from fineflow_desktop.ui.style import set_banner, set_property

DROP_HINT = "Drop files or folders anywhere here to import them  —  .txt .md .rst .html .json .jsonl .csv and more"


class ProgressStrip(QWidget):
    """“Task: message  [=====    ] 12 / 40 files  [Cancel]”; hidden while nothing runs."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        self.label = QLabel()
        self.label.setMinimumWidth(260)
        self.bar = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop after the current file or section; work already done is kept")
        self.cancel_button.clicked.connect(self._cancel)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.title = ""
        self.hide()

    def start(self, title: str, label: str, bar_format: str) -> None:
        """Show a busy bar for a new task; *bar_format* like ``"%v / %m files"``."""
        self.title = title
        self.label.setText(f"{title}: {label}")
        self.bar.setFormat(bar_format)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def set_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.label.setText(f"{self.title}: {message}" if message else self.title)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(f"{self.title}: cancelling…")
        self.cancel_requested.emit()


class ResultBanner(QFrame):
    """Green (done) or red (problem) message with an optional “Open in Pair Editor” button."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("Open in Pair Editor")
        self.open_button.clicked.connect(self.open_requested)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        row.addWidget(self.label, 1)
        row.addWidget(self.open_button)
        row.addWidget(close)
        self.hide()

    def show_message(self, text: str, ok: bool = True, with_open: bool = False) -> None:
        set_banner(self, "ok" if ok else "error")
        self.label.setText(text)
        self.open_button.setVisible(with_open)
        self.show()


class DropZone(QFrame):
    """A dashed hint strip that lights up while files are dragged over the pane."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dropZone")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.label)
        self.set_active(False)

    def set_active(self, active: bool) -> None:
        set_property(self, "dropzone", "active" if active else "idle")  # app.qss draws it
        self.label.setText("Release to import" if active else DROP_HINT)
