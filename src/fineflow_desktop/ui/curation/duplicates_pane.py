"""Duplicates pane: find near-duplicate groups, compare members side by side, keep or drop.

Finding runs ``services.dedup.find_near_duplicates`` through ``ctx.ops``; keep/drop is
``ui.undo.KeepDropCommand`` (ids only, no widgets), whose notice reloads the group shown here.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QCheckBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.dedup import dedup_summary, find_near_duplicates, get_group, list_groups
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.effects import Changes, Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.curation.models import GroupsModel, MembersModel
from fineflow_desktop.ui.curation.task_strip import TaskStrip
from fineflow_desktop.ui.tables import columns_width, make_single_select_table
from fineflow_desktop.ui.undo import KeepDropCommand
from fineflow_desktop.ui.widgets.diff_view import DiffView


GROUP_LIST_MIN_WIDTH = 260  # the group list's columns stay readable however the splitter is dragged


def run_find(state: TaskState, ws: Workspace, threshold: float, semantic: bool) -> int:
    """Task body: recompute the groups; returns how many there are."""
    return len(find_near_duplicates(ws, threshold=threshold, semantic=semantic, state=state))


def _table(model) -> QTableView:
    view = make_single_select_table(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


class DuplicatesPane(Pane):
    """Near-duplicate groups (left), members with Keep checkboxes and a word-level compare (right)."""

    title = "Duplicates"
    reload_on = {Effect.CHUNKS, Effect.DOCUMENTS}

    def build(self) -> None:
        self.current_group: dict | None = None
        self.strip = TaskStrip(self.ctx)
        self.summary = QLabel()
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_toolbar())
        lay.addWidget(self.summary)
        lay.addWidget(self.strip)
        self.splitter = QSplitter()
        self.splitter.addWidget(self._build_groups())
        self.splitter.addWidget(self._build_members())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)  # a collapsed list could not be brought back
        self.splitter.setSizes([440, 840])
        lay.addWidget(self.splitter, 1)

    def _build_toolbar(self) -> QHBoxLayout:
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.3, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(0.7)
        self.threshold.setToolTip("Jaccard similarity of character 5-grams (MinHash LSH, 128 permutations)")
        self.semantic = QCheckBox("Also semantic (embedding cosine ≥ 0.95)")
        self.semantic.setToolTip(
            "Also group chunks whose embeddings are nearly parallel. With the offline embedders this "
            "also links close topical neighbours (e.g. an echo client and an echo server example): "
            "review semantic groups before dropping."
        )
        self.find_button = QPushButton("Find near-duplicates")
        top = QHBoxLayout()
        top.addWidget(QLabel("Jaccard threshold"))
        top.addWidget(self.threshold)
        top.addWidget(self.semantic)
        top.addWidget(self.find_button)
        top.addStretch(1)
        return top

    def _build_groups(self) -> QTableView:
        self.groups_model = GroupsModel(self)
        self.groups_view = _table(self.groups_model)
        self.groups_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.groups_view.horizontalHeader().setStretchLastSection(True)
        self.groups_view.setMinimumWidth(GROUP_LIST_MIN_WIDTH)
        return self.groups_view

    def _build_members(self) -> QSplitter:
        self.members_model = MembersModel(self.toggle_member, self)
        self.members_view = _table(self.members_model)
        self.members_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.members_view.horizontalHeader().setStretchLastSection(True)
        self.keep_button = QPushButton("Keep")
        self.keep_button.setToolTip("Use this chunk for generation (not a duplicate)")
        self.drop_button = QPushButton("Drop")
        self.drop_button.setToolTip("Mark this chunk as a duplicate: excluded from generation, never deleted")
        self.compare = DiffView()  # the template diff viewer: aligned lines, changed words highlighted
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Selected member:"))
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.drop_button)
        buttons.addStretch(1)
        members_box = QWidget()
        mlay = QVBoxLayout(members_box)
        mlay.setContentsMargins(0, 0, 0, 0)
        mlay.addWidget(self.members_view)
        mlay.addLayout(buttons)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(members_box)
        right.addWidget(self.compare)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        return right

    def connect_signals(self) -> None:
        self.find_button.clicked.connect(self.find)
        self.groups_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_group_row(cur.row()))
        self.members_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.compare_row(cur.row()))
        self.keep_button.clicked.connect(lambda: self.set_current_keep(True))
        self.drop_button.clicked.connect(lambda: self.set_current_keep(False))

    def reload(self) -> None:
        self.refresh()

    def on_changed(self, changes: Changes) -> None:
        if changes.action == "group" and changes.ids:  # keep/drop (or its undo) of one member
            self.group_changed(changes.ids[0])
        elif changes.touches(self.reload_on):
            self.refresh()

    # --- actions ---------------------------------------------------------------------------
    def find(self) -> None:
        self.strip.run(
            "Find near-duplicates", run_find, self.ctx.workspace, self.threshold.value(), self.semantic.isChecked(),
            on_result=self._found, trigger=self.find_button, effects={Effect.CHUNKS}, initiator=self,
        )

    def _found(self, n: int) -> None:
        self.ctx.events.status_message.emit(f"{n} near-duplicate groups")
        self.refresh()

    def toggle_member(self, member: dict, keep: bool) -> None:
        if self.current_group is None or member["keep"] == keep:
            return
        self.ctx.undo_stack.push(KeepDropCommand(self.ctx.workspace, self.ctx.events, self.current_group["id"],
                                                 member["chunk_id"], keep, member["keep"]))

    def set_current_keep(self, keep: bool) -> None:
        member = self.members_model.row_dict(self.members_view.currentIndex().row())
        if member is not None:
            self.toggle_member(member, keep)

    # --- display ---------------------------------------------------------------------------
    def refresh(self) -> None:
        keep_id = self.current_group["id"] if self.current_group else None
        groups = list_groups(self.ctx.workspace)
        self.groups_model.set_rows(groups)
        self._fit_group_list()
        s = dedup_summary(self.ctx.workspace)
        self.summary.setText(f"{s['groups']} groups · {s['grouped_chunks']} chunks · {s['dropped']} marked duplicate")
        rows = [i for i, g in enumerate(groups) if g["id"] == keep_id]
        row = rows[0] if rows else (0 if groups else -1)
        if row >= 0:
            self.groups_view.selectionModel().setCurrentIndex(
                self.groups_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.show_group_row(row)
        else:
            self.show_group_row(-1)

    def _fit_group_list(self) -> None:
        """Keep every column of the group list readable: its minimum width is what its columns
        need (the splitter cannot squeeze it below that, nor collapse it)."""
        self.groups_view.setMinimumWidth(max(GROUP_LIST_MIN_WIDTH, columns_width(self.groups_view)))

    def show_group_row(self, row: int) -> None:
        g = self.groups_model.row_dict(row)
        self.current_group = get_group(self.ctx.workspace, g["id"]) if g else None
        self._show_members(select_chunk=None)

    def group_changed(self, group_id: int) -> None:
        """After keep/drop: reload that group and the summary, keep the selected member."""
        current = self.members_model.row_dict(self.members_view.currentIndex().row())
        for i, g in enumerate(list_groups(self.ctx.workspace)):
            if g["id"] == group_id:
                self.groups_model.rows[i] = g
                self.groups_model.dataChanged.emit(self.groups_model.index(i, 0), self.groups_model.index(i, 5))
        s = dedup_summary(self.ctx.workspace)
        self.summary.setText(f"{s['groups']} groups · {s['grouped_chunks']} chunks · {s['dropped']} marked duplicate")
        if self.current_group and self.current_group["id"] == group_id:
            self.current_group = get_group(self.ctx.workspace, group_id)
            self._show_members(select_chunk=current["chunk_id"] if current else None)

    def _show_members(self, select_chunk: int | None) -> None:
        members = self.current_group["members"] if self.current_group else []
        self.members_model.set_rows(members)
        has = bool(members)
        self.keep_button.setEnabled(has)
        self.drop_button.setEnabled(has)
        if not has:
            self.compare.set_texts("", "")
            return
        rows = [i for i, m in enumerate(members) if m["chunk_id"] == select_chunk]
        # default: the first non-representative member, compared with the representative
        row = rows[0] if rows else (1 if len(members) > 1 else 0)
        self.members_view.selectionModel().setCurrentIndex(
            self.members_model.index(row, 1),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.compare_row(row)

    def compare_row(self, row: int) -> None:
        if not self.current_group:
            return
        members = self.current_group["members"]
        other = self.members_model.row_dict(row)
        rep = next((m for m in members if m["is_representative"]), members[0])
        if other is None:
            return
        if other["chunk_id"] == rep["chunk_id"] and len(members) > 1:
            other = next(m for m in members if m["chunk_id"] != rep["chunk_id"])

        def title(m: dict, role: str) -> str:
            state = "kept" if m["keep"] else "dropped"
            return f"{role}: chunk {m['chunk_id']} ({state}) — {m['document_path']}"

        self.compare.set_texts(rep["text"], other["text"], left_title=title(rep, "Representative"),
                               right_title=title(other, f"Similarity {other['similarity']:.2f}"))
