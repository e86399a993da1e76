"""Streaming-import benchmark: a generated ~250 MB OpenAI-chat JSONL (real conversations from
shared/data/real, made unique per line) imported into a fresh workspace.

Prints rows/s, MB/s, peak RSS during the import (sampled with psutil) next to the RSS before it,
and a floor: just reading + ``json.loads`` of every line in the same run. The generated file
lives in /tmp and is deleted afterwards.

    /work/main/.venv/bin/python bench/bench_import.py [--mb 250] [--array]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import psutil  # noqa: E402

from fineflow_desktop.services.import_dataset import import_file  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "real"


def real_conversations() -> list[list[dict]]:
    """Message lists from the real FastChat, GSM8K and LLaMA-Factory files."""
    convs = []
    role = {"human": "user", "gpt": "assistant"}
    for r in json.loads((REAL / "fastchat_dummy_conversation.json").read_text()):
        convs.append([{"role": role[t["from"]], "content": t["value"]} for t in r["conversations"]])
    for r in json.loads((REAL / "gsm8k_train_alpaca_format.json").read_text()):
        convs.append([{"role": "user", "content": r["instruction"]}, {"role": "assistant", "content": r["output"]}])
    for r in json.loads((REAL / "llamafactory_alpaca_en_demo.json").read_text()):
        q = r["instruction"] + ("\n" + r["input"] if r["input"] else "")
        convs.append([{"role": "system", "content": "You are a helpful assistant."},
                      {"role": "user", "content": q}, {"role": "assistant", "content": r["output"]}])
    return convs


def generate(path: Path, target_mb: int, as_array: bool) -> int:
    convs = real_conversations()
    target = target_mb * 1024 * 1024
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        if as_array:
            fh.write("[\n")
        while fh.tell() < target:
            msgs = [dict(m) for m in convs[n % len(convs)]]
            msgs[0]["content"] = f"[{n}] " + msgs[0]["content"]  # unique: no dedupe shortcut
            line = json.dumps({"messages": msgs}, ensure_ascii=False)
            fh.write(("  " + line + ",\n") if as_array else (line + "\n"))
            n += 1
        if as_array:
            fh.write('  {"messages": [{"role": "user", "content": "end"}, {"role": "assistant", "content": "end"}]}\n]\n')
            n += 1
    return n


class PeakRss:
    """Samples this process's RSS every 20 ms in a thread; ``peak`` in bytes."""

    def __init__(self):
        self.proc = psutil.Process()
        self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=250, help="size of the generated file")
    ap.add_argument("--array", action="store_true", help="a JSON array instead of JSONL")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fineflow-bench-import-", dir="/tmp"))
    try:
        data = tmp / ("big.json" if args.array else "big.jsonl")
        t0 = time.perf_counter()
        rows = generate(data, args.mb, args.array)
        size_mb = data.stat().st_size / 1e6
        print(f"generated {rows:,} records, {size_mb:,.0f} MB in {time.perf_counter() - t0:.1f} s ({data.name})")

        # floor: read + parse every record, nothing else
        from fineflow_desktop.core.jsonl_io import iter_records

        t0 = time.perf_counter()
        n = sum(1 for _ in iter_records(data))
        floor = time.perf_counter() - t0
        print(f"floor (read + json parse {n:,} records): {floor:.1f} s = {size_mb / floor:,.0f} MB/s")

        ws = Workspace.open(tmp / "ws")
        before = psutil.Process().memory_info().rss
        with PeakRss() as rss:
            t0 = time.perf_counter()
            report = import_file(ws, data, dataset_name="bench")
            took = time.perf_counter() - t0
        ws.close()
        print(f"import: {report.imported:,} pairs ({report.format}), {report.skipped} skipped, {report.duplicates} duplicates")
        print(f"import: {took:.1f} s = {report.imported / took:,.0f} rows/s = {size_mb / took:,.1f} MB/s "
              f"({took / floor:.1f}x the parse floor)")
        print(f"RSS before import: {before / 2**20:,.0f} MiB; peak during import: {rss.peak / 2**20:,.0f} MiB "
              f"(+{(rss.peak - before) / 2**20:,.0f} MiB for a {size_mb:,.0f} MB file)")
        print(f"workspace.db: {(tmp / 'ws' / 'workspace.db').stat().st_size / 1e6:,.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
