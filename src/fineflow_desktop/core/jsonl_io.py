"""Streaming readers for JSONL / JSON-array / CSV files and an atomic JSONL writer.

Readers yield ``(line_no, record)`` or ``(line_no, BadRecord)`` one record at a time, in
constant memory whatever the file size, so a 500 MB dataset never sits in RAM:

* **JSONL** (``.jsonl``, ``.ndjson`` or any file whose first line is a complete JSON value):
  read line by line in binary; a malformed line yields an error for that line only.
* **JSON array** (``[ {...}, {...} ]``): elements are decoded one by one with
  ``json.JSONDecoder.raw_decode`` over a buffered reader. After a syntax error the reader
  resynchronises at the next line that starts an element at the array's element indentation
  (pretty-printed files); in a single-line array it cannot, and stops with that error.
* **Concatenated JSON objects** (a ``.json`` file holding one pretty-printed object, or several).
* **CSV / TSV** with a header row (``csv`` module); each row becomes ``{header: value}``.

``line_no`` is 1-based: the physical line of a JSONL record, the line where a JSON element
starts, the line where a CSV row starts (the header is line 1).

Text is UTF-8 (a BOM is accepted). A CSV that is not UTF-8 is decoded with the encoding
charset-normalizer detects on its first megabyte.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator

CHUNK_BYTES = 1 << 20  # read size for JSON arrays: 1 MiB
MAX_ELEMENT_BYTES = 256 << 20  # one JSON element larger than this is reported, not buffered
# csv.field_size_limit is process-wide: every CSV reader in the app sets this same value.
CSV_FIELD_LIMIT = 64 << 20
_decoder = json.JSONDecoder()
_WS = " \t\r\n"


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read: ``reason`` says why (``field`` when one is known)."""

    reason: str
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


class ReadPosition:
    """How far into the file a reader is, in bytes, for progress bars.

    Uses the OS file offset, which runs ahead of parsing by at most one read buffer.
    Pass one to a reader (``position=``); ``total`` is the file size.
    """

    def __init__(self) -> None:
        self._fd: int | None = None
        self._last = 0
        self.total = 0

    def _attach(self, fh: IO) -> None:
        self._fd = fh.fileno()
        self.total = os.fstat(self._fd).st_size

    def _detach(self) -> None:
        self._last = self.total
        self._fd = None

    def bytes_read(self) -> int:
        """Bytes read so far (the file size once the reader has finished)."""
        if self._fd is None:
            return self._last
        try:
            return os.lseek(self._fd, 0, os.SEEK_CUR)
        except OSError:
            return self._last


class FileFormatError(ValueError):
    """The file as a whole is not JSONL, JSON or CSV (message names the file)."""


