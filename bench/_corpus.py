"""Shared benchmark corpus: real Python-doc paragraphs (Debian python3.11-doc, PSF licence)."""

from __future__ import annotations

import random
from pathlib import Path

PYDOC = Path("/usr/share/doc/python3.11/html/_sources")
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]


def pydoc_paragraphs(min_chars: int = 80) -> list[str]:
    """Every blank-line-separated paragraph of at least *min_chars* characters, in file order."""
    out = []
    for f in sorted(PYDOC.rglob("*.rst.txt")):
        out += [p.strip() for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) >= min_chars]
    return out


def edit_words(text: str, fraction: float, rng: random.Random) -> str:
    """Replace *fraction* of the space-separated words (at least one) with other words."""
    words = text.split(" ")
    n = max(1, round(len(words) * fraction))
    for i in rng.sample(range(len(words)), min(n, len(words))):
        words[i] = rng.choice(WORDS)
    return " ".join(words)


def corpus_100k(seed: int = 0, size: int = 100_000) -> list[str]:
    """*size* chunks: the unique real paragraphs, topped up with chunks joining two random
    paragraphs (real text, realistic lengths, different combinations)."""
    rng = random.Random(seed)
    base = list(dict.fromkeys(pydoc_paragraphs()))
    out = list(base)
    while len(out) < size:
        a, b = rng.sample(base, 2)
        out.append(a + "\n\n" + b)
    return out[:size]


def rss_peak_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
