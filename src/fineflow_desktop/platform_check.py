"""Why Qt's xcb platform plugin cannot load, found before Qt tries (and aborts with only
"could not load the Qt platform plugin xcb").

Qt loads ``plugins/platforms/libqxcb.so`` with the dynamic loader; if a system library it
links to is missing (on a fresh Debian: ``libxcb-icccm4``, ``libxcb-keysyms1``, …) the loader's
message names it. ``xcb_plugin_problem`` loads the plugin the same way and returns that
message; ``app.main`` logs it. The Debian packages are listed once, in
``packaging/linux-runtime-libs.txt`` (``make run`` installs them, the .deb depends on them).
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)
INSTALL_HINT = ("Debian/Ubuntu: run `make run` as root (it installs them), or `sudo apt-get install` the packages "
                "listed in packaging/linux-runtime-libs.txt")


def xcb_plugin_path() -> Path | None:
    """``libqxcb.so`` of the installed PySide6 (found without importing Qt), or None."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.is_file() else None


def wants_xcb(qt_args: list[str] | None = None) -> bool:
    """True when Qt will use the xcb platform: Linux, and neither ``-platform`` nor
    ``QT_QPA_PLATFORM`` names another one (offscreen, wayland, …)."""
    if not sys.platform.startswith("linux"):
        return False
    args = list(qt_args or [])
    requested = args[args.index("-platform") + 1] if "-platform" in args[:-1] else os.environ.get("QT_QPA_PLATFORM", "")
    if requested:
        return requested.split(";")[0].split(":")[0] == "xcb"
    return not (os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"))


def xcb_plugin_problem(plugin: Path | None = None) -> str | None:
    """The dynamic loader's error when loading the xcb plugin (it names the missing library),
    or None when it loads (or there is no plugin to check)."""
    plugin = plugin or xcb_plugin_path()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        return str(exc)
    return None


def log_platform_problem(qt_args: list[str] | None = None) -> str | None:
    """Check the xcb plugin when Qt will use it; log (ERROR) and print the reason and the fix.
    Returns the reason, or None when nothing is wrong."""
    if not wants_xcb(qt_args):
        return None
    problem = xcb_plugin_problem()
    if problem:
        message = f"Qt's xcb platform plugin cannot load: {problem}. {INSTALL_HINT}."
        log.error(message)
        print(f"fineflow-desktop: {message}", file=sys.stderr)
    return problem
