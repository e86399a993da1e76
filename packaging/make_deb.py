"""Build ``fineflow-desktop_<version>_amd64.deb`` from the PyInstaller onedir bundle with ``dpkg-deb``.

Layout: the bundle under ``/opt/fineflow-desktop``; ``/usr/bin/fineflow`` and
``/usr/bin/fineflow-desktop`` are symlinks into it; a desktop entry
(``/usr/share/applications``), the icon (hicolor scalable SVG + 256 px PNG), ``copyright`` and
``changelog.gz`` under ``/usr/share/doc/fineflow-desktop`` (Debian Policy §12.5, §12.7).

``Depends`` is what the bundle's ELF files need from the system and do not carry themselves
(PyInstaller leaves libc, X11/xcb, GL, fontconfig, freetype, glib… to the system): computed with
``dpkg-shlibdeps`` on every ELF file of the bundle — so the xcb platform plugin's
``libxcb-cursor0``, ``libxkbcommon-x11-0`` etc. are found from the plugin itself — and checked
against ``packaging/linux-runtime-libs.txt`` (the list also used to install them for
``make run``/CI). Raises ``SystemExit`` with the reason if a tool fails.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "fineflow-desktop"
RESOURCES = HERE.parent / "src" / "fineflow_desktop" / "resources"
MAINTAINER = "FineFlow Desktop maintainers <fineflow@example.org>"
DESCRIPTION = """\
Description: turn documents and chat logs into fine-tuning datasets
 FineFlow Desktop imports documents (text, Markdown, reST, HTML, PDF, DOCX,
 XLSX, EPUB, JSON, CSV) and chat logs, generates question/answer pairs
 (offline extractive or with an LLM), curates, validates and exports them in
 the fine-tuning formats of OpenAI, Anthropic, Bedrock and Hugging Face.
 .
 This package ships a self-contained build (Python, Qt/PySide6 and all
 libraries included) with a GUI (fineflow-desktop) and a CLI (fineflow).
"""


def is_elf(path: Path) -> bool:
    """True if *path* is a regular file starting with the ELF magic number."""
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(4) == b"\x7fELF"


def shlib_depends(bundle: Path, work: Path) -> str:
    """The ``Depends`` value ``dpkg-shlibdeps`` computes for every ELF file in *bundle*."""
    elves = sorted(str(p) for p in bundle.rglob("*") if is_elf(p))
    lib_dirs = sorted({str(Path(p).parent) for p in elves})
    (work / "debian").mkdir(parents=True, exist_ok=True)
    (work / "debian" / "control").write_text(
        f"Source: {PACKAGE}\nMaintainer: {MAINTAINER}\n\nPackage: {PACKAGE}\nArchitecture: amd64\n"
    )
    cmd = ["dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=0", *[f"-l{d}" for d in lib_dirs], *elves]
    out = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"dpkg-shlibdeps failed: {out.stderr.strip()[-2000:]}")
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("shlibs:Depends=")), "shlibs:Depends=")
    return line.split("=", 1)[1]


def listed_runtime_packages() -> list[str]:
    """Packages named in ``linux-runtime-libs.txt`` (one per line, ``#`` comments)."""
    lines = (HERE / "linux-runtime-libs.txt").read_text().splitlines()
    return [ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()]


def merge_depends(computed: str, listed: list[str]) -> str:
    """*computed* (``a (>= 1), b | c``) plus the *listed* packages it does not already name."""
    parts = [p.strip() for p in computed.split(",") if p.strip()]
    named = {alt.strip().split(" ")[0] for p in parts for alt in p.split("|")}
    parts += [pkg for pkg in listed if pkg not in named]
    return ", ".join(parts)


def write_tree(root: Path, bundle: Path, version: str) -> None:
    """Lay out the package's files under *root* (the future ``/``)."""
    opt = root / "opt" / PACKAGE
    shutil.copytree(bundle, opt, symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    for exe in ("fineflow", "fineflow-desktop"):
        os.symlink(f"/opt/{PACKAGE}/{exe}", usr_bin / exe)
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(HERE / "deb" / f"{PACKAGE}.desktop", apps / f"{PACKAGE}.desktop")
    icons = root / "usr" / "share" / "icons" / "hicolor"
    (icons / "scalable" / "apps").mkdir(parents=True)
    (icons / "256x256" / "apps").mkdir(parents=True)
    shutil.copy(RESOURCES / "icons" / "fineflow.svg", icons / "scalable" / "apps" / f"{PACKAGE}.svg")
    shutil.copy(RESOURCES / "icons" / "fineflow-256.png", icons / "256x256" / "apps" / f"{PACKAGE}.png")
    doc = root / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copy(HERE / "deb" / "copyright", doc / "copyright")
    changelog = (HERE / "deb" / "changelog").read_text().replace("@VERSION@", version)
    with gzip.GzipFile(doc / "changelog.gz", "wb", mtime=0) as fh:
        fh.write(changelog.encode())
    for path in root.rglob("*"):  # dpkg-deb keeps modes: 0755 dirs/executables, 0644 files
        if path.is_symlink():
            continue
        path.chmod(deb_mode(path))


SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$")


def deb_mode(path: Path) -> int:
    """Mode a packaged path gets: 0755 for folders and programs, 0644 for everything else —
    shared libraries and extension modules included, which wheels ship executable (Debian
    Policy §8.1; lintian ``shared-library-is-executable``; the loader maps them without it)."""
    if path.is_dir():
        return 0o755
    if SHARED_LIBRARY.search(path.name):
        return 0o644
    return 0o755 if os.access(path, os.X_OK) else 0o644


def installed_size_kib(root: Path) -> int:
    """Sum of file sizes in KiB (Debian Policy §5.6.20 ``Installed-Size``)."""
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024 + 1


def build(bundle: Path, version: str, out: Path, work: Path) -> Path:
    """Build the .deb at *out* from *bundle*; returns *out*."""
    shutil.rmtree(work, ignore_errors=True)
    root = work / "root"
    write_tree(root, bundle, version)
    depends = merge_depends(shlib_depends(root / "opt" / PACKAGE, work / "shlibs"), listed_runtime_packages())
    control = root / "DEBIAN" / "control"
    control.parent.mkdir(parents=True)
    control.write_text(
        f"Package: {PACKAGE}\nVersion: {version}\nSection: science\nPriority: optional\nArchitecture: amd64\n"
        f"Maintainer: {MAINTAINER}\nInstalled-Size: {installed_size_kib(root)}\nDepends: {depends}\n"
        f"Homepage: https://example.org/fineflow-desktop\n{DESCRIPTION}"
    )
    control.chmod(0o644)
    control.parent.chmod(0o755)
    out.parent.mkdir(parents=True, exist_ok=True)
    # xz at level 2 on two threads: 25 s and 147 MB for the ~500 MB tree, where dpkg-deb's default
    # (-6, one thread) took 26 min on the loaded 2-core build box (136 MB). Not zstd: lintian
    # calls a zstd member malformed-deb-archive (the Debian archive takes gz/xz only).
    res = subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z2", "--threads-max=2", "--build",
                          str(root), str(out)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"dpkg-deb failed: {res.stderr.strip()}")
    return out


def main(argv: list[str] | None = None) -> int:
    """CLI of this script (called by ``packaging/build.sh``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    build(args.bundle, args.version, args.out, args.work)
    print(f"built {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
