"""The one place that shows an error to the user: short message, details, log path, copyable.

``ctx.errors.present(title, message, details)`` opens (or reuses) one non-modal message box:
the short message, the path of the log file, the details (traceback) behind "Show Details…",
and a Copy button that puts all of it on the clipboard. ``ctx.ops.run`` sends every failed
operation here unless its caller passes ``on_error`` to show the message in place (a form field).
Expected errors (a missing credential, a bad file) come with empty *details*: no traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from fineflow_desktop import logs
from fineflow_desktop.providers.keys import scrub


@dataclass(frozen=True)
class ErrorReport:
    """What was shown: ``title`` (the operation), ``message`` (one line), ``details`` (traceback or "")."""

    title: str
    message: str
    details: str = ""

    def text(self) -> str:
        """All of it as plain text (what Copy puts on the clipboard), with the log path."""
        parts = [f"{self.title} failed: {self.message}", f"Log: {log_path()}"]
        if self.details:
            parts.append(self.details.rstrip())
        return "\n\n".join(parts)


def log_path() -> str:
    """Path of the application log file (``logs.setup_logging`` writes it)."""
    return str(logs.log_path())


class ErrorPresenter:
    """Shows ``ErrorReport``s in one non-modal message box; ``last`` is the latest report."""

    def __init__(self) -> None:
        self.last: ErrorReport | None = None
        self.box: QMessageBox | None = None

    def present(self, title: str, message: str, details: str = "") -> ErrorReport:
        """Show *message* (first line bold) under the window title "*title* failed"."""
        # API keys never reach the screen or the clipboard (issue 4), whatever the error quotes
        report = ErrorReport(title, scrub((message or "unknown error").strip()), scrub(details or ""))
        self.last = report
        if self.box is not None:
            self.box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, f"{title} failed", report.message,
                          QMessageBox.StandardButton.Close, QApplication.activeWindow())
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setInformativeText(f"The log has more: {log_path()}")
        if report.details:
            box.setDetailedText(report.details)
        copy = box.addButton("Copy", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # an action button would close the box
        copy.clicked.connect(lambda: QApplication.clipboard().setText(report.text()))
        box.destroyed.connect(lambda *_: self._forget(box))
        self.box = box
        box.open()
        return report

    def _forget(self, box: QMessageBox) -> None:
        if self.box is box:
            self.box = None
