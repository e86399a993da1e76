"""Pair editor at 100,000 pairs: open, jump to end, sort, full-text search, bulk validate.

Builds (once, in a child process, cached in /tmp) a workspace of 100k pairs made of real records
from /work/shared/data/real (Alpaca, GSM8K, GPTeacher, ShareGPT, OpenAI-chat files; repeated with
small variations), then drives the real PairsPane (model + view + detail panel) offscreen and
prints each timing next to the issue's goal, plus peak memory (RSS).

    /work/main/.venv/bin/python bench/bench_review.py [--pairs N] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REAL = Path("/work/shared/data/real")
GOALS_MS = {"open + first paint": 300, "jump to end": 50, "sort by tokens": 300, "FTS search": 100,
            "bulk validate 10k": 1000}


def real_records() -> list[dict]:
    """Pair rows from the real data files (single-turn Alpaca-style and multi-turn chats)."""
    rows: list[dict] = []
    for name in ("llamafactory_alpaca_en_demo.json", "gsm8k_train_alpaca_format.json",
                 "gpteacher_toolformer_dedupe_only.json", "llamafactory_identity.json"):
        for r in json.loads((REAL / name).read_text(encoding="utf-8")):
            user = r["instruction"] + (f"\n\n{r['input']}" if r.get("input") else "")
            rows.append({"user": user, "assistant": r["output"], "source": "imported"})
    role = {"human": "user", "gpt": "assistant", "system": "system"}
    for c in json.loads((REAL / "fastchat_dummy_conversation.json").read_text(encoding="utf-8")):
        msgs = [{"role": role[t["from"]], "content": t["value"]} for t in c["conversations"] if t["from"] in role]
        rows.append({"messages": msgs, "source": "imported"})
    with open(REAL / "llamafactory_v1_sft_demo.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            msgs = [m for m in rec["messages"] if isinstance(m.get("content"), str)]
            if msgs:
                rows.append({"messages": msgs, "source": "imported"})
    return rows


def build(path: Path, n: int) -> None:
    """Create the workspace at *path* with *n* pairs (run in a child process)."""
    from fineflow_desktop.services import pairs as svc
    from fineflow_desktop.services.datasets import get_or_create_dataset
    from fineflow_desktop.store.workspace import Workspace

    ws = Workspace.open(path)
    ds = get_or_create_dataset(ws, "bench-100k")
    base = real_records()
    sources = ("imported", "generated", "extractive", "manual")

    def rows():
        for i in range(n):
            r = dict(base[i % len(base)])
            round_ = i // len(base)
            if round_:  # vary repeats so they are not all exact duplicates
                if "messages" in r:
                    msgs = [dict(m) for m in r["messages"]]
                    first_user = next(m for m in msgs if m["role"] == "user")
                    first_user["content"] = f"{first_user['content']} (variant {round_})"
                    r["messages"] = msgs
                else:
                    r["user"] = f"{r['user']} (variant {round_})"
            r["source"] = sources[i % 4]
            r["quality"] = round((i * 7919 % 1000) / 1000, 3)
            yield r

    t = time.perf_counter()
    svc.insert_pairs(ws, ds, rows(), batch_size=5000)
    print(f"built {n:,} pairs from {len(base):,} real records in {time.perf_counter() - t:.1f} s", flush=True)
    ws.close()


def measure(path: Path, repeats: int) -> None:
    import psutil
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from fineflow_desktop.store.workspace import Workspace
    from fineflow_desktop.ui.context import AppContext, Events
    from fineflow_desktop.ui.pairs.pane import PairsPane
    from fineflow_desktop.ui.pairs.table_model import COLUMN_INDEX, MAX_CACHED_ROWS
    from fineflow_desktop.workers import TaskManager

    proc = psutil.Process()
    app = QApplication.instance() or QApplication([])
    ws = Workspace.open(path)
    ctx = AppContext(ws, TaskManager(synchronous=True), QUndoStack(), Events())
    rss_imports = proc.memory_info().rss
    from fineflow_desktop.core.tokens import get_encoding

    # The tokenizer is shared app-wide; load it before measuring the pane. core.tokens caches
    # get_encoding() and get_encoding("o200k_base") separately (two ~70 MB copies), so load both.
    get_encoding()
    get_encoding("o200k_base")
    rss_start = proc.memory_info().rss
    peak = rss_start

    max_cached = [0]

    def sample_rss() -> None:
        nonlocal peak
        peak = max(peak, proc.memory_info().rss)
        max_cached[0] = max(max_cached[0], pane.model.cached_rows)

    results: dict[str, list[float]] = {k: [] for k in GOALS_MS}
    extra: dict[str, list[float]] = {
        "undo bulk validate 10k": [], "sort by user text": [], "sort by assistant text": [], "sort by valid": [],
        "FTS search (rare word)": [], "filter: invalid": [], "filter: duplicates": [], "select all + validate 100k": [],
    }
    cpu: dict[str, list[float]] = {}
    current: list[str] = [""]

    def timed(fn) -> float:
        c = time.process_time()
        t = time.perf_counter()
        fn()
        view.viewport().repaint()  # synchronous paint of the visible rows
        ms = (time.perf_counter() - t) * 1000
        cpu.setdefault(current[0], []).append((time.process_time() - c) * 1000)
        sample_rss()
        return ms

    def named(name: str, fn) -> float:
        current[0] = name
        return timed(fn)

    for rep in range(repeats):
        pane = PairsPane(ctx)
        pane.resize(1400, 900)
        pane.show()
        app.processEvents()
        view = pane.view
        ds = pane.dataset_box.itemData(0)
        pane.dataset_id = None
        results["open + first paint"].append(named("open + first paint", lambda: pane.show_dataset(ds)))
        results["jump to end"].append(named("jump to end", view.scrollToBottom))
        view.scrollToTop()
        order = Qt.DescendingOrder if rep % 2 == 0 else Qt.AscendingOrder
        results["sort by tokens"].append(named("sort by tokens", lambda: view.sortByColumn(COLUMN_INDEX["tokens"], order)))
        extra["sort by user text"].append(named("sort by user text",
                                                lambda: view.sortByColumn(COLUMN_INDEX["user"], Qt.AscendingOrder)))
        extra["sort by assistant text"].append(named("sort by assistant text",
                                                     lambda: view.sortByColumn(COLUMN_INDEX["assistant"], Qt.AscendingOrder)))
        extra["sort by valid"].append(named("sort by valid",
                                            lambda: view.sortByColumn(COLUMN_INDEX["valid"], Qt.DescendingOrder)))
        view.sortByColumn(COLUMN_INDEX["id"], Qt.AscendingOrder)
        fb = pane.filter_bar
        extra["filter: invalid"].append(named("filter: invalid", lambda: fb.valid.setCurrentIndex(fb.valid.findData(False))))
        fb.valid.setCurrentIndex(0)
        extra["filter: duplicates"].append(named("filter: duplicates",
                                                 lambda: fb.flagged.setCurrentIndex(fb.flagged.findData("duplicate"))))
        fb.flagged.setCurrentIndex(0)
        word = ("python", "number", "water")[rep % 3]

        def search(text: str):
            pane.filter_bar.search.setText(text)
            pane.filter_bar.flush()

        results["FTS search"].append(named("FTS search", lambda: search(word)))
        extra["FTS search (rare word)"].append(named("FTS search (rare word)", lambda: search("photosynthesis")))
        search("")

        def bulk():
            pane.select_rows(list(range(10_000)), 0)
            pane.set_validated(rep % 2 == 0)

        results["bulk validate 10k"].append(named("bulk validate 10k", bulk))
        extra["undo bulk validate 10k"].append(named("undo bulk validate 10k", ctx.undo_stack.undo))

        def select_all_validate():
            view.selectAll()
            pane.set_validated(True)

        extra["select all + validate 100k"].append(named("select all + validate 100k", select_all_validate))
        ctx.undo_stack.undo()
        shown = pane.model.rowCount()
        pane.close()
        pane.deleteLater()
        app.processEvents()

    load = os.getloadavg()[0]
    print(f"\npairs shown: {shown:,}; page cache held at most {max_cached[0]:,} rows (bound {MAX_CACHED_ROWS:,}); {repeats} repeats; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs (wall time suffers when the machine is busy; "
          "CPU ms = this process's CPU time)")
    print(f"{'measurement':26s} {'wall median':>11s} {'wall max':>9s} {'CPU median':>10s} {'goal':>6s}  result (wall)")
    for name, values in results.items():
        med = statistics.median(values)
        goal = GOALS_MS[name]
        print(f"{name:26s} {med:9.1f}ms {max(values):7.1f}ms {statistics.median(cpu[name]):8.1f}ms {goal:4d}ms  "
              f"{'OK' if med <= goal else 'OVER'}")
    for name, values in extra.items():
        print(f"{name:26s} {statistics.median(values):9.1f}ms {max(values):7.1f}ms "
              f"{statistics.median(cpu[name]):8.1f}ms {'-':>6s}")
    print(f"\nRSS after imports {rss_imports / 2**20:.0f} MiB, with the o200k tokenizer loaded "
          f"{rss_start / 2**20:.0f} MiB, peak {peak / 2**20:.0f} MiB "
          f"(+{(peak - rss_start) / 2**20:.0f} MiB for the pane at {shown:,} pairs)")
    ws.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.workspace or Path(f"/tmp/fineflow_bench_review_{args.pairs}")
    if args.build_only:
        build(path, args.pairs)
        return 0
    if args.rebuild or not (path / "workspace.db").exists():
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        # Build in a child process so the measured process's RSS is the pane's alone.
        subprocess.run([sys.executable, __file__, "--build-only", "--pairs", str(args.pairs),
                        "--workspace", str(path)], check=True)
    measure(path, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
