"""Strip symbol tables and debug info from the onedir bundle's ELF files — the safe ones only.

PyInstaller's own ``strip=True`` strips everything, and that broke the bundle: numpy's vendored
OpenBLAS failed to load ("ELF load command address/offset not page-aligned"). Files that
auditwheel repaired were rewritten by patchelf (an extra load segment, a new RPATH), and binutils'
``strip`` mis-lays those out. So this strips only ELF files whose RPATH/RUNPATH (if any) is not
relative to ``$ORIGIN`` and that do not live in a ``*.libs`` folder (auditwheel's vendored
libraries): the interpreter (``libpython``, shipped "with debug_info"), its extension modules, Qt
and most wheels' own modules.

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


def is_elf(path: Path) -> bool:
    """True for a regular (non-symlink) ELF file."""
    if path.is_symlink() or not path.is_file():
        return False
    with open(path, "rb") as fh:
        return fh.read(4) == b"\x7fELF"


def patched(path: Path) -> bool:
    """True if auditwheel/patchelf touched *path*: it sits in a ``*.libs`` folder or its
    RPATH/RUNPATH is relative to ``$ORIGIN`` (what auditwheel writes). An absolute RUNPATH is the
    linker's own (pyenv's interpreter and its modules carry one) and strips safely."""
    if any(part.endswith(".libs") for part in path.parts):
        return True
    dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return any(("(RPATH)" in line or "(RUNPATH)" in line) and "$ORIGIN" in line for line in dynamic.splitlines())


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


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    saved, stripped, skipped = strip_bundle(Path(argv[0]))
    print(f"strip: {saved / 1024 / 1024:.1f} MB saved over {stripped} ELF files; "
          f"{skipped} patched/vendored files left as they are")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
