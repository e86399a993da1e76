"""The pair table model: ordered id list + bounded page cache (Anki browser pattern).

The model holds only the ordered pair ids from one SQL query (``services.pairs.query_pair_ids``;
sorting and filtering happen in SQL) and fetches rows in pages of ``PAGE_SIZE`` ids into an LRU
cache of at most ``MAX_CACHED_ROWS`` rows, each holding ready-made one-line previews. ``data()``
and ``flags()`` are dictionary lookups; nothing scans the table. Edits go through
``ctx.undo_stack`` as ``EditPairField`` commands.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QUndoStack

from fineflow_desktop.core.pair_quality import explain
from fineflow_desktop.services import pairs as svc
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.effects import Events
from fineflow_desktop.ui.undo import EditPairField
from fineflow_desktop.ui.style import colour

PAGE_SIZE = 100
MAX_CACHED_ROWS = 3000
PREVIEW_CHARS = 300  # stored per text cell; the view elides to the column width
PAIR_ID_ROLE = Qt.UserRole + 1


@dataclass(frozen=True)
class Column:
    """One table column: row key, header, SQL sort key (None = not sortable), editable, width."""

    key: str
    title: str
    sort: str | None
    editable: bool = False
    width: int = 80


COLUMNS = (
    Column("id", "ID", "id", width=58),
    # Text columns narrow enough that Tokens stays in view at 1280×800 beside the detail panel
    # (issue 9 saw the "Tokens" header cut at the viewport edge).
    Column("system", "System", "system", True, 80),
    Column("user", "User", "user", True, 220),
    Column("assistant", "Assistant", "assistant", True, 250),
    Column("tokens", "Tokens", "tokens", width=62),
    Column("quality", "Quality", "quality", width=62),
    Column("valid", "Valid", "valid", width=46),
    Column("validated", "Validated", "validated", width=80),
    Column("source", "Source", "source", width=84),
    Column("document", "Document", "document", width=160),
    Column("tags", "Tags", "tags", width=110),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
TEXT_COLUMNS = frozenset(i for i, c in enumerate(COLUMNS) if c.editable)
_NUMERIC = frozenset(COLUMN_INDEX[k] for k in ("id", "tokens", "quality"))
_CENTERED = frozenset(COLUMN_INDEX[k] for k in ("valid", "validated"))
_FLAGS_RO = Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemNeverHasChildren
_FLAGS_RW = _FLAGS_RO | Qt.ItemIsEditable
_COLUMN_FLAGS = tuple(_FLAGS_RW if c.editable else _FLAGS_RO for c in COLUMNS)

# Plain ints: comparing PySide enum members per data() call costs more than the lookup itself.
DISPLAY, EDIT, TOOLTIP = int(Qt.DisplayRole), int(Qt.EditRole), int(Qt.ToolTipRole)
ALIGN, FOREGROUND, BACKGROUND = int(Qt.TextAlignmentRole), int(Qt.ForegroundRole), int(Qt.BackgroundRole)
_ALIGN_RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
_ALIGN_CENTER = int(Qt.AlignCenter)
_NO_FLAGS = Qt.NoItemFlags
_VALID_COL, _TOKENS_COL, _VALIDATED_COL, _ID_COL = (
    COLUMN_INDEX["valid"], COLUMN_INDEX["tokens"], COLUMN_INDEX["validated"], COLUMN_INDEX["id"])
_OTHER_ROLES = frozenset((EDIT, TOOLTIP, ALIGN, FOREGROUND, BACKGROUND, int(PAIR_ID_ROLE)))


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces: a one-line cell preview."""
    return " ".join(text.split()) if text else ""


def _display(row: dict) -> tuple[str, ...]:
    q = row["quality"]
    user = one_line(row["user"])
    if row["multi_turn"]:
        user = f"[{row['n_turns']} turns] {user}"
    return (
        str(row["id"]),
        one_line(row["system"]),
        user,
        one_line(row["assistant"]),
        f"{row['n_tokens']:,}",
        "" if q is None else f"{q:.2f}",
        "✓" if row["valid"] else "✗",
        "✗ rejected" if row.get("rejected") else "✓ yes" if row["validated"] else "",
        row["source"] or "",
        row["document"] or "",
        ", ".join(row["tags"]),
    )


