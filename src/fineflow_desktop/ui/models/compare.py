"""The compare tab of the Models pane, which doubles as the playground: run a comparison of two
models on the same prompts in the background — prompts from model A's job's held-out split (the
default), a dataset, a file or typed / pasted text; the workspace's temperature, max tokens and
instructions unless overridden for the run; an optional judge model — then browse it: answers side
by side with the diff, the reference, scores (incl. cosine), the judge's verdict, votes (keys 1 /
2 / 3 / 0) and the summary; reopen stored comparisons and export them. The playground tab sends
one typed prompt to the deployed chat model with the instructions and the RAG context."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPlainTextEdit, QPushButton,
    QSpinBox, QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from fineflow_desktop.services import datasets as ds_service
from fineflow_desktop.services import models
from fineflow_desktop.ui.curation.task_strip import TaskStrip
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.models import format as fmt
from fineflow_desktop.ui.models.playground import PlaygroundBox
from fineflow_desktop.ui.models.run_options import JudgeOptions, RunParameters
from fineflow_desktop.ui.models.tables import ComparisonRowsModel
from fineflow_desktop.ui.style import set_tone
from fineflow_desktop.ui.tables import make_single_select_table, titled_column
from fineflow_desktop.ui.widgets.diff_view import DiffView

# Vote keys (issue 12 asks for keyboard shortcuts): 1 = A better, 2 = B better, 3 = tie, 0 = clear.
VOTE_KEYS = {Qt.Key.Key_1: "a", Qt.Key.Key_2: "b", Qt.Key.Key_3: "tie", Qt.Key.Key_0: None}
VOTE_BUTTONS = (("A better (1)", "a"), ("B better (2)", "b"), ("Tie (3)", "tie"), ("Clear vote (0)", None))
FILE_SOURCE = "file"
TYPED_SOURCE = "typed"
JOB_SOURCE = "job"


def run_comparison(state, ws, model_a: str, model_b: str, source: tuple[str, object], limit: int,
                   overrides: dict | None = None, judge=None):
    """Task body: read the prompts of *source* (``models.prompts_from_source``), then
    ``models.compare_models`` with the run's overrides and judge."""
    prompts, label = models.prompts_from_source(ws, source[0], source[1], limit)
    return models.compare_models(ws, model_a, model_b, prompts, prompt_source=label, state=state, judge=judge,
                                 **(overrides or {}))


class _VoteKeys(QObject):
    """Event filter of the results table: 1 / 2 / 3 / 0 vote on the current row."""

    def __init__(self, view: "CompareView"):
        super().__init__(view)
        self.view = view

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and event.key() in VOTE_KEYS \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.view.vote(VOTE_KEYS[event.key()])
            return True
        return False


