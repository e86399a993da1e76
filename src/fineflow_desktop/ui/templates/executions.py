"""Executions tab: the audit of model calls for one template, with filters, metrics and feedback.

Lists ``services.templates.list_executions`` with filters (status, model, preview vs live),
shows ``execution_metrics``, the selected execution's context/prompt/output, thumbs up/down,
Re-run (identical parameters) and Regenerate (edited context or model). Re-run/Regenerate
need a ``ChatProvider`` from the preview panel's ``provider_source`` and run on a worker.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QCompleter,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.services import models as catalog
from fineflow_desktop.services import templates as svc
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.templates.models import ExecutionsModel
from fineflow_desktop.ui.tables import make_single_select_table
from fineflow_desktop.ui.style import set_tone


class RegenerateDialog(QDialog):
    """Edit the context (JSON) and model before regenerating an execution; *models* (the workspace
    chat model and the catalog's models, issue 12) are offered as completions of the model field."""

    def __init__(self, info, parent: QWidget | None = None, models: list[str] = ()):
        super().__init__(parent)
        self.setWindowTitle(f"Regenerate execution #{info.id}")
        self.context_edit = QPlainTextEdit(json.dumps(info.context, indent=2, ensure_ascii=False), self)
        self.model_edit = QLineEdit(info.model, self)
        if models:
            completer = QCompleter(list(models), self.model_edit)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.model_edit.setCompleter(completer)
        self.error_label = QLabel(self)
        set_tone(self.error_label, "error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Context (JSON)", self.context_edit)
        form.addRow("Model", self.model_edit)
        form.addRow(self.error_label)
        form.addRow(buttons)
        self.context: dict | None = None

    def _accept(self) -> None:
        try:
            value = json.loads(self.context_edit.toPlainText())
        except json.JSONDecodeError as exc:
            self.error_label.setText(f"Context is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}")
            return
        if not isinstance(value, dict):
            self.error_label.setText("Context must be a JSON object of variable names to values.")
            return
        self.context = value
        self.accept()


class ExecutionsPanel(QWidget):
    """Execution history of one template."""

    changed = Signal()

    def __init__(self, ctx, provider_source, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.provider_source = provider_source  # callable -> {label: ChatProvider}
        self.template_id: int | None = None
        self._build_filters()
        self._build_table()
        self._build_feedback()

        filters = QHBoxLayout()
        for label, w in (("Status", self.status_combo), ("Model", self.model_combo), ("Kind", self.kind_combo)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(w)
        filters.addStretch(1)
        actions = QHBoxLayout()
        for b in (self.up_button, self.down_button, self.rerun_button, self.regenerate_button):
            actions.addWidget(b)
        actions.addWidget(self.message_label, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.detail_edit)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.metrics_label)
        layout.addWidget(split, 1)
        layout.addLayout(actions)

        for combo in (self.status_combo, self.model_combo, self.kind_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.up_button.clicked.connect(lambda: self._feedback(1))
        self.down_button.clicked.connect(lambda: self._feedback(-1))
        self.rerun_button.clicked.connect(self.rerun)
        self.regenerate_button.clicked.connect(lambda: self.regenerate())
        self._show_selected()

    # -- building (widgets get this panel as parent at creation: creation order = tab order) --
    def _build_filters(self) -> None:
        """The status / model / kind filter combos and the metrics line."""
        self.status_combo = QComboBox(self)
        self.status_combo.addItem("All statuses", None)
        for s in ("pending", "processing", "completed", "failed"):
            self.status_combo.addItem(s, s)
        self.model_combo = QComboBox(self)
        self.kind_combo = QComboBox(self)
        for label, value in (("Preview and live", None), ("Previews", True), ("Live (generation)", False)):
            self.kind_combo.addItem(label, value)
        self.metrics_label = QLabel(self)
        self.metrics_label.setObjectName("executionMetrics")
        self.metrics_label.setTextFormat(Qt.TextFormat.PlainText)

    def _build_table(self) -> None:
        """The executions table and the detail of the selected execution."""
        self.model = ExecutionsModel(self)
        self.table = make_single_select_table(self.model, self.fontMetrics().height() + 8, self)
        self.table.setObjectName("executionsTable")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.detail_edit = QPlainTextEdit(self)
        self.detail_edit.setReadOnly(True)
        self.detail_edit.setObjectName("executionDetail")

    def _build_feedback(self) -> None:
        """Thumbs up / down, Re-run, Regenerate… and the message label."""
        # Text, not emoji: emoji fonts are missing on many Linux desktops.
        self.up_button = QPushButton("Thumbs up", self)
        self.down_button = QPushButton("Thumbs down", self)
        for b, tip in ((self.up_button, "Good output"), (self.down_button, "Bad output")):
            b.setCheckable(True)
            b.setToolTip(tip)
        self.rerun_button = QPushButton("Re-run", self)
        self.rerun_button.setToolTip("Execute again with identical version, context, model and parameters")
        self.regenerate_button = QPushButton("Regenerate…", self)
        self.regenerate_button.setToolTip("Execute again after changing the context or model")
        self.message_label = QLabel(self)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)

    def load(self, template_id: int | None) -> None:
        self.template_id = template_id
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        self.model_combo.addItem("All models", None)
        if template_id is not None:
            for m in svc.execution_models(self.ctx.workspace, template_id):
                self.model_combo.addItem(m, m)
        self.model_combo.blockSignals(False)
        self.refresh()

    def _filters(self) -> dict:
        return {"status": self.status_combo.currentData(), "model": self.model_combo.currentData(),
                "preview": self.kind_combo.currentData()}

    def refresh(self) -> None:
        keep = self.selected().id if self.selected() else None
        if self.template_id is None:
            self.model.set_items([])
            self.metrics_label.setText("")
            return
        f = self._filters()
        self.model.set_items(svc.list_executions(self.ctx.workspace, self.template_id, **f))
        m = svc.execution_metrics(self.ctx.workspace, self.template_id, **f)
        mean = f"{m.mean_duration_ms / 1000:.2f} s" if m.mean_duration_ms is not None else "–"
        self.metrics_label.setText(
            f"{m.count} execution{'s' if m.count != 1 else ''} · {m.failure_rate:.0%} failed · mean duration {mean} · "
            f"tokens {m.input_tokens:,} in / {m.output_tokens:,} out · feedback +{m.thumbs_up} / −{m.thumbs_down}"
        )
        if keep is not None:
            self.select_id(keep)
        self._show_selected()

    def selected(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.item(rows[0].row()) if rows else None

    def select_id(self, execution_id: int) -> None:
        for r, e in enumerate(self.model.items):
            if e.id == execution_id:
                self.table.selectRow(r)
                return

    def _show_selected(self) -> None:
        e = self.selected()
        providers = bool(self.provider_source())
        for b in (self.up_button, self.down_button):
            b.setEnabled(e is not None)
        self.up_button.setChecked(bool(e and e.feedback == 1))
        self.down_button.setChecked(bool(e and e.feedback == -1))
        self.rerun_button.setEnabled(e is not None and providers)
        self.regenerate_button.setEnabled(e is not None and providers)
        if e is None:
            self.detail_edit.setPlainText("")
            return
        lines = [
            f"Execution #{e.id} · {e.template_slug} v{e.version_number} · {'preview' if e.is_preview else 'live'} · {e.status}",
            f"Provider: {e.provider}  credential: {e.credential_name or '-'}  model: {e.model}",
            f"Parameters: {json.dumps(e.parameters, ensure_ascii=False)}",
            f"Context: {json.dumps(e.context, ensure_ascii=False)}",
            "", "— Prompt —", e.rendered_prompt, "",
        ]
        if e.status == "failed":
            lines += ["— Error —", e.error or "", json.dumps(e.error_context, ensure_ascii=False)]
        else:
            lines += ["— Output —", e.output or ""]
        self.detail_edit.setPlainText("\n".join(lines))

    def _feedback(self, value: int) -> None:
        e = self.selected()
        if e is None:
            return
        svc.set_feedback(self.ctx.workspace, e.id, 0 if e.feedback == value else value)  # clicking again clears
        self.refresh()

    def _provider_for(self, e):
        providers = self.provider_source()
        if e.credential_name in providers:
            return e.credential_name, providers[e.credential_name]
        if providers:
            label = next(iter(providers))
            return label, providers[label]
        return None, None

    def rerun(self) -> None:
        """Execute the selected execution again with identical parameters (on a worker)."""
        e = self.selected()
        label, provider = self._provider_for(e) if e else (None, None)
        if provider is None:
            return
        self._start(f"Re-run execution #{e.id}", _rerun, e.id, provider, label)

    def regenerate(self, context: dict | None = None, model: str | None = None) -> None:
        """Ask for the changed context/model (unless given) and execute again."""
        e = self.selected()
        label, provider = self._provider_for(e) if e else (None, None)
        if provider is None:
            return
        if context is None and model is None:
            dlg = RegenerateDialog(e, self, catalog.model_choices(self.ctx.workspace))
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return
            context, model = dlg.context, dlg.model_edit.text().strip() or e.model
        self._start(f"Regenerate execution #{e.id}", _regenerate, e.id, provider, label, context, model)

    def _start(self, title, fn, *args) -> None:
        self.message_label.setText("Running…")
        self.ctx.ops.run(title, fn, self.ctx.workspace, *args, on_result=self._on_result,
                         on_error=lambda msg: self.message_label.setText(f"Error: {msg}"),
                         effects={Effect.TEMPLATES}, initiator=self)

    def _on_result(self, info) -> None:
        self.message_label.setText(f"Execution #{info.id}: {info.status}")
        self.load(self.template_id)
        self.select_id(info.id)
        self.changed.emit()


def _rerun(state, ws, execution_id, provider, label):
    state.check()
    return svc.rerun_execution(ws, execution_id, provider, credential_name=label)


def _regenerate(state, ws, execution_id, provider, label, context, model):
    state.check()
    return svc.regenerate_execution(ws, execution_id, provider, context=context, model=model, credential_name=label)
