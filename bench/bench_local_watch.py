"""Following a local training run (issue 12): how fast FineFlow takes in a LLaMA-Factory
``trainer_log.jsonl`` and an HF ``trainer_state.json``.

Prints: the time to take in a finished 50,000-line log in one poll (lines/s), the cost of one
incremental poll that finds 100 new lines at the end of that log, the cost of a poll that finds
nothing new, and the same first poll for a ``trainer_state.json`` with 50,000 log_history entries.
Run: ``.venv/bin/python bench/bench_local_watch.py``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402,F401  (puts src on sys.path)

from fineflow_desktop.services import finetune as ft  # noqa: E402
from fineflow_desktop.services.finetune.local_runs import register_local_run  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402

LINES = int(__import__("os").environ.get("BENCH_LINES", "50000"))


def lf_line(step: int, total: int) -> str:
    return json.dumps({"current_steps": step, "total_steps": total, "loss": 2.0 - step / total, "lr": 1e-4,
                       "epoch": step / 1000, "percentage": round(100 * step / total, 2),
                       "elapsed_time": str(timedelta(seconds=step)), "remaining_time": str(timedelta(seconds=total - step))})


def timed_poll(ws, job_id: int) -> float:
    t0 = time.perf_counter()
    res = ft.poll_job(ws, job_id)
    assert res.error is None, res.error
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ws = Workspace.open(tmp / "ws")
        total = LINES + 100
        run = tmp / "lf"
        run.mkdir()
        (run / "trainer_log.jsonl").write_text("".join(lf_line(s, total) + "\n" for s in range(1, LINES + 1)))
        job = register_local_run(ws, run)
        first = timed_poll(ws, job.id)
        n = len(ft.job_metrics(ws, job.id))
        print(f"trainer_log.jsonl, {LINES:,} lines: first poll {first:.2f} s ({LINES / first:,.0f} lines/s), {n:,} steps stored")
        with (run / "trainer_log.jsonl").open("a") as fh:
            fh.write("".join(lf_line(s, total) + "\n" for s in range(LINES + 1, LINES + 101)))
        inc = timed_poll(ws, job.id)
        idle = [timed_poll(ws, job.id) for _ in range(5)]
        print(f"incremental poll finding 100 new lines: {inc * 1000:.1f} ms; poll finding nothing new: "
              f"median {statistics.median(idle) * 1000:.1f} ms")
        print(f"job status after the last step: {ft.get_job(ws, job.id).status}")

        hf = tmp / "hf"
        hf.mkdir()
        hist = [{"loss": 2.0 - s / LINES, "learning_rate": 1e-4, "grad_norm": 1.0, "epoch": s / 1000, "step": s}
                for s in range(1, LINES + 1)]
        (hf / "trainer_state.json").write_text(json.dumps({"global_step": LINES, "max_steps": LINES, "log_history": hist},
                                                          indent=2, sort_keys=True))
        job2 = register_local_run(ws, hf)
        t = timed_poll(ws, job2.id)
        print(f"trainer_state.json, {LINES:,} log_history entries: first poll {t:.2f} s, "
              f"{len(ft.job_metrics(ws, job2.id)):,} steps stored, status {ft.get_job(ws, job2.id).status}")
        ws.close()


if __name__ == "__main__":
    main()
