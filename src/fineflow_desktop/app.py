"""GUI entry point (``fineflow-desktop`` / ``python -m fineflow_desktop``).

Opens the default workspace (created on first start in the platform's user-data folder, see
``store.workspace.default_workspace_path``) or the one given with ``--workspace DIR``, and shows
the main window. ``--smoke-test`` builds the window, processes events once and exits 0 (used
by CI and by the packaged binary's check).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fineflow_desktop import APP_NAME, __version__


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fineflow-desktop", description=f"{APP_NAME} {__version__}")
    parser.add_argument("--workspace", type=Path, default=None, help="workspace folder (default: the default workspace)")
    parser.add_argument("--smoke-test", action="store_true", help="build the window, process events, exit 0")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    # Qt's own options (e.g. -platform offscreen) are left for QApplication.
    args, qt_args = parser.parse_known_args(argv)
    args.qt_args = qt_args
    return args


def main(argv: list[str] | None = None) -> int:
    """Start the GUI; returns the process exit code (2 if the workspace cannot be opened)."""
    import multiprocessing

    multiprocessing.freeze_support()  # ingest worker processes in a frozen (PyInstaller) build
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from fineflow_desktop.logs import setup_logging
    from fineflow_desktop.store.workspace import Workspace, WorkspaceError, default_workspace_path
    from fineflow_desktop.ui.main_window import MainWindow
    from fineflow_desktop.ui.style import apply_app_style

    setup_logging()

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "fineflow-desktop", *args.qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    apply_app_style(app)  # resources/app.qss with the light or dark colours of the system palette
    path = args.workspace or default_workspace_path()
    try:
        workspace = Workspace.open(path, create=True)
    except WorkspaceError as exc:
        print(f"fineflow-desktop: {exc}", file=sys.stderr)
        if not args.smoke_test:
            QMessageBox.critical(None, "Cannot open workspace", str(exc))
        return 2
    window = MainWindow(workspace)
    window.show()
    if args.smoke_test:
        app.processEvents()
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(0, app.quit)
        app.exec()
        print(f"smoke test ok: {window.windowTitle()}")
        return 0
    return app.exec()
