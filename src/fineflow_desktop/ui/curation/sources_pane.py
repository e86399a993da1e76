"""Embedding Sources pane: what the index draws from, with active toggle, last refresh,
status, and Refresh / Test / Add / Delete actions (all service calls; refresh runs as a task)."""

from __future__ import annotations

import html
from datetime import timezone

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton,
    QVBoxLayout,
)

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.retrieval import (
    check_source, create_source, delete_source, list_sources, refresh_all, refresh_source, set_source_active,
)
from fineflow_desktop.services.retrieval import SourceError
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.curation.models import CheckColumnModel, _Index
from fineflow_desktop.ui.curation.task_strip import TaskStrip
from fineflow_desktop.ui.tables import make_single_select_table
from fineflow_desktop.ui.style import css


def run_refresh(state: TaskState, ws: Workspace, source_id: int | None) -> list[dict]:
    """Task body: refresh one source (or every active one with ``None``)."""
    return [refresh_source(ws, source_id, state)] if source_id is not None else refresh_all(ws, state)


def _when(value) -> str:
    """Stored naive UTC -> local time for display."""
    if not value:
        return "never"
    return value.replace(tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


class SourcesModel(CheckColumnModel):
    """Sources; column 0 (Active) is checkable and calls ``on_toggle(source, active)``."""

    check_key = "active"

    def __init__(self, on_toggle, parent=None):
        super().__init__(
            [
                ("Active", lambda s: "active" if s["active"] else "off"),
                ("Name", lambda s: s["name"]),
                ("Kind", lambda s: s["kind"]),
                ("Items", lambda s: s["n_items"]),
                ("Last refresh", lambda s: _when(s["last_refresh"])),
                ("Status", lambda s: s["status"] + (f": {s['message']}" if s["message"] else "")),
            ],
            on_toggle,
            parent,
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == 5 and role == Qt.ItemDataRole.ForegroundRole:
            row = self.row_dict(index.row())
            if row is not None and row["status"] == "error":
                return Qt.GlobalColor.red
        return super().data(index, role)


class EmbeddingSourcesPane(Pane):
    """The list of embedding sources and what to do with them."""

    title = "Embedding Sources"
    reload_on = {Effect.DOCUMENTS, Effect.SETTINGS}

    def build(self) -> None:
        ctx = self.ctx
        self.model = SourcesModel(self.toggle_active, self)
        self.view = make_single_select_table(self.model)
        header = self.view.horizontalHeader()
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Re-scan / re-embed the selected source (only new or changed texts)")
        self.refresh_all_button = QPushButton("Refresh all")
        self.test_button = QPushButton("Test")
        self.test_button.setToolTip("Check the source's input, the embedder, and that an indexed item finds itself")
        self.add_folder_button = QPushButton("Add folder…")
        self.add_manual_button = QPushButton("Add text…")
        self.delete_button = QPushButton("Delete")
        self.refresh_button.clicked.connect(lambda: self.refresh_selected(False))
        self.refresh_all_button.clicked.connect(lambda: self.refresh_selected(True))
        self.test_button.clicked.connect(self.test_selected)
        self.add_folder_button.clicked.connect(self.add_folder)
        self.add_manual_button.clicked.connect(self.add_manual)
        self.delete_button.clicked.connect(self.delete_selected)
        self.strip = TaskStrip(ctx)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.refresh_button, self.refresh_all_button, self.test_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.add_folder_button, self.add_manual_button, self.delete_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.strip)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.message)

    def selected(self) -> dict | None:
        return self.model.row_dict(self.view.currentIndex().row())

    def reload(self) -> None:
        current = self.selected()
        rows = list_sources(self.ctx.workspace)
        self.model.set_rows(rows)
        ids = [r["id"] for r in rows]
        row = ids.index(current["id"]) if current and current["id"] in ids else 0
        if rows:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 1),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def toggle_active(self, source: dict, active: bool) -> None:
        set_source_active(self.ctx.workspace, source["id"], active)
        self.reload()
        self.message.setText(f"{source['name']}: {'searched' if active else 'skipped by search'}")

    def refresh_selected(self, everything: bool) -> None:
        src = None if everything else self.selected()
        if not everything and src is None:
            return
        title = "Refresh all sources" if everything else f"Refresh {src['name']}"
        self.strip.run(title, run_refresh, self.ctx.workspace, None if everything else src["id"],
                       on_result=self._refreshed, on_error=self._failed,
                       trigger=(self.refresh_button, self.refresh_all_button),
                       effects={Effect.CHUNKS, Effect.SETTINGS}, initiator=self)

    def _refreshed(self, reports: list[dict]) -> None:
        added = sum(r["added"] for r in reports)
        removed = sum(r["removed"] for r in reports)
        self.message.setText(f"Refreshed: {added} added, {removed} removed.")
        self.reload()

    def _failed(self, message: str) -> None:
        self.message.setText(f"<span style='color:{css('error')}'>{html.escape(message)}</span>")
        self.reload()

    def test_selected(self) -> None:
        src = self.selected()
        if src is None:
            return
        result = check_source(self.ctx.workspace, src["id"])
        colour = css("ok" if result["ok"] else "error")
        text = html.escape(f"Test {src['name']}: {result['message']}")
        self.message.setText(f"<span style='color:{colour}'>{text}</span>")

    def add_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder to index")
        if path:
            self._create("folder", {"path": path})

    def add_manual(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, "Manual text", "Text to index (one passage):")
        if ok and text.strip():
            self._create("manual", {"texts": [text]})

    def _create(self, kind: str, config: dict) -> None:
        try:
            src = create_source(self.ctx.workspace, kind, config=config)
        except SourceError as exc:
            self.message.setText(f"<span style='color:{css('error')}'>{html.escape(str(exc))}</span>")
            return
        self.reload()
        self.message.setText(f"Added {src['name']}; click Refresh to index it.")

    def delete_selected(self) -> None:
        src = self.selected()
        if src is None:
            return
        try:
            delete_source(self.ctx.workspace, src["id"])
        except SourceError as exc:
            self.message.setText(f"<span style='color:{css('error')}'>{html.escape(str(exc))}</span>")
            return
        self.reload()
        self.message.setText(f"Deleted {src['name']} and its vectors.")
