"""Screenshots for review: the wizard's three steps and the monitor with curves (and a failed
job's error banner), light and dark, with the application style sheet, at 1280×800 (offscreen
grabs in /work/screens/app/stall11-*.png)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.store.workspace import Workspace
from fineflow_desktop.ui.jobs import JobsPane
from fineflow_desktop.ui.main_window import MainWindow
from fineflow_desktop.ui.style import apply_app_style, dark_palette
from gui_helpers import shot
from jobs_gui_helpers import add_credential, ft_fake, make_dataset, support_rows  # noqa: F401 - fixture

MODEL = "gpt-4o-mini-2024-07-18"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screens(qtbot, tmp_path, ft_fake, theme):  # noqa: F811
    app = QApplication.instance()
    old, old_sheet = app.palette(), app.styleSheet()
    if theme == "dark":
        app.setPalette(dark_palette())
    apply_app_style(app)  # banners and the job title come from app.qss
    try:
        ws = Workspace.open(tmp_path / "ws")
        make_dataset(ws, "support", support_rows(60, near_duplicates=8))
        add_credential(ws, ft_fake)
        ft.set_budget(ws, 25.0, "warn")
        done = ft.create_job(ws, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL,
                                            validation_split=0.2, suffix="support-v1"))
        ft_fake.finish_all()
        ft.sync_jobs(ws)
        checker = ft_fake.file_checker
        ft_fake.file_checker = lambda data: {"code": "invalid_training_file", "param": "training_file",
                                             "message": "Invalid file format. Line 3, message 2: content too long."}
        failed = ft.create_job(ws, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL, suffix="bad"))
        ft_fake.finish_all()
        ft.sync_jobs(ws)
        ft_fake.file_checker = checker
        ft.create_job(ws, ft.JobSpec(dataset="support", credential="openai-ft", model=MODEL, suffix="support-v2"))
        win = MainWindow(ws)
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        pane = win.show_pane(JobsPane)
        pane.select_job(done.id)
        qtbot.waitUntil(lambda: pane.detail.curves.point_count(done.id) > 0, timeout=20_000)
        pane.detail.curves.flush()
        shot(win, f"stall11-monitor-{theme}")
        pane.select_job(failed.id)
        qtbot.waitUntil(lambda: pane.detail.job.id == failed.id and pane.detail.error_label.isVisible(), timeout=20_000)
        assert pane.detail.error_label.property("banner") == "error"
        shot(win, f"stall11-monitor-failed-{theme}")
        wiz = pane.open_wizard()
        wiz.resize(1280, 800)
        d = wiz.dataset_page
        qtbot.waitUntil(lambda: d.plan is not None, timeout=20_000)
        shot(wiz, f"stall11-wizard-1-{theme}")
        wiz.next()
        wiz.provider_page.model_combo.setEditText(MODEL)
        shot(wiz, f"stall11-wizard-2-{theme}")
        wiz.next()
        qtbot.waitUntil(lambda: wiz.review_page.estimate is not None, timeout=20_000)
        shot(wiz, f"stall11-wizard-3-{theme}")
        wiz.reject()
        win.close()
    finally:
        app.setPalette(old)
        app.setStyleSheet(old_sheet)
