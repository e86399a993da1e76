"""AI Settings pane: the workspace AI config form with Save and Reset to defaults."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout,
)

from fineflow_desktop.core.embeddings import LSA_MODEL, WORDLLAMA_MODEL, wordllama_problem
from fineflow_desktop.services.models import model_choices
from fineflow_desktop.services.retrieval import ConfigError, get_ai_config, reset_ai_config, set_ai_config
from fineflow_desktop.services.retrieval import embedding_credential, embedding_licence, embedding_model_problem
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.style import css, set_tone

WORDLLAMA_WARNING = (
    "WordLlama's weights derive from Llama 2 token embeddings. The Llama 2 Community License "
    "(section 1.b.v) forbids using its output to improve other large language models. "
    "See the WordLlama notice in Help › About (fineflow_desktop/resources/licenses/WORDLLAMA-NOTICE.txt)."
)


def _spin(lo: float, hi: float, step: float, decimals: int = 2) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setSingleStep(step)
    s.setDecimals(decimals)
    return s


class AiConfigPane(Pane):
    """Instructions, models, sampling parameters and RAG settings of the workspace."""

    title = "AI Settings"
    reload_on = {Effect.SETTINGS}

    def build(self) -> None:
        self._build_model_fields()
        self._build_sampling_fields()
        form = self._build_form()
        buttons = self._build_buttons()
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addStretch(1)

    def _build_model_fields(self) -> None:
        """Instructions, chat model, embedding model (+ Model folder…), base URL, key and licence notes."""
        self.instructions = QPlainTextEdit()
        self.instructions.setPlaceholderText("System instructions for chats in this workspace")
        self.instructions.setMinimumHeight(90)
        self.chat_model = QLineEdit()
        self.chat_model.setToolTip("The workspace's chat model: generation runs, template previews and comparisons "
                                   "start from it. Models ▸ Catalog ▸ Deploy sets it to a fine-tuned model.")
        self.embedding_model = QComboBox()
        self.embedding_model.setEditable(True)
        self.embedding_model.addItems([LSA_MODEL, WORDLLAMA_MODEL, "openai-compatible:nomic-embed-text"])
        missing = wordllama_problem()
        if missing:  # optional extra, not in the installers: listed, greyed, with the reason
            item = self.embedding_model.model().item(self.embedding_model.findText(WORDLLAMA_MODEL))
            item.setEnabled(False)
            item.setToolTip(missing)
        self.embedding_model.setToolTip(
            f"{LSA_MODEL}: offline, model-free (default). {WORDLLAMA_MODEL}: offline, opt-in, see the licence note. "
            "openai-compatible:<model>: any /v1/embeddings endpoint at the base URL below. "
            "local:<folder>: a static-embedding model folder on this computer, Model2Vec or sentence-transformers "
            "StaticEmbedding (Model folder…)."
        )
        self.model_folder_button = QPushButton("Model folder…")
        self.model_folder_button.setToolTip("Use a static-embedding model folder you already have: Model2Vec or sentence-transformers StaticEmbedding (nothing downloads)")
        self.model_folder_button.clicked.connect(self._pick_model_folder)
        self.embedding_model.currentTextChanged.connect(self._model_changed)
        self.embedding_base_url = QLineEdit()
        self.embedding_base_url.setPlaceholderText("http://localhost:11434/v1 (only for openai-compatible)")
        self.embedding_base_url.textChanged.connect(self._show_key_source)
        self.key_source = QLabel()  # one short line: word wrap made the form row twice as tall
        self.licence_note = QLabel(WORDLLAMA_WARNING)
        self.licence_note.setWordWrap(True)
        set_tone(self.licence_note, "warn")

    def _build_sampling_fields(self) -> None:
        """Temperature, max tokens, penalties and the RAG switch, threshold and chunk count."""
        self.temperature = _spin(0.0, 2.0, 0.1)
        self.temperature.setToolTip("The workspace default (issue 12: the one place): RAG chats, generation runs "
                                    "and template previews start from it; a run or preview may override it.")
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, 1_000_000)
        self.frequency_penalty = _spin(-2.0, 2.0, 0.1)
        self.presence_penalty = _spin(-2.0, 2.0, 0.1)
        self.rag_enabled = QCheckBox("Add retrieved passages to the system prompt (RAG)")
        self.semantic_search_threshold = _spin(0.0, 1.0, 0.05, 3)
        self.semantic_search_threshold.setToolTip("Lowest search score a passage needs to enter the context")
        self.max_context_chunks = QSpinBox()
        self.max_context_chunks.setRange(1, 50)

    def _build_form(self) -> QFormLayout:
        """The settings form: one row per field built above, in reading order."""
        form = QFormLayout()
        form.addRow("Instructions", self.instructions)
        form.addRow("Chat model", self.chat_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.embedding_model, 1)
        model_row.addWidget(self.model_folder_button)
        form.addRow("Embedding model", model_row)
        form.addRow("", self.licence_note)
        form.addRow("Embedding base URL", self.embedding_base_url)
        form.addRow("", self.key_source)
        form.addRow("Temperature", self.temperature)
        form.addRow("Max tokens", self.max_tokens)
        form.addRow("Frequency penalty", self.frequency_penalty)
        form.addRow("Presence penalty", self.presence_penalty)
        form.addRow("", self.rag_enabled)
        form.addRow("Semantic search threshold", self.semantic_search_threshold)
        form.addRow("Max context chunks", self.max_context_chunks)
        return form

    def _build_buttons(self) -> QHBoxLayout:
        """Save, Reset to defaults and the message line."""
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.clicked.connect(self.reset)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.message, 1)
        return buttons

    def reload(self) -> None:
        self.load(get_ai_config(self.ctx.workspace))

    def on_changed(self, changes) -> None:
        if changes.touches(self.reload_on):
            self.reload()
        elif changes.touches({Effect.CREDENTIALS}):
            self._show_key_source()  # names a Settings credential; unsaved form edits stay

    def values(self) -> dict:
        """The form's current values, keyed like ``services.retrieval.DEFAULTS``."""
        return {
            "instructions": self.instructions.toPlainText(),
            "chat_model": self.chat_model.text(),
            "embedding_model": self.embedding_model.currentText(),
            "embedding_base_url": self.embedding_base_url.text().strip(),
            "temperature": self.temperature.value(),
            "max_tokens": self.max_tokens.value(),
            "frequency_penalty": self.frequency_penalty.value(),
            "presence_penalty": self.presence_penalty.value(),
            "rag_enabled": self.rag_enabled.isChecked(),
            "semantic_search_threshold": self.semantic_search_threshold.value(),
            "max_context_chunks": self.max_context_chunks.value(),
        }

    def load(self, cfg: dict) -> None:
        self.instructions.setPlainText(cfg["instructions"])
        self.chat_model.setText(cfg["chat_model"])
        completer = QCompleter(model_choices(self.ctx.workspace), self.chat_model)  # base + catalog models
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.chat_model.setCompleter(completer)
        self.embedding_model.setCurrentText(cfg["embedding_model"])
        self.embedding_base_url.setText(cfg["embedding_base_url"])
        self.temperature.setValue(cfg["temperature"])
        self.max_tokens.setValue(cfg["max_tokens"])
        self.frequency_penalty.setValue(cfg["frequency_penalty"])
        self.presence_penalty.setValue(cfg["presence_penalty"])
        self.rag_enabled.setChecked(cfg["rag_enabled"])
        self.semantic_search_threshold.setValue(cfg["semantic_search_threshold"])
        self.max_context_chunks.setValue(cfg["max_context_chunks"])
        self._model_changed(cfg["embedding_model"])

    def _model_changed(self, model: str) -> None:
        problem = embedding_model_problem(model) if model.startswith("local:") else None
        if problem:
            self.licence_note.setText(problem)
        elif model.startswith("local:"):
            self.licence_note.setText(
                f"Local embedding model — licence (from its model card): {embedding_licence(model)}. "
                "Changing the embedder re-embeds the whole index on the next Embed."
            )
        elif model == WORDLLAMA_MODEL and wordllama_problem():
            self.licence_note.setText(wordllama_problem())
        else:
            self.licence_note.setText(WORDLLAMA_WARNING)
        self.licence_note.setVisible(model == WORDLLAMA_MODEL or model.startswith("local:"))
        self.embedding_base_url.setEnabled(model.startswith("openai-compatible:"))
        self._show_key_source()

    def _pick_model_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Static-embedding model folder (Model2Vec or sentence-transformers)")
        if folder:
            self.embedding_model.setCurrentText(f"local:{folder}")

    def _show_key_source(self) -> None:
        """Say which Settings credential lends its key to the embeddings endpoint."""
        url = self.embedding_base_url.text().strip()
        compatible = self.embedding_model.currentText().startswith("openai-compatible:")
        self.key_source.setVisible(compatible and bool(url))
        if not (compatible and url):
            return
        cred = embedding_credential(self.ctx.workspace, url)
        if cred is None:
            self.key_source.setText("No credential in Settings has this base URL: requests are sent without a key.")
        else:
            key = f"its key {cred.key_hint}" if cred.has_key else "no key (it has none)"
            self.key_source.setText(f"Uses credential <b>{html.escape(cred.name)}</b> from Settings: {key}.")

    def save(self) -> None:
        try:
            cfg = set_ai_config(self.ctx.workspace, **self.values())
        except ConfigError as exc:
            self.message.setText(f"<span style='color:{css('error')}'>{html.escape(str(exc))}</span>")
            return
        self.load(cfg)
        self.message.setText("Saved.")
        self.announce({Effect.SETTINGS})
        self.ctx.events.status_message.emit("AI settings saved")

    def reset(self) -> None:
        self.load(reset_ai_config(self.ctx.workspace))
        self.message.setText("Defaults restored.")
        self.announce({Effect.SETTINGS})
        self.ctx.events.status_message.emit("AI settings reset to defaults")
