"""``fineflow templates ...`` end to end on a temp workspace."""

import json

import pytest

from fineflow_desktop import cli




@pytest.fixture
def run(tmp_path, capsys):
    ws = tmp_path / "ws"

    def _run(*argv):
        code = cli.main(["templates", *argv, "--workspace", str(ws)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def body(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_create_edit_show_versions_publish_restore(run, tmp_path):
    code, out, _ = run("create", "greet", "--body-file", body(tmp_path, "a.txt", "Hello {{name}}\nfrom {{place}}\n"),
                       "--name", "Greeting", "--tags", "demo, test", "--format", "markdown", "--json")
    assert code == 0 and json.loads(out)["number"] == 1
    assert run("edit", "greet", "--body-file", body(tmp_path, "b.txt", "Hello {{name}}!\nfrom {{place}}\n"),
               "--note", "bang")[0] == 0
    assert run("edit", "greet", "--body-file", body(tmp_path, "c.txt", "Hi {{name}}!\nfrom {{place}}\nbye\n"))[0] == 0

    code, out, _ = run("show", "greet", "--json")
    shown = json.loads(out)
    assert shown["number"] == 3 and shown["variable_names"] == ["name", "place"] and shown["tags"] == ["demo", "test"]
    assert shown["output_format"] == "markdown"

    code, out, _ = run("versions", "greet", "--json")
    assert [v["number"] for v in json.loads(out)] == [3, 2, 1]
    assert json.loads(out)[1]["note"] == "bang"
    code, out, _ = run("versions", "greet")
    assert "body +0 −0 ~1 lines  — bang" in out

    code, out, _ = run("publish", "greet", "2")
    assert code == 0 and "active" in out
    code, out, _ = run("list", "--json")
    row = next(t for t in json.loads(out) if t["slug"] == "greet")
    assert row["published_number"] == 2 and row["latest_number"] == 3
    assert any(t["slug"] == "builtin-qa" for t in json.loads(out))  # seeded on first use

    code, out, _ = run("restore", "greet", "1", "--json")
    assert code == 0 and json.loads(out)["number"] == 4
    code, out, _ = run("show", "greet", "--version", "4", "--json")
    assert json.loads(out)["body"] == "Hello {{name}}\nfrom {{place}}\n"


def test_render_missing_variables_exit_1(run, tmp_path):
    run("create", "greet", "--body-file", body(tmp_path, "a.txt", "Hello {{name}} from {{place}}"))
    code, out, err = run("render", "greet", "--context", '{"name": "Zoë"}')
    assert code == 1 and "missing variables: place" in err
    code, out, _ = run("render", "greet", "--context", '{"name": "Zoë"}', "--json")
    assert code == 1 and json.loads(out) == {"ok": False, "missing": ["place"]}
    code, out, _ = run("render", "greet", "--context", '{"name": "Zoë", "place": "Köln"}')
    assert code == 0 and out == "Hello Zoë from Köln\n"
    ctx = tmp_path / "ctx.json"
    ctx.write_text('{"name": "A", "place": "B"}')
    assert run("render", "greet", "--context", f"@{ctx}", "--json")[1].count("Hello A from B") == 1
    code, _, err = run("render", "greet", "--context", "{nope")
    assert code == 2 and "not valid JSON" in err


def test_render_syntax_error_exit_1(run, tmp_path):
    # the CLI refuses such a body; a draft saved by the editor can still have one
    from fineflow_desktop.services import templates as T
    from fineflow_desktop.store.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws")
    try:
        T.create_template(ws, "bad", "line one\n  {{ }} here")
    finally:
        ws.close()
    code, _, err = run("render", "bad", "--context", "{}")
    assert code == 1 and "line 2, column 3" in err


def test_create_and_edit_refuse_a_malformed_placeholder_at_write_time(run, tmp_path):
    bad = body(tmp_path, "bad.txt", "Broken {{name")
    code, out, err = run("create", "broken", "--body-file", bad)
    assert code == 2 and out == ""
    assert f"{bad}: template syntax error at line 1, column 8" in err
    code, out, _ = run("list", "--json")
    assert "broken" not in [t["slug"] for t in json.loads(out)]  # nothing saved

    assert run("create", "greet", "--body-file", body(tmp_path, "ok.txt", "Hello {{name}}\n"))[0] == 0
    code, _, err = run("edit", "greet", "--body-file", body(tmp_path, "bad2.txt", "Hello {{name}}\nBye {{ name\n"))
    assert code == 2 and "line 2, column 5" in err
    code, out, _ = run("versions", "greet", "--json")
    assert [v["number"] for v in json.loads(out)] == [1]  # no version 2


def test_diff_side_by_side_json_and_unified(run, tmp_path):
    run("create", "t", "--body-file", body(tmp_path, "a.txt", "one\ntwo\nthree\n"))
    run("edit", "t", "--body-file", body(tmp_path, "b.txt", "one\n2\nthree\nfour\n"), "--tags", "x")
    code, out, _ = run("diff", "t", "1", "2", "--unified")
    assert code == 0
    assert out.splitlines() == ["--- t@v1", "+++ t@v2", "@@ -1,3 +1,4 @@", " one", "-two", "+2", " three", "+four"]
    code, out, _ = run("diff", "t", "1", "2", "--json")
    d = json.loads(out)
    assert [r["kind"] for r in d["rows"]] == ["equal", "replace", "equal", "insert"]
    assert d["change_count"] == 2 and d["changeset"]["fields"][0]["field"] == "tags"
    code, out, _ = run("diff", "t", "1", "2")
    assert "tags +x" in out and "|" in out.splitlines()[3]


def test_export_import_between_workspaces(run, tmp_path, capsys):
    run("create", "t", "--body-file", body(tmp_path, "a.txt", "x {{y}}"))
    out_file = tmp_path / "exp.json"
    assert run("export", "t", "--out", str(out_file))[0] == 0
    code = cli.main(["templates", "import", str(out_file), "--workspace", str(tmp_path / "ws2"), "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["created"] == ["t"]


def test_errors_are_usage_errors(run, tmp_path):
    code, _, err = run("show", "nope")
    assert code == 2 and "no template with slug 'nope'" in err
    code, _, err = run("create", "x", "--body-file", str(tmp_path / "missing.txt"))
    assert code == 2 and "cannot read" in err
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    code, _, err = run("import", str(bad))
    assert code == 2 and "bad.json: not valid JSON at line 1" in err
