"""The application window: a sidebar of panes, a stacked pane area, menus and the task list.

One ``AppContext`` (workspace, task manager, undo stack, events) per open workspace; opening
another workspace cancels and waits for running tasks, closes the old workspace and rebuilds
the context and its panes. Panes are listed in ``PANES`` (``ui.pane.PaneSpec``: title and where the
class lives); each is a ``ui.pane.Pane``, built when first shown or asked for — at start-up the
rest follow one per event-loop turn after the first paint.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop import APP_NAME
from fineflow_desktop.services.retrieval import vector_store
from fineflow_desktop.store.workspace import DB_NAME, Workspace, WorkspaceError, recent_workspaces
from fineflow_desktop.ui.builder import BuilderPane
from fineflow_desktop.ui.actions import MenuItem, PaneItem, Separator, ShortcutsDialog, build_menus
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.pane import Pane, PaneSpec
from fineflow_desktop.ui.shortcuts import make_action, shortcut_tip
from fineflow_desktop.ui.tasks_widget import TasksWidget
from fineflow_desktop.ui.validate import ValidatePane
from fineflow_desktop.workers import TaskManager

# Sidebar order. Feature panes are appended here as they land. A pane's module is imported when
# the pane is built (``PaneSpec``): at start only the visible pane and the ones the menus need.
PAIR_EDITOR = PaneSpec("Pair Editor", "fineflow_desktop.ui.pairs.pane", "PairsPane")
JOB_MONITOR = PaneSpec("Fine-tuning jobs", "fineflow_desktop.ui.jobs", "JobsPane")
SETTINGS = PaneSpec("Settings", "fineflow_desktop.ui.settings.pane", "SettingsPane")
PANES: list[PaneSpec] = [
    PaneSpec("Dataset Builder", "fineflow_desktop.ui.builder", "BuilderPane"),
    PAIR_EDITOR,
    PaneSpec("Validate & Export", "fineflow_desktop.ui.validate", "ValidatePane"),
    PaneSpec("Duplicates", "fineflow_desktop.ui.curation.duplicates_pane", "DuplicatesPane"),
    PaneSpec("Generation runs", "fineflow_desktop.ui.generation.runs_pane", "RunsPane"),
    JOB_MONITOR,
    PaneSpec("Models", "fineflow_desktop.ui.models", "ModelsPane"),
    PaneSpec("Templates", "fineflow_desktop.ui.templates.pane", "TemplatesPane"),
    PaneSpec("RAG Test", "fineflow_desktop.ui.curation.rag_pane", "RagTestPane"),
    PaneSpec("Embedding Sources", "fineflow_desktop.ui.curation.sources_pane", "EmbeddingSourcesPane"),
    PaneSpec("AI Settings", "fineflow_desktop.ui.curation.ai_config_pane", "AiConfigPane"),
    SETTINGS,
]

# The menu bar (``ui.actions``): window actions (text, window method, shortcut, tip) and the
# actions panes own, in menu order. It also feeds Help > Keyboard shortcuts.
MENU_TABLE = (
    MenuItem("&File", "new_workspace_action", "&New workspace…", "new_workspace_dialog", QKeySequence.StandardKey.New,
             "Create a workspace in an empty folder"),
    MenuItem("&File", "open_workspace_action", "&Open workspace…", "open_workspace_dialog", "Ctrl+O",
             "Open another workspace"),
    MenuItem("&File", "quit_action", "&Quit", "close", QKeySequence.StandardKey.Quit),
    Separator("&Edit"),
    PaneItem("&Dataset", BuilderPane, "import_files_action"),
    PaneItem("&Dataset", BuilderPane, "import_folder_action"),
    PaneItem("&Dataset", BuilderPane, "create_dataset_action"),
    MenuItem("&Dataset", "import_dataset_action", "Import &dataset file…", "open_import_dialog", "Ctrl+Shift+D",
             "Import pairs from JSONL / JSON / CSV / ChatGPT export"),
    Separator("&Dataset"),
    PaneItem("&Dataset", ValidatePane, "validate_action"),
    PaneItem("&Dataset", ValidatePane, "export_action"),
    MenuItem("&Dataset", "export_options_action", "Export &with options…", "open_export_dialog", "Ctrl+Shift+E",
             "Any format, split, validated only, provenance sidecar"),
    Separator("&View"),
    MenuItem("&Help", "shortcuts_action", "&Keyboard shortcuts", "show_shortcuts", "Ctrl+/",
             "Every shortcut of the menus and of the Pair Editor"),
    MenuItem("&Help", "open_log_folder_action", "Open &log folder", "open_log_folder",
             tip="Open the folder of FineFlow's log files (JSON Lines)"),
    MenuItem("&Help", "about_action", f"&About {APP_NAME}", "show_about"),
)

class MainWindow(QMainWindow):
    """Main window over one workspace at a time. ``ctx`` is the current ``AppContext``."""

    workspace_changed = Signal(object)  # the new AppContext

    def __init__(self, workspace: Workspace, synchronous_tasks: bool = False, parent: QWidget | None = None,
                 defer_panes: bool = False):
        """*defer_panes* (the app's start-up): build the visible pane and those the menus need
        now, the others one per event-loop turn after the first paint (or when first asked
        for), so the window paints before ten panes are built and their modules imported."""
        super().__init__(parent)
        self._synchronous_tasks = synchronous_tasks
        self._defer_panes = defer_panes
        self._built: dict[int, Pane] = {}  # PANES index -> pane of the current context
        self.setMinimumSize(QSize(960, 600))
        self.resize(1280, 800)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        side = QWidget()
        side.setObjectName("side")
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        side.setFixedWidth(180)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 6)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setSpacing(2)
        side_lay.addWidget(self.sidebar, 1)
        self.workspace_label = QLabel()
        self.workspace_label.setWordWrap(True)
        self.workspace_label.setObjectName("workspaceLabel")
        side_lay.addWidget(self.workspace_label)
        self.workspace_button = QPushButton("Open workspace…")
        self.workspace_button.setToolTip(shortcut_tip("Open another workspace", "Ctrl+O"))
        self.workspace_button.clicked.connect(self.open_workspace_dialog)
        button_row = QHBoxLayout()
        button_row.setContentsMargins(8, 0, 8, 0)
        button_row.addWidget(self.workspace_button)
        side_lay.addLayout(button_row)
        self.stack = QStackedWidget()
        lay.addWidget(side)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self._show_row)
        self.tasks_widget = TasksWidget()
        self.statusBar().addPermanentWidget(self.tasks_widget)
        self.ctx: AppContext | None = None
        self._install(workspace)

    # ---- context and panes -------------------------------------------------------------

    def _make_context(self, workspace: Workspace) -> AppContext:
        tasks = TaskManager(self, synchronous=self._synchronous_tasks)
        return AppContext(workspace=workspace, tasks=tasks, undo_stack=QUndoStack(self), events=Events(self))

    def _install(self, workspace: Workspace) -> None:
        ctx = self._make_context(workspace)
        self.ctx = ctx
        current = max(self.sidebar.currentRow(), 0)
        self.sidebar.blockSignals(True)  # rows are added before their panes exist
        self.sidebar.clear()
        for spec in PANES:
            self.stack.addWidget(QWidget())  # placeholder until the pane is built
            QListWidgetItem(spec.title, self.sidebar)
        self.sidebar.blockSignals(False)
        self.tasks_widget.set_manager(ctx.tasks)
        ctx.events.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.sidebar.setCurrentRow(min(current, len(PANES) - 1))
        self._show_row(self.sidebar.currentRow())
        self._build_menus()  # builds the panes that own menu actions (Builder, Validate)
        if self._defer_panes:
            self._pending = [i for i in range(len(PANES)) if i not in self._built]
            self._first_paint_seen = False
        else:
            for i in range(len(PANES)):
                self._build(i)
        self.setWindowTitle(f"{APP_NAME} — {workspace.name}  ({workspace.path})")
        self.workspace_label.setText(f"Workspace: {workspace.name}")
        self.workspace_label.setToolTip(str(workspace.path))
        self.workspace_changed.emit(ctx)

    def _teardown(self) -> None:
        """Stop tasks, drop the panes and close the workspace of the current context."""
        ctx = self.ctx
        if ctx is None:
            return
        self._pending = []  # panes not built yet are never built for this context
        for pane in self._built.values():
            pane.shutdown()  # e.g. the job monitor: no new poll passes while the tasks stop
        ctx.tasks.shutdown()
        # Deliver queued finished/result signals while the panes still exist.
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._built = {}
        ctx.undo_stack.clear()
        vector_store.forget(ctx.workspace)  # cached FAISS handle of this workspace
        ctx.workspace.close()
        for obj in (ctx.tasks, ctx.undo_stack, ctx.events):
            obj.deleteLater()  # children of the window: do not pile up across workspace switches
        self.ctx = None

    @property
    def panes(self) -> list[Pane]:
        """The panes built so far, in sidebar order (all of them unless *defer_panes*)."""
        return [self._built[i] for i in sorted(self._built)]

    def pane(self, cls: type | PaneSpec) -> Pane:
        """The pane of class (or ``PANES`` entry) *cls*, built now if it was not yet."""
        for i, spec in enumerate(PANES):
            if spec.names(cls):
                return self._build(i)
        raise KeyError(getattr(cls, "__name__", cls))

    def built_pane(self, cls: type) -> Pane | None:
        """The pane of class *cls* if it has been built, else None (never builds it)."""
        return next((p for p in self._built.values() if isinstance(p, cls)), None)

    def _build(self, index: int) -> Pane:
        """Build the pane of ``PANES[index]`` in place of its placeholder (once per context)."""
        pane = self._built.get(index)
        if pane is not None:
            return pane
        pane = PANES[index].load()(self.ctx)
        self._built[index] = pane
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, pane)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._connect_pane(pane)
        return pane

    def _connect_pane(self, pane: Pane) -> None:
        """Requests a pane makes of the window (open a dataset, a pair, another pane)."""
        for name, slot in (("open_dataset_requested", self.show_dataset_in_pairs),
                           ("open_pair_requested", self.show_pair),
                           ("validate_dataset_requested", lambda ds: self.show_pane(ValidatePane).select(ds)),
                           ("open_job_requested", lambda job_id: self.show_pane(JOB_MONITOR).select_job(job_id))):
            signal = getattr(pane, name, None)
            if signal is not None:
                signal.connect(slot)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(PANES):
            self._build(row)
            self.stack.setCurrentIndex(row)

    def event(self, event) -> bool:  # noqa: D102 - Qt API
        if (self._defer_panes and event.type() == QEvent.Type.Paint and self._pending
                and not self._first_paint_seen):
            self._first_paint_seen = True
            from fineflow_desktop.core.tokens import preload_in_background

            preload_in_background()  # the Templates pane counts tokens as it builds
            QTimer.singleShot(0, self._build_next_pending)
        return super().event(event)

    def _build_next_pending(self) -> None:
        """Build one deferred pane, then yield to the event loop before the next."""
        while self._pending and self._pending[0] in self._built:
            self._pending.pop(0)
        if self.ctx is None or not self._pending:
            return
        self._build(self._pending.pop(0))
        if self._pending:
            QTimer.singleShot(0, self._build_next_pending)

    @property
    def builder(self) -> BuilderPane:
        return self.pane(BuilderPane)

    @property
    def pairs(self) -> Pane:
        return self.pane(PAIR_EDITOR)

    @property
    def validate(self) -> ValidatePane:
        return self.pane(ValidatePane)

    @property
    def jobs(self) -> Pane:
        return self.pane(JOB_MONITOR)

    def show_pane(self, cls: type) -> Pane:
        """Bring the pane of class *cls* to the front and return it."""
        pane = self.pane(cls)
        self.sidebar.setCurrentRow(self.stack.indexOf(pane))
        return pane

    def show_dataset_in_pairs(self, dataset_id: int) -> None:
        """Open *dataset_id* in the Pair Editor."""
        self.show_pane(PAIR_EDITOR).show_dataset(dataset_id)

    def show_pair(self, dataset_id: int, pair_id: int) -> None:
        """Open *dataset_id* in the Pair Editor with *pair_id* selected (e.g. from a validation problem)."""
        pairs = self.show_pane(PAIR_EDITOR)
        if pairs.dataset_id != dataset_id:
            pairs.show_dataset(dataset_id)
        pairs.select_pair(pair_id)  # the pane says so itself when filters hide the pair

    def open_import_dialog(self) -> QDialog:
        """File-based dataset import (preview, format override, column mapping, report)."""
        from fineflow_desktop.ui.importer import ImportDialog

        dialog = ImportDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_export_dialog(self) -> QDialog:
        """Export with every option, for the dataset chosen in Validate & Export."""
        from fineflow_desktop.ui.importer import ExportDialog

        dialog = ExportDialog(self.ctx, self, dataset_id=self.validate.dataset_id())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ---- menus ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        """The menu bar from ``MENU_TABLE``; Open Recent, Undo/Redo and the pane list are filled in
        after it (they depend on the workspace and on ``PANES``)."""
        bar = self.menuBar()
        bar.clear()
        menus = build_menus(self, bar, MENU_TABLE)
        file_menu, edit_menu = menus["&File"], menus["&Edit"]
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.insertMenu(self.quit_action, self.recent_menu)
        file_menu.insertSeparator(self.quit_action)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.ctx.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        view_menu = menus["&View"]
        for i, spec in enumerate(PANES):
            # "&&": a single "&" would make the next letter an accelerator ("Validate _Export")
            act = make_action(self, spec.title.replace("&", "&&"), lambda _=False, c=spec: self.show_pane(c), f"Ctrl+{i + 1}")
            view_menu.addAction(act)

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help > Keyboard shortcuts: every menu shortcut and the Pair Editor's review keys
        (non-modal; returned for tests)."""
        from fineflow_desktop.ui.pairs.help import SHORTCUTS as REVIEW_SHORTCUTS

        dlg = ShortcutsDialog(self.menuBar(), REVIEW_SHORTCUTS, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        current = self.ctx.workspace.path if self.ctx else None
        items = [p for p in recent_workspaces() if p != current]
        for path in items:
            act = self.recent_menu.addAction(str(path))
            act.triggered.connect(lambda _=False, p=path: self.switch_workspace(p))
        self.recent_menu.setEnabled(bool(items))

    def open_log_folder(self) -> bool:
        """Help > Open log folder: the platform's log folder in the file manager."""
        from fineflow_desktop.logs import log_dir
        from fineflow_desktop.ui.crash import open_folder

        return open_folder(log_dir())

    def show_about(self) -> QDialog:
        """Help > About: versions and licences (non-modal; returned for tests)."""
        from fineflow_desktop.ui.about import show_about

        return show_about(self)

    # ---- workspaces ---------------------------------------------------------------------

    def new_workspace_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "New workspace — choose an empty folder")
        if path:
            if any(Path(path).iterdir()) and not (Path(path) / DB_NAME).exists():
                answer = QMessageBox.question(self, "Folder is not empty", f"{path} is not empty. Create the workspace in it anyway?")
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self.switch_workspace(Path(path), create=True)

    def open_workspace_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open workspace — choose a workspace folder")
        if path:
            self.switch_workspace(Path(path), create=False)

    def switch_workspace(self, path: Path, create: bool = False) -> bool:
        """Close the current workspace and open *path*; True on success.

        If tasks are running the user is asked first. If *path* cannot be opened the current
        workspace stays open and the reason is shown.
        """
        path = Path(path)
        if self.ctx and path.resolve() == self.ctx.workspace.path:
            return True
        running = self.ctx.tasks.running() if self.ctx else []
        if running and not self._confirm_cancel(running, "open another workspace"):
            return False
        try:
            new_ws = Workspace.open(path, create=create)
        except WorkspaceError as exc:
            QMessageBox.critical(self, "Cannot open workspace", str(exc))
            return False
        self._teardown()
        self._install(new_ws)
        self.statusBar().showMessage(f"Opened workspace {new_ws.path}", 8000)
        return True

    def _confirm_cancel(self, running: list, doing: str) -> bool:
        names = "\n".join(f"• {t.title}" for t in running)
        answer = QMessageBox.question(
            self, "Tasks are running", f"These tasks are still running:\n{names}\n\nCancel them and {doing}?"
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        """On quit running tasks are cancelled and waited for, then the workspace is closed.

        If API keys are kept for this session only (no keyring), the user is asked first.
        """
        settings = self._built.get(PANES.index(SETTINGS))  # session-only keys are entered there
        if settings is not None and settings.has_session_keys() and not self.confirm_lose_session_keys():
            event.ignore()
            return
        self._teardown()
        event.accept()

    def confirm_lose_session_keys(self) -> bool:
        """Ask whether to quit although session-only keys will be forgotten (a seam for tests)."""
        answer = QMessageBox.warning(
            self, "Keys will be forgotten",
            "Some API keys are kept for this session only (the system keyring is not available). "
            "They will be forgotten when FineFlow quits, and you will have to enter them again.\n\nQuit anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes
