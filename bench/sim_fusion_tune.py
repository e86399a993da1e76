"""Ranking variants of the default hybrid search, replayed on the Python ``tune`` split only
(issue 14, fourth session).

Each retriever's top 100 for the 42 ``tune`` questions of ``bench/questions/python.jsonl`` come
from ``search(mode="keyword" | "vector", k=100)`` (what hybrid search fuses), plus the raw
FAISS order of the fineflow-lsa vectors; every variant is then a pure re-ordering of those
lists, so a whole family is scored in seconds. The ``default`` row reproduces
``bench_hybrid.py``'s hybrid tune row exactly (checked at start), which validates the replay.

Families: page evidence (how a page's passages add up: weight x number of passages summed,
max + a small sum, page-level RRF, evidence divided by a page-length prior, evidence from the
fused top N only, one passage per page in the whole top 10), RRF constant and keyword weight,
a third ranked list (the raw LSA order before the TF-IDF re-rank, FTS5 ``NEAR`` pairs of
adjacent query words as a proximity signal, Rocchio pseudo-relevance feedback on the dense
side, a page-centroid vector, RM3-like keyword feedback), and keyword-side changes (Porter-stem prefix terms, BM25 field
weights, a title-only or heading-only BM25 list). It also prints the failure analysis of the default: for each question whose answer
page is not first, where each retriever ranked the answer page.

Held-out discipline: this script refuses any other split or corpus. Held-out sets are measured
only by ``bench_hybrid.py`` with the defaults.

Run: .venv/bin/python bench/sim_fusion_tune.py [--cache /tmp/bench_hybrid]
(the ``python`` workspace that ``bench_hybrid.py`` builds there).
"""

from __future__ import annotations

import argparse
import collections
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_hybrid as b  # noqa: E402  (puts src/ on sys.path)
import numpy as np  # noqa: E402

from fineflow_desktop.core.fusion import Fused, page_boost, pages_first, reciprocal_rank_fusion  # noqa: E402
from fineflow_desktop.core.keyword_query import query_terms  # noqa: E402
from fineflow_desktop.services.retrieval import open_index, search  # noqa: E402
from fineflow_desktop.services.retrieval.keyword import document_frequencies  # noqa: E402
from fineflow_desktop.services.retrieval.search import FUSION_K, FUSION_WEIGHTS, PAGE_TOP, PAGE_WEIGHT  # noqa: E402
from fineflow_desktop.store.keyword_index import FTS_TABLE  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402

N = 100  # candidates per retriever, as in search()
TOP = b.TOP


class Question:
    """One tune question with its ranked lists (``name -> [(item id, score)]``)."""

    def __init__(self, q: dict, answers: set[str]):
        self.q, self.answers, self.lists = q, answers, {}


def capture(ws: Workspace, questions: list[dict]) -> tuple[list[Question], dict[int, int], dict[int, str]]:
    """Ranked lists per question, item id -> page (document id), document id -> path."""
    with ws.engine.connect() as conn:
        page = dict(conn.exec_driver_sql("SELECT e.id, c.document_id FROM embedded_items e JOIN chunks c ON c.id = e.chunk_id").all())
        path = dict(conn.exec_driver_sql("SELECT id, source_path FROM documents").all())
    handle = open_index(ws, create=False, fit=False)
    out = []
    for q in questions:
        x = Question(q, {str(b.CORPORA["python"] / a) for a in q["answers"]})
        for mode in ("keyword", "vector"):
            x.lists[mode] = [(h["item_id"], h["retrievers"][mode]["score"]) for h in search(ws, q["question"], k=N, mode=mode)]
        scores, ids = handle.index.search(handle.embedder.embed([q["question"]]), N)
        x.lists["dense_raw"] = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if int(i) in page]
        out.append(x)
    return out, page, path


def metrics(ranks: list[int | None]) -> tuple[float, float, float]:
    m = b.metrics(ranks)
    return m["hit@1"], m["hit@3"], m["mrr"]


def first_answer(order: list[int], page: dict, path: dict, answers: set[str]) -> int | None:
    for n, i in enumerate(order[:TOP], 1):
        if path[page[i]] in answers:
            return n
    return None


def fuse(x: Question, page: dict, weights: dict[str, float] | None = None, k: int = FUSION_K) -> list[Fused]:
    weights = weights or FUSION_WEIGHTS
    return reciprocal_rank_fusion({n: x.lists[n] for n in weights if n in x.lists}, weights, k)


def default_order(x, page, *, weights=None, k=FUSION_K, pw=PAGE_WEIGHT, ptop=PAGE_TOP, first=3, **_):
    """What ``search()`` does in hybrid mode."""
    fused = fuse(x, page, weights, k)
    page_of = {f.key: page[f.key] for f in fused}
    return [f.key for f in pages_first(page_boost(fused, page_of, pw, ptop), page_of, first)]


def max_plus_sum(x, page, *, lam=0.1, ptop=5, **_):
    """A page scores its best passage + lam x its next best (ptop - 1); passages sort by their
    page's score, then their own."""
    fused = fuse(x, page)
    by = collections.defaultdict(list)
    for f in fused:
        by[page[f.key]].append(f.score)
    ps = {p: s[0] + lam * sum(s[1:ptop]) for p, s in by.items()}
    items = sorted(fused, key=lambda f: (-ps[page[f.key]], -f.score))
    page_of = {f.key: page[f.key] for f in fused}
    return [f.key for f in pages_first(items, page_of, 3)]


def page_rrf(x, page, *, kd=10, dw=1.0, **_):
    """RRF over page rankings (each retriever's pages in order of their best passage) added to
    the passage RRF."""
    fused = fuse(x, page)
    pages = {}
    for name in FUSION_WEIGHTS:
        seen: dict[int, None] = {}
        for i, _ in x.lists[name]:
            seen.setdefault(page[i], None)
        pages[name] = [(p, 0.0) for p in seen]
    pf = {f.key: f.score for f in reciprocal_rank_fusion(pages, FUSION_WEIGHTS, kd)}
    items = sorted(fused, key=lambda f: -(f.score + dw * pf[page[f.key]]))
    page_of = {f.key: page[f.key] for f in fused}
    return [f.key for f in pages_first(items, page_of, 3)]


def normalised_evidence(x, page, *, n_chunks, beta=0.2, pw=PAGE_WEIGHT, cut=None, **_):
    """The default page evidence divided by ``1 + beta ln(chunks of the page)`` (a long page has
    more chances to place passages among the candidates); *cut*: only the fused top *cut* count."""
    fused = fuse(x, page)
    tot, cnt = collections.defaultdict(float), collections.Counter()
    for n, f in enumerate(fused):
        if cut and n >= cut:
            break
        p = page[f.key]
        if cnt[p] < PAGE_TOP:
            tot[p] += f.score
            cnt[p] += 1
    def boosted(f):
        p = page[f.key]
        return f.score + pw * tot[p] / (1 + beta * math.log(max(1, n_chunks.get(p, 1))))
    items = sorted(fused, key=lambda f: -boosted(f))
    page_of = {f.key: page[f.key] for f in fused}
    return [f.key for f in pages_first(items, page_of, 3)]


def with_list(x, page, *, name, weight, **_):
    """The default with one more ranked list fused at *weight*."""
    return default_order(x, page, weights={**FUSION_WEIGHTS, name: weight})


def fts_list(ws: Workspace, expr: str, fw=(4.0, 2.0, 1.0), n: int = N) -> list[tuple[int, float]]:
    rank = f"bm25({FTS_TABLE}, {fw[0]!r}, {fw[1]!r}, {fw[2]!r})"
    sql = f"SELECT rowid, -{rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY {rank} LIMIT ?"
    with ws.engine.connect() as conn:
        return [(int(i), float(s)) for i, s in conn.exec_driver_sql(sql, (expr, n))] if expr else []


