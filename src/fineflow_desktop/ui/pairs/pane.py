"""Pair Editor pane: review, filter, edit and bulk-change the pairs of one dataset.

The table is a ``PairTableModel`` (id list + page cache) in a ``PairTableView`` (``view.py``)
whose keyboard map makes review keyboard-first (see ``help.SHORTCUTS``). Every change is an undo command
(``ui.undo``) on ``ctx.undo_stack``; the commands announce the pair ids they touched on
``ctx.events`` and this pane updates the model and keeps the selection in place (same row after a
delete, same pair after a re-query).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QSplitter, QVBoxLayout

from fineflow_desktop.services import pairs as svc
from fineflow_desktop.ui.effects import Changes, Effect
from fineflow_desktop.ui.pane import Pane
from fineflow_desktop.ui.pairs.delegate import PairTextDelegate
from fineflow_desktop.ui.pairs.detail import PairDetail
from fineflow_desktop.ui.pairs.filters import FilterBar
from fineflow_desktop.ui.pairs.help import ShortcutHelp
from fineflow_desktop.ui.pairs.table_model import COLUMN_INDEX, COLUMNS, TEXT_COLUMNS, PairTableModel
from fineflow_desktop.ui.pairs.toolbar import ReviewToolbar
from fineflow_desktop.ui.undo import BulkSetRejected, BulkSetValidated, BulkTag, DeletePairs, EditPair
from fineflow_desktop.ui.pairs.view import PairTableView
from fineflow_desktop.ui.style import set_tone

MAX_RESTORED_SELECTION = 2000  # re-select at most this many rows after a re-query


class PairsPane(Pane):
    """Review and edit the pairs of one dataset (``show_dataset``)."""

    title = "Pair Editor"
    reload_on = {Effect.PAIRS, Effect.DATASETS}

    def build(self) -> None:
        ctx = self.ctx
        self.ws = ctx.workspace
        self.dataset_id: int | None = None
        self._keep: tuple[int | None, list[int]] = (None, [])
        self._pending_keep: tuple[int | None, list[int]] | None = None  # overrides the next remember
        self._total = 0  # pairs in the dataset (the count label's denominator)
        self._names: dict[int, str] = {}
        self._refreshing = False  # a background refresh of stale quality scores is running
        # The detail panel loads right after the table has painted (and once per burst of J/K).
        self._detail_timer = QTimer(self, singleShot=True, interval=0)
        self._detail_timer.timeout.connect(self._load_detail)
        self.model = PairTableModel(self.ws, ctx.undo_stack, ctx.events, self)
        self._build_widgets()

    def reload(self) -> None:
        self.reload_datasets()

    # ---- construction --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.toolbar = ReviewToolbar()
        tb = self.toolbar
        self.dataset_box, self.threshold = tb.dataset_box, tb.threshold
        self.accept_btn, self.unvalidate_btn, self.reject_btn = tb.accept_btn, tb.unvalidate_btn, tb.reject_btn
        self.tag_btn, self.validate_above_btn = tb.tag_btn, tb.validate_above_btn
        self.score_btn, self.help_btn = tb.score_btn, tb.help_btn
        self.filter_bar = FilterBar()

        self.view = PairTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(PairTextDelegate(self.view))
        for i, col in enumerate(COLUMNS):
            self.view.setColumnWidth(i, col.width)
        self.view.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.detail = PairDetail()

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 380])

        self.status = QLabel()
        self.status.setObjectName("pairStatus")
        self.selection_label = QLabel()
        hint = QLabel("J/K next/prev · A accept · R reject · Enter edit · F1 all shortcuts")
        set_tone(hint, "muted")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.selection_label)
        bottom.addSpacing(12)
        bottom.addWidget(hint)

        lay = QVBoxLayout(self)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.filter_bar)
        lay.addWidget(self.splitter, 1)
        lay.addLayout(bottom)

        for seq, slot in ((QKeySequence("F1"), self.show_help), (QKeySequence.Find, self.focus_search)):
            QShortcut(seq, self, activated=slot, context=Qt.WidgetWithChildrenShortcut)

    def connect_signals(self) -> None:
        self._status_index = self.ctx.undo_stack.index()  # undo-stack position the status line describes
        self.ctx.undo_stack.indexChanged.connect(self._undo_moved)
        self.dataset_box.currentIndexChanged.connect(self._dataset_chosen)
        self.filter_bar.changed.connect(self._filters_changed)
        self.filter_bar.search.returnPressed.connect(self.filter_bar.flush)
        self.accept_btn.clicked.connect(lambda: self.set_validated(True))
        self.unvalidate_btn.clicked.connect(lambda: self.set_validated(False))
        self.reject_btn.clicked.connect(self.reject)
        self.tag_btn.clicked.connect(lambda: self.tag_selected())
        self.validate_above_btn.clicked.connect(lambda: self.validate_above(self.threshold.value()))
        self.score_btn.clicked.connect(self.score_quality)
        self.help_btn.clicked.connect(self.show_help)
        self.view.action.connect(self._on_view_action)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.loaded.connect(self._update_count)
        self.detail.apply_requested.connect(self._apply_messages)
        self.detail.jump_requested.connect(self.select_pair)

    # ---- dataset ------------------------------------------------------------------------------

    def reload_datasets(self) -> None:
        """Refill the dataset chooser (keeps the shown dataset; a deleted one is replaced)."""
        datasets = self._fill_datasets()
        if self.dataset_id not in self._names:
            self.show_dataset(datasets[0]["id"] if datasets else None)

    def _fill_datasets(self) -> list[dict]:
        from fineflow_desktop.services.datasets import list_datasets

        datasets = list_datasets(self.ws)
        self._names = {ds["id"]: ds["name"] for ds in datasets}
        self.dataset_box.blockSignals(True)
        self.dataset_box.clear()
        for ds in datasets:
            self.dataset_box.addItem(f"{ds['name']} ({ds['n_pairs']:,})", ds["id"])
        self.dataset_box.setCurrentIndex(self.dataset_box.findData(self.dataset_id))
        self.dataset_box.blockSignals(False)
        return datasets

    def _dataset_chosen(self, index: int) -> None:
        if index >= 0:
            self.show_dataset(self.dataset_box.itemData(index))

    def show_dataset(self, dataset_id: int | None) -> None:
        """Show the pairs of *dataset_id* (None clears the table) and select the first row."""
        self._commit_detail()
        if dataset_id is not None and dataset_id not in self._names:
            self._fill_datasets()
            if dataset_id not in self._names:
                self.show_status(f"Dataset {dataset_id} does not exist.")
                dataset_id = None
        self.dataset_id = dataset_id
        idx = self.dataset_box.findData(dataset_id)
        self.dataset_box.blockSignals(True)
        self.dataset_box.setCurrentIndex(idx)
        self.dataset_box.blockSignals(False)
        if dataset_id is not None:
            svc.ensure_review_index(self.ws)
            self.filter_bar.set_options(svc.filter_options(self.ws, dataset_id))
        self._total = svc.count_pairs(self.ws, dataset_id)["total"] if dataset_id is not None else 0
        self._pending_keep = (None, [])
        self.model.load(dataset_id, self.filter_bar.filters())
        if self.model.rowCount():
            self.select_rows([0], 0)
        else:
            self.detail.set_pair(None)
        self.refresh_stale_scores()

    def _filters_changed(self, filters: svc.PairFilter) -> None:
        if self.dataset_id is not None:
            self.model.load(self.dataset_id, filters)

    def _update_count(self, shown: int) -> None:
        self.filter_bar.set_count(shown, self._total)
        idx = self.dataset_box.findData(self.dataset_id)
        if idx >= 0:
            self.dataset_box.setItemText(idx, f"{self._names.get(self.dataset_id, '?')} ({self._total:,})")

    # ---- selection ------------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        """Selected row numbers, ascending."""
        return self.view.selected_rows()

    def selected_ids(self) -> list[int]:
        """Pair ids of the selected rows (the current row when nothing is selected)."""
        rows = self.selected_rows()
        if not rows:
            cur = self.view.currentIndex()
            rows = [cur.row()] if cur.isValid() else []
        return self.model.ids[rows].tolist() if rows else []

    def current_pair_id(self) -> int | None:
        cur = self.view.currentIndex()
        return self.model.pair_id(cur.row()) if cur.isValid() and cur.row() < self.model.rowCount() else None

    def select_rows(self, rows: list[int], current: int) -> None:
        """Select *rows* (whole rows) and make *current* the current row, scrolled into view."""
        index = self.view.select_rows(rows, current, COLUMN_INDEX["user"])
        if not index.isValid():
            self.detail.set_pair(None)
            return
        self._current_changed(index, QModelIndex())

    def select_pair(self, pair_id: int) -> bool:
        """Select the row of *pair_id* if it is shown; returns whether it was."""
        row = self.model.row_of(pair_id)
        if row is None:
            self.show_status(f"Pair #{pair_id} is hidden by the current filters.")
            return False
        self.select_rows([row], row)
        return True

    def _remember_selection(self) -> None:
        if self._pending_keep is not None:
            self._keep, self._pending_keep = self._pending_keep, None
            return
        rows = [r for r in self.selected_rows()[:MAX_RESTORED_SELECTION] if r < self.model.rowCount()]
        self._keep = (self.current_pair_id(), self.model.ids[rows].tolist() if rows else [])

    def _restore_selection(self) -> None:
        current_id, keep = self._keep
        if not self.model.rowCount():
            self.detail.set_pair(None)
            return
        rows = self.model.rows_of(keep)
        cur = self.model.row_of(current_id) if current_id is not None else None
        if cur is None:
            cur = rows[0] if rows else 0
            rows = rows or [cur]
        self.select_rows(rows, cur)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pid = self.model.pair_id(current.row()) if current.isValid() and current.row() < self.model.rowCount() else None
        if pid == self.detail.pair_id and pid is not None:
            return
        self._commit_detail()
        self._detail_timer.start()

    def _load_detail(self) -> None:
        """Show the current pair in the detail panel and highlight its duplicates."""
        self._detail_timer.stop()
        pid = self.current_pair_id()
        if pid is None:
            self.detail.set_pair(None)
            self.model.set_highlight(())
            return
        try:
            row = svc.get_pair(self.ws, pid)
        except svc.PairNotFound:
            self.detail.set_pair(None)
            return
        dups = svc.duplicates_of(self.ws, pid)
        self.model.set_highlight(dups)
        self.detail.set_pair(row, dups, self.model.token_limit)

    def flush_detail(self) -> None:
        """Load a pending detail-panel update now (tests, actions that need it)."""
        if self._detail_timer.isActive():
            self._load_detail()

    def _selection_changed(self, *_args) -> None:
        n = len(self.selected_rows())
        self.selection_label.setText(f"{n:,} selected" if n > 1 else "")

    # ---- actions ----------------------------------------------------------------------------------

    def _on_view_action(self, name: str) -> None:
        {
            "accept": lambda: self.set_validated(True, advance=True),
            "unvalidate": lambda: self.set_validated(False),
            "reject": self.reject,
            "delete": self.delete_selected,
            "tag": self.tag_selected,
            "edit": self.edit_current,
            "help": self.show_help,
            "undo": self.ctx.undo_stack.undo,
            "redo": self.ctx.undo_stack.redo,
        }[name]()

    def _push(self, command) -> None:
        self.ctx.undo_stack.push(command)
        self._status_index = self.ctx.undo_stack.index()

    def _undo_moved(self, index: int) -> None:
        """Undo/redo (here, from the menu or another pane): the status line must not keep saying
        "Saved pair #2 · Ctrl+Z to undo" about a change that was just undone."""
        stack = self.ctx.undo_stack
        if index == self._status_index or not stack.count():  # no move, or the stack was cleared
            self._status_index = index
            return
        if index < self._status_index:
            text = f"Undone: {stack.text(index)} · Ctrl+Shift+Z to redo"
        else:
            text = f"Redone: {stack.text(index - 1)} · Ctrl+Z to undo"
        self._status_index = index
        self.show_status(text)

    def set_validated(self, value: bool, advance: bool = False) -> None:
        """Accept (validate) or un-validate the selected pairs; with *advance* and a single
        selected row, move on to the next row (review flow)."""
        ids = self.selected_ids()
        if not ids or self.dataset_id is None:
            return
        self._push(BulkSetValidated(self.ws, self.ctx.events, self.dataset_id, ids, value))
        word = "Validated" if value else "Un-validated"
        self.show_status(f"{word} {len(ids):,} pair(s) · Ctrl+Z to undo")
        if advance and len(ids) == 1:
            row = self.view.currentIndex().row()
            if row + 1 < self.model.rowCount():
                self.select_rows([row + 1], row + 1)

    def reject(self) -> None:
        """Reject the selected pairs: kept and shown (greyed), left out of validation and export.
        If every selected pair is rejected already, R takes the rejection back."""
        ids = self.selected_ids()
        if not ids or self.dataset_id is None:
            return
        self._commit_detail()
        restore = all(r["rejected"] for r in svc.fetch_pairs(self.ws, ids, preview_chars=1))
        self._push(BulkSetRejected(self.ws, self.ctx.events, self.dataset_id, ids, not restore))
        word = "Restored" if restore else "Rejected"
        self.show_status(f"{word} {len(ids):,} pair(s) · Ctrl+Z to undo")

    def delete_selected(self) -> None:
        """Delete the selected pairs for good (Del; undoable); the selection stays at the same row index."""
        ids = self.selected_ids()
        if not ids or self.dataset_id is None:
            return
        self._commit_detail()
        self._push(DeletePairs(self.ws, self.ctx.events, self.dataset_id, ids))
        self.show_status(f"Deleted {len(ids):,} pair(s) · Ctrl+Z to undo")

    def tag_selected(self, tag: str | None = None, add: bool = True) -> None:
        """Tag (or untag) the selected pairs; asks for the tag when not given."""
        ids = self.selected_ids()
        if not ids or self.dataset_id is None:
            return
        if tag is None:
            tag, ok = QInputDialog.getText(self, "Tag pairs", f"Tag for {len(ids):,} selected pair(s):")
            if not ok:
                return
        tag = tag.strip()
        if not tag:
            return
        self._push(BulkTag(self.ws, self.ctx.events, self.dataset_id, ids, tag, add))
        self.filter_bar.set_options(svc.filter_options(self.ws, self.dataset_id))
        self.show_status(f"{'Tagged' if add else 'Untagged'} {len(ids):,} pair(s) '{tag}' · Ctrl+Z to undo")

    def validate_above(self, threshold: float) -> int:
        """Validate every shown, not yet validated pair with quality ≥ *threshold* (one undo step).
        Returns how many pairs were validated."""
        if self.dataset_id is None:
            return 0
        f = replace(self.model.filters, validated=False,
                    quality_min=max(threshold, self.model.filters.quality_min or 0.0))
        ids = list(svc.query_pair_ids(self.ws, self.dataset_id, f, token_limit=self.model.token_limit))
        if not ids:
            self.show_status(f"No unvalidated pair with quality ≥ {threshold:.2f} in view (score quality first?)")
            return 0
        self._push(BulkSetValidated(self.ws, self.ctx.events, self.dataset_id, ids, True))
        self.show_status(f"Validated {len(ids):,} pair(s) with quality ≥ {threshold:.2f} · Ctrl+Z to undo")
        return len(ids)

    def edit_current(self) -> None:
        """Open the cell editor on the current cell (the user cell when it is not text)."""
        cur = self.view.currentIndex()
        if not cur.isValid():
            return
        if cur.column() not in TEXT_COLUMNS:
            cur = self.model.index(cur.row(), COLUMN_INDEX["user"])
            self.view.setCurrentIndex(cur)
        self.view.edit(cur)

    def _apply_messages(self, pair_id: int, messages: list) -> None:
        if self.dataset_id is not None:
            self._push(EditPair(self.ws, self.ctx.events, self.dataset_id, pair_id, {"messages": messages},
                                f"Edit messages of pair {pair_id}"))
            self.show_status(f"Saved pair #{pair_id} · Ctrl+Z to undo")

    def _commit_detail(self) -> None:
        """Leaving a pair saves pending detail edits (like a cell editor losing focus)."""
        if self.detail.dirty:
            self.detail.apply()

    def score_quality(self) -> None:
        """Run ``services.pairs.rescore_dataset`` as a background task."""
        if self.dataset_id is None:
            return
        ds = self.dataset_id
        self.ctx.ops.run("Score pair quality", lambda state: svc.rescore_dataset(self.ws, ds, state),
                         trigger=self.score_btn, on_result=self._scored, effects={Effect.PAIRS},
                         initiator=self, dataset_id=ds)

    def refresh_stale_scores(self) -> None:
        """Re-score, in the background, the pairs whose stored quality is out of date
        (``services.pairs.stale_scores``: the scorer changed, or pairs were edited or added
        since the dataset was scored). A dataset never scored is left to the Score button."""
        ds = self.dataset_id
        if ds is None or self._refreshing or svc.stale_scores(self.ws, ds)["reason"] is None:
            return
        self._refreshing = True

        def finished() -> None:
            self._refreshing = False

        self.ctx.ops.run("Refresh pair quality", lambda state: svc.refresh_stale_scores(self.ws, ds, state),
                         on_result=self._refreshed, on_finished=finished, effects={Effect.PAIRS},
                         initiator=self, dataset_id=ds)

    def _refreshed(self, summary: dict) -> None:
        if not summary.get("scored"):
            return
        self.model.refresh()
        self._load_detail()
        why = "the scorer changed" if summary["reason"] == "scorer changed" else "they changed"
        self.show_status(f"Re-scored {summary['scored']:,} pairs ({why}) · mean {summary['mean']}")

    def _scored(self, summary: dict) -> None:
        self.model.refresh()
        self._load_detail()  # the detail panel showed "not scored yet"
        self.show_status(f"Scored {summary['scored']:,} pairs · mean {summary['mean']} · {summary['low']:,} below 0.5")

    def show_help(self) -> None:
        ShortcutHelp(self).exec()

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.ctx.events.status_message.emit(text)

    # ---- change notifications ------------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        """Undo commands name the pairs they touched (keep the selection); other pair changes
        (generation, import, scoring) re-query; dataset changes refill the chooser."""
        if not changes.touches({Effect.PAIRS}):
            if changes.touches({Effect.DATASETS}):
                self.reload_datasets()
            return
        handler = {"updated": self._on_updated, "removed": self._on_removed, "restored": self._on_restored}.get(
            changes.action, None)
        if handler is not None and changes.dataset_id is not None:
            handler(changes.dataset_id, list(changes.ids))
        else:
            self._on_external_change(changes.dataset_id)

    def _on_updated(self, dataset_id: int, ids: list) -> None:
        if dataset_id == self.dataset_id:
            self.model.invalidate(ids)
            if self.detail.pair_id in set(ids):
                self._detail_timer.start()  # reload the detail panel
            self.refresh_stale_scores()  # an edit cleared the pair's score

    def _on_removed(self, dataset_id: int, ids: list) -> None:
        if dataset_id == self.dataset_id:
            rows = self.model.rows_of(ids)
            keep_row = rows[0] if rows else self.view.currentIndex().row()
            self._total = svc.count_pairs(self.ws, dataset_id)["total"]
            self.detail.set_pair(None)
            self._pending_keep = (None, [])
            self.model.remove_ids(ids)
            self._pending_keep = None
            self.select_rows([keep_row], keep_row)

    def _on_restored(self, dataset_id: int, ids: list) -> None:
        if dataset_id == self.dataset_id:
            self._pending_keep = (ids[0] if ids else None, list(ids[:MAX_RESTORED_SELECTION]))
            self._total = svc.count_pairs(self.ws, dataset_id)["total"]
            self.model.refresh()

    def _on_external_change(self, dataset_id: int | None) -> None:
        """Pairs changed elsewhere (generation, import): re-query, keeping the current pair."""
        self.reload_datasets()
        if self.dataset_id is None or dataset_id not in (None, self.dataset_id):
            return
        self.filter_bar.set_options(svc.filter_options(self.ws, dataset_id))
        self._total = svc.count_pairs(self.ws, dataset_id)["total"]
        self.model.refresh()
        self.refresh_stale_scores()  # pairs added to a scored dataset
