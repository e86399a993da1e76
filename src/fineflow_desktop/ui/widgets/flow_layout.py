"""A layout that places its items left to right and wraps onto a new line when the width runs out.

It follows Qt's "Flow Layout" example (https://doc.qt.io/qt-6/qtwidgets-layouts-flowlayout-example.html)
with one addition: on each line, items whose horizontal size policy can expand (a search box, a
``kept_together(..., right_aligned=True)`` group) share the width left over, so a row still fills
the pane when it does not wrap.
Used for tool and filter rows that must stay usable at 1100×700 (issue 9) without clipping.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget


def kept_together(*widgets: QWidget, spacing: int = 4, trailing: int = 0, right_aligned: bool = False) -> QWidget:
    """One flow item holding *widgets* side by side ("Quality [min] – [max]", "Model: [box]"),
    so a line never breaks between a label and its control; *trailing* px of room after them.
    *right_aligned*: the item takes its line's spare width and keeps the widgets at its right end
    (the flow's version of a stretch before the last controls of a toolbar)."""
    group = QWidget()
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, trailing, 0)
    row.setSpacing(spacing)
    if right_aligned:
        row.addStretch(1)
        group.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    for w in widgets:
        row.addWidget(w)
    return group


class FlowLayout(QLayout):
    """Items in reading order, wrapped to the width; height follows the width (``heightForWidth``).

    *h_spacing* / *v_spacing*: pixels between items on a line / between lines. A line breaks
    where the next item would not fit at its minimum width; on a line, items get their minimum,
    then grow toward their size hint, then expanding items take the rest; never wider than the
    line. Items are centred vertically on their line; hidden widgets take no room.
    """

    def __init__(self, parent: QWidget | None = None, h_spacing: int = 6, v_spacing: int = 4):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._breaks: list[QSpacerItem] = []
        self._h_spacing, self._v_spacing = h_spacing, v_spacing

    def add_break(self) -> None:
        """Start a new line here whatever the width (groups of controls stay apart)."""
        mark = QSpacerItem(0, 0)
        self._breaks.append(mark)
        self.addItem(mark)

    # ---- QLayout interface ---------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self._breaks = [b for b in self._breaks if b is not item]
        return item

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        items = self._shown()
        width = sum(self._hint(i) for i in items) + self._h_spacing * max(0, len(items) - 1)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QSize(width, height) + self._margin_size()

    def minimumSize(self) -> QSize:
        """The widest single item: narrower than that, something would be cut."""
        size = QSize(0, 0)
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size + self._margin_size()

    # ---- placement -----------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _margin_size(self) -> QSize:
        m = self.contentsMargins()
        return QSize(m.left() + m.right(), m.top() + m.bottom())

    @staticmethod
    def _hint(item: QLayoutItem) -> int:
        return max(item.sizeHint().width(), item.minimumSize().width())

    @staticmethod
    def _least(item: QLayoutItem) -> int:
        return item.minimumSize().width()

    @staticmethod
    def _expands(item: QLayoutItem) -> bool:
        return bool(item.expandingDirections() & Qt.Orientation.Horizontal)

    def _is_break(self, item: QLayoutItem) -> bool:
        return any(item is mark for mark in self._breaks)

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        """Break at each ``add_break`` and where the next item would not fit even at its minimum width."""
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            if self._is_break(item):
                lines.append([])
                used = 0
                continue
            if item.isEmpty():
                continue
            w = self._least(item)
            if lines[-1] and used + self._h_spacing + w > width:
                lines.append([])
                used = 0
            used += (self._h_spacing if lines[-1] else 0) + w
            lines[-1].append(item)
        return [line for line in lines if line]

    def _widths(self, line: list[QLayoutItem], width: int) -> list[int]:
        """Minimum widths, grown toward the size hints with the line's spare room (in proportion
        when it is short), then what is left shared by the expanding items."""
        widths = [min(self._least(i), width) for i in line]
        spare = width - sum(widths) - self._h_spacing * (len(line) - 1)
        wants = [max(0, min(self._hint(i), width) - w) for i, w in zip(line, widths)]
        total = sum(wants)
        if spare > 0 and total:
            given = [want if spare >= total else want * spare // total for want in wants]
            widths = [w + g for w, g in zip(widths, given)]
            spare -= sum(given)
        growers = [k for k, item in enumerate(line) if self._expands(item)]
        if spare > 0:
            for rank, k in enumerate(growers):  # remainder to the first
                widths[k] += spare // len(growers) + (1 if rank < spare % len(growers) else 0)
        return widths

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Place the items in *rect* (when *apply*); returns the height they need."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for n, line in enumerate(self._lines(area.width())):
            if n:
                y += self._v_spacing
            height = max(i.sizeHint().height() for i in line)
            if apply:
                x = area.x()
                for item, w in zip(line, self._widths(line, area.width())):
                    h = min(item.sizeHint().height(), height)
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                    x += w + self._h_spacing
            y += height
        return y - rect.y() + m.bottom()
