"""BLAS threads in the LSA fit (``core.lsa.SVD_BLAS_THREADS``), idle and beside busy processes.

Fits ``fineflow-lsa`` on 6,000 text windows of the machine's Debian ``copyright`` files (real text
nobody here wrote) and embeds 2,000 of them, once with OpenBLAS's default threads and once with
one, first on an idle machine, then beside N busy processes (N = cores, as during an ingest with
its worker processes). Prints wall and CPU seconds, median of ``--repeat`` runs.

    python bench/bench_lsa_threads.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import glob
import multiprocessing as mp
import os
import statistics
import time

from fineflow_desktop.core import lsa


def corpus(n: int = 6000, window: int = 2000) -> list[str]:
    texts: list[str] = []
    for path in sorted(glob.glob("/usr/share/doc/*/copyright")):
        try:
            text = open(path, encoding="utf-8", errors="ignore").read()
        except OSError:
            continue
        texts += [text[i:i + window] for i in range(0, len(text), window)]
        if len(texts) >= n:
            break
    return texts[:n]


def spin(stop) -> None:
    while not stop.is_set():
        pass


def timed(texts: list[str], threads: int | None) -> tuple[float, float]:
    lsa.SVD_BLAS_THREADS = threads
    wall, cpu = time.perf_counter(), time.process_time()
    lsa.LsaEmbedder.fit(texts).embed(texts[:2000])
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = corpus()
    print(f"{len(texts)} texts · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f}")
    busy_n = os.cpu_count() or 2
    for label, busy in (("idle", 0), (f"beside {busy_n} busy processes", busy_n)):
        stop = mp.Event()
        hogs = [mp.Process(target=spin, args=(stop,), daemon=True) for _ in range(busy)]
        for h in hogs:
            h.start()
        try:
            for threads in (None, 1):
                runs = [timed(texts, threads) for _ in range(args.repeat)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                name = "default threads" if threads is None else f"{threads} BLAS thread"
                print(f"{label:32s} {name:16s} fit+embed wall {wall:5.2f} s  cpu {cpu:5.2f} s")
        finally:
            stop.set()
            for h in hogs:
                h.join()


if __name__ == "__main__":
    main()
