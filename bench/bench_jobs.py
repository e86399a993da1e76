"""Fine-tuning jobs: ``jobs sync`` of 20 live jobs against the loopback OpenAI fine-tuning fake with
100 ms latency (goal ≤ 1.5 s, issue 11), and the time spent in store writes when polling 20 live
jobs with 1,000 events (and 1,000 metric steps) each. The UI-thread stall is measured by the
monitor's bench (jobs11ui); here the poll's writes run on the calling thread, so their time is
the upper bound of what a poll could cost a thread that did them.

Run: ``.venv/bin/python bench/bench_jobs.py`` (prints figures; machine load changes them).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401 - puts src/ on sys.path
import keyring

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakes.file_keyring import FileKeyring  # noqa: E402
from fakes.ft_sim import Timing  # noqa: E402
from fakes.openai_ft_fake import OpenAIFineTuneFake  # noqa: E402
from fineflow_desktop.providers import credentials as creds  # noqa: E402
from fineflow_desktop.services import datasets, pair_bulk  # noqa: E402
from fineflow_desktop.services import finetune as ft  # noqa: E402
from fineflow_desktop.services.finetune import poll  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402

KEY = "sk-bench-0123456789abcdef"
N_JOBS = 20


def setup(tmp: Path, fake, n_pairs: int, epochs: int) -> Workspace:
    ws = Workspace.open(tmp / "ws")
    did = datasets.get_or_create_dataset(ws, "bench")
    pair_bulk.insert_pairs(ws, did, [{"system": "You help.", "user": f"How do I reset device {i}?",
                                      "assistant": f"Hold the power button of device {i} for ten seconds."} for i in range(n_pairs)])
    creds.create_credential(ws, "oa", "openai", base_url=fake.base_url, api_key=KEY)  # key in the file keyring
    for _ in range(N_JOBS):
        ft.create_job(ws, ft.JobSpec(dataset="bench", credential="oa", model="gpt-4o-mini", epochs=epochs, batch_size=1))
    return ws


def bench_sync_latency() -> None:
    with tempfile.TemporaryDirectory() as tmp, OpenAIFineTuneFake(api_key=KEY, timing=Timing(0.0, 0.0, 3600.0)) as fake:
        ws = setup(Path(tmp), fake, 20, 3)
        ft.sync_jobs(ws)  # first pass: the started-training events
        fake.failure_paths, fake.latency_s = ("/fine_tuning",), 0.100
        times = []
        for _ in range(5):
            r = ft.sync_jobs(ws)
            assert len(r.results) == N_JOBS and not r.errors, r.to_dict()
            times.append(r.seconds)
        ws.close()
        cli = []
        env = {**os.environ, "PYTHONPATH": str(ROOT / "tests"), "PYTHON_KEYRING_BACKEND": "fakes.file_keyring.FileKeyring"}
        for _ in range(3):
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "fineflow_desktop.cli", "jobs", "sync", "--json", "--workspace",
                                  str(Path(tmp) / "ws")], capture_output=True, text=True, env=env)
            cli.append(time.perf_counter() - t0)
            assert out.returncode == 0, out.stderr
        print(f"sync of {N_JOBS} live jobs, 100 ms latency per request (2 requests per job), "
              f"{poll.DEFAULT_WORKERS} workers: median {statistics.median(times):.3f} s, max {max(times):.3f} s (goal <= 1.5 s); "
              f"peak parallel requests at the fake {fake.max_concurrent}")
        print(f"  'fineflow jobs sync' as a process (Python start-up, imports, workspace open, the pass): "
              f"median {statistics.median(cli):.2f} s")


def bench_store_writes() -> None:
    with tempfile.TemporaryDirectory() as tmp, OpenAIFineTuneFake(api_key=KEY, timing=Timing(0.0, 0.0, 1.0)) as fake:
        ws = setup(Path(tmp), fake, 100, 11)  # 100 examples × 11 epochs, batch 1: 1,100 steps per job
        for j in fake.jobs.values():  # 1,000 steps done, still training: the worst first poll
            j["sim"].t0 -= 1000.5
            j["sim"].advance()
        spent: list[float] = []
        real = poll.store_many

        def timed_store(ws_, fetched):
            t0 = time.perf_counter()
            try:
                return real(ws_, fetched)
            finally:
                spent.append(time.perf_counter() - t0)

        poll.store_many = timed_store  # the pass's writes: one transaction for all jobs
        try:
            r = ft.sync_jobs(ws)
            first = list(spent)
            spent.clear()
            r2 = ft.sync_jobs(ws)
        finally:
            poll.store_many = real
        ev = sum(x.new_events for x in r.results)
        mt = sum(x.new_metrics for x in r.results)
        print(f"first poll of {N_JOBS} jobs with {ev // N_JOBS} new events + {mt // N_JOBS} metric steps each: "
              f"store writes {sum(first) * 1000:.0f} ms for the pass ({sum(first) * 1000 / N_JOBS:.1f} ms per job); "
              f"whole pass {r.seconds:.2f} s")
        print(f"next poll (no new events): store writes {sum(spent) * 1000:.1f} ms for the pass "
              f"({sum(spent) * 1000 / N_JOBS:.2f} ms per job); whole pass {r2.seconds:.2f} s")
        ws.close()


if __name__ == "__main__":
    _keys = tempfile.NamedTemporaryFile(suffix=".json", delete=False)
    os.environ["FINEFLOW_TEST_KEYRING"] = _keys.name
    keyring.set_keyring(FileKeyring())
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    if only in ("", "sync"):
        bench_sync_latency()
    if only in ("", "writes"):
        bench_store_writes()
