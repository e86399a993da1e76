"""The Runs pane: generation runs with live progress, Cancel / Resume / Retry failed / Cancel batch
at provider, and the failed-items view. On opening a workspace with an interrupted run it offers
Resume.

All work goes through ``services.generation`` in ``ctx.ops`` (one operation per executing run);
progress messages ("312 done · 4 failed · 84 left · 38.5 items/s · ETA 0:02") come from the
service and are shown as they are; counts are re-read from the store at most twice a second.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPlainTextEdit, QProgressBar,
    QPushButton, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)

from fineflow_desktop.core.generation.estimate import format_cost
from fineflow_desktop.services import generation as gen
from fineflow_desktop.services.generation import cancel_batch_run
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.generation.models import FailedItemsModel, RunsTableModel
from fineflow_desktop.ui.generation.run_dialog import RunDialog
from fineflow_desktop.ui.tables import make_single_select_table
from fineflow_desktop.ui.style import css, set_banner, set_heading

REFRESH_MS = 500


class RunsPane(Pane):
    """``RunsPane(ctx)``. ``run_finished(run_id, status)`` fires when a run task ends."""

    title = "Generation runs"
    reload_on = {Effect.RUNS}
    run_finished = Signal(int, str)

    def build(self) -> None:
        self.tasks: dict[int, object] = {}  # run id -> Task executing it in this app
        self.dialog: RunDialog | None = None
        self._banner_run: int | None = None

        bar = self._build_toolbar()
        self._build_resume_banner()
        self._build_runs_table()
        detail = self._build_run_detail()

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)

    def _build_toolbar(self) -> QHBoxLayout:
        """The button row: New run, Cancel, Resume, Retry failed, Cancel batch … Refresh."""
        bar = QHBoxLayout()
        self.new_btn = QPushButton("New run…")
        self.cancel_btn = QPushButton("Cancel")
        self.resume_btn = QPushButton("Resume")
        self.retry_btn = QPushButton("Retry failed")
        self.cancel_batch_btn = QPushButton("Cancel batch at provider…")
        self.cancel_batch_btn.setToolTip("Cancel only stops watching a batch; this asks the provider to stop it. "
                                         "Answered requests are kept; the others fail and can be retried.")
        self.refresh_btn = QPushButton("Refresh")
        for b in (self.new_btn, self.cancel_btn, self.resume_btn, self.retry_btn, self.cancel_batch_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.refresh_btn)
        return bar

    def _build_resume_banner(self) -> None:
        """The hidden "interrupted run" banner with its Resume button."""
        self.banner = QFrame()
        self.banner.setObjectName("resumeBanner")
        set_banner(self.banner, "warn")
        bl = QHBoxLayout(self.banner)
        bl.setContentsMargins(8, 4, 8, 4)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_resume = QPushButton("Resume")
        bl.addWidget(self.banner_text, 1)
        bl.addWidget(self.banner_resume)
        self.banner.hide()

    def _build_runs_table(self) -> None:
        """The table of runs (upper half of the splitter)."""
        self.model = RunsTableModel(self)
        self.table = make_single_select_table(self.model)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RunsTableModel.COLUMNS.index("Progress"), QHeaderView.ResizeMode.Stretch)

    def _build_run_detail(self) -> QWidget:
        """The selected run (lower half): details, progress, failed items and the full error."""
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        self.detail_label = QLabel("Select a run to see its details.")
        self.detail_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self._build_failed_items()
        dl.addWidget(self.detail_label)
        dl.addWidget(self.progress)
        dl.addWidget(self.failed_label)
        dl.addWidget(self.failed_table, 1)
        dl.addWidget(self.error_view)
        return detail

    def _build_failed_items(self) -> None:
        """The "Failed items" heading, its table and the read-only error box under it."""
        self.failed_label = QLabel("Failed items")
        set_heading(self.failed_label)
        self.failed_model = FailedItemsModel(self)
        self.failed_table = QTableView()
        self.failed_table.setModel(self.failed_model)
        self.failed_table.verticalHeader().hide()
        self.failed_table.verticalHeader().setDefaultSectionSize(22)
        self.failed_table.setWordWrap(False)
        self.failed_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        fh = self.failed_table.horizontalHeader()
        fh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        fh.setSectionResizeMode(FailedItemsModel.COLUMNS.index("Error"), QHeaderView.ResizeMode.Stretch)
        self.error_view = QPlainTextEdit()
        self.error_view.setReadOnly(True)
        self.error_view.setFixedHeight(54)
        self.error_view.setPlaceholderText("Select a failed item to read its full error.")

    def connect_signals(self) -> None:
        self._refresh_timer.timeout.connect(self.refresh)
        self.new_btn.clicked.connect(self.open_run_dialog)
        self.cancel_btn.clicked.connect(self.cancel_selected)
        self.resume_btn.clicked.connect(lambda: self._start_selected(gen.resume_run, "Resume"))
        self.retry_btn.clicked.connect(lambda: self._start_selected(gen.retry_failed, "Retry failed"))
        self.cancel_batch_btn.clicked.connect(self.cancel_batch_selected)
        self.refresh_btn.clicked.connect(self.refresh)
        self.banner_resume.clicked.connect(self._resume_from_banner)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.failed_table.selectionModel().selectionChanged.connect(self._failed_selected)

    def reload(self) -> None:
        self.refresh()
        if self.model.runs and self.selected_run_id() is None:
            self.select_run(self.model.runs[0].id)

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read runs (and the selected run's failed items) from the store."""
        selected = self.selected_run_id()
        self.model.set_runs(gen.list_runs(self.ctx.workspace))
        if selected is not None:
            self.select_run(selected)
        interrupted = [r for r in self.model.runs if r.needs_resume and r.id not in self.tasks]
        if interrupted:
            r = interrupted[0]
            what = "is waiting for its batch results" if r.status == "batch_pending" else \
                   "was interrupted" if r.status == "running" else "stopped"
            more = f" (and {len(interrupted) - 1} more)" if len(interrupted) > 1 else ""
            self.banner_text.setText(f"Run #{r.id} ({r.dataset_name}, {r.model}) {what} with "
                                     f"{r.pending + r.running} of {r.total} items left{more}. Resume it?")
            self._banner_run = r.id
            self.banner.show()
        else:
            self._banner_run = None
            self.banner.hide()
        self._update_detail()

    def _schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def selected_run_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        run = self.model.run_at(rows[0].row()) if rows else None
        return run.id if run else None

    def select_run(self, run_id: int) -> None:
        row = self.model.row_of(run_id)
        if row is None:
            return
        self.table.selectionModel().select(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _selection_changed(self, *_args) -> None:
        self._update_detail()

    def _failed_selected(self, *_args) -> None:
        rows = self.failed_table.selectionModel().selectedRows()
        item = self.failed_model.items[rows[0].row()] if rows else None
        self.error_view.setPlainText(
            "" if item is None else f"Item {item.id} · chunk {item.chunk_id} · {item.document_name} · "
                                    f"{item.attempts} attempt(s)\n{item.last_error}")

    def _update_detail(self) -> None:
        run_id = self.selected_run_id()
        run = self.model.run_at(self.model.row_of(run_id)) if run_id is not None else None
        live = run is not None and run.id in self.tasks
        self.cancel_btn.setEnabled(live)
        self.resume_btn.setEnabled(run is not None and not live and not run.live and
                                   (run.needs_resume or run.pending + run.running > 0))
        self.retry_btn.setEnabled(run is not None and not live and not run.live and run.failed > 0)
        self.cancel_batch_btn.setEnabled(run is not None and run.is_batch and run.status == "batch_pending"
                                         and (live or not run.live))
        if run is None:
            self.detail_label.setText("Select a run to see its details." if self.model.runs else
                                      "No generation runs yet. Click “New run…” to generate pairs with a model.")
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.failed_model.set_items([])
            self.failed_label.setText("Failed items")
            return
        est = run.estimate or {}
        cost = est.get("cost_usd")
        self.detail_label.setText(
            f"<b>Run #{run.id}</b> · {run.dataset_name} · {run.provider}/{run.credential_name} · {run.model} · "
            f"{run.mode} · {run.pairs_per_chunk} pairs/chunk · concurrency {run.concurrency}"
            f"{' · batch' if run.is_batch else ''} — estimate {est.get('calls', '?')} calls"
            f"{'' if cost is None else ', ' + format_cost(cost)}"
            + (f"<br><span style='color:{css('warn')}'>{html.escape(run.error)}</span>" if run.error else ""))
        self.progress.setRange(0, max(1, run.total))
        self.progress.setValue(run.done + run.failed)
        message = self.model.progress.get(run.id) or f"{run.done} done · {run.failed} failed · {run.pending + run.running} left"
        self.progress.setFormat(f"%p% — {message}")
        items = gen.run_detail(self.ctx.workspace, run.id, states=("failed",), limit=5000).items if run.failed else []
        self.failed_model.set_items(items)
        self.error_view.clear()
        self.failed_label.setText(f"Failed items ({run.failed})" if run.failed else "Failed items (none)")

    # -- actions ---------------------------------------------------------------------------
    def open_run_dialog(self) -> RunDialog:
        """Show the Run dialog (non-blocking); starting a run happens on accept."""
        self.dialog = RunDialog(self.ctx, self)
        self.dialog.accepted.connect(lambda: self.start_new_run(self.dialog.params()))
        self.dialog.open()
        return self.dialog

    def start_new_run(self, params) -> None:
        """Create the run (with its work items) and execute it in a background task."""
        try:
            run_id, _est = gen.create_run(self.ctx.workspace, params)
        except gen.GenerationError as exc:
            QMessageBox.warning(self, "Cannot start the run", str(exc))
            return
        self._start(run_id, gen.run_generation, "Generate")  # registered first: no "resume?" banner flash
        self.refresh()
        self.select_run(run_id)

    def cancel_selected(self) -> None:
        run_id = self.selected_run_id()
        task = self.tasks.get(run_id)
        if task is not None:
            task.cancel()
            self.model.set_progress(run_id, "cancelling: finishing the requests in flight…")

    def cancel_batch_selected(self) -> None:
        """After a confirmation, cancel the selected batch run at the provider. A run this app
        watches keeps being watched (it ends at the next poll); otherwise a task watches it
        until the provider has stopped it."""
        run_id = self.selected_run_id()
        if run_id is None:
            return
        answer = QMessageBox.question(
            self, "Cancel the batch at the provider?",
            f"Ask the provider to stop run #{run_id}'s batch?\n\nRequests it already answered are kept (and "
            "billed); the others fail with “batch cancelled” and can be sent again with Retry failed.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        ws = self.ctx.workspace
        if run_id not in self.tasks:
            self._start(run_id, lambda w, rid, state: cancel_batch_run(w, rid, state), "Cancel batch")
            return
        self.ctx.ops.run(f"Cancel batch of run #{run_id}",
                         lambda state, rid: cancel_batch_run(ws, rid, state, watch=False), run_id,
                         trigger=self.cancel_batch_btn, effects={Effect.RUNS}, initiator=self,
                         on_result=lambda _s, rid=run_id: self.model.set_progress(
                             rid, "cancel requested: waiting for the provider to stop the batch…"),
                         # the watcher may end the run before this op ends: the button's state
                         # follows the run, not the op that just re-enabled it
                         on_finished=self._update_detail)

    def _resume_from_banner(self) -> None:
        if self._banner_run is not None:
            self.select_run(self._banner_run)
            self._start(self._banner_run, gen.resume_run, "Resume")

    def _start_selected(self, fn, verb: str) -> None:
        run_id = self.selected_run_id()
        if run_id is not None:
            self._start(run_id, fn, verb)

    def _start(self, run_id: int, fn, verb: str) -> None:
        if run_id in self.tasks:
            return
        ws = self.ctx.workspace
        self.model.set_progress(run_id, "starting…")
        self.banner.hide()
        self._update_detail()
        self.ctx.ops.run(f"{verb} run #{run_id}", lambda state, rid: fn(ws, rid, state), run_id,
                         on_started=lambda task, rid=run_id: self.tasks.__setitem__(rid, task),
                         on_progress=lambda done, total, msg, rid=run_id: self._on_progress(rid, msg),
                         on_result=lambda summary, rid=run_id: self._on_done(rid, summary.status, summary.error),
                         on_cancelled=lambda rid=run_id: self._on_done(rid, "cancelled", None),
                         on_error=lambda msg, rid=run_id: self._on_done(rid, "failed", msg),
                         effects={Effect.RUNS, Effect.PAIRS, Effect.DATASETS}, initiator=self)

    def _on_progress(self, run_id: int, message: str) -> None:
        self.model.set_progress(run_id, message)
        if run_id == self.selected_run_id():
            self.progress.setFormat(f"%p% — {message}")
        self._schedule_refresh()

    def _on_done(self, run_id: int, status: str, error: str | None) -> None:
        if self.tasks.pop(run_id, None) is None:
            return
        if error and status == "failed":
            self.model.set_progress(run_id, f"error: {error}")
        self.refresh()
        self.ctx.events.status_message.emit(f"Run #{run_id}: {status}")
        self.run_finished.emit(run_id, status)

    def shutdown(self) -> None:
        """Cancel this pane's running tasks (the app waits for the pool on quit)."""
        for task in list(self.tasks.values()):
            task.cancel()
