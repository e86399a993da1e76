"""Dataset Builder pane: import documents (drop, Import files/folder), see documents and their
chunks, filter chunks by quality, review flagged chunks, create a dataset.

Long work (import, generation) runs through ``ctx.tasks`` with a progress bar and Cancel here
(and in the status-bar task list). The pane calls services only; it computes nothing itself.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.core.extractive import explain_nothing
from fineflow_desktop.services.datasets import NothingExtracted, generate_extractive, list_datasets
from fineflow_desktop.services.documents import list_documents
from fineflow_desktop.core.ingest import ParseError
from fineflow_desktop.core.ingest.xlsx import xlsx_headers
from fineflow_desktop.services.ingest import collect_files, ingest_paths
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.builder.chunk_views import ChunksView, FlaggedView
from fineflow_desktop.ui.builder.generate_dialog import GenerateDialog
from fineflow_desktop.ui.builder.models import DocumentsModel
from fineflow_desktop.ui.builder.widgets import DropZone, ProgressStrip, ResultBanner
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.shortcuts import make_action
from fineflow_desktop.ui.tables import ElideRightDelegate, make_table, titled_column
from fineflow_desktop.workers import Task
from fineflow_desktop.ui.style import set_primary, set_tone

LIVE_REFRESH_MS = 1000  # documents list refresh while an import runs


def run_ingest(state: TaskState, ws: Workspace, paths: list[str], parser_options: dict | None = None) -> dict:
    """Task body: import *paths*; returns plain values for the main thread."""
    report = ingest_paths(ws, [Path(p) for p in paths], state, parser_options=parser_options)
    return {"summary": report.to_dict(), "errors": [(str(p), str(r)) for p, r in report.errors]}


def run_generate(state: TaskState, ws: Workspace, options: dict) -> dict:
    """Task body: extractive generation with the dialog's options. When nothing could be
    extracted the report carries ``nothing``: the service's explanation (why, what to try)."""
    try:
        return generate_extractive(ws, state=state, **options)
    except NothingExtracted as exc:
        return {"dataset": options.get("dataset_name"), "mode": options.get("mode"), "pairs_added": 0,
                "sections": exc.stats.get("sections", 0), "dataset_id": None,
                "nothing": explain_nothing(exc.stats, options.get("mode", "qa"), for_cli=False)}


def describe_paths(paths: list[str]) -> str:
    """``Import guide.md`` / ``Import 3 items`` — a short task title."""
    if len(paths) == 1:
        return f"Import {Path(paths[0]).name or paths[0]}"
    return f"Import {len(paths)} items"


