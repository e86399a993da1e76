"""services.ingest / services.documents: idempotence, error rows, duplicates, cancel, kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select

from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.services.documents import delete_document, list_chunks, list_documents
from fineflow_desktop.services.ingest import ingest_paths
from fineflow_desktop.store.models import Chunk, Document

FIX = Path(__file__).parent / "fixtures" / "pydocs"
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def corpus(tmp_path):
    """A folder with the pydocs fixtures, a bad JSONL, an unsupported file and a nested dir."""
    root = tmp_path / "corpus"
    shutil.copytree(FIX, root / "docs")
    (root / "docs" / "README.md").unlink()
    # the paragraph is over 20 tokens: two small sections would be combined into one chunk (round 20)
    shared = ("Shared paragraph about caching: the cache keeps each result for ten minutes, and any "
              "change to the source clears it at once.")
    (root / "notes.md").write_text(f"# Notes\n\n{shared}\n\n## Again\n\n{shared}\n")
    (root / "bad.jsonl").write_text('{"a": 1}\n{"a": \n')
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("skip me")
    return root


def test_ingest_folder_then_rerun_is_idempotent(workspace, corpus):
    seen = []
    state = TaskState(on_progress=lambda d, t, m: seen.append((d, t, m)))
    report = ingest_paths(workspace, [corpus], state)
    assert report.files_seen == 7 and report.unsupported_skipped == 1
    assert report.imported == 6 and len(report.errors) == 1
    path, reason = report.errors[0]
    assert path.endswith("bad.jsonl") and "bad.jsonl:2" in reason
    assert report.chunks > 20 and report.tokens > 5000
    assert report.duplicate_chunks >= 1  # the repeated paragraph in notes.md
    assert seen[-1][0] == seen[-1][1] == 7 and "chunks" in seen[-1][2]

    docs = list_documents(workspace)
    assert len(docs) == 7
    bad = next(d for d in docs if d["name"] == "bad.jsonl")
    assert bad["status"] == "error" and "bad.jsonl:2" in bad["error"]
    ready = [d for d in docs if d["status"] == "ready"]
    assert all(d["n_chunks"] > 0 and d["n_tokens"] > 0 for d in ready)

    again = ingest_paths(workspace, [corpus])
    assert again.imported == 0 and again.unchanged_skipped == 6 and len(again.errors) == 1
    assert len(list_documents(workspace)) == 7  # the error row was replaced, not duplicated
    with workspace.session() as s:
        assert s.scalar(select(func.count(Chunk.id))) == report.chunks


def test_fixed_file_is_retried_and_modified_file_replaces_old_version(workspace, corpus):
    ingest_paths(workspace, [corpus])
    (corpus / "bad.jsonl").write_text('{"a": 1}\n{"a": 2}\n')
    notes = corpus / "notes.md"
    notes.write_text("# Notes\n\nA brand new text.\n")
    report = ingest_paths(workspace, [corpus])
    assert report.imported == 2 and report.replaced == 1 and not report.errors
    docs = {d["name"]: d for d in list_documents(workspace)}
    assert docs["bad.jsonl"]["status"] == "ready" and docs["bad.jsonl"]["n_chunks"] == 2
    assert [c["text"] for c in list_chunks(workspace, docs["notes.md"]["id"])] == ["A brand new text."]
    assert len(docs) == 7


def test_exact_duplicates_marked_across_documents_and_repaired_on_delete(workspace, tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.txt"
    a.write_text("# A\n\nThe same words, here.\n\n# B\n\nUnique to a.\n")
    b.write_text("the same words here\n")
    ingest_paths(workspace, [a, b])
    docs = {d["name"]: d["id"] for d in list_documents(workspace)}
    ca, cb = list_chunks(workspace, docs["a.md"]), list_chunks(workspace, docs["b.txt"])
    assert not ca[0]["is_duplicate"] and cb[0]["is_duplicate"] and cb[0]["duplicate_of_id"] == ca[0]["id"]
    assert delete_document(workspace, docs["a.md"]) is True
    assert delete_document(workspace, docs["a.md"]) is False
    cb = list_chunks(workspace, docs["b.txt"])
    assert not cb[0]["is_duplicate"] and cb[0]["duplicate_of_id"] is None
    assert [d["name"] for d in list_documents(workspace)] == ["b.txt"]


def test_duplicates_within_one_document_point_at_first(workspace, tmp_path):
    f = tmp_path / "rep.jsonl"
    f.write_text('"same record"\n"other"\n"Same record!"\n')
    ingest_paths(workspace, [f])
    chunks = list_chunks(workspace, list_documents(workspace)[0]["id"])
    assert [c["is_duplicate"] for c in chunks] == [False, False, True]
    assert chunks[2]["duplicate_of_id"] == chunks[0]["id"]


def test_unreadable_and_missing_paths_are_errors_not_crashes(workspace, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    report = ingest_paths(workspace, [empty, tmp_path / "nope.md"])
    reasons = dict(report.errors)
    assert "no text found" in reasons[str(empty.resolve())]
    assert reasons[str(tmp_path / "nope.md")] == "no such file or folder"
    assert [d["status"] for d in list_documents(workspace)] == ["error"]


def test_error_given_by_a_relative_path_names_the_stored_path(workspace, tmp_path, monkeypatch):
    # The Dataset Builder strips the stored path off the reason to show "error: no text found …";
    # a relative path from the command line used to stay in the stored reason ("error: ../a.txt: …").
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "empty.txt").write_text("   \n")
    monkeypatch.chdir(tmp_path / "docs")
    ingest_paths(workspace, [Path("../docs/empty.txt")])
    (doc,) = list_documents(workspace)
    assert doc["source_path"] == str((tmp_path / "docs" / "empty.txt").resolve())
    assert doc["error"].startswith(doc["source_path"] + ": ") and "no text found" in doc["error"]


def test_cancel_ends_the_worker_processes_at_once(workspace, tmp_path, monkeypatch):
    # Workers busy on large files when Cancel comes used to go on parsing them after ingest_paths
    # had returned (CI: "test left process SpawnProcess-7 running" after a GUI import cancel).
    monkeypatch.setenv("FINEFLOW_INGEST_WORKERS", "2")
    folder = tmp_path / "docs"
    folder.mkdir()
    para = "Cancel must not leave a worker parsing this file. " * 40 + "\n\n"
    (folder / "a-small.md").write_text("# Small\n\n" + para)
    for i in range(4):
        (folder / f"b-large-{i}.md").write_text(f"# Large {i}\n\n" + para * 3000)  # ~6 MB each
    state = TaskState()
    state.on_progress = lambda d, t, m: state.cancel() if d >= 1 else None
    with pytest.raises(Cancelled):
        ingest_paths(workspace, [folder], state)
    alive = [p for p in psutil.Process().children(recursive=True) if p.is_running()
             and p.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(p.cmdline())]
    assert alive == []


def test_cancel_keeps_completed_files(workspace, corpus):
    state = TaskState()
    done = []

    def on_progress(d, t, m):
        done.append(d)
        if d == 2:
            state.cancel()

    state.on_progress = on_progress
    with pytest.raises(Cancelled) as exc:
        ingest_paths(workspace, [corpus], state)
    report = exc.value.report
    assert report.cancelled and report.imported + len(report.errors) == 2
    assert len(list_documents(workspace)) == 2
    rest = ingest_paths(workspace, [corpus])
    assert rest.unchanged_skipped == report.imported
    assert len(list_documents(workspace)) == 7


KILL_SCRIPT = r"""
import sys
sys.path.insert(0, {src!r})
from pathlib import Path
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.ingest import ingest_paths
from fineflow_desktop.store.workspace import Workspace
ws = Workspace.open({ws!r})
def show(done, total, msg):
    print(done, total, flush=True)