def sniff_container(path: str | Path) -> str:
    """Which container a file is: ``"jsonl"``, ``"json-array"``, ``"json-objects"`` or ``"csv"``.

    Decided by content (first non-blank character and whether the first line is a whole JSON
    value); ``.csv``/``.tsv`` extensions mean CSV. Raises ``FileFormatError`` for an empty file
    or one that starts like none of these.
    """
    path = Path(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        return "csv"
    with open(path, "rb") as fh:
        head = fh.read(CHUNK_BYTES)
    text = head.decode("utf-8-sig", errors="replace").lstrip(_WS)
    if not text:
        raise FileFormatError(f"{path}: the file is empty")
    if text[0] == "[":
        return "json-array"
    if text[0] == "{":
        first_line = text.split("\n", 1)[0].strip()
        try:
            json.loads(first_line)
            return "jsonl"
        except ValueError:
            return "json-objects"
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return "jsonl"  # line-by-line reading will report each bad line
    raise FileFormatError(f"{path}: not JSONL, a JSON array or CSV (starts with {text[:20]!r})")


def iter_records(path: str | Path, container: str | None = None, delimiter: str | None = None,
                 position: ReadPosition | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_no, record | BadRecord)`` for every record of *path*.

    *container* is one of ``sniff_container``'s names (sniffed when None). For CSV,
    *delimiter* defaults to tab for ``.tsv`` and comma otherwise. *position* tracks bytes read.
    """
    container = container or sniff_container(path)
    if container == "jsonl":
        return iter_jsonl(path, position)
    if container == "json-array":
        return iter_json_array(path, position)
    if container == "json-objects":
        return iter_json_objects(path, position)
    if container == "csv":
        return iter_csv(path, delimiter=delimiter, position=position)
    raise ValueError(f"unknown container {container!r}")


def iter_jsonl(path: str | Path, position: ReadPosition | None = None) -> Iterator[tuple[int, Any]]:
    """JSON Lines: one value per line; blank lines are skipped, bad lines yield BadRecord."""
    with _opened(path, "rb", position) as fh:
        for line_no, raw in enumerate(fh, start=1):
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield line_no, BadRecord(f"not valid UTF-8 at byte {exc.start}")
                continue
            try:
                yield line_no, json.loads(text)
            except json.JSONDecodeError as exc:
                yield line_no, BadRecord(f"invalid JSON at column {exc.colno}: {exc.msg}")


class _Buffer:
    """A sliding text window over a file that knows the line number of any position in it."""

    def __init__(self, fh: IO[str]):
        self.fh = fh
        self.text = ""
        self.pos = 0
        self.eof = False
        self._cpos = 0  # line numbers are counted incrementally from here (linear overall)
        self._cline = 1

    def fill(self) -> bool:
        """Read one more chunk; False at end of file."""
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK_BYTES)
        if not chunk:
            self.eof = True
            return False
        # drop consumed text so memory stays bounded by the largest element
        if self.pos:
            self._cline = self.line_at(self.pos)
            self._cpos = 0
            self.text = self.text[self.pos:]
            self.pos = 0
        self.text += chunk
        return True

    def line_at(self, index: int) -> int:
        if index < self._cpos:
            return self._cline - self.text.count("\n", index, self._cpos)
        self._cline += self.text.count("\n", self._cpos, index)
        self._cpos = index
        return self._cline

    def skip_ws(self) -> str:
        """Advance past whitespace; return the next character ('' at end of file)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def _maybe_incomplete(self, exc: ValueError) -> bool:
        """Could more text fix this error? (It is then the buffer end, not bad JSON.)"""
        if self.eof or len(self.text) - self.pos > MAX_ELEMENT_BYTES:
            return False
        msg = getattr(exc, "msg", "")
        pos = getattr(exc, "pos", len(self.text))
        # an unterminated string reports its start; a cut literal or escape errs near the end
        return msg.startswith("Unterminated string") or pos >= len(self.text) - 8

    def decode(self) -> tuple[Any, ValueError | None]:
        """Decode one JSON value at ``pos``, reading more text while it is merely incomplete."""
        while True:
            try:
                value, end = _decoder.raw_decode(self.text, self.pos)
            except ValueError as exc:
                if self._maybe_incomplete(exc) and self.fill():
                    continue
                return None, exc
            # a number at the very end of the buffer may continue in the next chunk
            if end == len(self.text) and not self.eof and self.fill():
                continue
            self.pos = end
            return value, None


@contextmanager
def _opened(path: str | Path, mode: str, position: ReadPosition | None, **kwargs: Any) -> Iterator[IO]:
    with open(path, mode, **kwargs) as fh:
        if position is not None:
            position._attach(fh)
        try:
            yield fh
        finally:
            if position is not None:
                position._detach()


def _open_text(path: str | Path, position: ReadPosition | None):
    return _opened(path, "r", position, encoding="utf-8-sig", errors="strict", newline="")


def iter_json_array(path: str | Path, position: ReadPosition | None = None) -> Iterator[tuple[int, Any]]:
    """Elements of a top-level JSON array, one at a time (see module doc for error recovery)."""
    with _open_text(path, position) as fh:
        buf = _Buffer(fh)
        try:
            if buf.skip_ws() != "[":
                yield 1, BadRecord("expected a JSON array starting with '['")
                return
            buf.pos += 1
            indent: str | None = None
            expect_value = True
            while True:
                ch = buf.skip_ws()
                if ch == "":
                    yield buf.line_at(buf.pos), BadRecord("unexpected end of file: the JSON array is not closed with ']'")
                    return
                if ch == "]":
                    return
                if ch == "," and not expect_value:
                    buf.pos += 1
                    expect_value = True
                    continue
                line_no = buf.line_at(buf.pos)
                if indent is None:
                    line_start = buf.text.rfind("\n", 0, buf.pos) + 1
                    indent = buf.text[line_start:buf.pos]
                    indent = indent if indent.strip(" \t") == "" else ""
                if not expect_value:
                    err: ValueError | None = ValueError(f"expected ',' or ']' but found {ch!r}")
                else:
                    value, err = buf.decode()
                if err is None:
                    expect_value = False
                    yield line_no, value
                    continue
                yield line_no, BadRecord(_json_error(err, buf))
                if not _resync(buf, indent):
                    return
                expect_value = True
        except UnicodeDecodeError as exc:
            yield buf.line_at(len(buf.text)), BadRecord(f"not valid UTF-8 ({exc.reason}); reading stopped here")


def _resync(buf: _Buffer, indent: str | None) -> bool:
    """Move to the next line that starts an element at *indent*; False if there is none."""
    if not indent:
        return False  # single-line array: no safe place to restart
    marker = "\n" + indent + "{"
    start = buf.pos + 1
    while True:
        found = buf.text.find(marker, start)
        if found >= 0:
            buf.pos = found + 1 + len(indent)
            return True
        buf.pos = max(buf.pos, len(buf.text) - len(marker))  # keep a possible partial marker
        if not buf.fill():
            return False
        start = buf.pos


def iter_json_objects(path: str | Path, position: ReadPosition | None = None) -> Iterator[tuple[int, Any]]:
    """One or more whitespace-separated JSON values (e.g. a single pretty-printed object)."""
    with _open_text(path, position) as fh:
        buf = _Buffer(fh)
        while True:
            if buf.skip_ws() == "":
                return
            line_no = buf.line_at(buf.pos)
            value, err = buf.decode()
            if err is not None:
                yield line_no, BadRecord(_json_error(err, buf) + "; reading stopped here")
                return
            yield line_no, value


def _csv_encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(CHUNK_BYTES)
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut by the 1 MiB boundary
            return "utf-8-sig"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best.encoding if best is not None else "utf-8-sig"


def csv_header(path: str | Path, delimiter: str | None = None) -> list[str]:
    """The header row (column names) of a CSV/TSV file; [] for an empty file."""
    for _line, row in iter_csv(path, delimiter=delimiter, header_only=True):
        return row
    return []


def iter_csv(path: str | Path, delimiter: str | None = None, header_only: bool = False,
             position: ReadPosition | None = None) -> Iterator[tuple[int, Any]]:
    """Rows of a CSV with a header as ``{column: value}`` dicts (``header_only``: the header list).

    A row with more fields than the header yields a BadRecord naming the line; blank rows
    are skipped; missing trailing fields are empty strings.
    """
    path = Path(path)
    if delimiter is None:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    csv.field_size_limit(CSV_FIELD_LIMIT)
    with _opened(path, "r", position, encoding=_csv_encoding(path), errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header: list[str] | None = None
        last_line = 0
        while True:
            start = last_line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                last_line = reader.line_num
                yield start, BadRecord(f"CSV error: {exc}")
                continue
            last_line = reader.line_num
            if header is None:
                header = [h.strip() for h in row]
                if header_only:
                    yield 1, header
                    return
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                yield start, BadRecord(f"{len(row)} fields but the header has {len(header)}")
                continue
            yield start, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}


def _json_error(exc: ValueError, buf: "_Buffer") -> str:
    """'invalid JSON at line L: message' with the file line of the error (not the buffer's)."""
    pos = getattr(exc, "pos", None)
    msg = getattr(exc, "msg", None) or _short(exc)
    if pos is None:
        return f"invalid JSON: {msg}"
    return f"invalid JSON at line {buf.line_at(min(pos, len(buf.text)))}: {msg}"


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:197] + "..."


