"""Table models of the Dataset Builder: documents, chunks and flagged chunks.

These lists are small (hundreds to a few thousand rows: one row per file, or the chunks of one
document), so each model holds the row dicts returned by the services and sorts in Python;
the big pair table uses the id-list + page-cache model instead (ui/pairs).
"""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from fineflow_desktop.ui.tables import Column, RowsModel
from fineflow_desktop.ui.style import colour



def human_size(n: int | None) -> str:
    """``1536`` → ``1.5 KB`` (powers of 1024). At most three digits before the point, as ``du -h``
    keeps: 1,033,318 bytes are ``1.0 MB``, not ``1009.1 KB``, which the Size column elided."""
    n = int(n or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def heading_text(path: list[str] | None) -> str:
    return " › ".join(path or []) or "(no heading)"


def quality_text(q: float | None) -> str:
    return "—" if q is None else f"{q:.2f}"


def marks_text(row: dict) -> str:
    marks = []
    if row.get("is_duplicate"):
        marks.append("duplicate")
    if row.get("near_dup_group_id") is not None:
        marks.append("near-dup")
    if row.get("is_flagged"):
        marks.append("flagged")
    return ", ".join(marks)


def quality_tooltip(row: dict) -> str:
    """Each quality signal with its value, threshold and source (``quality_signals`` from
    core.quality: ``name -> {value, threshold, ok, source}``); failing signals first."""
    signals = row.get("quality_signals") or {}
    if row.get("quality") is None:
        return "Not scored yet"
    lines = [f"Quality {row['quality']:.2f}"]
    items = sorted(signals.items(), key=lambda kv: (bool(kv[1].get("ok", True)) if isinstance(kv[1], dict) else True, kv[0]))
    for name, sig in items:
        if isinstance(sig, dict):
            ok = "✓" if sig.get("ok", True) else "✗"
            value, thr = sig.get("value"), sig.get("threshold")
            value_s = f"{value:.3g}" if isinstance(value, (int, float)) else str(value)
            line = f"{ok} {name}: {value_s}" + (f" (threshold {thr})" if thr is not None else "")
            if sig.get("source"):
                line += f" — {sig['source']}"
            lines.append(line)
        else:
            lines.append(f"{name}: {sig}")
    return "\n".join(lines)


def flag_texts(row: dict) -> list[str]:
    """Each flag of a chunk row as ``reason: “matched text”``."""
    matches = list(row.get("matches") or [])
    reasons = list(row.get("flags") or [])
    matches += [""] * (len(reasons) - len(matches))
    return [f"{reason}: “{m}”" if m else reason for reason, m in zip(reasons, matches)]


def marks_tooltip(row: dict) -> str:
    lines = []
    if row.get("is_duplicate"):
        of = row.get("duplicate_of_id")
        lines.append("Exact duplicate" + (f" of chunk {of}" if of else "") + " — excluded from generation by default")
    if row.get("near_dup_group_id") is not None:
        lines.append(f"Near-duplicate group {row['near_dup_group_id']}")
    if row.get("is_flagged"):
        lines.append("Flagged (possible prompt injection): " + ("; ".join(flag_texts(row)) or "see review list"))
    return "\n".join(lines)


class DocumentsModel(RowsModel):
    """One row per imported file; errors in red with the reason as tooltip."""

    columns = [
        Column("Document", lambda r: r.get("path") or r.get("name", ""), lambda r: str(r.get("path") or r.get("name", "")).lower()),
        Column("Type", lambda r: r.get("kind", ""), lambda r: r.get("kind", "")),
        Column("Size", lambda r: human_size(r.get("size_bytes")), lambda r: r.get("size_bytes") or 0, numeric=True),
        Column("Chunks", lambda r: str(r.get("n_chunks") or 0), lambda r: r.get("n_chunks") or 0, numeric=True),
        Column("Tokens", lambda r: f"{r.get('n_tokens') or 0:,}", lambda r: r.get("n_tokens") or 0, numeric=True),
        Column("Status", lambda r: _status_text(r), lambda r: (r.get("status") != "error", r.get("status", ""))),
    ]
    STATUS_COLUMN = 5

    def extra_data(self, row: dict, column: int, role: int):
        failed = row.get("status") == "error"
        if role == Qt.ItemDataRole.ForegroundRole and failed:
            return QBrush(colour("error"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if failed:
                return f"{row.get('source_path') or row.get('name')}\n{row.get('error') or 'import failed'}"
            return row.get("source_path") or row.get("name")
        return None


def _status_text(row: dict) -> str:
    """``ready`` or ``error: line 1: invalid JSON …`` (the file's path is in the Name column)."""
    if row.get("status") != "error":
        return row.get("status") or "ready"
    reason = (row.get("error") or "").splitlines()[0] if row.get("error") else ""
    path = row.get("source_path") or ""
    if path and reason.startswith(path):  # ParseError text is "path:line [field]: reason"
        rest = reason[len(path):].lstrip(":")
        line, sep, tail = rest.partition(":")
        reason = f"line {line.strip()}:{tail}" if sep and line.strip().split(" ")[0].isdigit() else rest.strip()
    return f"error: {reason.strip()}" if reason.strip() else "error"


class ChunksModel(RowsModel):
    """Chunks of the selected document (or of all, filtered by quality)."""

    columns = [
        Column("#", lambda r: str(r.get("ordinal", 0) + 1), lambda r: (r.get("document_id"), r.get("ordinal", 0)), numeric=True),
        Column("Document", lambda r: r.get("document_name", ""), lambda r: (str(r.get("document_name", "")).lower(), r.get("ordinal", 0))),
        Column("Heading path", lambda r: heading_text(r.get("heading_path")), lambda r: heading_text(r.get("heading_path")).lower()),
        Column("Tokens", lambda r: str(r.get("n_tokens") or 0), lambda r: r.get("n_tokens") or 0, numeric=True),
        Column("Quality", lambda r: quality_text(r.get("quality")), lambda r: r.get("quality"), numeric=True),
        Column("Marks", marks_text, marks_text),
        Column("Text", lambda r: r.get("preview", ""), lambda r: r.get("preview", "")),
    ]
    DOCUMENT_COLUMN, HEADING_COLUMN, TOKENS_COLUMN, QUALITY_COLUMN, MARKS_COLUMN, TEXT_COLUMN = 1, 2, 3, 4, 5, 6

    def extra_data(self, row: dict, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.get("is_flagged") and column == self.MARKS_COLUMN:
                return QBrush(colour("warn"))
            if row.get("is_duplicate"):
                return QBrush(colour("muted"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.QUALITY_COLUMN:
                return quality_tooltip(row)
            if column == self.MARKS_COLUMN:
                return marks_tooltip(row) or None
            return heading_text(row.get("heading_path"))
        return None


class FlaggedChunksModel(RowsModel):
    """Chunks with prompt-injection flags, for review."""

    columns = [
        Column("Document", lambda r: r.get("document_name", ""), lambda r: (str(r.get("document_name", "")).lower(), r.get("ordinal", 0))),
        Column("Heading path", lambda r: heading_text(r.get("heading_path")), lambda r: heading_text(r.get("heading_path")).lower()),
        Column("Reason", lambda r: "; ".join(flag_texts(r)), lambda r: "; ".join(r.get("flags") or [])),
        Column("Text", lambda r: r.get("preview", ""), lambda r: r.get("preview", "")),
    ]

    def extra_data(self, row: dict, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(colour("warn"))
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return "\n".join(flag_texts(row)) or None
        return None
