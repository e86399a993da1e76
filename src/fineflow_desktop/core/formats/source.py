"""A dataset file as a stream of canonical examples: container + schema detection + reader.

``inspect_source(path, fmt, column_map)`` sniffs the container (JSONL, JSON array, CSV),
detects the schema from the first records unless *fmt* overrides it, and for CSV proposes a
column map. ``iter_examples(source, ...)`` then yields ``(line, example)`` or
``(line, Skip(reason))`` for every record, in constant memory (transcripts: O(max_count)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from fineflow_desktop.core import jsonl_io
from fineflow_desktop.core.formats.canonical import RecordError
from fineflow_desktop.core.formats.chatgpt_export import read_chatgpt
from fineflow_desktop.core.formats.columns import check_column_map, guess_column_map, read_csv_row
from fineflow_desktop.core.formats.detect import IMPORT_FORMATS, detect_csv, detect_format
from fineflow_desktop.core.formats.readers import READERS
from fineflow_desktop.core.formats.transcripts import DEFAULT_MAX_COUNT, DEFAULT_MIN_CONFIDENCE, select_transcripts

DETECT_SAMPLE = 20


class FormatError(ValueError):
    """The file's format cannot be used: unknown/undetectable schema or a bad column map.

    The message names the file and says what to do (e.g. pass ``--format``).
    """


@dataclass(frozen=True)
class Skip:
    """A record that was not imported and why (``reason`` names the field when known)."""

    reason: str


@dataclass
class Source:
    """What ``inspect_source`` found out about a file."""

    path: Path
    container: str  # jsonl | json-array | json-objects | csv
    format: str  # one of detect.IMPORT_FORMATS
    detected: str | None  # what auto-detection said (None: nothing recognisable)
    columns: list[str] = field(default_factory=list)  # CSV header
    column_map: dict[str, str] = field(default_factory=dict)


def inspect_source(path: str | Path, fmt: str | None = None, column_map: dict[str, str] | None = None) -> Source:
    """Sniff *path* and pick its format (*fmt* overrides detection).

    Raises ``FormatError`` for an unknown *fmt*, an undetectable schema, a format that does not
    fit the container (JSON schema on a CSV), or a column map naming absent columns;
    ``jsonl_io.FileFormatError`` for a file that is none of JSONL/JSON/CSV; ``OSError`` if
    unreadable.
    """
    path = Path(path)
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")
    container = jsonl_io.sniff_container(path)
    if container == "csv":
        header = jsonl_io.csv_header(path)
        detected = detect_csv(header) if header else None
        chosen = fmt or detected or "csv"
        if chosen not in ("csv", "transcript"):
            raise FormatError(f"{path}: a CSV file can be imported as csv or transcript, not {chosen}")
        cmap = dict(column_map) if column_map else guess_column_map(header)
        try:
            check_column_map(cmap, header)
        except RecordError as exc:
            raise FormatError(f"{path}: {exc}") from None
        return Source(path, container, chosen, detected, header, cmap)
    sample = []
    for _line, record in jsonl_io.iter_records(path, container):
        if not isinstance(record, jsonl_io.BadRecord):
            sample.append(record)
        if len(sample) >= DETECT_SAMPLE:
            break
    detected = detect_format(sample)
    chosen = fmt or detected
    if chosen is None:
        keys = sorted({k for r in sample[:5] if isinstance(r, dict) for k in r})[:12]
        raise FormatError(
            f"{path}: cannot tell the dataset format (first records have keys: {', '.join(keys) or 'none'}); "
            f"choose one of {', '.join(f for f in IMPORT_FORMATS if f not in ('csv', 'transcript'))}"
        )
    if chosen in ("csv", "transcript"):
        raise FormatError(f"{path}: {chosen} needs a CSV file, but this is {container}")
    return Source(path, container, chosen, detected)


def iter_examples(source: Source, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                  max_count: int | None = None,
                  position: jsonl_io.ReadPosition | None = None) -> Iterator[tuple[int, dict | Skip]]:
    """Yield ``(line, example)`` or ``(line, Skip)`` for every record of *source*.

    *min_confidence* applies to transcripts; *max_count* None means "the format's default"
    (transcripts: ``DEFAULT_MAX_COUNT`` most confident, other formats: all), 0 means no limit.
    A positive *max_count* on other formats stops after that many examples. *position* tracks bytes read.
    """
    if source.format == "transcript":
        rows = jsonl_io.iter_csv(source.path, position=position)
        limit = DEFAULT_MAX_COUNT if max_count is None else (max_count or None)
        for line, item in select_transcripts(rows, source.column_map, min_confidence, limit):
            yield line, item if isinstance(item, dict) else Skip(str(item))
        return
    if source.format == "csv":
        reader = lambda rec: read_csv_row(rec, source.column_map)  # noqa: E731
    elif source.format == "chatgpt":
        reader = read_chatgpt
    else:
        reader = READERS[source.format]
    produced = 0
    for line, record in jsonl_io.iter_records(source.path, source.container, position=position):
        if isinstance(record, jsonl_io.BadRecord):
            yield line, Skip(str(record))
            continue
        try:
            example = reader(record)
        except RecordError as exc:
            yield line, Skip(str(exc))
            continue
        yield line, example
        produced += 1
        if max_count and produced >= max_count:
            return


def preview(path: str | Path, n: int = 20, fmt: str | None = None, column_map: dict[str, str] | None = None,
            min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> tuple[Source, list[tuple[int, Any]]]:
    """The source description and its first *n* records as ``(line, example | Skip)``
    (transcript rows under *min_confidence* come out as ``Skip``)."""
    source = inspect_source(path, fmt, column_map)
    items = []
    it = iter_examples(source) if source.format != "transcript" else _transcript_preview(source, min_confidence)
    for item in it:
        items.append(item)
        if len(items) >= n:
            break
    return source, items


def _transcript_preview(source: Source, min_confidence: float) -> Iterator[tuple[int, Any]]:
    """Transcript rows in file order without the max-count selection (which needs the whole file)."""
    for line, item in select_transcripts(jsonl_io.iter_csv(source.path), source.column_map, min_confidence, None):
        yield line, item if isinstance(item, dict) else Skip(str(item))
