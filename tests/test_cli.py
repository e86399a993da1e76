"""The `fineflow` CLI end to end: ingest → generate → validate → export → validate --file."""

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES
from fineflow_desktop.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_bad_usage_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "validate", "--workspace", str(tmp_path / "w"))
    assert code == 2 and "exactly one of" in err
    code, _, err = run(capsys, "ingest", "--workspace", str(tmp_path / "w"), str(tmp_path / "missing"))
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "validate", "--file", str(tmp_path / "nope.jsonl"))
    assert code == 2
    assert main(["no-such-command"]) == 2



def test_output_piped_into_head_ends_quietly(tmp_path):
    """`fineflow validate --file F | head -1`: the closed pipe ends the command without a traceback."""
    f = tmp_path / "broken.jsonl"
    f.write_text("{not json\n" * 5000)
    cmd = f"{sys.executable} -m fineflow_desktop.cli validate --file {f} --limit 100000 | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith(f"{f}: ERRORS")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 141

def test_validate_file_reports_line_numbers_and_exit_code(capsys, tmp_path):
    good = {"messages": [{"role": "user", "content": "What is pip?"},
                         {"role": "assistant", "content": "The package installer for Python."}]}
    lines = [json.dumps({"messages": [{"role": "user", "content": f"Q{i}?"}, {"role": "assistant", "content": f"Answer number {i} here."}]}) for i in range(12)]
    f = tmp_path / "d.jsonl"
    f.write_text("\n".join(lines) + "\n")
    code, out, _ = run(capsys, "validate", "--file", str(f), "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    lines.insert(3, "{not json")
    lines.insert(5, json.dumps({"messages": [{"role": "user", "content": "x"}]}))
    f.write_text("\n".join(lines) + "\n")
    code, out, _ = run(capsys, "validate", "--file", str(f), "--json")
    report = json.loads(out)
    assert code == 1
    by_code = {e["code"]: e for e in report["errors"]}
    assert by_code["invalid_json"]["line"] == 4
    assert by_code["example_missing_assistant_message"]["line"] == 6
    code, out, _ = run(capsys, "validate", "--file", str(f))
    assert "line 4" in out and "ERRORS" in out
    del good



def test_validate_file_reads_every_export_format_as_chat(capsys, tmp_path):
    """An Alpaca / ShareGPT / Anthropic file is read with its import reader before the chat
    checks (it used to give one 'no messages list' error per line); a record the reader cannot
    read is an error naming its line, and the report names the format."""
    def exchange(i):
        return f"What does option {i} do?", f"Option {i} turns feature number {i} on."

    files = {
        "alpaca": [{"instruction": q, "input": "", "output": a} for q, a in map(exchange, range(12))],
        "sharegpt": [{"conversations": [{"from": "human", "value": q}, {"from": "gpt", "value": a}]}
                     for q, a in map(exchange, range(12))],
        "anthropic": [{"prompt": f"\n\nHuman: {q}\n\nAssistant:", "completion": f" {a}"} for q, a in map(exchange, range(12))],
    }
    for fmt, records in files.items():
        f = tmp_path / f"{fmt}.jsonl"
        f.write_text("".join(json.dumps(r) + "\n" for r in records))
        code, out, _ = run(capsys, "validate", "--file", str(f), "--json")
        report = json.loads(out)
        assert code == 0 and report["ok"], (fmt, report["error_counts"])
        assert report["stats"]["format"] == fmt and report["stats"]["examples"] == 12
        code, out, _ = run(capsys, "validate", "--file", str(f))
        assert "read as chat messages" in out
    bad = tmp_path / "alpaca_bad.jsonl"
    rows = files["alpaca"][:5] + [{"instruction": "What is it?"}] + files["alpaca"][5:]
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, _ = run(capsys, "validate", "--file", str(bad), "--json")
    report = json.loads(out)
    assert code == 1
    assert [(e["code"], e["line"]) for e in report["errors"]] == [("unreadable_record", 6)]
    assert "alpaca_bad.jsonl:6" in report["errors"][0]["message"]

def test_fixture_flow_through_cli(capsys, tmp_path):
    ws = str(tmp_path / "ws")
    code, out, _ = run(capsys, "ingest", "--workspace", ws, "--json", str(FIXTURES / "pydocs"))
    assert code == 0
    ingest = json.loads(out)
    assert ingest["imported"] >= 3 and ingest["chunks"] > 0
    code, out, _ = run(capsys, "ingest", "--workspace", ws, "--json", str(FIXTURES / "pydocs"))
    assert json.loads(out)["imported"] == 0  # unchanged files are not imported twice
    code, out, _ = run(capsys, "generate", "--workspace", ws, "--json", "--dataset", "faq", "--mode", "qa",
                       "--system-prompt", "You answer questions about Python.")
    gen = json.loads(out)
    assert code == 0 and gen["pairs_added"] >= 10
    code, out, _ = run(capsys, "generate", "--workspace", ws, "--json", "--dataset", "faq", "--mode", "qa",
                       "--system-prompt", "You answer questions about Python.")
    assert json.loads(out)["pairs_added"] == 0  # re-running adds no duplicates
    code, out, _ = run(capsys, "validate", "--workspace", ws, "--dataset", "faq", "--json")
    assert code == 0, out
    code, out, _ = run(capsys, "stats", "--workspace", ws, "--json")
    stats = json.loads(out)
    assert stats["pairs"] == gen["pairs_added"] and stats["datasets"] == 1


@pytest.mark.slow
def test_acceptance_python_docs_corpus(pydoc_sources, tmp_path):
    """Issue 2 acceptance, through the real console entry point in a subprocess."""
    ws = str(tmp_path / "ws")
    out = tmp_path / "pydocs.jsonl"

    def fineflow(*args):
        return subprocess.run([sys.executable, "-m", "fineflow_desktop.cli", *args, "--workspace", ws],
                              capture_output=True, text=True, timeout=600)

    assert fineflow("ingest", str(pydoc_sources)).returncode == 0
    assert fineflow("generate", "--dataset", "pydocs", "--generator", "extractive", "--mode", "qa").returncode == 0
    v = fineflow("validate", "--dataset", "pydocs")
    assert v.returncode == 0, v.stdout[-3000:]
    e = fineflow("export", "--dataset", "pydocs", "--format", "openai", "--out", str(out))
    assert e.returncode == 0, e.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 200
    for line in lines:
        msgs = json.loads(line)["messages"]
        assert [m["role"] for m in msgs][-2:] == ["user", "assistant"]
        assert all(isinstance(m["content"], str) and m["content"].strip() for m in msgs)
    vf = fineflow("validate", "--file", str(out), "--json")
    assert vf.returncode == 0 and json.loads(vf.stdout)["ok"] is True


def test_ingest_exits_1_when_nothing_could_be_read_and_groups_failures_by_reason(capsys, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"bad{i}.jsonl").write_text('{"a": 1}\n{"a": \n')
    (docs / "empty.md").write_text("\n\n")
    ws = str(tmp_path / "w")
    code, out, _ = run(capsys, "ingest", "--workspace", ws, str(docs))
    assert code == 1
    summary = out[out.index("failed: 4 files, 2 reasons"):].splitlines()
    assert summary[1] == "  3 x invalid JSON on this line: Expecting value (column 7)"
    assert [line.strip() for line in summary[2:5]] == [str((docs / f"bad{i}.jsonl").resolve()) + ":2" for i in range(3)]
    assert summary[5:] == ["  1 x no text found in the file", "      " + str((docs / "empty.md").resolve())]
    code, out, _ = run(capsys, "ingest", "--workspace", ws, "--json", str(docs))
    groups = json.loads(out)["failures_by_reason"]
    assert [g["count"] for g in groups] == [3, 1] and len(groups[0]["paths"]) == 3
    (docs / "good.md").write_text("# Title\n\nA paragraph that can be read.\n")
    code, out, _ = run(capsys, "ingest", "--workspace", ws, str(docs))
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("      ")  # the summary ends the output
