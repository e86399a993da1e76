"""Replace byte-identical copies of a shared library in the onedir bundle by relative symlinks.

Wheels repaired by auditwheel each vendor their own copies of libgfortran/libquadmath under
``<pkg>.libs/``; numpy's and scipy's wheels carry the very same files (same hashed name, same
bytes: 3 MB). Only ELF files with the same name AND the same SHA-256 are linked, so nothing a
library loads changes: the dynamic loader finds the same bytes through the link (and reuses a
library already loaded under that soname anyway). The first path in sorted order stays a file.

    python packaging/dedupe_bundle.py BUNDLE_DIR      # prints what it saved
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from pathlib import Path

from bundle_step import run_step
from strip_bundle import is_elf


def sha256(path: Path) -> str:
    """Hex SHA-256 of the file at *path*."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dedupe_bundle(bundle: Path) -> tuple[int, int]:
    """Link duplicate ELF files under *bundle* to their first copy; returns ``(bytes saved, links made)``."""
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in sorted(bundle.rglob("*")):
        if is_elf(path):
            groups[(path.name, sha256(path))].append(path)
    saved = links = 0
    for copies in groups.values():
        kept, *others = copies
        for other in others:
            size = other.stat().st_size
            other.unlink()
            other.symlink_to(os.path.relpath(kept, other.parent))
            saved += size
            links += 1
    return saved, links


def report(bundle: Path) -> str:
    """Run ``dedupe_bundle`` on *bundle*; its one-line report."""
    saved, links = dedupe_bundle(bundle)
    return f"dedupe: {saved / 1024 / 1024:.1f} MB saved, {links} identical libraries linked to their first copy"


if __name__ == "__main__":
    raise SystemExit(run_step(__doc__, report))
