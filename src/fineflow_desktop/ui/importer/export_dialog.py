"""Export dataset dialog with every option: format, validated only, minimum quality, system
prompt, train/validation split (ratio + seed, by source document) and provenance sidecar.

The export itself is ``services.export.export_dataset`` run through ``ctx.tasks``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.formats.writers import EXPORT_FORMATS, EXPORT_LABELS
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.datasets import list_datasets
from fineflow_desktop.services.export import export_dataset, has_preferences, sidecar_path, split_paths
from fineflow_desktop.services.pairs import SCORE_REASONS
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.context import AppContext
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.importer.run_row import progress_button_row
from fineflow_desktop.workers import Task
from fineflow_desktop.ui.style import set_tone


def run_export(state: TaskState, ws: Workspace, dataset_id: int, out_path: str, fmt: str, options: dict) -> dict:
    """Task body: one export with plain-value options (see ``services.export.export_dataset``)."""
    return export_dataset(ws, dataset_id, out_path, fmt, state=state, **options)


class ExportDialog(QDialog):
    """``exported`` fires with the service's result dict when an export finishes."""

    exported = Signal(dict)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, dataset_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.result: dict | None = None
        self.setWindowTitle("Export dataset")
        self.resize(640, 460)

        form = self._build_target_rows(dataset_id)
        self._build_content_options(form)
        self._build_split_options(form)
        self.files_label = QLabel("")
        self.files_label.setWordWrap(True)
        set_tone(self.files_label, "muted")
        buttons = self._build_run_row()
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.files_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        self._dataset_changed()

    # ---- construction --------------------------------------------------------------------
    def _build_target_rows(self, dataset_id: int | None) -> QFormLayout:
        """The form with its Dataset / Format / File rows (the option rows follow)."""
        self.dataset_combo = QComboBox()
        for d in list_datasets(self.ctx.workspace):
            self.dataset_combo.addItem(f"{d['name']}  ({d['n_pairs']:,} pairs)", d["id"])
        if dataset_id is not None and self.dataset_combo.findData(dataset_id) >= 0:
            self.dataset_combo.setCurrentIndex(self.dataset_combo.findData(dataset_id))
        self.dataset_combo.currentIndexChanged.connect(self._dataset_changed)
        self.format_combo = QComboBox()
        for fmt in EXPORT_FORMATS:
            self.format_combo.addItem(EXPORT_LABELS[fmt], fmt)
        self.format_combo.currentIndexChanged.connect(self._update)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("where to write the JSONL file")
        self.path_edit.textChanged.connect(self._update)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        browse.setAutoDefault(False)  # Return in a field must not start an export

        form = QFormLayout()
        form.addRow("Dataset:", self.dataset_combo)
        form.addRow("Format:", self.format_combo)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form.addRow("File:", path_row)
        return form

    def _build_content_options(self, form: QFormLayout) -> None:
        """Rows choosing what goes into each example: validated only, quality, system prompt, text cleanup."""
        self.validated_only = QCheckBox("Only validated pairs")
        self.min_quality_check = QCheckBox("Minimum quality")
        self.min_quality = QDoubleSpinBox()
        self.min_quality.setRange(0.0, 1.0)
        self.min_quality.setSingleStep(0.05)
        self.min_quality.setValue(0.5)
        self.min_quality.setToolTip("Pairs without a current quality score are scored first, then filtered")
        self.min_quality_check.toggled.connect(self._update)
        self.include_system = QCheckBox("Include the system prompt")
        self.include_system.setChecked(True)
        self.include_system.setToolTip("Off: system messages are left out of every example")
        self.unwrap = QCheckBox("Join hard-wrapped lines of document text")
        self.unwrap.setChecked(True)
        self.unwrap.setToolTip("Pairs extracted from documents: lines the source wrapped at a fixed width are "
                               "joined into paragraphs. Code blocks, lists and tables are kept as they are.")
        self.strip_markup = QCheckBox("Remove source markup from document text")
        self.strip_markup.setChecked(True)
        self.strip_markup.setToolTip("Pairs extracted from documents: reStructuredText roles, **bold** and "
                                     "``literals`` become plain text (`code` stays). Code blocks are untouched.")
        form.addRow("", self.validated_only)
        q_row = QHBoxLayout()
        q_row.addWidget(self.min_quality_check)
        q_row.addWidget(self.min_quality)
        q_row.addStretch(1)
        form.addRow("", q_row)
        form.addRow("", self.include_system)
        form.addRow("", self.unwrap)
        form.addRow("", self.strip_markup)

    def _build_split_options(self, form: QFormLayout) -> None:
        """Rows for the train / validation split (ratio, seed) and the provenance sidecar."""
        self.split_check = QCheckBox("Split into train / validation")
        self.split_check.setToolTip("By source document: all pairs of one document land in the same file")
        self.split_check.toggled.connect(self._update)
        self.split_ratio = QDoubleSpinBox()
        self.split_ratio.setRange(0.05, 0.99)
        self.split_ratio.setSingleStep(0.05)
        self.split_ratio.setValue(0.9)
        self.split_ratio.setPrefix("train ")
        self.split_ratio.valueChanged.connect(self._update)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setPrefix("seed ")
        self.provenance = QCheckBox("Write a provenance sidecar (pair → document, chunk, template version, model)")
        self.provenance.toggled.connect(self._update)
        s_row = QHBoxLayout()
        s_row.addWidget(self.split_check)
        s_row.addWidget(self.split_ratio)
        s_row.addWidget(self.seed)
        s_row.addStretch(1)
        form.addRow("", s_row)
        form.addRow("", self.provenance)

    def _build_run_row(self) -> QHBoxLayout:
        """The bottom row: progress bar, Export, Cancel export, Close."""
        self.progress = QProgressBar()
        self.export_button = QPushButton("Export")
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton("Cancel export")
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        return progress_button_row(self.progress, self.export_button, self.cancel_button, self.close_button)

    def dataset_id(self) -> int | None:
        """Id of the chosen dataset (None when the workspace has none)."""
        return self.dataset_combo.currentData()

    def fmt(self) -> str:
        """The chosen export format name (``writers.EXPORT_FORMATS``)."""
        return self.format_combo.currentData()

    def options(self) -> dict:
        """The chosen options as ``export_dataset`` keyword arguments."""
        return {
            "validated_only": self.validated_only.isChecked(),
            "min_quality": self.min_quality.value() if self.min_quality_check.isChecked() else None,
            "include_system": self.include_system.isChecked(),
            "split": self.split_ratio.value() if self.split_check.isChecked() else None,
            "seed": self.seed.value(),
            "provenance_sidecar": self.provenance.isChecked(),
            "unwrap": self.unwrap.isChecked(),
            "strip_markup": self.strip_markup.isChecked(),
        }

    def browse(self) -> None:
        """Ask for the output file with a save dialog."""
        path, _ = QFileDialog.getSaveFileName(self, "Export dataset", self.path_edit.text() or str(Path.home()),
                                              "JSON Lines (*.jsonl);;All files (*)")
        if path:
            self.path_edit.setText(path)

    def _dataset_changed(self, *_args) -> None:
        ds = self.dataset_id()
        prefs = ds is not None and has_preferences(self.ctx.workspace, ds)
        model = self.format_combo.model()
        item = model.item(EXPORT_FORMATS.index("openai-dpo")) if isinstance(model, QStandardItemModel) else None
        if item is not None:
            item.setEnabled(prefs)
            item.setToolTip("" if prefs else "This dataset has no preference pairs (chosen / rejected answers)")
        if not prefs and self.fmt() == "openai-dpo":
            self.format_combo.setCurrentIndex(0)
        self._update()

    def _update(self, *_args) -> None:
        self.min_quality.setEnabled(self.min_quality_check.isChecked())
        self.split_ratio.setEnabled(self.split_check.isChecked())
        self.seed.setEnabled(self.split_check.isChecked())
        path = self.path_edit.text().strip()
        busy = self.task is not None
        self.export_button.setEnabled(bool(path) and self.dataset_id() is not None and not busy)
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)
        if path:
            out = Path(path)
            files = list(split_paths(out)) if self.split_check.isChecked() else [out]
            if self.provenance.isChecked():
                files.append(sidecar_path(out))
            self.files_label.setText("Will write: " + ", ".join(f.name for f in files))
        else:
            self.files_label.setText("")

    def start_export(self) -> Task | None:
        """Run the export as a task; returns it (None when the form is incomplete or busy)."""
        ds, path = self.dataset_id(), self.path_edit.text().strip()
        if ds is None or not path or self.task is not None:
            return None
        self.result = None
        self._status("Exporting…", None)
        self.progress.setRange(0, 0)
        return self.ctx.ops.run(
            f"Export to {Path(path).name}", run_export, self.ctx.workspace, ds, path, self.fmt(), self.options(),
            on_started=self._on_started, on_progress=self._on_progress, on_result=self._on_result,
            on_error=lambda msg: self._status(f"Export failed: {msg}", "error"),
            on_cancelled=lambda: self._status("Export cancelled; no file was changed.", "warn"),
            on_finished=self._on_finished, effects_of=self._effects_of, dataset_id=ds,
        )

    @staticmethod
    def _effects_of(result: dict) -> dict:
        """Scores written before a quality filter (``scored_first``) change what the Pairs pane shows."""
        return {"effects": {Effect.PAIRS}} if (result.get("scored_first") or {}).get("scored") else {}

    def _on_started(self, task: Task) -> None:
        self.task = task
        self._update()

    def cancel_export(self) -> None:
        """Ask the running export to stop (nothing is written then)."""
        if self.task is not None:
            self.task.cancel()

    def _status(self, text: str, tone: str | None) -> None:
        self.status_label.setText(text)
        set_tone(self.status_label, tone)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if message:  # "412 of 1,200 pairs scored" (a quality filter scores first), "exported …"
            self._status(f"Exporting… {message}", None)

    def _on_result(self, result: dict) -> None:
        self.result = result
        parts = [f"{n:,} → {Path(result['files'][k]).name}" for k, n in result["counts"].items()]
        text = "Exported " + "; ".join(parts)
        scored = result.get("scored_first") or {}
        if scored.get("scored"):
            n = scored["scored"]
            text = f"Scored {n:,} pair{'s' if n != 1 else ''} first: {SCORE_REASONS[scored['reason']]}. " + text
        if result["provenance"]:
            text += f"; provenance → {Path(result['provenance']).name}"
        tone = "ok"
        if result["skipped_count"]:
            reasons = sorted({s["reason"] for s in result["skipped"]})
            text += (f". {result['skipped_count']:,} pair(s) cannot be written as {EXPORT_LABELS[result['format']]} "
                     f"and were left out: {'; '.join(reasons[:3])}")
            tone = "warn"
        self._status(text, tone)
        self.ctx.events.status_message.emit(text)
        self.exported.emit(result)

    def _on_finished(self) -> None:
        self.task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.result else 0)
        self._update()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self.task is not None:
            event.ignore()
            return
        super().closeEvent(event)
