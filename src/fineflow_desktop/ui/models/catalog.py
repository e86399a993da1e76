"""The catalog tab of the Models pane: the table of fine-tuned models (and their checkpoints, each
a model of its own) with created date, usage and last comparison; a line of links to the source
job and dataset; actions: add by id, add the job's checkpoints, archive / unarchive, deploy as
the workspace chat model (and restore the previous one), delete (at the provider where its API
can — the confirmation says what will be asked)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
    QPushButton, QVBoxLayout, QWidget,
)

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services import models
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.models import catalog_text
from fineflow_desktop.ui.models import format as fmt
from fineflow_desktop.ui.models.tables import CatalogTableModel
from fineflow_desktop.ui.tables import make_single_select_table, with_empty_label


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
    """``CatalogView(ctx)``; ``compare_requested(model_id)`` asks the pane to open the compare tab;
    ``open_job_requested(job_id)`` / ``open_dataset_requested(dataset_id)`` /
    ``open_comparison_requested(comparison_id)`` follow the links of the detail line."""

    compare_requested = Signal(str)
    open_job_requested = Signal(int)
    open_dataset_requested = Signal(int)
    open_comparison_requested = Signal(int)
    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.previous_default: str | None = None  # shown (and restorable) after a deploy
        self.last_delete = None  # DeleteResult of the last delete (shown in the status bar)
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_toolbar())
        lay.addWidget(self._build_table(), 1)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("catalogDetail")
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setWordWrap(True)
        self.detail_label.linkActivated.connect(self._on_link)
        lay.addWidget(self.detail_label)
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
        self.checkpoints_btn = QPushButton("Add checkpoints")
        self.checkpoints_btn.setToolTip("Ask the provider for the saved checkpoints of this model's job and add each "
                                        "as a model (usable for compare and deploy)")
        self.checkpoints_btn.clicked.connect(self.add_checkpoints)
        self.delete_btn = QPushButton("Delete…")
        self.delete_btn.setToolTip("Delete the model at its provider where the API allows it, and from the catalog")
        self.delete_btn.clicked.connect(lambda: self.delete_selected())
        for b in (self.add_btn, self.archive_btn, self.deploy_btn, self.compare_btn, self.checkpoints_btn,
                  self.delete_btn):
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
        # Checkpoint ids differ only at the end (":ckpt-step-48"): elide in the middle.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)  # wrapped at "-" first, the end of the id was lost
        for col, width in enumerate((235, 70, 100, 240, 65, 95, 120, 125)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_selection())
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
        self._update_selection()

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

    def _selected_row(self) -> dict | None:
        idx = self.table.selectionModel().currentIndex()
        return self.model.row_dict(idx.row()) if idx.isValid() else None

    def _update_selection(self) -> None:
        row = self._selected_row()
        m = row["record"] if row else None
        for b in (self.archive_btn, self.deploy_btn, self.compare_btn, self.checkpoints_btn, self.delete_btn):
            b.setEnabled(m is not None)
        if m is None:
            self.detail_label.setText("")
            return
        self.archive_btn.setText("Unarchive" if m.status == "archived" else "Archive")
        self.deploy_btn.setEnabled(m.status == "active" and not m.deployed)
        self.checkpoints_btn.setEnabled(m.job_id is not None and m.source != "checkpoint")
        self.detail_label.setText(catalog_text.detail_html(m, row["last"], fmt.last_comparison_text(row["last"])))

    def _on_link(self, href: str) -> None:
        kind, _sep, ident = href.partition(":")
        signal = {"job": self.open_job_requested, "dataset": self.open_dataset_requested,
                  "comparison": self.open_comparison_requested}.get(kind)
        if signal is not None and ident.isdigit():
            signal.emit(int(ident))

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
        # AI Settings, the run dialog and template previews read the chat model from the settings
        self.ctx.events.announce({Effect.SETTINGS}, self)
        return result

    def restore_previous(self) -> None:
        previous = models.restore_previous_default(self.ctx.workspace)
        self.previous_default = None
        if previous:
            self.ctx.events.status_message.emit(f"Restored {previous} as the workspace chat model")
        self.reload()
        self.ctx.events.announce({Effect.SETTINGS}, self)

    def add_checkpoints(self) -> None:
        """Ask the provider (a task) for the selected model's job checkpoints; each becomes a model."""
        m = self.selected()
        if m is None or m.job_id is None:
            return
        self.ctx.ops.run(f"Checkpoints of {m.model_id}", lambda _state, ws, ref: models.add_checkpoints(ws, ref),
                         self.ctx.workspace, m.id, trigger=self.checkpoints_btn, on_result=self._checkpoints_added,
                         on_finished=self._update_selection,  # after ops re-enabled the trigger
                         on_error=lambda msg: QMessageBox.warning(self, "Add checkpoints", msg), initiator=self)

    def _checkpoints_added(self, added: list) -> None:
        self.reload()
        if added:
            self.select_model(added[0].model_id)
            self.changed.emit()
        n = len(added)
        self.ctx.events.status_message.emit(f"Added {n} checkpoint{'s' if n != 1 else ''} as models" if n
                                            else "No new checkpoints: the provider reports none this catalog lacks")

    def delete_selected(self, confirm: bool = True) -> None:
        """Delete the selected model after a confirmation that says what the provider will be asked
        (``services.models.delete_support``); the provider call runs as a task."""
        m = self.selected()
        if m is None:
            return
        asks, what = models.delete_support(m)
        if confirm:
            box = QMessageBox(QMessageBox.Icon.Warning, "Delete model",
                              f"Delete {m.model_id}?\n\n{what[0].upper() + what[1:]}."
                              + ("\n\nThis cannot be undone at the provider." if asks else ""),
                              QMessageBox.StandardButton.Cancel, self)
            box.setObjectName("deleteModelBox")
            delete = box.addButton("Delete at provider" if asks else "Remove from catalog",
                                   QMessageBox.ButtonRole.DestructiveRole)
            box.exec()
            if box.clickedButton() is not delete:
                return
        self.ctx.ops.run(f"Deleting {m.model_id}", lambda _state, ws, ref: models.delete_model(ws, ref),
                         self.ctx.workspace, m.id, trigger=self.delete_btn, on_result=self._deleted,
                         on_finished=self._update_selection,
                         on_error=lambda msg: QMessageBox.warning(self, "Delete model", f"{msg}\n\nKept in the catalog."),
                         effects={Effect.SETTINGS} if m.deployed else set(), initiator=self)

    def _deleted(self, res) -> None:
        self.last_delete = res
        text = f"Removed {res.model_id} from the catalog; provider: {res.provider_message}"
        if res.chat_model:
            text += f"; the workspace chat model is {res.chat_model} again"
            self.previous_default = None
        self.ctx.events.status_message.emit(text)
        self.reload()
        self.changed.emit()

    def _on_compare(self) -> None:
        m = self.selected()
        if m is not None:
            self.compare_requested.emit(m.model_id)
