"""Table models of the job monitor: the job list (row dicts of ``JobRecord``) and the event log."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from fineflow_desktop.ui.jobs import format as fmt
from fineflow_desktop.ui.tables import Column, RowsModel
from fineflow_desktop.ui.style import colour, status_colour

Index = QModelIndex | QPersistentModelIndex


def job_row(job) -> dict:
    """A ``JobRecord`` as the row dict the table shows (its fields, shallow; times kept as datetimes).

    Plain Python, cheap (20 jobs: well under a millisecond on the main thread)."""
    row = dict(vars(job))
    row["terminal"] = job.terminal
    return row


class JobsTableModel(RowsModel):
    """Jobs, newest first: job, status badge, progress, elapsed, finish / ETA, cost, provider."""

    columns = [
        Column("Job", fmt.job_title, lambda r: r["id"]),
        Column("Status", lambda r: r["status"], lambda r: r["status"]),
        Column("Progress", fmt.progress_text, lambda r: (r.get("progress") or {}).get("percent")),
        Column("Elapsed", fmt.elapsed, lambda r: r["created_at"]),
        Column("Finish", fmt.finish_text, lambda r: r.get("finished_at") or r.get("estimated_finish")),
        Column("Cost", fmt.job_cost, lambda r: r.get("cost_actual_usd") or r.get("cost_estimate_usd"), numeric=True),
        Column("Provider", lambda r: r["provider"], lambda r: r["provider"]),
    ]
    STATUS_COLUMN = 1

    def set_jobs(self, jobs: list, rows: list[dict] | None = None) -> None:
        """Show ``JobRecord``s (or their prepared *rows*). The same jobs as shown are updated in
        place (``dataChanged``: selection and scroll stay, no relayout); otherwise the model resets."""
        rows = rows if rows is not None else [job_row(j) for j in jobs]
        by_id = {r["id"]: r for r in rows}
        if len(by_id) == len(self._rows) and all(r["id"] in by_id for r in self._rows):
            self._rows = [by_id[r["id"]] for r in self._rows]  # keep the view's order
            self._sort_rows()
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))
            return
        self.set_rows(rows)

    def extra_data(self, row: dict, column: int, role: int):
        if column == self.STATUS_COLUMN:
            if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole):
                return status_colour(row["status"])  # text and a swatch: the status badge
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"provider status: {row.get('provider_status') or '—'}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return row.get("fine_tuned_model") or row.get("provider_job_id") or "not created at the provider yet"
        return None


class EventsModel(QAbstractTableModel):
    """The event log of one job: time, level, message. Rows are appended incrementally."""

    HEADERS = ("Time (UTC)", "Level", "Message")
    LEVEL_TONES = {"warning": "warn", "warn": "warn", "error": "error"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self._events: list = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        ev = self._events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return ev.created_at.strftime("%H:%M:%S") if ev.created_at else ""
            if index.column() == 1:
                return ev.level
            return ev.message
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0 and ev.created_at:
            return ev.created_at.isoformat(sep=" ")
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            tone = self.LEVEL_TONES.get(ev.level)
            return None if tone is None else colour(tone)
        return None

    def reset(self, events: list) -> None:
        self.beginResetModel()
        self._events = list(events)
        self.endResetModel()

    def append(self, events: list) -> None:
        if not events:
            return
        n = len(self._events)
        self.beginInsertRows(QModelIndex(), n, n + len(events) - 1)
        self._events.extend(events)
        self.endInsertRows()

    def last_id(self) -> int:
        return self._events[-1].id if self._events else 0

    def messages(self) -> list[str]:
        return [e.message for e in self._events]
