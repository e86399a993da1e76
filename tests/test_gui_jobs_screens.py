"""Screenshots for review: the wizard's three steps and the monitor with curves, light and dark,
at 1280×800 (offscreen grabs in /work/screens/app/jobs11-*.png)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.jobs import JobsPane
from fineflow_desktop.ui.main_window import MainWindow
from gui_helpers import shot
from jobs_gui_helpers import add_credential, ft_fake, make_dataset, support_rows  # noqa: F401 - fixture

MODEL = "gpt-4o-mini-2024-07-18"


def dark_palette() -> QPalette:
    pal = QPalette()
    roles = {QPalette.ColorRole.Window: (45, 47, 51), QPalette.ColorRole.WindowText: (225, 225, 225),
             QPalette.ColorRole.Base: (30, 32, 36), QPalette.ColorRole.AlternateBase: (40, 42, 46),
             QPalette.ColorRole.Text: (225, 225, 225), QPalette.ColorRole.Button: (55, 57, 61),
             QPalette.ColorRole.ButtonText: (225, 225, 225), QPalette.ColorRole.Highlight: (60, 110, 190),
             QPalette.ColorRole.HighlightedText: (255, 255, 255), QPalette.ColorRole.ToolTipBase: (45, 47, 51),
             QPalette.ColorRole.ToolTipText: (225, 225, 225), QPalette.ColorRole.PlaceholderText: (140, 140, 140)}
    for role, rgb in roles.items():
        pal.setColor(role, QColor(*rgb))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(120, 120, 120))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(120, 120, 120))
    return pal


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screens(qtbot, tmp_path, ft_fake, theme):  # noqa: F811
    app = QApplication.instance()
    old = app.palette()
    if theme == "dark":
        app.setPalette(dark_palette())
    try:
        ws = Workspace.open(tmp_path / "ws")
        make_dataset(ws, "support", support_rows(60, near_duplicates=8))
        add_credential(ws, ft_fake)
        ft.set_budget(ws, 25.0, "warn")
        done = ft.create_job(ws, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL,
                                            validation_split=0.2, suffix="support-v1"))
        ft_fake.finish_all()
        ft.sync_jobs(ws)
        ft.create_job(ws, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL, suffix="support-v2"))
        win = MainWindow(ws)
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        pane = win.show_pane(JobsPane)
        pane.select_job(done.id)
        qtbot.waitUntil(lambda: pane.detail.curves.point_count(done.id) > 0, timeout=20_000)
        pane.detail.curves.flush()
        shot(win, f"jobs11-monitor-{theme}")
        wiz = pane.open_wizard()
        wiz.resize(1280, 800)
        d = wiz.dataset_page
        qtbot.waitUntil(lambda: d.plan is not None, timeout=20_000)
        shot(wiz, f"jobs11-wizard-1-{theme}")
        wiz.next()
        wiz.provider_page.model_combo.setEditText(MODEL)
        shot(wiz, f"jobs11-wizard-2-{theme}")
        wiz.next()
        qtbot.waitUntil(lambda: wiz.review_page.estimate is not None, timeout=20_000)
        shot(wiz, f"jobs11-wizard-3-{theme}")
        wiz.reject()
        win.close()
    finally:
        app.setPalette(old)
