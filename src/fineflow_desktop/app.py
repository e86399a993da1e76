"""GUI entry point (``fineflow-desktop`` / ``python -m fineflow_desktop``).

Opens the default workspace (created on first start in the platform's user-data folder, see
``store.workspace.default_workspace_path``) or the one given with ``--workspace DIR``, and shows
the main window. ``--smoke-test`` runs ``ui.smoke`` (temporary workspace, the main job on the
bundled sample, every pane opened once; exit 0 or 1 with the reason) — CI and the packaged
binary's check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fineflow_desktop import APP_NAME, __version__


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fineflow-desktop", description=f"{APP_NAME} {__version__}")
    parser.add_argument("--workspace", type=Path, default=None, help="workspace folder (default: the default workspace)")
    parser.add_argument("--smoke-test", action="store_true", help="offscreen end-to-end check on a temporary workspace; exit 0 or 1 with the reason")
    parser.add_argument("--quit-after-paint", action="store_true",
                        help="open the workspace, show the window, exit 0 once it has painted "
                             "(prints the time since the process started; start-up checks and benchmarks)")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    # Qt's own options (e.g. -platform offscreen) are left for QApplication.
    args, qt_args = parser.parse_known_args(argv)
    args.qt_args = qt_args
    return args


def main(argv: list[str] | None = None) -> int:
    """Start the GUI; returns the process exit code (2 if the workspace cannot be opened)."""
    import multiprocessing

    multiprocessing.freeze_support()  # ingest workers and the job poll process in a frozen (PyInstaller) build
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke_test:
        from fineflow_desktop.ui import smoke

        return smoke.run(args.qt_args)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from fineflow_desktop.logs import setup_logging
    from fineflow_desktop.store.workspace import Workspace, WorkspaceError, default_workspace_path
    from fineflow_desktop.ui.main_window import MainWindow
    from fineflow_desktop.ui.style import apply_app_style

    setup_logging()
    from fineflow_desktop.platform_check import log_platform_problem

    log_platform_problem(args.qt_args)  # a missing system library is named in the log, not just by Qt's abort
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "fineflow-desktop", *args.qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    apply_app_style(app)  # resources/app.qss with the light or dark colours of the system palette
    from fineflow_desktop.ui.main_thread_gc import install_main_thread_gc

    install_main_thread_gc(app)  # Python's GC must not run Qt destructors on a worker thread
    from fineflow_desktop.ui.crash import install_crash_reporter

    install_crash_reporter(app)
    _set_window_icon(app)
    path = args.workspace or default_workspace_path()
    try:
        workspace = Workspace.open(path, create=True)
    except WorkspaceError as exc:
        print(f"fineflow-desktop: {exc}", file=sys.stderr)
        if not args.quit_after_paint:  # unattended start-up checks must not wait on a dialog
            QMessageBox.critical(None, "Cannot open workspace", str(exc))
        return 2
    window = MainWindow(workspace, defer_panes=True)  # the other panes follow the first paint
    if args.quit_after_paint:
        _quit_after_first_paint(app, window)
    window.show()
    return app.exec()


def _set_window_icon(app) -> None:
    """The app icon (PNG: the bundle leaves out Qt's SVG module)."""
    from PySide6.QtGui import QIcon

    from fineflow_desktop.resources import RESOURCES_DIR

    icon = QIcon()
    for size in (32, 64, 256):
        icon.addFile(str(RESOURCES_DIR / "icons" / f"fineflow-{size}.png"))
    app.setWindowIcon(icon)
    app.setDesktopFileName("fineflow-desktop")  # matches the .desktop entry (Wayland/X11 grouping)


def seconds_since_process_start() -> float:
    """Seconds since this process was started (exec), for start-up measurements.

    Linux: ``/proc/uptime`` minus the process's start time in clock ticks since boot (both on
    the boot clock). psutil's ``create_time()`` adds the boot time from ``/proc/stat`` ``btime``,
    a whole second, and was 0.9 s early on the build machine (every cold-start figure of the
    previous session carried that offset). Elsewhere psutil.
    """
    import os
    import time

    try:
        with open("/proc/self/stat") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        import psutil

        return time.time() - psutil.Process().create_time()


def _quit_after_first_paint(app, window) -> None:
    """Print the seconds from process start to the window's first paint, and the wall-clock time
    of that paint (``at EPOCH``: a caller that noted the time before starting us subtracts it),
    then quit (exit 0)."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
                self.seen = True
                self.at, self.elapsed = time.time(), seconds_since_process_start()
                QTimer.singleShot(0, self.report)
            return False

        def report(self):
            print(f"first paint after {self.elapsed:.3f} s (at {self.at:.3f}): {window.windowTitle()}", flush=True)
            window.close()
            app.quit()

    window._first_paint_filter = FirstPaint(window)
    window.installEventFilter(window._first_paint_filter)
