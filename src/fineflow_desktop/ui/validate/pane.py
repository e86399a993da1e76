"""Validate & Export pane: pick a dataset and target model, validate (F5), export OpenAI JSONL (Ctrl+E).

Validation and export are service calls run as tasks. Errors block export (the Export button is
disabled while the last validation found errors, unless the user ticks "Export anyway");
warnings never block. Editing pairs after a validation marks it out of date.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from fineflow_desktop.core import model_limits
from fineflow_desktop.core.formats.writers import EXPORT_FORMATS, EXPORT_LABELS
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.core.validation import ValidationReport
from fineflow_desktop.services.datasets import export_dataset, list_datasets, token_limits, validate_dataset
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.effects import Changes, Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.shortcuts import make_action
from fineflow_desktop.ui.tables import make_table, titled_column
from fineflow_desktop.ui.validate.models import ProblemsModel, StatsModel, report_rows, stats_rows
from fineflow_desktop.ui.widgets.flow_layout import FlowLayout, kept_together
from fineflow_desktop.ui.widgets.histogram import HistogramPlot
from fineflow_desktop.workers import Task
from fineflow_desktop.ui.style import set_banner, set_primary

# banner state -> ``ui.style`` banner kind
BANNER_KINDS = {"error": "error", "ok": "ok", "idle": "idle", "stale": "warn"}


def run_validate(state: TaskState, ws: Workspace, dataset_id: int, model: str) -> ValidationReport:
    """Task body: validate one dataset (the report is plain data, safe to hand to the GUI)."""
    state.progress(0, 0, "validating")
    return validate_dataset(ws, dataset_id, model=model)


def run_export(state: TaskState, ws: Workspace, dataset_id: int, out_path: str, fmt: str = "openai") -> dict:
    """Task body: write the dataset to *out_path* in *fmt* (default OpenAI chat JSONL), atomically."""
    return export_dataset(ws, dataset_id, Path(out_path), fmt=fmt, state=state)


class ValidatePane(Pane):
    """Validate a dataset for a model and export it. ``report`` is the last validation or None."""

    title = "Validate & Export"
    reload_on = {Effect.DATASETS}
    report_ready = Signal(object)  # ValidationReport
    exported = Signal(dict)
    open_pair_requested = Signal(int, int)  # dataset id, pair id (double-click on a problem)

    def build(self) -> None:
        self.report: ValidationReport | None = None
        self.report_key: tuple[int, str] | None = None  # (dataset id, model) the report is for
        self.stale = False
        self.busy = False  # a validation or export of this pane is running
        self._export_after_validation = False

        self.validate_action = make_action(self, "&Validate", self.start_validation, "F5", "Validate the dataset for the chosen model")
        self.export_action = make_action(
            self, "&Export…", self.export_clicked, "Ctrl+E", "Export the dataset to a file (OpenAI chat JSONL by default)"
        )

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 6)
        lay.addLayout(self._build_toolbar())
        self._build_banner()
        lay.addWidget(self.banner)
        lay.addWidget(self.override_check)
        lay.addWidget(self._build_report_tables(), 1)

    def _build_toolbar(self) -> FlowLayout:
        """The top row(s): Dataset and Model choices, Validate; export format and Export… on the right.

        A flow: when the line is too short for every control at its minimum (the format box needs
        its longest label), format and Export… wrap onto a second line, right-aligned, instead of
        the combo boxes being squeezed over their labels (issue 9, seen at 1100×700)."""
        top = FlowLayout(h_spacing=6, v_spacing=4)
        self.dataset_combo = QComboBox()
        self.dataset_combo.setMinimumWidth(200)  # grows toward its longest name when the line has room
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(260)
        self.model_combo.setToolTip("Target model; its maximum tokens per training example is checked")
        top.addWidget(kept_together(QLabel("Dataset:"), self.dataset_combo, trailing=6))
        top.addWidget(kept_together(QLabel("Model:"), self.model_combo, trailing=6))
        self.validate_button = QPushButton("Validate")
        self.validate_button.setToolTip(self.validate_action.toolTip())
        self.validate_button.setMinimumHeight(32)
        top.addWidget(self.validate_button)
        self.format_combo = QComboBox()
        for fmt in EXPORT_FORMATS:
            self.format_combo.addItem(EXPORT_LABELS.get(fmt, fmt), fmt)
        self.format_combo.setToolTip("File format of the export (validation checks OpenAI chat examples)")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip(self.export_action.toolTip())
        self.export_button.setMinimumHeight(32)
        set_primary(self.export_button)
        top.addWidget(kept_together(self.format_combo, self.export_button, spacing=6, right_aligned=True))
        return top

    def _build_banner(self) -> None:
        """The verdict banner under the toolbar and the "Export anyway" check box."""
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setMargin(8)
        self.override_check = QCheckBox("Export anyway, with the errors (the fine-tuning API will reject the file)")

    def _build_report_tables(self) -> QSplitter:
        """Problems on the left; Statistics and the token histogram on the right."""
        self.problems_model = ProblemsModel(self)
        self.problems_table = make_table(self.problems_model)
        for col, width in enumerate((70, 190, 60, 130)):
            self.problems_table.setColumnWidth(col, width)
        self.problems_table.setToolTip("Double-click a problem to open its pair in the Pair Editor")
        self.stats_model = StatsModel(self)
        self.stats_table = make_table(self.stats_model)
        self.stats_table.setSortingEnabled(False)
        self.stats_table.setColumnWidth(0, 230)
        left, _, self.problems_title = titled_column("Problems", self.problems_table)
        right, rl, _ = titled_column("Statistics", self.stats_table, 3)
        self.histogram = HistogramPlot("tokens per example", "examples", "Validate to see the token distribution")
        self.histogram.setToolTip("Tokens per example (OpenAI cookbook count); the red line is the model's limit")
        self.histogram.setMaximumHeight(230)  # the statistics table keeps its full height
        rl.addWidget(self.histogram)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 380])
        split.setChildrenCollapsible(False)
        return split

    def connect_signals(self) -> None:
        self.validate_button.clicked.connect(self.validate_action.trigger)
        self.export_button.clicked.connect(self.export_action.trigger)
        self.override_check.toggled.connect(lambda _: self._update_buttons())
        self.problems_table.doubleClicked.connect(self._problem_activated)
        self.dataset_combo.currentIndexChanged.connect(self._selection_changed)
        self.model_combo.currentIndexChanged.connect(self._selection_changed)

    def reload(self) -> None:
        self.reload_models()
        self.reload_datasets()

    def on_changed(self, changes: Changes) -> None:
        if changes.touches({Effect.PAIRS}):
            self._pairs_changed(changes.dataset_id)
        elif changes.touches(self.reload_on):
            self.reload_datasets()

    # ---- choices ---------------------------------------------------------------------------------

    def reload_models(self) -> None:
        limits = token_limits(self.ctx.workspace)
        current = self.model_combo.currentData() or model_limits.DEFAULT_MODEL
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for name in sorted(limits):
            self.model_combo.addItem(f"{name}  ({limits[name]:,} tokens/example)", name)
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(current)))
        self.model_combo.blockSignals(False)

    def reload_datasets(self) -> None:
        current = self.dataset_id()
        self.dataset_combo.blockSignals(True)
        self.dataset_combo.clear()
        datasets = list_datasets(self.ctx.workspace)
        for d in datasets:
            self.dataset_combo.addItem(f"{d['name']}  ({d['n_pairs']:,} pairs)", d["id"])
        if current is not None and self.dataset_combo.findData(current) >= 0:
            self.dataset_combo.setCurrentIndex(self.dataset_combo.findData(current))
        self.dataset_combo.blockSignals(False)
        self._selection_changed()

    def dataset_id(self) -> int | None:
        return self.dataset_combo.currentData()

    def model(self) -> str:
        return self.model_combo.currentData() or model_limits.DEFAULT_MODEL

    def select(self, dataset_id: int, model: str | None = None) -> None:
        """Choose a dataset (and model) programmatically, e.g. from another pane."""
        i = self.dataset_combo.findData(dataset_id)
        if i >= 0:
            self.dataset_combo.setCurrentIndex(i)
        if model:
            j = self.model_combo.findData(model)
            if j >= 0:
                self.model_combo.setCurrentIndex(j)

    def _selection_changed(self, *_args) -> None:
        key = (self.dataset_id(), self.model())
        if self.report is not None and key != self.report_key:
            self._show_report(None)  # the old report is about another dataset or model
        elif not self.busy:
            self._update_banner()
        self._update_buttons()

    def _pairs_changed(self, dataset_id: int | None) -> None:
        """Pairs of *dataset_id* (None: of some dataset) changed: the report for it is out of date."""
        self.reload_datasets()  # pair counts changed
        if self.report_key and dataset_id in (None, self.report_key[0]) and self.report is not None:
            self.stale = True
            self._update_banner()
            self._update_buttons()

    # ---- validation -------------------------------------------------------------------------------

    def start_validation(self) -> Task | None:
        ds = self.dataset_id()
        if ds is None or self.busy:
            return None
        model = self.model()
        title = f"Validate {self.dataset_combo.currentText().split('  (')[0]}"
        return self._run(title, run_validate, ds, model,
                         on_result=lambda report, key=(ds, model): self._validation_done(report, key))

    def _validation_done(self, report: ValidationReport, key: tuple[int, str]) -> None:
        self.report_key = key
        self.stale = False
        self._show_report(report)
        self.report_ready.emit(report)
        if self._export_after_validation and not report.ok:
            self._export_after_validation = False  # errors: show them, do not export

    def _show_report(self, report: ValidationReport | None) -> None:
        self.report = report
        self.override_check.setChecked(False)
        if report is None:
            self.report_key = None
            self.problems_model.set_rows([])
            self.stats_model.set_rows([])
            self.histogram.set_histogram([], [])
            self.problems_title.setText("Problems")
        else:
            self.problems_model.set_rows(report_rows(report))
            self.stats_model.set_rows(stats_rows(report))
            hist = report.histogram or {}
            self.histogram.set_histogram(hist.get("edges", []), hist.get("counts", []), report.stats.get("token_limit"))
            self.problems_title.setText(f"Problems: {len(report.errors):,} error(s), {len(report.warnings):,} warning(s)")
        self._update_banner()
        self._update_buttons()

    def _update_banner(self, message: str | None = None, style: str | None = None) -> None:
        r = self.report
        if message is not None:
            text, kind = message, style or "idle"
        elif self.dataset_id() is None:
            text, kind = "No dataset yet. Create one in the Dataset Builder (Create dataset…).", "idle"
        elif r is None:
            text, kind = "Not validated yet. Press Validate (F5) to check the dataset before exporting.", "idle"
        elif self.stale:
            text, kind = "Pairs changed since the last validation. Validate again (F5) before exporting.", "stale"
        elif r.errors:
            codes = ", ".join(f"{c} ×{n}" for c, n in sorted(r.error_counts().items()))
            text = f"✗ {len(r.errors):,} error(s) block export ({codes}); {len(r.warnings):,} warning(s). Fix them in the Pair Editor."
            kind = "error"
        else:
            text, kind = f"✓ No errors: ready to export. {len(r.warnings):,} warning(s) do not block export.", "ok"
        self.banner.setText(text)
        set_banner(self.banner, BANNER_KINDS[kind])

    def _update_buttons(self) -> None:
        busy = self.busy
        has_ds = self.dataset_id() is not None
        r = self.report
        has_errors = bool(r and r.errors and not self.stale)
        self.override_check.setVisible(has_errors)
        self.validate_action.setEnabled(has_ds and not busy)
        self.validate_button.setEnabled(has_ds and not busy)
        can_export = has_ds and not busy and (not has_errors or self.override_check.isChecked())
        self.export_action.setEnabled(can_export)
        self.export_button.setEnabled(can_export)

    def _problem_activated(self, index) -> None:
        row = self.problems_model.row_dict(index.row())
        if row and row.get("pair_id") is not None and self.report_key is not None:
            self.open_pair_requested.emit(self.report_key[0], int(row["pair_id"]))

    # ---- export ----------------------------------------------------------------------------------------

    def export_clicked(self) -> None:
        """Export; validates first if the current choice was not validated (or is out of date)."""
        if self.dataset_id() is None or self.busy:
            return
        key = (self.dataset_id(), self.model())
        if self.report is None or self.report_key != key or self.stale:
            self._export_after_validation = True
            self.start_validation()
            return
        if self.report.errors and not self.override_check.isChecked():
            return
        path = self.ask_export_path()
        if path:
            self.export_to(path)

    def ask_export_path(self) -> str:
        """Ask where to save (a QFileDialog); returns '' when cancelled."""
        name = self.dataset_combo.currentText().split("  (")[0] or "dataset"
        default = str(Path.home() / f"{name}.jsonl")
        label = self.format_combo.currentText()
        path, _ = QFileDialog.getSaveFileName(self, f"Export — {label}", default, "JSON Lines (*.jsonl);;All files (*)")
        if path and not Path(path).suffix:
            path += ".jsonl"
        return path

    def export_format(self) -> str:
        return self.format_combo.currentData() or "openai"

    def export_to(self, path: str | Path) -> Task | None:
        """Write the selected dataset to *path* in the chosen format (default OpenAI chat JSONL), as a task."""
        ds = self.dataset_id()
        if ds is None or self.busy:
            return None
        return self._run(f"Export to {Path(path).name}", run_export, ds, str(path), self.export_format(),
                         on_result=lambda result, p=str(path): self._export_done(result, p))

    def _export_done(self, result: dict, path: str) -> None:
        files = ", ".join((result.get("files") or {"train": path}).values())
        text = f"✓ Exported {result.get('written', 0):,} example(s) to {files}"
        if result.get("skipped_count"):
            text += f"; {result['skipped_count']:,} pair(s) skipped (the format cannot hold them)"
        self._update_banner(text, "ok")
        self.ctx.events.status_message.emit(f"Exported to {path}")
        self.exported.emit(dict(result))

    # ---- task plumbing -------------------------------------------------------------------------------

    def _run(self, title: str, fn, *args, on_result) -> Task:
        """Run ``fn(state, workspace, *args)`` through ``ctx.ops``; errors go to the error box."""
        self.busy = True
        self._update_buttons()
        self._update_banner(f"{title}…", "idle")
        return self.ctx.ops.run(title, fn, self.ctx.workspace, *args, on_result=on_result,
                                on_error=lambda msg: self._task_ended(f"{title} failed: {msg}", "error"),
                                on_cancelled=lambda: self._task_ended(f"{title} cancelled.", "idle"),
                                on_finished=self._finished, initiator=self)

    def _task_ended(self, message: str, style: str) -> None:
        self._export_after_validation = False
        self._update_banner(message, style)

    def _finished(self) -> None:
        self.busy = False
        self._update_buttons()
        if self._export_after_validation:  # Export was pressed before validating: go on now
            self._export_after_validation = False
            self.export_clicked()
