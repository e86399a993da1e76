"""Quality-score distribution on real text and on junk.

Sets scored (all offline, nothing written by us except the synthetic garbage):
  * python-docs: every chunk of the Python 3.11 docs sources (core.chunking, 512 tokens);
  * c4-demo: LLaMA-Factory's c4_demo.jsonl (300 real web documents, already C4-filtered);
  * nav-junk: the navigation/sidebar/footer blocks of the Python docs HTML pages (real
    boilerplate: link lists, "next | previous", search boxes, copyright lines);
  * garbage: synthetic junk (keyword spam, symbol soup, repeated lines, number dumps,
    lorem ipsum, ellipsis teasers, bullet-only link lists).
Prints count, mean, median, 10th percentile, a 10-bin histogram, the share of chunks >= 0.8,
the signals failed most often, and the scoring speed.

    /work/main/.venv/bin/python bench/bench_quality.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fineflow_desktop.core.chunking import chunk_sections  # noqa: E402
from fineflow_desktop.core.ingest import parse_file  # noqa: E402
from fineflow_desktop.core.quality import score_chunk  # noqa: E402

DOCS = Path("/usr/share/doc/python3.11/html")
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def python_docs() -> list[tuple[str, list[str]]]:
    out = []
    for p in sorted((DOCS / "_sources").rglob("*.rst.txt")):
        out += [(c.text, c.heading_path) for c in chunk_sections(parse_file(p).sections)]
    return out


def c4_demo() -> list[tuple[str, list[str]]]:
    doc = parse_file(REAL / "llamafactory_c4_demo.jsonl")
    return [(c.text, c.heading_path) for c in chunk_sections(doc.sections)]


def nav_junk(limit: int = 300) -> list[tuple[str, list[str]]]:
    from lxml import html

    out = []
    for page in sorted(DOCS.rglob("*.html"))[:limit]:
        root = html.parse(str(page)).getroot()
        if root is None:
            continue
        blocks = root.xpath("//*[@role='navigation'] | //div[@class='footer'] | //div[@class='sphinxsidebar']")
        text = "\n".join(" ".join(t.split()) for b in blocks for t in b.itertext() if t.strip())
        if text.strip():
            out.append((text, []))
    return out


def garbage(n: int = 300, seed: int = 7) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    vocab = "cheap best buy online free shipping discount deal sale click here now top price offer".split()
    out = []
    for i in range(n):
        kind = i % 7
        if kind == 0:  # keyword spam
            text = " ".join(rng.choice(vocab) for _ in range(rng.randint(40, 200)))
        elif kind == 1:  # symbol soup
            text = " ".join("".join(rng.choice("#$%&*@!~^|<>{}[]0123456789") for _ in range(rng.randint(2, 9))) for _ in range(80))
        elif kind == 2:  # repeated lines
            line = rng.choice(["Home | About | Contact", "Click here to subscribe!", "Read more...", "Share this post"])
            text = "\n".join([line] * rng.randint(8, 40))
        elif kind == 3:  # number dump
            text = "\n".join(" ".join(str(rng.randint(0, 99999)) for _ in range(8)) for _ in range(20))
        elif kind == 4:  # lorem ipsum
            text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. " * rng.randint(2, 6))
        elif kind == 5:  # ellipsis teasers
            text = "\n".join(f"{rng.choice(vocab).title()} {rng.choice(vocab)} {rng.choice(vocab)} you won't believe..." for _ in range(15))
        else:  # bullet-only link list
            text = "\n".join(f"- {rng.choice(vocab).title()} {rng.choice(vocab)}" for _ in range(rng.randint(10, 30)))
        out.append((text, []))
    return out


def report(name: str, items: list[tuple[str, list[str]]]) -> None:
    t = time.perf_counter()
    results = [score_chunk(text, path) for text, path in items]
    secs = time.perf_counter() - t
    scores = sorted(r.score for r in results)
    hist = [0] * 10
    for s in scores:
        hist[min(9, int(s * 10))] += 1
    fails = Counter(n for r in results for n in r.failed).most_common(5)
    high = sum(1 for s in scores if s >= 0.8) / len(scores)
    print(f"{name:12s} n={len(scores):5d} mean={statistics.mean(scores):.3f} median={statistics.median(scores):.3f} "
          f"p10={scores[len(scores) // 10]:.3f} >=0.8: {100 * high:5.1f}%  {1000 * secs / len(scores):.2f} ms/chunk")
    print(f"{'':12s} histogram 0.0..1.0: {hist}")
    print(f"{'':12s} most failed: {', '.join(f'{n} {c}' for n, c in fails)}")


def main() -> None:
    if not DOCS.is_dir():
        sys.exit("python3.11-doc not installed")
    report("python-docs", python_docs())
    report("c4-demo", c4_demo())
    report("nav-junk", nav_junk())
    report("garbage", garbage())


if __name__ == "__main__":
    main()
