"""Training-curves chart: redraw time with 50,000 points per curve (goal ≤ 16 ms per redraw).

Drives the real ``ui.widgets.training_curves.TrainingCurves`` offscreen at 1280×800-ish size:
loads 50,000 steps of train loss and token accuracy (validation every 10 steps), then times
live updates: append 10 new steps + redraw (``flush``: setData with downsampling and
clip-to-view) + a synchronous repaint of the plot. Also times the same redraw zoomed in to the
last 1,000 steps (clip-to-view), and the overlay of 3 such runs. Prints median / p95 per case.

    .venv/bin/python bench/bench_chart.py [--points N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import _common  # noqa: F401 - sys.path + offscreen
import numpy as np

GOAL_MS = 16.0


def curve(n: int, seed: int, offset: int = 0) -> dict[str, np.ndarray]:
    """Loss-like series: exponential decay plus noise; accuracy rising toward 0.9."""
    rng = np.random.default_rng(seed)
    steps = np.arange(offset + 1, offset + n + 1, dtype=np.float64)
    t = steps / 50_000
    loss = 0.3 + 2.0 * np.exp(-5 * t) + rng.normal(0, 0.05, n)
    acc = 0.9 - 0.5 * np.exp(-5 * t) + rng.normal(0, 0.01, n)
    valid = np.where(steps % 10 == 0, loss + 0.05, np.nan)
    return {"steps": steps, "train_loss": loss, "train_mean_token_accuracy": acc, "valid_loss": valid}


def load(chart, key, data) -> None:
    for name in ("train_loss", "train_mean_token_accuracy", "valid_loss"):
        chart.append_series(key, name, data["steps"], data[name], label=str(key))


def time_updates(app, chart, keys, start: int, rounds: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (this thread) milliseconds of each redraw + synchronous repaint."""
    wall, cpu = [], []
    step = start
    for i in range(rounds):
        for k, key in enumerate(keys):
            load(chart, key, curve(10, 1000 + i + k, offset=step))
        step += 10
        t0, c0 = time.perf_counter(), time.thread_time()
        chart.flush()
        chart.plot.viewport().repaint()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        app.processEvents()
    return wall, cpu


def report(name: str, times: tuple[list[float], list[float]]) -> None:
    wall, cpu = (sorted(t) for t in times)
    p95 = wall[int(0.95 * (len(wall) - 1))]
    med, cmed = statistics.median(wall), statistics.median(cpu)
    print(f"{name:<52} wall median {med:6.2f} ms  p95 {p95:6.2f} ms  CPU median {cmed:6.2f} ms"
          f"   goal ≤ {GOAL_MS:.0f} ms  {'OK' if med <= GOAL_MS else 'OVER'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=60)
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from fineflow_desktop.ui.widgets.training_curves import TrainingCurves

    app = QApplication.instance() or QApplication([])
    chart = TrainingCurves()
    chart.resize(1000, 500)
    chart.show()
    app.processEvents()
    n = args.points
    t0 = time.perf_counter()
    load(chart, "run-1", curve(n, 1))
    chart.flush()
    chart.plot.viewport().repaint()
    print(f"points per curve: {n:,} (train loss, token accuracy; validation loss every 10 steps)")
    print(f"first load + redraw of {n:,} points: {(time.perf_counter() - t0) * 1000:.1f} ms")
    report(f"live update (+10 steps) at {n:,} points, full view", time_updates(app, chart, ["run-1"], n, args.rounds))
    chart.follow_check.setChecked(False)
    chart.plot.getPlotItem().setXRange(n - 1000, n + args.rounds * 10, padding=0)
    app.processEvents()
    report("live update, zoomed to the last 1,000 steps", time_updates(app, chart, ["run-1"], n + args.rounds * 10,
                                                                         args.rounds))
    chart.follow_check.setChecked(True)
    for k in ("run-2", "run-3"):
        load(chart, k, curve(n, hash(k) % 100))
    chart.flush()
    report(f"overlay of 3 runs × {n:,} points, each +10 steps", time_updates(app, chart, ["run-1", "run-2", "run-3"],
                                                                            n + 2 * args.rounds * 10, args.rounds))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("(measured on a shared 2-core machine under other engineers' load; rerun quiet for final figures)")


if __name__ == "__main__":
    main()