ingest_paths(ws, [Path({corpus!r})], TaskState(on_progress=show))
print("FINISHED", flush=True)
"""


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_consistent_workspace(tmp_path, pydoc_sources):
    from fineflow_desktop.store.workspace import Workspace

    ws_path = tmp_path / "killed"
    code = KILL_SCRIPT.format(src=str(SRC), ws=str(ws_path), corpus=str(pydoc_sources))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        for line in proc.stdout:  # kill once real work is under way (no wall-clock timing)
            if line.startswith("FINISHED"):
                pytest.fail("ingest finished before it could be killed")
            if int(line.split()[0]) >= 40:
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    ws = Workspace.open(ws_path)
    try:
        assert ws.integrity_check() == "ok"
        with ws.session() as s:
            partial = s.scalar(select(func.count(Document.id)))
            # every stored document is complete: its chunk rows match its n_chunks
            for doc_id, n in s.execute(select(Document.id, Document.n_chunks)).all():
                assert s.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == doc_id)) == n
        assert 40 <= partial < 497
        report = ingest_paths(ws, [pydoc_sources])
        assert report.unchanged_skipped == partial and report.imported == 497 - partial
        with ws.session() as s:
            assert s.scalar(select(func.count(Document.id))) == 497
            assert s.scalar(select(func.count(func.distinct(Document.source_path)))) == 497
            kill_counts = dict(s.execute(select(Document.source_path, Document.n_chunks)).all())
    finally:
        ws.close()

    clean = Workspace.open(tmp_path / "clean")
    try:
        sample = sorted(pydoc_sources.glob("*.rst.txt"))[:5] + [pydoc_sources / "faq" / "general.rst.txt"]
        ingest_paths(clean, sample)
        for d in list_documents(clean):
            assert kill_counts[d["source_path"]] == d["n_chunks"]
    finally:
        clean.close()


def test_worker_processes_give_exactly_the_serial_result(tmp_path, monkeypatch):
    """Parsing/chunking/scoring in spawned worker processes stores the same rows, in the same
    order, with the same duplicate marking and scores as the in-process path."""
    from conftest import FIXTURES
    from fineflow_desktop.services.ingest import ingest_paths
    from fineflow_desktop.store.workspace import Workspace

    def run(workers: str, name: str):
        monkeypatch.setenv("FINEFLOW_INGEST_WORKERS", workers)
        ws = Workspace.open(tmp_path / name)
        report = ingest_paths(ws, [FIXTURES / "pydocs", FIXTURES / "pydocs"])
        with ws.engine.connect() as c:
            rows = c.exec_driver_sql(
                "SELECT d.name, c.ordinal, c.text, c.n_tokens, c.is_duplicate, c.duplicate_of_id, c.quality, "
                "c.injection_flags, c.language FROM chunks c JOIN documents d ON d.id = c.document_id ORDER BY c.id"
            ).fetchall()
            docs = c.exec_driver_sql("SELECT name, status, error FROM documents ORDER BY id").fetchall()
        ws.close()
        return report, rows, docs

    serial, serial_rows, serial_docs = run("0", "serial")
    pooled, pooled_rows, pooled_docs = run("2", "pooled")
    assert pooled.to_dict() == serial.to_dict()
    assert pooled_docs == serial_docs and pooled_rows == serial_rows and len(serial_rows) > 20


@pytest.mark.slow
def test_kill_9_of_fineflow_ingest_leaves_no_process_of_the_run(tmp_path, pydoc_sources):
    """``kill -9`` of ``fineflow ingest``: its spawned workers and the multiprocessing resource
    tracker exit too (issue 10: they were still running 45 minutes later)."""
    import psutil

    env = {**os.environ, "FINEFLOW_INGEST_WORKERS": "2", "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "fineflow_desktop.cli", "ingest", "--workspace",
                             str(tmp_path / "ws"), str(pydoc_sources)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    try:
        children: list = []
        while proc.poll() is None:  # 2 workers + the resource tracker, all started by the run
            children = parent.children(recursive=True)
            if len(children) >= 3:
                break
            psutil.wait_procs([parent], timeout=0.05)
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert {"python" in " ".join(c.cmdline()).lower() for c in children} == {True}
    _, alive = psutil.wait_procs(children, timeout=30)  # workers poll their parent every second
    assert alive == [], f"left running after kill -9: {[(p.pid, p.cmdline()) for p in alive]}"
