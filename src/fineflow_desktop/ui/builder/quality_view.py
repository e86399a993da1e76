"""Quality histogram of chunks (pyqtgraph BarGraphItem) with a draggable range = the quality filter.

It only draws: the bin edges and counts come from ``services.chunk_stats.quality_histogram``.
The range is mirrored by two spin boxes; either one drives the other.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from fineflow_desktop.ui.widgets.static_plot import static_plot

BAR_BRUSH = (70, 120, 190, 200)
REGION_BRUSH = (255, 200, 0, 45)


def log_heights(counts: list[int]) -> list[float]:
    """Bar heights ``log10(1 + count)``: 0 stays 0, 1 chunk is still a visible bar."""
    return [math.log10(1 + c) for c in counts]


def log_ticks(top: int) -> list[tuple[float, str]]:
    """Axis ticks for ``log_heights`` bars: 0, 1, 10, 100… up to the first power ≥ *top*."""
    ticks, v = [(0.0, "0")], 1
    while True:
        ticks.append((math.log10(1 + v), f"{v:,}"))
        if v >= top:
            return ticks
        v *= 10


class QualityFilter(QWidget):
    """Histogram + ``[min, max]`` quality range. ``range_changed(lo, hi)`` fires on edits.

    ``is_full_range()`` is True when the range is [0, 1], i.e. no filter (then unscored chunks
    are shown too).
    """

    range_changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edges: list[float] = []
        self.counts: list[int] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._build_range_row())
        lay.addWidget(self._build_histogram(), 1)

        self.min_spin.valueChanged.connect(self._spin_changed)
        self.max_spin.valueChanged.connect(self._spin_changed)
        self.region.sigRegionChangeFinished.connect(self._region_changed)

    def _build_range_row(self) -> QHBoxLayout:
        """The row above the plot: "Quality from [min] to [max]", Show all, and the summary."""
        row = QHBoxLayout()
        row.addWidget(QLabel("Quality from"))
        self.min_spin = self._spin(0.0)
        self.max_spin = self._spin(1.0)
        row.addWidget(self.min_spin)
        row.addWidget(QLabel("to"))
        row.addWidget(self.max_spin)
        self.reset_button = QPushButton("Show all")
        self.reset_button.setToolTip("Clear the quality filter (also shows chunks not scored yet)")
        self.reset_button.clicked.connect(lambda: self.set_range(0.0, 1.0))
        row.addWidget(self.reset_button)
        row.addStretch(1)
        self.summary = QLabel()
        self.summary.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)  # never cut
        row.addWidget(self.summary)
        return row

    def _build_histogram(self) -> pg.PlotWidget:
        """The log-scale histogram of chunk quality with the draggable range and the empty note."""
        self.plot = static_plot("chunk quality", "chunks (log)", min_height=120)
        self.plot.setXRange(0, 1, padding=0.02)
        self.bars = pg.BarGraphItem(x0=[], x1=[], height=[], brush=pg.mkBrush(*BAR_BRUSH), pen=pg.mkPen(255, 255, 255))
        self.plot.addItem(self.bars)
        self.region = pg.LinearRegionItem(values=(0.0, 1.0), bounds=(0.0, 1.0), brush=pg.mkBrush(*REGION_BRUSH))
        self.region.setZValue(-10)  # behind the bars so their colour stays readable; still draggable
        self.plot.addItem(self.region)
        self.empty_text = pg.TextItem("No scored chunks yet", color=(110, 110, 110), anchor=(0.5, 0.5))
        self.plot.addItem(self.empty_text)
        self.empty_text.setPos(0.5, 0.5)
        return self.plot

    def _spin(self, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 1.0)
        spin.setSingleStep(0.05)
        spin.setDecimals(2)
        spin.setValue(value)
        spin.setKeyboardTracking(False)  # filter when the user finishes typing
        return spin

    def set_histogram(self, edges: list[float], counts: list[int]) -> None:
        """Draw bars for ``counts`` between consecutive ``edges`` on a log axis: one bin with most
        of the chunks would otherwise flatten every other bar to nothing."""
        self.edges, self.counts = list(edges), list(counts)
        self.bars.setOpts(x0=self.edges[:-1], x1=self.edges[1:], height=log_heights(self.counts))
        total = sum(self.counts)
        self.empty_text.setVisible(total == 0)
        top = max(self.counts) if self.counts else 0
        # No fractional "chunk" ticks on an empty plot; count labels at 1, 10, 100… otherwise.
        self.plot.getAxis("left").setTicks([[]] if total == 0 else [log_ticks(top)])
        height = math.log10(1 + max(top, 1))
        self.plot.setYRange(0, height * 1.08, padding=0)
        if total == 0:
            self.empty_text.setPos(0.5, height * 0.5)

    def range(self) -> tuple[float, float]:
        return self.min_spin.value(), self.max_spin.value()

    def is_full_range(self) -> bool:
        lo, hi = self.range()
        return lo <= 0.0 and hi >= 1.0

    def set_range(self, lo: float, hi: float) -> None:
        """Set the filter range (clamped to [0, 1], swapped if reversed) and emit once."""
        lo, hi = sorted((max(0.0, min(1.0, lo)), max(0.0, min(1.0, hi))))
        with QSignalBlocker(self.min_spin), QSignalBlocker(self.max_spin), QSignalBlocker(self.region):
            self.min_spin.setValue(lo)
            self.max_spin.setValue(hi)
            self.region.setRegion((lo, hi))
        self.range_changed.emit(*self.range())

    def _spin_changed(self, _value: float) -> None:
        self.set_range(self.min_spin.value(), self.max_spin.value())

    def _region_changed(self) -> None:
        lo, hi = self.region.getRegion()
        self.set_range(round(lo, 2), round(hi, 2))
