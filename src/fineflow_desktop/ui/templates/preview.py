"""Preview panel: context editor, rendered prompt, token count, live errors, optional execution.

Rendering and token counting come from ``core.templates.render`` and ``core.tokens``; no
model is called unless the user presses Execute, which runs
``services.templates.execute_preview`` on a worker with a ``ChatProvider`` from
``provider_source`` (a callable returning ``{label: provider}``, wired by the app once
credentials exist; empty by default, which disables Execute).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.templates.render import check_syntax, render, sample_context, validate_context, variable_names
from fineflow_desktop.core.tokens import DEFAULT_ENCODING, count_tokens
from fineflow_desktop.services import models as catalog
from fineflow_desktop.services import templates as svc
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.widgets.diff_style import monospace_font
from fineflow_desktop.ui.style import set_banner, set_tone


def no_providers() -> dict:
    """Default provider source: none configured yet."""
    return {}


class PreviewPanel(QWidget):
    """Shows the body rendered with the context table; ``execute`` audits a model call."""

    executed = Signal(int)  # execution id

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.provider_source: Callable[[], dict] = no_providers
        self._body = ""
        self._version_id: int | None = None
        self._version_clean = False
        self._updating = False

        buttons = self._build_context()
        self._build_model_fields()
        exec_box = self._build_execute_box()

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Context (empty values count as missing)", self))
        layout.addWidget(self.context_table, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.errors_label)
        head = QHBoxLayout()
        head.addWidget(QLabel("Rendered prompt", self))
        head.addStretch(1)
        head.addWidget(self.tokens_label)
        layout.addLayout(head)
        layout.addWidget(self.rendered_edit, 3)
        layout.addWidget(exec_box)

        self.context_table.itemChanged.connect(lambda _item: self.update_preview())
        self.sample_button.clicked.connect(self.fill_sample)
        self.clear_button.clicked.connect(self.clear_values)
        self.execute_button.clicked.connect(self.execute)
        self.defaults_btn.clicked.connect(lambda: self.load_workspace_defaults(force=True))
        for sig in (self.model_edit.textChanged, self.temperature_spin.valueChanged, self.max_tokens_spin.valueChanged):
            sig.connect(lambda *_: self._show_overrides())
        self.load_workspace_defaults(force=True)
        self.refresh_providers()

    def _build_context(self) -> QHBoxLayout:
        """The context table, its Fill/Clear buttons row (returned), error banner, rendered prompt."""
        self.context_table = QTableWidget(0, 2, self)
        self.context_table.setObjectName("contextTable")
        self.context_table.setHorizontalHeaderLabels(["Variable", "Value"])
        self.context_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.context_table.horizontalHeader().setStretchLastSection(True)
        self.context_table.verticalHeader().hide()
        self.context_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sample_button = QPushButton("Fill sample values", self)
        self.sample_button.setToolTip("Placeholder values such as [product_name_value]")
        self.clear_button = QPushButton("Clear values", self)
        self.errors_label = QLabel(self)
        self.errors_label.setObjectName("previewErrors")
        self.errors_label.setWordWrap(True)
        self.errors_label.setTextFormat(Qt.TextFormat.PlainText)
        set_banner(self.errors_label, "error")
        self.errors_label.hide()
        self.rendered_edit = QPlainTextEdit(self)
        self.rendered_edit.setObjectName("renderedPrompt")
        self.rendered_edit.setReadOnly(True)
        self.rendered_edit.setFont(monospace_font())
        self.tokens_label = QLabel(self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        return buttons

    def _build_model_fields(self) -> None:
        """The fields of the "Try on a model" box (laid out by ``_build_execute_box``)."""
        self.provider_combo = QComboBox(self)
        self.provider_combo.setPlaceholderText("none configured")
        self.provider_combo.setMinimumContentsLength(14)
        self.model_edit = QLineEdit("gpt-4o-mini", self)
        self.temperature_spin = QDoubleSpinBox(self)
        self.temperature_spin.setRange(0.0, 2.0)
        self.temperature_spin.setSingleStep(0.1)
        self.temperature_spin.setValue(0.7)
        self.max_tokens_spin = QSpinBox(self)
        self.max_tokens_spin.setRange(1, 128_000)
        self.max_tokens_spin.setValue(1024)
        self.defaults_label = QLabel(self)
        self.defaults_label.setObjectName("previewDefaults")
        self.defaults_label.setWordWrap(True)
        self.defaults_btn = QPushButton("Use workspace defaults", self)
        self.defaults_btn.setToolTip("Back to AI Settings' chat model, temperature and max tokens")
        self._defaults = None  # ChatDefaults shown; fields equal to them follow AI Settings changes
        self.execute_button = QPushButton("Execute preview", self)
        self.result_edit = QPlainTextEdit(self)
        self.result_edit.setReadOnly(True)
        self.result_edit.setMaximumHeight(110)
        self.result_edit.setPlaceholderText("Model output of the last preview execution")

    def _build_execute_box(self) -> QGroupBox:
        """Credential and model on one row each, the two sampling values and the button below:
        a single row clipped "Temperature" and "Execute preview" at 1100×700 (issue 9)."""
        box = QGroupBox("Try on a model (optional)", self)
        box.setToolTip("Sends the rendered prompt once and records it as a preview execution (Executions tab)")
        which_wins = ("Starts from the workspace defaults (AI Settings); a change here applies to this preview "
                      "only and is shown as an override below.")
        self.temperature_spin.setToolTip(which_wins)
        self.max_tokens_spin.setToolTip(which_wins)
        grid = QGridLayout(box)
        grid.addWidget(QLabel("Credential", box), 0, 0)
        grid.addWidget(self.provider_combo, 0, 1, 1, 3)
        grid.addWidget(QLabel("Model", box), 1, 0)
        grid.addWidget(self.model_edit, 1, 1, 1, 3)
        grid.addWidget(QLabel("Temperature", box), 2, 0)
        grid.addWidget(self.temperature_spin, 2, 1)
        grid.addWidget(QLabel("Max tokens", box), 2, 2)
        grid.addWidget(self.max_tokens_spin, 2, 3)
        grid.addWidget(self.defaults_label, 3, 0, 1, 4)
        row = QHBoxLayout()
        row.addWidget(self.defaults_btn)
        row.addStretch(1)
        row.addWidget(self.execute_button)
        grid.addLayout(row, 4, 0, 1, 4)
        grid.addWidget(self.result_edit, 5, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box

    # -- inputs ------------------------------------------------------------------------
    def set_body(self, body: str) -> None:
        """The text to preview (the editor's current body); keeps values already typed."""
        self._body = body
        self._sync_rows()
        self.update_preview()

    def set_version(self, version_id: int | None, clean: bool) -> None:
        """The saved version Execute would run; *clean* = the editor has no unsaved changes."""
        self._version_id, self._version_clean = version_id, clean
        self._update_execute()

    # -- workspace defaults (issue 12: AI Settings is the one place) ---------------------------
    def load_workspace_defaults(self, force: bool = False) -> None:
        """Start from AI Settings' chat model, temperature and max tokens. Without *force*, a field
        the user changed for this preview keeps its value (only fields still equal to the old
        defaults follow)."""
        new = catalog.chat_defaults(self.ctx.workspace)
        old = self._defaults
        if force or old is None or self.model_edit.text().strip() == old.model:
            self.model_edit.setText(new.model)
        if force or old is None or self.temperature_spin.value() == old.temperature:
            self.temperature_spin.setValue(new.temperature)
        if force or old is None or self.max_tokens_spin.value() == old.max_tokens:
            self.max_tokens_spin.setValue(new.max_tokens)
        self._defaults = new
        completer = QCompleter(catalog.model_choices(self.ctx.workspace), self.model_edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.model_edit.setCompleter(completer)
        self._show_overrides()

    def overrides(self) -> dict:
        """Fields this preview sets differently from the workspace defaults (name → value)."""
        d = self._defaults
        if d is None:
            return {}
        now = {"model": self.model_edit.text().strip(), "temperature": self.temperature_spin.value(),
               "max tokens": self.max_tokens_spin.value()}
        base = {"model": d.model, "temperature": d.temperature, "max tokens": d.max_tokens}
        return {k: v for k, v in now.items() if v != base[k]}

    def _show_overrides(self) -> None:
        d = self._defaults
        if d is None:
            return
        text = (f"Workspace defaults (AI Settings): {d.model} · temperature {d.temperature:g} · "
                f"max tokens {d.max_tokens}")
        over = self.overrides()
        if over:
            text += " — this preview overrides: " + ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
                                                               for k, v in over.items())
        self.defaults_label.setText(text)
        set_tone(self.defaults_label, "warn" if over else "muted")
        self.defaults_btn.setEnabled(bool(over))

    def refresh_providers(self) -> None:
        current = self.provider_combo.currentText()
        self.provider_combo.clear()
        self.provider_combo.addItems(list(self.provider_source()))
        index = self.provider_combo.findText(current) if current else -1
        # With a placeholder text set, QComboBox does not select the first item by itself.
        self.provider_combo.setCurrentIndex(index if index >= 0 else (0 if self.provider_combo.count() else -1))
        self._update_execute()

    def context(self) -> dict[str, str]:
        """Variable -> value for every row with a non-empty value."""
        out = {}
        for r in range(self.context_table.rowCount()):
            key, val = self.context_table.item(r, 0), self.context_table.item(r, 1)
            if key and val and val.text() != "":
                out[key.text()] = val.text()
        return out

    def set_value(self, name: str, value: str) -> None:
        for r in range(self.context_table.rowCount()):
            if self.context_table.item(r, 0).text() == name:
                self.context_table.item(r, 1).setText(value)
                return

    def _sync_rows(self) -> None:
        names = variable_names(self._body)
        values = {self.context_table.item(r, 0).text(): self.context_table.item(r, 1).text()
                  for r in range(self.context_table.rowCount())}
        self._updating = True
        self.context_table.blockSignals(True)
        try:
            self.context_table.setRowCount(len(names))
            for r, name in enumerate(names):
                key = QTableWidgetItem(name)
                key.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.context_table.setItem(r, 0, key)
                self.context_table.setItem(r, 1, QTableWidgetItem(values.get(name, "")))
        finally:
            self.context_table.blockSignals(False)
            self._updating = False

    def fill_sample(self) -> None:
        sample = sample_context(self._body)
        self.context_table.blockSignals(True)
        try:
            for name, value in sample.items():
                self.set_value(name, value)
        finally:
            self.context_table.blockSignals(False)
        self.update_preview()

    def clear_values(self) -> None:
        self.context_table.blockSignals(True)
        try:
            for r in range(self.context_table.rowCount()):
                self.context_table.item(r, 1).setText("")
        finally:
            self.context_table.blockSignals(False)
        self.update_preview()

    # -- output ------------------------------------------------------------------------
    def missing(self) -> list[str]:
        return validate_context(self._body, self.context())[0]

    def update_preview(self) -> None:
        """Re-render: missing variables and syntax errors, rendered text, token count."""
        if self._updating:
            return
        issues = check_syntax(self._body)
        errors = [f"Line {i.line}, column {i.column}: {i.message}" for i in issues]
        missing = self.missing()
        if missing:
            errors.insert(0, "Missing variables: " + ", ".join(missing))
        self.errors_label.setText("\n".join(errors))
        self.errors_label.setVisible(bool(errors))
        if issues:
            text = self._body  # cannot render; show the source so the error positions make sense
        else:
            text = render(self._body, self.context(), strict=False)
        self.rendered_edit.setPlainText(text)
        n = count_tokens(text)
        self.tokens_label.setText(f"{n:,} token{'s' if n != 1 else ''} ({DEFAULT_ENCODING})")
        self._update_execute()

    def _update_execute(self) -> None:
        providers = self.provider_combo.currentIndex() >= 0
        ok = providers and self._version_id is not None and self._version_clean and not self.missing() \
            and not check_syntax(self._body)
        self.execute_button.setEnabled(ok)
        if not providers:
            tip = "No provider credentials are configured."
        elif not self._version_clean:
            tip = "Save the template first: executions are recorded against a saved version."
        elif self.missing():
            tip = "Fill every variable first."
        else:
            tip = "Send the rendered prompt to the model and record the execution as a preview."
        self.execute_button.setToolTip(tip)

    # -- execution ---------------------------------------------------------------------
    def execute(self) -> None:
        """Run ``execute_preview`` on a worker; the result lands in ``result_edit``."""
        providers = self.provider_source()
        label = self.provider_combo.currentText()
        provider = providers.get(label)
        if provider is None or self._version_id is None:
            return
        params = {"temperature": self.temperature_spin.value(), "max_tokens": self.max_tokens_spin.value()}
        self.result_edit.setPlainText("Running…")
        self.ctx.ops.run(
            "Execute template preview", _run_preview, self.ctx.workspace, self._version_id, self.context(), provider,
            self.model_edit.text().strip(), params, label,
            trigger=self.execute_button, on_result=self._on_result,
            on_error=lambda msg: self.result_edit.setPlainText(f"Error: {msg}"),
            on_finished=self._update_execute, effects={Effect.TEMPLATES}, initiator=self,
        )

    def _on_result(self, info) -> None:
        if info.status == "completed":
            self.result_edit.setPlainText(info.output or "")
        else:
            self.result_edit.setPlainText(f"Failed: {info.error}")
        self.executed.emit(info.id)


def _run_preview(state, ws, version_id, context, provider, model, params, credential_name):
    """Worker body: plain service call, returns the frozen ExecutionInfo."""
    state.check()
    return svc.execute_preview(ws, version_id, context, provider, model, params, credential_name=credential_name)
