"""Usage view: a bar chart per day (pyqtgraph), totals per day and per model, the price table.

Reads ``providers.usage`` on ``refresh()`` (small aggregate queries, run on the main thread);
price edits call ``usage.set_price`` and reload.
"""

from __future__ import annotations

from datetime import date, timedelta

import pyqtgraph as pg
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDoubleSpinBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from fineflow_desktop.providers import usage
from fineflow_desktop.ui.settings.models import PricesModel, UsageModel
from fineflow_desktop.ui.style import colour
from fineflow_desktop.ui.widgets.static_plot import static_plot

METRICS = {"Cost (USD)": lambda t: t.cost_usd, "Tokens (in + out)": lambda t: t.input_tokens + t.output_tokens, "Calls": lambda t: t.calls}


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class UsageView(QWidget):
    """Totals per day / per model with a bar chart, and the editable dated price table."""

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        lay = QVBoxLayout(self)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Last"))
        self.days = QComboBox()
        for d in (7, 30, 90, 365):
            self.days.addItem(f"{d} days", d)
        self.days.setCurrentIndex(1)
        self.metric = QComboBox()
        self.metric.addItems(list(METRICS))
        self.refresh_button = QPushButton("&Refresh")
        self.total_label = QLabel()
        bar.addWidget(self.days)
        bar.addWidget(QLabel("Chart:"))
        bar.addWidget(self.metric)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.total_label)
        lay.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        self.plot = static_plot("Day", self.metric.currentText(), min_height=160)
        self.bars: pg.BarGraphItem | None = None
        split.addWidget(self.plot)

        tables = QSplitter(Qt.Orientation.Horizontal)
        self.per_day = UsageModel("Day", self)
        self.per_model = UsageModel("Model", self)
        self.day_view, self.model_view = _table(self.per_day), _table(self.per_model)
        for title, view in (("Per day", self.day_view), ("Per model", self.model_view)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(view)
            tables.addWidget(box)
        split.addWidget(tables)
        split.addWidget(self._price_box())
        split.setSizes([200, 220, 220])
        lay.addWidget(split, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.days.currentIndexChanged.connect(self.refresh)
        self.metric.currentIndexChanged.connect(self._draw)

    def _price_box(self) -> QGroupBox:
        box = QGroupBox("Prices per million tokens (editable, dated)")
        lay = QVBoxLayout(box)
        note = QLabel(f"Seeded with public list prices as of {usage.SEED_DATE:%d %b %Y}. Prices change: "
                      "check the providers' pricing pages and edit. A new row applies to calls from its date on.")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.prices = PricesModel(self)
        self.price_view = _table(self.prices)
        self.price_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        lay.addWidget(self.price_view, 1)
        add = QHBoxLayout()
        self.new_provider = QComboBox()
        self.new_provider.addItems(["openai", "anthropic", "compatible"])
        self.new_model = QLineEdit(placeholderText="model id")
        self.new_in = QDoubleSpinBox(minimum=0, maximum=10_000, decimals=4, prefix="in $")
        self.new_out = QDoubleSpinBox(minimum=0, maximum=10_000, decimals=4, prefix="out $")
        self.new_date = QDateEdit(QDate.currentDate())
        self.new_date.setCalendarPopup(True)
        self.add_price = QPushButton("Add price")
        self.delete_price = QPushButton("Delete selected")
        for w in (self.new_provider, self.new_model, self.new_in, self.new_out, self.new_date, self.add_price, self.delete_price):
            add.addWidget(w)
        add.setStretch(1, 1)
        lay.addLayout(add)
        self.add_price.clicked.connect(self._add_price)
        self.delete_price.clicked.connect(self._delete_price)
        self.prices.price_edited.connect(self._edit_price)
        return box

    # -- data ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        days = self.days.currentData()
        self.day_rows = usage.totals_per_day(self.workspace, days)
        self.per_day.set_rows(self.day_rows)
        self.per_model.set_rows(usage.totals_per_model(self.workspace, days))
        self.prices.set_rows(usage.list_prices(self.workspace))
        calls = sum(t.calls for t in self.day_rows)
        cost = sum(t.cost_usd for t in self.day_rows)
        unpriced = sum(t.unpriced_calls for t in self.day_rows)
        note = f" · * {unpriced} call{'s' if unpriced != 1 else ''} without a price (add one below)" if unpriced else ""
        self.total_label.setText(f"{calls:,} calls · ${cost:,.4f} in the last {days} days{note}")
        self._draw()

    def _draw(self) -> None:
        self.plot.clear()
        rows = getattr(self, "day_rows", [])
        metric = self.metric.currentText()
        self.plot.setLabel("left", metric)
        if not rows:
            self.plot.setTitle("No provider calls recorded yet", color=colour("muted"))
            return
        self.plot.setTitle(None)
        # A continuous day axis from the first recorded day to today (days without calls = 0).
        by_day = {t.key: METRICS[metric](t) for t in rows}
        first = date.fromisoformat(rows[0].key)
        n = (max(date.today(), date.fromisoformat(rows[-1].key)) - first).days + 1
        days = [(first + timedelta(days=i)).isoformat() for i in range(n)]
        values = [by_day.get(d, 0) for d in days]
        xs = list(range(n))
        self.bars = pg.BarGraphItem(x=xs, height=values, width=0.6, brush=colour("accent"))
        self.plot.addItem(self.bars)
        step = max(1, n // 8)  # at most ~8 date labels
        self.plot.getAxis("bottom").setTicks([[(i, days[i][5:]) for i in xs[::step]]])
        self.plot.setXRange(-0.6, n - 0.4, padding=0)
        self.plot.setYRange(0, max(values) * 1.15 or 1, padding=0)

    # -- price edits ---------------------------------------------------------------------------
    def _edit_price(self, price, new_in: float, new_out: float) -> None:
        usage.set_price(self.workspace, price.provider, price.model, new_in, new_out,
                        effective_date=price.effective_date, batch_discount=price.batch_discount, source="edited by user")
        QTimer.singleShot(0, self.refresh)  # not inside the model's setData

    def _add_price(self) -> None:
        qd = self.new_date.date()
        try:
            usage.set_price(self.workspace, self.new_provider.currentText(), self.new_model.text().strip(),
                            self.new_in.value(), self.new_out.value(), effective_date=date(qd.year(), qd.month(), qd.day()))
        except ValueError as exc:
            QMessageBox.warning(self, "Price not added", str(exc))
            return
        self.new_model.clear()
        self.refresh()

    def _delete_price(self) -> None:
        rows = sorted({i.row() for i in self.price_view.selectionModel().selectedRows()}, reverse=True)
        for r in rows:
            usage.delete_price(self.workspace, self.prices.rows[r].id)
        if rows:
            self.refresh()
