"""Run options of the compare view: the per-run parameters (temperature, max tokens, instructions),
filled from the workspace defaults (AI Settings) with a visible override, and the optional judge
(credential, model, versioned template). Values only; the services validate and use them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget,
)

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import models
from fineflow_desktop.ui.style import set_tone


class RunParameters(QWidget):
    """Temperature, max tokens and instructions of a run. ``values()`` → the overrides to pass
    (None where the value is the workspace default); ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.defaults: dict = {}
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)  # the OpenAI API's range (services.models.run_parameters)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, 1_000_000)
        self.instructions = QLineEdit()
        self.instructions.setPlaceholderText("no system message")
        self.instructions.setToolTip("System message for prompts that have none (dataset prompts keep their own)")
        self.reset_btn = QPushButton("Workspace defaults")
        self.reset_btn.setToolTip("Put back the AI Settings' temperature, max tokens and instructions")
        self.reset_btn.clicked.connect(self.reset)
        self.state_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.temperature)
        row.addWidget(QLabel("Max tokens:"))
        row.addWidget(self.max_tokens)
        row.addWidget(self.reset_btn)
        row.addWidget(self.state_label, 1)
        lay.addWidget(QLabel("Temperature:"), 0, 0)
        lay.addLayout(row, 0, 1)
        lay.addWidget(QLabel("Instructions:"), 1, 0)
        lay.addWidget(self.instructions, 1, 1)
        for sig in (self.temperature.valueChanged, self.max_tokens.valueChanged, self.instructions.textChanged):
            sig.connect(self._edited)
        self.reload()

    def reload(self) -> None:
        """Re-read the workspace defaults; fields the user had not changed follow them."""
        new = models.run_defaults(self.ctx.workspace)
        untouched = not self.defaults or not self.overridden()
        self.defaults = new
        if untouched:
            self.reset()
        self._edited()

    def reset(self) -> None:
        d = self.defaults
        self.temperature.setValue(float(d["temperature"]))
        self.max_tokens.setValue(int(d["max_tokens"]))
        self.instructions.setText(d["instructions"] or "")
        self.instructions.setCursorPosition(0)  # show the start of a long text
        self.instructions.setToolTip(d["instructions"] or "")

    def current(self) -> dict:
        return {"temperature": round(self.temperature.value(), 2), "max_tokens": self.max_tokens.value(),
                "instructions": self.instructions.text()}

    def overridden(self) -> list[str]:
        """Names of the parameters that differ from the workspace defaults."""
        cur = self.current()
        return [k for k in models.RUN_PARAMETERS if cur[k] != (round(float(self.defaults[k]), 2) if k == "temperature"
                                                               else self.defaults[k])]

    def values(self) -> dict:
        """Overrides for ``compare_models`` / ``playground_answer`` (None = workspace default)."""
        over = self.overridden()
        return {k: (v if k in over else None) for k, v in self.current().items()}

    def _edited(self, *_a) -> None:
        over = self.overridden()
        if over:
            self.state_label.setText("Overridden: " + ", ".join(k.replace("_", " ") for k in over))
            self.state_label.setToolTip("Changed for this run only; the AI Settings are unchanged")
            set_tone(self.state_label, "warn")
        else:
            self.state_label.setText("Workspace defaults (AI Settings)")
            set_tone(self.state_label, "muted")
        self.changed.emit()


class JudgeOptions(QWidget):
    """Judge on/off, credential, model id and template (``slug vN``). ``spec()`` → a
    ``models.JudgeSpec`` or None."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.templates: list[dict] = []
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox("Judge with:")
        self.enabled.setToolTip("Ask a judge model which answer is better for every prompt (stored per row)")
        self.credential = QComboBox()
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setMinimumWidth(130)
        self.model.lineEdit().setPlaceholderText("judge model id")
        self.template = QComboBox()
        self.template.setToolTip("The judge prompt: a versioned template tagged 'judge' (edit it in Templates)")
        lay.addWidget(self.enabled)
        lay.addWidget(self.credential)
        lay.addWidget(self.model, 1)
        lay.addWidget(QLabel("template:"))
        lay.addWidget(self.template)
        lay.addStretch(1)
        self.enabled.toggled.connect(self._enable)
        self.reload()
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for w in (self.credential, self.model, self.template):
            w.setEnabled(on)

    def reload(self) -> None:
        """Re-read credentials, model ids (catalog, base models, the chat model) and judge templates."""
        ws = self.ctx.workspace
        keep_cred, keep_model, keep_tpl = self.credential.currentText(), self.model.currentText(), self.template.currentIndex()
        self.credential.clear()
        self.credential.addItems([c.name for c in creds.list_credentials(ws) if c.provider != "extractive"])
        if keep_cred:
            self.credential.setCurrentText(keep_cred)
        names = [models.run_defaults(ws)["chat_model"]]
        for m in models.list_models(ws, include_archived=False):
            names += [m.model_id] + ([m.base_model] if m.base_model else [])
        self.model.clear()
        self.model.addItems(list(dict.fromkeys(names)))
        self.model.setCurrentText(keep_model)
        self.templates = models.judge_templates(ws)
        self.template.clear()
        for i, t in enumerate(self.templates):
            self.template.addItem(f"{t['slug']} v{t['version']}", i)
        if 0 <= keep_tpl < self.template.count():
            self.template.setCurrentIndex(keep_tpl)

    def spec(self):
        """The judge to use, None when off. ``ValueError`` naming what is missing when on."""
        if not self.enabled.isChecked():
            return None
        model, cred = self.model.currentText().strip(), self.credential.currentText()
        i = self.template.currentData()
        if not model or not cred or i is None:
            raise ValueError("judge: choose a credential, a judge model and a template (or untick \"Judge with\")")
        t = self.templates[i]
        return models.JudgeSpec(model, cred, t["slug"], t["version"])
