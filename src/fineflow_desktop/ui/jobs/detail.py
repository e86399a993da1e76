"""Detail of one fine-tuning job: header with actions, live curves, event log, details, checkpoints.

Reads the store only (``services.finetune``): metrics and events incrementally (after the last
step / event id shown), so a poll costs the main thread only the new rows. Checkpoints are asked
from the provider on demand (a task), as the service does not store them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTabWidget, QTextBrowser,
    QVBoxLayout, QWidget,
)

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui import style
from fineflow_desktop.ui.jobs import format as fmt
from fineflow_desktop.ui.jobs.models import EventsModel
from fineflow_desktop.ui.tables import make_table
from fineflow_desktop.ui.widgets.training_curves import TrainingCurves
from fineflow_desktop.ui.style import status_colour

LEVELS = ("all", "info", "warning", "error")


class JobDetail(QWidget):
    """``show_job(record)`` switches job; ``refresh(record)`` appends what is new for the same job.

    Action signals (the pane runs them): ``cancel_requested``, ``sync_requested``,
    ``copy_requested``, ``save_csv_requested``, ``open_dataset_requested(dataset_id)``,
    ``checkpoints_requested``.
    """

    cancel_requested = Signal()
    sync_requested = Signal()
    copy_requested = Signal()
    save_csv_requested = Signal()
    open_dataset_requested = Signal(int)
    checkpoints_requested = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.job = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._build_header())
        lay.addLayout(self._build_actions())
        self.tabs = QTabWidget()
        self.curves = TrainingCurves(empty_text="No training metrics yet — they appear once training starts")
        self.tabs.addTab(self.curves, "Curves")
        self.tabs.addTab(self._build_events(), "Events")
        self.info = QTextBrowser()
        self.info.setOpenLinks(False)
        self.tabs.addTab(self.info, "Details")
        self.tabs.addTab(self._build_checkpoints(), "Checkpoints")
        lay.addWidget(self.tabs, 1)
        self.show_job(None)

    # ---- builders -----------------------------------------------------------------------------

    def _build_header(self) -> QVBoxLayout:
        col = QVBoxLayout()
        self.title_label = QLabel()
        self.title_label.setObjectName("jobTitle")  # app.qss: larger, bold
        self.status_label = QLabel()
        self.status_label.setObjectName("jobStatus")
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.model_label = QLabel()
        self.model_label.setObjectName("fineTunedModel")
        self.model_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setObjectName("jobError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        style.set_property(self.error_label, "padded", "true")
        style.set_banner(self.error_label, "error")
        for w in (self.title_label, self.status_label, self.model_label, self.error_label):
            col.addWidget(w)
        return col

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.cancel_btn = QPushButton("Cancel job…")
        self.cancel_btn.clicked.connect(self.cancel_requested)
        self.sync_btn = QPushButton("Sync now")
        self.sync_btn.clicked.connect(self.sync_requested)
        self.copy_btn = QPushButton("Copy model id")
        self.copy_btn.clicked.connect(self.copy_requested)
        self.csv_btn = QPushButton("Save metrics CSV…")
        self.csv_btn.clicked.connect(self.save_csv_requested)
        self.dataset_btn = QPushButton("Open dataset")
        self.dataset_btn.setToolTip("Show the dataset this job was trained on in the Pair Editor")
        self.dataset_btn.clicked.connect(lambda: self.job and self.job.dataset_id is not None
                                         and self.open_dataset_requested.emit(self.job.dataset_id))
        for b in (self.cancel_btn, self.sync_btn, self.copy_btn, self.csv_btn, self.dataset_btn):
            row.addWidget(b)
        row.addStretch(1)
        return row

    def _build_events(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Level:"))
        self.level_combo = QComboBox()
        self.level_combo.addItems(LEVELS)
        self.level_combo.currentIndexChanged.connect(self._reload_events)
        bar.addWidget(self.level_combo)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search events…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._reload_events)
        bar.addWidget(self.search_edit, 1)
        self.events_count = QLabel()
        bar.addWidget(self.events_count)
        lay.addLayout(bar)
        self.events_model = EventsModel(self)
        self.events_view = make_table(self.events_model)
        self.events_view.setSortingEnabled(False)
        self.events_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.events_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.events_view, 1)
        return page

    def _build_checkpoints(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.checkpoints_btn = QPushButton("Load checkpoints from the provider")
        self.checkpoints_btn.clicked.connect(self.checkpoints_requested)
        bar.addWidget(self.checkpoints_btn)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.checkpoints_view = QTextBrowser()
        lay.addWidget(self.checkpoints_view, 1)
        return page

    # ---- content ------------------------------------------------------------------------------

    def show_job(self, job) -> None:
        """Show *job* (a ``JobRecord`` or ``None``) from scratch: curves, events, details."""
        same = job is not None and self.job is not None and job.id == self.job.id
        self.job = job
        if not same:
            self.curves.clear()
            self.events_model.reset([])
            self.checkpoints_view.setPlainText("")
        self._update_header()
        if job is None:
            return
        self._append_new()
        self.events_count.setText(f"{self.events_model.rowCount():,} events")

    def refresh(self, job, delta: ft.DetailDelta | None = None) -> None:
        """Same job, newer record: header, details and whatever metrics/events were stored since.

        *delta* (read by the poller on its worker) is used when it starts where this view stands;
        otherwise the new rows are read here."""
        if self.job is None or job is None or job.id != self.job.id:
            self.show_job(job)
            return
        self.job = job
        if job.updated_at != getattr(self, "_shown_updated_at", None):
            self._update_header()
        if delta is not None and delta.cursor == self.cursor():
            self._append(delta.metrics, delta.events)
        else:
            self._append_new()

    def cursor(self) -> ft.DetailCursor | None:
        """Where this view stands (the poller reads the next rows from here)."""
        if self.job is None:
            return None
        f = self._event_filter()
        return ft.DetailCursor(self.job.id, self._after_step(), self.events_model.last_id(), f["level"], f["search"])

    def _after_step(self) -> int | None:
        """Re-read the last step shown: a local run logs a step's eval loss on a line after its
        train loss, which can land in a later poll (the curve buffers skip what they hold)."""
        last = self.curves.last_step(self.job.id)
        return None if last is None else last - 1

    def _append_new(self) -> None:
        ws, job = self.ctx.workspace, self.job
        points = ft.job_metrics(ws, job.id, after_step=self._after_step())
        events = ft.job_events(ws, job.id, after_id=self.events_model.last_id(), **self._event_filter())
        self._append(points, events)

    def _append(self, points: list, events: list) -> None:
        self.curves.append_points(self.job.id, points, label=f"#{self.job.id}")
        self.events_model.append(events)
        if events:
            self.events_view.scrollToBottom()
            self.events_count.setText(f"{self.events_model.rowCount():,} events")

    def _event_filter(self) -> dict:
        level = self.level_combo.currentText()
        return {"level": None if level == "all" else level, "search": self.search_edit.text().strip() or None}

    def _reload_events(self) -> None:
        if self.job is None:
            return
        self.events_model.reset(ft.job_events(self.ctx.workspace, self.job.id, **self._event_filter()))
        self.events_view.scrollToBottom()
        self.events_count.setText(f"{self.events_model.rowCount():,} events")

    def _update_header(self) -> None:
        job = self.job
        self._shown_updated_at = job.updated_at if job is not None else None
        has = job is not None
        for b in (self.cancel_btn, self.sync_btn, self.copy_btn, self.csv_btn, self.dataset_btn, self.checkpoints_btn):
            b.setEnabled(has)
        if not has:
            self.title_label.setText("Select a job to see its curves and events.")
            for w in (self.status_label, self.model_label, self.error_label):
                w.clear()
            self.error_label.hide()
            self.info.clear()
            return
        row = {k: getattr(job, k) for k in ("id", "model", "dataset_name", "created_at", "finished_at",
                                             "estimated_finish", "progress", "cost_actual_usd", "cost_estimate_usd")}
        self.title_label.setText(f"Job #{job.id} — {fmt.job_title(vars(job)).split(' ', 1)[1]} ({job.provider})"
                                 if job.provider == "local" else
                                 f"Job #{job.id} — {job.model} on {job.dataset_name or 'a deleted dataset'}"
                                 f" ({job.provider})")
        color = status_colour(job.status).name()
        deleted = " · <b>deleted at the provider</b>" if job.deleted_at_provider else ""
        self.status_label.setText(
            f"<span style='background:{color}; color:white; padding:1px 6px; border-radius:3px'>&nbsp;"
            f"{html.escape(job.status)}&nbsp;</span>&nbsp; provider status: {html.escape(job.provider_status or '—')}"
            f" · {fmt.progress_text(row)} · elapsed {fmt.elapsed(row)} · finish {fmt.finish_text(row)}"
            f" · cost {fmt.job_cost(row)}{deleted}")
        self.model_label.setText(f"Fine-tuned model: {job.fine_tuned_model}" if job.fine_tuned_model
                                 else f"Provider job id: {job.provider_job_id or 'not created yet'}")
        self.copy_btn.setEnabled(bool(job.fine_tuned_model or job.provider_job_id))
        self.copy_btn.setText("Copy model id" if job.fine_tuned_model else "Copy job id")
        self.cancel_btn.setEnabled(not job.terminal)
        self.dataset_btn.setEnabled(job.dataset_id is not None)
        self.checkpoints_btn.setEnabled(job.provider_job_id is not None and not job.deleted_at_provider)
        if job.error is not None:
            e = job.error
            code = f"<b>{html.escape(e.code)}</b>" if e.code else "error"
            param = f" (field <code>{html.escape(e.param)}</code>)" if e.param else ""
            hint = f"<br>{html.escape(e.hint)}" if e.hint else ""
            self.error_label.setText(f"{code}{param}: {html.escape(e.message)}{hint}")
            self.error_label.show()
        else:
            self.error_label.hide()
        self.info.setHtml(self._details_html(job))

    def _details_html(self, job) -> str:
        def table(rows) -> str:
            muted = style.colour("muted").name()
            body = "".join(f"<tr><td style='padding-right:12px; color:{muted}'>{html.escape(str(k))}</td>"
                           f"<td>{html.escape('—' if v is None else str(v))}</td></tr>" for k, v in rows)
            return f"<table>{body}</table>"

        hp = sorted(job.hyperparameters.items())
        files = [(k, v) for k, v in job.files.items()]
        general = [("Local id", job.id), ("Provider", job.provider), ("Credential", job.credential),
                   ("Provider job id", job.provider_job_id), ("Method", job.method), ("Base model", job.model),
                   ("Fine-tuned model", job.fine_tuned_model), ("Suffix", job.suffix), ("Seed", job.seed),
                   ("Dataset", job.dataset_name), ("Training examples", job.examples),
                   ("Validation examples", job.validation_examples), ("Trained tokens", job.trained_tokens),
                   ("Cost estimate", fmt.money(job.cost_estimate_usd, estimate=True)),
                   ("Cost actual", fmt.money(job.cost_actual_usd)),
                   ("Created (UTC)", job.created_at.strftime("%Y-%m-%d %H:%M:%S")),
                   ("Finished (UTC)", job.finished_at.strftime("%Y-%m-%d %H:%M:%S") if job.finished_at else None),
                   ("Client marker", job.marker)]
        return (f"<h4>Job</h4>{table(general)}<h4>Hyperparameters</h4>{table(hp)}"
                f"<h4>Files</h4>{table(files)}")

    def show_checkpoints(self, checkpoints: list) -> None:
        """Render the provider's checkpoints (``[Checkpoint]``)."""
        if not checkpoints:
            self.checkpoints_view.setPlainText("The provider reports no checkpoints for this job (yet).")
            return
        rows = []
        for c in checkpoints:
            metrics = ", ".join(f"{k} {v:.4g}" for k, v in sorted(c.metrics.items()) if isinstance(v, (int, float))
                                and k != "step")
            when = c.created_at.strftime("%Y-%m-%d %H:%M") if c.created_at else "—"
            rows.append(f"<tr><td>{c.step if c.step is not None else '—'}</td><td><code>{html.escape(c.model or '—')}"
                        f"</code></td><td>{when}</td><td>{html.escape(metrics)}</td></tr>")
        self.checkpoints_view.setHtml("<table cellpadding='3'><tr><th>Step</th><th>Model</th><th>Created (UTC)</th>"
                                      f"<th>Metrics</th></tr>{''.join(rows)}</table>")
