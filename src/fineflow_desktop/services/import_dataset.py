"""Import a dataset file (JSONL / JSON / CSV in any supported schema) into a workspace dataset.

Streaming and crash-safe: records are read one at a time (``core.formats.source``), converted to
canonical examples, and inserted with SQLAlchemy Core in batches of ``BATCH_ROWS``, each batch
its own transaction, so a crash or cancel keeps every earlier batch. A malformed record is
reported (line + reason) and skipped, never fatal. Re-importing the same file adds nothing:
each pair's ``content_hash`` (``core.formats.canonical.example_hash``) is checked against the
dataset before inserting.

Pair storage: a simple ``[system] user assistant`` example fills the text columns with
``messages`` NULL; anything else (multi-turn, tool calls, names, weights) keeps the full list in
``messages`` and mirrors the first system/user/assistant text into the columns; tools,
preferences (``preferred_output`` / ``non_preferred_output``) and the record's other fields go to
``meta`` along with ``meta["import"] = {file, line, format}``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fineflow_desktop.core import jsonl_io
from fineflow_desktop.core.formats.canonical import example_hash, example_to_row
from fineflow_desktop.core.formats.detect import FORMAT_LABELS
from fineflow_desktop.core.formats.source import FormatError, Skip, Source, inspect_source, iter_examples
from fineflow_desktop.core.formats.transcripts import DEFAULT_MIN_CONFIDENCE
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.services.pairs import chat_tokens_many
from fineflow_desktop.store.models import Pair, utcnow
from fineflow_desktop.store.workspace import Workspace

# ``core.tokens.chat_tokens`` for many examples in one tiktoken batch call (kept under this name
# for callers of this module; the counting lives in pair_bulk).
batch_chat_tokens = chat_tokens_many

BATCH_ROWS = 1000  # rows per transaction: a crash loses at most this many
MAX_REPORTED_SKIPS = 100_000  # skipped lines listed in the report (all are counted)

__all__ = ["ImportReport", "Preview", "FormatError", "import_file", "preview_file", "inspect_file"]


@dataclass
class ImportReport:
    """Outcome of ``import_file``.

    ``skipped_lines`` is ``[(line, reason)]`` sorted by line (capped at ``MAX_REPORTED_SKIPS``;
    ``skipped`` counts them all); ``duplicates`` counts records already in the dataset (or
    repeated in the file) that were not inserted again.
    """

    imported: int = 0
    skipped: int = 0
    skipped_lines: list[tuple[int, str]] = field(default_factory=list)
    duplicates: int = 0
    format: str = ""
    dataset_id: int | None = None
    dataset_name: str = ""
    path: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``skipped_lines`` as ``[{line, reason}]`` (the CLI's ``--json``)."""
        d = asdict(self)
        d["skipped_lines"] = [{"line": line, "reason": reason} for line, reason in self.skipped_lines]
        return d


@dataclass
class Preview:
    """What the import dialog shows before importing: format, CSV columns, first examples."""

    format: str
    detected: str | None
    container: str
    columns: list[str]
    column_map: dict[str, str]
    items: list[tuple[int, Any]]  # (line, example dict | reason string)

    @property
    def examples(self) -> list[dict]:
        """The previewed records that read as examples (skipped ones left out)."""
        return [item for _line, item in self.items if isinstance(item, dict)]