def quoted(t: str) -> str:
    return '"' + t.replace('"', '""') + '"'


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/bench_hybrid"))
    args = ap.parse_args()
    questions = [q for q in b.load_questions("python") if q["split"] == "tune"]
    ws = b.build_workspace("python", args.cache)
    data, page, path = capture(ws, questions)
    with ws.engine.connect() as conn:
        n_chunks = dict(conn.exec_driver_sql("SELECT id, n_chunks FROM documents").all())
    base = [first_answer(default_order(x, page), page, path, x.answers) for x in data]
    truth = [b.rank_of_answer(ws, b.CORPORA["python"], x.q) for x in data]
    assert base == truth, "the replay does not reproduce search()"
    print(f"{len(data)} python tune questions; hit@1 / hit@3 / MRR; +n/-n: questions gained / lost at hit@3 vs default")

    def show(label, ranks):
        m = metrics(ranks)
        gain = sum((r is not None and r <= 3) and not (o is not None and o <= 3) for r, o in zip(ranks, base))
        loss = sum((o is not None and o <= 3) and not (r is not None and r <= 3) for r, o in zip(ranks, base))
        print(f"  {label:<58} {m[0]:.2f} / {m[1]:.2f} / {m[2]:.3f}  +{gain} -{loss}", flush=True)

    def run(fn, **kw):
        return [first_answer(fn(x, page, **kw), page, path, x.answers) for x in data]

    print("failure analysis (default): final rank | page rank of the answer in keyword / vector candidates")
    for x, r in zip(data, base):
        if r == 1:
            continue
        where = []
        for name in ("keyword", "vector"):
            pages: dict[int, None] = {}
            for i, _ in x.lists[name]:
                pages.setdefault(page[i], None)
            pr = next((n for n, p in enumerate(pages, 1) if path[p] in x.answers), None)
            where.append(f"{name} {pr or '-'}")
        print(f"  {x.q['id']} {r or '-':>2} | {' / '.join(where):<22} {x.q['question']}")
    show("default", base)
    print("page evidence: page weight x best passages summed")
    for pw in (0.0, 0.25, 0.5, 1.0):
        for ptop in (1, 3, 5, 10):
            show(f"page weight {pw}, {ptop} passages", run(default_order, pw=pw, ptop=ptop))
    print("page score = best passage + lam x next 4 (max + small sum)")
    for lam in (0.0, 0.1, 0.2, 0.3, 0.5):
        show(f"lam {lam}", run(max_plus_sum, lam=lam))
    print("page-level RRF added to passage RRF")
    for kd in (1, 10, 60):
        for dw in (0.5, 1.0, 2.0):
            show(f"page k {kd}, weight {dw}", run(page_rrf, kd=kd, dw=dw))
    print("page evidence / (1 + beta ln chunks of the page); cut = only the fused top N count")
    for beta in (0.1, 0.2, 0.5):
        for cut in (None, 50):
            show(f"beta {beta}, cut {cut}", run(normalised_evidence, n_chunks=n_chunks, beta=beta, cut=cut))
    show("one passage per page in the whole top 10", run(default_order, first=TOP))
    print("RRF constant k x keyword weight (vector 1)")
    for k in (1, 10, 30, 60):
        for wk in (1.0, 2.0, 3.0):
            show(f"k {k}, keyword {wk}", run(default_order, k=k, weights={"keyword": wk, "vector": 1.0}))
    print("a third ranked list")
    for w in (0.5, 1.0):
        show(f"raw LSA order (before the TF-IDF re-rank), weight {w}", run(with_list, name="dense_raw", weight=w))
    for x in data:
        t = query_terms(x.q["question"])
        x.lists["near"] = fts_list(ws, " OR ".join(f"NEAR({quoted(a)} {quoted(c)}, 2)" for a, c in zip(t, t[1:])))
    for w in (0.5, 1.0):
        show(f"FTS5 NEAR pairs of adjacent query words, weight {w}", run(with_list, name="near", weight=w))
    handle = open_index(ws, create=False, fit=False)
    ids, vecs = handle.index.vectors()
    pos = {int(i): n for n, i in enumerate(ids)}
    for m, alpha in ((5, 1.0), (10, 1.0)):
        for x in data:
            top = default_order(x, page)[:m]
            qv = handle.embedder.embed([x.q["question"]])[0]
            fb = vecs[[pos[i] for i in top]].mean(axis=0)
            q2 = qv / (np.linalg.norm(qv) or 1) + alpha * fb / (np.linalg.norm(fb) or 1)
            s, ii = handle.index.search((q2 / np.linalg.norm(q2)).astype(np.float32)[None, :], N)
            x.lists["prf"] = [(int(i), float(v)) for i, v in zip(ii[0], s[0]) if int(i) in page]
        for w in (0.5, 1.0):
            show(f"Rocchio feedback from the top {m} (alpha {alpha}), weight {w}", run(with_list, name="prf", weight=w))
    pages_arr = np.array([page.get(int(i), -1) for i in ids])
    uniq = np.unique(pages_arr[pages_arr >= 0])
    cent = np.stack([vecs[pages_arr == p].mean(axis=0) for p in uniq])
    cent /= np.linalg.norm(cent, axis=1, keepdims=True)
    first_item = {}
    for i, p in page.items():
        first_item.setdefault(p, i)
    for x in data:
        sims = cent @ handle.embedder.embed([x.q["question"]])[0]
        # the page ranking enters RRF through one representative passage per page
        x.lists["centroid"] = [(first_item[int(p)], float(sims[j])) for j, p in enumerate(uniq) if int(p) in first_item]
        x.lists["centroid"].sort(key=lambda t: -t[1])
        x.lists["centroid"] = x.lists["centroid"][:N]
    for w in (0.5, 1.0):
        show(f"page centroid (mean LSA vector of the page), weight {w}", run(with_list, name="centroid", weight=w))
    print("keyword pseudo-relevance feedback (RM3-like): the question's words twice + the t best")
    print("words of the feedback passages (tf share x ln(N / df)), as FTS5 OR query")
    with ws.engine.connect() as conn:
        texts = dict(conn.exec_driver_sql("SELECT e.id, c.text FROM embedded_items e JOIN chunks c ON c.id = e.chunk_id").all())
    n_rows = len(ids)
    for source in ("fused", "keyword"):
        for m, t in ((3, 5), (3, 10), (10, 5), (10, 10)):
            for x in data:
                top = default_order(x, page)[:m] if source == "fused" else [i for i, _ in x.lists["keyword"][:m]]
                asked = query_terms(x.q["question"])
                tf: collections.Counter = collections.Counter()
                for i in top:
                    words = [w for w in query_terms(texts[i]) if len(w) > 2 and w.isalpha()]
                    for w, c in collections.Counter(words).items():
                        tf[w] += c / max(1, len(words))
                cand = [w for w, _ in tf.most_common(200) if w not in asked]
                with ws.engine.connect() as conn:
                    df = document_frequencies(conn, cand)
                best = sorted((w for w in cand if df[w]), key=lambda w: -tf[w] * math.log(n_rows / (1 + df[w])))[:t]
                x.lists["feedback"] = fts_list(ws, " OR ".join([quoted(w) for w in asked] * 2 + [quoted(w) for w in best]))
            show(f"feedback from {source} top {m}, {t} words, as third list 0.5", run(with_list, name="feedback", weight=0.5))
            saved_kw = [x.lists["keyword"] for x in data]
            for x in data:
                x.lists["keyword"] = x.lists["feedback"]
            show(f"feedback from {source} top {m}, {t} words, replacing keyword", run(default_order))
            for x, kw in zip(data, saved_kw):
                x.lists["keyword"] = kw
    print("keyword side (recomputed with plain FTS5 OR queries, no candidate limiting)")
    saved = [dict(x.lists) for x in data]
    variants = {
        "plain OR (reference for this family)": lambda t: " OR ".join(quoted(w) for w in t),
        "Porter-stem prefix terms (len >= 5)": lambda t: " OR ".join(quoted(w) + ("*" if len(w) >= 5 and w.isalpha() else "") for w in t),
    }
    for label, expr in variants.items():
        for x in data:
            x.lists["keyword"] = fts_list(ws, expr(query_terms(x.q["question"])))
        show(label, run(default_order))
    for fw in ((1.0, 1.0, 1.0), (4.0, 2.0, 2.0)):
        for x in data:
            x.lists["keyword"] = fts_list(ws, " OR ".join(quoted(w) for w in query_terms(x.q["question"])), fw)
        show(f"plain OR, field weights title/heading/body {fw}", run(default_order))
    print("BM25 field weights title/heading/body through search() (with candidate limiting, as shipped)")
    for fw in ((1.0, 1.0, 1.0), (2.0, 1.0, 1.0), (2.0, 0.5, 1.0), (4.0, 2.0, 1.0), (6.0, 1.0, 1.0), (1.0, 3.0, 1.0)):
        for x in data:
            x.lists["keyword"] = [(h["item_id"], h["retrievers"]["keyword"]["score"])
                                  for h in search(ws, x.q["question"], k=N, mode="keyword", field_weights=fw)]
        show(f"field weights {fw}", run(default_order))
    for x, lists in zip(data, saved):
        x.lists = dict(lists)
    print("a fourth list: BM25 on the title or heading column alone (FTS5 column filter: the")
    print("word's rarity among titles / headings, not among whole rows)")
    for cols in ("title", "heading"):
        for x in data:
            terms = " OR ".join(quoted(w) for w in query_terms(x.q["question"]))
            x.lists["column"] = fts_list(ws, "{" + cols + "} : (" + terms + ")", (1.0, 1.0, 1.0)) if terms else []
        for w in (0.5, 1.0):
            show(f"{cols} column list, weight {w}", run(with_list, name="column", weight=w))
    for x, lists in zip(data, saved):
        x.lists = lists
    ws.close()


if __name__ == "__main__":
    main()
