"""Step 2 of the launch wizard: credential, base model, method, suffix/seed and the
hyperparameters rendered from the provider's schema (``HyperparameterField``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox,
    QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.finetuning.registry import FT_PROVIDERS
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.jobs.wizard.notices import banner, show_banner, notice_seen, mark_notice_seen


class HyperparameterField(QWidget):
    """One hyperparameter from the provider's schema: an "auto" box (when allowed) and a value editor."""

    def __init__(self, spec: ft.HyperparameterSpec):
        super().__init__()
        self.spec = spec
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.auto = QCheckBox("auto")
        self.auto.setVisible(spec.allows_auto)
        self.editor = self._build_editor(spec)
        lay.addWidget(self.editor)
        lay.addWidget(self.auto)
        lay.addWidget(QLabel(self.range_text()))
        lay.addStretch(1)
        if spec.allows_auto:
            self.auto.toggled.connect(lambda on: self.editor.setEnabled(not on))
            self.auto.setChecked(spec.default == "auto")
            self.editor.setEnabled(spec.default != "auto")
        tip = " ".join(x for x in (spec.help, f"Source: {spec.source}" if spec.source else "") if x)
        self.setToolTip(tip)

    def _build_editor(self, spec) -> QWidget:
        if spec.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(spec.default) if spec.default != "auto" else False)
            return box
        if spec.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            if spec.default in spec.choices:
                combo.setCurrentText(spec.default)
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(spec.minimum) if spec.minimum is not None else 0,
                          int(spec.maximum) if spec.maximum is not None else 1_000_000)
        else:
            spin = QDoubleSpinBox()
            spin.setDecimals(4)
            lo = spec.minimum if spec.minimum is not None else 0.0
            # an exclusive 0 lower bound ("greater than 0") starts at the smallest step
            spin.setRange(lo if lo > 0 else 0.0001, spec.maximum if spec.maximum is not None else 1_000.0)
            spin.setSingleStep(0.1)
        if spec.default not in ("auto", None):
            spin.setValue(spec.default)
        return spin

    def range_text(self) -> str:
        s = self.spec
        if s.kind in ("bool", "choice"):
            return ""
        lo = "—" if s.minimum is None else f"{s.minimum:g}"
        hi = "—" if s.maximum is None else f"{s.maximum:g}"
        return f"range {lo} … {hi}" if (s.minimum is not None or s.maximum is not None) else "no published range"

    def value(self):
        if self.spec.allows_auto and self.auto.isChecked():
            return "auto"
        e = self.editor
        if isinstance(e, QCheckBox):
            return e.isChecked()
        if isinstance(e, QComboBox):
            return e.currentText()
        return e.value()

    def set_value(self, value) -> None:
        if value == "auto":
            self.auto.setChecked(True)
            return
        self.auto.setChecked(False)
        e = self.editor
        if isinstance(e, QCheckBox):
            e.setChecked(bool(value))
        elif isinstance(e, QComboBox):
            e.setCurrentText(str(value))
        else:
            e.setValue(value)


