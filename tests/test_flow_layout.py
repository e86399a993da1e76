"""``ui.widgets.flow_layout``: wrapping, minimum-then-hint widths, expanding items, forced breaks."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from fineflow_desktop.ui.widgets.flow_layout import FlowLayout, kept_together


def fixed(width: int) -> QPushButton:
    button = QPushButton("x")
    button.setFixedWidth(width)
    return button


def laid_out(qtbot, width: int, *items, breaks=()) -> tuple[QWidget, FlowLayout]:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, h_spacing=10, v_spacing=5)
    flow.setContentsMargins(0, 0, 0, 0)
    for n, item in enumerate(items):
        if n in breaks:
            flow.add_break()
        flow.addWidget(item)
    host.resize(width, flow.heightForWidth(width))
    host.show()
    qtbot.wait(1)
    return host, flow


def test_items_wrap_where_the_next_one_does_not_fit(qtbot):
    a, b, c = fixed(100), fixed(100), fixed(100)
    _host, flow = laid_out(qtbot, 250, a, b, c)
    assert (a.x(), b.x(), c.x()) == (0, 110, 0)
    assert a.y() == b.y() < c.y()
    assert flow.heightForWidth(250) == 2 * a.height() + 5
    assert flow.heightForWidth(320) == a.height()  # one line when everything fits
    assert flow.minimumSize().width() == 100  # the widest item


def test_expanding_items_share_the_spare_width_and_breaks_start_a_line(qtbot):
    search, button, after = QLineEdit(), fixed(80), fixed(50)
    search.setMinimumWidth(100)
    _host, _flow = laid_out(qtbot, 400, search, button, after, breaks=(2,))
    assert search.width() == 400 - 10 - 80 and button.x() == 320
    assert after.x() == 0 and after.y() > search.y()


def test_right_aligned_group_keeps_its_widgets_at_the_end_of_its_line(qtbot):
    first, last = fixed(60), fixed(70)
    group = kept_together(last, right_aligned=True)
    host, _flow = laid_out(qtbot, 300, first, group)
    assert group.geometry().right() == host.width() - 1
    assert last.mapTo(host, last.rect().topLeft()).x() + last.width() == host.width()
