"""A fresh machine: ``make run`` checks the Qt xcb runtime libraries first
(packaging/qt_runtime_check.sh), and the app logs why the xcb plugin cannot load."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fineflow_desktop import platform_check

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "packaging" / "qt_runtime_check.sh"
PLUGIN = platform_check.xcb_plugin_path()

pytestmark = pytest.mark.skipif(PLUGIN is None or shutil.which("dpkg-query") is None,
                                reason="needs PySide6's xcb plugin and a Debian system")


def _run(*args, env_list: Path | None = None):
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "QT_QPA_PLATFORM": "xcb"}
    if env_list:
        env["FINEFLOW_QT_LIBS_LIST"] = str(env_list)
    return subprocess.run(["sh", str(SCRIPT), *map(str, args)], capture_output=True, text=True, env=env)


def _in_fresh_process(code: str, plugin: Path) -> subprocess.CompletedProcess:
    """Run *code* in a new interpreter: once a process has loaded Qt's xcb libraries, a broken
    copy of the plugin would find them already loaded."""
    prelude = ("import logging, sys; from pathlib import Path; from fineflow_desktop import platform_check as pc; "
               f"logging.basicConfig(stream=sys.stderr, level=logging.INFO); plugin = Path({str(plugin)!r}); ")
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "xcb"})


@pytest.fixture
def broken_plugin(tmp_path) -> Path:
    """The real plugin copied away from Qt's lib folder: its RUNPATH no longer finds
    libQt6XcbQpa.so.6, as a missing system library would not be found."""
    copy = tmp_path / "platforms" / "libqxcb.so"
    copy.parent.mkdir()
    shutil.copy(PLUGIN, copy)
    return copy


def test_the_list_is_installed_here_and_the_plugin_loads():
    proc = _run("--print-only", PLUGIN)
    assert proc.returncode == 0, proc.stderr
    assert _in_fresh_process("print(pc.xcb_plugin_problem(plugin))", PLUGIN).stdout == "None\n"


def test_a_missing_package_stops_with_the_exact_command(tmp_path):
    listing = tmp_path / "libs.txt"
    listing.write_text("# comment\nlibc6\nfineflow-no-such-package\n")
    proc = _run("--print-only", PLUGIN, env_list=listing)
    assert proc.returncode == 1
    assert "sudo apt-get install -y fineflow-no-such-package\n" in proc.stderr
    assert "libc6" not in proc.stderr.split("install -y", 1)[1]


def test_a_library_the_plugin_cannot_find_is_named(broken_plugin, tmp_path):
    listing = tmp_path / "libs.txt"
    listing.write_text("libc6\n")
    proc = _run("--print-only", broken_plugin, env_list=listing)
    assert proc.returncode == 1 and "not found: libQt6XcbQpa.so.6" in proc.stderr
    assert "libQt6XcbQpa.so.6" in _in_fresh_process("print(pc.xcb_plugin_problem(plugin))", broken_plugin).stdout


def test_other_platforms_need_no_xcb(tmp_path):
    listing = tmp_path / "libs.txt"
    listing.write_text("fineflow-no-such-package\n")
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "FINEFLOW_QT_LIBS_LIST": str(listing)}
    assert subprocess.run(["sh", str(SCRIPT), "--print-only"], env=env).returncode == 0
    assert not platform_check.wants_xcb(["-platform", "offscreen"])


def test_the_app_logs_why_the_platform_plugin_fails(broken_plugin):
    proc = _in_fresh_process("pc.xcb_plugin_path = lambda: plugin; print(pc.log_platform_problem([]))", broken_plugin)
    assert "libQt6XcbQpa.so.6" in proc.stdout  # the reason is returned …
    logged = [line for line in proc.stderr.splitlines() if line.startswith("ERROR:fineflow_desktop.platform_check")]
    assert logged and "libQt6XcbQpa.so.6" in logged[0] and "linux-runtime-libs.txt" in logged[0]  # … and logged