class ProviderPage(QWizardPage):
    """Credential (its provider), training method, base model, hyperparameters, suffix, seed."""

    NOTICE_KEY = "finetune-notice:{provider}"

    def __init__(self, wizard: QWizard):  # the LaunchWizard (its spec(), ctx, launch())
        super().__init__()
        self.wiz = wizard
        self.setTitle("2 · Provider, credential, base model")
        self.setSubTitle("Where to train, on which model, with which hyperparameters (the provider's own ranges).")
        self.fields: dict[str, HyperparameterField] = {}
        self.notice_shown: set[str] = set()
        lay = QVBoxLayout(self)
        self.notice = banner("warn")
        self.notice.setObjectName("providerNotice")
        lay.addWidget(self.notice)
        form = QFormLayout()
        self.credential_combo = QComboBox()
        self.credential_combo.currentIndexChanged.connect(self._credential_changed)
        form.addRow("Credential:", self.credential_combo)
        self.method_combo = QComboBox()
        self.method_combo.addItem("Supervised (SFT)", "supervised")
        self.method_combo.addItem("Preference (DPO)", "dpo")
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        form.addRow("Method:", self.method_combo)
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setMinimumWidth(360)
        self.model_combo.setToolTip("The provider's tunable base models, or type any model id")
        self.model_combo.currentTextChanged.connect(lambda _t: self.completeChanged.emit())
        form.addRow("Base model:", self.model_combo)
        lay.addLayout(form)
        self.hp_box = QGroupBox("Hyperparameters")
        self.hp_form = QFormLayout(self.hp_box)
        lay.addWidget(self.hp_box)
        extra = QFormLayout()
        self.suffix_edit = QLineEdit()
        self.suffix_edit.setPlaceholderText("optional, e.g. support-v2 (part of the model name)")
        self.suffix_edit.setMaxLength(64)
        extra.addRow("Suffix:", self.suffix_edit)
        seed_row = QHBoxLayout()
        self.seed_check = QCheckBox("fixed seed")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2_147_483_647)
        self.seed_spin.setEnabled(False)
        self.seed_check.toggled.connect(self.seed_spin.setEnabled)
        seed_row.addWidget(self.seed_check)
        seed_row.addWidget(self.seed_spin)
        seed_row.addStretch(1)
        extra.addRow("Seed:", seed_row)
        lay.addLayout(extra)
        self.empty = banner("error")
        lay.addWidget(self.empty)
        lay.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        if self.credential_combo.count():
            return
        infos = [c for c in creds.list_credentials(self.wiz.ctx.workspace) if c.provider in FT_PROVIDERS]
        self.credential_combo.blockSignals(True)
        for c in infos:
            key = "" if c.has_key else " — no key stored"
            self.credential_combo.addItem(f"{c.name} ({c.provider}){key}", c.name)
            self.credential_combo.setItemData(self.credential_combo.count() - 1, c.provider, Qt.ItemDataRole.UserRole + 1)
        self.credential_combo.blockSignals(False)
        show_banner(self.empty, None if infos else "No fine-tuning credential yet: add an OpenAI, Together or Fireworks "
                   "credential in Settings first.")
        self._credential_changed()

    def provider(self) -> str | None:
        return self.credential_combo.currentData(Qt.ItemDataRole.UserRole + 1)

    def method(self) -> str:
        return self.method_combo.currentData()

    def _credential_changed(self, *_a) -> None:
        provider = self.provider()
        self._show_notice(provider)
        self._fill_models()
        self._fill_hyperparameters()
        self.completeChanged.emit()

    def _method_changed(self, *_a) -> None:
        self._fill_models()
        self._fill_hyperparameters()

    def _show_notice(self, provider: str | None) -> None:
        """The provider's notice, once: shown the first time, remembered in the config dir."""
        text = ft.provider_notice(provider) if provider else None
        key = self.NOTICE_KEY.format(provider=provider)
        if text and (key in self.notice_shown or not notice_seen(key)):
            self.notice_shown.add(key)
            mark_notice_seen(key)
            show_banner(self.notice, f"<b>Note about {provider}:</b> {text}")
        else:
            show_banner(self.notice, None)

    def _fill_models(self) -> None:
        provider = self.provider()
        typed = self.model_combo.currentText()
        self.model_combo.clear()
        if not provider:
            return
        for m in ft.base_models(provider, self.wiz.ctx.workspace):
            if self.method() in m.methods:
                label = f"{m.id}" + (f"  — {m.label}" if m.label and m.label != m.id else "")
                self.model_combo.addItem(label, m.id)
        if typed and self.model_combo.findText(typed) < 0:
            self.model_combo.setEditText(typed)  # a typed model id survives a method change

    def model_id(self) -> str:
        i = self.model_combo.currentIndex()
        text = self.model_combo.currentText().strip()
        if i >= 0 and self.model_combo.itemText(i) == text:
            return self.model_combo.itemData(i) or text
        return text.split("  — ")[0].strip()

    def _fill_hyperparameters(self) -> None:
        while self.hp_form.rowCount():
            self.hp_form.removeRow(0)
        self.fields = {}
        provider = self.provider()
        if not provider:
            return
        for spec in ft.hyperparameter_schema(provider, self.method()):
            field = HyperparameterField(spec)
            field.setObjectName(f"hp_{spec.name}")
            self.fields[spec.name] = field
            self.hp_form.addRow(f"{spec.label}:", field)

    def hyperparameters(self) -> dict:
        return {name: f.value() for name, f in self.fields.items()}

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.credential_combo.currentData()) and bool(self.model_id())
