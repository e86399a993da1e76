"""The playground of the compare view: a typed prompt answered by the workspace chat model (the
deployed one) with the workspace instructions and, when RAG is enabled in the AI Settings, the
retrieved passages shown beside the answer. Parameters come from the compare view's run options
(workspace defaults unless overridden). The work is ``services.models.playground_answer``."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget
from PySide6.QtCore import Qt

from fineflow_desktop.services import models
from fineflow_desktop.ui.curation.task_strip import TaskStrip
from fineflow_desktop.ui.models.run_options import RunParameters
from fineflow_desktop.ui.style import set_tone
from fineflow_desktop.ui.tables import titled_column


def hits_text(hits: list[dict], note: str, rag_enabled: bool) -> str:
    """The retrieved passages as numbered text (the numbers the answer cites as [n])."""
    if not rag_enabled:
        return "RAG is off in the AI Settings: the model got the instructions only."
    if not hits:
        return note or "No passage retrieved."
    parts = [note]
    for n, h in enumerate(hits, 1):
        where = h.get("document_path") or "unknown source"
        heading = " > ".join(h.get("heading_path") or [])
        score = f" · score {h['score']:.2f}" if isinstance(h.get("score"), (int, float)) else ""
        parts.append(f"[{n}] {where}" + (f" — {heading}" if heading else "") + score + "\n" + (h.get("text") or "").strip())
    return "\n\n".join(parts)


def ask_task(state, ws, prompt: str, overrides: dict) -> dict:
    """Task body: ``models.playground_answer`` with the run options' overrides."""
    return models.playground_answer(ws, prompt, state=state, **overrides)


class PlaygroundBox(QWidget):
    """``PlaygroundBox(ctx, params)``: *params* is the compare view's ``RunParameters``."""

    def __init__(self, ctx, params: RunParameters, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.params = params
        self.result: dict | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.prompt_edit = QLineEdit()
        self.prompt_edit.setPlaceholderText("Type a prompt for the workspace chat model and press Enter")
        self.prompt_edit.returnPressed.connect(self.ask)
        self.ask_btn = QPushButton("Ask")
        self.ask_btn.clicked.connect(self.ask)
        row.addWidget(self.prompt_edit, 1)
        row.addWidget(self.ask_btn)
        lay.addLayout(row)
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        set_tone(self.target_label, "muted")
        lay.addWidget(self.target_label)
        self.strip = TaskStrip(ctx, self)
        lay.addWidget(self.strip)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.answer_view = QPlainTextEdit()
        self.answer_view.setReadOnly(True)
        self.context_view = QPlainTextEdit()
        self.context_view.setReadOnly(True)
        for view in (self.answer_view, self.context_view):
            view.setMinimumHeight(40)  # fits a 700-px window; the splitter gives them the rest
        split.addWidget(titled_column("Answer", self.answer_view)[0])
        split.addWidget(titled_column("Retrieved context (RAG)", self.context_view)[0])
        lay.addWidget(split, 1)
        self.params.changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """Say which model a prompt goes to and with what (the workspace defaults or the override)."""
        d = models.run_defaults(self.ctx.workspace)
        try:
            model, cred = models.deployed_target(self.ctx.workspace)
            target = f"{model} via {cred}"
        except models.ModelNotFound as exc:
            target = str(exc)
        cur = self.params.current()
        self.target_label.setText(f"Deployed chat model: {target} · temperature {cur['temperature']:.2f}, "
                                  f"max tokens {cur['max_tokens']} · RAG {'on' if d['rag_enabled'] else 'off'} "
                                  f"(AI Settings)")

    def ask(self):
        """Answer the typed prompt in the background (progress and Cancel in the strip)."""
        prompt = self.prompt_edit.text().strip()
        if not prompt or self.strip.busy:
            return None
        self.answer_view.setPlainText("")
        self.context_view.setPlainText("")
        return self.strip.run("Playground", ask_task, self.ctx.workspace, prompt, self.params.values(),
                              trigger=self.ask_btn, on_result=self._show, on_error=self._error)

    def _error(self, message: str) -> None:
        self.answer_view.setPlainText(f"[error] {message}")

    def _show(self, result: dict) -> None:
        self.result = result
        text = result["answer"] if result["answer"] is not None else f"[error] {result['error']}"
        self.answer_view.setPlainText(text)
        self.context_view.setPlainText(hits_text(result["hits"], result["rag_note"], result["rag_enabled"]))
        self.target_label.setText(f"Answered by {result['model']} via {result['credential']} · "
                                  f"temperature {result['params']['temperature']}, max tokens {result['params']['max_tokens']}"
                                  + (" (overridden)" if result["params"]["overridden"] else " (workspace defaults)"))
