"""Offline generation and export from the CLI: nothing extracted says why (exit 1), an export of
0 pairs is an error (exit 1, no file), and the export's unwrap / strip-markup options."""


import json

from fineflow_desktop.cli import main
from fineflow_desktop.core.markup import strip_inline_markup, unwrap_lines
from fineflow_desktop.services.export import tidy_example
from fineflow_desktop.store.models import Dataset, Pair
from fineflow_desktop.store.workspace import Workspace


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_nothing_extracted_says_why_and_writes_no_dataset(capsys, tmp_path):
    ws = str(tmp_path / "ws")
    notes = tmp_path / "notes.txt"
    notes.write_text("Plain notes without any heading. They describe a meeting that took place on Tuesday "
                     "and what was decided there about the budget for the next quarter and the hiring plan.\n")
    assert run(capsys, "ingest", "--workspace", ws, str(notes))[0] == 0
    code, out, err = run(capsys, "generate", "--workspace", ws, "--dataset", "d", "--generator", "extractive",
                         "--mode", "qa")
    assert code == 1
    assert "no pairs extracted in qa mode" in err and "--generator llm" in err and "Nothing was written" in err
    code, out, err = run(capsys, "generate", "--workspace", ws, "--dataset", "d", "--mode", "instruction", "--json")
    assert code == 1 and "heading" in json.loads(out)["error"]
    code, out, _ = run(capsys, "stats", "--workspace", ws, "--json")
    assert json.loads(out)["datasets"] == 0  # no empty dataset left behind


def test_export_of_zero_pairs_is_an_error(capsys, tmp_path):
    ws_path = tmp_path / "ws"
    w = Workspace.open(ws_path)
    with w.session() as s:
        s.add(Dataset(name="empty", system_prompt=""))
    w.close()
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "export", "--workspace", str(ws_path), "--dataset", "empty", "--out", str(out))
    assert code == 1 and "nothing to export" in err and "has no pairs" in err
    assert not out.exists()


def test_export_unwraps_and_strips_markup_of_extracted_pairs(capsys, tmp_path):
    ws_path = tmp_path / "ws"
    w = Workspace.open(ws_path)
    answer = ("The :func:`open` function returns a **file object**; it is\nthe usual way to read and write "
              "files in Python programs,\nand it takes ``mode`` as its second argument.\n\n```\nwith open(p) as f:\n"
              "    data = f.read()\n```")
    with w.session() as s:
        ds = Dataset(name="docs", system_prompt="")
        s.add(ds)
        s.flush()
        s.add(Pair(dataset_id=ds.id, user="What does open() do?", assistant=answer, source="extractive"))
        s.add(Pair(dataset_id=ds.id, user="Imported **markdown**?", assistant="Kept\nas **is**.", source="imported"))
    w.close()
    out = tmp_path / "o.jsonl"
    assert run(capsys, "export", "--workspace", str(ws_path), "--dataset", "docs", "--out", str(out))[0] == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    got = rows[0]["messages"][-1]["content"]
    assert got.startswith("The `open` function returns a file object; it is the usual way to read and write files "
                          "in Python programs, and it takes `mode` as its second argument.")
    assert "```\nwith open(p) as f:\n    data = f.read()\n```" in got  # code untouched
    assert rows[1]["messages"][-1]["content"] == "Kept\nas **is**."  # imported text is left as it is
    assert run(capsys, "export", "--workspace", str(ws_path), "--dataset", "docs", "--out", str(out),
               "--no-unwrap", "--no-strip-markup")[0] == 0
    assert json.loads(out.read_text().splitlines()[0])["messages"][-1]["content"] == answer


def test_unwrap_keeps_code_lists_and_tables():
    text = ("A paragraph that was hard wrapped by the author of the\nsource file at seventy characters or so for"
            " the\nreader of the plain text.\n\n- first item that is long enough\n  to wrap onto a second line\n"
            "- second item\n\nname | value\nx | 1\n\nimport os\nimport sys\n\n    indented code\n    block")
    out = unwrap_lines(text)
    assert "author of the source file at seventy characters or so for the reader" in out
    assert "- first item that is long enough to wrap onto a second line\n- second item" in out
    assert "name | value\nx | 1" in out and "import os\nimport sys" in out and "    indented code\n    block" in out
    assert strip_inline_markup("See :ref:`the guide <g>` and **this**; ``x = *y*``.") == "See `the guide` and this; `x = *y*`."
    ex = {"messages": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": [{"type": "text", "text": "**a**"}]}]}
    assert tidy_example(ex)["messages"][1]["content"][0]["text"] == "a"
