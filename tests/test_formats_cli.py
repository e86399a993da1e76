"""``fineflow import`` / ``fineflow export`` on real files: reports, exit codes, JSON output."""

import json
import subprocess
import sys

import pytest

from fineflow_desktop.cli import main

from conftest import FIXTURES, REAL_DATA

FMT = FIXTURES / "formats"


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_lists_every_skipped_line(tmp_path, capsys):
    lines = (FMT / "v1_sft_openai_sample.jsonl").read_text().splitlines()
    lines[4] = lines[4][:30]
    lines[9] = '{"messages": [{"role": "robot", "content": "x"}]}'
    (tmp_path / "chat.jsonl").write_text("\n".join(lines) + "\n")
    ws = tmp_path / "ws"
    code, out, _ = _run(capsys, "import", tmp_path / "chat.jsonl", "--workspace", ws)
    assert code == 0
    assert "imported: 38" in out and "skipped: 2" in out
    assert "line 5: invalid JSON" in out and "line 10: messages[0].role: unknown role 'robot'" in out
    code, out, _ = _run(capsys, "import", tmp_path / "chat.jsonl", "--workspace", ws, "--json")
    data = json.loads(out)
    assert data["imported"] == 0 and data["duplicates"] == 38 and data["dataset_name"] == "chat"
    assert [s["line"] for s in data["skipped_lines"]] == [5, 10]


def test_import_format_override_and_errors(tmp_path, capsys):
    ws = tmp_path / "ws"
    code, _, err = _run(capsys, "import", REAL_DATA / "llamafactory_c4_demo.jsonl", "--workspace", ws)
    assert code == 2 and "cannot tell the dataset format" in err
    code, _, err = _run(capsys, "import", tmp_path / "missing.jsonl", "--workspace", ws)
    assert code == 2 and "no such file" in err
    code, out, _ = _run(capsys, "import", FMT / "custom_columns.csv", "--workspace", ws, "--dataset", "math",
                        "--map", "user=Frage", "--map", "assistant=Antwort", "--json")
    assert code == 0 and json.loads(out)["imported"] == 30
    code, out, _ = _run(capsys, "import", FMT / "transcripts_qa.csv", "--workspace", ws, "--max-count", "3", "--json")
    data = json.loads(out)
    assert data["format"] == "transcript" and data["imported"] == 3 and data["skipped"] == 37


def test_export_all_formats_and_split(tmp_path, capsys):
    ws = tmp_path / "ws"
    _run(capsys, "import", FMT / "llamafactory_dpo_sample.json", "--workspace", ws, "--dataset", "prefs")
    for fmt in ("openai", "openai-dpo", "anthropic", "bedrock", "alpaca", "sharegpt", "hf-chat"):
        code, out, err = _run(capsys, "export", "--workspace", ws, "--dataset", "prefs", "--format", fmt,
                              "--out", tmp_path / f"{fmt}.jsonl", "--json")
        assert code == 0, err
        assert json.loads(out)["written"] == 25
    code, out, _ = _run(capsys, "export", "--workspace", ws, "--dataset", "prefs", "--format", "openai",
                        "--out", tmp_path / "s.jsonl", "--split", "0.9", "--provenance")
    assert code == 0 and "train: 23 examples" in out and "validation: 2 examples" in out and "provenance:" in out
    code, _, err = _run(capsys, "export", "--workspace", ws, "--dataset", "nope", "--format", "openai", "--out", tmp_path / "n.jsonl")
    assert code == 2 and "no dataset 'nope'" in err


@pytest.mark.slow
def test_console_script_round_trip_in_a_subprocess(tmp_path):
    """The real ``python -m fineflow_desktop.cli`` process: import, export, re-import."""
    ws = tmp_path / "ws"
    run = lambda *a: subprocess.run([sys.executable, "-m", "fineflow_desktop.cli", *map(str, a)],  # noqa: E731
                                    capture_output=True, text=True)
    p = run("import", FMT / "glaive_toolcall_sample.json", "--workspace", ws, "--dataset", "tools", "--json")
    assert p.returncode == 0, p.stderr
    n = json.loads(p.stdout)["imported"]
    p = run("export", "--workspace", ws, "--dataset", "tools", "--format", "sharegpt", "--out", tmp_path / "t.json")
    assert p.returncode == 0, p.stderr
    p = run("import", tmp_path / "t.json", "--workspace", ws, "--dataset", "tools", "--json")
    assert json.loads(p.stdout)["duplicates"] == n
