"""Schema detection and readers on real samples; ChatGPT export trees; transcripts; CSV mapping."""

import json

import pytest

from fineflow_desktop.core.formats.canonical import RecordError, example_hash, example_from_row, example_to_row
from fineflow_desktop.core.formats.chatgpt_export import read_chatgpt
from fineflow_desktop.core.formats.columns import guess_column_map
from fineflow_desktop.core.formats.readers import read_alpaca, read_anthropic, read_openai, read_sharegpt
from fineflow_desktop.core.formats.source import FormatError, Skip, inspect_source, iter_examples, preview

from conftest import FIXTURES

FMT = FIXTURES / "formats"


@pytest.mark.parametrize("name, fmt", [
    ("v1_sft_openai_sample.jsonl", "openai"),
    ("kto_messages_sample.json", "openai"),
    ("openai_dpo_sample.jsonl", "openai-dpo"),
    ("anthropic_legacy_sample.jsonl", "anthropic"),
    ("bedrock_claude_sample.jsonl", "bedrock"),
    ("alpaca_en_demo_sample.json", "alpaca"),
    ("gsm8k_alpaca_sample.json", "alpaca"),
    ("fastchat_sharegpt_sample.json", "sharegpt"),
    ("glaive_toolcall_sample.json", "sharegpt"),
    ("llamafactory_dpo_sample.json", "sharegpt"),
    ("hf_chat_conversations_sample.jsonl", "hf-chat"),
    ("chatgpt_conversations.json", "chatgpt"),
    ("custom_columns.csv", "csv"),
    ("transcripts_qa.csv", "transcript"),
    ("transcripts_utterances.csv", "transcript"),
])
def test_detects_every_fixture(name, fmt):
    assert inspect_source(FMT / name).format == fmt


def _examples(name, **kw):
    src = inspect_source(FMT / name, kw.pop("fmt", None), kw.pop("column_map", None))
    return [(line, ex) for line, ex in iter_examples(src, **kw)]


def test_openai_v1_content_parts_and_loss_weight():
    items = _examples("v1_sft_openai_sample.jsonl")
    assert len(items) == 40 and all(isinstance(ex, dict) for _, ex in items)
    first = items[0][1]["messages"]
    assert first[0] == {"role": "user", "content": "hi"}  # text parts joined, user loss_weight 0 dropped
    assert first[1]["weight"] == 1 and "loss_weight" not in first[1]


def test_openai_keeps_tool_calls_names_and_unknown_keys_verbatim():
    calls = [{"id": "call_9", "type": "function", "function": {"name": "f", "arguments": "{\"x\": 1}"}}]
    record = {"messages": [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "u", "name": "ann"},
        {"role": "assistant", "content": None, "tool_calls": calls},
        {"role": "tool", "tool_call_id": "call_9", "content": "42"},
        {"role": "assistant", "content": "done", "weight": 0, "x_custom": {"k": [1]}},
    ], "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}], "parallel_tool_calls": False}
    ex = read_openai(record)
    assert ex["messages"][2]["tool_calls"] == calls
    assert ex["messages"][1]["name"] == "ann" and ex["messages"][4]["x_custom"] == {"k": [1]}
    assert ex["extra"] == {"parallel_tool_calls": False} and ex["tools"] == record["tools"]


def test_glaive_function_calls_become_tool_calls():
    items = _examples("glaive_toolcall_sample.json")
    ex = items[0][1]
    call_msg = next(m for m in ex["messages"] if m.get("tool_calls"))
    call = call_msg["tool_calls"][0]
    assert call["function"]["name"] == "search_recipes"
    assert json.loads(call["function"]["arguments"]) == {"ingredients": ["chicken", "bell peppers", "rice"]}
    tool_msg = next(m for m in ex["messages"] if m["role"] == "tool")
    assert tool_msg["tool_call_id"] == call["id"] and "recipes" in tool_msg["content"]
    assert ex["tools"][0]["type"] == "function" and ex["tools"][0]["function"]["name"] == "search_recipes"


def test_llamafactory_dpo_is_a_preference_example():
    ex = _examples("llamafactory_dpo_sample.json")[0][1]
    assert ex["preferred"][0]["role"] == "assistant" and ex["non_preferred"][0]["role"] == "assistant"
    assert ex["messages"][-1] == ex["preferred"][0]  # messages = prompt + chosen
    row = example_to_row(ex)
    assert row["meta"]["non_preferred_output"] == ex["non_preferred"]
    back = example_from_row(row["system"], row["user"], row["assistant"], row["messages"], row["meta"])
    assert example_hash(back) == example_hash(ex)


def test_openai_dpo_reader():
    ex = _examples("openai_dpo_sample.jsonl")[0][1]
    assert ex["messages"][-1] == ex["preferred"][0] and ex["non_preferred"][0]["content"]
    assert ex["extra"]["input"] == {"parallel_tool_calls": True}


def test_anthropic_legacy_turns_and_system():
    ex = read_anthropic({"prompt": "Be terse.\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Sum 2+2\n\nAssistant:", "completion": " 4"})
    assert ex["messages"] == [
        {"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Sum 2+2"},
        {"role": "assistant", "content": "4"}]
    plain = read_anthropic({"prompt": "Question?", "completion": " Answer."})
    assert plain["messages"] == [{"role": "user", "content": "Question?"}, {"role": "assistant", "content": "Answer."}]


