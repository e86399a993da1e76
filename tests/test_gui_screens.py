"""Every pane in the real window, light and dark palettes, at 1280×800 and 1100×700: screenshots
for review (``/work/screens/app/panes``) and a check that no button, label, combo box or table
header text is cut and that no button lies (partly) outside the area its parents show.

Issue 9: "every pane readable at 1280×800 and usable at 1100×700"."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_helpers import add_document
from gui_helpers import APP_SCREENS, palette, shot
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
)

from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.services.datasets import generate_extractive
from fineflow_desktop.services.dedup import find_near_duplicates
from fineflow_desktop.services.ingest import ingest_paths
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.main_window import PANES, MainWindow

PYDOCS = Path(__file__).parent / "fixtures" / "pydocs"
SIZES = ((1280, 800), (1100, 700))
SCREENS = APP_SCREENS / "panes"
LINE_EDIT_MARGIN = 2  # px QLineEdit keeps free left and right of its text (QLineEditPrivate::horizontalMargin)

# Findings in panes other branches were reworking when the combo-box and out-of-view checks were
# added (issue 9, session 10): (pane, finding up to the first ":"), reported but not failed.
# Temporary: remove an entry once its pane is fixed; the test fails when an entry is no longer
# seen, so the list shows exactly what is left.
KNOWN_FINDINGS: set[tuple[str, str]] = set()


def clipped_texts(root) -> list[str]:
    """Visible buttons and single-line labels narrower than their text, and header sections
    narrower than their title (elided or cut text on screen)."""
    out = []
    for w in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
        if not w.isVisibleTo(root) or not w.isVisible() or not w.text().strip():
            continue
        if isinstance(w, QLabel) and (w.wordWrap() or w.textFormat() != w.textFormat().PlainText and "<" in w.text()):
            continue
        need = w.fontMetrics().horizontalAdvance(w.text().replace("&&", "&").replace("&", "")) + 2
        if w.contentsRect().width() < need and w.width() < w.sizeHint().width():
            out.append(f"{type(w).__name__} {w.text()!r}: {w.width()} < {w.sizeHint().width()} px")
    for h in root.findChildren(QHeaderView):
        if not h.isVisible() or h.orientation().name != "Horizontal" or h.model() is None:
            continue
        margin = 2 * h.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, h)
        for col in range(h.count()):
            if h.isSectionHidden(col):
                continue
            title = str(h.model().headerData(col, h.orientation()) or "")
            need = h.fontMetrics().horizontalAdvance(title) + margin
            if title and h.sectionSize(col) < need and h.sectionSize(col) > 0:
                out.append(f"header {title!r}: {h.sectionSize(col)} < {need} px")
    return out


def cut_combo_texts(root) -> list[str]:
    """Visible combo boxes whose current text is wider than the field that shows it (drawn cut,
    or scrolled in an editable box: "Any templat", "y document")."""
    out = []
    for box in root.findChildren(QComboBox):
        text = box.currentText()
        if not box.isVisible() or not text.strip():
            continue
        need = box.fontMetrics().horizontalAdvance(text)
        if box.isEditable():
            edit = box.lineEdit()
            margins = edit.textMargins()
            room = edit.contentsRect().width() - margins.left() - margins.right() - 2 * LINE_EDIT_MARGIN
        else:
            opt = QStyleOptionComboBox()
            box.initStyleOption(opt)
            field = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                               QStyle.SubControl.SC_ComboBoxEditField, box)
            room = field.width() - 2  # CE_ComboBoxLabel draws 1 px inside the field on each side
            if not opt.currentIcon.isNull():
                room -= opt.iconSize.width() + 4
        if room < need:
            out.append(f"QComboBox {text!r}: text field {room} < {need} px")
    return out


def scrolls_along(widget, horizontal: bool) -> bool:
    """True when *widget* is a scroll area viewport whose area the user scrolls in that direction
    on purpose: item views in both directions, other scroll areas (lists of editors, forms)
    only vertically — a button past the right edge of those is cut, not scrolled to."""
    area = widget.parentWidget()
    if not isinstance(area, QAbstractScrollArea) or area.viewport() is not widget:
        return False
    return isinstance(area, QAbstractItemView) or not horizontal


def buttons_out_of_view(root) -> list[str]:
    """Visible buttons (push, tool, check…) that extend beyond the area an ancestor up to *root*
    shows: cut at a splitter, a window edge or a scroll area's right edge (the Pair Editor's ✕
    at 1100×700). Scrolling in the direction a view is meant to scroll does not count."""
    out = []
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or button.width() <= 0 or button.height() <= 0:
            continue
        top_left = button.mapTo(root, QPoint(0, 0))
        x0, x1 = top_left.x(), top_left.x() + button.width()
        y0, y1 = top_left.y(), top_left.y() + button.height()
        cut = []
        ancestor = button.parentWidget()
        while ancestor is not None:
            corner = ancestor.mapTo(root, QPoint(0, 0)) if ancestor is not root else QPoint(0, 0)
            ax0, ay0 = corner.x(), corner.y()
            ax1, ay1 = ax0 + ancestor.width(), ay0 + ancestor.height()
            where = ancestor.objectName() or type(ancestor).__name__
            if not scrolls_along(ancestor, True) and (x0 < ax0 or x1 > ax1):
                cut.append(f"{x1 - x0} px wide, {max(0, min(x1, ax1) - max(x0, ax0))} shown in {where}")
                break
            if not scrolls_along(ancestor, False) and (y0 < ay0 or y1 > ay1):
                cut.append(f"{y1 - y0} px high, {max(0, min(y1, ay1) - max(y0, ay0))} shown in {where}")
                break
            if ancestor is root:
                break
            ancestor = ancestor.parentWidget()
        if cut:
            label = button.text() or button.toolTip() or button.objectName()
            out.append(f"{type(button).__name__} {label!r} beyond its parent: {cut[0]}")
    return out


def pane_findings(pane) -> list[str]:
    """Every readability / usability problem the checks above find in *pane*."""
    found = clipped_texts(pane) + cut_combo_texts(pane) + buttons_out_of_view(pane)
    for table in fitting_tables(pane):  # these show every column without scrolling
        if table.horizontalScrollBar().maximum() > 0:
            found.append(f"{table.objectName() or type(table).__name__}: columns need scrolling")
    return found


def is_known(pane_name: str, finding: str) -> bool:
    """True when *finding* in *pane_name* is listed in ``KNOWN_FINDINGS``."""
    return (pane_name, finding.split(":", 1)[0]) in KNOWN_FINDINGS


def fitting_tables(pane) -> list:
    """Tables whose columns must all be visible (issue 9: the credentials table cut Key / Last
    test / Calls; the Duplicates group list cut its second column)."""
    from fineflow_desktop.ui.curation import DuplicatesPane
    from fineflow_desktop.ui.settings.pane import SettingsPane

    if isinstance(pane, SettingsPane):
        return [pane.table]
    if isinstance(pane, DuplicatesPane):
        return [pane.groups_view]
    return []


@pytest.fixture
def filled_window(tmp_path, qtbot):
    ws = Workspace.open(tmp_path / "screens")
    ingest_paths(ws, [PYDOCS])
    text = "The quick brown fox jumps over the lazy dog near the river bank at dawn every day. " * 3
    add_document(ws, "/notes/a/fox.md", [text])
    add_document(ws, "/notes/b/fox.md", [text.replace("dawn", "dusk")])
    find_near_duplicates(ws, threshold=0.5)
    generate_extractive(ws, "python docs")
    create_credential(ws, name="local llama", provider="compatible", base_url="http://127.0.0.1:9/v1", model="llama3")
    win = MainWindow(ws, synchronous_tasks=True)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_pane_screenshot_and_no_cut_text(filled_window, qtbot, dark):
    with palette(dark):
        problems, known_seen = {}, set()
        for width, height in SIZES:
            filled_window.resize(width, height)
            for cls in PANES:
                pane = filled_window.show_pane(cls)
                qtbot.wait(5)
                name = f"{'dark' if dark else 'light'}_{width}x{height}_{cls.name}"
                shot(filled_window, name, SCREENS)
                found = pane_findings(pane)
                known_seen |= {(cls.name, f.split(":", 1)[0]) for f in found if is_known(cls.name, f)}
                cut = [f for f in found if not is_known(cls.name, f)]
                if cut:
                    problems[name] = cut
        assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
        assert known_seen == KNOWN_FINDINGS, f"fixed, remove from KNOWN_FINDINGS: {sorted(KNOWN_FINDINGS - known_seen)}"
