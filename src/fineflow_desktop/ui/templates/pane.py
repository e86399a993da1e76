"""The Templates pane: template list (search, tags), editor + live preview, history, compare, executions.

Built-in generation templates are seeded the first time the pane opens a workspace
(``ensure_builtin_templates``). Provider access for Execute / Re-run / Regenerate comes from
``provider_source`` (a callable returning ``{credential label: ChatProvider}``), set by the
app when the providers layer is present.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.templates import OUTPUT_FORMATS
from fineflow_desktop.core.templates.builtin import GENERATION_MODES
from fineflow_desktop.services import templates as svc
from fineflow_desktop.ui.effects import Changes, Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.templates.editor import TemplateEditor
from fineflow_desktop.ui.templates.executions import ExecutionsPanel
from fineflow_desktop.ui.templates.history import ComparePanel, HistoryPanel
from fineflow_desktop.ui.templates.preview import PreviewPanel
from fineflow_desktop.ui.style import set_tone

STARTER_BODY = "Answer the question about {{topic}} in {{language}}.\n"


class NewTemplateDialog(QDialog):
    """Asks for slug, name, output format, generation mode and the first body."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New template")
        self.slug_edit = QLineEdit(self)
        self.slug_edit.setPlaceholderText("e.g. support-faq (lowercase, digits, - _ .)")
        self.name_edit = QLineEdit(self)
        self.format_combo = QComboBox(self)
        self.format_combo.addItems(OUTPUT_FORMATS)
        self.mode_combo = QComboBox(self)
        self.mode_combo.addItem("(none)", None)
        for m in GENERATION_MODES:
            self.mode_combo.addItem(m, m)
        self.body_edit = QPlainTextEdit(STARTER_BODY, self)
        self.error_label = QLabel(self)
        set_tone(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Slug", self.slug_edit)
        form.addRow("Name", self.name_edit)
        form.addRow("Output format", self.format_combo)
        form.addRow("Generation mode", self.mode_combo)
        form.addRow("Body", self.body_edit)
        form.addRow(self.error_label)
        form.addRow(self.buttons)


class TemplatesPane(Pane):
    """Versioned prompt templates. ``Pane(ctx, parent)`` per ui/context.py."""

    title = "Templates"

    reload_on = {Effect.TEMPLATES, Effect.CREDENTIALS, Effect.SETTINGS}

    def __init__(self, ctx, parent: QWidget | None = None, provider_source: Callable[[], dict] | None = None):
        self._provider_source = provider_source
        super().__init__(ctx, parent)

    def build(self) -> None:
        ctx = self.ctx
        self._selecting = False
        self._current_slug: str | None = None
        # Asked before unsaved editor changes would be replaced; returns True to discard.
        self.confirm_discard: Callable[[], bool] = self._ask_discard

        left = self._build_list()
        self._build_tabs(self._provider_source)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.search_edit.textChanged.connect(lambda _t: self.refresh_list())
        self.tag_combo.currentIndexChanged.connect(lambda _i: self.refresh_list())
        self.template_list.currentItemChanged.connect(lambda *_: self._on_select())
        # lambdas: clicked(bool) would otherwise fill the optional parameters
        self.new_button.clicked.connect(lambda: self.new_template())
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button.clicked.connect(lambda: self.export_file())
        self.editor.body_changed.connect(self._on_body_changed)
        self.editor.saved.connect(lambda _id: self._after_change())
        self.editor.status_changed.connect(lambda _id: self._after_change())
        self.history.changed.connect(self._after_history_change)
        self.history.open_requested.connect(self.open_version)
        self.history.compare_requested.connect(self._compare)
        self.preview.executed.connect(lambda _id: self.executions.load(self._template_id()))
        svc.ensure_builtin_templates(ctx.workspace)

    def _build_list(self) -> QWidget:
        """The left column: search, tag filter, template list, New/Import/Export, list message."""
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search templates…")
        self.search_edit.setClearButtonEnabled(True)
        self.tag_combo = QComboBox(self)
        self.template_list = QListWidget(self)
        self.template_list.setObjectName("templateList")
        self.template_list.setAlternatingRowColors(True)
        self.template_list.setSpacing(1)
        self.template_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.template_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_button = QPushButton("New…", self)
        self.import_button = QPushButton("Import…", self)
        self.export_button = QPushButton("Export…", self)
        self.export_button.setToolTip("Export the selected template with every version as JSON")
        self.list_message = QLabel(self)
        self.list_message.setWordWrap(True)
        self.list_message.setTextFormat(Qt.TextFormat.PlainText)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.search_edit)
        ll.addWidget(self.tag_combo)
        ll.addWidget(self.template_list, 1)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.import_button, self.export_button):
            buttons.addWidget(b)
        ll.addLayout(buttons)
        ll.addWidget(self.list_message)
        return left

    def _build_tabs(self, provider_source: Callable[[], dict] | None) -> None:
        """The right side: Edit && preview (editor | preview), History, Compare, Executions tabs."""
        ctx = self.ctx
        self.editor = TemplateEditor(ctx, self)
        self.preview = PreviewPanel(ctx, self)
        if provider_source is None:  # the workspace's credentials (Settings pane)
            from fineflow_desktop.providers.registry import providers_by_name

            def provider_source():
                return providers_by_name(ctx.workspace)

        self.preview.provider_source = provider_source
        self.preview.refresh_providers()
        self.history = HistoryPanel(ctx, self)
        self.compare = ComparePanel(ctx, self)
        self.executions = ExecutionsPanel(ctx, lambda: self.preview.provider_source(), self)
        edit_split = QSplitter(Qt.Orientation.Horizontal, self)
        edit_split.addWidget(self.editor)
        edit_split.addWidget(self.preview)
        edit_split.setStretchFactor(0, 1)
        edit_split.setStretchFactor(1, 1)
        edit_split.setSizes([600, 600])
        edit_split.setChildrenCollapsible(False)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(edit_split, "Edit && preview")
        self.tabs.addTab(self.history, "History")
        self.tabs.addTab(self.compare, "Compare")
        self.tabs.addTab(self.executions, "Executions")

    def reload(self) -> None:
        self.refresh_list()
        if self.template_list.count() and self.template_list.currentRow() < 0:
            self.template_list.setCurrentRow(0)

    def on_changed(self, changes: Changes) -> None:
        if changes.touches({Effect.CREDENTIALS}):
            self.preview.refresh_providers()
        if changes.touches({Effect.TEMPLATES}):
            self.refresh_list()
        if changes.touches({Effect.SETTINGS}):  # AI Settings or a deploy changed the chat defaults
            self.preview.load_workspace_defaults()

    def _templates_changed(self) -> None:
        """This pane changed templates: refresh the list here, tell the other panes."""
        self.refresh_list()
        self.announce({Effect.TEMPLATES})

    # -- list --------------------------------------------------------------------------
    def selected_slug(self) -> str | None:
        item = self.template_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _template_id(self) -> int | None:
        slug = self.selected_slug()
        return svc.get_template(self.ctx.workspace, slug).id if slug else None

    def refresh_list(self) -> None:
        """Reload the list (search + tag filter), keeping the selection when possible."""
        ws = self.ctx.workspace
        tag = self.tag_combo.currentData()
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem("All tags", None)
        for t in svc.all_tags(ws):
            self.tag_combo.addItem(f"#{t}", t)
        idx = self.tag_combo.findData(tag)
        self.tag_combo.setCurrentIndex(max(idx, 0))
        self.tag_combo.blockSignals(False)
        keep = self.selected_slug()
        self._selecting = True
        try:
            self.template_list.clear()
            for t in svc.list_templates(ws, search=self.search_edit.text().strip() or None, tag=self.tag_combo.currentData()):
                pub = f"published v{t.published_number}" if t.published_number else "not published"
                item = QListWidgetItem(f"{t.name}\n{t.slug} · v{t.latest_number} {t.latest_status} · {pub}")
                item.setData(Qt.ItemDataRole.UserRole, t.slug)
                item.setToolTip(t.description or t.slug)
                if not t.active:
                    item.setForeground(self.palette().color(self.palette().ColorRole.PlaceholderText))
                self.template_list.addItem(item)
                if t.slug == keep:
                    self.template_list.setCurrentItem(item)
        finally:
            self._selecting = False
        if self.selected_slug() != keep or keep is None:
            self._on_select()

    def select(self, slug: str) -> None:
        """Select *slug* in the list (clearing filters if it is hidden by them)."""
        for _ in range(2):
            for i in range(self.template_list.count()):
                if self.template_list.item(i).data(Qt.ItemDataRole.UserRole) == slug:
                    self.template_list.setCurrentRow(i)
                    return
            self.search_edit.clear()
            self.tag_combo.setCurrentIndex(0)

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self, "Unsaved changes", "The template has unsaved changes. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _on_select(self) -> None:
        if self._selecting:
            return
        slug = self.selected_slug()
        if slug != self._current_slug and self.editor.is_dirty() and not self.confirm_discard():
            self._selecting = True  # put the selection back without reloading
            try:
                for i in range(self.template_list.count()):
                    if self.template_list.item(i).data(Qt.ItemDataRole.UserRole) == self._current_slug:
                        self.template_list.setCurrentRow(i)
            finally:
                self._selecting = False
            return
        self._current_slug = slug
        if slug is None:
            self.editor.clear()
            self.preview.set_body("")
            self.preview.set_version(None, False)
        else:
            self.open_version(None)
        self.history.load(slug)
        self.compare.load(slug)
        self.executions.load(self._template_id())

    def open_version(self, number: int | None) -> None:
        """Load version *number* (latest if None) of the selected template into the editor."""
        slug = self.selected_slug()
        if slug is None:
            return
        ws = self.ctx.workspace
        if number is not None and self.editor.is_dirty() and not self.confirm_discard():
            return
        self.editor.load(svc.get_template(ws, slug), svc.version(ws, slug, number))
        self.tabs.setCurrentIndex(0)
        self._on_body_changed(self.editor.body())

    def _on_body_changed(self, body: str) -> None:
        self.preview.set_body(body)
        v = self.editor.version
        self.preview.set_version(v.id if v else None, not self.editor.is_dirty())

    def _after_change(self) -> None:
        slug = self.selected_slug()
        self.history.load(slug)
        self.compare.load(slug)
        self._on_body_changed(self.editor.body())
        self._templates_changed()

    def _after_history_change(self) -> None:
        # A restore/branch/publish from History: show the newest state in the editor too.
        number = self.history.selected().version.number if self.history.selected() else None
        self.open_version(None)
        self.tabs.setCurrentWidget(self.history)
        self._after_change()
        if number is not None:
            self.history.select_number(number)

    def _compare(self, left: int, right: int) -> None:
        self.compare.compare(left, right)
        self.tabs.setCurrentWidget(self.compare)

    # -- create / import / export -------------------------------------------------------
    def new_template(self, dialog: NewTemplateDialog | None = None) -> str | None:
        """Show the New dialog (or use a prepared one, for tests) and create v1."""
        dlg = dialog or NewTemplateDialog(self)
        created: list[str] = []

        def accept() -> None:
            slug = dlg.slug_edit.text().strip()
            try:
                svc.create_template(
                    self.ctx.workspace, slug, dlg.body_edit.toPlainText(), name=dlg.name_edit.text().strip() or None,
                    output_format=dlg.format_combo.currentText(), mode=dlg.mode_combo.currentData(),
                )
            except svc.TemplateServiceError as exc:
                dlg.error_label.setText(str(exc))
                return
            created.append(slug)
            dlg.accept()

        dlg.buttons.accepted.connect(accept)
        if dialog is None:
            dlg.exec()
        else:
            accept()
        if not created:
            return None
        self._templates_changed()
        self.select(created[0])
        return created[0]

    def import_file(self, path: str | None = None) -> None:
        """Import a templates JSON file (asks for it when *path* is None); reports in the list footer."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import templates", "", "Templates JSON (*.json)")
            if not path:
                return
        try:
            report = svc.import_templates(self.ctx.workspace, path)
        except (svc.TemplateImportError, svc.TemplateServiceError) as exc:
            self.list_message.setText(str(exc))
            return
        self.list_message.setText(
            f"Imported {len(report.created)} template(s); {report.versions_added} version(s) added, "
            f"{report.versions_skipped} already present."
        )
        self._templates_changed()

    def export_file(self, path: str | None = None) -> None:
        """Export the selected template with all versions (asks for a file when *path* is None)."""
        slug = self.selected_slug()
        if slug is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export template", str(Path.home() / f"{slug}.json"), "JSON (*.json)")
            if not path:
                return
        n = svc.write_export(self.ctx.workspace, path, [slug])
        self.list_message.setText(f"Exported {n} template with all versions to {path}")
