"""One crash dialog for every uncaught exception: main thread, other threads, Qt, workers.

``install_crash_reporter(app)`` hooks ``sys.excepthook`` (exceptions in Qt slots and virtual
methods land there too — PySide6 reports them through it and carries on),
``threading.excepthook``, Qt's message handler (criticals; warnings are only logged) and the
background tasks' unexpected errors (``workers.task.unexpected_error_hooks``: programming
errors such as ``TypeError`` in a task, which the pane that started the task also shows).

Every report is logged with its traceback (keys scrubbed by the log handler's filter) and shown
in ONE non-modal ``CrashDialog``: a short message, **Copy details** (the tracebacks, scrubbed)
and **Open log folder**. Further reports while it is open are added to it instead of opening
more windows. The app keeps running: nothing here quits or aborts (a Qt fatal message still
aborts inside Qt after being logged). ``CrashDialog`` is a plain widget so an error presenter
can reuse it (``CrashDialog.add_report``).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QtMsgType, QUrl, Signal, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.providers.keys import scrub

log = logging.getLogger("fineflow_desktop.crash")


@dataclass
class CrashReport:
    """One uncaught error: where it happened (``origin``), a one-line ``summary``, the ``details``."""

    origin: str
    summary: str
    details: str


def report_from_exception(origin: str, exc_type, exc, tb) -> CrashReport:
    """A ``CrashReport`` of an exception triple; texts scrubbed of API keys."""
    first = (str(exc).strip().splitlines() or [""])[0]
    summary = f"{exc_type.__name__}: {first}" if first else exc_type.__name__
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    return CrashReport(origin, scrub(summary[:300]), scrub(details))


class CrashDialog(QDialog):
    """The dialog: short message, the details (hidden until asked), Copy details, Open log folder."""

    def __init__(self, log_folder, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("FineFlow Desktop — something went wrong")
        self.log_folder = log_folder
        self.reports: list[CrashReport] = []
        lay = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumWidth(520)
        lay.addWidget(self.message)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMinimumHeight(200)
        lay.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setToolTip("Copy the error details (API keys masked) to paste into a bug report")
        self.copy_button.clicked.connect(self.copy_details)
        self.log_button = QPushButton("Open log folder")
        self.log_button.setToolTip(str(log_folder))
        self.log_button.clicked.connect(self.open_log_folder)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        lay.addWidget(buttons)
        self.resize(680, 420)

    def add_report(self, report: CrashReport) -> None:
        """Show *report* (the first one, or one more in the same dialog)."""
        self.reports.append(report)
        n = len(self.reports)
        head = (f"<b>An unexpected error occurred</b> ({report.origin}):<br>{_html(report.summary)}" if n == 1 else
                f"<b>{n} unexpected errors occurred</b>; the latest ({report.origin}):<br>{_html(report.summary)}")
        self.message.setText(
            f"{head}<br><br>FineFlow keeps running; what was saved stays saved. If something looks wrong, "
            "restart it. The full traceback is in the log file and below."
        )
        self.details.setPlainText(self.details_text())

    def details_text(self) -> str:
        """Every report's origin, summary and traceback, oldest first."""
        return "\n\n".join(f"[{r.origin}] {r.summary}\n{r.details}" for r in self.reports)

    def copy_details(self) -> None:
        """Put ``details_text()`` on the clipboard."""
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText("Copied")

    def open_log_folder(self) -> bool:
        """Open the log folder in the file manager; False if the desktop could not."""
        return open_folder(self.log_folder)


def _html(text: str) -> str:
    from html import escape

    return escape(text)


def open_folder(path) -> bool:
    """Open *path* (created if missing) in the desktop's file manager."""
    from pathlib import Path

    Path(path).mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class CrashReporter(QObject):
    """Receives reports from any thread and shows them in the one ``CrashDialog`` (main thread)."""

    reported = Signal(object)  # CrashReport; queued to the main thread when emitted elsewhere

    def __init__(self, log_folder, parent: QObject | None = None):
        super().__init__(parent)
        self.log_folder = log_folder
        self.dialog: CrashDialog | None = None
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._previous: dict[str, object] = {}

    def report(self, report: CrashReport) -> None:
        """Log *report* and show it (thread-safe)."""
        log.error("uncaught error in %s: %s", report.origin, report.summary,
                  extra={"origin": report.origin, "traceback": report.details})
        self.reported.emit(report)

    def _show(self, report: CrashReport) -> None:
        if self.dialog is None:
            parent = QGuiApplication.instance() and _main_window()
            self.dialog = CrashDialog(self.log_folder, parent)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.add_report(report)
        self.dialog.show()
        self.dialog.raise_()

    def _forget_dialog(self, *_args) -> None:
        self.dialog = None

    # ---- hooks ------------------------------------------------------------------------

    def excepthook(self, exc_type, exc, tb) -> None:
        """``sys.excepthook``: main-thread exceptions, including those raised in Qt slots."""
        if issubclass(exc_type, KeyboardInterrupt):
            return sys.__excepthook__(exc_type, exc, tb)
        self.report(report_from_exception("main thread", exc_type, exc, tb))

    def threading_excepthook(self, args) -> None:
        """``threading.excepthook``: exceptions escaping a Python thread."""
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread else "a thread"
        self.report(report_from_exception(f"thread {name}", args.exc_type, args.exc_value, args.exc_traceback))

    def task_hook(self, title: str, exc: BaseException) -> None:
        """``workers.task.unexpected_error_hooks``: a programming error inside a background task."""
        self.report(report_from_exception(f"task {title!r}", type(exc), exc, exc.__traceback__))

    def qt_message(self, mode, context, message: str) -> None:
        """Qt's message handler: warnings are logged; criticals and fatals are reported too."""
        where = f"{context.file}:{context.line}" if context is not None and context.file else "Qt"
        if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            self.report(CrashReport("Qt", scrub(message)[:300], f"{where}: {scrub(message)}"))
        elif mode == QtMsgType.QtWarningMsg:
            log.warning("Qt: %s", message, extra={"origin": where})
        else:
            log.debug("Qt: %s", message)

    def install(self) -> None:
        """Install every hook (keeps the previous ones for ``uninstall``)."""
        from fineflow_desktop.workers import task as task_module

        self._previous = {"sys": sys.excepthook, "threading": threading.excepthook,
                          "qt": qInstallMessageHandler(self.qt_message)}
        sys.excepthook = self.excepthook
        threading.excepthook = self.threading_excepthook
        task_module.unexpected_error_hooks.append(self.task_hook)

    def uninstall(self) -> None:
        """Restore the hooks found by ``install`` (tests)."""
        from fineflow_desktop.workers import task as task_module

        if not self._previous:
            return
        sys.excepthook = self._previous["sys"]
        threading.excepthook = self._previous["threading"]
        qInstallMessageHandler(self._previous["qt"])
        if self.task_hook in task_module.unexpected_error_hooks:
            task_module.unexpected_error_hooks.remove(self.task_hook)
        self._previous = {}


def _main_window() -> QWidget | None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMainWindow) and w.isVisible():
            return w
    return None


def install_crash_reporter(app) -> CrashReporter:
    """Create the app's ``CrashReporter`` (child of *app*), install its hooks and return it."""
    from fineflow_desktop.logs import log_dir

    reporter = CrashReporter(log_dir(), app)
    reporter.install()
    return reporter
