"""The "Fine-tuning jobs" pane: job list with a summary line, filters, and the live job detail.

The monitor reads the store (``services.finetune``), never the network: one ``JobPoller`` runs
``ft.monitor_pass`` in the app's poll process for every live job (5 s while this pane is
visible, 30 s otherwise, backoff on errors) and hands back a snapshot with the selected job's
new metrics and events; the pane only shows it. A tray message announces each job that reaches a
final state, also while the window is minimised.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSplitter,
    QVBoxLayout, QWidget,
)

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.jobs import format as fmt
from fineflow_desktop.ui.jobs.detail import JobDetail
from fineflow_desktop.ui.jobs.models import JobsTableModel
from fineflow_desktop.ui.jobs.notify import JobNotifier
from fineflow_desktop.ui.jobs.poller import JobPoller
from fineflow_desktop.ui.tables import ID_ROLE, make_single_select_table, with_empty_label
from fineflow_desktop.ui.pane import Pane

FILTERS = (("All jobs", "all"), ("Active", "active"), ("Finished", "finished"), ("Failed / cancelled", "failed"))
CLOCK_MS = 1000  # elapsed / ETA columns tick while visible


class JobsPane(Pane):
    """``JobsPane(ctx)``. ``open_dataset_requested(dataset_id)`` asks the window to open a dataset;
    ``job_finished(JobRecord)`` fires once per job reaching a final state."""

    title = "Fine-tuning jobs"
    open_dataset_requested = Signal(int)
    validate_dataset_requested = Signal(int)
    job_finished = Signal(object)

    def build(self) -> None:
        ctx = self.ctx
        self.wizard = None
        self.compare_dialog = None
        self.local_interval_s = 2.0  # seconds between reads of a followed local run's log
        self.notifier = JobNotifier(self)
        self.poller = JobPoller(ctx, self)
        self.poller.synced.connect(self.apply_snapshot)
        self.poller.failed.connect(lambda msg: self._set_sync_text(f"Checking jobs failed: {msg} — retrying"))
        self.poller.finished_job.connect(self._on_job_finished)
        self.poller.status_filter = self.status_filter
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_toolbar())
        self.summary_label = QLabel()
        self.summary_label.setObjectName("jobsSummary")
        lay.addWidget(self.summary_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_table())
        self.detail = self._build_detail()
        self.poller.cursor = self.detail.cursor
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([190, 560])
        lay.addWidget(splitter, 1)
        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_MS)
        self.clock.timeout.connect(self.table.viewport().update)
        self.poller.poll_now()  # resumes polling after a restart and reconciles interrupted launches
        self.destroyed.connect(self.notifier.close)

    # ---- builders -----------------------------------------------------------------------------

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.new_btn = QPushButton("New fine-tuning job…")
        self.new_btn.setObjectName("newJobButton")
        self.new_btn.clicked.connect(lambda: self.open_wizard())
        bar.addWidget(self.new_btn)
        self.local_btn = QPushButton("Watch local run…")
        self.local_btn.setToolTip("Follow a training run on this machine (LLaMA-Factory or any Hugging Face Trainer "
                                  "output folder), or start one with llamafactory-cli")
        self.local_btn.clicked.connect(lambda: self.open_local_run_dialog())
        bar.addWidget(self.local_btn)
        self.compare_btn = QPushButton("Compare runs…")
        self.compare_btn.setToolTip("Overlay the curves of two or more jobs and compare their configurations")
        self.compare_btn.clicked.connect(lambda: self.open_compare_runs())
        bar.addWidget(self.compare_btn)
        bar.addWidget(QLabel("Show:"))
        self.filter_combo = QComboBox()
        for text, key in FILTERS:
            self.filter_combo.addItem(text, key)
        self.filter_combo.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.filter_combo)
        bar.addStretch(1)
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncStatus")
        bar.addWidget(self.sync_label)
        self.sync_all_btn = QPushButton("Sync now")
        self.sync_all_btn.setToolTip("Ask the providers about every live job now")
        self.sync_all_btn.clicked.connect(self.sync_now)
        bar.addWidget(self.sync_all_btn)
        return bar

    def _build_table(self) -> QWidget:
        self.model = JobsTableModel(self)
        self.table = make_single_select_table(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # Fixed widths, not ResizeToContents: that measures every row on each update (bench_monitor).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((0, 130, 170, 110, 170, 90, 90)):
            if width:
                self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        box, self.empty_label = with_empty_label(
            self.table, "No fine-tuning jobs yet. Validate a dataset, then click “New fine-tuning job…”.")
        return box

    def _build_detail(self) -> JobDetail:
        detail = JobDetail(self.ctx)
        detail.cancel_requested.connect(self.cancel_selected)
        detail.sync_requested.connect(self.sync_now)
        detail.copy_requested.connect(self.copy_model_id)
        detail.save_csv_requested.connect(self.save_metrics_csv)
        detail.open_dataset_requested.connect(self.open_dataset_requested)
        detail.checkpoints_requested.connect(self.load_checkpoints)
        return detail

    # ---- visibility → cadence -----------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.poller.set_fast(True)
        self.clock.start()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self.poller.set_fast(False)
        self.clock.stop()

    # ---- data ---------------------------------------------------------------------------------

    def status_filter(self) -> str:
        return self.filter_combo.currentData() or "all"

    def reload(self) -> None:
        """Re-read the list and the summary from the store (filter changes, after actions)."""
        self._show_jobs(ft.list_jobs(self.ctx.workspace, self.status_filter()), ft.month_summary(self.ctx.workspace))

    def apply_snapshot(self, snap) -> None:
        """A poll pass finished: show its list (all jobs, newest first) and summary."""
        self._show_jobs(snap.jobs, snap.summary, snap.detail)
        errors = snap.report.errors
        when = fmt.utcnow().strftime("%H:%M:%S")
        nxt = self.poller.next_poll_in_s()
        text = f"Checked {len(snap.report.results)} live job(s) at {when} UTC"
        if errors:
            text += f" · {len(errors)} error(s): {errors[0]}"
        if nxt is not None:
            text += f" · next in {fmt.duration(nxt)}"
        self._set_sync_text(text)

    def _set_sync_text(self, text: str) -> None:
        self.sync_label.setText(text)

    def _show_jobs(self, jobs: list, summary: dict, delta=None) -> None:
        current = self.selected_job_id()
        self.model.set_jobs(jobs)
        self.empty_label.setVisible(not jobs and self.status_filter() == "all")
        self.summary_label.setText(self._summary_text(summary))
        row = self.model.row_of_id(current) if current is not None else -1
        if row < 0 and jobs:
            row = 0
        sel = self.table.selectionModel()
        if row >= 0 and sel.currentIndex().row() != row:
            sel.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                | QItemSelectionModel.SelectionFlag.Rows)
        jobs_by_id = {j.id: j for j in jobs}
        sel_id = self.selected_job_id()
        self.detail.refresh(jobs_by_id.get(sel_id) if sel_id is not None else None, delta)

    @staticmethod
    def _summary_text(s: dict) -> str:
        rate = "—" if s.get("success_rate") is None else f"{s['success_rate'] * 100:.0f}%"
        spend = fmt.money(s.get("spent_this_month"))
        if s.get("limit") is not None:
            budget = f"{spend} of {fmt.money(s['limit'])} monthly budget ({s.get('mode')} mode)"
        else:
            budget = f"{spend} (no monthly budget set)"
        return (f"{s.get('month', '')}: {s.get('jobs', 0)} job(s) this month · success rate {rate} "
                f"({s.get('completed', 0)} completed, {s.get('failed', 0)} failed) · training spend {budget}")

    def selected_job_id(self) -> int | None:
        idx = self.table.selectionModel().currentIndex()
        return self.model.data(self.model.index(idx.row(), 0), ID_ROLE) if idx.isValid() else None

    def select_job(self, job_id: int) -> bool:
        row = self.model.row_of_id(job_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def _on_current_changed(self, current, _previous) -> None:
        job_id = self.model.data(self.model.index(current.row(), 0), ID_ROLE) if current.isValid() else None
        if job_id is None:
            self.detail.show_job(None)
            return
        if self.detail.job is None or self.detail.job.id != job_id:
            self.detail.show_job(ft.get_job(self.ctx.workspace, job_id))

    def _on_job_finished(self, job) -> None:
        title, _body = self.notifier.notify(job)
        self.ctx.events.status_message.emit(title)
        self.job_finished.emit(job)

    # ---- actions ------------------------------------------------------------------------------

    def sync_now(self) -> None:
        self._set_sync_text("Checking jobs…")
        self.poller.poll_now()

    def cancel_selected(self) -> None:
        job = self.detail.job
        if job is None or job.terminal:
            return
        answer = QMessageBox.question(
            self, "Cancel fine-tuning job",
            f"Cancel job #{job.id} ({job.model} on {job.dataset_name})?\n\nThe provider stops training; "
            "steps already trained may still be billed.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.ctx.ops.run(f"Cancelling fine-tuning job #{job.id}", lambda _state, ws, jid: ft.cancel_job(ws, jid),
                         self.ctx.workspace, job.id, trigger=self.detail.cancel_btn, on_result=self._on_cancelled,
                         on_error=lambda msg: QMessageBox.warning(self, "Cancel failed", msg),
                         on_finished=lambda: self.detail.cancel_btn.setEnabled(
                             self.detail.job is not None and not self.detail.job.terminal))

    def _on_cancelled(self, job) -> None:
        if job.terminal:
            self._on_job_finished(job)
        self.reload()
        self.poller.poll_now()

    def copy_model_id(self) -> None:
        job = self.detail.job
        if job is None:
            return
        text = job.fine_tuned_model or job.provider_job_id
        if text:
            QApplication.clipboard().setText(text)
            self.ctx.events.status_message.emit(f"Copied {text}")

    def save_metrics_csv(self, path: str | None = None) -> int | None:
        """Save the selected job's metrics; asks for *path* when not given. Returns rows written."""
        job = self.detail.job
        if job is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save metrics CSV", f"job-{job.id}-metrics.csv", "CSV (*.csv)")
            if not path:
                return None
        rows = ft.metrics_csv(self.ctx.workspace, job.id, path)
        self.ctx.events.status_message.emit(f"Saved {rows} metric rows to {path}")
        return rows

    def load_checkpoints(self) -> None:
        job = self.detail.job
        if job is None:
            return
        self.detail.checkpoints_view.setPlainText("Asking the provider…")
        self.ctx.ops.run(f"Checkpoints of job #{job.id}", lambda _s, ws, jid: ft.job_checkpoints(ws, jid),
                         self.ctx.workspace, job.id, trigger=self.detail.checkpoints_btn,
                         on_result=self.detail.show_checkpoints,
                         on_error=lambda msg: self.detail.checkpoints_view.setPlainText(f"Could not load: {msg}"))

    def open_compare_runs(self, job_ids: list[int] | None = None):
        """Open "Compare runs" over every job, ticking *job_ids* (default: the selected job)."""
        from fineflow_desktop.ui.jobs.compare_runs import CompareRunsDialog

        checked = job_ids if job_ids is not None else [i for i in [self.selected_job_id()] if i is not None]
        dlg = CompareRunsDialog(self.ctx, ft.list_jobs(self.ctx.workspace), checked, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        self.compare_dialog = dlg
        return dlg

    def open_local_run_dialog(self, values: tuple | None = None):
        """Ask for a run folder (or a training config) and follow it as a task; with *values*
        (``LocalRunDialog.values()``) start at once without the dialog. Returns the launcher."""
        from fineflow_desktop.ui.jobs.local_run import LocalRunDialog, LocalRunLauncher

        if values is None:
            dlg = LocalRunDialog(self, trainer=ft.find_trainer())
            if dlg.exec() != dlg.DialogCode.Accepted:
                return None
            values = dlg.values()
        launcher = LocalRunLauncher(self.ctx, self, interval_s=self.local_interval_s)
        launcher.job_seen.connect(self._on_local_job)
        launcher.ended.connect(lambda job: (self.reload(), self.select_job(job.id)))
        launcher.failed.connect(lambda msg: QMessageBox.warning(self, "Local run", msg))
        launcher.start(*values, trigger=None)
        return launcher

    def _on_local_job(self, job_id: int) -> None:
        self.filter_combo.setCurrentIndex(0)
        self.reload()
        self.select_job(job_id)

    def open_wizard(self, dataset_id: int | None = None):
        """Open the launch wizard (window-modal); a launched job is selected and polled."""
        from fineflow_desktop.ui.jobs.wizard import LaunchWizard

        self.wizard = LaunchWizard(self.ctx, self, dataset_id=dataset_id)
        self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard.launched.connect(self.on_launched)
        self.wizard.validate_requested.connect(self.validate_dataset_requested)
        self.wizard.open()
        return self.wizard

    def on_launched(self, job) -> None:
        self.filter_combo.setCurrentIndex(0)
        self.reload()
        self.select_job(job.id)
        self.poller.poll_now()

    def shutdown(self) -> None:
        """Stop polling (the window calls this before the workspace closes)."""
        self.poller.stop()
        self.clock.stop()
