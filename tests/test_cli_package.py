"""The ``fineflow_desktop.cli`` package: one handler shape, the workspace opened in one place,
``--workspace`` before or after the command and ``$FINEFLOW_WORKSPACE``."""

import argparse
import ast
import json
from pathlib import Path

import pytest

from fineflow_desktop import cli
from fineflow_desktop.store.workspace import Workspace

CLI_DIR = Path(cli.__file__).parent


@pytest.fixture
def two_workspaces(tmp_path):
    """Two workspaces told apart by a dataset name."""
    paths = {}
    for name in ("a", "b"):
        path = tmp_path / name
        ws = Workspace.open(path)
        from fineflow_desktop.services.datasets import get_or_create_dataset

        get_or_create_dataset(ws, f"only-in-{name}")
        ws.close()
        paths[name] = path
    return paths


def _datasets(capsys, argv, monkeypatch=None) -> list[str]:
    code = cli.main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    return [d["name"] for d in json.loads(out)["dataset_list"]]


def test_workspace_before_or_after_the_command(two_workspaces, capsys):
    a, b = str(two_workspaces["a"]), str(two_workspaces["b"])
    assert _datasets(capsys, ["--workspace", a, "stats", "--json"]) == ["only-in-a"]
    assert _datasets(capsys, ["stats", "--json", "--workspace", b]) == ["only-in-b"]
    assert _datasets(capsys, ["--json", "--workspace", a, "stats"]) == ["only-in-a"]
    # a nested group: templates list
    assert cli.main(["--workspace", a, "templates", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)  # built-ins seeded in workspace a


def test_environment_variable_and_precedence(two_workspaces, capsys, monkeypatch):
    monkeypatch.setenv("FINEFLOW_WORKSPACE", str(two_workspaces["a"]))
    assert _datasets(capsys, ["stats", "--json"]) == ["only-in-a"]
    # an explicit --workspace wins over the environment, in either position
    assert _datasets(capsys, ["stats", "--json", "--workspace", str(two_workspaces["b"])]) == ["only-in-b"]
    assert _datasets(capsys, ["--workspace", str(two_workspaces["b"]), "stats", "--json"]) == ["only-in-b"]


def test_git_style_order_used_to_be_rejected_now_runs(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Title\n\nSome text about tokens and datasets.\n", encoding="utf-8")
    code = cli.main(["--workspace", str(tmp_path / "ws"), "ingest", str(docs), "--json"])
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["imported"] == 1


def _leaf_parsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _leaf_parsers(sub) if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions) \
                    else [(name, sub)]


def test_every_command_is_a_decorated_handler_with_the_common_options():
    leaves = list(_leaf_parsers(cli.build_parser()))
    assert len(leaves) >= 25
    for name, sub in leaves:
        handler = sub.get_default("handler")
        assert handler is not None and hasattr(handler, "needs_workspace"), f"{name}: not a @command handler"
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"--workspace", "--json"} <= options, name


def test_the_workspace_is_opened_and_closed_in_one_place():
    """Only ``cli/common.py`` opens or closes a workspace; handlers receive it."""
    offenders = []
    for path in sorted(CLI_DIR.glob("*.py")):
        if path.name == "common.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("open", "close") and \
                    isinstance(node.value, ast.Name) and node.value.id in ("Workspace", "ws"):
                offenders.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
            if isinstance(node, ast.Name) and node.id == "open_workspace":
                offenders.append(f"{path.name}:{node.lineno} open_workspace")
    assert not offenders, offenders


def test_a_failing_handler_still_closes_its_workspace(tmp_path, monkeypatch):
    closed = []
    real_close = Workspace.close
    monkeypatch.setattr(Workspace, "close", lambda self: (closed.append(True), real_close(self))[1])

    @cli.command
    def boom(ws, args):
        assert isinstance(ws, Workspace)
        raise cli.UsageError("bad input")

    with pytest.raises(cli.UsageError):
        boom(argparse.Namespace(workspace=tmp_path / "ws", json=False))
    assert closed == [True]


def test_a_command_without_workspace_gets_none(tmp_path, capsys):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                              {"role": "assistant", "content": "hello"}]}) + "\n", encoding="utf-8")
    target = tmp_path / "never-created"
    code = cli.main(["validate", "--file", str(jsonl), "--workspace", str(target)])
    assert code in (0, 1) and not target.exists()  # validate --file opens no workspace
