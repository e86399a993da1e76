"""Template editor: metadata, body with placeholder highlighting, live variables and syntax errors.

Saving always creates a new immutable version (draft) through ``services.templates``;
status actions move the loaded version to preview or publish it. The widget only shows and
asks: parsing and versioning happen in core/services.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.templates import OUTPUT_FORMATS
from fineflow_desktop.core.templates.render import check_syntax, variable_names
from fineflow_desktop.services import templates as svc
from fineflow_desktop.ui.templates.highlighter import PlaceholderHighlighter
from fineflow_desktop.ui.widgets.diff_style import monospace_font
from fineflow_desktop.ui.style import set_banner, set_heading



class TemplateEditor(QWidget):
    """Edits one template; ``version`` is the loaded version (the base of the next save)."""

    saved = Signal(int)  # id of the new version
    status_changed = Signal(int)  # id of the version whose status changed
    body_changed = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.template: svc.TemplateInfo | None = None
        self.version: svc.VersionInfo | None = None
        self._loading = False

        form = self._build_fields()
        self._build_body()
        actions, status_row = self._build_actions()

        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addLayout(form)
        layout.addWidget(QLabel("Body", self))
        layout.addWidget(self.body_edit, 1)
        layout.addWidget(self.variables_label)
        layout.addWidget(self.issues_label)
        layout.addLayout(actions)
        layout.addLayout(status_row)

        for w in (self.name_edit, self.description_edit, self.tags_edit):
            w.textChanged.connect(self._on_edit)
        self.format_combo.currentTextChanged.connect(self._on_edit)
        self.body_edit.textChanged.connect(self._on_body)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(lambda: self._set_status("preview"))
        self.publish_button.clicked.connect(lambda: self._set_status("published"))
        self.clear()

    # -- building (widgets get this editor as parent at creation: creation order = tab order) --
    def _build_fields(self) -> QFormLayout:
        """The heading and the name / description / tags / output-format form."""
        self.header_label = QLabel(self)
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        set_heading(self.header_label)
        self.header_label.setWordWrap(True)  # "builtin-auto · editing v1 (published, active) · …" is long
        self.name_edit = QLineEdit(self)
        self.description_edit = QLineEdit(self)
        self.tags_edit = QLineEdit(self)
        self.tags_edit.setPlaceholderText("comma-separated, e.g. support, faq")
        self.format_combo = QComboBox(self)
        self.format_combo.addItems(OUTPUT_FORMATS)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Name", self.name_edit)
        form.addRow("Description", self.description_edit)
        form.addRow("Tags", self.tags_edit)
        form.addRow("Output format", self.format_combo)
        return form

    def _build_body(self) -> None:
        """The highlighted body editor with its variables line and syntax-issue banner."""
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setObjectName("templateBody")
        self.body_edit.setFont(monospace_font())
        self.body_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.body_edit.setPlaceholderText("Prompt text with {{variables}} …")
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.highlighter = PlaceholderHighlighter(self.body_edit.document(), dark=dark)
        self.variables_label = QLabel(self)
        self.variables_label.setWordWrap(True)
        self.variables_label.setTextFormat(Qt.TextFormat.PlainText)
        self.issues_label = QLabel(self)
        self.issues_label.setObjectName("syntaxIssues")
        self.issues_label.setWordWrap(True)
        self.issues_label.setTextFormat(Qt.TextFormat.PlainText)
        set_banner(self.issues_label, "error")
        self.issues_label.hide()

    def _build_actions(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """The note + Save row and the message + Mark for preview / Publish row."""
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText("What changed and why (saved with the version)")
        self.save_button = QPushButton("Save new version", self)
        self.save_button.setToolTip("Every save creates a new immutable draft version (Ctrl+S)")
        self.save_button.setShortcut("Ctrl+S")
        self.preview_button = QPushButton("Mark for preview", self)
        self.publish_button = QPushButton("Publish", self)
        self.publish_button.setToolTip("Published versions drive generation; this one becomes the active version")
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)

        actions = QHBoxLayout()
        actions.addWidget(self.note_edit, 1)
        actions.addWidget(self.save_button)
        status_row = QHBoxLayout()
        status_row.addWidget(self.message_label, 1)
        status_row.addWidget(self.preview_button)
        status_row.addWidget(self.publish_button)
        return actions, status_row

    # -- state -------------------------------------------------------------------------
    def clear(self) -> None:
        self.template = self.version = None
        self._loading = True
        try:
            for w in (self.name_edit, self.description_edit, self.tags_edit, self.note_edit):
                w.clear()
            self.body_edit.setPlainText("")
        finally:
            self._loading = False
        self.header_label.setText("No template selected")
        self.setEnabled(False)
        self._refresh()

    def load(self, template: svc.TemplateInfo, version: svc.VersionInfo) -> None:
        """Show *version* of *template*; the next save is based on it."""
        self.template, self.version = template, version
        self._loading = True
        try:
            self.name_edit.setText(version.name)
            self.description_edit.setText(version.description)
            self.tags_edit.setText(", ".join(version.tags))
            self.format_combo.setCurrentText(version.output_format)
            self.body_edit.setPlainText(version.body)
            self.note_edit.clear()
        finally:
            self._loading = False
        self.setEnabled(True)
        self.message_label.clear()
        self._refresh()
        self.body_changed.emit(version.body)

    def body(self) -> str:
        return self.body_edit.toPlainText()

    def tags(self) -> list[str]:
        return [t.strip() for t in self.tags_edit.text().split(",") if t.strip()]

    def is_dirty(self) -> bool:
        v = self.version
        if v is None:
            return False
        return (self.body() != v.body or self.name_edit.text() != v.name or self.description_edit.text() != v.description
                or self.tags() != v.tags or self.format_combo.currentText() != v.output_format)

    def _on_edit(self, *_args) -> None:
        if not self._loading:
            self._refresh()

    def _on_body(self) -> None:
        if self._loading:
            return
        self._refresh()
        self.body_changed.emit(self.body())

    def _refresh(self) -> None:
        body = self.body()
        names = variable_names(body)
        self.variables_label.setText(f"Variables ({len(names)}): " + (", ".join(names) if names else "none"))
        issues = check_syntax(body)
        self.issues_label.setText("\n".join(f"Line {i.line}, column {i.column}: {i.message}" for i in issues))
        self.issues_label.setVisible(bool(issues))
        v, t = self.version, self.template
        dirty = self.is_dirty()
        if v is not None and t is not None:
            state = f"v{v.number} ({v.status}{', active' if v.is_active else ''})"
            pub = f" · active published version: v{t.published_number}" if t.published_number else " · nothing published yet"
            self.header_label.setText(f"{t.slug} · editing {state}{' · unsaved changes' if dirty else ''}{pub}")
        self.save_button.setEnabled(v is not None and dirty)
        clean = v is not None and not dirty
        self.preview_button.setEnabled(clean and v.status == "draft")
        can_publish = clean and not issues and not v.is_active
        self.publish_button.setEnabled(can_publish)
        self.publish_button.setText("Make active" if v is not None and v.status == "published" and not v.is_active else "Publish")

    # -- actions -----------------------------------------------------------------------
    def save(self) -> int | None:
        """Save the edits as a new version; returns its id (None if nothing was saved)."""
        if self.version is None or self.template is None:
            return None
        try:
            new = svc.edit_template(
                self.ctx.workspace, self.template.slug, body=self.body(), name=self.name_edit.text().strip() or self.template.slug,
                description=self.description_edit.text(), tags=self.tags(), output_format=self.format_combo.currentText(),
                note=self.note_edit.text().strip(), base_number=self.version.number,
            )
        except svc.TemplateServiceError as exc:
            self.message_label.setText(str(exc))
            return None
        self.load(svc.get_template(self.ctx.workspace, new.slug), new)
        self.message_label.setText(f"Saved v{new.number} (draft).")
        self.saved.emit(new.id)
        return new.id

    def _set_status(self, status: str) -> None:
        if self.version is None:
            return
        try:
            v = svc.set_status(self.ctx.workspace, self.version.id, status)
        except svc.TemplateServiceError as exc:
            self.message_label.setText(str(exc))
            return
        self.load(svc.get_template(self.ctx.workspace, v.slug), v)
        self.message_label.setText(
            f"v{v.number} published: it is now the active version." if status == "published" else f"v{v.number} marked for preview."
        )
        self.status_changed.emit(v.id)
