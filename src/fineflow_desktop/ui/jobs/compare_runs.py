"""Compare runs (issue 12, like H2O LLM Studio's "compare experiments"): tick two or more jobs,
cloud or local, and see their train / validation loss and learning-rate curves overlaid on one
chart, and their configurations side by side with the differing rows highlighted.

Shows only: ``services.finetune.compare_runs`` reads the store and decides what differs (on the
task pool through ``ctx.ops.run``); this dialog fills the chart and the table from its result.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QSplitter, QTableView, QVBoxLayout,
    QWidget,
)

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.style import colour
from fineflow_desktop.ui.widgets.training_curves import TrainingCurves


class ConfigRowsModel(QAbstractTableModel):
    """Rows of ``RunsComparison.rows``: the setting, then one column per run; a differing row has
    the ``highlight_bg`` background and bold text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.heads: list[str] = []

    def set_comparison(self, cmp) -> None:
        self.beginResetModel()
        self.rows = list(cmp.rows) if cmp is not None else []
        self.heads = [ft.run_label(j) for j in cmp.jobs] if cmp is not None else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 1 + len(self.heads)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return "Setting" if section == 0 else self.heads[section - 1]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return row.label + (" (differs)" if row.differs and role == Qt.ItemDataRole.ToolTipRole else "")
            value = row.values[index.column() - 1]
            return "—" if value is None else value
        if role == Qt.ItemDataRole.BackgroundRole and row.differs:
            return colour("highlight_bg")
        if role == Qt.ItemDataRole.FontRole and row.differs:
            font = QFont()
            font.setBold(True)
            return font
        return None


class CompareRunsDialog(QDialog):
    """``CompareRunsDialog(ctx, jobs, checked=ids)``: *jobs* are ``JobRecord``s to choose from
    (newest first); *checked* are compared at once. ``comparison`` holds the last result."""

    def __init__(self, ctx, jobs: list, checked: list[int] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.comparison = None
        self.setWindowTitle("Compare runs")
        self.resize(1180, 760)
        lay = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_picker(jobs, set(checked)))
        split.addWidget(self._build_results())
        split.setStretchFactor(1, 1)
        split.setSizes([260, 920])
        lay.addWidget(split)
        self.refresh()

    def _build_picker(self, jobs: list, checked: set[int]) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("Tick two or more jobs (cloud or local):")
        hint.setWordWrap(True)
        col.addWidget(hint)
        self.job_list = QListWidget()
        self.job_list.setObjectName("compareRunsJobs")
        self.job_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.job_list.setSpacing(2)
        for job in jobs:
            # two short lines: one long line was cut at the picker's width (1100x700 screenshots)
            item = QListWidgetItem(f"{ft.run_label(job)}\n{job.dataset_name or job.provider} · {job.status}")
            item.setData(Qt.ItemDataRole.UserRole, job.id)
            item.setToolTip(f"{ft.run_label(job)} · {job.provider} · {job.model} · {job.provider_job_id or ''}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if job.id in checked else Qt.CheckState.Unchecked)
            self.job_list.addItem(item)
        self.job_list.itemChanged.connect(lambda _item: self.refresh())
        col.addWidget(self.job_list, 1)
        return box

    def _build_results(self) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        self.status_label = QLabel()
        self.status_label.setObjectName("compareRunsStatus")
        col.addWidget(self.status_label)
        inner = QSplitter(Qt.Orientation.Vertical)
        self.curves = TrainingCurves(empty_text="Tick two or more jobs to overlay their curves")
        inner.addWidget(self.curves)
        self.config_model = ConfigRowsModel(self)
        self.config_view = QTableView()
        self.config_view.setObjectName("compareRunsConfig")
        self.config_view.setModel(self.config_model)
        self.config_view.verticalHeader().hide()
        self.config_view.setWordWrap(False)
        self.config_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.config_view.verticalHeader().setDefaultSectionSize(22)
        inner.addWidget(self.config_view)
        inner.setSizes([420, 300])
        col.addWidget(inner, 1)
        return box

    def checked_ids(self) -> list[int]:
        """Ids of the ticked jobs, in list order."""
        out = []
        for i in range(self.job_list.count()):
            item = self.job_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_checked(self, ids: list[int]) -> None:
        """Tick exactly *ids* (one refresh)."""
        self.job_list.blockSignals(True)
        for i in range(self.job_list.count()):
            item = self.job_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in ids
                               else Qt.CheckState.Unchecked)
        self.job_list.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Compare the ticked jobs (a task reading the store), or clear with fewer than two."""
        ids = self.checked_ids()
        if len(ids) < 2:
            self._show(None)
            self.status_label.setText("Tick at least two jobs to compare them.")
            return
        self.status_label.setText(f"Reading {len(ids)} runs…")
        self.ctx.ops.run(f"Compare {len(ids)} runs", lambda _state, ws, job_ids: ft.compare_runs(ws, job_ids),
                         self.ctx.workspace, ids, on_result=self._show,
                         on_error=lambda msg: self.status_label.setText(f"Could not compare: {msg}"), initiator=self)

    def _show(self, cmp) -> None:
        self.comparison = cmp
        self.config_model.set_comparison(cmp)
        keep = {j.id for j in cmp.jobs} if cmp is not None else set()
        for key in self.curves.runs():  # runs still ticked keep their curves (re-appending adds only new steps)
            if key not in keep:
                self.curves.remove_run(key)
        if cmp is None:
            self.curves.flush()
            return
        for job in cmp.jobs:
            self.curves.append_points(job.id, cmp.metrics[job.id], label=ft.run_label(job))
        self.curves.flush()
        n = len(cmp.differing)
        self.status_label.setText(f"{len(cmp.jobs)} runs · {n} setting{'s' if n != 1 else ''} differ "
                                  "(highlighted) · curves overlaid: solid train, dashed validation loss, "
                                  "dash-dot learning rate (right axis)")
