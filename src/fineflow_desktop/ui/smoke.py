"""``fineflow-desktop --smoke-test``: the packaged app's end-to-end check (CI and users alike).

On a temporary workspace (with temporary data/config folders and no keyring access) it runs the
migrations, the main job on the bundled sample (``services.smoke.run_sample_flow``: import of
one file per format, extractive generation, validation, export, validation of the file), then
builds the main window and opens every pane of ``ui.main_window.PANES`` once (so panes added
later are covered). Exit 0 when all passed; 1 with ``smoke test failed: <step>: <reason>`` on
stderr otherwise. Qt runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def prepare_environment(root: Path) -> None:
    """Point data/config folders at *root* and keep Qt offscreen and the keyring untouched.

    Must run before the workspace, logging or keyring modules read their settings.
    """
    os.environ["FINEFLOW_DATA_DIR"] = str(root / "data")
    os.environ["FINEFLOW_CONFIG_DIR"] = str(root / "config")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The fail backend reads as "no keyring": the Settings pane says so, nothing is written.
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


def open_every_pane(window, app) -> list[str]:
    """Bring each pane of ``PANES`` to the front and paint it; returns their titles."""
    from fineflow_desktop.ui.main_window import PANES

    titles = []
    for cls in PANES:
        pane = window.show_pane(cls)
        app.processEvents()
        if window.stack.currentWidget() is not pane or not pane.isVisible():
            from fineflow_desktop.services.smoke import SmokeTestError

            raise SmokeTestError("panes", f"pane {cls.title!r} did not show")
        pane.grab()  # paints it once, as a user opening it would
        titles.append(cls.title)
    return titles


# Qt's ICU services the app can reach (QFileDialog and sorting collate, legacy codecs, time-zone
# names). The bundle ships a trimmed ICU data library (packaging/slim_icu.py): these answers prove
# the data they need is still there. Expected values are ICU/CLDR's own.
QT_TEXT_EXPECTED = {
    "numeric": ["File1", "file2", "file10"],  # QCollator numeric mode (QFileSystemModel's sort)
    "swedish": 1,  # sv collation tailoring: ö sorts after z
    "codecs": ["Shift_JIS", "windows-1252", "KOI8-R", "GB18030", "EUC-KR", "ISO-8859-15"],
}


def qt_text_services() -> dict:
    """What Qt's ICU-backed text services answer: ``{"numeric": [...], "swedish": int,
    "codecs": [names that open both ways], "codec_count": int, "zone": str}`` (``zone`` is ""
    when the system has no time-zone database, as in a minimal chroot)."""
    from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QStringEncoder, QTimeZone

    numeric = QCollator(QLocale("en_US"))
    numeric.setNumericMode(True)
    zone = QTimeZone(b"Europe/Paris")
    return {
        "numeric": sorted(["file10", "file2", "File1"], key=numeric.sortKey),
        "swedish": QCollator(QLocale("sv_SE")).compare("ö", "z"),
        "codecs": [n for n in QT_TEXT_EXPECTED["codecs"] if QStringDecoder(n).isValid() and QStringEncoder(n).isValid()],
        "codec_count": len(QStringDecoder.availableCodecs()),
        "zone": zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("de_DE"))
        if zone.isValid() else "",
    }


def check_qt_text_services() -> None:
    """Raise ``SmokeTestError("qt text", …)`` when an ICU-backed Qt service answers wrong."""
    from fineflow_desktop.services.smoke import SmokeTestError

    got = qt_text_services()
    wrong = {k: got[k] for k, v in QT_TEXT_EXPECTED.items() if got[k] != v}
    if got["zone"] not in ("", "Mitteleuropäische Normalzeit"):
        wrong["zone"] = got["zone"]
    if wrong:
        raise SmokeTestError("qt text", f"ICU-backed Qt services answered {wrong}")


def run(qt_args: list[str] | None = None) -> int:
    """Run the smoke test; returns the exit code (0 passed, 1 failed)."""
    root = Path(tempfile.mkdtemp(prefix="fineflow-smoke-"))
    prepare_environment(root)
    t0 = time.perf_counter()
    try:
        return _run(root, qt_args or [])
    finally:
        shutil.rmtree(root, ignore_errors=True)
        print(f"smoke test took {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _run(root: Path, qt_args: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from fineflow_desktop import APP_NAME, __version__
    from fineflow_desktop.logs import setup_logging
    from fineflow_desktop.services.smoke import SmokeTestError, run_sample_flow
    from fineflow_desktop.store.workspace import Workspace

    setup_logging()
    step = "workspace"
    window = None
    try:
        ws = Workspace.open(root / "workspace", create=True)  # runs every migration
        flow = run_sample_flow(ws, root / "export")
        ws.close()
        step = "window"
        app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "fineflow-desktop", *qt_args])
        app.setApplicationName(APP_NAME)
        from fineflow_desktop.ui.main_thread_gc import install_main_thread_gc

        install_main_thread_gc(app)  # as the app does (ui.main_thread_gc)
        step = "qt text"
        check_qt_text_services()
        step = "window"
        from fineflow_desktop.ui.main_window import MainWindow

        window = MainWindow(Workspace.open(root / "workspace"))
        window.show()
        app.processEvents()
        step = "panes"
        titles = open_every_pane(window, app)
        window.close()
        app.processEvents()
    except SmokeTestError as exc:
        print(f"smoke test failed: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - report any failure with its step, exit non-zero
        import traceback

        traceback.print_exc()
        print(f"smoke test failed: {step}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"smoke test ok: {APP_NAME} {__version__}; {flow['documents']} sample documents, {flow['chunks']} chunks, "
          f"{flow['pairs']} pairs generated, {flow['exported']} exported and valid; "
          f"{len(titles)} panes opened ({', '.join(titles)})")
    print("step seconds: " + ", ".join(f"{k} {v}" for k, v in flow["seconds"].items()))
    return 0
