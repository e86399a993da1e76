"""“Create dataset” dialog: name, generator, mode, system prompt, which chunks to use.

It only asks; ``options()`` returns the keyword arguments of
``services.datasets.generate_extractive`` and the builder pane runs that as a task.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from fineflow_desktop.ui.style import set_tone

EXTRACTIVE_LABEL = "Offline extractive (no model, no network — pairs are extracted from the documents, not written by an AI)"
MODE_HELP = {
    "qa": "Question → answer: FAQ questions and question-like headings become the user message, the section body the answer.",
    "instruction": "Task → response: headings phrased as a task (e.g. “Reading a file”) become instructions, the section body the response.",
}


def unique_name(base: str, taken: set[str]) -> str:
    """*base*, or *base*-2, -3, … whichever is not in *taken*."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


class GenerateDialog(QDialog):
    """Ask for the options of an extractive generation run.

    *existing_names* are the dataset names already in the workspace (a new name is required).
    *ready_documents* / *ready_chunks* are shown so the user knows what will be used.
    """

    def __init__(self, existing_names: set[str], ready_documents: int = 0, ready_chunks: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Create dataset")
        self.setMinimumWidth(620)
        self._taken = set(existing_names)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._build_name_and_generator(form)
        self._build_pair_shape_rows(form)
        self._build_chunk_filters(form)
        outer.addLayout(form)
        self._build_footer(outer, ready_documents, ready_chunks)
        self.name_edit.textChanged.connect(self._check)
        self._check()
        # Wide enough for the whole generator label (the word-wrapped notes would shrink it).
        self.setMinimumWidth(max(620, self.generator_combo.sizeHint().width() + 150))

    # ---- construction --------------------------------------------------------------------
    def _build_name_and_generator(self, form: QFormLayout) -> None:
        """The Dataset name and Generator rows, with the note on what extractive means."""
        self.name_edit = QLineEdit(unique_name(f"docs-{date.today():%Y%m%d}", self._taken))
        self.name_edit.setPlaceholderText("a name for the new dataset")
        form.addRow("Dataset &name:", self.name_edit)

        self.generator_combo = QComboBox()
        self.generator_combo.addItem(EXTRACTIVE_LABEL, "extractive")
        self.generator_combo.setToolTip(EXTRACTIVE_LABEL)
        self.generator_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # show the whole label
        form.addRow("&Generator:", self.generator_combo)
        note = QLabel(
            "Extractive: every pair is copied from your documents (a question or heading and the text under it). "
            "Nothing is sent anywhere and nothing is invented."
        )
        note.setWordWrap(True)
        set_tone(note, "muted")
        form.addRow("", note)

    def _build_pair_shape_rows(self, form: QFormLayout) -> None:
        """The Mode radio buttons (qa / instruction) and the System prompt row."""
        mode_box = QWidget()
        mode_lay = QVBoxLayout(mode_box)
        mode_lay.setContentsMargins(0, 0, 0, 0)
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        for mode, label in (("qa", "&qa — question → answer"), ("instruction", "&instruction — task → response")):
            btn = QRadioButton(label)
            btn.setToolTip(MODE_HELP[mode])
            self.mode_group.addButton(btn)
            self.mode_buttons[mode] = btn
            mode_lay.addWidget(btn)
        self.mode_buttons["qa"].setChecked(True)
        form.addRow("Mode:", mode_box)

        self.system_edit = QPlainTextEdit()
        self.system_edit.setPlaceholderText("Optional system prompt added to every example, e.g. “You are a helpful Python expert.”")
        self.system_edit.setFixedHeight(70)
        form.addRow("&System prompt:", self.system_edit)

    def _build_chunk_filters(self, form: QFormLayout) -> None:
        """The Chunks rows (duplicates, flagged) and the Min quality row."""
        self.include_duplicates = QCheckBox("Include duplicate chunks")
        self.include_duplicates.setToolTip("Exact and near-duplicate chunks are left out by default")
        self.include_flagged = QCheckBox("Include chunks flagged as possible prompt injection")
        self.include_flagged.setToolTip("Flagged chunks are left out by default; review them in the builder's Flagged tab")
        form.addRow("Chunks:", self.include_duplicates)
        form.addRow("", self.include_flagged)

        q_row = QWidget()
        q_lay = QHBoxLayout(q_row)
        q_lay.setContentsMargins(0, 0, 0, 0)
        self.min_quality_check = QCheckBox("Only chunks with quality ≥")
        self.min_quality_spin = QDoubleSpinBox()
        self.min_quality_spin.setRange(0.0, 1.0)
        self.min_quality_spin.setSingleStep(0.05)
        self.min_quality_spin.setDecimals(2)
        self.min_quality_spin.setValue(0.5)
        self.min_quality_spin.setEnabled(False)
        self.min_quality_check.toggled.connect(self.min_quality_spin.setEnabled)
        q_lay.addWidget(self.min_quality_check)
        q_lay.addWidget(self.min_quality_spin)
        q_lay.addStretch(1)
        form.addRow("Min quality:", q_row)

    def _build_footer(self, outer: QVBoxLayout, ready_documents: int, ready_chunks: int) -> None:
        """Under the form: what will be used, the current problem, and Create dataset / Cancel."""
        self.source_label = QLabel(f"Uses {ready_documents} ready document(s), {ready_chunks} chunk(s).")
        set_tone(self.source_label, "muted")
        outer.addWidget(self.source_label)
        self.error_label = QLabel()
        set_tone(self.error_label, "error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create dataset")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def mode(self) -> str:
        return next(m for m, b in self.mode_buttons.items() if b.isChecked())

    def set_mode(self, mode: str) -> None:
        self.mode_buttons[mode].setChecked(True)

    def problem(self) -> str:
        """Why the current input cannot be used ("" when it can)."""
        name = self.name_edit.text().strip()
        if not name:
            return "Enter a dataset name."
        if name in self._taken:
            return f"A dataset named “{name}” already exists; choose another name."
        return ""

    def _check(self) -> None:
        problem = self.problem()
        self.error_label.setText(problem)
        self.ok_button.setEnabled(not problem)

    def accept(self) -> None:
        if self.problem():
            self._check()
            return
        super().accept()

    def options(self) -> dict:
        """Keyword arguments for ``generate_extractive`` (minus ``ws`` and ``state``)."""
        return {
            "dataset_name": self.name_edit.text().strip(),
            "mode": self.mode(),
            "system_prompt": self.system_edit.toPlainText().strip(),
            "include_duplicates": self.include_duplicates.isChecked(),
            "include_flagged": self.include_flagged.isChecked(),
            "min_quality": self.min_quality_spin.value() if self.min_quality_check.isChecked() else None,
        }
