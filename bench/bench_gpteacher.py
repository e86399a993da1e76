"""How many GPTeacher Toolformer records FineFlow keeps at comparable similarity thresholds.

Data: /work/shared/data/real/gpteacher_toolformer_dedupe_only.json (7,673 Alpaca records, MIT,
GPTeacher via gururise/AlpacaDataCleaned). The authors' similarity-filtered versions keep
5,959 / 4,709 / 3,487 / 2,396 at 0.9 / 0.8 / 0.7 / 0.6 (metric unstated).

Record text = instruction + input + output. Two ways to count what is kept, per metric:
* groups  - FineFlow's rule: connected groups (transitive), one representative kept per group;
* greedy  - keep records in file order, drop one similar to any record already kept (the usual
            "similarity filter" script; not transitive).
Metrics: MinHash-estimated Jaccard of character 5-grams (FineFlow near-dup), exact cosine of
fineflow-lsa embeddings, exact cosine of WordLlama embeddings (opt-in model).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fineflow_desktop.core.embeddings import WordLlamaEmbedder  # noqa: E402
from fineflow_desktop.core.lsa import LsaEmbedder  # noqa: E402
from fineflow_desktop.core.neardup import NearDupPair, find_pairs, group_pairs  # noqa: E402

DATA = Path("/work/shared/data/real/gpteacher_toolformer_dedupe_only.json")
THRESHOLDS = [0.9, 0.8, 0.7, 0.6]
AUTHORS = {0.9: 5959, 0.8: 4709, 0.7: 3487, 0.6: 2396}


def kept_counts(n: int, pairs: list[NearDupPair]) -> tuple[int, int]:
    groups = group_pairs(pairs)
    by_groups = n - sum(len(g.members) - 1 for g in groups)
    nbrs: dict[int, list[int]] = {}
    for p in pairs:
        nbrs.setdefault(p.b, []).append(p.a)  # a < b: b meets a first in file order
    kept = set()
    for i in range(n):
        if not any(j in kept for j in nbrs.get(i, ())):
            kept.add(i)
    return by_groups, len(kept)


def cosine_pairs(vectors: np.ndarray, threshold: float) -> list[NearDupPair]:
    out = []
    for start in range(0, len(vectors), 1024):
        sims = vectors[start : start + 1024] @ vectors.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows, cols):
            a = start + int(r)
            if a < c:
                out.append(NearDupPair(a, int(c), float(sims[r, c])))
    return out


def main() -> None:
    records = json.loads(DATA.read_text(encoding="utf-8"))
    texts = [f"{r.get('instruction', '')}\n{r.get('input', '')}\n{r.get('output', '')}".strip() for r in records]
    n = len(texts)
    print(f"{n} records; authors keep " + ", ".join(f"{AUTHORS[t]} at {t}" for t in THRESHOLDS))
    rows = {}
    t0 = time.perf_counter()
    for t in THRESHOLDS:
        rows[("MinHash Jaccard (char 5-grams)", t)] = kept_counts(n, find_pairs(list(range(n)), texts, threshold=t))
    t_minhash = time.perf_counter() - t0
    t0 = time.perf_counter()
    lsa = LsaEmbedder.fit(texts)
    v_lsa = lsa.embed(texts)
    t_lsa = time.perf_counter() - t0
    t0 = time.perf_counter()
    v_wl = WordLlamaEmbedder().embed(texts)
    t_wl = time.perf_counter() - t0
    for name, vecs in (("cosine, fineflow-lsa-256", v_lsa), ("cosine, WordLlama-256 (opt-in)", v_wl)):
        for t in THRESHOLDS + [0.95]:
            rows[(name, t)] = kept_counts(n, cosine_pairs(vecs, t))
    print(f"time: MinHash 4 thresholds {t_minhash:.1f} s; LSA fit+embed {t_lsa:.1f} s; WordLlama embed {t_wl:.1f} s")
    print()
    print(f"{'metric':34s} {'thr':>5s} {'authors':>8s} {'kept (groups)':>14s} {'kept (greedy)':>14s}")
    for (name, t), (groups, greedy) in rows.items():
        authors = str(AUTHORS.get(t, "-"))
        print(f"{name:34s} {t:5.2f} {authors:>8s} {groups:14d} {greedy:14d}")
    # what sits just above the authors' 0.9 cut: how similar are records FineFlow keeps apart?
    sims = v_wl @ v_wl.T
    np.fill_diagonal(sims, -1)
    nn = sims.max(axis=1)
    print()
    print("nearest-neighbour WordLlama cosine per record: "
          + ", ".join(f"p{q} {np.percentile(nn, q):.3f}" for q in (10, 25, 50, 75, 90)))
    sims = v_lsa @ v_lsa.T
    np.fill_diagonal(sims, -1)
    nn = sims.max(axis=1)
    print("nearest-neighbour LSA cosine per record:       "
          + ", ".join(f"p{q} {np.percentile(nn, q):.3f}" for q in (10, 25, 50, 75, 90)))


if __name__ == "__main__":
    main()
