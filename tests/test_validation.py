"""core.validation: cookbook format errors (corrected), seed rules, stats, epochs, cost."""

import json

import pytest

from fineflow_desktop.core.validation import Example, epochs_for, validate_examples


def chat(user="What is a list?", assistant="A mutable sequence of items in Python.", system="You help."):
    msgs = [{"role": "system", "content": system}] if system else []
    return {"messages": msgs + [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]}


def many(n=12):
    return [Example(chat(user=f"Question number {i}?"), line=i + 1) for i in range(n)]


def codes(report):
    return sorted({i.code for i in report.errors})


def test_clean_dataset_passes_with_stats():
    report = validate_examples(many(12))
    assert report.ok, report.errors
    st = report.stats
    assert st["examples"] == 12 and st["unique_user_messages"] == 12
    assert st["tokens_per_example"]["min"] <= st["tokens_per_example"]["mean"] <= st["tokens_per_example"]["max"]
    assert st["epochs"] == 8  # 100 // 12: cookbook minimum of 100 example-epochs (integer division)
    assert st["estimated_cost_usd"] is not None and st["billed_tokens"] == st["tokens_total"] * 8


@pytest.mark.parametrize(
    "record, code",
    [
        ("just a string", "data_type"),
        ({"prompt": "x"}, "missing_messages_list"),
        ({"messages": [{"content": "hi"}, {"role": "assistant", "content": "x y z w"}]}, "message_missing_key"),
        ({"messages": [{"role": "user", "content": "a", "colour": "red"}, {"role": "assistant", "content": "b"}]},
         "message_unrecognized_key"),
        ({"messages": [{"role": "wizard", "content": "a"}, {"role": "assistant", "content": "b"}]}, "unrecognized_role"),
        ({"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "b"}]}, "missing_content"),
        ({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "  "}]}, "missing_content"),
        ({"messages": [{"role": "user", "content": "a"}]}, "example_missing_assistant_message"),
        ({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "weight": 2}]},
         "invalid_weight"),
    ],
)
def test_each_format_error_is_named_with_line(record, code):
    report = validate_examples(many(11) + [Example(record, line=99)])
    bad = [i for i in report.errors if i.code == code]
    assert bad and bad[0].line == 99, report.errors


def test_tool_calls_weight_and_tool_role_are_valid():
    rec = {"messages": [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function",
            "function": {"name": "weather", "arguments": json.dumps({"city": "Paris"})}}], "weight": 0},
        {"role": "tool", "tool_call_id": "c1", "content": "18C sunny"},
        {"role": "assistant", "content": "It is 18C and sunny in Paris.", "weight": 1},
    ]}
    report = validate_examples(many(11) + [Example(rec, line=12)])
    assert report.ok, report.errors


def test_too_few_examples_and_token_limit():
    report = validate_examples(many(3), model="gpt-3.5-turbo")
    assert "too_few_examples" in codes(report)
    huge = Example(chat(assistant="word " * 20000), line=13)
    report = validate_examples(many(12) + [huge], model="gpt-3.5-turbo")
    assert codes(report) == ["too_many_tokens"]
    assert report.errors[0].line == 13 and report.stats["examples_over_limit"] == 1


def test_warnings_duplicates_missing_system_short_answer():
    exs = many(12) + [Example(chat(user="  question NUMBER 0? "), line=13),
                      Example(chat(user="Short?", assistant="Yes.", system=""), line=14)]
    report = validate_examples(exs)
    assert report.ok
    w = {i.code: i for i in report.warnings}
    assert w["duplicate_user_message"].line == 13 and "line 1" in w["duplicate_user_message"].message
    assert w["short_answer"].line == 14
    assert "1 of 14" in w["missing_system_message"].message


def test_cookbook_rule_for_tokens():
    from fineflow_desktop.core.tokens import count_tokens

    rec = chat(user="hello", assistant="world", system="")
    report = validate_examples([Example(rec)] * 1)
    # 3 per conversation + 3 per message × 2 + role/content texts
    expected = 3 + 2 * 3 + sum(count_tokens(t) for t in ("user", "hello", "assistant", "world"))
    assert report.stats["tokens_per_example"]["max"] == expected


@pytest.mark.parametrize("n, epochs", [(1, 25), (10, 10), (15, 6), (12, 8), (33, 3), (34, 3), (100, 3), (8333, 3), (8334, 2), (9000, 2), (30000, 1)])
def test_epoch_heuristic(n, epochs):
    assert epochs_for(n) == epochs