class CompareView(QWidget):
    """``CompareView(ctx)``. ``comparison_changed(id)`` fires after a run or a vote."""

    comparison_changed = Signal(int)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.comparison: models.Comparison | None = None
        self.prompts_file: str | None = None
        # (kind, value) per "Prompts from" entry; combo data = index (findData does not match tuples)
        self.sources: list[tuple[str, object]] = []
        lay = QVBoxLayout(self)
        # The run's setup folds away once a comparison is shown, so the results get the height.
        self.setup_box = QWidget()
        setup = QVBoxLayout(self.setup_box)
        setup.setContentsMargins(0, 0, 0, 0)
        setup.addLayout(self._build_setup())
        self.typed_edit = QPlainTextEdit()
        self.typed_edit.setPlaceholderText("One prompt per line, or JSONL: {\"prompt\": \"…\", \"reference\": \"…\"} "
                                           "or {\"messages\": […]} per line")
        self.typed_edit.setMaximumHeight(60)
        self.typed_edit.setMinimumHeight(40)
        self.typed_edit.hide()
        setup.addWidget(self.typed_edit)
        setup.addLayout(self._build_options())
        lay.addWidget(self.setup_box)
        self.strip = TaskStrip(ctx, self)
        lay.addWidget(self.strip)
        lay.addLayout(self._build_stored_row())
        self.summary_label = QLabel("No comparison open.")
        self.summary_label.setObjectName("compareSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary_label)
        self.params_label = QLabel()
        self.params_label.setWordWrap(True)
        set_tone(self.params_label, "muted")
        lay.addWidget(self.params_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_results())
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(self._build_detail(), "Prompt and answers")
        self.playground = PlaygroundBox(ctx, self.run_params)
        self.detail_tabs.addTab(self.playground, "Playground (deployed model)")
        splitter.addWidget(self.detail_tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 340])
        lay.addWidget(splitter, 1)
        self.show_setup(True)
        self.reload_choices()

    # ---- builders -----------------------------------------------------------------------------

    def _build_setup(self) -> QHBoxLayout:
        row = QHBoxLayout()
        form_a = QFormLayout()
        self.model_a_combo = QComboBox()
        self.model_a_combo.setMinimumWidth(200)
        self.model_a_combo.currentIndexChanged.connect(self._model_a_changed)
        self.model_b_combo = QComboBox()
        self.model_b_combo.setEditable(True)
        self.model_b_combo.setMinimumWidth(160)
        self.model_b_combo.setToolTip("Type any model id, or pick a catalog model; defaults to A's base model")
        form_a.addRow("Model A:", self.model_a_combo)
        form_a.addRow("Model B:", self.model_b_combo)
        form_p = QFormLayout()
        src = QHBoxLayout()
        self.source_combo = QComboBox()
        self.source_combo.setMinimumWidth(160)
        self.source_combo.currentIndexChanged.connect(self._source_changed)
        self.file_btn = QPushButton("Prompts file…")
        self.file_btn.setToolTip("A text file (one prompt per line) or JSONL ({\"prompt\"|\"messages\", \"reference\"})")
        self.file_btn.clicked.connect(self.choose_prompts_file)
        src.addWidget(self.source_combo, 1)
        src.addWidget(self.file_btn)
        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(1, 10_000)
        self.limit_spin.setValue(models.DEFAULT_LIMIT)
        form_p.addRow("Prompts from:", src)
        form_p.addRow("Prompts (N):", self.limit_spin)
        self.run_btn = QPushButton("Run comparison")
        self.run_btn.clicked.connect(self.run)
        row.addLayout(form_a, 1)
        row.addLayout(form_p, 1)
        row.addWidget(self.run_btn, 0, Qt.AlignmentFlag.AlignBottom)
        return row

    def _build_options(self) -> QVBoxLayout:
        col = QVBoxLayout()
        self.run_params = RunParameters(self.ctx)
        self.judge = JudgeOptions(self.ctx)
        col.addWidget(self.run_params)
        col.addWidget(self.judge)
        return col

    def _build_stored_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.setup_btn = QPushButton()
        self.setup_btn.setCheckable(True)
        self.setup_btn.setChecked(True)
        self.setup_btn.toggled.connect(self.show_setup)
        row.addWidget(self.setup_btn)
        row.addWidget(QLabel("Stored:"))
        self.stored_combo = QComboBox()
        self.stored_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stored_combo.setMinimumContentsLength(30)
        row.addWidget(self.stored_combo, 1)
        self.open_btn = QPushButton("Open")
        self.open_btn.clicked.connect(lambda: self.stored_combo.currentData() is not None
                                      and self.open_comparison(self.stored_combo.currentData()))
        row.addWidget(self.open_btn)
        self.export_btn = QPushButton("Export…")
        self.export_btn.setToolTip("Save the open comparison as JSONL or CSV")
        self.export_btn.clicked.connect(lambda: self.export())
        self.export_btn.setEnabled(False)
        row.addWidget(self.export_btn)
        return row

    def _build_results(self) -> QWidget:
        self.rows_model = ComparisonRowsModel(self)
        self.table = make_single_select_table(self.rows_model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # Text columns share the width; numbers and the vote keep fixed widths.
        for col in range(self.rows_model.columnCount()):
            text = col in (1, 2, 3, 4)
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if text else QHeaderView.ResizeMode.Interactive)
        for col, width in ((0, 40), (5, 78), (6, 78), (7, 74), (8, 74), (9, 76), (10, 80)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_row(cur.row()))
        self.table.installEventFilter(_VoteKeys(self))
        self.table.setToolTip("Vote on the selected prompt: 1 = A better, 2 = B better, 3 = tie, 0 = clear")
        return self.table

    def _build_detail(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        votes = QHBoxLayout()
        self.vote_label = QLabel("Vote:")
        votes.addWidget(self.vote_label)
        self.vote_buttons = {}
        for text, vote in VOTE_BUTTONS:
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, v=vote: self.vote(v))
            votes.addWidget(b)
            self.vote_buttons[vote] = b
        votes.addStretch(1)
        lay.addLayout(votes)
        self.judge_label = QLabel()
        self.judge_label.setWordWrap(True)
        self.judge_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scores_label = QLabel()
        set_tone(self.scores_label, "muted")
        lay.addWidget(self.scores_label)
        lay.addWidget(self.judge_label)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.prompt_view = QPlainTextEdit()
        self.prompt_view.setReadOnly(True)
        self.reference_view = QPlainTextEdit()
        self.reference_view.setReadOnly(True)
        for view in (self.prompt_view, self.reference_view):
            view.setMinimumHeight(40)  # fits a 700-px window; the splitter gives them the rest
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(titled_column("Prompt", self.prompt_view)[0])
        left.addWidget(titled_column("Reference answer", self.reference_view)[0])
        self.diff = DiffView()
        split.addWidget(left)
        split.addWidget(self.diff)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        lay.addWidget(split, 1)
        return box

    # ---- choices ------------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Re-read catalog models, datasets, credentials, judge templates, the workspace defaults and
        stored comparisons into the pickers."""
        ws = self.ctx.workspace
        keep_a, keep_b = self.model_a_combo.currentData(), self.model_b_combo.currentText()
        records = [m for m in models.list_models(ws) if m.status == "active"]
        self.model_a_combo.blockSignals(True)
        self.model_a_combo.clear()
        for m in records:
            self.model_a_combo.addItem(m.model_id, m.model_id)
            self.model_a_combo.setItemData(self.model_a_combo.count() - 1, m.base_model, Qt.ItemDataRole.UserRole + 1)
        if keep_a is not None and self.model_a_combo.findData(keep_a) >= 0:
            self.model_a_combo.setCurrentIndex(self.model_a_combo.findData(keep_a))
        self.model_a_combo.blockSignals(False)
        self.model_b_combo.clear()
        names = [m.model_id for m in records] + sorted({m.base_model for m in records if m.base_model})
        self.model_b_combo.addItems(list(dict.fromkeys(names)))
        if keep_b:
            self.model_b_combo.setCurrentText(keep_b)
        else:
            self._default_model_b()
        self.reload_sources()
        self.run_params.reload()
        self.judge.reload()
        self.playground.reload()
        self.reload_stored()

    def reload_sources(self, prefer_job: bool = False) -> None:
        """Fill "Prompts from": model A's job's held-out split first (the default for a model made
        by a job), the datasets, the chosen file, typed prompts. *prefer_job*: select the job's
        split (model A changed) instead of keeping the current choice."""
        ws = self.ctx.workspace
        keep = None if prefer_job else self.current_source()
        self.sources, labels = [], []
        a = self.model_a_combo.currentData()
        job = models.job_of_model(ws, a) if a else None
        if job is not None and models.has_held_out(ws, job):
            info = models.held_out_info(ws, job)
            self.sources.append((JOB_SOURCE, job))
            labels.append(f"held-out split of job #{job} ({info['examples']} examples)")
        for d in ds_service.list_datasets(ws):
            self.sources.append(("dataset", d["name"]))
            labels.append(f"dataset: {d['name']} ({d['n_pairs']} pairs)")
        if self.prompts_file:
            self.sources.append((FILE_SOURCE, self.prompts_file))
            labels.append(f"file: {Path(self.prompts_file).name}")
        self.sources.append((TYPED_SOURCE, None))
        labels.append("typed / pasted prompts")
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        for i, text in enumerate(labels):
            self.source_combo.addItem(text, i)
        self.source_combo.blockSignals(False)
        if keep in self.sources:
            self.select_source(keep)
        else:
            self.source_combo.setCurrentIndex(0)
        self._source_changed()

    def current_source(self) -> tuple[str, object] | None:
        """``("job", id)``, ``("dataset", name)``, ``("file", path)`` or ``("typed", None)`` chosen
        in "Prompts from", None if none."""
        i = self.source_combo.currentData()
        return self.sources[i] if i is not None and 0 <= i < len(self.sources) else None

    def select_source(self, source: tuple[str, object] | None) -> None:
        if source in self.sources:
            self.source_combo.setCurrentIndex(self.sources.index(source))

    def _source_changed(self, *_a) -> None:
        src = self.current_source()
        self.typed_edit.setVisible(src is not None and src[0] == TYPED_SOURCE)

    def set_typed_prompts(self, text: str) -> None:
        """Choose typed prompts as the source with *text* (one per line or JSONL)."""
        self.select_source((TYPED_SOURCE, None))
        self.typed_edit.setPlainText(text)

    def reload_stored(self) -> None:
        keep = self.stored_combo.currentData()
        self.stored_combo.clear()
        for c in models.list_comparisons(self.ctx.workspace):
            self.stored_combo.addItem(fmt.comparison_title(c), c["id"])
        if keep is not None and self.stored_combo.findData(keep) >= 0:
            self.stored_combo.setCurrentIndex(self.stored_combo.findData(keep))

    def _default_model_b(self) -> None:
        base = self.model_a_combo.currentData(Qt.ItemDataRole.UserRole + 1)
        if base:
            self.model_b_combo.setCurrentText(base)

    def _model_a_changed(self, *_a) -> None:
        self._default_model_b()
        self.reload_sources(prefer_job=True)

    def set_model_a(self, model_id: str) -> None:
        """Pick *model_id* as model A (and its base model as B)."""
        self.reload_choices()
        i = self.model_a_combo.findData(model_id)
        if i >= 0:
            self.model_a_combo.setCurrentIndex(i)
            self._model_a_changed()
        self.show_setup(True)

    def choose_prompts_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Prompts file", "", "Prompts (*.jsonl *.json *.txt);;All files (*)")
            if not path:
                return
        self.prompts_file = path
        self.reload_sources()
        self.select_source((FILE_SOURCE, path))

    # ---- run ----------------------------------------------------------------------------------

    def run(self):
        """Start the comparison in the background (progress and Cancel in the strip)."""
        a, b = self.model_a_combo.currentData(), self.model_b_combo.currentText().strip()
        source = self.current_source()
        missing = [name for name, v in (("model A", a), ("model B", b), ("a prompt source", source)) if not v]
        if source is not None and source[0] == TYPED_SOURCE:
            if not self.typed_edit.toPlainText().strip():
                missing.append("typed prompts (one per line)")
            source = (TYPED_SOURCE, self.typed_edit.toPlainText())
        if missing:
            QMessageBox.warning(self, "Compare", "Choose " + ", ".join(missing) + " first.")
            return None
        try:
            judge = self.judge.spec()
        except ValueError as exc:
            QMessageBox.warning(self, "Compare", str(exc))
            return None
        self.run_btn.setEnabled(False)
        task = self.strip.run(f"Comparing {a} with {b}", run_comparison, self.ctx.workspace, a, b, source,
                              self.limit_spin.value(), self.run_params.values(), judge, on_result=self._on_done,
                              on_error=self._on_error, on_cancelled=self._on_cancelled,
                              # judge calls are template executions (audit)
                              effects={Effect.TEMPLATES} if judge else (), initiator=self)
        if task is None:
            self.run_btn.setEnabled(True)
        return task

    def _on_error(self, message: str) -> None:
        self.run_btn.setEnabled(True)
        QMessageBox.warning(self, "Compare failed", message)

    def show_setup(self, shown: bool = True) -> None:
        """Show or fold away the run's setup (models, prompts, parameters, judge)."""
        self.setup_box.setVisible(shown)
        if self.setup_btn.isChecked() != shown:
            self.setup_btn.setChecked(shown)
        self.setup_btn.setText("Hide setup ▴" if shown else "New comparison ▾")

    def _on_done(self, comparison) -> None:
        self.run_btn.setEnabled(True)
        self.show_setup(False)
        self.reload_stored()
        self.open_comparison(comparison.comparison_id)

    def _on_cancelled(self) -> None:
        # compare_models keeps the answered rows of a cancelled run; show them.
        self.run_btn.setEnabled(True)
        self.reload_stored()
        stored = models.list_comparisons(self.ctx.workspace)
        if stored:
            self.open_comparison(stored[0]["id"])

    # ---- browse -------------------------------------------------------------------------------

    def open_comparison(self, comparison_id: int) -> None:
        """Show a stored comparison (rows, summary) and select its first prompt."""
        comp = models.get_comparison(self.ctx.workspace, comparison_id)
        self.comparison = comp
        self.rows_model.set_rows([{**r, "id": r["idx"]} for r in comp.rows])
        i = self.stored_combo.findData(comp.comparison_id)
        if i >= 0:
            self.stored_combo.setCurrentIndex(i)
        self.export_btn.setEnabled(True)
        self._show_summary()
        if comp.rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def _show_summary(self) -> None:
        c = self.comparison
        head = f"Comparison #{c.comparison_id} ({c.status}): A = {c.model_a}, B = {c.model_b}\n"
        self.summary_label.setText(head + fmt.summary_text(c.summary, c.model_a, c.model_b))
        self.params_label.setText(fmt.params_text(c.params, c.prompt_source))

    def current_row(self) -> dict | None:
        idx = self.table.selectionModel().currentIndex()
        return self.rows_model.row_dict(idx.row()) if idx.isValid() else None

    def _show_row(self, row: int) -> None:
        r = self.rows_model.row_dict(row)
        if r is None or self.comparison is None:
            return
        self.prompt_view.setPlainText("\n\n".join(f"[{m.get('role')}] {m.get('content')}" for m in r["messages"] or []))
        self.reference_view.setPlainText(r["reference"] or "(no reference: the prompt did not come from a dataset)")
        a = r["a"] if r["a"] is not None else f"[error] {r['error_a'] or 'no answer'}"
        b = r["b"] if r["b"] is not None else f"[error] {r['error_b'] or 'no answer'}"
        sa, sb = (r["scores"].get("a") or {}), (r["scores"].get("b") or {})
        self.diff.set_texts(a, b, left_title=f"A: {self.comparison.model_a} · ROUGE-L {fmt.score(sa.get('rouge_l'))}"
                                             f" · cosine {fmt.score(sa.get('cosine'))}",
                            right_title=f"B: {self.comparison.model_b} · ROUGE-L {fmt.score(sb.get('rouge_l'))}"
                                        f" · cosine {fmt.score(sb.get('cosine'))}")
        self.scores_label.setText(fmt.row_scores_text(r["scores"]))
        self.judge_label.setText(fmt.judge_text(r.get("judge"), bool(self.comparison.params.get("judge"))))
        set_tone(self.judge_label, "error" if (r.get("judge") or {}).get("error") else None)
        self.vote_label.setText(f"Prompt {r['idx'] + 1} vote: {fmt.VOTE_TEXT[r['vote']] or 'none'}")

    def vote(self, vote: str | None) -> None:
        """Store *vote* on the selected prompt, update the summary and move to the next prompt."""
        r = self.current_row()
        if r is None or self.comparison is None:
            return
        summary = models.set_vote(self.ctx.workspace, self.comparison.comparison_id, r["idx"], vote)
        self.comparison.summary = summary
        self.rows_model.set_vote(r["idx"], vote)
        self._show_summary()
        row = self.table.selectionModel().currentIndex().row()
        if vote is not None and row + 1 < self.rows_model.rowCount():
            self.table.selectRow(row + 1)
        else:
            self._show_row(row)
        self.comparison_changed.emit(self.comparison.comparison_id)

    def export(self, path: str | None = None) -> Path | None:
        """Export the open comparison (JSONL or CSV by the file's suffix); asks for *path* when not given."""
        if self.comparison is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export comparison", f"comparison-{self.comparison.comparison_id}.jsonl",
                                                  "JSON Lines (*.jsonl);;CSV (*.csv)")
            if not path:
                return None
        out = models.export_comparison(self.ctx.workspace, self.comparison.comparison_id, path)
        self.ctx.events.status_message.emit(f"Exported comparison #{self.comparison.comparison_id} to {out}")
        return out