def inspect_file(path: str | Path, n: int = 20, fmt: str | None = None, column_map: dict[str, str] | None = None,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Preview:
    """Detect *path*'s format (or use *fmt*) and read its first *n* records (transcript rows
    under *min_confidence* are shown as skipped).

    Raises ``FormatError`` / ``jsonl_io.FileFormatError`` when the file cannot be used as asked.
    """
    from fineflow_desktop.core.formats.source import preview

    source, items = preview(path, n, fmt, column_map, min_confidence)
    return Preview(source.format, source.detected, source.container, source.columns, source.column_map,
                   [(line, item if isinstance(item, dict) else item.reason) for line, item in items])


def preview_file(path: str | Path, n: int = 20) -> tuple[str, list[dict]]:
    """``(detected_format, first n canonical examples)`` of a dataset file."""
    p = inspect_file(path, n)
    return p.format, p.examples


def _row(example: dict, dataset_id: int, line: int, fmt: str, file_name: str, now) -> dict:
    """Pair-table values for one example (``n_tokens`` is filled per batch by ``_insert_new``)."""
    cols = example_to_row(example)
    cols["meta"]["import"] = {"file": file_name, "line": line, "format": fmt}
    return {
        "dataset_id": dataset_id,
        "system": cols["system"],
        "user": cols["user"],
        "assistant": cols["assistant"],
        "messages": cols["messages"],
        "n_tokens": 0,
        "_messages": example["messages"],
        "source": "imported",
        "document_id": None,
        "chunk_id": None,
        "meta": cols["meta"],
        "validated": False,
        "quality": None,
        "quality_signals": {},
        "tags": [],
        "content_hash": example_hash(example),
        "template_version_id": None,
        "run_id": None,
        "created_at": now,
        "updated_at": now,
    }


def _insert_new(ws: Workspace, dataset_id: int, rows: list[dict]) -> tuple[int, int]:
    """Insert the rows whose hash the dataset does not have yet, in one transaction.

    Returns ``(inserted, duplicates)``. Earlier batches are committed, so the lookup sees them.
    """
    table = Pair.__table__
    fresh, seen = [], set()
    with ws.engine.begin() as conn:
        hashes = list({r["content_hash"] for r in rows})
        existing = set(conn.execute(
            select(table.c.content_hash).where(table.c.dataset_id == dataset_id, table.c.content_hash.in_(hashes))
        ).scalars())
        for r in rows:
            h = r["content_hash"]
            if h in existing or h in seen:
                continue
            seen.add(h)
            fresh.append(r)
        if fresh:
            for r, n in zip(fresh, batch_chat_tokens([r.pop("_messages") for r in fresh])):
                r["n_tokens"] = n
            conn.execute(table.insert(), fresh)
    return len(fresh), len(rows) - len(fresh)


def import_file(ws: Workspace, path: str | Path, dataset_name: str | None = None, fmt: str | None = None,
                column_map: dict[str, str] | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                max_count: int | None = None, state: TaskState | None = None) -> ImportReport:
    """Import *path* into the dataset *dataset_name* (default: the file name without extension;
    created if missing) with ``source="imported"``.

    *fmt* overrides detection (``core.formats.detect.IMPORT_FORMATS``); *column_map* maps CSV
    columns (``core.formats.columns``); *min_confidence* / *max_count* select transcript rows
    (*max_count* None: transcripts keep the 100 most confident, other formats everything;
    0: no limit).
    Progress is reported in bytes read; ``state.check()`` runs between records. On cancel the
    records read so far are committed, then ``Cancelled`` is raised.

    Raises ``FormatError`` / ``jsonl_io.FileFormatError`` (unusable file, before anything is
    written) and ``OSError`` (unreadable file).
    """
    from fineflow_desktop.services.datasets import get_or_create_dataset

    state = state or TaskState()
    path = Path(path)
    source: Source = inspect_source(path, fmt, column_map)
    name = (dataset_name or path.stem or "imported").strip()
    ds_id = get_or_create_dataset(ws, name)
    report = ImportReport(format=source.format, dataset_id=ds_id, dataset_name=name, path=str(path))
    position = jsonl_io.ReadPosition()
    label = FORMAT_LABELS.get(source.format, source.format)
    batch: list[dict] = []
    now = utcnow()

    def flush() -> None:
        nonlocal batch
        if batch:
            inserted, dups = _insert_new(ws, ds_id, batch)
            report.imported += inserted
            report.duplicates += dups
            batch = []

    try:
        for n, (line, item) in enumerate(iter_examples(source, min_confidence, max_count, position), start=1):
            if isinstance(item, Skip):
                report.skipped += 1
                if len(report.skipped_lines) < MAX_REPORTED_SKIPS:
                    report.skipped_lines.append((line, item.reason))
            else:
                batch.append(_row(item, ds_id, line, source.format, path.name, now))
                if len(batch) >= BATCH_ROWS:
                    flush()
                    now = utcnow()
            if n % 64 == 0:
                state.check()
                state.progress(position.bytes_read(), position.total or 0, f"{label}: {n:,} records")
        flush()
    except Cancelled:
        flush()  # keep what was read: re-importing later skips it as duplicates
        raise
    report.skipped_lines.sort()
    state.progress(position.total, position.total, f"{report.imported:,} imported, {report.skipped:,} skipped")
    return report
