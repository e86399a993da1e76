"""Compare runs (issue 12): three local runs of N logged steps each (train loss, eval loss every
10th step, learning rate) in a real workspace, then

- ``compare_runs`` (store reads + config rows) — what the task does off the main thread;
- the overlay on the main thread: ``CompareRunsDialog._show`` for three new runs (curve items
  created, points appended, flush = setData with downsampling + legend) plus a synchronous
  repaint; and the same call again for the runs already shown (a refresh);
- a re-tick (untick one run, tick it again): the same work again.

Prints median / p95 over R rounds. Run: ``.venv/bin/python bench/bench_compare_runs.py [--steps N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401 - sys.path + offscreen

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.store.workspace import Workspace


def write_run(folder: Path, steps: int, lr0: float) -> None:
    folder.mkdir(parents=True)
    warm = max(1, steps // 10)
    with (folder / "trainer_log.jsonl").open("w") as fh:
        for s in range(1, steps + 1):
            lr = lr0 * s / warm if s < warm else lr0 * (1 - (s - warm) / (steps - warm))
            fh.write(json.dumps({"current_steps": s, "total_steps": steps, "loss": 2.0 - s / steps, "lr": lr,
                                 "epoch": 3 * s / steps}) + "\n")
            if s % 10 == 0:
                fh.write(json.dumps({"current_steps": s, "total_steps": steps, "eval_loss": 2.1 - s / steps}) + "\n")
    old = time.time() - 60
    os.utime(folder / "trainer_log.jsonl", (old, old))


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication
    from PySide6.QtGui import QUndoStack

    from fineflow_desktop.ui.context import AppContext, Events
    from fineflow_desktop.ui.jobs.compare_runs import CompareRunsDialog
    from fineflow_desktop.workers import TaskManager

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "ws")
        ids = []
        for i, lr in enumerate((1e-4, 5e-5, 2e-4)):
            write_run(Path(tmp) / f"run{i}", args.steps, lr)
            ids.append(ft.register_local_run(ws, Path(tmp) / f"run{i}", f"lora-{lr:g}").id)
        t0 = time.perf_counter()
        ft.sync_jobs(ws)
        ingest = time.perf_counter() - t0
        service = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            cmp = ft.compare_runs(ws, ids)
            service.append((time.perf_counter() - t0) * 1000)
        tasks = TaskManager(synchronous=True)
        ctx = AppContext(workspace=ws, tasks=tasks, undo_stack=QUndoStack(), events=Events())
        dlg = CompareRunsDialog(ctx, ft.list_jobs(ws), [])
        dlg.resize(1180, 760)
        dlg.show()
        app.processEvents()
        fresh, redraw = [], []
        for _ in range(args.rounds):
            dlg.curves.clear()
            t0 = time.perf_counter()
            dlg._show(cmp)  # three new runs: items created, points appended, one flush
            dlg.curves.plot.repaint()
            fresh.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            dlg._show(cmp)  # the same runs again (a refresh): nothing new to append
            dlg.curves.plot.repaint()
            redraw.append((time.perf_counter() - t0) * 1000)
        retick = []
        for _ in range(min(5, args.rounds)):
            t0 = time.perf_counter()
            dlg.set_checked(ids)  # the synchronous task: compare_runs + _show
            dlg.curves.plot.repaint()
            retick.append((time.perf_counter() - t0) * 1000)
        points = sum(dlg.curves.point_count(i) for i in ids)
        dlg.close()
        tasks.shutdown()
        ws.close()
    load = os.getloadavg()[0]
    print(f"compare runs: 3 local runs × {args.steps:,} steps ({points:,} train-loss points; + eval every 10th, lr); "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    print(f"  first sync of the three logs: {ingest:.2f} s")
    print(f"  compare_runs (store reads + config rows): median {statistics.median(service):.1f} ms, "
          f"p95 {pct(service, 0.95):.1f} ms")
    print(f"  overlay of 3 new runs on the main thread (_show + repaint): median {statistics.median(fresh):.1f} ms, "
          f"p95 {pct(fresh, 0.95):.1f} ms")
    print(f"  refresh of the same 3 runs (_show + repaint): median {statistics.median(redraw):.1f} ms, "
          f"p95 {pct(redraw, 0.95):.1f} ms")
    print(f"  re-tick (synchronous task + redraw): median {statistics.median(retick):.1f} ms")


if __name__ == "__main__":
    main()
