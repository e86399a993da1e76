"""A read-only bar histogram (pyqtgraph) for counts computed elsewhere, with an optional limit line.

It only draws: bin edges and counts come from a core/service function (e.g. the token
histogram of ``core.validation.ValidationReport.histogram``).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from fineflow_desktop.ui.widgets.static_plot import static_plot

BAR_BRUSH = (70, 120, 190, 200)
LIMIT_PEN = (200, 60, 60)


class HistogramPlot(QWidget):
    """Bars for ``edges`` (n+1 values) and ``counts`` (n values); ``limit`` draws a red line."""

    def __init__(self, x_label: str, y_label: str, empty_text: str = "No data yet", parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.plot = static_plot(x_label, y_label, min_height=140)
        self.bars = pg.BarGraphItem(x0=[], x1=[], height=[], brush=pg.mkBrush(*BAR_BRUSH), pen=pg.mkPen(255, 255, 255))
        self.plot.addItem(self.bars)
        self.limit_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(*LIMIT_PEN, width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.limit_line.setVisible(False)
        self.plot.addItem(self.limit_line)
        self.empty = pg.TextItem(empty_text, color=(110, 110, 110), anchor=(0.5, 0.5))
        self.plot.addItem(self.empty)
        lay.addWidget(self.plot)
        self.set_histogram([], [])

    def set_histogram(self, edges: list[float], counts: list[int], limit: float | None = None) -> None:
        """Show the bars; *limit* (same unit as the edges) is drawn when it falls in view."""
        has = bool(counts) and sum(counts) > 0
        self.empty.setVisible(not has)
        if not has:
            self.bars.setOpts(x0=[], x1=[], height=[])
            self.limit_line.setVisible(False)
            self.plot.setXRange(0, 1)
            self.plot.setYRange(0, 1)
            self.empty.setPos(0.5, 0.5)
            return
        self.bars.setOpts(x0=edges[:-1], x1=edges[1:], height=counts)
        lo, hi = edges[0], edges[-1]
        show_limit = limit is not None and lo <= limit <= hi * 1.5
        if show_limit:
            self.limit_line.setValue(limit)
            hi = max(hi, limit)
        self.limit_line.setVisible(bool(show_limit))
        self.plot.setXRange(lo, hi, padding=0.03)
        self.plot.setYRange(0, max(counts) * 1.1, padding=0)
