"""The Run dialog: pick dataset, credential, model, mode and source filter; see the estimate.

The estimate (calls, tokens, cost) is recomputed by ``services.generation.estimate_for`` in a
background task whenever a field changes (debounced); the Start button repeats it, so
pressing Start is the confirmation. The model list comes from the credential
(``GET /models``), also in the background; the field stays editable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from fineflow_desktop.core.generation.estimate import format_cost
from fineflow_desktop.core.generation.language import LANGUAGE_NAMES
from fineflow_desktop.core.generation.prompts import GENERATOR_SYSTEM_PROMPT, MODES
from fineflow_desktop.services import generation as runs
from fineflow_desktop.services import models as catalog
from fineflow_desktop.ui.context import AppContext
from fineflow_desktop.ui.style import set_tone

MODE_LABELS = {"auto": "Automatic (mixed)", "qa": "Question & answer", "instruction": "Instruction & response",
               "conversation": "Multi-turn conversation"}
SAME_LANGUAGE = "Same as each chunk"
NO_CREDENTIAL = ("No credential yet: add one in Settings → Credentials (an OpenAI, Anthropic or compatible "
                 "server key) to generate with a model. The Dataset Builder's Create dataset… works offline.")


class RunDialog(QDialog):
    """``RunDialog(ctx)``; after ``accepted``, ``params()`` gives the ``RunParams`` to run."""

    estimate_ready = Signal(str)  # the estimate line shown (tests wait on it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("New generation run")
        self.setMinimumWidth(560)
        self._estimate_seq = 0
        self._estimate_ok = False
        self.choices = runs.run_choices(ctx.workspace)

        form = self._build_form()
        source = self._build_source()
        self._build_footer()

        layout = QVBoxLayout(self)
        if not self.choices.credentials or not self.choices.datasets:
            missing = "a credential (Settings → Credentials)" if not self.choices.credentials else "a dataset"
            warn = QLabel(f"Add {missing} before starting a generation run.")
            set_tone(warn, "warn")
            layout.addWidget(warn)
        layout.addLayout(form)
        layout.addWidget(source)
        layout.addWidget(self.estimate)
        layout.addWidget(self.buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._refresh_estimate)
        for signal in (self.dataset.currentIndexChanged, self.mode.currentIndexChanged, self.pairs.valueChanged,
                       self.concurrency.valueChanged, self.batch.toggled, self.min_quality.valueChanged,
                       self.exclude_dups.toggled, self.exclude_flagged.toggled, self.documents.itemChanged,
                       self.model.currentTextChanged, self.system_prompt.textChanged):
            signal.connect(self._schedule_estimate)
        self.credential.currentIndexChanged.connect(self._credential_changed)
        self._credential_changed()

    # -- building --------------------------------------------------------------------------
    def _build_form(self) -> QFormLayout:
        """The run fields: dataset, credential, model, mode, sizes, language, system prompt."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.dataset = QComboBox()
        for ds_id, name in self.choices.datasets:
            self.dataset.addItem(name, ds_id)
        form.addRow("Dataset", self.dataset)
        self.credential = QComboBox()
        for c in self.choices.credentials:
            self.credential.addItem(f"{c.name} — {c.provider}{' (default)' if c.is_default else ''}", c.id)
        form.addRow("Credential", self.credential)
        model_row = QHBoxLayout()
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setMinimumContentsLength(24)
        self.models_note = QLabel("")
        set_tone(self.models_note, "muted")
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.models_note)
        form.addRow("Model", model_row)
        self.mode = QComboBox()
        for m in MODES:
            self.mode.addItem(MODE_LABELS[m], m)
        form.addRow("Mode", self.mode)
        self.pairs = QSpinBox()
        self.pairs.setRange(1, runs.MAX_PAIRS_PER_CHUNK)
        self.pairs.setValue(3)
        form.addRow("Pairs per chunk", self.pairs)
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, runs.MAX_CONCURRENCY)
        form.addRow("Concurrency", self.concurrency)
        self.batch = QCheckBox("Use the provider's batch API (about half price, results within 24 h)")
        form.addRow("", self.batch)
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.addItem(SAME_LANGUAGE, None)
        for code, name in sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1]):
            self.language.addItem(name, code)
        form.addRow("Language", self.language)
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setPlaceholderText(GENERATOR_SYSTEM_PROMPT)
        self.system_prompt.setFixedHeight(64)
        form.addRow("System prompt", self.system_prompt)
        return form

    def _build_source(self) -> QGroupBox:
        """The "Source chunks" box: documents to draw from and the chunk filters."""
        source = QGroupBox("Source chunks")
        sl = QVBoxLayout(source)
        self.documents = QListWidget()
        self.documents.setFixedHeight(110)
        for doc_id, name, n in self.choices.documents:
            item = QListWidgetItem(f"{name}  ({n} chunks)")
            item.setData(Qt.ItemDataRole.UserRole, doc_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.documents.addItem(item)
        sl.addWidget(self.documents)
        row = QHBoxLayout()
        row.addWidget(QLabel("Min quality"))
        self.min_quality = QDoubleSpinBox()
        self.min_quality.setRange(0.0, 1.0)
        self.min_quality.setSingleStep(0.05)
        self.min_quality.setSpecialValueText("any")
        row.addWidget(self.min_quality)
        row.addSpacing(12)
        self.exclude_dups = QCheckBox("Skip duplicates")
        self.exclude_dups.setChecked(True)
        row.addWidget(self.exclude_dups)
        row.addStretch(1)
        sl.addLayout(row)
        self.exclude_flagged = QCheckBox("Skip chunks flagged for prompt injection")
        self.exclude_flagged.setChecked(True)
        sl.addWidget(self.exclude_flagged)
        return source

    def _build_footer(self) -> None:
        """The estimate line and the Start / Cancel buttons."""
        self.estimate = QLabel("Estimating…")
        self.estimate.setWordWrap(True)
        self.estimate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.estimate.setProperty("frame", "true")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start = QPushButton("Start run")
        self.start.setDefault(True)
        self.start.setEnabled(False)
        self.buttons.addButton(self.start, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # -- parameters ------------------------------------------------------------------------
    def _credential_info(self):
        cid = self.credential.currentData()
        return next((c for c in self.choices.credentials if c.id == cid), None)

    def params(self) -> runs.RunParams:
        """The ``RunParams`` for the current fields."""
        docs = [self.documents.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.documents.count())
                if self.documents.item(i).checkState() == Qt.CheckState.Checked]
        all_docs = len(docs) == self.documents.count()
        lang = self.language.currentData() if self.language.currentText() == self.language.itemText(self.language.currentIndex()) else None
        if lang is None and self.language.currentText() not in ("", SAME_LANGUAGE):
            lang = self.language.currentText().strip()  # typed by the user
        return runs.RunParams(
            dataset=self.dataset.currentData() if self.dataset.count() else "",
            credential=self.credential.currentData() if self.credential.count() else "",
            mode=self.mode.currentData(), model=self.model.currentText().strip() or None,
            pairs_per_chunk=self.pairs.value(), concurrency=self.concurrency.value(),
            system_prompt=self.system_prompt.toPlainText().strip(), language=lang, batch=self.batch.isChecked(),
            source_filter=runs.SourceFilter(
                document_ids=None if all_docs else (docs or [-1]),
                min_quality=self.min_quality.value() or None,
                exclude_duplicates=self.exclude_dups.isChecked(), exclude_flagged=self.exclude_flagged.isChecked()),
        )

    # -- credential → models ---------------------------------------------------------------
    def _credential_changed(self) -> None:
        info = self._credential_info()
        self.model.blockSignals(True)
        self.model.clear()
        if info is not None:
            # issue 12: the workspace chat model (AI Settings, set by Deploy) and the catalog's models
            choices = self._choices(info)
            self.model.addItems(choices)
            self.model.setCurrentText(self._default_model(info, choices))
            self.concurrency.setValue(info.concurrency or 4)
            self.batch.setEnabled(info.provider in ("openai", "anthropic"))
            if not self.batch.isEnabled():
                self.batch.setChecked(False)
            self.models_note.setText("loading models…")
            self.ctx.ops.run("List models", lambda state, cid: runs.list_models(self.ctx.workspace, cid), info.id,
                             on_result=lambda models, cid=info.id: self._models_loaded(cid, models),
                             on_error=lambda msg, cid=info.id: self._models_failed(cid, msg))
        self.model.blockSignals(False)
        self._schedule_estimate()

    def _choices(self, info, listed: list[str] = ()) -> list[str]:
        """Workspace chat model, catalog models through this credential, its test model, *listed*."""
        choices = catalog.model_choices(self.ctx.workspace, info.name)
        return choices + [m for m in [info.model, *listed] if m and m not in choices]

    def _default_model(self, info, choices: list[str]) -> str:
        """The workspace chat model when it is reached through this credential (a deployed catalog
        model) or no catalog model at all; else the credential's test model."""
        d = catalog.chat_defaults(self.ctx.workspace)
        if d.credential == info.name or (d.credential is None and not info.model):
            return d.model
        return info.model or (choices[0] if choices else "")

    def _models_loaded(self, credential_id: int, models: list[str]) -> None:
        if credential_id != self.credential.currentData():
            return
        current = self.model.currentText()
        info = self._credential_info()
        if info is not None:
            models = self._choices(info, models)
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        self.model.setCurrentText(current or (models[0] if models else ""))
        self.model.blockSignals(False)
        self.models_note.setText(f"{len(models)} models")
        self._schedule_estimate()

    def _models_failed(self, credential_id: int, message: str) -> None:
        if credential_id == self.credential.currentData():
            self.models_note.setText("model list unavailable")
            self.models_note.setToolTip(message)

    # -- estimate --------------------------------------------------------------------------
    def _schedule_estimate(self, *_args) -> None:
        self._estimate_ok = False
        self.start.setEnabled(False)
        self._debounce.start()

    def _refresh_estimate(self) -> None:
        self._estimate_seq += 1
        seq = self._estimate_seq
        params = self.params()
        if not params.credential:  # a normal first-run situation, not an error to log
            self._show_estimate(seq, None, NO_CREDENTIAL)
            return
        self.ctx.ops.run("Estimate run", lambda state, p: runs.estimate_for(self.ctx.workspace, p), params,
                         on_result=lambda est, s=seq: self._show_estimate(s, est, None),
                         on_error=lambda msg, s=seq: self._show_estimate(s, None, msg))

    def _show_estimate(self, seq: int, est, error: str | None) -> None:
        if seq != self._estimate_seq:
            return  # a newer estimate is on its way
        if est is None:
            self.estimate.setText(error if error == NO_CREDENTIAL else f"Cannot start: {error}")
            self._estimate_ok = False
            self.start.setText("Start run")
        else:
            cost = format_cost(est.cost_usd)
            self.estimate.setText(
                f"<b>Estimate:</b> {est.calls:,} calls · {est.input_tokens:,} input tokens · "
                f"~{est.output_tokens:,} output tokens · <b>{cost}</b>{' (batch price)' if est.batch else ''}"
                f"<br><span style='color: palette(mid)'>{est.note}</span>")
            self._estimate_ok = True
            self.start.setText(f"Start run ({est.calls:,} calls, {cost})")
        self.start.setEnabled(self._estimate_ok)
        self.start.setMinimumWidth(self.start.sizeHint().width())  # never clip the confirmation text
        self.estimate_ready.emit(self.estimate.text())
