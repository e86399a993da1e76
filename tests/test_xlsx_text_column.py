"""Issue 3: the Excel text column is chosen by the user — service, CLI and Dataset Builder."""

import json

from test_importers_samples import sample_xlsx

from fineflow_desktop.cli import main as cli_main
from fineflow_desktop.core.ingest.xlsx import xlsx_headers
from fineflow_desktop.services.documents import list_chunks, list_documents
from fineflow_desktop.services.ingest import ingest_paths

ANSWERS = {"Use the link on the login page.", "Yes, as CSV or JSON."}


def _texts(ws):
    return {c["text"] for d in list_documents(ws) if d["status"] == "ready" for c in list_chunks(ws, d["id"])}


def test_headers_and_column_choice_with_reimport(tmp_path, workspace):
    book = tmp_path / "faq.xlsx"
    book.write_bytes(sample_xlsx())
    assert xlsx_headers(book) == ["question", "answer", "votes", "text"]
    options = {".xlsx": {"text_column": "answer"}}
    report = ingest_paths(workspace, [book], parser_options=options)
    assert report.imported == 1
    texts = _texts(workspace)
    assert all(any(a in t for a in ANSWERS) for t in texts) and not any("reset my password" in t for t in texts)
    assert ingest_paths(workspace, [book], parser_options=options).unchanged_skipped == 1
    # the same workbook read with another column is new content: it replaces the old version
    again = ingest_paths(workspace, [book], parser_options={".xlsx": {"text_column": "question"}})
    assert again.imported == 1 and again.replaced == 1
    assert len(list_documents(workspace)) == 1 and any("reset my password" in t for t in _texts(workspace))


def test_cli_option(tmp_path, capsys):
    book = tmp_path / "faq.xlsx"
    book.write_bytes(sample_xlsx())
    ws = str(tmp_path / "ws")
    assert cli_main(["ingest", str(book), "--xlsx-text-column", "B", "--workspace", ws, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 1
    # no file could be read with that column: exit 1 (issue 10), the reason in the report
    assert cli_main(["ingest", str(book), "--xlsx-text-column", "nope", "--workspace", ws, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] == 0 and "no sheet has a column 'nope'" in report["errors"][0]["reason"]


def test_builder_asks_for_the_column(tmp_path, ctx, qtbot, monkeypatch):
    from fineflow_desktop.ui.builder import BuilderPane

    book = tmp_path / "faq.xlsx"
    book.write_bytes(sample_xlsx())
    pane = BuilderPane(ctx)
    qtbot.addWidget(pane)
    asked = []

    def choose(title, label, items):
        asked.append(items)
        return "answer", True

    monkeypatch.setattr(pane, "choose_item", choose)
    pane.import_paths([book])
    qtbot.waitUntil(lambda: pane.current_task is None)
    assert asked and asked[0][1:] == ["question", "answer", "votes", "text"]
    texts = _texts(ctx.workspace)
    assert texts and all(any(a in t for a in ANSWERS) for t in texts)
    monkeypatch.setattr(pane, "choose_item", lambda *a: ("", False))  # cancelled: nothing imported
    other = tmp_path / "other.xlsx"
    other.write_bytes(sample_xlsx())
    pane.import_paths([other])
    assert len(list_documents(ctx.workspace)) == 1
