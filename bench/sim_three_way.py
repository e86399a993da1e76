"""Simulated three-way hybrid fusion (issue 14): keyword + fineflow-lsa vectors (re-ranked) +
a Model2Vec folder's vectors, fused by the same RRF + page boost as ``services.retrieval.search``.

Needs two copies of each corpus workspace with the same item ids, one indexed with each
embedder: run ``bench_hybrid.py --cache A --embedders model2vec --model2vec DIR``, copy A's
corpus folders to B, then ``bench_hybrid.py --cache B --embedders lsa``. Each retriever's top
100 come from ``search(mode=...)`` on its copy (the keyword side from B). The two-way rows
reproduce ``bench_hybrid.py``'s hybrid rows, which checks the simulation.

Run: .venv/bin/python bench/sim_three_way.py --lsa-cache B --m2v-cache A tune|heldout
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_hybrid as b  # noqa: E402  (puts src/ on sys.path)

from fineflow_desktop.core.fusion import page_boost, pages_first, reciprocal_rank_fusion  # noqa: E402
from fineflow_desktop.services.retrieval import search  # noqa: E402
from fineflow_desktop.services.retrieval.search import FUSION_K, PAGE_TOP, PAGE_WEIGHT  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402

N = 100  # candidates per retriever, as in search()
CONFIGS = [
    ("keyword 2 + lsa 1 (the default)", {"keyword": 2, "lsa": 1}),
    ("keyword 2 + model2vec 1", {"keyword": 2, "m2v": 1}),
    ("keyword 2 + lsa 1 + model2vec 1", {"keyword": 2, "lsa": 1, "m2v": 1}),
    ("keyword 2 + lsa 1 + model2vec 0.5", {"keyword": 2, "lsa": 1, "m2v": 0.5}),
    ("keyword 3 + lsa 1 + model2vec 1", {"keyword": 3, "lsa": 1, "m2v": 1}),
    ("keyword 2 + lsa 0.5 + model2vec 1", {"keyword": 2, "lsa": 0.5, "m2v": 1}),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lsa-cache", type=Path, required=True)
    ap.add_argument("--m2v-cache", type=Path, required=True)
    ap.add_argument("split", choices=["tune", "heldout"])
    args = ap.parse_args()
    for corpus in (["python"] if args.split == "tune" else list(b.CORPORA)):
        wl, wm = Workspace.open(args.lsa_cache / corpus), Workspace.open(args.m2v_cache / corpus)
        qs = [q for q in b.load_questions(corpus) if q["split"] == args.split]
        ranks: dict[str, list[int | None]] = {name: [] for name, _ in CONFIGS}
        for q in qs:
            path_of, page_of, lists = {}, {}, {}
            for name, ws, mode in (("keyword", wl, "keyword"), ("lsa", wl, "vector"), ("m2v", wm, "vector")):
                hits = search(ws, q["question"], k=N, mode=mode)
                lists[name] = [(h["item_id"], h["score"]) for h in hits]
                for h in hits:
                    path_of[h["item_id"]], page_of[h["item_id"]] = h["document_path"], h["document_id"]
            answers = {str(b.CORPORA[corpus] / a) for a in q["answers"]}
            for name, weights in CONFIGS:
                fused = reciprocal_rank_fusion({r: lists[r] for r in weights}, weights, FUSION_K)
                fused = pages_first(page_boost(fused, page_of, PAGE_WEIGHT, PAGE_TOP), page_of)
                ranks[name].append(next((n for n, f in enumerate(fused[: b.TOP], 1) if path_of[f.key] in answers), None))
        for name, _ in CONFIGS:
            m = b.metrics(ranks[name])
            print(f"[{corpus} {args.split}] {name}: {m['hit@1']:.2f} / {m['hit@3']:.2f} / {m['mrr']:.2f} (n={m['n']})", flush=True)
        wl.close()
        wm.close()


if __name__ == "__main__":
    main()
