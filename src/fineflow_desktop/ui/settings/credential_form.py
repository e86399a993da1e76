"""The credential edit form: shows a credential's fields and collects edits (no storage here).

A credential holds connection data and limits only — provider, base URL, key, a model to test the
connection with, concurrency, fallback priority, provider settings (issue 12). The workspace's
chat defaults (instructions, chat model, temperature, max tokens) live in AI Settings alone.

The API key field is a password field that is always empty when a credential is loaded; a
label shows the masked stored key (``sk-…wxyz``) and where it lives. Typing a key replaces it on
Save. The pane does the storing (``providers.credentials``) and the model fetching.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from fineflow_desktop.providers.compatible import PRESETS
from fineflow_desktop.providers.credentials import DEFAULT_BASE_URLS, MAX_CONCURRENCY, PROVIDERS
from fineflow_desktop.ui.style import set_tone
from fineflow_desktop.ui.widgets.flow_layout import FlowLayout, kept_together

PROVIDER_LABELS = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "compatible": "OpenAI-compatible server",
    "extractive": "Offline extractive (no model)",
    "together": "Together AI (fine-tuning)",
    "fireworks": "Fireworks AI (fine-tuning)",
}
# The offline extractive generator needs no credential (Dataset Builder > Create dataset); it is
# not offered as a provider here, only shown for credentials that were created with it before.
HIDDEN_PROVIDERS = {"extractive"}
# Where sampling values come from (issue 9 found no statement of it; issue 12 made it one place).
DEFAULTS_NOTE = ("Chat defaults — instructions, chat model, temperature, max tokens — are the workspace's, set in "
                 "AI Settings; generation runs and template previews start from them and may override per run.")
SUGGESTED_MODELS = {
    "openai": ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4o", "gpt-5-mini"],
    "anthropic": ["claude-haiku-4-5", "claude-sonnet-4-5"],
    "compatible": [],
    "extractive": ["extractive"],
}


class CredentialForm(QWidget):
    """Fields of one credential. ``values()`` returns a dict for ``create/update_credential``.

    Raises ``ValueError`` (message starts with the field name) from ``values()`` for input
    the widgets cannot rule out (e.g. invalid settings JSON).
    """

    fetch_models_requested = Signal()
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.credential_id: int | None = None
        self.session_only = False  # keys kept in memory only (keyring broken, user agreed)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # extra height goes below the form, not between its rows
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        self._build_connection_rows(form)
        self._build_key_row(form)
        self._build_model_row(form)
        self._build_limit_rows(form)

        self.provider.currentIndexChanged.connect(self._provider_changed)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.fetch.clicked.connect(self.fetch_models_requested)
        for w in (self.name, self.base_url, self.key):
            w.textEdited.connect(self.changed)
        self._provider_changed()

    # -- building (rows are added to a form already on the widget: parent order = row order) ---
    def _build_connection_rows(self, form: QFormLayout) -> None:
        """Name, provider, compatible-server preset and base URL rows."""
        self.name = QLineEdit(placeholderText="e.g. OpenAI work account")
        form.addRow("&Name", self.name)
        self.provider = QComboBox()
        for p in PROVIDERS:
            if p not in HIDDEN_PROVIDERS:
                self.provider.addItem(PROVIDER_LABELS[p], p)
        form.addRow("&Provider", self.provider)

        self.preset = QComboBox()
        self.preset.addItem("Custom URL", "")
        for name, url in PRESETS.items():
            self.preset.addItem(f"{name} ({url})", url)
        self.preset_label = QLabel("Pre&set")
        self.preset_label.setBuddy(self.preset)
        form.addRow(self.preset_label, self.preset)
        self.base_url = QLineEdit()
        form.addRow("Base &URL", self.base_url)

    def _build_key_row(self, form: QFormLayout) -> None:
        """The API key field with the masked stored key below it."""
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setObjectName("apiKey")
        self.key_status = QLabel()
        self.key_status.setObjectName("keyStatus")
        self.key_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_status.setWordWrap(True)
        set_tone(self.key_status, "muted")
        key_box = QVBoxLayout()
        key_box.setSpacing(2)
        key_box.addWidget(self.key)
        key_box.addWidget(self.key_status)
        key_label = QLabel("API &key")
        key_label.setBuddy(self.key)
        form.addRow(key_label, key_box)

    def _build_model_row(self, form: QFormLayout) -> None:
        """The test model field with its Fetch models button."""
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.fetch = QPushButton("Fetch models")
        self.fetch.setToolTip("List the models this credential can use (GET /models)")
        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(self.fetch)
        model_label = QLabel("Test &model")
        model_label.setBuddy(self.model)
        self.model.setToolTip("The model “Test connection” asks; the workspace's chat model is set in AI Settings")
        form.addRow(model_label, row)

    def _build_limit_rows(self, form: QFormLayout) -> None:
        """Limits, default flag, provider settings JSON and the chat-defaults note."""
        self.concurrency = QSpinBox(minimum=1, maximum=MAX_CONCURRENCY, value=4)
        self.concurrency.setToolTip("Parallel requests a generation run may send with this credential")
        self.priority = QSpinBox(minimum=-1000, maximum=100_000, value=100)
        self.priority.setToolTip("Fallback order: the default first, then lower priority numbers")
        # A flow, not a row: at 1100×700 the two fields wrap instead of widening the form (issue 9).
        limits = FlowLayout(h_spacing=6, v_spacing=4)
        for text, w in (("Concurrency", self.concurrency), ("Fallback priority", self.priority)):
            lab = QLabel(text)
            lab.setBuddy(w)
            limits.addWidget(kept_together(lab, w, spacing=6, trailing=6))
        form.addRow("Limits", limits)

        self.is_default = QCheckBox("Default credential for this provider")
        form.addRow("", self.is_default)
        self.defaults_note = QLabel(DEFAULTS_NOTE)
        self.defaults_note.setObjectName("credentialDefaultsNote")
        self.defaults_note.setWordWrap(True)
        set_tone(self.defaults_note, "muted")
        self.settings = QPlainTextEdit(placeholderText='Provider settings as JSON, e.g. {"organization": "org-…"}')
        self.settings.setFixedHeight(48)
        form.addRow("Provider settings", self.settings)
        form.addRow("", self.defaults_note)

    # -- provider-dependent hints --------------------------------------------------------------
    def provider_kind(self) -> str:
        return self.provider.currentData()

    def _provider_changed(self) -> None:
        kind = self.provider_kind()
        compatible = kind == "compatible"
        self.preset.setVisible(compatible)
        self.preset_label.setVisible(compatible)
        needs_url = kind != "extractive"
        self.base_url.setEnabled(needs_url)
        self.base_url.setPlaceholderText(DEFAULT_BASE_URLS.get(kind) or ("http://localhost:11434/v1" if compatible else "not used"))
        self.key.setEnabled(kind != "extractive")
        self.key.setPlaceholderText(
            "not needed" if kind == "extractive" else
            "optional: local servers need no key" if compatible else
            "paste your API key; kept for this session only" if self.session_only else
            "paste your API key; it goes to the system keyring"
        )
        current = self.model.currentText()
        self.model.clear()
        self.model.addItems(SUGGESTED_MODELS.get(kind, []))
        self.model.setEditText(current if current else (SUGGESTED_MODELS.get(kind) or [""])[0])
        self.fetch.setEnabled(kind != "extractive")
        self.changed.emit()

    def _preset_changed(self) -> None:
        url = self.preset.currentData()
        if url:
            self.base_url.setText(url)

    # -- load / read ---------------------------------------------------------------------------
    def load(self, info=None, key_location: str = "none") -> None:
        """Show *info* (a ``CredentialInfo``) or an empty form for a new credential."""
        self.credential_id = info.id if info else None
        self.key.clear()
        if info is None:
            self.name.clear()
            self.provider.setCurrentIndex(0)
            self.base_url.clear()
            self.concurrency.setValue(4)
            self.priority.setValue(100)
            self.is_default.setChecked(False)
            self.settings.clear()
            self.set_key_status("none", "")
            self._provider_changed()
            self.name.setFocus()
            return
        self.name.setText(info.name)
        if self.provider.findData(info.provider) < 0:  # an old offline-extractive credential
            self.provider.addItem(PROVIDER_LABELS.get(info.provider, info.provider), info.provider)
        self.provider.setCurrentIndex(self.provider.findData(info.provider))
        self.preset.setCurrentIndex(max(0, self.preset.findData(info.base_url)))
        self.base_url.setText("" if info.base_url == DEFAULT_BASE_URLS.get(info.provider) else info.base_url)
        self.model.setEditText(info.model)
        self.concurrency.setValue(info.concurrency)
        self.priority.setValue(info.priority)
        self.is_default.setChecked(info.is_default)
        self.settings.setPlainText(json.dumps(info.settings) if info.settings else "")
        self.set_key_status(key_location, info.key_hint)

    def set_key_status(self, location: str, hint: str) -> None:
        """Show where the stored key lives, masked."""
        if location == "keyring":
            text = f"Stored in the system keyring: {hint}. Type a new key to replace it."
        elif location == "session":
            text = f"Kept for this session only: {hint}. It is forgotten when FineFlow quits."
        elif self.provider_kind() in ("compatible", "extractive"):
            text = "No key stored (not needed for local servers)."
        else:
            text = "No key stored yet."
        self.key_status.setText(text)

    def set_models(self, ids: list[str]) -> None:
        """Fill the model list with fetched ids, keeping the typed model."""
        current = self.model.currentText()
        self.model.clear()
        self.model.addItems(ids)
        self.model.setEditText(current or (ids[0] if ids else ""))

    def key_text(self) -> str:
        """The key typed in this form (empty = keep the stored one)."""
        return self.key.text().strip()

    def values(self) -> dict:
        """Field values for ``providers.credentials`` (no key)."""
        raw = self.settings.toPlainText().strip()
        try:
            settings = json.loads(raw) if raw else {}
        except ValueError as exc:
            raise ValueError(f"settings: not valid JSON ({exc})") from None
        if not isinstance(settings, dict):
            raise ValueError("settings: must be a JSON object like {\"organization\": \"org-…\"}")
        return {
            "name": self.name.text().strip(),
            "provider": self.provider_kind(),
            "base_url": self.base_url.text().strip(),
            "model": self.model.currentText().strip(),
            "concurrency": self.concurrency.value(),
            "priority": self.priority.value(),
            "is_default": self.is_default.isChecked(),
            "settings": settings,
        }
