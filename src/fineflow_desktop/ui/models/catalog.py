"""The catalog tab of the Models pane: the table of fine-tuned models and its actions (add by
id, archive / unarchive, deploy as the workspace chat model and restore the previous one)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
    QPushButton, QVBoxLayout, QWidget,
)

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import models
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.ui.models.tables import CatalogTableModel
from fineflow_desktop.ui.tables import ID_ROLE, make_single_select_table, with_empty_label


class AddModelDialog(QDialog):
    """Asks for a model id, the credential that reaches it and (optionally) its base model."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add a model by id")
        form = QFormLayout(self)
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText("e.g. ft:gpt-4o-mini:acme::abc123")
        self.model_edit.setMinimumWidth(320)
        self.cred_combo = QComboBox()
        for info in creds.list_credentials(ctx.workspace):
            self.cred_combo.addItem(f"{info.name} ({info.provider})", info.name)
        self.base_edit = QLineEdit()
        self.base_edit.setPlaceholderText("optional, e.g. gpt-4o-mini")
        form.addRow("Model id:", self.model_edit)
        form.addRow("Credential:", self.cred_combo)
        form.addRow("Base model:", self.base_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, str | None]:
        return self.model_edit.text().strip(), self.cred_combo.currentData() or "", self.base_edit.text().strip() or None


class CatalogView(QWidget):
    """``CatalogView(ctx)``; ``compare_requested(model_id)`` asks the pane to open the compare tab."""

    compare_requested = Signal(str)
    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.previous_default: str | None = None  # shown (and restorable) after a deploy
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_toolbar())
        lay.addWidget(self._build_table(), 1)
        lay.addLayout(self._build_deploy_row())
        self.reload()

    # ---- builders -----------------------------------------------------------------------------

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.add_btn = QPushButton("Add by id…")
        self.add_btn.setToolTip("Add a model trained elsewhere by its model id")
        self.add_btn.clicked.connect(self.open_add_dialog)
        self.archive_btn = QPushButton("Archive")
        self.archive_btn.clicked.connect(self.toggle_archived)
        self.deploy_btn = QPushButton("Deploy")
        self.deploy_btn.setToolTip("Make the selected model the workspace's default chat model (AI configuration)")
        self.deploy_btn.clicked.connect(self.deploy_selected)
        self.compare_btn = QPushButton("Compare…")
        self.compare_btn.setToolTip("Compare the selected model with its base model (or any other model)")
        self.compare_btn.clicked.connect(self._on_compare)
        for b in (self.add_btn, self.archive_btn, self.deploy_btn, self.compare_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        self.refresh_btn = QPushButton("Refresh")
        self.refresh_btn.clicked.connect(self.reload)
        bar.addWidget(self.refresh_btn)
        return bar

    def _build_table(self) -> QWidget:
        self.model = CatalogTableModel(self)
        self.table = make_single_select_table(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # keep the service's newest-first order
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((210, 75, 110, 150, 70, 95)):  # "Last comparison" keeps its title at 1100 px
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        box, self.empty_label = with_empty_label(
            self.table, "No models yet. Models of completed fine-tuning jobs appear here; "
                        "“Add by id…” adds a model trained elsewhere.")
        return box

    def _build_deploy_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.deploy_label = QLabel()
        self.deploy_label.setObjectName("deployStatus")
        self.deploy_label.setWordWrap(True)
        self.restore_btn = QPushButton("Restore previous default")
        self.restore_btn.setEnabled(False)
        self.restore_btn.clicked.connect(self.restore_previous)
        row.addWidget(self.deploy_label, 1)
        row.addWidget(self.restore_btn)
        return row

    # ---- data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the catalog (adds completed jobs' models) and the workspace chat model."""
        current = self.selected()
        ws = self.ctx.workspace
        comps = {c["id"]: c for c in models.list_comparisons(ws)}
        records = models.list_models(ws)
        self.model.set_rows([{"id": m.id, "record": m, "last": comps.get(m.last_comparison_id)} for m in records])
        self.empty_label.setVisible(not records)
        row = self.model.row_of_id(current.id) if current is not None else -1
        if row < 0 and records:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        text = f"Workspace chat model: {get_ai_config(ws)['chat_model']}"
        if self.previous_default:
            text += f" · previous default: {self.previous_default}"
        self.deploy_label.setText(text)
        self.restore_btn.setEnabled(bool(self.previous_default))
        self._update_buttons()

    def selected(self):
        """The selected ``ModelRecord`` (None when nothing is selected)."""
        idx = self.table.selectionModel().currentIndex() if self.table.selectionModel() else None
        if idx is None or not idx.isValid():
            return None
        row = self.model.row_dict(idx.row())
        return row["record"] if row else None

    def select_model(self, model_id: str) -> bool:
        for i, r in enumerate(self.model.rows()):
            if r["record"].model_id == model_id:
                self.table.selectRow(i)
                return True
        return False

    def _update_buttons(self) -> None:
        m = self.selected()
        for b in (self.archive_btn, self.deploy_btn, self.compare_btn):
            b.setEnabled(m is not None)
        if m is not None:
            self.archive_btn.setText("Unarchive" if m.status == "archived" else "Archive")
            self.deploy_btn.setEnabled(m.status == "active" and not m.deployed)

    # ---- actions ------------------------------------------------------------------------------

    def open_add_dialog(self) -> None:
        dlg = AddModelDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.add_model(*dlg.values())

    def add_model(self, model_id: str, credential: str, base_model: str | None = None):
        """Add a model by id; a bad id or credential is shown, not raised. Returns the record or None."""
        try:
            rec = models.add_model(self.ctx.workspace, model_id, credential, base_model)
        except ValueError as exc:  # CredentialError is a ValueError
            QMessageBox.warning(self, "Add model", str(exc))
            return None
        self.reload()
        self.select_model(rec.model_id)
        self.changed.emit()
        return rec

    def toggle_archived(self) -> None:
        m = self.selected()
        if m is None:
            return
        models.set_archived(self.ctx.workspace, m.id, m.status != "archived")
        self.reload()
        self.changed.emit()

    def deploy_selected(self) -> dict | None:
        """Deploy the selected model; shows the previous default and enables Restore."""
        m = self.selected()
        if m is None:
            return None
        try:
            result = models.deploy_model(self.ctx.workspace, m.id)
        except ValueError as exc:
            QMessageBox.warning(self, "Deploy", str(exc))
            return None
        if result["previous"] != result["model_id"]:
            self.previous_default = result["previous"]
        self.ctx.events.status_message.emit(f"Deployed {result['model_id']} as the workspace chat model")
        self.reload()
        return result

    def restore_previous(self) -> None:
        previous = models.restore_previous_default(self.ctx.workspace)
        self.previous_default = None
        if previous:
            self.ctx.events.status_message.emit(f"Restored {previous} as the workspace chat model")
        self.reload()

    def _on_compare(self) -> None:
        m = self.selected()
        if m is not None:
            self.compare_requested.emit(m.model_id)
