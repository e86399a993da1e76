"""Bundled sample documents, the smoke test (domain flow and the real entry point) and the
Dataset Builder's "Try it with sample documents"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fineflow_desktop.services import sample
from fineflow_desktop.services.smoke import SmokeTestError, run_sample_flow

SRC = Path(__file__).resolve().parents[1] / "src"
FORMATS = {".txt", ".md", ".rst", ".html", ".json", ".jsonl", ".csv", ".pdf", ".docx", ".xlsx", ".epub"}


def test_sample_has_one_file_per_format_with_sources_and_licence():
    files = sample.sample_files()
    assert {p.suffix for p in files} == FORMATS and len(files) == len(FORMATS)
    sources = sample.SOURCES_FILE.read_text(encoding="utf-8")
    assert "PSF License" in sources and all(p.name in sources for p in files)
    assert (sample.SAMPLE_DIR.parent / "licenses" / "PSF-LICENSE.txt").is_file()
    assert all(0 < p.stat().st_size < 64_000 for p in files), "small: the smoke test must stay fast"


def test_sample_flow_imports_generates_validates_exports(workspace, tmp_path):
    result = run_sample_flow(workspace, tmp_path / "out")
    assert result["documents"] == len(FORMATS) and result["chunks"] >= len(FORMATS)
    assert result["pairs"] > 0 and result["exported"] == result["pairs"]
    assert set(result["seconds"]) == {"import", "generate", "validate", "export", "validate file"}
    again = run_sample_flow(workspace, tmp_path / "out2", dataset="second")  # unchanged files are skipped
    assert again["documents"] == 0 and again["pairs"] == result["pairs"]


def test_sample_flow_names_the_step_and_the_file_that_failed(workspace, tmp_path, monkeypatch):
    broken = tmp_path / "sample"
    shutil.copytree(sample.SAMPLE_DIR, broken)
    (broken / "zz-truncated.pdf").write_bytes((sample.SAMPLE_DIR / "data-structures.pdf").read_bytes()[:900])
    monkeypatch.setattr(sample, "SAMPLE_DIR", broken)
    monkeypatch.setattr(sample, "SOURCES_FILE", broken / "SOURCES.txt")
    with pytest.raises(SmokeTestError) as err:
        run_sample_flow(workspace, tmp_path / "out")
    assert err.value.step == "import" and "zz-truncated.pdf" in str(err.value)


@pytest.mark.slow
def test_smoke_test_entry_point_opens_every_pane(tmp_path):
    from fineflow_desktop.ui.main_window import PANES

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(SRC), HOME=str(tmp_path))
    env.pop("FINEFLOW_DATA_DIR", None)
    proc = subprocess.run([sys.executable, "-m", "fineflow_desktop", "--smoke-test"], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "smoke test ok" in proc.stdout and f"{len(PANES)} panes opened" in proc.stdout
    assert all(cls.title in proc.stdout for cls in PANES)
    assert not any(tmp_path.iterdir()), "the smoke test writes nothing outside its temporary folder"


def test_try_it_with_sample_documents_in_the_empty_builder(ctx, qtbot):
    from fineflow_desktop.ui.builder import BuilderPane
    from gui_helpers import shot

    pane = BuilderPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1200, 700)
    pane.show()
    assert pane.try_sample_button.isVisible()
    shot(pane, "builder_try_sample_empty")
    pane.try_sample_button.click()
    qtbot.waitUntil(lambda: pane.current_task is None and pane.docs_model.rowCount() == len(FORMATS), timeout=60_000)
    assert not pane.try_sample_button.isVisible()
    assert "Imported 11 of 11 file(s)" in pane.banner_label.text()
    assert pane.create_dataset_action.isEnabled()
    shot(pane, "builder_try_sample_done")
