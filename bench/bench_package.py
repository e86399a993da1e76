"""Packaging figures: bundle size (and what the exclusions saved), tarball and .deb sizes, cold
start to the first painted window from source vs frozen (median of 5), time of `make package`.

Needs `make package` first (reads build/package/ and dist/); prints what it cannot measure.
Goals (issue 13): onedir bundle <= 250 MB; frozen first paint <= 2 s on a 2-core machine.

What each size change saved is listed in packaging/README.md ("Sizes and start-up"): each was
measured by rebuilding with and without it.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
import bundle_filter  # noqa: E402

BUILD = ROOT / "build" / "package"
BUNDLE = Path(os.environ.get("FINEFLOW_BUNDLE") or BUILD / "pyi-dist" / "fineflow-desktop")
RUNS = 5
MB = 1024 * 1024


def tree_size(path: Path) -> int:
    """Bytes of the regular files under *path* (symlinks not followed)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def site_packages() -> Path | None:
    found = sorted((BUILD / "venv" / "lib").glob("python3*/site-packages"))
    return found[0] if found else None


def exclusion_savings(site: Path) -> dict[str, float]:
    """MB of the build venv's files the bundle leaves out: PySide6 (modules, plugins, QML,
    translations not collected), FAISS's own OpenBLAS and the ICU data Qt never reads. (babel's
    locale data was dropped here too until session 11, when trafilatura, which pulled babel in,
    left the runtime dependencies.)"""
    qt_all = tree_size(site / "PySide6") + tree_size(site / "shiboken6")
    qt_kept = tree_size(BUNDLE / "_internal" / "PySide6") + tree_size(BUNDLE / "_internal" / "shiboken6")
    # packaging/share_blas.py (FAISS on SciPy's OpenBLAS) and slim_icu.py (ICU data trees Qt never reads)
    faiss_all = tree_size(site / "faiss_cpu.libs") + tree_size(site / "faiss" / "libfaiss.so")
    faiss_kept = tree_size(BUNDLE / "_internal" / "faiss_cpu.libs") + tree_size(BUNDLE / "_internal" / "faiss" / "libfaiss.so")
    icu = "PySide6/Qt/lib/libicudata.so.73"
    icu_saved = tree_size(site / icu) - tree_size(BUNDLE / "_internal" / icu) if (site / icu).exists() else 0
    return {"PySide6 + shiboken6 in the venv": qt_all / MB, "of it in the bundle": qt_kept / MB,
            "Qt left out": (qt_all - qt_kept) / MB,
            "FAISS's own OpenBLAS left out (shares SciPy's)": (faiss_all - faiss_kept) / MB,
            "ICU data Qt never reads left out (part of 'Qt left out')": icu_saved / MB}


def first_paint(cmd: list[str], home: Path) -> float:
    """Seconds from just before starting *cmd* to its first painted main window
    (``--quit-after-paint`` prints the paint's wall-clock time; this clock, not psutil's
    create_time, which was 0.9 s early). *home* holds the workspace, data and config folders."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FINEFLOW_DATA_DIR=f"{home}/data",
               FINEFLOW_CONFIG_DIR=f"{home}/config", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    started = time.time()
    out = subprocess.run([*cmd, "--quit-after-paint", "--workspace", f"{home}/ws"], capture_output=True,
                         text=True, env=env, timeout=180)
    m = re.search(r"first paint after [0-9.]+ s \(at ([0-9.]+)\)", out.stdout)
    if not m:
        raise RuntimeError(f"{cmd[0]}: no first-paint line (exit {out.returncode}): {out.stderr[-500:]}")
    return float(m.group(1)) - started


def median_first_paint(cmd: list[str]) -> tuple[float, list[float]]:
    """Median of RUNS starts on one existing workspace. The first, uncounted start creates it
    (migrations) and warms the page cache: "cold" means a new process, as a user starts the app."""
    with tempfile.TemporaryDirectory() as tmp:
        first_paint(cmd, Path(tmp))
        times = [first_paint(cmd, Path(tmp)) for _ in range(RUNS)]
    return statistics.median(times), times


def main() -> int:
    if not BUNDLE.is_dir():
        print("no bundle: run `make package` first")
        return 0
    size = tree_size(BUNDLE) / MB
    print(f"onedir bundle: {size:.0f} MB on disk (goal <= 250 MB)")
    parts = sorted(((tree_size(p), p.name) for p in (BUNDLE / "_internal").iterdir() if not p.is_symlink()),
                   reverse=True)[:12]
    print("  largest parts: " + ", ".join(f"{name} {b / MB:.0f}" for b, name in parts))
    site = site_packages()
    if site:
        for k, v in exclusion_savings(site).items():
            print(f"  {k}: {v:.0f} MB")
    exe = BUNDLE / "fineflow-desktop"
    loose_pyc = sum(1 for _ in (BUNDLE / "_internal").rglob("*.pyc"))
    cli = BUNDLE / "fineflow"
    print(f"  executable (bootloader + PYZ of the pure-Python modules): {exe.stat().st_size / MB:.0f} MB; "
          f"loose .pyc files: {loose_pyc}; fineflow is "
          + (f"a symlink to {os.readlink(cli)}" if cli.is_symlink() else "a separate executable"))
    dropped_patterns = len(bundle_filter.DROPPED_FILES)
    print(f"  exclusions: {len(bundle_filter.EXCLUDED_MODULES)} modules, {dropped_patterns} file patterns")
    for f in sorted((ROOT / "dist").glob("fineflow-desktop*")):
        print(f"{f.name}: {f.stat().st_size / MB:.1f} MB")
    t = BUILD / "last-build-seconds"
    if t.exists():
        print(f"make package: {t.read_text().strip()} s (last run; includes the build venv when the pins changed)")
    venv_python = ROOT / ".venv" / "bin" / "python"
    if venv_python.exists():
        src = [str(venv_python), "-m", "fineflow_desktop"]
    else:  # a worktree without its own venv: this interpreter, with this checkout's src/ first
        src = [sys.executable, "-c", "import runpy, sys; sys.path.insert(0, %r); "
               "runpy.run_module('fineflow_desktop', run_name='__main__')" % str(ROOT / "src")]
    frozen = [str(BUNDLE / "fineflow-desktop")]
    for label, cmd in (("source", src), ("frozen", frozen)):
        med, times = median_first_paint(cmd)
        print(f"first painted window, {label}: median {med:.2f} s of {RUNS} ({', '.join(f'{x:.2f}' for x in times)})"
              + (" (goal <= 2 s)" if label == "frozen" else ""))
    print(f"load during the run: {os.getloadavg()[0]:.1f} (1-min average, {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
