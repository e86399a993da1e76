"""Table models of the Settings pane: credentials, connection-test history, usage totals, prices.

All are small read-only (prices: input/output editable) ``QAbstractTableModel``s over lists of
plain rows; the pane reloads them from the store (the lists are tens of rows, never thousands).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from fineflow_desktop.ui.style import colour

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Col:
    """A column: header, display text from a row, optional numeric alignment / colour."""

    header: str
    text: Callable[[Any], str]
    numeric: bool = False
    color: Callable[[Any], QColor | None] | None = None


class RowsModel(QAbstractTableModel):
    """Read-only table over ``rows`` (any objects) with declarative ``cols``; ``row_id(row)``."""

    cols: list[Col] = []

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_id(self, row: Any) -> Any:
        return getattr(row, "id", None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.cols)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.cols):
            return self.cols[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.cols)):
            return None
        row, col = self.rows[index.row()], self.cols[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            return col.color(row)
        if role == ID_ROLE:
            return self.row_id(row)
        return None

    def id_at(self, row: int) -> Any:
        return self.row_id(self.rows[row]) if 0 <= row < len(self.rows) else None

    def row_of(self, row_id: Any) -> int:
        for i, r in enumerate(self.rows):
            if self.row_id(r) == row_id:
                return i
        return -1


@dataclass(frozen=True)
class CredentialRow:
    """A credential plus where its key lives and its last test, for the list."""

    info: Any  # providers.credentials.CredentialInfo
    key_location: str  # keyring / session / none
    last_ok: bool | None
    last_when: Any
    last_summary: str

    @property
    def id(self) -> int:
        return self.info.id


def _key_text(r: CredentialRow) -> str:
    if r.key_location == "none":
        return "not needed" if r.info.provider in ("compatible", "extractive") and not r.info.has_key else "missing"
    where = "keyring" if r.key_location == "keyring" else "this session"
    return f"{r.info.key_hint} ({where})"


def _last_text(r: CredentialRow) -> str:
    if r.last_ok is None:
        return "never tested"
    from datetime import datetime

    when = f"{r.last_when:%H:%M}" if r.last_when.date() == datetime.utcnow().date() else f"{r.last_when:%d %b}"
    return f"{'✓' if r.last_ok else '✗'} {when}"


def _last_color(r: CredentialRow) -> QColor | None:
    return None if r.last_ok is None else colour("ok" if r.last_ok else "error")


class CredentialsModel(RowsModel):
    cols = [
        Col("Name", lambda r: r.info.name + ("  ★" if r.info.is_default else "")),
        Col("Provider", lambda r: r.info.provider),
        Col("Model", lambda r: r.info.model or "—"),
        Col("Key", _key_text),
        Col("Last test", _last_text, color=_last_color),
        Col("Calls", lambda r: str(r.info.n_calls), numeric=True),
    ]


def _level_ms(n: int) -> Callable[[Any], str]:
    def text(test) -> str:
        level = next((l for l in test if l.level == n), None)
        if level is None:
            return ""
        return f"{level.latency_ms:.0f}" if level.ok else "—"

    return text


class PingHistoryModel(RowsModel):
    """One row per stored test (list of ``PingRecord`` levels)."""

    cols = [
        Col("When", lambda t: f"{t[0].created_at:%Y-%m-%d %H:%M:%S}"),
        Col("Result", lambda t: "✓ all passed" if all(l.ok for l in t) else f"✗ level {next(l.level for l in t if not l.ok)}",
            color=lambda t: colour("ok" if all(l.ok for l in t) else "error")),
        *[Col(f"L{n} ms", _level_ms(n), numeric=True) for n in (1, 2, 3)],
        Col("Detail", lambda t: next((l.detail for l in t if not l.ok), t[-1].detail)),
    ]

    def row_id(self, row):
        return row[0].test_id


class UsageModel(RowsModel):
    """Totals (``providers.usage.UsageTotal``) per day or per model; *key_header* names the key.

    A cost marked ``*`` leaves out calls whose model has no price (see the price table).
    """

    def __init__(self, key_header: str, parent=None):
        self.cols = [
            Col(key_header, lambda t: t.key),
            Col("Calls", lambda t: f"{t.calls:,}", numeric=True),
            Col("Errors", lambda t: f"{t.errors:,}", numeric=True),
            Col("Input tok", lambda t: f"{t.input_tokens:,}", numeric=True),
            Col("Output tok", lambda t: f"{t.output_tokens:,}", numeric=True),
            Col("Cost (USD)", lambda t: f"${t.cost_usd:,.4f}" + (" *" if t.unpriced_calls else ""), numeric=True),
            Col("Avg ms", lambda t: f"{t.avg_latency_ms:,.0f}", numeric=True),
        ]
        super().__init__(parent)

    def row_id(self, row):
        return row.key


def _money(v: float) -> str:
    return f"${v:,.2f}" if v >= 0.1 or v == 0 else f"${v:.3f}"


class PricesModel(RowsModel):
    """Dated price table; the two price columns are editable (``price_edited`` is emitted)."""

    price_edited = Signal(object, float, float)  # Price row, new input, new output
    EDITABLE = (3, 4)

    cols = [
        Col("Provider", lambda p: p.provider),
        Col("Model", lambda p: p.model),
        Col("From", lambda p: p.effective_date.isoformat()),
        Col("Input $/1M", lambda p: _money(p.input_per_mtok), numeric=True),
        Col("Output $/1M", lambda p: _money(p.output_per_mtok), numeric=True),
        Col("Source", lambda p: p.source),
    ]

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if index.isValid() and index.column() in self.EDITABLE:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in self.EDITABLE:
            return False
        try:
            v = float(str(value).replace("$", "").strip())
        except ValueError:
            return False
        if v < 0:
            return False
        p = self.rows[index.row()]
        new_in = v if index.column() == 3 else p.input_per_mtok
        new_out = v if index.column() == 4 else p.output_per_mtok
        self.price_edited.emit(p, new_in, new_out)
        return True
