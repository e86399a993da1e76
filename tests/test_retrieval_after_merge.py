"""Folder sources and the whole offline pipeline through the real ingest (``services.ingest``).

These tests need ``fineflow_desktop.services.ingest.ingest_paths`` from the issue-2/3 ingest
work, which lives on another branch until the merge: they are meant to run after it (and fail
before it, on purpose — no skip).
"""

import shutil
import socket

import pytest

from curation_helpers import PYDOC, edit_words
from fineflow_desktop.services.dedup import find_near_duplicates
from fineflow_desktop.services.retrieval import (
    check_source, create_source, embed_chunks, index_status, list_sources, refresh_source, search,
)

QUERY = "analyze a sample to get the Dialect subclass that reflects its parameters"


@pytest.fixture
def folder(tmp_path, pydoc_sources):
    d = tmp_path / "docs"
    d.mkdir()
    for name in ("csv.rst.txt", "json.rst.txt", "textwrap.rst.txt"):
        shutil.copy(PYDOC / "library" / name, d / name)
    # a planted near-copy: the textwrap page with a few words changed
    text = (PYDOC / "library" / "textwrap.rst.txt").read_text(encoding="utf-8")
    (d / "textwrap-notes.md").write_text(edit_words(text, 0.02, seed=5), encoding="utf-8")
    return d


@pytest.fixture
def offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_ingest_dedup_embed_search_offline(workspace, folder, offline):
    src = create_source(workspace, "folder", "Python docs", {"path": str(folder)})
    report = refresh_source(workspace, src["id"])
    assert report["ingested"] == 4 and report["added"] > 0
    groups = find_near_duplicates(workspace)
    paths = {m["document_path"].rsplit("/", 1)[-1] for g in groups for m in g["members"]}
    assert {"textwrap.rst.txt", "textwrap-notes.md"} <= paths
    assert embed_chunks(workspace)["added"] == 0  # the folder source already holds every chunk
    hit = search(workspace, QUERY, k=3)[0]
    assert hit["document_path"].endswith("csv.rst.txt") and hit["source_kind"] == "folder"
    assert "Analyze the given *sample*" in hit["text"]
    assert check_source(workspace, src["id"])["ok"]


def test_folder_rescan_follows_the_files(workspace, folder):
    src = create_source(workspace, "folder", config={"path": str(folder)})
    refresh_source(workspace, src["id"])
    before = index_status(workspace)["vectors"]
    (folder / "csv.rst.txt").unlink()
    report = refresh_source(workspace, src["id"])
    assert report["removed"] > 0 and report["added"] == 0
    assert index_status(workspace)["vectors"] == before - report["removed"]
    assert all(not h["document_path"].endswith("csv.rst.txt") for h in search(workspace, QUERY, k=10))
    (folder / "extra.md").write_text("# Llamas\n\nLlamas graze on the high plateau of the Andes.\n", encoding="utf-8")
    report = refresh_source(workspace, src["id"])
    assert report["ingested"] == 1 and report["added"] >= 1
    assert search(workspace, "llamas graze plateau", k=1)[0]["document_path"].endswith("extra.md")
    (row,) = [s for s in list_sources(workspace) if s["id"] == src["id"]]
    assert row["status"] == "ok" and row["last_refresh"] is not None
