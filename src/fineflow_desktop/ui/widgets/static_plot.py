"""A still chart (pyqtgraph) for figures computed elsewhere: no pan, zoom, buttons or menu.

One set-up for every bar chart of the app (token and quality histograms, usage per day), so they
look alike and follow the palette (``ui.style.plot_colours``).
"""

from __future__ import annotations

import pyqtgraph as pg

from fineflow_desktop.ui.style import plot_colours


def static_plot(x_label: str, y_label: str, min_height: int) -> pg.PlotWidget:
    """A ``PlotWidget`` in the palette's colours with axis labels, a faint y grid, and fixed view.

    pyqtgraph's automatic SI prefix is off on both axes: it scales a label to "(x0.001)" for an
    empty or small range, which reads as a unit the data does not have.
    """
    background, foreground = plot_colours()
    plot = pg.PlotWidget(background=background)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setTextPen(foreground)
        axis.setPen(foreground)
        axis.enableAutoSIPrefix(False)
    plot.setMinimumHeight(min_height)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMenuEnabled(False)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    plot.showGrid(y=True, alpha=0.2)
    return plot