class AtomicJsonlWriter:
    """Write JSON Lines atomically: a temp file in the target folder, fsync, then ``os.replace``.

    Use as a context manager; ``write(obj)`` adds one line (UTF-8, no ASCII escaping). On an
    exception the temp file is removed and any existing target is left untouched.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.count = 0
        self._fh: IO[str] | None = None
        self._tmp: str | None = None

    def __enter__(self) -> "AtomicJsonlWriter":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        # mkstemp creates 0600; the exported file should follow the umask like any other file.
        os.fchmod(fd, new_file_mode())
        self._fh = io.open(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write(self, obj: Any) -> None:
        assert self._fh is not None, "use AtomicJsonlWriter as a context manager"
        self._fh.write(json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")))
        self._fh.write("\n")
        self.count += 1

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._fh is not None and self._tmp is not None
        try:
            if exc_type is None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
            self._fh.close()
            if exc_type is None:
                os.replace(self._tmp, self.path)
                _fsync_dir(self.path.parent)
        finally:
            if os.path.exists(self._tmp):
                os.unlink(self._tmp)


def new_file_mode() -> int:
    """The mode ``open()`` gives a new file: ``0o666`` minus the process umask. Read from
    ``/proc/self/status`` (Linux >= 4.7) where possible: setting the umask to read it back
    would briefly change it for every thread of the process."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write *text* (UTF-8) to *path* atomically: a temp file beside it, fsync, ``os.replace``.

    The temp file is created with ``open(…, "x")``, so the result has the usual permissions of
    a new file (the user's umask), unlike ``mkstemp``'s 0600. On an error *path* is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        if tmp.exists():
            tmp.unlink()
