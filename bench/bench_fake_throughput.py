"""Throughput of the OpenAI loopback fake through the real SDK (is the fake ever the bottleneck?).

400 chat requests, concurrency 8, fake latency 200 ms: ideal rate = 8 / 0.2 = 40 req/s.
Prints achieved rate, % of ideal, p50/p95 client latency, and spec violations (must be 0).
Run: /work/main/.venv/bin/python bench/bench_fake_throughput.py
"""

import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from fakes.openai_fake import OpenAIFake  # noqa: E402
from fineflow_desktop.providers.openai_provider import OpenAIProvider  # noqa: E402

N, CONCURRENCY, LATENCY = 400, 8, 0.2


def main() -> None:
    with OpenAIFake(api_key="sk-bench-000000000000", latency_s=LATENCY, validate_responses="--no-response-check" not in sys.argv) as fake:
        provider = OpenAIProvider("sk-bench-000000000000", fake.base_url)
        msgs = [{"role": "system", "content": "You write training pairs."}]
        provider.chat(msgs + [{"role": "user", "content": "warm up"}], "gpt-4o-mini")  # SDK lazy imports
        lat = []

        def one(i: int) -> None:
            t = time.perf_counter()
            provider.chat(msgs + [{"role": "user", "content": f"Write 3 pairs. Chunk {i} says something useful."}],
                          "gpt-4o-mini", json_mode=True)
            lat.append(time.perf_counter() - t)

        start = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(one, range(N)))
        wall = time.perf_counter() - start
        ideal = CONCURRENCY / LATENCY
        rate = N / wall
        q = statistics.quantiles(lat, n=20)
        print(f"requests {N}  concurrency {CONCURRENCY}  fake latency {LATENCY * 1000:.0f} ms")
        print(f"rate {rate:.1f} req/s  ideal {ideal:.1f} req/s  -> {100 * rate / ideal:.1f}% of ideal")
        print(f"client latency p50 {statistics.median(lat) * 1000:.0f} ms  p95 {q[18] * 1000:.0f} ms")
        print(f"server peak concurrency {fake.max_concurrent}  spec violations {len(fake.violations)}")


if __name__ == "__main__":
    main()
