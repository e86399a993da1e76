"""Import dataset dialog: pick a file, check the detected format on a preview, map CSV columns,
import as a background task with progress and Cancel, then read the report (skipped lines).

All reading happens in ``services.import_dataset`` (preview: ``inspect_file``; import:
``import_file`` run through ``ctx.tasks``); the dialog only shows and asks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.formats.columns import FIELDS
from fineflow_desktop.core.formats.detect import FORMAT_LABELS, IMPORT_FORMATS
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.datasets import list_datasets
from fineflow_desktop.services.import_dataset import ImportReport, Preview, import_file, inspect_file
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.context import AppContext
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.importer.preview_model import PreviewModel
from fineflow_desktop.ui.importer.run_row import progress_button_row
from fineflow_desktop.workers import Task
from fineflow_desktop.ui.style import set_tone

FILE_FILTER = "Datasets (*.jsonl *.json *.ndjson *.csv *.tsv);;All files (*)"
PREVIEW_ROWS = 20
NO_COLUMN = "(none)"
FIELD_LABELS = {
    "user": "User / question", "assistant": "Assistant / answer", "system": "System prompt",
    "confidence": "Confidence", "conversation": "Conversation id", "speaker": "Speaker", "text": "Utterance text",
}


def run_import(state: TaskState, ws: Workspace, path: str, dataset_name: str | None, fmt: str | None,
               column_map: dict | None, min_confidence: float, max_count: int | None) -> ImportReport:
    """Task body: import one file (plain values in, a plain report out)."""
    return import_file(ws, path, dataset_name=dataset_name, fmt=fmt, column_map=column_map,
                       min_confidence=min_confidence, max_count=max_count, state=state)


class ImportDialog(QDialog):
    """Modal-less dialog; ``imported`` fires with the ``ImportReport`` when an import finishes."""

    imported = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import dataset")
        self.resize(980, 680)
        self.preview: Preview | None = None
        self.report: ImportReport | None = None
        self.task: Task | None = None
        self._loading = False
        self._auto_name = ""  # the dataset name the dialog proposed (file name without extension)

        file_form = self._build_file_form()
        self._build_columns_box()
        self._build_preview()
        run_row = self._build_run_row()
        self._build_report()

        layout = QVBoxLayout(self)
        layout.addLayout(file_form)
        layout.addWidget(self.columns_box)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(run_row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.skipped_table)
        self._update_buttons()
        if path:
            self.set_path(path)

    # ---- construction --------------------------------------------------------------------
    def _build_file_form(self) -> QFormLayout:
        """The File / Format / Dataset rows at the top."""
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("A JSONL, JSON or CSV file: OpenAI, DPO, Anthropic, Bedrock, Alpaca, ShareGPT, HF chat, ChatGPT export, transcripts")
        self.path_edit.editingFinished.connect(self.refresh_preview)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        browse.setAutoDefault(False)
        self.format_combo = QComboBox()
        self.format_combo.addItem("Auto-detect", None)
        for name in IMPORT_FORMATS:
            self.format_combo.addItem(FORMAT_LABELS[name], name)
        self.format_combo.setToolTip("The schema of the records; auto-detected from the first records, override it if the guess is wrong")
        self.format_combo.currentIndexChanged.connect(self.refresh_preview)
        self.detected_label = QLabel("")
        self.detected_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dataset_combo = QComboBox()
        self.dataset_combo.setEditable(True)
        self.dataset_combo.setToolTip("Pairs go into this dataset (created if new). Re-importing the same file adds no duplicates.")
        self.dataset_combo.addItems([d["name"] for d in list_datasets(self.ctx.workspace)])
        self.dataset_combo.setCurrentText("")

        form = QFormLayout()
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form.addRow("File:", file_row)
        fmt_row = QHBoxLayout()
        fmt_row.addWidget(self.format_combo, 1)
        fmt_row.addWidget(self.detected_label, 1)
        form.addRow("Format:", fmt_row)
        form.addRow("Dataset:", self.dataset_combo)
        return form

    def _build_columns_box(self) -> None:
        """The "CSV columns" box: a column combo per field, transcript confidence and count."""
        self.columns_box = QGroupBox("CSV columns")
        grid = QGridLayout(self.columns_box)
        self.column_combos: dict[str, QComboBox] = {}
        for i, fieldname in enumerate(FIELDS):
            combo = QComboBox()
            combo.currentIndexChanged.connect(self._column_changed)
            self.column_combos[fieldname] = combo
            grid.addWidget(QLabel(FIELD_LABELS[fieldname] + ":"), i // 4, (i % 4) * 2)
            grid.addWidget(combo, i // 4, (i % 4) * 2 + 1)
        self.min_conf = QDoubleSpinBox()
        self.min_conf.setRange(0.0, 1.0)
        self.min_conf.setSingleStep(0.05)
        self.min_conf.setValue(0.8)
        self.min_conf.setToolTip("Transcripts: rows (or conversations) below this confidence are skipped (seed 004: 0.8)")
        self.min_conf.valueChanged.connect(self._column_changed)
        self.max_count = QSpinBox()
        self.max_count.setRange(0, 10_000_000)
        self.max_count.setValue(100)
        self.max_count.setSpecialValueText("no limit")
        self.max_count.setToolTip("Transcripts: keep at most this many, the most confident first (seed 004: 100; 0 = no limit)")
        row = len(FIELDS) // 4 + 1
        grid.addWidget(QLabel("Min confidence:"), row, 0)
        grid.addWidget(self.min_conf, row, 1)
        grid.addWidget(QLabel("Max count:"), row, 2)
        grid.addWidget(self.max_count, row, 3)
        self.columns_box.setVisible(False)

    def _build_preview(self) -> None:
        """The preview table of the first records and the line above it."""
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col, width in enumerate((50, 50, 140, 260, 260)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.preview_label = QLabel("Choose a file to preview its first records.")

    def _build_run_row(self) -> QHBoxLayout:
        """The bottom row: progress bar, Import, Cancel import, Close."""
        self.import_button = QPushButton("Import")
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.clicked.connect(self.cancel_import)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        return progress_button_row(self.progress, self.import_button, self.cancel_button, self.close_button)

    def _build_report(self) -> None:
        """The import report under the buttons: status line and the skipped-lines table."""
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.skipped_table = QTableWidget(0, 2)
        self.skipped_table.setHorizontalHeaderLabels(["Line", "Why it was skipped"])
        self.skipped_table.verticalHeader().setVisible(False)
        self.skipped_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.skipped_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.skipped_table.setMaximumHeight(150)
        self.skipped_table.setVisible(False)

    # ---- file + preview ------------------------------------------------------------------
    def browse(self) -> None:
        """Pick a dataset file with a file dialog and preview it."""
        path, _ = QFileDialog.getOpenFileName(self, "Import dataset", str(Path.home()), FILE_FILTER)
        if path:
            self.set_path(path)

    def set_path(self, path: str | Path) -> None:
        """Show *path* and preview it (resets the format override and column map)."""
        self._loading = True
        self.path_edit.setText(str(path))
        self.format_combo.setCurrentIndex(0)
        for combo in self.column_combos.values():
            combo.clear()
        self._loading = False
        self.refresh_preview()

    def chosen_format(self) -> str | None:
        """The override picked in the format combo (None = auto-detect)."""
        return self.format_combo.currentData()

    def column_map(self) -> dict[str, str] | None:
        """The CSV column map from the combos (None for JSON files)."""
        if not self.columns_box.isVisible() and not (self.preview and self.preview.container == "csv"):
            return None
        cmap = {f: c.currentText() for f, c in self.column_combos.items() if c.currentText() not in ("", NO_COLUMN)}
        return cmap or None

    def _column_changed(self, *_args) -> None:
        if not self._loading:
            self.refresh_preview(keep_columns=True)

    def refresh_preview(self, *_args, keep_columns: bool = False) -> None:
        """Re-read the first records with the current format override and column map."""
        if self._loading:
            return
        path = self.path_edit.text().strip()
        if not path:
            return
        if not Path(path).is_file():
            self._preview_failed(f"No such file: {path}")
            return
        cmap = self.column_map() if keep_columns else None
        try:
            preview = inspect_file(path, PREVIEW_ROWS, self.chosen_format(), cmap, self.min_conf.value())
        except (ValueError, OSError) as exc:  # FormatError / FileFormatError / unreadable
            self._preview_failed(str(exc))
            return
        self.preview = preview
        self.model.set_items(preview.items)
        detected = FORMAT_LABELS.get(preview.detected or "", "nothing recognisable")
        self.detected_label.setText(f"detected: {detected}")
        n_ok = len(preview.examples)
        n_bad = len(preview.items) - n_ok
        self.preview_label.setText(
            f"First {len(preview.items)} record(s) read as {FORMAT_LABELS[preview.format]}: {n_ok} usable"
            + (f", {n_bad} would be skipped (reasons in red)" if n_bad else "") + ".")
        set_tone(self.preview_label, None)
        self._show_columns(preview)
        current = self.dataset_combo.currentText().strip()
        if not current or current == self._auto_name:  # follow the file unless the user typed a name
            self._auto_name = Path(path).stem
            self.dataset_combo.setCurrentText(self._auto_name)
        self._update_buttons()

    def _preview_failed(self, message: str) -> None:
        self.preview = None
        self.model.set_items([])
        self.preview_label.setText(message)
        set_tone(self.preview_label, "error")
        self.detected_label.setText("")
        self.columns_box.setVisible(False)
        self._update_buttons()

    def _show_columns(self, preview: Preview) -> None:
        is_csv = preview.container == "csv"
        self.columns_box.setVisible(is_csv)
        if not is_csv:
            return
        self._loading = True
        for fieldname, combo in self.column_combos.items():
            combo.clear()
            combo.addItems([NO_COLUMN] + preview.columns)
            combo.setCurrentText(preview.column_map.get(fieldname, NO_COLUMN))
        self._loading = False
        transcript = preview.format == "transcript"
        self.min_conf.setEnabled(transcript)
        self.max_count.setEnabled(transcript)

    # ---- import task ---------------------------------------------------------------------
    def _update_buttons(self) -> None:
        busy = self.task is not None
        self.import_button.setEnabled(self.preview is not None and not busy)
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)

    def start_import(self) -> Task | None:
        """Start importing the previewed file as a task; returns it (None if nothing to import)."""
        if self.preview is None or self.task is not None:
            return None
        path = self.path_edit.text().strip()
        name = self.dataset_combo.currentText().strip() or None
        transcript = self.preview.format == "transcript"
        # transcripts: the spin box (0 = no limit); other formats: everything
        max_count = self.max_count.value() if transcript else None
        fmt = self.chosen_format() or self.preview.format
        self.status_label.setText("Importing…")
        set_tone(self.status_label, None)
        self.skipped_table.setVisible(False)
        self.progress.setRange(0, 0)
        return self.ctx.ops.run(
            f"Import {Path(path).name}", run_import, self.ctx.workspace, path, name, fmt,
            self.column_map(), self.min_conf.value(), max_count,
            on_started=self._on_started, on_progress=self._on_progress, on_result=self._on_result,
            on_error=self._on_error, on_cancelled=self._on_cancelled, on_finished=self._on_finished,
            effects={Effect.DATASETS, Effect.PAIRS},
            effects_of=lambda report: {"dataset_id": report.dataset_id},
        )

    def _on_started(self, task: Task) -> None:
        self.task = task
        self._update_buttons()

    def cancel_import(self) -> None:
        """Ask the running import to stop; what was read so far is kept."""
        if self.task is not None:
            self.task.cancel()
            self.status_label.setText("Cancelling…")

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            # bytes can exceed a QProgressBar's int range: show per mille
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))
        self.progress.setFormat(message or "%p%")

    def _on_result(self, report: ImportReport) -> None:
        self.report = report
        text = (f"Imported {report.imported:,} pair(s) into “{report.dataset_name}” as {FORMAT_LABELS.get(report.format, report.format)}; "
                f"{report.duplicates:,} already there (not added again); {report.skipped:,} record(s) skipped.")
        self.status_label.setText(text)
        set_tone(self.status_label, "ok" if not report.skipped else "warn")
        self._show_skipped(report)
        self.ctx.events.status_message.emit(text)
        self.imported.emit(report)

    def _show_skipped(self, report: ImportReport) -> None:
        rows = report.skipped_lines
        self.skipped_table.setRowCount(len(rows))
        for i, (line, reason) in enumerate(rows):
            self.skipped_table.setItem(i, 0, QTableWidgetItem(str(line)))
            self.skipped_table.setItem(i, 1, QTableWidgetItem(reason))
        self.skipped_table.resizeColumnToContents(0)
        self.skipped_table.setVisible(bool(rows))

    def _on_error(self, message: str) -> None:
        self.status_label.setText(f"Import failed: {message}")
        set_tone(self.status_label, "error")

    def _on_cancelled(self) -> None:
        self.status_label.setText("Import cancelled. The records read before Cancel were kept; importing the same file "
                                  "again continues without duplicating them.")
        set_tone(self.status_label, "warn")

    def _on_finished(self) -> None:
        self.task = None
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000 if self.report else 0)
        self._update_buttons()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self.task is not None:
            event.ignore()  # the import is running: cancel it first
            return
        super().closeEvent(event)
