"""History and Compare tabs: the version list with actions, and the two-version diff.

History rows come from ``services.templates.history`` (changeset per version versus its
parent). Compare shows any two versions in the reusable ``DiffView`` (default: the selected
version against its parent) with the metadata changes listed above the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.templates.changeset import compute_changeset
from fineflow_desktop.services import templates as svc
from fineflow_desktop.ui.templates.models import HistoryModel
from fineflow_desktop.ui.tables import make_single_select_table
from fineflow_desktop.ui.widgets.diff_view import DiffView


class HistoryPanel(QWidget):
    """Versions newest first with Open, Publish, Restore, Branch and Compare actions."""

    open_requested = Signal(int)  # version number to load into the editor
    compare_requested = Signal(int, int)  # left number, right number
    changed = Signal()  # a new version or a status change was stored

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.slug: str | None = None
        self.model = HistoryModel(self)
        self.table = make_single_select_table(self.model, self.fontMetrics().height() + 8, self)
        self.table.setObjectName("historyTable")
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.open_button = QPushButton("Open in editor", self)
        self.publish_button = QPushButton("Publish", self)
        self.restore_button = QPushButton("Restore as new version", self)
        self.restore_button.setToolTip("Rollback: save a new version equal to the selected one")
        self.branch_button = QPushButton("Branch draft", self)
        self.branch_button.setToolTip("Start a new draft from the selected version")
        self.compare_button = QPushButton("Compare with parent", self)
        self.message_label = QLabel(self)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        for b in (self.open_button, self.publish_button, self.restore_button, self.branch_button, self.compare_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message_label)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.open_button.clicked.connect(self._open)
        self.publish_button.clicked.connect(self._publish)
        self.restore_button.clicked.connect(self._restore)
        self.branch_button.clicked.connect(self._branch)
        self.compare_button.clicked.connect(self._compare)
        self._update_buttons()

    def load(self, slug: str | None) -> None:
        """Show the history of *slug* (None clears); keeps the selected version if it still exists."""
        keep = self.selected().version.number if self.selected() and slug == self.slug else None
        self.slug = slug
        self.model.set_items(svc.history(self.ctx.workspace, slug) if slug else [])
        if keep is not None:
            self.select_number(keep)
        self._update_buttons()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select_number(self, number: int) -> None:
        for r, entry in enumerate(self.model.items):
            if entry.version.number == number:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        e = self.selected()
        for b in (self.open_button, self.restore_button, self.branch_button):
            b.setEnabled(e is not None)
        self.compare_button.setEnabled(e is not None and e.version.parent_number is not None)
        self.publish_button.setEnabled(e is not None and not e.version.is_active)
        self.publish_button.setText("Make active" if e and e.version.status == "published" else "Publish")

    def _open(self) -> None:
        e = self.selected()
        if e:
            self.open_requested.emit(e.version.number)

    def _act(self, fn, done: str) -> None:
        e = self.selected()
        if e is None or self.slug is None:
            return
        try:
            v = fn(self.ctx.workspace, self.slug, e.version.number)
        except svc.TemplateServiceError as exc:
            self.message_label.setText(str(exc))
            return
        self.message_label.setText(done.format(old=e.version.number, new=v.number))
        self.changed.emit()
        self.select_number(v.number)

    def _publish(self) -> None:
        self._act(svc.publish, "v{new} is now the active published version.")

    def _restore(self) -> None:
        self._act(svc.restore, "Restored v{old} as new draft v{new}.")

    def _branch(self) -> None:
        self._act(svc.branch, "New draft v{new} branched from v{old}.")

    def _compare(self) -> None:
        e = self.selected()
        if e and e.version.parent_number:
            self.compare_requested.emit(e.version.parent_number, e.version.number)


class ComparePanel(QWidget):
    """Two version pickers over a ``DiffView``."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.slug: str | None = None
        self.left_combo = QComboBox(self)
        self.right_combo = QComboBox(self)
        self.swap_button = QPushButton("⇄ Swap", self)
        self.diff_view = DiffView(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("From", self))
        row.addWidget(self.left_combo, 1)
        row.addWidget(self.swap_button)
        row.addWidget(QLabel("to", self))
        row.addWidget(self.right_combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.diff_view, 1)
        self.left_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.right_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.swap_button.clicked.connect(self.swap)
        self._filling = False

    def load(self, slug: str | None) -> None:
        """Fill the pickers with the versions of *slug*; default: latest vs its parent."""
        self.slug = slug
        versions = svc.list_versions(self.ctx.workspace, slug) if slug else []
        self._filling = True
        try:
            for combo in (self.left_combo, self.right_combo):
                combo.clear()
                for v in versions:
                    note = f" — {v.note}" if v.note else ""
                    combo.addItem(f"v{v.number} · {v.status}{note}", v.number)
        finally:
            self._filling = False
        if versions:
            latest = versions[-1]
            self.compare(latest.parent_number or latest.number, latest.number)
        else:
            self.diff_view.set_texts("", "")

    def compare(self, left: int, right: int) -> None:
        """Show version *left* against version *right*."""
        self._filling = True
        try:
            self.left_combo.setCurrentIndex(self.left_combo.findData(left))
            self.right_combo.setCurrentIndex(self.right_combo.findData(right))
        finally:
            self._filling = False
        self.refresh()

    def swap(self) -> None:
        a, b = self.left_combo.currentData(), self.right_combo.currentData()
        if a is not None and b is not None:
            self.compare(b, a)

    def refresh(self) -> None:
        if self._filling or self.slug is None:
            return
        a, b = self.left_combo.currentData(), self.right_combo.currentData()
        if a is None or b is None:
            return
        left, right = svc.version(self.ctx.workspace, self.slug, a), svc.version(self.ctx.workspace, self.slug, b)
        cs = compute_changeset(left.snapshot(), right.snapshot())
        self.diff_view.set_texts(
            left.body, right.body, left_title=f"v{left.number} ({left.status})", right_title=f"v{right.number} ({right.status})",
            metadata=[c.describe() for c in cs.fields],
        )
