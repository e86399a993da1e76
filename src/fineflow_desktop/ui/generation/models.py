"""Table models of the Runs pane: runs (with live progress) and a run's failed items.

Both hold plain values from the services (``RunInfo`` / ``ItemInfo``); a few hundred runs
and at most a few thousand failed items, so a plain list model is enough here.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from fineflow_desktop.ui.style import colour

STATUS_LABELS = {
    "created": "not started", "running": "running", "cancelled": "stopped", "batch_pending": "batch pending",
    "completed": "completed", "partial": "finished with failures", "failed": "stopped on error",
}


class _ListTableModel(QAbstractTableModel):
    """Read-only, selectable rows from ``_row_list()`` under the string headers ``COLUMNS``."""

    COLUMNS: tuple[str, ...] = ()

    def _row_list(self) -> list:
        raise NotImplementedError

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._row_list())

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RunsTableModel(_ListTableModel):
    """Rows = runs (newest first). ``set_progress`` overlays the live message of a running run."""

    COLUMNS = ("Run", "Dataset", "Model", "Mode", "Status", "Done", "Failed", "Left", "Pairs", "Progress", "Created")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs: list = []
        self.progress: dict[int, str] = {}

    def _row_list(self) -> list:
        return self.runs

    def status_text(self, r) -> str:
        if r.needs_resume and r.status in ("running", "batch_pending"):
            return "interrupted — resume"
        return STATUS_LABELS.get(r.status, r.status)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.runs):
            return None
        r, col = self.runs[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                f"#{r.id}", r.dataset_name, f"{r.model} ({r.credential_name})",
                r.mode + (" · batch" if r.is_batch else ""), self.status_text(r), r.done, r.failed,
                r.pending + r.running, r.pairs, self.progress.get(r.id, ""),
                r.created_at.strftime("%Y-%m-%d %H:%M") if r.created_at else "",
            )
            return values[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 4 and r.error:
            return r.error
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            if r.status in ("failed", "partial") or r.needs_resume:
                return colour("warn")
            if r.status == "completed":
                return colour("ok")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (5, 6, 7, 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def set_runs(self, runs: list) -> None:
        """Replace the rows (keeps live progress messages of runs still listed)."""
        self.beginResetModel()
        self.runs = list(runs)
        ids = {r.id for r in self.runs}
        self.progress = {k: v for k, v in self.progress.items() if k in ids}
        self.endResetModel()

    def set_progress(self, run_id: int, message: str) -> None:
        """Show *message* in the Progress column of *run_id*."""
        self.progress[run_id] = message
        row = self.row_of(run_id)
        if row is not None:
            idx = self.index(row, self.COLUMNS.index("Progress"))
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DisplayRole])

    def row_of(self, run_id: int) -> int | None:
        return next((i for i, r in enumerate(self.runs) if r.id == run_id), None)

    def run_at(self, row: int):
        return self.runs[row] if 0 <= row < len(self.runs) else None


class FailedItemsModel(_ListTableModel):
    """The failed items of one run with their error text (key-masked by the service)."""

    COLUMNS = ("Item", "Chunk", "Document", "Section", "Attempts", "Error")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list = []

    def _row_list(self) -> list:
        return self.items

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        i, col = self.items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            error = (i.last_error or "").replace("\n", " ")
            return (i.id, i.chunk_id, i.document_name, i.heading, i.attempts, error)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 5:
            return i.last_error
        return None

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()
