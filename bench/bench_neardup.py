"""Near-duplicate benchmark: 100k real-text chunks with planted copies edited at 5% and 10%.

Prints recall of the planted copies at each edit rate, precision (share of reported pairs whose
exact character-5-gram Jaccard is >= the threshold; checked on a sample), time and peak RSS.
Run: /work/main/.venv/bin/python bench/bench_neardup.py [--size N] [--planted N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import corpus_100k, edit_words, rss_peak_mb  # noqa: E402
from fineflow_desktop.core.neardup import find_pairs, group_pairs, jaccard_shingles  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000, help="chunks in total, planted copies included")
    ap.add_argument("--planted", type=int, default=1000, help="planted copies per edit rate")
    ap.add_argument("--threshold", type=float, default=0.7)
    args = ap.parse_args()
    rng = random.Random(42)
    n_base = args.size - 2 * args.planted
    texts = corpus_100k(size=n_base)
    originals = rng.sample(range(n_base), 2 * args.planted)
    planted = {}
    for k, i in enumerate(originals):
        rate = 0.05 if k < args.planted else 0.10
        texts.append(edit_words(texts[i], rate, rng))
        planted[(i, len(texts) - 1)] = rate
    exact = {rate: [jaccard_shingles(texts[a], texts[b]) for (a, b), r in planted.items() if r == rate] for rate in (0.05, 0.10)}
    print(f"corpus: {len(texts)} chunks ({n_base} real-text chunks + {2 * args.planted} planted copies), "
          f"mean {sum(map(len, texts)) / len(texts):.0f} chars")
    for rate, js in exact.items():
        js = sorted(js)
        print(f"  planted at {rate:.0%} word edits: exact 5-gram Jaccard median {js[len(js) // 2]:.2f}, "
              f"share >= {args.threshold}: {sum(j >= args.threshold for j in js) / len(js):.0%}")
    rss0 = rss_peak_mb()
    t0 = time.perf_counter()
    pairs = find_pairs(list(range(len(texts))), texts, threshold=args.threshold)
    groups = group_pairs(pairs)
    elapsed = time.perf_counter() - t0
    found = {(p.a, p.b) for p in pairs}
    print(f"MinHash LSH (128 perms, char 5-grams, threshold {args.threshold}): {elapsed:.1f} s, "
          f"{len(texts) / elapsed:,.0f} chunks/s, peak RSS {rss_peak_mb():.0f} MB (before: {rss0:.0f} MB)")
    print(f"  {len(pairs)} pairs in {len(groups)} groups")
    for rate in (0.05, 0.10):
        wanted = [p for p, r in planted.items() if r == rate]
        hit = sum(p in found for p in wanted)
        print(f"  recall, copies edited {rate:.0%}: {hit / len(wanted):.1%} ({hit}/{len(wanted)})")
        above = [p for p, j in zip(wanted, exact[rate]) if j >= args.threshold]
        if above:
            print(f"    of those whose exact Jaccard >= {args.threshold}: {sum(p in found for p in above) / len(above):.1%}")
    sample = random.Random(1).sample(pairs, min(5000, len(pairs)))
    js = [jaccard_shingles(texts[p.a], texts[p.b]) for p in sample]
    print(f"  precision (exact Jaccard >= {args.threshold}) on {len(sample)} reported pairs: "
          f"{sum(j >= args.threshold for j in js) / len(js):.1%}; >= {args.threshold - 0.1:.1f}: "
          f"{sum(j >= args.threshold - 0.1 for j in js) / len(js):.1%}")


if __name__ == "__main__":
    main()
