"""Resource bounds shared by the binary importers (zip-based Office/EPUB files, PDFs).

Office Open XML (.docx/.xlsx) and EPUB files are zip archives; a small archive can inflate to
gigabytes ("zip bomb"). Before a library parses one, its central directory is checked: the
declared uncompressed total must stay under ``MAX_UNCOMPRESSED_BYTES`` and the entry count
under ``MAX_ZIP_ENTRIES``. Errors are ``ParseError`` s naming the file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fineflow_desktop.core.ingest.base import ParseError

MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_ZIP_ENTRIES = 20_000


def open_zip(path: Path | str, data: bytes, what: str) -> zipfile.ZipFile:
    """Open *data* as a zip and bound its size; ``what`` names the format in messages."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    # NotImplementedError: a central directory asking for a newer zip version or method
    # (a flipped byte does that; found by tests/test_importer_fuzz.py).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
            NotImplementedError) as exc:
        raise ParseError(path, f"not a valid {what} file (broken zip container: {exc})") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ParseError(path, f"{what} archive has {len(infos)} entries (limit {MAX_ZIP_ENTRIES})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ParseError(path, f"{what} inflates to {total / 1e6:.0f} MB (limit {MAX_UNCOMPRESSED_BYTES / 1e6:.0f} MB)")
    return zf


def check_zip(path: Path | str, data: bytes, what: str, required: tuple[str, ...] = ()) -> None:
    """Validate the zip container of *data* and that *required* member names exist."""
    with open_zip(path, data, what) as zf:
        names = set(zf.namelist())
        for name in required:
            if name not in names:
                raise ParseError(path, f"not a valid {what} file (missing {name})")
        # A truncated or bit-flipped member must fail here with a clear message, not deep in a library.
        bad = _first_bad_member(zf)
        if bad:
            raise ParseError(path, f"not a valid {what} file (corrupt member {bad})")


def _first_bad_member(zf: zipfile.ZipFile) -> str | None:
    try:
        return zf.testzip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError, RuntimeError) as exc:
        return f"({exc})"
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends
        return f"({type(exc).__name__}: {exc})"
