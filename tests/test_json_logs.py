"""Structured JSON logs: one object per line with the agreed fields, rotated by size, and a planted
API key in no line across a full flow (ingest, LLM generation against the OpenAI fake with a
failure, export, a logged exception) — at DEBUG level, so SDK and HTTP client logs are included."""

from __future__ import annotations

import json
import logging
from logging.handlers import RotatingFileHandler

import pytest

import generation_fixtures as gf
from fakes.openai_fake import OpenAIFake
from fineflow_desktop import cli
from fineflow_desktop.logs import BACKUPS, MAX_BYTES, log_context, log_dir, setup_logging
from fineflow_desktop.providers.credentials import create_credential
from fineflow_desktop.services.datasets import get_or_create_dataset
from fineflow_desktop.services.sample import SAMPLE_DIR
from fineflow_desktop.store.workspace import Workspace

PLANTED = "sk-proj-PLANTEDjsonLOGkey0123456789xyz"


@pytest.fixture
def logging_root():
    """Root logger state restored after the test (cli.main installs the file handler)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def lines_of(folder) -> list[str]:
    return [ln for f in sorted(folder.glob("fineflow.log*")) for ln in f.read_text(encoding="utf-8").splitlines()]


def test_full_flow_logs_json_lines_with_fields_and_never_the_key(tmp_path, capsys, logging_root):
    path = tmp_path / "ws"
    with OpenAIFake(api_key=PLANTED, responder=gf.openai_responder, retry_after_s=0.01) as fake:
        ws = Workspace.open(path)
        create_credential(ws, name="main", provider="openai", base_url=fake.base_url, model="gpt-4o-mini",
                          api_key=PLANTED, settings={"timeout_s": 3.0})
        get_or_create_dataset(ws, "llm")
        ws.close()

        def run(*argv):
            code = cli.main([*argv, "--workspace", str(path)])
            out = capsys.readouterr()
            assert code == 0, out.err
            return code

        assert run("ingest", str(SAMPLE_DIR / "control-flow.rst"), str(SAMPLE_DIR / "modules.docx")) == 0
        logging_root.setLevel(logging.DEBUG)  # SDK / httpx request logs too
        fake.fail_next("500")
        assert run("generate", "--dataset", "llm", "--credential", "main", "--mode", "qa", "--yes") == 0
        assert run("export", "--dataset", "llm", "--format", "openai", "--out", str(tmp_path / "llm.jsonl")) == 0
        with log_context(workspace=str(path), job_id="ftjob-test-1", provider="openai"):
            try:
                raise RuntimeError(f"provider said: invalid key {PLANTED}")
            except RuntimeError:
                logging.getLogger("fineflow_desktop.test").exception("job failed", extra={"note": f"key={PLANTED}"})
        assert fake.violations == []

    folder = log_dir()
    handler = next(h for h in logging_root.handlers if isinstance(h, RotatingFileHandler))
    assert handler.maxBytes == MAX_BYTES and handler.backupCount == BACKUPS
    lines = lines_of(folder)
    records = [json.loads(line) for line in lines]  # one JSON object per line, every line
    assert len(records) > 10
    assert all({"time", "level", "logger", "event"} <= set(r) for r in records)
    text = "\n".join(lines)
    assert PLANTED not in text and "PLANTEDjsonLOG" not in text, "the key reached a log line"
    assert "sk-…9xyz" in text  # the masked form is what shows up

    by_event = {r["event"]: r for r in records}
    ingest = by_event["ingest finished"]
    assert ingest["workspace"] == str(path) and ingest["imported"] == 2 and ingest["chunks"] > 0 and ingest["duration_ms"] >= 0
    gen = by_event["generation run finished"]
    assert gen["run_id"] == 1 and gen["provider"] == "openai" and gen["model"] == "gpt-4o-mini" and gen["pairs"] > 0
    export = by_event["export finished"]
    assert export["format"] == "openai" and export["duration_ms"] >= 0
    job = by_event["job failed"]
    assert job["level"] == "ERROR" and job["job_id"] == "ftjob-test-1" and job["workspace"] == str(path)
    assert "Traceback" in job["traceback"] and "RuntimeError" in job["traceback"] and "sk-…9xyz" in job["note"]
    assert any(r["logger"].startswith(("openai", "httpx")) for r in records), "SDK debug logs were captured too"


def test_log_folder_is_the_platforms_unless_overridden(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("FINEFLOW_DATA_DIR")
    assert log_dir() == __import__("pathlib").Path(platformdirs.user_log_dir("FineFlow Desktop", appauthor=False))
    monkeypatch.setenv("FINEFLOW_LOG_DIR", str(tmp_path / "elsewhere"))
    assert log_dir() == tmp_path / "elsewhere"


def test_rotation_by_size_keeps_json_lines(tmp_path, monkeypatch, logging_root):
    import fineflow_desktop.logs as logs

    monkeypatch.setattr(logs, "MAX_BYTES", 4000)
    setup_logging()
    log = logging.getLogger("fineflow_desktop.test")
    for i in range(200):
        log.info("line %d", i, extra={"count": i})
    files = sorted(log_dir().glob("fineflow.log*"))
    assert len(files) == 1 + logs.BACKUPS and all(f.stat().st_size <= 4000 for f in files)
    assert all(json.loads(ln)["event"].startswith("line ") for ln in lines_of(log_dir()))
