"""Model comparison throughput and scoring time for 50 prompts (issue 12, compare side).

Data: the first 50 pairs of two real sets in ``shared/data/real`` — LLaMA-Factory's
``alpaca_en_demo`` (general instructions) and ``gsm8k`` (math word problems) — never looked at
while writing the scores. Models are the loopback OpenAI fake through the real SDK, 200 ms
latency per call: model A answers with the reference, model B with its first 60% of words plus a
closing sentence; the judge answers MT-Bench style JSON.

Prints, per set:
- compare throughput (50 prompts × 2 models, concurrency 4; ideal = 4 / (2 × 0.2 s) = 10 prompts/s)
  without and with the judge (3 calls per prompt: ideal 6.7 prompts/s);
- scoring time of the 100 answers: exact match + token F1 + ROUGE-L, and cosine (the offline
  LSA fitted on the comparison's texts + 100 answer/reference embeddings);
- mean scores of A and B (sanity: A ≈ 1, B lower) and the judge's win rate.
Timings under load are noisy on these 2-core machines: the load average is printed with them.
Run: .venv/bin/python bench/bench_compare.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import REAL, ROOT

sys.path.insert(0, str(ROOT / "tests"))

from fakes.openai_fake import DEFAULT_MODELS, OpenAIFake  # noqa: E402
from fineflow_desktop.core.compare_scores import score_answer  # noqa: E402
from fineflow_desktop.providers import credentials as creds  # noqa: E402
from fineflow_desktop.services import datasets, models  # noqa: E402
from fineflow_desktop.services import pairs as pair_bulk  # noqa: E402
from fineflow_desktop.services.models.similarity import comparison_embedder, cosines  # noqa: E402
from fineflow_desktop.store.workspace import Workspace  # noqa: E402

N, CONCURRENCY, LATENCY = 50, 4, 0.2
KEY = "sk-bench-COMPARE00000"
FT, BASE, JUDGE = "ft:gpt-4o-mini:bench::cmp", "gpt-4o-mini", "gpt-4o"
SETS = {"alpaca_en_demo": "llamafactory_alpaca_en_demo.json", "gsm8k": "gsm8k_train_alpaca_format.json"}


def load_pairs(name: str) -> list[dict]:
    rows = json.loads((REAL / SETS[name]).read_text(encoding="utf-8"))[:N]
    return [{"user": (r["instruction"] + ("\n\n" + r["input"] if r.get("input") else "")).strip(),
             "assistant": r["output"].strip()} for r in rows]


def make_responder(answers: dict[str, str]):
    def respond(body: dict) -> str:
        text = body["messages"][-1]["content"]
        if body["model"] == JUDGE:
            first = text.split("[Assistant 1's answer]\n", 1)[1].split("\n\n[Assistant 2", 1)[0]
            ref = text.split("[Reference answer]\n", 1)[1].split("\n\n[Assistant 1", 1)[0]
            winner = "1" if first.strip() == ref.strip() else "2"
            return json.dumps({"verdict": winner, "reason": "closer to the reference"})
        ref = answers.get(text, "I do not know.")
        if body["model"] == FT:
            return ref
        words = ref.split()
        return " ".join(words[: max(1, int(len(words) * 0.6))]) + " I hope this helps."
    return respond


def bench_set(name: str) -> None:
    pairs = load_pairs(name)
    answers = {p["user"]: p["assistant"] for p in pairs}
    with tempfile.TemporaryDirectory() as tmp, OpenAIFake(api_key=KEY, latency_s=LATENCY, models=(*DEFAULT_MODELS, FT),
                                                          responder=make_responder(answers)) as fake:
        ws = Workspace.open(Path(tmp) / "ws")
        did = datasets.get_or_create_dataset(ws, name)
        pair_bulk.insert_pairs(ws, did, pairs)
        creds.create_credential(ws, "bench", "openai", base_url=fake.base_url, api_key=KEY, session_only=True)
        prompts = models.dataset_prompts(ws, name, N)
        # warm up the SDK's lazy imports and rouge-score's first load outside the timings
        models.compare_models(ws, FT, BASE, prompts[:1], credential_a="bench", credential_b="bench")
        t0 = time.perf_counter()
        plain = models.compare_models(ws, FT, BASE, prompts, credential_a="bench", credential_b="bench",
                                      concurrency=CONCURRENCY, temperature=0.0)
        t_plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        judged = models.compare_models(ws, FT, BASE, prompts, credential_a="bench", credential_b="bench",
                                       concurrency=CONCURRENCY, temperature=0.0,
                                       judge=models.JudgeSpec(JUDGE, "bench"))
        t_judge = time.perf_counter() - t0
        rows = plain.rows
        t0 = time.perf_counter()
        for r in rows:
            score_answer(r["a"], r["reference"])
            score_answer(r["b"], r["reference"])
        t_text = time.perf_counter() - t0
        t0 = time.perf_counter()
        emb, label = comparison_embedder(ws, [p.reference for p in prompts] + [p.messages[-1]["content"] for p in prompts]
                                         + [r[side] for r in rows for side in ("a", "b")])
        t_fit = time.perf_counter() - t0
        t0 = time.perf_counter()
        cosines(emb, [(r[side], r["reference"]) for r in rows for side in ("a", "b")])
        t_cos = time.perf_counter() - t0
        ws.close()
    s, j = plain.summary, judged.summary["judge"]
    print(f"\n{name}: {N} prompts, fake latency {LATENCY * 1000:.0f} ms, concurrency {CONCURRENCY}")
    print(f"  compare (2 calls/prompt): {t_plain:.2f} s = {N / t_plain:.1f} prompts/s "
          f"(ideal {CONCURRENCY / (2 * LATENCY):.1f}; {100 * N / t_plain / (CONCURRENCY / (2 * LATENCY)):.0f}% of ideal)")
    print(f"  compare + judge (3 calls/prompt): {t_judge:.2f} s = {N / t_judge:.1f} prompts/s "
          f"(ideal {CONCURRENCY / (3 * LATENCY):.1f})")
    print(f"  scoring 100 answers: exact/F1/ROUGE-L {t_text * 1000:.0f} ms; cosine: embedder {t_fit * 1000:.0f} ms "
          f"({label}), 100 cosines {t_cos * 1000:.0f} ms")
    for side in ("a", "b"):
        m = s["means"][side]
        print(f"  means {side.upper()}: EM {m['exact_match']:.2f} F1 {m['token_f1']:.2f} ROUGE-L {m['rouge_l']:.2f} "
              f"cosine {m['cosine']:.2f}")
    print(f"  closer (ROUGE-L) A/B/tie {s['closer_to_reference']}, by cosine {s['closer_by']['cosine']}; "
          f"judge A {j['a']} B {j['b']} tie {j['tie']} errors {j['errors']}")


def main() -> None:
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for name in SETS:
        bench_set(name)
    print(f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
