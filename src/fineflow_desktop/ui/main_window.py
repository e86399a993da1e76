"""The application window: a sidebar of panes, a stacked pane area, menus and the task list.

One ``AppContext`` (workspace, task manager, undo stack, events) per open workspace; opening
another workspace cancels and waits for running tasks, closes the old workspace and rebuilds
the context and every pane. Panes are listed in ``PANES``; each is a ``ui.pane.Pane``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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

from fineflow_desktop import APP_NAME, __version__
from fineflow_desktop.services import vector_store
from fineflow_desktop.store.workspace import DB_NAME, Workspace, WorkspaceError, recent_workspaces
from fineflow_desktop.ui.builder import BuilderPane
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.curation import AiConfigPane, DuplicatesPane, EmbeddingSourcesPane, RagTestPane
from fineflow_desktop.ui.importer import ExportDialog, ImportDialog
from fineflow_desktop.ui.pairs.pane import PairsPane
from fineflow_desktop.ui.shortcuts import make_action, shortcut_tip
from fineflow_desktop.ui.generation.runs_pane import RunsPane
from fineflow_desktop.ui.settings.pane import SettingsPane
from fineflow_desktop.ui.tasks_widget import TasksWidget
from fineflow_desktop.ui.templates.pane import TemplatesPane
from fineflow_desktop.ui.validate import ValidatePane
from fineflow_desktop.workers import TaskManager

# Sidebar order. Feature panes are appended here as they land.
PANES: list[type[Pane]] = [
    BuilderPane, PairsPane, ValidatePane, DuplicatesPane, RunsPane, TemplatesPane,
    RagTestPane, EmbeddingSourcesPane, AiConfigPane, SettingsPane,
]

# Third-party notices shown in Help > About. The vocab files ship inside the package.
LICENCE_LINES = [
    ("FineFlow Desktop", "MIT licence"),
    ("Qt 6 / PySide6", "LGPL-3.0 (The Qt Company)"),
    ("tiktoken and its o200k_base / cl100k_base vocabulary files", "MIT licence (OpenAI); vocab files shipped unmodified, sha256-verified"),
    ("WordLlama embeddings (opt-in; the default embedder is model-free)",
     "MIT code; weights derive from Llama 2 token embeddings (Llama 2 Community License) — see "
     "resources/licenses/WORDLLAMA-NOTICE.txt in the package"),
    ("SQLAlchemy, Alembic", "MIT licence"),
    ("pyqtgraph", "MIT licence"),
    ("numpy", "BSD-3-Clause"),
    ("FAISS", "MIT licence (Meta)"),
    ("datasketch", "MIT licence"),
    ("charset-normalizer, platformdirs, keyring", "MIT licence"),
    ("beautifulsoup4, lxml", "MIT licence / BSD-3-Clause"),
]


def about_text() -> str:
    """HTML body of the About box: version and the licence list."""
    items = "".join(f"<li><b>{name}</b> — {lic}</li>" for name, lic in LICENCE_LINES)
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Turn documents and chat logs into clean fine-tuning datasets.</p>"
        f"<p>Licences of the parts it is built from:</p><ul>{items}</ul>"
    )


class MainWindow(QMainWindow):
    """Main window over one workspace at a time. ``ctx`` is the current ``AppContext``."""

    workspace_changed = Signal(object)  # the new AppContext

    def __init__(self, workspace: Workspace, synchronous_tasks: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._synchronous_tasks = synchronous_tasks
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
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.tasks_widget = TasksWidget()
        self.statusBar().addPermanentWidget(self.tasks_widget)
        self.ctx: AppContext | None = None
        self.panes: list[Pane] = []
        self._install(workspace)

    # ---- context and panes -------------------------------------------------------------

    def _make_context(self, workspace: Workspace) -> AppContext:
        tasks = TaskManager(self, synchronous=self._synchronous_tasks)
        return AppContext(workspace=workspace, tasks=tasks, undo_stack=QUndoStack(self), events=Events(self))

    def _install(self, workspace: Workspace) -> None:
        ctx = self._make_context(workspace)
        self.ctx = ctx
        current = max(self.sidebar.currentRow(), 0)
        self.sidebar.clear()
        for cls in PANES:
            pane = cls(ctx)
            self.panes.append(pane)
            self.stack.addWidget(pane)
            QListWidgetItem(cls.title, self.sidebar)
        self.sidebar.setCurrentRow(min(current, len(self.panes) - 1))
        self.tasks_widget.set_manager(ctx.tasks)
        ctx.events.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.builder.open_dataset_requested.connect(self.show_dataset_in_pairs)
        self.validate.open_pair_requested.connect(self.show_pair)
        self._build_menus()
        self.setWindowTitle(f"{APP_NAME} — {workspace.name}  ({workspace.path})")
        self.workspace_label.setText(f"Workspace: {workspace.name}")
        self.workspace_label.setToolTip(str(workspace.path))
        self.workspace_changed.emit(ctx)

    def _teardown(self) -> None:
        """Stop tasks, drop the panes and close the workspace of the current context."""
        ctx = self.ctx
        if ctx is None:
            return
        ctx.tasks.shutdown()
        # Deliver queued finished/result signals while the panes still exist.
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        for pane in self.panes:
            self.stack.removeWidget(pane)
            pane.deleteLater()
        self.panes = []
        ctx.undo_stack.clear()
        vector_store.forget(ctx.workspace)  # cached FAISS handle of this workspace
        ctx.workspace.close()
        for obj in (ctx.tasks, ctx.undo_stack, ctx.events):
            obj.deleteLater()  # children of the window: do not pile up across workspace switches
        self.ctx = None

    def pane(self, cls: type) -> Pane:
        """The pane instance of class *cls*."""
        for p in self.panes:
            if isinstance(p, cls):
                return p
        raise KeyError(cls.__name__)

    @property
    def builder(self) -> BuilderPane:
        return self.pane(BuilderPane)

    @property
    def pairs(self) -> PairsPane:
        return self.pane(PairsPane)

    @property
    def validate(self) -> ValidatePane:
        return self.pane(ValidatePane)

    def show_pane(self, cls: type) -> Pane:
        """Bring the pane of class *cls* to the front and return it."""
        pane = self.pane(cls)
        self.sidebar.setCurrentRow(self.panes.index(pane))
        return pane

    def show_dataset_in_pairs(self, dataset_id: int) -> None:
        """Open *dataset_id* in the Pair Editor."""
        self.show_pane(PairsPane).show_dataset(dataset_id)

    def show_pair(self, dataset_id: int, pair_id: int) -> None:
        """Open *dataset_id* in the Pair Editor with *pair_id* selected (e.g. from a validation problem)."""
        pairs = self.show_pane(PairsPane)
        if pairs.dataset_id != dataset_id:
            pairs.show_dataset(dataset_id)
        pairs.select_pair(pair_id)  # the pane says so itself when filters hide the pair

    def open_import_dialog(self) -> ImportDialog:
        """File-based dataset import (preview, format override, column mapping, report)."""
        dialog = ImportDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_export_dialog(self) -> ExportDialog:
        """Export with every option, for the dataset chosen in Validate & Export."""
        dialog = ExportDialog(self.ctx, self, dataset_id=self.validate.dataset_id())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ---- menus ---------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str | None = None) -> QAction:
        return make_action(self, text, slot, shortcut, tip)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        ctx = self.ctx
        file_menu = bar.addMenu("&File")
        self.new_workspace_action = self._action("&New workspace…", self.new_workspace_dialog, QKeySequence.StandardKey.New)
        self.open_workspace_action = self._action("&Open workspace…", self.open_workspace_dialog, "Ctrl+O", "Open another workspace")
        file_menu.addAction(self.new_workspace_action)
        file_menu.addAction(self.open_workspace_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        file_menu.addSeparator()
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = ctx.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = ctx.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        data_menu = bar.addMenu("&Dataset")
        builder, validate = self.builder, self.validate
        for act in (builder.import_files_action, builder.import_folder_action, builder.create_dataset_action):
            self._route(act, BuilderPane)
            data_menu.addAction(act)
        self.import_dataset_action = self._action("Import &dataset file…", self.open_import_dialog, "Ctrl+Shift+D",
                                                  "Import pairs from JSONL / JSON / CSV / ChatGPT export")
        data_menu.addAction(self.import_dataset_action)
        data_menu.addSeparator()
        for act in (validate.validate_action, validate.export_action):
            self._route(act, ValidatePane)
            data_menu.addAction(act)
        self.export_options_action = self._action("Export &with options…", self.open_export_dialog, "Ctrl+Shift+E",
                                                  "Any format, split, validated only, provenance sidecar")
        data_menu.addAction(self.export_options_action)

        view_menu = bar.addMenu("&View")
        for i, cls in enumerate(PANES):
            # "&&": a single "&" would make the next letter an accelerator ("Validate _Export")
            act = self._action(cls.title.replace("&", "&&"), lambda _=False, c=cls: self.show_pane(c), f"Ctrl+{i + 1}")
            view_menu.addAction(act)

        help_menu = bar.addMenu("&Help")
        self.about_action = self._action(f"&About {APP_NAME}", self.show_about)
        help_menu.addAction(self.about_action)

    def _route(self, action: QAction, cls: type) -> None:
        """Menu shortcuts work from any pane: bring the action's pane forward first."""
        action.triggered.connect(lambda _=False, c=cls: self.show_pane(c))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        current = self.ctx.workspace.path if self.ctx else None
        items = [p for p in recent_workspaces() if p != current]
        for path in items:
            act = self.recent_menu.addAction(str(path))
            act.triggered.connect(lambda _=False, p=path: self.switch_workspace(p))
        self.recent_menu.setEnabled(bool(items))

    def show_about(self) -> QDialog:
        """Help > About: version and licences (non-modal; returned for tests)."""
        dlg = QDialog(self)
        dlg.setWindowTitle(f"About {APP_NAME}")
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lay = QVBoxLayout(dlg)
        label = QLabel(about_text())
        label.setObjectName("aboutText")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setMinimumWidth(560)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(dlg.accept)
        lay.addWidget(buttons)
        dlg.open()
        return dlg

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
        if self.ctx is not None and self.pane(SettingsPane).has_session_keys() and not self.confirm_lose_session_keys():
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
