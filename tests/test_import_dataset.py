"""services.import_dataset: storage layout, idempotent re-import, bad lines, batches, cancel."""

import json

import pytest
from sqlalchemy import func, select

from fineflow_desktop.core.formats.canonical import example_hash
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.core.tokens import chat_tokens
from fineflow_desktop.services import import_dataset
from fineflow_desktop.services.import_dataset import FormatError, import_file, inspect_file, preview_file
from fineflow_desktop.store.models import Dataset, Pair

from conftest import FIXTURES, REAL_DATA

FMT = FIXTURES / "formats"


def _pairs(ws, dataset_id):
    with ws.session() as s:
        return list(s.scalars(select(Pair).where(Pair.dataset_id == dataset_id).order_by(Pair.id)))


def test_single_turn_alpaca_fills_text_columns(workspace):
    report = import_file(workspace, FMT / "alpaca_en_demo_sample.json")
    assert report.format == "alpaca" and report.imported == 40 and report.skipped == 0
    assert report.dataset_name == "alpaca_en_demo_sample"
    pairs = _pairs(workspace, report.dataset_id)
    p = pairs[0]
    assert p.messages is None and p.source == "imported"
    assert p.user == "Describe a process of making crepes." and p.assistant.startswith("Making crepes")
    assert p.n_tokens == chat_tokens([{"role": "user", "content": p.user}, {"role": "assistant", "content": p.assistant}])
    assert p.meta["import"] == {"file": "alpaca_en_demo_sample.json", "line": 2, "format": "alpaca"}
    assert len({q.content_hash for q in pairs}) == 40


def test_multi_turn_and_tool_calls_keep_the_full_list(workspace):
    report = import_file(workspace, FMT / "glaive_toolcall_sample.json", dataset_name="tools")
    pairs = _pairs(workspace, report.dataset_id)
    with_calls = [p for p in pairs if any(m.get("tool_calls") for m in (p.messages or []))]
    assert with_calls, "tool-call conversations must keep their message list"
    p = with_calls[0]
    assert p.user == p.messages[0]["content"]
    assert p.meta["tools"][0]["type"] == "function"
    assert p.content_hash == example_hash({"messages": p.messages, "tools": p.meta["tools"]})


def test_preferences_go_to_meta(workspace):
    report = import_file(workspace, FMT / "llamafactory_dpo_sample.json", dataset_name="dpo")
    p = _pairs(workspace, report.dataset_id)[0]
    assert p.meta["preferred_output"][0]["role"] == "assistant"
    assert p.meta["non_preferred_output"][0]["content"] != p.meta["preferred_output"][0]["content"]
    assert p.assistant == p.meta["preferred_output"][0]["content"]


def test_reimport_adds_nothing_and_counts_duplicates(workspace):
    first = import_file(workspace, REAL_DATA / "llamafactory_alpaca_en_demo.json", dataset_name="alpaca")
    assert first.imported == 985 and first.duplicates == 14  # the file has 14 exact duplicate records
    again = import_file(workspace, REAL_DATA / "llamafactory_alpaca_en_demo.json", dataset_name="alpaca")
    assert again.imported == 0 and again.duplicates == 999
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(Pair)) == 985
        assert s.scalar(select(func.count()).select_from(Dataset)) == 1


