"""Record files (JSON, JSON Lines, CSV) → one section per record, rendered as readable text.

A record (object / row) becomes ``field: value`` lines; a bare string stays as it is. Each
section's ``meta`` says where the record came from (``record`` number and ``line`` for JSON
Lines, ``row``/``line`` for CSV) so errors and provenance can point back at the file.
JSON Lines follows https://jsonlines.org (one JSON value per line, UTF-8); CSV follows the
``csv`` module's Excel dialect with the delimiter sniffed among ``, ; TAB |`` and the first row
as field names.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from fineflow_desktop.core.ingest.base import ParseError, Section
from fineflow_desktop.core.jsonl_io import CSV_FIELD_LIMIT

_SNIFF_CHARS = 16 * 1024


def record_text(value: Any) -> str:
    """Readable text of one JSON value: objects as ``key: value`` lines, nested values as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if item is None or item == "" or item == [] or item == {}:
                continue
            lines.append(f"{key}: {_scalar_text(item)}")
        return "\n".join(lines)
    if isinstance(value, list):
        return "\n".join(_scalar_text(v) for v in value if v is not None)
    return "" if value is None else str(value)


def _scalar_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, bool) or item is None or isinstance(item, (int, float)):
        return json.dumps(item)
    if isinstance(item, list) and all(isinstance(v, (str, int, float)) for v in item):
        return ", ".join(str(v) for v in item)
    return json.dumps(item, ensure_ascii=False)


def json_sections(path: Path | str, text: str) -> list[Section]:
    """A JSON file: a top-level array gives one section per element, anything else one section."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from exc
    except RecursionError as exc:
        raise ParseError(path, "JSON nested too deeply") from exc
    items = value if isinstance(value, list) else [value]
    sections = []
    for number, item in enumerate(items, 1):
        body = record_text(item).strip()
        if body:
            sections.append(Section([], body, {"record": number}))
    return sections


def jsonl_sections(path: Path | str, text: str) -> list[Section]:
    """A JSON Lines file: one record per non-blank line; a bad line raises ``ParseError`` with its number."""
    sections = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(path, f"invalid JSON on this line: {exc.msg} (column {exc.colno})", line=lineno) from exc
        except RecursionError as exc:
            raise ParseError(path, "JSON nested too deeply", line=lineno) from exc
        body = record_text(value).strip()
        if body:
            sections.append(Section([], body, {"record": len(sections) + 1, "line": lineno}))
    return sections


def csv_sections(path: Path | str, text: str) -> list[Section]:
    """A CSV file with a header row: one section per data row, ``name: value`` lines.

    A single-column file gives the bare values. Raises ``ParseError`` with the line for
    malformed rows (e.g. NUL bytes, a field over the ``csv`` module's size limit).
    """
    delimiter = _sniff_delimiter(text[:_SNIFF_CHARS])
    csv.field_size_limit(CSV_FIELD_LIMIT)  # process-wide; same value as the dataset importer
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    sections: list[Section] = []
    try:
        header = next(reader, None)
        if header is None:
            return []
        names = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            pairs = [
                (names[i] if i < len(names) else f"column {i + 1}", cell.strip())
                for i, cell in enumerate(row)
                if cell.strip()
            ]
            body = pairs[0][1] if len(names) == 1 and len(pairs) == 1 else "\n".join(f"{k}: {v}" for k, v in pairs)
            sections.append(Section([], body, {"row": len(sections) + 1, "line": reader.line_num}))
    except csv.Error as exc:
        raise ParseError(path, f"malformed CSV: {exc}", line=reader.line_num) from exc
    return sections


def _sniff_delimiter(sample: str) -> str:
    # Sniff on whole lines only; a cut-off last line confuses the sniffer.
    cut = sample.rfind("\n")
    if cut > 0:
        sample = sample[:cut]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