def test_alpaca_input_history_and_system():
    ex = read_alpaca({"instruction": "Translate", "input": "Hallo", "output": "Hello", "system": "S",
                      "history": [["q1", "a1"]]})
    assert [m["role"] for m in ex["messages"]] == ["system", "user", "assistant", "user", "assistant"]
    assert ex["messages"][3]["content"] == "Translate\nHallo"


@pytest.mark.parametrize("reader, record, field", [
    (read_openai, {"messages": [{"role": "bot", "content": "x"}]}, "messages[0].role"),
    (read_openai, {"messages": [{"role": "user"}]}, "messages[0].content"),
    (read_openai, {"messages": "nope"}, "messages"),
    (read_openai, {"prompt": "x"}, "messages"),
    (read_alpaca, {"instruction": "x"}, "output"),
    (read_sharegpt, {"conversations": [{"from": "alien", "value": "x"}]}, "conversations[0].from"),
    (read_sharegpt, {"conversations": [{"from": "function_call", "value": "{not json"}]}, "conversations[0].value"),
])
def test_bad_records_name_the_field(reader, record, field):
    with pytest.raises(RecordError) as info:
        reader(record)
    assert info.value.field == field


def test_chatgpt_export_follows_the_current_branch():
    items = _examples("chatgpt_conversations.json")
    convs = [ex for _, ex in items if isinstance(ex, dict)]
    skips = [(line, s) for line, s in items if isinstance(s, Skip)]
    assert len(convs) == 3 and len(skips) == 1 and "no assistant" in skips[0][1].reason
    first = convs[0]["messages"]
    # hidden system dropped, regenerated answer not on the branch, python tool traffic dropped
    assert [m["role"] for m in first] == ["user", "assistant", "user", "assistant"]
    assert first[1]["content"] == "Hello! How can I help you today?"
    assert "regenerated away" not in json.dumps(first) and "print(" not in json.dumps(first)
    assert convs[0]["extra"]["title"] == "Identity questions"
    edited = convs[1]["messages"]
    assert edited[0]["content"] == "What is your name?" and "earlier wording" not in json.dumps(edited)
    image = convs[2]["messages"]
    assert image[0] == {"role": "system", "content": "Answer briefly."}
    assert image[1]["content"] == "Can you introduce yourself?"


def test_chatgpt_cycle_is_reported():
    record = {"mapping": {"a": {"id": "a", "message": None, "parent": "b", "children": ["b"]},
                          "b": {"id": "b", "message": None, "parent": "a", "children": ["a"]}}, "current_node": "a"}
    with pytest.raises(RecordError, match="cycle"):
        read_chatgpt(record)


def test_transcripts_threshold_and_max_count():
    items = _examples("transcripts_qa.csv", min_confidence=0.8, max_count=100)
    kept = [(line, ex) for line, ex in items if isinstance(ex, dict)]
    low = [(line, s) for line, s in items if isinstance(s, Skip)]
    # confidences cycle 0.95,0.81,0.42,0.8,0.79,0.99,0.6,0.88: 5 of every 8 pass (0.8 included)
    assert len(kept) == 25 and len(low) == 15
    assert all("below the minimum 0.8" in s.reason for _, s in low)
    assert [line for line, _ in kept] == sorted(line for line, _ in kept)
    top = _examples("transcripts_qa.csv", min_confidence=0.8, max_count=5)
    kept5 = [ex for _, ex in top if isinstance(ex, dict)]
    assert len(kept5) == 5 and all(ex["extra"]["confidence"] == 0.99 for ex in kept5)
    assert sum(1 for _, s in top if isinstance(s, Skip) and "maximum count 5" in s.reason) == 20


def test_transcripts_default_max_count_is_100(tmp_path):
    rows = ["question,answer,confidence"] + [f"q{i},a{i},0.9" for i in range(130)]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    src = inspect_source(tmp_path / "t.csv")
    kept = [ex for _, ex in iter_examples(src) if isinstance(ex, dict)]
    assert len(kept) == 100


def test_utterance_transcripts_group_into_conversations():
    items = _examples("transcripts_utterances.csv", min_confidence=0.8)
    convs = [ex for _, ex in items if isinstance(ex, dict)]
    assert len(convs) == 9  # 12 calls, every 4th at 0.55 confidence
    assert convs[0]["messages"][0] == {"role": "user", "content": "Are you based on davinci-001?"}
    assert convs[0]["messages"][1]["role"] == "assistant"


def test_csv_column_mapping_guess_and_override():
    src = inspect_source(FMT / "custom_columns.csv")
    assert src.column_map == {"user": "Frage", "assistant": "Antwort"}  # unknown names: first non-id columns
    swapped = inspect_source(FMT / "custom_columns.csv", column_map={"user": "Antwort", "assistant": "Frage"})
    ex = next(ex for _, ex in iter_examples(swapped))
    assert ex["messages"][0]["content"].startswith("The craft store made") and ex["extra"] == {"id": "0", "topic": "math"}
    assert guess_column_map(["Question", "Answer", "Confidence"]) == {"user": "Question", "assistant": "Answer", "confidence": "Confidence"}
    with pytest.raises(FormatError, match="not in the header"):
        inspect_source(FMT / "custom_columns.csv", column_map={"user": "nope", "assistant": "Antwort"})


def test_undetectable_file_names_its_keys(tmp_path):
    p = tmp_path / "c4.jsonl"
    p.write_text('{"text": "a web page"}\n')
    with pytest.raises(FormatError, match="keys: text"):
        inspect_source(p)


def test_preview_first_records():
    source, items = preview(FMT / "fastchat_sharegpt_sample.json", n=5)
    assert source.format == "sharegpt" and len(items) == 5 and items[0][0] == 2
