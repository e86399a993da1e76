"""``fineflow dedup`` / ``embed`` / ``search`` with ``--json``."""

import json

import pytest

from curation_helpers import add_document, edit_words, paragraphs
from fineflow_desktop import cli
from fineflow_desktop.store.workspace import Workspace


@pytest.fixture
def run(capsys):

    def _run(*argv):
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def ws_path(tmp_path, pydoc_sources):
    path = tmp_path / "ws"
    ws = Workspace.open(path)
    texts = sorted(paragraphs("library/textwrap.rst.txt", 300), key=len, reverse=True)[:5]
    add_document(ws, "/docs/textwrap.rst", texts)
    add_document(ws, "/docs/copy.rst", [edit_words(texts[0], 0.03, seed=1)])
    add_document(ws, "/docs/csv.rst", paragraphs("library/csv.rst.txt"))
    ws.close()
    return str(path)


def test_dedup_embed_search_json(run, ws_path):
    code, out, _ = run("dedup", "--workspace", ws_path, "--json")
    assert code == 0
    data = json.loads(out)
    group = [g for g in data["groups"] if any(m["document_path"] == "/docs/copy.rst" for m in g["members"])][0]
    assert {m["document_path"] for m in group["members"]} == {"/docs/textwrap.rst", "/docs/copy.rst"}
    assert all(isinstance(m["chunk_id"], int) for m in group["members"])
    assert data["summary"]["groups"] == len(data["groups"])

    code, out, _ = run("embed", "--workspace", ws_path, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["added"] == data["total"] > 0 and data["index"]["embedder"] == "fineflow-lsa"

    code, out, _ = run("search", "analyze a sample to get the Dialect subclass", "-k", "3", "--workspace", ws_path, "--json")
    assert code == 0
    hits = json.loads(out)["hits"]
    assert len(hits) == 3
    assert hits[0]["document_path"] == "/docs/csv.rst" and hits[0]["text"].startswith("Analyze the given *sample*")
    assert all({"chunk_id", "document_path", "score", "heading_path"} <= set(h) for h in hits)


def test_text_output_and_errors(run, ws_path):
    code, out, err = run("search", "anything", "--workspace", ws_path)
    assert code == 2 and "run Embed" in err
    code, out, _ = run("dedup", "--workspace", ws_path)
    assert code == 0 and "near-duplicate groups" in out and "chunk " in out and "/docs/copy.rst" in out
    code, out, err = run("dedup", "--threshold", "1.5", "--workspace", ws_path)
    assert code == 2 and "threshold" in err
    assert run("embed", "--workspace", ws_path)[0] == 0
    code, out, _ = run("search", "csv dialect", "--workspace", ws_path)
    assert code == 0 and out.startswith("1. ") and "chunk " in out


def test_search_is_hybrid_by_default_and_hits_say_where_they_came_from(run, ws_path):
    assert run("embed", "--workspace", ws_path)[0] == 0
    code, out, _ = run("search", "How do I detect the dialect of a CSV file?", "--workspace", ws_path, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["mode"] == "hybrid" and data["hits"]
    for h in data["hits"]:
        assert {"document_path", "heading_path", "text", "retrievers", "found_by"} <= set(h)
        assert set(h["retrievers"]) == {"keyword", "vector"}
        found = [n for n, r in h["retrievers"].items() if r is not None]
        assert h["found_by"] == ("both" if len(found) == 2 else found[0])
        assert all(set(r) == {"rank", "score"} for r in h["retrievers"].values() if r)
    assert data["hits"][0]["document_path"] == "/docs/csv.rst"
    for flag, other in (("--keyword", "vector"), ("--vector", "keyword")):
        code, out, _ = run("search", "csv dialect sniffer", flag, "--workspace", ws_path, "--json")
        data = json.loads(out)
        assert code == 0 and data["mode"] == flag[2:]
        assert all(h["retrievers"][other] is None and h["found_by"] == flag[2:] for h in data["hits"])
    code, out, _ = run("search", "csv dialect sniffer", "--mode", "keyword", "--workspace", ws_path)
    assert code == 0 and "found by keyword: keyword #1" in out
    code, _, err = run("search", "csv", "--mode", "fuzzy", "--workspace", ws_path)
    assert code == 2 and "invalid choice" in err
