"""A scroll area that scrolls only vertically and is never narrower than what it shows.

A plain ``QScrollArea`` squeezed below its widget's minimum width scrolls sideways, and controls at
the right end of a row fall outside the view (issue 9: at 1100×700 the credential form cut its
"Fetch models" button and "Fallback priority" field). Here the horizontal scroll bar is off and the
area's minimum width is the widget's minimum plus the vertical scroll bar, so a splitter or layout
holding it gives it that width, and it re-reads that minimum whenever the widget's layout changes
(rows shown or hidden). ``pairs.detail.PairDetail`` solves the same problem on its panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QWidget


class VerticalScrollArea(QScrollArea):
    """``VerticalScrollArea(widget)``: frameless, widget resized to the view's width, vertical
    scrolling only; ``minimumSizeHint().width()`` = widget minimum + scroll bar + frame (px)."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(widget)
        widget.installEventFilter(self)  # its layout requests may change our minimum width

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return QSize(inner.minimumSizeHint().width() + bar + 2 * self.frameWidth(), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the splitter re-reads our minimum width
        return super().eventFilter(watched, event)