class PairTableModel(QAbstractTableModel):
    """Pairs of one dataset as a table. Load with ``load(dataset_id, filters, sort, descending)``.

    Signals: ``loaded(total_rows)`` after every (re)query.
    """

    loaded = Signal(int)

    def __init__(self, ws: Workspace, undo_stack: QUndoStack, events: Events, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.undo_stack = undo_stack
        self.events = events
        self.dataset_id: int | None = None
        self.filters = svc.PairFilter()
        self.sort_key = "id"
        self.descending = False
        self.token_limit = 0
        self._ids = np.zeros(0, dtype=np.int64)
        self._cache: OrderedDict[int, dict] = OrderedDict()
        self._highlight: frozenset[int] = frozenset()
        # brushes made once (data() is the hot path); the palette is the one at creation
        self._red, self._green, self._grey, self._dup_bg = (
            QBrush(colour(name)) for name in ("error", "ok", "muted", "highlight_bg"))
        self.fetches = 0  # page fetches so far (tests check paging)

    # ---- loading --------------------------------------------------------------------------

    def load(self, dataset_id: int | None, filters: svc.PairFilter | None = None, sort: str | None = None,
             descending: bool | None = None) -> None:
        """Run the id query for *dataset_id* with *filters* and sort (None keeps the current)."""
        self.beginResetModel()
        if dataset_id != self.dataset_id:
            self._cache.clear()
            self.token_limit = svc.token_limit_for(self.ws, dataset_id) if dataset_id is not None else 0
        self.dataset_id = dataset_id
        if filters is not None:
            self.filters = filters
        if sort is not None:
            self.sort_key = sort
        if descending is not None:
            self.descending = descending
        if dataset_id is None:
            self._ids = np.zeros(0, dtype=np.int64)
        else:
            self._ids = svc.query_pair_ids_np(self.ws, dataset_id, self.filters, self.sort_key, self.descending,
                                              token_limit=self.token_limit)
        self.endResetModel()
        self.loaded.emit(len(self._ids))

    def refresh(self) -> None:
        """Re-run the current query (new pairs appear, sort order is re-applied)."""
        self._cache.clear()
        self.load(self.dataset_id)

    # ---- ids and rows ---------------------------------------------------------------------

    @property
    def ids(self) -> np.ndarray:
        """The ordered pair ids shown (int64 array; do not modify)."""
        return self._ids

    def pair_id(self, row: int) -> int:
        """Pair id at *row*."""
        return int(self._ids[row])

    def row_of(self, pair_id: int) -> int | None:
        """Row of *pair_id*, or None when it is not shown (vectorized scan, ~50 µs at 100k)."""
        hits = np.flatnonzero(self._ids == pair_id)
        return int(hits[0]) if hits.size else None

    def rows_of(self, ids: Iterable[int]) -> list[int]:
        """Rows of the shown pairs among *ids*, ascending."""
        wanted = np.fromiter(ids, dtype=np.int64)
        return np.flatnonzero(np.isin(self._ids, wanted)).tolist() if wanted.size else []

    def row_data(self, row: int) -> dict | None:
        """The cached preview row at *row* (fetching its page when needed)."""
        if not 0 <= row < len(self._ids):
            return None
        pid = int(self._ids[row])
        cached = self._cache.get(pid)
        if cached is None:
            self._fetch_page(row // PAGE_SIZE)
            cached = self._cache.get(pid)
        else:
            self._cache.move_to_end(pid)
        return cached

    def _fetch_page(self, page: int) -> None:
        wanted = [pid for pid in self._ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE].tolist() if pid not in self._cache]
        if not wanted:
            return
        self.fetches += 1
        for row in svc.fetch_pairs(self.ws, wanted, preview_chars=PREVIEW_CHARS, token_limit=self.token_limit):
            row["_display"] = _display(row)
            self._cache[row["id"]] = row
        while len(self._cache) > MAX_CACHED_ROWS:
            self._cache.popitem(last=False)

    @property
    def cached_rows(self) -> int:
        """Rows currently held in the page cache (bounded by ``MAX_CACHED_ROWS``)."""
        return len(self._cache)

    # ---- change notifications from the undo commands ----------------------------------------

    def invalidate(self, ids: Iterable[int]) -> None:
        """Rows of *ids* changed in the store: drop them from the cache and repaint."""
        ids = list(ids)
        for pid in ids:
            self._cache.pop(pid, None)
        if not len(self._ids):
            return
        last = len(COLUMNS) - 1
        if len(ids) > 50:  # one signal; the view repaints only what is visible
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, last))
            return
        for r in self.rows_of(ids):
            self.dataChanged.emit(self.index(r, 0), self.index(r, last))

    def remove_ids(self, ids: Iterable[int]) -> None:
        """Drop deleted pairs from the id list (rows removed, no re-query)."""
        ids = list(ids)
        rows = self.rows_of(ids)
        if not rows:
            return
        ranges: list[list[int]] = []
        for r in rows:
            if ranges and r == ranges[-1][1] + 1:
                ranges[-1][1] = r
            else:
                ranges.append([r, r])
        if len(ranges) > 100:  # many scattered rows: one reset is cheaper than many signals
            self.beginResetModel()
            self._ids = np.delete(self._ids, rows)
            self.endResetModel()
        else:
            for first, last in reversed(ranges):
                self.beginRemoveRows(QModelIndex(), first, last)
                self._ids = np.delete(self._ids, np.s_[first:last + 1])
                self.endRemoveRows()
        for pid in ids:
            self._cache.pop(pid, None)
        self.loaded.emit(len(self._ids))

    def set_highlight(self, ids: Iterable[int]) -> None:
        """Highlight the rows of *ids* (duplicates of the selected pair)."""
        new = frozenset(ids)
        if new == self._highlight:
            return
        changed = new ^ self._highlight
        self._highlight = new
        for r in self.rows_of(changed):
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1), [Qt.BackgroundRole])

    @property
    def highlighted(self) -> frozenset[int]:
        return self._highlight

    # ---- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        col = index.column()
        return _COLUMN_FLAGS[col] if col >= 0 else _NO_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation != Qt.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ToolTipRole:
            col = COLUMNS[section]
            return f"{col.title}: click to sort" if col.sort else col.title
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if role != DISPLAY and role not in _OTHER_ROLES:
            return None
        row = self.row_data(index.row())
        return None if row is None else self._value(row, index.column(), role)

    def _value(self, row: dict, col: int, role: int) -> Any:
        if role == DISPLAY:
            return row["_display"][col]
        if role == FOREGROUND and row.get("rejected"):  # kept and shown, greyed: it will not be exported
            return self._red if col == _VALIDATED_COL else self._grey
        if role == ALIGN:
            return _ALIGN_RIGHT if col in _NUMERIC else _ALIGN_CENTER if col in _CENTERED else None
        if role == BACKGROUND:
            return self._dup_bg if row["id"] in self._highlight else None
        if role == FOREGROUND:
            if col == _VALID_COL:
                return self._green if row["valid"] else self._red
            if col == _TOKENS_COL:
                return self._red if row["n_tokens"] > self.token_limit else None
            if col == _VALIDATED_COL:
                return self._green
            if col == _ID_COL and row["id"] in self._highlight:
                return self._grey
            return None
        if role == TOOLTIP:
            return self._tooltip(row, COLUMNS[col].key)
        if role == EDIT:
            if col in TEXT_COLUMNS:
                return self.full_text(row["id"], COLUMNS[col].key)
            return row["_display"][col]
        if role == PAIR_ID_ROLE:
            return row["id"]
        return None

    def _tooltip(self, row: dict, key: str) -> str | None:
        if key in ("system", "user", "assistant"):
            text = row[key]
            if not text:
                return None
            more = "…" if len(text) >= PREVIEW_CHARS else ""
            return text + more
        if key == "validated" and row.get("rejected"):
            return "Rejected: kept here, left out of validation and export (R again or Ctrl+Z to restore)"
        if key == "valid":
            if row["valid"]:
                return "Valid for fine-tuning"
            return "Invalid:\n" + "\n".join("• " + svc.PROBLEM_LABELS.get(p, p) for p in row["problems"])
        if key == "quality":
            if not row["quality_signals"]:
                return "Not scored yet (Score quality)"
            return f"Quality {row['quality']:.2f}\n" + explain(row["quality_signals"])
        if key == "tokens":
            return f"{row['n_tokens']:,} tokens (limit {self.token_limit:,}; OpenAI cookbook counting)"
        if key == "id" and row["id"] in self._highlight:
            return "Duplicate of the selected pair (same user message)"
        return None

    def full_text(self, pair_id: int, field: str) -> str:
        """The complete text of one cell (the cache holds previews only)."""
        try:
            return svc.get_pair(self.ws, pair_id)[field] or ""
        except svc.PairNotFound:
            return ""

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:
        if role != Qt.EditRole or not index.isValid() or index.column() not in TEXT_COLUMNS:
            return False
        pid = int(self._ids[index.row()])
        field = COLUMNS[index.column()].key
        old = self.full_text(pid, field)
        new = "" if value is None else str(value)
        if new == old:
            return False
        self.undo_stack.push(EditPairField(self.ws, self.events, self.dataset_id, pid, field, old, new))
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None or self.dataset_id is None:
            return
        desc = order == Qt.DescendingOrder
        if COLUMNS[column].sort == self.sort_key and desc == self.descending and len(self._ids):
            return
        self.load(self.dataset_id, sort=COLUMNS[column].sort, descending=desc)