def _corrupt_jsonl(tmp_path, n=400, every=20):
    """The real GSM8K Alpaca records as JSONL with every *every*-th line broken in a different way."""
    records = json.loads((REAL_DATA / "gsm8k_train_alpaca_format.json").read_text())[:n]
    breakers = [
        lambda line: line[: len(line) // 2],  # truncated JSON
        lambda line: "[1, 2, 3]",  # not an object
        lambda line: json.dumps({"instruction": "no output here"}),  # missing field
        lambda line: "",  # blank line: not a record at all, not reported
        lambda line: "{'single': 'quotes'}",  # Python, not JSON
    ]
    lines, bad = [], {}
    for i, rec in enumerate(records, start=1):
        line = json.dumps(rec, ensure_ascii=False)
        if i % every == 0:
            line = breakers[(i // every) % len(breakers)](line)
            if line:
                bad[i] = line
        lines.append(line)
    path = tmp_path / "gsm8k_5pct_bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, n, bad


def test_five_percent_malformed_lines_are_reported_and_the_rest_imported(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(import_dataset, "BATCH_ROWS", 37)  # many batches
    path, n, bad = _corrupt_jsonl(tmp_path)
    report = import_file(workspace, path, fmt="alpaca")
    blank = n // 20 - len(bad)
    assert report.imported == n - len(bad) - blank
    assert [line for line, _ in report.skipped_lines] == sorted(bad)
    reasons = dict(report.skipped_lines)
    assert sum("invalid JSON" in r for r in reasons.values()) == 8  # truncated and single-quoted lines
    assert any("output: missing" in r for r in reasons.values())
    assert any("expected a JSON object" in r for r in reasons.values())


def test_detection_survives_bad_first_lines(workspace, tmp_path):
    path, n, bad = _corrupt_jsonl(tmp_path, n=60, every=2)
    assert import_file(workspace, path).format == "alpaca"


def test_cancel_keeps_committed_batches_and_resume_completes(workspace, monkeypatch):
    monkeypatch.setattr(import_dataset, "BATCH_ROWS", 100)
    state = TaskState()
    seen = []

    def on_progress(done, total, msg):
        seen.append(done)
        if len(seen) == 5:
            state.cancel()

    state.on_progress = on_progress
    with pytest.raises(Cancelled):
        import_file(workspace, REAL_DATA / "llamafactory_alpaca_en_demo.json", dataset_name="g", state=state)
    with workspace.session() as s:
        kept = s.scalar(select(func.count()).select_from(Pair))
    assert 300 <= kept < 985  # 3 committed batches + the records read before Cancel
    report = import_file(workspace, REAL_DATA / "llamafactory_alpaca_en_demo.json", dataset_name="g")
    assert report.imported + kept == 985


def test_crash_mid_import_loses_at_most_one_batch(workspace, monkeypatch):
    monkeypatch.setattr(import_dataset, "BATCH_ROWS", 50)
    real_row = import_dataset._row
    calls = {"n": 0}

    def exploding_row(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 275:
            raise MemoryError("simulated crash")
        return real_row(*args, **kwargs)

    monkeypatch.setattr(import_dataset, "_row", exploding_row)
    with pytest.raises(MemoryError):
        import_file(workspace, REAL_DATA / "gsm8k_train_alpaca_format.json", dataset_name="g")
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(Pair)) == 250
    assert workspace.integrity_check() == "ok"


def test_progress_is_in_bytes(workspace):
    events = []
    path = REAL_DATA / "llamafactory_alpaca_en_demo.json"
    import_file(workspace, path, state=TaskState(on_progress=lambda *a: events.append(a)))
    size = path.stat().st_size
    assert events[-1][:2] == (size, size) and len(events) > 10
    assert [e[0] for e in events] == sorted(e[0] for e in events)


def test_transcripts_import_with_threshold(workspace):
    report = import_file(workspace, FMT / "transcripts_qa.csv", min_confidence=0.9)
    assert report.format == "transcript" and report.imported == 10  # 0.95 and 0.99 rows
    assert report.skipped == 30 and all("below the minimum 0.9" in r for _, r in report.skipped_lines)


def test_unusable_files_raise_before_writing(workspace, tmp_path):
    with pytest.raises(FormatError):
        import_file(workspace, REAL_DATA / "llamafactory_c4_demo.jsonl")
    with pytest.raises(FormatError, match="unknown format"):
        import_file(workspace, FMT / "alpaca_en_demo_sample.json", fmt="yaml")
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(Dataset)) == 0


def test_preview_and_inspect(tmp_path):
    fmt, examples = preview_file(FMT / "bedrock_claude_sample.jsonl", n=3)
    assert fmt == "bedrock" and len(examples) == 3 and examples[0]["messages"][0]["role"] == "system"
    p = inspect_file(FMT / "custom_columns.csv", n=2)
    assert p.columns == ["id", "Frage", "Antwort", "topic"] and len(p.examples) == 2
    forced = inspect_file(FMT / "fastchat_sharegpt_sample.json", n=2, fmt="alpaca")
    assert forced.format == "alpaca" and forced.detected == "sharegpt"
    assert all(isinstance(item, str) and "instruction" in item for _line, item in forced.items)


def test_batched_token_counts_equal_chat_tokens():
    examples = [ex for ex in json.loads((FMT / "glaive_toolcall_sample.json").read_text())]
    from fineflow_desktop.core.formats.readers import read_sharegpt

    lists = [read_sharegpt(r)["messages"] for r in examples] + [[{"role": "user", "content": "hi", "name": "ann"}]]
    assert import_dataset.batch_chat_tokens(lists) == [chat_tokens(m) for m in lists]