class BuilderPane(Pane):
    """Documents → chunks → dataset. Emits ``open_dataset_requested(id)`` for the Pair Editor."""

    title = "Dataset Builder"
    reload_on = {Effect.DOCUMENTS, Effect.CHUNKS}
    open_dataset_requested = Signal(int)

    def build(self) -> None:
        self.setAcceptDrops(True)
        self.current_task: Task | None = None
        self._changes_documents = False
        self.pending_imports: list[list[str]] = []
        self.last_dataset_id: int | None = None
        self._live = QTimer(self)
        self._live.setInterval(LIVE_REFRESH_MS)

        self.import_files_action = make_action(self, "Import &files…", self.import_files_dialog, "Ctrl+I", "Import files")
        self.import_folder_action = make_action(
            self, "Import f&older…", self.import_folder_dialog, "Ctrl+Shift+I", "Import a folder (recursive)"
        )
        self.create_dataset_action = make_action(
            self, "&Create dataset…", self.create_dataset_dialog, "Ctrl+G", "Create a dataset from the ready documents"
        )

        self._build_messages()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 6)
        lay.addLayout(self._build_toolbar())
        lay.addWidget(self.progress_box)
        lay.addWidget(self.banner)
        lay.addWidget(self.drop_zone)
        left = self._build_documents_column()
        self._build_chunk_tabs()

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([560, 640])
        split.setChildrenCollapsible(False)
        lay.addWidget(split, 1)

    def connect_signals(self) -> None:
        self._live.timeout.connect(self.refresh_documents)
        self.progress_box.cancel_requested.connect(self.cancel_current)
        self.banner.open_requested.connect(self._open_last_dataset)
        self.docs_table.selectionModel().currentRowChanged.connect(self._document_selected)
        self.flagged_view.count_changed.connect(lambda n: self.tabs.setTabText(1, f"Flagged chunks ({n})"))

    def reload(self) -> None:
        self.refresh()

    # ---- layout pieces ---------------------------------------------------------------------

    def _tool_button(self, action: QAction) -> QToolButton:
        btn = QToolButton()
        btn.setDefaultAction(action)
        btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        btn.setMinimumHeight(30)
        return btn

    def _build_messages(self) -> None:
        """Under the toolbar: the task progress strip, the result banner and the drop zone."""
        self.progress_box = ProgressStrip()
        self.progress_bar, self.progress_label = self.progress_box.bar, self.progress_box.label
        self.cancel_button = self.progress_box.cancel_button
        self.banner = ResultBanner()
        self.banner_label, self.open_pairs_button = self.banner.label, self.banner.open_button
        self.drop_zone = DropZone()
        # Empty workspace: one click imports the bundled sample (services.sample) to try the main job.
        self.try_sample_action = make_action(self, "Try it with sample documents", self.try_sample,
                                             tip="Import 11 short documents, one per supported format "
                                                 "(Python documentation excerpts, PSF licence)")
        self.try_sample_button = self._tool_button(self.try_sample_action)
        self.drop_zone.layout().addWidget(self.try_sample_button)

    def _build_documents_column(self) -> QWidget:
        """The titled Documents table (left of the splitter)."""
        self.docs_model = DocumentsModel(self)
        self.docs_table = make_table(self.docs_model)
        self.docs_table.setSelectionMode(self.docs_table.SelectionMode.SingleSelection)
        header = self.docs_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # name takes the free width
        for col, width in enumerate((0, 44, 66, 54, 80, 96)):  # "1,004,555" tokens fits
            if width:
                self.docs_table.setColumnWidth(col, width)
        self.docs_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        left, _, self.docs_title = titled_column("Documents", self.docs_table)
        left.setMinimumWidth(360)  # the path column stays readable next to the numbers at 1100 px
        self.docs_table.setTextElideMode(Qt.TextElideMode.ElideLeft)  # "…/library/index.rst.txt": the name shows
        self._status_delegate = ElideRightDelegate(self.docs_table)  # a message reads from its start
        self.docs_table.setItemDelegateForColumn(DocumentsModel.STATUS_COLUMN, self._status_delegate)
        return left

    def _build_chunk_tabs(self) -> None:
        """The "Chunks & quality" and "Flagged chunks" tabs (right of the splitter)."""
        self.chunks_view = ChunksView(self.ctx)
        self.flagged_view = FlaggedView(self.ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.chunks_view, "Chunks && quality")
        self.tabs.addTab(self.flagged_view, "Flagged chunks")

    def _build_toolbar(self) -> QHBoxLayout:
        """The top row: Import files, Import folder, Create dataset and the workspace summary."""
        bar = QHBoxLayout()
        self.import_files_button = self._tool_button(self.import_files_action)
        self.import_folder_button = self._tool_button(self.import_folder_action)
        self.create_dataset_button = self._tool_button(self.create_dataset_action)
        set_primary(self.create_dataset_button)
        bar.addWidget(self.import_files_button)
        bar.addWidget(self.import_folder_button)
        bar.addSpacing(16)
        bar.addWidget(self.create_dataset_button)
        bar.addStretch(1)
        self.summary_label = QLabel()
        set_tone(self.summary_label, "muted")
        bar.addWidget(self.summary_label)
        return bar

    def show_banner(self, text: str, ok: bool = True, dataset_id: int | None = None) -> None:
        """Show an outcome; with *dataset_id* the banner offers “Open in Pair Editor”."""
        if dataset_id is not None:
            self.last_dataset_id = dataset_id
        self.banner.show_message(text, ok, with_open=dataset_id is not None)

    # ---- refresh -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload documents, chunks, histogram and flagged list from the workspace."""
        self.refresh_documents()
        self.chunks_view.refresh()
        self.flagged_view.refresh()

    def refresh_documents(self) -> None:
        selected = self.selected_document_id()
        docs = list_documents(self.ctx.workspace)
        self.docs_model.set_rows(docs)  # keeps the user's sort order
        if selected is not None:
            row = self.docs_model.row_of_id(selected)
            if row >= 0:
                self.docs_table.selectionModel().blockSignals(True)
                self.docs_table.selectRow(row)
                self.docs_table.selectionModel().blockSignals(False)
        failed = sum(1 for d in docs if d.get("status") == "error")
        chunks = sum(int(d.get("n_chunks") or 0) for d in docs)
        tokens = sum(int(d.get("n_tokens") or 0) for d in docs)
        self.docs_title.setText(f"Documents ({len(docs)})")
        text = f"{len(docs)} documents · {chunks:,} chunks · {tokens:,} tokens"
        if failed:
            text += f" · {failed} failed"
        self.summary_label.setText(text)
        self.create_dataset_action.setEnabled(self.current_task is None and len(docs) > failed)
        self.try_sample_button.setVisible(not docs)

    def selected_document_id(self) -> int | None:
        idx = self.docs_table.selectionModel().currentIndex()
        row = self.docs_model.row_dict(idx.row()) if idx.isValid() else None
        return row["id"] if row else None

    def _document_selected(self, current, _previous) -> None:
        row = self.docs_model.row_dict(current.row()) if current.isValid() else None
        if row is None:
            self.chunks_view.set_document(None)
            return
        self.chunks_view.set_document(row["id"], row.get("name", ""))
        self.tabs.setCurrentWidget(self.chunks_view)

    # ---- import ---------------------------------------------------------------------------------

    def import_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import files")
        if files:
            self.import_paths(files)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import folder (recursive)")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str | Path]) -> None:
        """Import files/folders as a task; queued if another job of this pane is running."""
        paths = [str(p) for p in paths]
        if not paths:
            return
        if self.current_task is not None:
            self.pending_imports.append(paths)
            self.ctx.events.status_message.emit(f"{describe_paths(paths)} queued")
            return
        options = self._ask_xlsx_column(paths)
        if options is False:
            return  # the user cancelled the column choice
        self._start(describe_paths(paths), run_ingest, paths, options, on_result=self._import_done,
                    label="Importing…", bar_format="%v / %m files", changes_documents=True)

    def try_sample(self) -> Task | None:
        """Import the bundled sample documents (no questions asked: default parser options)."""
        from fineflow_desktop.services.sample import sample_files

        if self.current_task is not None:
            return None
        files = [str(p) for p in sample_files()]
        return self._start("Import sample documents", run_ingest, files, None, on_result=self._import_done,
                           label="Importing…", bar_format="%v / %m files", changes_documents=True)

    ALL_COLUMNS = "(every column, as 'header: value' lines)"

    def _ask_xlsx_column(self, paths: list[str]) -> dict | None | bool:
        """For Excel files among *paths*, ask which column holds the text (issue 3: "a text
        column chosen by the user"). Returns parser options, None for the default, False if
        the user cancelled."""
        workbooks = [p for p in collect_files([Path(x) for x in paths])[0] if p.suffix.lower() in (".xlsx", ".xlsm")]
        if not workbooks:
            return None
        headers: list[str] = []
        for wb in workbooks[:20]:
            try:
                headers += [h for h in xlsx_headers(wb) if h not in headers]
            except ParseError:
                continue  # the import itself records the error for that file
        if not headers:
            return None
        choice, ok = self.choose_item(
            "Excel text column",
            f"{len(workbooks)} Excel file(s): which column holds the text to import?",
            [self.ALL_COLUMNS, *headers],
        )
        if not ok:
            return False
        if choice == self.ALL_COLUMNS:
            return None
        return {".xlsx": {"text_column": choice}, ".xlsm": {"text_column": choice}}

    def choose_item(self, title: str, label: str, items: list[str]) -> tuple[str, bool]:
        """Ask for one of *items* (a seam for tests)."""
        return QInputDialog.getItem(self, title, label, items, 0, False)

    def _import_done(self, result: dict) -> None:
        s, errors = result["summary"], result["errors"]
        text = (
            f"Imported {s.get('imported', 0)} of {s.get('files_seen', 0)} file(s): "
            f"{s.get('chunks', 0):,} chunks, {s.get('tokens', 0):,} tokens"
        )
        extras = []
        if s.get("duplicate_chunks"):
            extras.append(f"{s['duplicate_chunks']} duplicate chunks marked")
        if s.get("flagged_chunks"):
            extras.append(f"{s['flagged_chunks']} chunks flagged for review")
        if s.get("unchanged_skipped"):
            extras.append(f"{s['unchanged_skipped']} unchanged file(s) skipped")
        if s.get("unsupported_skipped"):
            extras.append(f"{s['unsupported_skipped']} unsupported file(s) ignored")
        if extras:
            text += "; " + ", ".join(extras)
        text += "."
        if errors:
            text += f"\n{len(errors)} file(s) could not be imported: they are listed in red (hover for the reason)."
        self.show_banner(text, ok=not errors)

    # ---- generation -------------------------------------------------------------------------------

    def create_dataset_dialog(self) -> None:
        docs = self.docs_model.rows()
        ready = [d for d in docs if d.get("status") != "error"]
        names = {d["name"] for d in list_datasets(self.ctx.workspace)}
        dlg = GenerateDialog(names, len(ready), sum(int(d.get("n_chunks") or 0) for d in ready), self)
        self.generate_dialog = dlg  # tests drive the open dialog
        dlg.accepted.connect(lambda: self.start_generation(dlg.options()))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()

    def start_generation(self, options: dict) -> Task | None:
        """Run extractive generation with *options* (``GenerateDialog.options()``) as a task."""
        if self.current_task is not None:
            self.show_banner("Wait for the running task to finish (or cancel it) before creating a dataset.", ok=False)
            return None
        return self._start(f"Create dataset {options['dataset_name']}", run_generate, options,
                           on_result=self._generation_done, label="Extracting pairs…", bar_format="%v / %m sections",
                           effects={Effect.DATASETS, Effect.PAIRS},
                           effects_of=lambda report: {"dataset_id": report.get("dataset_id")})

    def _generation_done(self, report: dict) -> None:
        n = report.get("pairs_added", 0)
        text = f"Dataset “{report.get('dataset')}”: {n} {report.get('mode', '')} pairs extracted from {report.get('sections', 0)} sections."
        if report.get("nothing"):
            text = f"Dataset “{report.get('dataset')}” was not created: {report['nothing']}"
        self.show_banner(text, ok=n > 0, dataset_id=report.get("dataset_id"))

    def _open_last_dataset(self) -> None:
        if self.last_dataset_id is not None:
            self.open_dataset_requested.emit(self.last_dataset_id)

    # ---- running task ---------------------------------------------------------------------------------

    def _start(self, title: str, fn, *args, on_result, label: str, bar_format: str,
               changes_documents: bool = False, effects=(), effects_of=None) -> Task:
        """Run ``fn(state, workspace, *args)`` through ``ctx.ops`` with this pane's progress strip."""
        self._changes_documents = changes_documents
        self.banner.hide()
        self.progress_box.start(title, label, bar_format)
        if changes_documents:
            self._live.start()  # the documents list fills in while the import runs
            # also after a cancel or error: the files finished before are stored
            effects = {Effect.DOCUMENTS, Effect.CHUNKS}
        return self.ctx.ops.run(
            title, fn, self.ctx.workspace, *args, trigger=self.create_dataset_action,
            on_started=self._on_started, on_progress=self.progress_box.set_progress, on_result=on_result,
            on_error=lambda msg: self.show_banner(f"{title} failed: {msg}", ok=False),
            on_cancelled=lambda: self.show_banner(f"{title} cancelled. Work finished before the cancel is kept.",
                                                  ok=False),
            on_finished=self._on_finished, effects=effects, effects_of=effects_of, initiator=self,
        )

    def _on_started(self, task: Task) -> None:
        self.current_task = task

    def _on_finished(self) -> None:
        self._live.stop()
        self.current_task = None
        self.progress_box.hide()
        self.refresh_documents()  # also re-enables "Create dataset…"
        if self._changes_documents:
            self.chunks_view.refresh()
            self.flagged_view.refresh()
        if self.pending_imports:
            self.import_paths(self.pending_imports.pop(0))

    def cancel_current(self) -> None:
        """Cancel the running import/generation (and drop queued imports)."""
        self.pending_imports.clear()
        if self.current_task is not None:
            self.current_task.cancel()

    # ---- drag and drop ------------------------------------------------------------------------------------

    @staticmethod
    def _local_paths(event) -> list[str]:
        md = event.mimeData()
        if not md.hasUrls():
            return []
        return [u.toLocalFile() for u in md.urls() if u.isLocalFile() and u.toLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if self._local_paths(event):
            event.acceptProposedAction()
            self.drop_zone.set_active(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._local_paths(event):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt API
        self.drop_zone.set_active(False)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        self.drop_zone.set_active(False)
        paths = self._local_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_paths(paths)
