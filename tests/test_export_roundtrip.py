"""Import → export → import gives the same conversations, for every format, on real-data fixtures."""

import json

import pytest
from sqlalchemy import select

from fineflow_desktop.core.formats.canonical import conversation_of, example_from_row
from fineflow_desktop.core.formats.writers import EXPORT_FORMATS
from fineflow_desktop.services.export import export_dataset
from fineflow_desktop.services.import_dataset import import_file
from fineflow_desktop.store.models import Pair

from conftest import FIXTURES

FMT = FIXTURES / "formats"

SOURCES = [
    "v1_sft_openai_sample.jsonl",  # OpenAI chat with weights (LLaMA-Factory v1)
    "openai_dpo_sample.jsonl",
    "anthropic_legacy_sample.jsonl",
    "bedrock_claude_sample.jsonl",
    "alpaca_en_demo_sample.json",
    "gsm8k_alpaca_sample.json",
    "fastchat_sharegpt_sample.json",
    "glaive_toolcall_sample.json",  # tool calls
    "llamafactory_dpo_sample.json",  # preferences
    "hf_chat_conversations_sample.jsonl",
    "chatgpt_conversations.json",
    "transcripts_qa.csv",
]

# What each export format can carry of a conversation.
KEEP = {
    "openai": ("role", "content", "name", "weight", "tool_calls", "tool_call_id"),
    "openai-dpo": ("role", "content", "name", "weight", "tool_calls", "tool_call_id"),
    "hf-chat": ("role", "content", "name", "tool_calls", "tool_call_id"),
    "sharegpt": ("role", "content", "tool_calls", "tool_call_id"),
    "anthropic": ("role", "content"),
    "bedrock": ("role", "content"),
    "alpaca": ("role", "content"),
}


def _conversations(ws, dataset_id, ids=None):
    with ws.session() as s:
        rows = s.execute(select(Pair.id, Pair.system, Pair.user, Pair.assistant, Pair.messages, Pair.meta)
                         .where(Pair.dataset_id == dataset_id).order_by(Pair.id)).all()
    return {r.id: conversation_of(example_from_row(r.system, r.user, r.assistant, r.messages, r.meta)) for r in rows
            if ids is None or r.id in ids}


def _reduce(conv, fmt):
    keys = KEEP[fmt]
    out = {"messages": [{k: m[k] for k in keys if k in m} for m in conv["messages"]]}
    if "tools" in conv and fmt in ("openai", "openai-dpo", "hf-chat", "sharegpt"):
        out["tools"] = conv["tools"]
    if fmt == "openai-dpo":
        out["preferred"] = conv.get("preferred")
        out["non_preferred"] = conv.get("non_preferred")
    return out


@pytest.mark.parametrize("source", SOURCES)
def test_round_trip_every_export_format(workspace, tmp_path, source):
    first = import_file(workspace, FMT / source, dataset_name="src", min_confidence=0.0)
    assert first.imported > 0
    originals = _conversations(workspace, first.dataset_id)
    has_prefs = any("non_preferred" in c for c in originals.values())
    for fmt in EXPORT_FORMATS:
        if fmt == "openai-dpo" and not has_prefs:
            continue
        out = tmp_path / f"{fmt}.jsonl"
        result = export_dataset(workspace, first.dataset_id, out, fmt)
        skipped = {s["pair_id"] for s in result["skipped"]}
        if fmt in ("openai", "openai-dpo", "hf-chat", "sharegpt"):
            assert not skipped, (fmt, result["skipped"][:3])
        else:  # text-only formats may only skip what they cannot hold
            assert all("tool calls" in s["reason"] for s in result["skipped"]), result["skipped"][:3]
        assert result["written"] == len(originals) - len(skipped)
        again = import_file(workspace, out, dataset_name=f"back-{fmt}")
        assert again.skipped == 0 and again.imported == result["written"], (fmt, again.skipped_lines[:3])
        expected = [_reduce(c, fmt) for pid, c in originals.items() if pid not in skipped]
        got = [_reduce(c, fmt) for c in _conversations(workspace, again.dataset_id).values()]
        assert got == expected, f"{source} via {fmt}"


def test_export_is_utf8_one_object_per_line(workspace, tmp_path):
    report = import_file(workspace, FMT / "fastchat_sharegpt_sample.json")
    out = tmp_path / "o.jsonl"
    export_dataset(workspace, report.dataset_id, out, "openai")
    raw = out.read_bytes()
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == "" and all(isinstance(json.loads(line), dict) for line in lines[:-1])
    assert len(lines) - 1 == report.imported
