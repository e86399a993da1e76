"""The app as its own process for the kill -9 tests: a real ``MainWindow`` (offscreen, real
threads) on a workspace, printing one JSON line per event so the test knows when to kill it.

    python tests/jobs_app_driver.py --workspace WS --key KEY --mode launch|monitor [--model M]

``launch`` drives the launch wizard (first launchable dataset, the credential, no split) and
clicks Launch; both modes then print ``{"ev": "job", "id", "status", "points", "events"}`` after
every poll pass of the monitor (and ``poll_pid``, the poll process). The API key is given as a session key (the test keyring is
in-memory, so it does not outlive a process). Stages of the launch task are printed as
``{"ev": "progress", "message"}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def say(**kw) -> None:
    print(json.dumps(kw), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--mode", choices=("launch", "monitor"), required=True)
    ap.add_argument("--model", default="gpt-4o-mini-2024-07-18")
    ap.add_argument("--interval", type=float, default=0.2)
    a = ap.parse_args()

    import keyring
    from PySide6.QtWidgets import QApplication, QWizard

    from conftest import MemoryKeyring
    from fineflow_desktop.providers import credentials as creds
    from fineflow_desktop.store.workspace import Workspace
    from fineflow_desktop.ui.jobs import JobsPane
    from fineflow_desktop.ui.main_window import MainWindow

    keyring.set_keyring(MemoryKeyring())
    app = QApplication.instance() or QApplication([])
    ws = Workspace.open(Path(a.workspace))
    for c in creds.list_credentials(ws, "openai"):
        creds.set_credential_key(ws, c.id, a.key, session_only=True)
    win = MainWindow(ws)
    win.resize(1280, 800)
    win.show()
    pane = win.show_pane(JobsPane)
    pane.poller.visible_interval_s = a.interval

    def report(snap) -> None:
        job = pane.detail.job
        if job is not None:
            pane.detail.curves.flush()
            say(ev="job", id=job.id, status=job.status, provider_job_id=job.provider_job_id,
                points=pane.detail.curves.point_count(job.id), events=pane.detail.events_model.rowCount(),
                reconciled=snap.report.reconciled, poll_pid=pane.poller.process_pid())

    pane.poller.synced.connect(report)
    say(ev="started", pid=os.getpid())
    if a.mode == "launch":
        wiz = pane.open_wizard()
        d = wiz.dataset_page

        def wait(pred, ms=30_000):
            from PySide6.QtCore import QElapsedTimer
            t = QElapsedTimer()
            t.start()
            while not pred():
                app.processEvents()
                if t.elapsed() > ms:
                    say(ev="timeout")
                    raise SystemExit(3)

        wait(lambda: bool(d.summaries))
        d.split_check.setChecked(False)
        wait(d.isComplete)
        wiz.next()
        wiz.provider_page.model_combo.setEditText(a.model)
        wait(wiz.provider_page.isComplete)
        wiz.next()
        wait(wiz.review_page.isComplete)
        wiz.launched.connect(lambda job: say(ev="launched", id=job.id, provider_job_id=job.provider_job_id))
        wiz.button(QWizard.WizardButton.FinishButton).click()
        wiz.launch_task.signals.progress.connect(lambda done, total, msg: say(ev="progress", message=msg))
        wiz.launch_task.signals.error.connect(lambda msg, _tb: say(ev="launch_error", message=msg))
        say(ev="launching")
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
