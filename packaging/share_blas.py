"""Link FAISS to SciPy's OpenBLAS in the onedir bundle and drop FAISS's own copy (about 40 MB).

The faiss-cpu wheel vendors an OpenMP build of OpenBLAS (``faiss_cpu.libs/libopenblaso-*.so``,
37 MB, plus its libgfortran/libquadmath); SciPy's wheel vendors ``scipy.libs/libscipy_openblas-*.so``
(scipy-openblas32: the same OpenBLAS with 32-bit integers, i.e. the LP64 interface FAISS is built
for, every symbol prefixed ``scipy_``). numpy's copy cannot serve: it is the ILP64 build (64-bit
integers, ``…64_`` symbols). ``libfaiss.so`` calls only 14 BLAS/LAPACK routines (``sgemm_``,
``ssyrk_``, ``sgesvd_``…), so this

1. renames libfaiss.so's undefined references ``X`` → ``scipy_X`` (``patchelf
   --rename-dynamic-symbols``), after checking that SciPy's OpenBLAS defines every one of them;
2. replaces the ``NEEDED`` entry of FAISS's OpenBLAS by SciPy's and adds ``$ORIGIN/../scipy.libs``
   to libfaiss.so's RPATH;
3. deletes FAISS's OpenBLAS and the vendored libraries in ``faiss_cpu.libs/`` that nothing needs
   any more (libgomp stays: libfaiss and _swigfaiss use OpenMP themselves), and PyInstaller's
   top-level links to them, which would dangle (size17: three were left in the .deb before).

It raises ``ShareError`` (and changes nothing) when the layout or the symbols are not what it
expects, e.g. after a faiss-cpu or SciPy upgrade: the build stops instead of shipping a FAISS that
cannot load. Same results, measured: flat and HNSW search identical, PCA equal up to eigenvector
signs (``tests/test_packaging.py`` checks a relinked copy; ``make package-test`` embeds and searches
with the frozen CLI).

    python packaging/share_blas.py BUNDLE_DIR      # prints what it saved
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from bundle_step import run_step
from strip_bundle import is_elf, patchelf_tool

PREFIX = "scipy_"  # scipy-openblas32's symbol prefix (its build sets SYMBOLPREFIX=scipy_)


class ShareError(RuntimeError):
    """The bundle does not look as expected; nothing was changed."""


def dynamic_symbols(path: Path) -> tuple[set[str], set[str]]:
    """``(defined, undefined)`` dynamic symbol names of ELF file *path* (``readelf --dyn-syms``),
    without ``@version`` suffixes."""
    out = subprocess.run(["readelf", "--dyn-syms", "-W", str(path)], capture_output=True, text=True,
                         check=True).stdout
    defined: set[str] = set()
    undefined: set[str] = set()
    for line in out.splitlines():
        cols = line.split()
        if len(cols) < 8 or not cols[0].rstrip(":").isdigit():
            continue
        name = cols[7].split("@")[0]
        (undefined if cols[6] == "UND" else defined).add(name)
    return defined, undefined


def needed(path: Path) -> list[str]:
    """The ``NEEDED`` sonames of ELF file *path*."""
    out = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True).stdout
    return [line.split("[", 1)[1].rstrip().rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


def one(paths: list[Path], what: str) -> Path:
    """The single element of *paths*; raises ``ShareError`` naming *what* otherwise."""
    if len(paths) != 1:
        raise ShareError(f"expected one {what}, found {[str(p) for p in paths]}")
    return paths[0]


def share_blas(bundle: Path) -> tuple[int, list[str]]:
    """Relink ``faiss/libfaiss.so`` under *bundle* (a onedir folder or its ``_internal/``) to SciPy's
    OpenBLAS and delete what FAISS no longer needs; returns ``(bytes saved, renamed symbols)``.
    Raises ``ShareError`` when anything is not as expected (the bundle is then unchanged)."""
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    libfaiss = internal / "faiss" / "libfaiss.so"
    if not libfaiss.is_file():
        raise ShareError(f"{libfaiss} not found")
    own = one(sorted((internal / "faiss_cpu.libs").glob("libopenblas*.so*")), "OpenBLAS in faiss_cpu.libs")
    scipy_blas = one(sorted((internal / "scipy.libs").glob("libscipy_openblas*.so*")), "OpenBLAS in scipy.libs")
    elves = [p for p in internal.rglob("*") if is_elf(p)]
    users = [p for p in elves if own.name in needed(p)]
    if users != [libfaiss]:
        raise ShareError(f"{own.name} is needed by {[str(p) for p in users]}, expected libfaiss.so alone")

    provided, _ = dynamic_symbols(own)
    _, wanted = dynamic_symbols(libfaiss)
    renamed = sorted(wanted & provided)
    scipy_defined, _ = dynamic_symbols(scipy_blas)
    missing = [s for s in renamed if PREFIX + s not in scipy_defined]
    if not renamed or missing:
        raise ShareError(f"SciPy's OpenBLAS lacks {missing or 'nothing to rename'}; faiss needs {renamed}")

    tool = patchelf_tool()
    with tempfile.TemporaryDirectory() as tmp:
        mapping = Path(tmp) / "symbols.map"
        mapping.write_text("".join(f"{s} {PREFIX}{s}\n" for s in renamed))
        work = Path(tmp) / libfaiss.name
        work.write_bytes(libfaiss.read_bytes())
        for args in (["--rename-dynamic-symbols", str(mapping)],
                     ["--replace-needed", own.name, scipy_blas.name],
                     # RPATH (not RUNPATH), as auditwheel wrote it: same lookup rules as before
                     ["--force-rpath", "--set-rpath", "$ORIGIN/../faiss_cpu.libs:$ORIGIN/../scipy.libs"]):
            subprocess.run([tool, *args, str(work)], check=True, capture_output=True)
        _, left = dynamic_symbols(work)
        if left & provided or own.name in needed(work):
            raise ShareError(f"relinked libfaiss.so still refers to {sorted(left & provided)} / {own.name}")
        mode = libfaiss.stat().st_mode
        before = libfaiss.stat().st_size
        work.replace(libfaiss)
        libfaiss.chmod(mode)
    saved = before - libfaiss.stat().st_size + own.stat().st_size
    own.unlink()
    # Now-orphaned vendored libraries of faiss_cpu.libs (libgfortran, libquadmath: OpenBLAS's).
    changed = True
    while changed:
        changed = False
        still = {name for p in internal.rglob("*") if is_elf(p) for name in needed(p)}
        for lib in sorted((internal / "faiss_cpu.libs").iterdir()):
            if lib.name not in still:
                saved += lib.stat().st_size
                lib.unlink()
                changed = True
    # PyInstaller also links each vendored library into the top of _internal/
    # (`libopenblaso-….so -> faiss_cpu.libs/libopenblaso-….so`): drop the links now dangling.
    for link in internal.iterdir():
        if link.is_symlink() and not link.exists() and "faiss_cpu.libs" in Path(link.readlink()).parts:
            link.unlink()
    return saved, renamed


def report(bundle: Path) -> str:
    """Run ``share_blas`` on *bundle*; its one-line report."""
    saved, renamed = share_blas(bundle)
    return (f"share-blas: libfaiss.so now uses SciPy's OpenBLAS ({len(renamed)} routines: {' '.join(renamed)}); "
            f"{saved / 1024 / 1024:.1f} MB saved")


if __name__ == "__main__":
    raise SystemExit(run_step(__doc__, report))
