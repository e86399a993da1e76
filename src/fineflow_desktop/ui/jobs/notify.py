"""Desktop notification when a fine-tuning job reaches a final state (system tray message).

``QSystemTrayIcon.showMessage`` works while the window is minimised or hidden; where the
platform has no tray (offscreen tests, some Linux desktops) the message is still kept in
``sent`` and shown in the status bar by the caller.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from fineflow_desktop.ui.jobs import format as fmt


def job_message(job) -> tuple[str, str]:
    """Title and body of the notification for a job in a final state."""
    title = f"Fine-tuning job #{job.id} {job.status}"
    if job.status == "completed":
        body = f"Model ready: {job.fine_tuned_model}" if job.fine_tuned_model else "Training finished."
    elif job.error is not None:
        body = f"{job.error.message}" + (f" — {job.error.hint}" if job.error.hint else "")
    else:
        body = f"{job.model} on {job.dataset_name or 'dataset'} was {job.status}."
    cost = fmt.job_cost({"cost_actual_usd": job.cost_actual_usd, "cost_estimate_usd": job.cost_estimate_usd})
    return title, f"{body}\nCost: {cost}"


class JobNotifier:
    """Owns the tray icon (created on first use). ``sent``: (title, body) of every message shown."""

    def __init__(self, parent=None):
        self.parent = parent
        self.tray: QSystemTrayIcon | None = None
        self.sent: list[tuple[str, str]] = []

    def _ensure_tray(self) -> QSystemTrayIcon | None:
        if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            icon = QApplication.windowIcon()
            if icon.isNull():
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
            self.tray = QSystemTrayIcon(QIcon(icon), self.parent)
            self.tray.setToolTip("FineFlow — fine-tuning jobs")
            self.tray.show()
        return self.tray

    def notify(self, job) -> tuple[str, str]:
        """Show the message for *job* (a final ``JobRecord``); returns (title, body)."""
        title, body = job_message(job)
        self.sent.append((title, body))
        tray = self._ensure_tray()
        if tray is not None:
            icon = (QSystemTrayIcon.MessageIcon.Information if job.status == "completed"
                    else QSystemTrayIcon.MessageIcon.Warning)
            tray.showMessage(title, body, icon, 15_000)
        return title, body

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
            self.tray.deleteLater()
            self.tray = None
