"""Every pane in the real window, light and dark palettes, at 1280×800 and 1100×700: screenshots
for review (``/work/screens/app/panes``) and a check that no button, label or table header
text is cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_helpers import add_document
from gui_helpers import APP_SCREENS, palette, shot
from PySide6.QtWidgets import QAbstractButton, QHeaderView, QLabel, QStyle

from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.services.datasets import generate_extractive
from fineflow_desktop.services.dedup import find_near_duplicates
from fineflow_desktop.services.ingest import ingest_paths
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.main_window import PANES, MainWindow

PYDOCS = Path(__file__).parent / "fixtures" / "pydocs"
SIZES = ((1280, 800), (1100, 700))
SCREENS = APP_SCREENS / "panes"


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
        problems = {}
        for width, height in SIZES:
            filled_window.resize(width, height)
            for cls in PANES:
                pane = filled_window.show_pane(cls)
                qtbot.wait(5)
                name = f"{'dark' if dark else 'light'}_{width}x{height}_{cls.name}"
                shot(filled_window, name, SCREENS)
                cut = clipped_texts(pane)
                for table in fitting_tables(pane):  # these show every column without scrolling
                    if table.horizontalScrollBar().maximum() > 0:
                        cut.append(f"{table.objectName() or type(table).__name__}: columns need scrolling")
                if cut:
                    problems[name] = cut
        assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
