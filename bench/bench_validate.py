"""Validation speed: FineFlow's validator vs a straightforward single-threaded reimplementation of
the OpenAI cookbook's data-prep checks ("Data preparation and analysis for chat model
fine-tuning"), on a 50,000-example chat JSONL built from real data, in the same process.

Goal (issue 5): ≥ 2× faster while checking more (tool role, weights, duplicates, short answers,
per-model limits, histogram).
"""

from __future__ import annotations

import json
import random
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from _common import REAL, timed

N = 50_000


def build_file(path: Path) -> None:
    """50k chat examples: real OpenAI-format chats + Alpaca records turned into chats, varied."""
    chats = [json.loads(line) for line in open(REAL / "llamafactory_v1_sft_demo.jsonl", encoding="utf-8")]
    alpaca = json.load(open(REAL / "llamafactory_alpaca_en_demo.json", encoding="utf-8"))
    alpaca += json.load(open(REAL / "gsm8k_train_alpaca_format.json", encoding="utf-8"))
    # the notebook can only encode string values, so keep the chats it can read
    pool = [c for c in chats if isinstance(c.get("messages"), list)
            and all(isinstance(v, str) for m in c["messages"] for v in m.values())]
    for rec in alpaca:
        user = (rec["instruction"] + ("\n\n" + rec["input"] if rec.get("input") else "")).strip()
        pool.append({"messages": [{"role": "system", "content": "You are a helpful assistant."},
                                  {"role": "user", "content": user},
                                  {"role": "assistant", "content": rec["output"]}]})
    rng = random.Random(0)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(N):
            ex = json.loads(json.dumps(rng.choice(pool)))
            ex["messages"][-1]["content"] = f"{ex['messages'][-1].get('content') or ''} (#{i})"
            fh.write(json.dumps(ex, ensure_ascii=False) + "\n")


def cookbook_reference(path: Path, encoding) -> dict:
    """The notebook's checks and stats, as written there: per-message encode, Python loops."""
    with open(path, encoding="utf-8") as f:
        dataset = [json.loads(line) for line in f]
    format_errors = defaultdict(int)
    for ex in dataset:
        if not isinstance(ex, dict):
            format_errors["data_type"] += 1
            continue
        messages = ex.get("messages", None)
        if not messages:
            format_errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or "content" not in message:
                format_errors["message_missing_key"] += 1
            if any(k not in ("role", "content", "name", "function_call", "weight") for k in message):
                format_errors["message_unrecognized_key"] += 1
            if message.get("role", None) not in ("system", "user", "assistant", "function"):
                format_errors["unrecognized_role"] += 1
            content = message.get("content", None)
            function_call = message.get("function_call", None)
            if (not content and not function_call) or not isinstance(content, str):
                format_errors["missing_content"] += 1
        if not any(message.get("role", None) == "assistant" for message in messages):
            format_errors["example_missing_assistant_message"] += 1

    def num_tokens_from_messages(messages, tokens_per_message=3, tokens_per_name=1):
        num_tokens = 0
        for message in messages:
            num_tokens += tokens_per_message
            for key, value in message.items():
                num_tokens += len(encoding.encode(value))
                if key == "name":
                    num_tokens += tokens_per_name
        return num_tokens + 3

    def num_assistant_tokens_from_messages(messages):
        return sum(len(encoding.encode(m["content"])) for m in messages if m["role"] == "assistant")

    n_missing_system = n_missing_user = 0
    n_messages, convo_lens, assistant_message_lens = [], [], []
    for ex in dataset:
        messages = ex["messages"]
        if not any(m["role"] == "system" for m in messages):
            n_missing_system += 1
        if not any(m["role"] == "user" for m in messages):
            n_missing_user += 1
        n_messages.append(len(messages))
        convo_lens.append(num_tokens_from_messages(messages))
        assistant_message_lens.append(num_assistant_tokens_from_messages(messages))
    for values in (n_messages, convo_lens, assistant_message_lens):
        np.min(values), np.max(values), np.mean(values), np.median(values), np.quantile(values, 0.1), np.quantile(values, 0.9)
    n_too_long = sum(length > 16385 for length in convo_lens)
    return {"examples": len(dataset), "format_errors": dict(format_errors), "too_long": n_too_long,
            "tokens_total": int(sum(convo_lens))}


def main() -> None:
    from fineflow_desktop.core.tokens import get_encoding
    from fineflow_desktop.services.datasets import validate_file

    enc = get_encoding()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chat50k.jsonl"
        build_file(path)
        size_mb = path.stat().st_size / 1e6
        times: dict = {}
        cookbook_reference(path, enc)  # warm caches equally (file pages, tokenizer)
        with timed(times, "reference"):
            ref = cookbook_reference(path, enc)
        with timed(times, "fineflow"):
            ours = validate_file(path, model="gpt-4o-mini")
    print(f"validation of {N:,} chat examples ({size_mb:.1f} MB JSONL), same process")
    print(f"  cookbook reference : {times['reference']:.2f} s  ({N / times['reference']:,.0f} ex/s)  "
          f"tokens {ref['tokens_total']:,}")
    print(f"  FineFlow validator : {times['fineflow']:.2f} s  ({N / times['fineflow']:,.0f} ex/s)  "
          f"tokens {ours.stats['tokens_total']:,}  errors {len(ours.errors)}  warnings {len(ours.warnings)}")
    print(f"  speed-up           : {times['reference'] / times['fineflow']:.2f}x (goal >= 2x)")


if __name__ == "__main__":
    main()
