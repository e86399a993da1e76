"""``fineflow credentials add|list|test|remove|set-default`` and ``fineflow usage`` against the fakes."""

import json

import pytest

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fineflow_desktop import cli


@pytest.fixture
def run(monkeypatch, tmp_path, capsys):
    ws = str(tmp_path / "ws")

    def _run(*argv):
        code = cli.main([*argv, "--workspace", ws])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def test_add_list_test_usage_roundtrip(run, openai_fake, monkeypatch):
    monkeypatch.setenv("MY_OPENAI_KEY", OPENAI_TEST_KEY)
    code, out, _ = run("credentials", "add", "--name", "main", "--provider", "openai", "--base-url", openai_fake.base_url,
                       "--model", "gpt-4o-mini", "--key-from-env", "MY_OPENAI_KEY", "--concurrency", "8")
    assert code == 0 and "sk-…3456" in out and OPENAI_TEST_KEY not in out
    code, out, _ = run("credentials", "list", "--json")
    [item] = json.loads(out)
    assert item["name"] == "main" and item["concurrency"] == 8 and item["is_default"] and item["key_hint"] == "sk-…3456"
    assert item["last_test"]["summary"] == "never tested"
    code, out, _ = run("credentials", "test", "main", "--json")
    res = json.loads(out)
    assert code == 0 and res["ok"] and [l["level"] for l in res["levels"]] == [1, 2, 3]
    assert all(l["latency_ms"] > 0 for l in res["levels"] if l["level"] != 2)
    code, out, _ = run("credentials", "test", "main")
    assert code == 0 and out.count("PASS") == 3
    code, out, _ = run("usage", "--json")
    u = json.loads(out)
    assert u["per_model"][0]["key"] == "openai/gpt-4o-mini" and u["per_model"][0]["calls"] == 2
    code, out, _ = run("usage")
    assert "Per day:" in out and "openai/gpt-4o-mini" in out


def test_local_compatible_needs_no_key_and_presets(run):
    code, out, _ = run("credentials", "add", "--name", "ollama", "--provider", "compatible", "--base-url", "ollama", "--model", "llama3.2")
    assert code == 0
    code, out, _ = run("credentials", "list", "--json")
    assert json.loads(out)[0]["base_url"] == "http://localhost:11434/v1"


def test_usage_errors_exit_2_with_field(run, monkeypatch):
    code, _, err = run("credentials", "add", "--name", "x", "--provider", "compatible")
    assert code == 2 and "base_url" in err
    code, _, err = run("credentials", "add", "--name", "x", "--provider", "openai", "--key-from-env", "NOPE_UNSET")
    assert code == 2 and "NOPE_UNSET" in err
    code, _, err = run("credentials", "test", "ghost")
    assert code == 2 and "no credential 'ghost'" in err
    code, _, err = run("credentials", "add", "--name", "x", "--provider", "gemini")
    assert code == 2


def test_failed_test_exits_1_and_remove(run, openai_fake, monkeypatch):
    monkeypatch.setenv("BAD_KEY", "sk-test-BADBADBAD0000")
    run("credentials", "add", "--name", "bad", "--provider", "openai", "--base-url", openai_fake.base_url, "--model", "gpt-4o-mini", "--key-from-env", "BAD_KEY")
    code, out, _ = run("credentials", "test", "bad")
    assert code == 1 and "FAIL  1" in out and "BADBADBAD0000" not in out
    # a session key for this run only fixes it
    monkeypatch.setenv("GOOD_KEY", OPENAI_TEST_KEY)
    code, out, _ = run("credentials", "test", "bad", "--key-from-env", "GOOD_KEY")
    assert code == 0
    code, out, _ = run("credentials", "remove", "bad")
    assert code == 0
    code, out, _ = run("credentials", "list", "--json")
    assert json.loads(out) == []


def test_set_default(run):
    run("credentials", "add", "--name", "a", "--provider", "anthropic")
    run("credentials", "add", "--name", "b", "--provider", "anthropic")
    code, out, _ = run("credentials", "set-default", "b", "--json")
    assert code == 0 and json.loads(out)["is_default"]
    code, out, _ = run("credentials", "list", "--json")
    assert [c["name"] for c in json.loads(out) if c["is_default"]] == ["b"]
