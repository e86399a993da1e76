"""Dataset Builder pane on real widgets and real Python doc sources (tests/fixtures/pydocs)."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QStyleOptionViewItem
from sqlalchemy import select, update

from fineflow_desktop.services import chunk_stats
from fineflow_desktop.services.datasets import list_datasets
from fineflow_desktop.store.models import Chunk, Pair
from fineflow_desktop.ui.builder import BuilderPane
from fineflow_desktop.ui.builder.generate_dialog import EXTRACTIVE_LABEL, GenerateDialog
from fineflow_desktop.ui.builder.models import DocumentsModel
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.style import colour
from gui_helpers import drop_files, shot

FIXTURES = Path(__file__).parent / "fixtures"
PYDOCS = FIXTURES / "pydocs"


@pytest.fixture
def pane(ctx, qtbot):
    p = BuilderPane(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    return p


def doc_names(pane) -> list[str]:
    return [r["name"] for r in pane.docs_model.rows()]


def test_import_by_action_and_drop_fills_documents_table(pane, ctx, tmp_path, monkeypatch, qtmodeltester):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("general.rst.txt", "errors.rst.txt"):
        shutil.copy(PYDOCS / name, src / name)
    monkeypatch.setattr("fineflow_desktop.ui.builder.pane.QFileDialog.getExistingDirectory", lambda *a, **k: str(src))
    assert "Ctrl+Shift+I" in pane.import_folder_button.toolTip()
    assert "Ctrl+I" in pane.import_files_button.toolTip()
    pane.import_folder_button.click()
    assert sorted(doc_names(pane)) == ["errors.rst.txt", "general.rst.txt"]
    assert "Imported 2 of 2 file(s)" in pane.banner_label.text() and pane.banner.isVisible()
    assert not pane.progress_box.isVisible()

    # Drop one more real file and a broken one: the batch goes on, the error is shown in red.
    bad = tmp_path / "broken.json"
    bad.write_text('{"title": "x", "body": [1, 2', encoding="utf-8")
    drop_files(pane, [PYDOCS / "json.rst.txt", bad])
    names = doc_names(pane)
    assert {"json.rst.txt", "broken.json"} <= set(names)
    row = names.index("broken.json")
    status = pane.docs_model.index(row, DocumentsModel.STATUS_COLUMN)
    assert status.data().startswith("error") and str(tmp_path) not in status.data()  # reason only; path on hover
    assert status.data(Qt.ItemDataRole.ForegroundRole).color() == colour("error")
    tip = status.data(Qt.ItemDataRole.ToolTipRole)
    assert "broken.json" in tip and len(tip.splitlines()) >= 2  # path + reason
    assert "could not be imported" in pane.banner_label.text()
    # The reason is cut at its end ("error: line 1: …"), the path column at its start (the name shows).
    option = QStyleOptionViewItem()
    pane.docs_table.itemDelegateForColumn(DocumentsModel.STATUS_COLUMN).initStyleOption(option, status)
    assert option.textElideMode == Qt.TextElideMode.ElideRight
    assert pane.docs_table.textElideMode() == Qt.TextElideMode.ElideLeft
    ok_row = names.index("json.rst.txt")
    assert int(pane.docs_model.index(ok_row, 3).data()) > 0  # chunks
    assert pane.docs_model.index(ok_row, 1).data() == "rst"
    qtmodeltester.check(pane.docs_model)

    # Re-dropping an unchanged file does not duplicate it.
    drop_files(pane, [PYDOCS / "json.rst.txt"])
    assert doc_names(pane).count("json.rst.txt") == 1
    assert "1 unchanged file(s) skipped" in pane.banner_label.text()
    shot(pane, "builder_documents")


def test_same_named_files_are_told_apart(pane, tmp_path):
    for folder, text in (("library", "# Code\n\nThe code module."), ("tutorial", "# Code\n\nWriting code.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "code.md").write_text(text, encoding="utf-8")
    pane.import_paths([tmp_path / "library", tmp_path / "tutorial"])
    shown = sorted(pane.docs_model.index(r, 0).data() for r in range(pane.docs_model.rowCount()))
    assert shown == ["library/code.md", "tutorial/code.md"]


def test_duplicate_chunks_are_marked_not_deleted(pane, tmp_path):
    shared = "This paragraph is shared between both files and explains the install steps in detail."
    (tmp_path / "a.md").write_text(f"# Intro\n\n{shared}\n\n# Only A\n\nA text about apples.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(f"# Intro\n\n{shared}\n\n# Only B\n\nB text about bananas.\n", encoding="utf-8")
    pane.import_paths([tmp_path / "a.md", tmp_path / "b.md"])
    assert "1 duplicate chunks marked" in pane.banner_label.text()
    pane.docs_table.selectRow(doc_names(pane).index("b.md"))
    model = pane.chunks_view.model
    assert model.rowCount() == 2  # the duplicate is still listed
    marks = {model.index(r, 2).data(): model.index(r, 5) for r in range(model.rowCount())}
    assert marks["Intro"].data() == "duplicate" and marks["Only B"].data() == ""
    assert "Exact duplicate of chunk" in marks["Intro"].data(Qt.ItemDataRole.ToolTipRole)
    assert marks["Intro"].data(Qt.ItemDataRole.ForegroundRole).color() == colour("muted")  # greyed out


def test_clicking_a_document_shows_its_chunks(pane, qtbot, qtmodeltester):
    pane.import_paths([PYDOCS / "general.rst.txt"])
    row = doc_names(pane).index("general.rst.txt")
    rect = pane.docs_table.visualRect(pane.docs_model.index(row, 0))
    qtbot.mouseClick(pane.docs_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chunks = pane.chunks_view.model
    assert chunks.rowCount() == pane.docs_model.row_dict(row)["n_chunks"] > 5
    headings = [chunks.index(r, 2).data() for r in range(chunks.rowCount())]
    assert any("What is Python?" in h for h in headings), headings[:5]
    assert all(int(chunks.index(r, 3).data()) > 0 for r in range(chunks.rowCount()))
    assert "general.rst.txt" in pane.chunks_view.title.text()
    qtmodeltester.check(chunks)
    # Selecting a chunk shows its full text and heading path.
    target = next(r for r, h in enumerate(headings) if "What is Python?" in h)
    qtbot.mouseClick(pane.chunks_view.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=pane.chunks_view.table.visualRect(chunks.index(target, 6)).center())
    assert "What is Python?" in pane.chunks_view.preview.heading.text()
    origin = pane.chunks_view.preview.origin.text()  # the file and the line its section starts at
    source = (PYDOCS / "general.rst.txt").resolve()
    line = int(origin.removeprefix(f"{source}, line "))
    assert source.read_text().split("\n")[line - 1].strip(), origin  # a line of the section's text
    assert "interpreted" in pane.chunks_view.preview.text.toPlainText()
    shot(pane, "builder_chunks")


def _score(ws, qualities: dict[int, float]) -> None:
    """Write quality scores as core.quality would (the scorer may run separately from ingest)."""
    with ws.session() as s:
        for chunk_id, q in qualities.items():
            s.execute(update(Chunk).where(Chunk.id == chunk_id).values(quality=q, quality_signals={
                "word_count": {"value": 120, "threshold": "50..100000", "ok": True},
                "symbol_word_ratio": {"value": 0.3 * q, "threshold": "< 0.1", "ok": q > 0.5},
            }))


def test_quality_histogram_and_range_filter(pane, ctx, qtbot):
    pane.import_paths([PYDOCS])
    with ctx.workspace.session() as s:
        ids = list(s.scalars(select(Chunk.id).order_by(Chunk.id)))
    # A deterministic spread of scores over [0, 1], one chunk left unscored.
    _score(ctx.workspace, {cid: round((i % 10) / 10 + 0.05, 2) for i, cid in enumerate(ids[:-1])})
    with ctx.workspace.session() as s:  # and one chunk not scored (yet)
        s.execute(update(Chunk).where(Chunk.id == ids[-1]).values(quality=None))
    ctx.events.announce({Effect.CHUNKS})
    qf = pane.chunks_view.quality
    edges, counts = chunk_stats.quality_histogram(ctx.workspace)
    assert qf.counts == counts and sum(counts) == len(ids) - 1
    heights = list(qf.bars.opts["height"])
    assert heights == pytest.approx([math.log10(1 + c) for c in counts])  # the service's numbers, log axis
    assert qf.plot.getAxis("left").labelText == "chunks (log)"

    assert f"{len(ids) - 1:,}/{len(ids):,} scored" == qf.summary.text()

    pane.chunks_view.all_docs.setChecked(True)
    assert pane.chunks_view.model.rowCount() == len(ids)  # no filter: unscored included
    assert not pane.chunks_view.table.isColumnHidden(1)  # which document each chunk is from
    qf.min_spin.setValue(0.7)  # keyboard tracking off: the filter applies on commit
    rows = pane.chunks_view.model.rows()
    assert rows and all(r["quality"] >= 0.7 for r in rows)
    assert len(rows) == chunk_stats.count_chunks_filtered(ctx.workspace, None, 0.7, 1.0)
    assert qf.region.getRegion() == pytest.approx((0.7, 1.0))
    assert "quality 0.70–1.00" in pane.chunks_view.title.text()
    tip = pane.chunks_view.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "word_count" in tip and "threshold" in tip
    # Dragging the plot's region also filters.
    qf.region.setRegion((0.0, 0.3))
    qf.region.sigRegionChangeFinished.emit(qf.region)
    assert (qf.min_spin.value(), qf.max_spin.value()) == (0.0, 0.3)
    assert all(r["quality"] <= 0.3 for r in pane.chunks_view.model.rows())
    shot(pane, "builder_histogram")
    qtbot.mouseClick(qf.reset_button, Qt.MouseButton.LeftButton)
    assert pane.chunks_view.model.rowCount() == len(ids)


def test_flagged_chunks_review_clear_and_undo(pane, ctx, qtbot, qtmodeltester):
    pane.import_paths([PYDOCS / "general.rst.txt"])
    with ctx.workspace.session() as s:
        target = s.scalars(select(Chunk).order_by(Chunk.id)).first()
        s.execute(update(Chunk).where(Chunk.id == target.id).values(
            is_flagged=True, injection_flags=[{"reason": "instruction override", "match": "ignore all of the previous instructions"}]))
        target_id = target.id
    ctx.events.announce({Effect.CHUNKS})
    assert pane.tabs.tabText(1) == "Flagged chunks (1)"
    view = pane.flagged_view
    assert view.model.rowCount() == 1
    assert view.model.index(0, 2).data() == "instruction override: “ignore all of the previous instructions”"  # the reason quotes its match
    assert "ignore all of the previous instructions" in view.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    pane.tabs.setCurrentWidget(view)
    view.table.selectRow(0)
    assert view.preview.text.toPlainText() == target.text
    qtmodeltester.check(view.model)
    shot(pane, "builder_flagged")
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 0 and pane.tabs.tabText(1) == "Flagged chunks (0)"
    ctx.undo_stack.undo()
    assert view.model.rowCount() == 1
    with ctx.workspace.session() as s:
        assert s.get(Chunk, target_id).is_flagged is True


def test_generate_dialog_options_and_name_check(qtbot):
    dlg = GenerateDialog({"docs"}, ready_documents=3, ready_chunks=40)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.generator_combo.currentText() == EXTRACTIVE_LABEL
    assert "no network" in EXTRACTIVE_LABEL and "not written by an AI" in EXTRACTIVE_LABEL
    assert not dlg.include_duplicates.isChecked() and not dlg.include_flagged.isChecked()
    dlg.name_edit.clear()
    qtbot.keyClicks(dlg.name_edit, "docs")
    assert not dlg.ok_button.isEnabled() and "already exists" in dlg.error_label.text()
    qtbot.keyClicks(dlg.name_edit, "-faq")
    assert dlg.ok_button.isEnabled() and dlg.error_label.text() == ""
    dlg.set_mode("instruction")
    qtbot.keyClicks(dlg.system_edit, "You are a Python expert.")
    dlg.min_quality_check.setChecked(True)
    dlg.min_quality_spin.setValue(0.6)
    shot(dlg, "generate_dialog")
    assert dlg.options() == {
        "dataset_name": "docs-faq", "mode": "instruction", "system_prompt": "You are a Python expert.",
        "include_duplicates": False, "include_flagged": False, "min_quality": 0.6,
    }


def test_create_dataset_from_builder(pane, ctx, qtbot):
    pane.import_paths([PYDOCS])
    opened = []
    pane.open_dataset_requested.connect(opened.append)
    assert pane.create_dataset_action.isEnabled()
    pane.create_dataset_action.trigger()
    dlg = pane.generate_dialog
    assert dlg.isVisible() and "6 ready document(s)" in dlg.source_label.text()
    dlg.name_edit.setText("python-faq")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    datasets = {d["name"]: d for d in list_datasets(ctx.workspace)}
    assert datasets["python-faq"]["n_pairs"] >= 20
    assert "python-faq" in pane.banner_label.text() and pane.open_pairs_button.isVisible()
    with ctx.workspace.session() as s:
        pairs = list(s.scalars(select(Pair).where(Pair.dataset_id == datasets["python-faq"]["id"])))
    assert all(p.chunk_id and p.document_id and p.source == "extractive" for p in pairs)  # provenance
    qtbot.mouseClick(pane.open_pairs_button, Qt.MouseButton.LeftButton)
    assert opened == [datasets["python-faq"]["id"]]


def test_cancel_an_import_on_a_real_thread_keeps_finished_files(workspace, qtbot, pydoc_sources):
    tasks = TaskManager()
    ctx = AppContext(workspace=workspace, tasks=tasks, undo_stack=QUndoStack(), events=Events())
    pane = BuilderPane(ctx)
    qtbot.addWidget(pane)
    pane.show()
    pane.import_paths([pydoc_sources / "library"])
    assert pane.progress_box.isVisible() and pane.current_task is not None
    qtbot.waitUntil(lambda: pane.progress_bar.value() >= 3, timeout=60_000)
    shot(pane, "builder_importing")
    assert pane.progress_bar.maximum() > 100  # files of the library folder
    assert pane.isEnabled()  # the window stays usable while the import runs
    qtbot.mouseClick(pane.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.current_task is None, timeout=60_000)
    assert not pane.progress_box.isVisible()
    assert "cancelled" in pane.banner_label.text()
    kept = len(pane.docs_model.rows())
    assert 3 <= kept < pane.progress_bar.maximum()
    assert tasks.shutdown(10_000)


def test_quality_histogram_log_axis_keeps_small_bins_visible(qtbot):
    """One bin with most chunks no longer flattens the others (issue 9: "hides every bar but one")."""
    from fineflow_desktop.ui.builder.quality_view import QualityFilter, log_ticks

    qf = QualityFilter()
    qtbot.addWidget(qf)
    counts = [3, 0, 1, 12_000, 40]
    qf.set_histogram([i / 5 for i in range(6)], counts)
    heights = list(qf.bars.opts["height"])
    assert heights[1] == 0 and min(h for h in heights if h) / max(heights) > 0.07  # linear: 1/12000
    assert [label for _, label in log_ticks(12_000)] == ["0", "1", "10", "100", "1,000", "10,000", "100,000"]


PG_PAGE = Path("/usr/share/doc/postgresql-doc-15/html/datatype-numeric.html")
PDF_DOC = Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")


def _select_chunk(pane, qtbot, name: str, contains: str) -> dict:
    row = doc_names(pane).index(name)
    rect = pane.docs_table.visualRect(pane.docs_model.index(row, 0))
    qtbot.mouseClick(pane.docs_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chunks = pane.chunks_view.model
    target = next(r for r in range(chunks.rowCount()) if contains in chunks.row_dict(r)["text"])
    pane.chunks_view.table.scrollTo(chunks.index(target, 6))  # a long document's chunk may be far down
    qtbot.mouseClick(pane.chunks_view.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=pane.chunks_view.table.visualRect(chunks.index(target, 6)).center())
    return chunks.row_dict(target)


def _open_chunk(pane, qtbot, path: Path, contains: str) -> dict:
    """Import *path* into a 1200×800 window and select its first chunk holding *contains*."""
    pane.import_paths([path])
    pane.window().resize(1200, 800)
    return _select_chunk(pane, qtbot, path.name, contains)


@pytest.mark.slow
def test_chunk_view_shows_heading_path_and_source_page_of_docbook_html_and_pdf(pane, qtbot):
    """Issue 10: a user checks any chunk against its origin — heading path, source file, PDF page."""
    if not (PG_PAGE.exists() and PDF_DOC.exists()):
        pytest.skip("postgresql-doc-15 / shared-mime-info not installed")
    pane.import_paths([PG_PAGE, PDF_DOC])
    pane.window().resize(1200, 800)
    preview = pane.chunks_view.preview
    row = _select_chunk(pane, qtbot, PG_PAGE.name, "more akin to varchar(n) than to char(n)")
    assert preview.heading.text() == "8.1. Numeric Types › 8.1.2. Arbitrary Precision Numbers"
    assert preview.origin.text().startswith(str(PG_PAGE.resolve())) and preview.open_source.isEnabled()
    assert "more akin to varchar(n) than to char(n)" in preview.text.toPlainText() == row["text"]
    shot(pane, "builder_chunk_docbook")
    row = _select_chunk(pane, qtbot, PDF_DOC.name, "glob")
    # a chunk that goes over a page break (its section runs on) names both pages
    pages = f"pages {row['page']}–{row['page_end']}" if row.get("page_end") else f"page {row['page']}"
    assert row["page"] and preview.origin.text().startswith(f"{PDF_DOC.resolve()}, {pages}")
    assert preview.heading.text() != "(no heading)" and "glob" in preview.text.toPlainText()
    shot(pane, "builder_chunk_pdf")


BASH_PDF = Path("/usr/share/doc/bash/bash.pdf")


@pytest.mark.slow
def test_chunk_view_of_a_pdf_without_outline_shows_headings_from_its_typography(pane, qtbot):
    """Issue 10: bash.pdf (groff man page, no bookmarks): section and subsection from the layout."""
    if not BASH_PDF.exists():
        pytest.skip("bash.pdf not installed")
    row = _open_chunk(pane, qtbot, BASH_PDF, "A colon-separated list of enabled shell options")
    preview = pane.chunks_view.preview
    assert preview.heading.text() == "PARAMETERS › Shell Variables"
    assert "BASHOPTS\n: A colon-separated list of enabled shell options" in row["text"]
    assert preview.origin.text().startswith(f"{BASH_PDF.resolve()}, page")
    shot(pane, "builder_chunk_pdf_no_outline")


CRC_DOC = Path("/usr/share/doc/zlib1g-dev/crc-doc.1.0.pdf.gz")


@pytest.mark.slow
def test_chunk_view_of_a_math_paper_keeps_a_sentence_around_its_display_formula(pane, qtbot, tmp_path):
    """Issue 10 round 4: crc-doc (LaTeX, no bookmarks): sub/superscripts inside their line, a
    display formula on its own line inside the sentence that runs through it."""
    if not CRC_DOC.exists():
        pytest.skip("zlib1g-dev not installed")
    import gzip

    pdf = tmp_path / "crc-doc.pdf"
    pdf.write_bytes(gzip.decompress(CRC_DOC.read_bytes()))
    row = _open_chunk(pane, qtbot, pdf, "may be viewed either as a numeric value")
    preview = pane.chunks_view.preview
    assert preview.heading.text().endswith("1 Definition of CRC")
    lines = row["text"].split("\n")
    at = lines.index(next(ln for ln in lines if ln.endswith("may be viewed either as a numeric value")))
    assert lines[at + 1].startswith("M = ") and lines[at + 2].startswith("or as a polynomial of a single variable")
    assert "A message M = m0 . . . mN−1 comprised of N = |M| bits (mk ∈ {0, 1})" in lines[at]
    assert preview.text.toPlainText() == row["text"]
    shot(pane, "builder_chunk_pdf_formula")


DOXYGEN_PDF = Path("/usr/share/doc/doxygen/doxygen_manual.pdf")


@pytest.mark.slow
def test_chunk_view_of_a_doxygen_latex_manual_without_its_page_furniture(pane, qtbot):
    """Issue 10 round 5: Doxygen's own manual (LaTeX): the outline heading path, the page, a
    "Note" label kept with its text, and no running header with the page number in the text."""
    if not DOXYGEN_PDF.exists():
        pytest.skip("doxygen-doc not installed")
    row = _open_chunk(pane, qtbot, DOXYGEN_PDF, "it is not longer recommended to use HTML_STYLESHEET")
    preview = pane.chunks_view.preview
    assert preview.heading.text().endswith("Minor Tweaks › Header, Footer, and Stylesheet changes")
    assert preview.origin.text().startswith(f"{DOXYGEN_PDF.resolve()}, page")
    assert "\nNote\n: it is not longer recommended to use HTML_STYLESHEET, as it make it difficult to upgrade" in row["text"]
    assert "Customizing the output" not in row["text"] and "Generated by Doxygen" not in row["text"]
    assert preview.text.toPlainText() == row["text"]
    # show the chosen chunk's row and the note in the screenshot
    chunks = pane.chunks_view.model
    pane.chunks_view.table.scrollTo(chunks.index(
        next(r for r in range(chunks.rowCount()) if chunks.row_dict(r)["text"] == row["text"]), 0))
    assert preview.text.find("Use HTML_EXTRA_STYLESHEET instead.")
    preview.text.ensureCursorVisible()
    shot(pane, "builder_chunk_pdf_doxygen")
    shot(pane, "builder_chunk_pdf_doxygen", Path("/tmp/shots_pdf5"))


ASYMPTOTE_PDF = Path("/usr/share/doc/asymptote/asymptote.pdf")


@pytest.mark.slow
def test_chunk_view_of_a_texinfo_manual_with_figures_keeps_examples_and_drops_figure_labels(pane, qtbot):
    """Issue 10 round 6: asymptote.pdf (texinfo, Asymptote figures): an example a sentence runs
    into is a code block, not inline code or a definition term; a graph's tick labels are not text."""
    if not ASYMPTOTE_PDF.exists():
        pytest.skip("asymptote-doc not installed")
    row = _open_chunk(pane, qtbot, ASYMPTOTE_PDF, "is a convenient abbreviation for the commands")
    preview = pane.chunks_view.preview
    assert preview.heading.text().endswith("Import")
    assert preview.origin.text().startswith(f"{ASYMPTOTE_PDF.resolve()}, page")
    assert ("The command\n\n```\nimport graph;\n```\n\nis a convenient abbreviation for the commands\n\n"
            "```\naccess graph;\nunravel graph;\n```\n\nThat is, import graph first loads") in row["text"]
    assert preview.text.toPlainText() == row["text"]
    chunks = pane.chunks_view.model
    texts = [chunks.row_dict(r)["text"] for r in range(chunks.rowCount())]
    graphs = next(t for t in texts if "were generated from the examples diatom.asy and westnile.asy" in t)
    assert "1994 1992" not in graphs and "Achnanthes" not in graphs
    assert not any(" . . . . " in t for t in texts)  # the index pages are gone
    pane.chunks_view.table.scrollTo(chunks.index(texts.index(row["text"]), 0))
    assert preview.text.find("is a convenient abbreviation")
    preview.text.ensureCursorVisible()
    shot(pane, "builder_chunk_pdf_asymptote")
    shot(pane, "builder_chunk_pdf_asymptote", Path("/tmp/shots_pdf6"))


GLPK_GRAPHS_PDF = Path("/usr/share/doc/glpk-doc/graphs.pdf")


@pytest.mark.slow
def test_chunk_view_of_a_math_manual_drops_a_diagram_drawn_with_glyphs(pane, qtbot):
    """Issue 10 round 7: glpk's graphs manual (LaTeX, xy-pic network diagrams): the diagram's
    arrow and dash glyphs and its node labels are not text; its caption and the linear program
    after it (display formulas with their numbers) are."""
    if not GLPK_GRAPHS_PDF.exists():
        pytest.skip("glpk-doc not installed")
    row = _open_chunk(pane, qtbot, GLPK_GRAPHS_PDF, "where s = v1 and t = v9, is shown on Fig. 2.")
    preview = pane.chunks_view.preview
    assert preview.heading.text().endswith("Maximum flow problem › Background")
    assert preview.origin.text().startswith(f"{GLPK_GRAPHS_PDF.resolve()}, page")
    text = row["text"]
    assert "is shown on Fig. 2.\n\nFig. 2. An example of the maximum flow problem.\n\n" in text
    assert not any(0x2460 <= ord(ch) <= 0x27BF for ch in text)  # xy-pic's glyphs read as dingbats
    assert "v4 26" not in text and "q25 qq" not in text
    assert "maximize\nF (4)\nsubject to" in text
    assert preview.text.toPlainText() == text
    chunks = pane.chunks_view.model
    texts = [chunks.row_dict(r)["text"] for r in range(chunks.rowCount())]
    pane.chunks_view.table.scrollTo(chunks.index(texts.index(text), 0))
    assert preview.text.find("subject to")  # show the caption and the linear program after it
    preview.text.ensureCursorVisible()
    shot(pane, "builder_chunk_pdf_math_diagram")
    shot(pane, "builder_chunk_pdf_math_diagram", Path("/tmp/shots_pdf7"))


JSONCPP_PAGE = Path("/usr/share/doc/libjsoncpp-doc/class_json_1_1_value.html")
RUST_PAGE = Path("/usr/share/doc/rust-doc/html/std/collections/binary_heap/struct.IntoIter.html")


@pytest.mark.slow
def test_chunk_view_of_doxygen_and_rustdoc_pages_has_member_headings(pane, qtbot):
    """Issue 10 round 5: a Doxygen class page (title in a header div, member headings after a "◆"
    permalink, code in line divs) and a rustdoc struct page ("source" links beside each method)."""
    if not (JSONCPP_PAGE.exists() and RUST_PAGE.exists()):
        pytest.skip("libjsoncpp-doc / rust-doc not installed")
    pane.import_paths([JSONCPP_PAGE, RUST_PAGE])
    pane.window().resize(1200, 800)
    preview = pane.chunks_view.preview
    row = _select_chunk(pane, qtbot, JSONCPP_PAGE.name, "This is a very useful constructor.")
    assert preview.heading.text() == "Json::Value Class Reference › Value() [1/14]"
    assert "```\nJson::Value null_value; // null\n" in row["text"]
    assert preview.text.toPlainText() == row["text"]
    shot(pane, "builder_chunk_doxygen", Path("/tmp/shots_html5"))
    row = _select_chunk(pane, qtbot, RUST_PAGE.name, "Returns a copy of the value.")
    # round 20: the impl's two small method sections are one chunk under the impl, each method's
    # heading a line of its text
    assert preview.heading.text() == ("Struct std::collections::binary_heap::IntoIter › Trait Implementations › "
                                      "impl<T> Clone for IntoIter<T> where T: Clone,")
    assert row["text"].startswith("#### fn clone(&self) -> IntoIter<T>\n\nReturns a copy of the value. Read more\n\n"
                                  "#### fn clone_from(&mut self, source: &Self)")
    assert not any(line.strip() == "source" for line in row["text"].splitlines())  # the srclink is no text
    shot(pane, "builder_chunk_rustdoc", Path("/tmp/shots_html5"))


HASKELL_PAGE = Path("/usr/share/doc/haskell98-report/html/haskell98-report-html/decls.html")


@pytest.mark.slow
def test_chunk_view_of_a_hand_written_page_shows_code_set_with_tt_and_br_as_a_block(pane, qtbot):
    """Issue 10 round 6: the Haskell 98 report sets code as ``<tt>`` lines with ``<br>`` and
    ``&nbsp;`` indentation; the chunk shows it as one indented code block inside the section, and
    the page's "top | back | next" link bar is not text."""
    if not HASKELL_PAGE.exists():
        pytest.skip("haskell98-report not installed")
    pane.import_paths([HASKELL_PAGE])
    pane.window().resize(1200, 800)
    preview = pane.chunks_view.preview
    row = _select_chunk(pane, qtbot, HASKELL_PAGE.name, "This prohibits instance declarations such as:")
    assert preview.heading.text() == ("4 Declarations and Bindings › 4.3 Type Classes and Overloading › "
                                      "4.3.2 Instance Declarations")
    assert ("This prohibits instance declarations such as:\n\n```\n  instance C (a,a) where ...\n"
            "  instance C (Int,a) where ...\n  instance C [[a]] where ...\n```\n\nThe declarations d may") in row["text"]
    assert preview.text.toPlainText() == row["text"]
    chunks = pane.chunks_view.model
    assert not any("top | back" in chunks.row_dict(r)["text"] for r in range(chunks.rowCount()))
    found = preview.text.document().find("instance C (Int,a) where")
    preview.text.setTextCursor(found)  # the screenshot shows the code block, not the grammar above it
    preview.text.centerCursor()
    shot(pane, "builder_chunk_haskell98", Path("/tmp/shots_html6"))


GROFF_PAGE = Path("/usr/share/doc/groff-base/html/pic-15.html")


@pytest.mark.slow
def test_chunk_view_of_a_grohtml_page_shows_its_indented_displays_as_code_blocks(pane, qtbot):
    """Issue 10 round 7: groff's grohtml writes displays as indented paragraphs (``<p
    style="margin-left:10%">``) with ``<br>`` lines, and a one-line display inside a sentence the
    same way; the chunk shows each as a fenced block between the sentence's parts, and the page's
    "[ prev | next | top ]" bar is not text."""
    if not GROFF_PAGE.exists():
        pytest.skip("groff-base HTML docs not installed")
    row = _open_chunk(pane, qtbot, GROFF_PAGE, "The statement")
    preview = pane.chunks_view.preview
    assert preview.heading.text() == "15. Import/Export Commands › 15.1. File and Table Insertion"
    assert row["text"].startswith("The statement\n\n```\ncopy filename\n```\n\ninserts the contents of filename")
    assert "Accordingly, the command\n\n```\n.PS\ncopy thru % circle at ($1,$2) % until \"END\"\n1 2\n" in row["text"]
    assert preview.text.toPlainText() == row["text"]
    chunks = pane.chunks_view.model
    assert not any("prev | next" in chunks.row_dict(r)["text"] for r in range(chunks.rowCount()))
    shot(pane, "builder_chunk_groff_pic", Path("/tmp/shots_html7"))


def test_nothing_extracted_is_explained_not_written(pane, ctx, qtbot, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Plain notes without any heading. They describe a meeting that took place on Tuesday "
                     "and what was decided there about the budget for the next quarter.\n")
    pane.import_paths([notes])
    pane.create_dataset_action.trigger()
    dlg = pane.generate_dialog
    dlg.name_edit.setText("empty-try")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    text = pane.banner_label.text()
    assert "was not created" in text and "no pairs extracted in qa mode" in text
    assert "LLM provider" in text and "New run…" in text and "--" not in text  # app words, not CLI flags
    assert "empty-try" not in {d["name"] for d in list_datasets(ctx.workspace)}
    assert not pane.open_pairs_button.isVisible()
    shot(pane, "builder_nothing_extracted")


SHELLMATH_README = Path("/usr/share/doc/bash/examples/shellmath/README.md")


@pytest.mark.slow
def test_chunk_view_of_a_readme_shows_rendered_markdown_text(pane, qtbot):
    """Issue 10, Markdown round (md7): a README's chunk reads like the rendered page — inline code,
    bold and links as plain text, wrapped lines joined, code blocks fenced, headings in the path."""
    if not SHELLMATH_README.exists():
        pytest.skip("bash examples not installed")
    row = _open_chunk(pane, qtbot, SHELLMATH_README, "source the file shellmath.sh into your shell")
    preview = pane.chunks_view.preview
    assert preview.heading.text() == "Shellmath › Quick-start guide"
    line = int(preview.origin.text().removeprefix(f"{SHELLMATH_README.resolve()}, line "))
    assert SHELLMATH_README.read_text().split("\n")[line - 1].startswith("Download this project")
    assert row["text"].startswith("Download this project and source the file shellmath.sh into your shell script, "
                                  "then fire away at the shellmath API!\n\nThe basic API looks like this:\n\n```\n"
                                  "    _shellmath_add        arg1   arg2  [...]  argN\n")
    assert "need for $( subshelling ) in order to capture shellmath's output." in row["text"]
    assert preview.text.toPlainText() == row["text"]
    chunks = pane.chunks_view.model
    texts = [chunks.row_dict(r)["text"] for r in range(chunks.rowCount())]
    assert not any("](" in t or "___" in t or "`shellmath" in t for t in texts)
    shot(pane, "builder_chunk_readme")
    shot(pane, "builder_chunk_readme", Path("/tmp/shots_md7"))


PARI_TUTORIAL_PDF = Path("/usr/share/pari/doc/tutorial.pdf")


@pytest.mark.slow
def test_chunk_view_of_a_plain_tex_manual_keeps_code_with_roman_comments_and_accents(pane, qtbot):
    """Issue 10 round 8: PARI's tutorial (plain TeX): an example line whose comment is set in
    roman ("ellorder(E, q) \\\\ simpler") is code, not prose between the halves of a sentence;
    "Teichm¨uller" (the accent a glyph of its own) reads "Teichmüller"."""
    if not PARI_TUTORIAL_PDF.exists():
        pytest.skip("pari-doc not installed")
    row = _open_chunk(pane, qtbot, PARI_TUTORIAL_PDF, "we see in two different ways that q")
    preview = pane.chunks_view.preview
    assert preview.origin.text().startswith(f"{PARI_TUTORIAL_PDF.resolve()}, page")
    text = row["text"]
    # (the comment set off by spaces; how many depends on the font size read: round 19 reads the
    # tutorial's 1.1 magnification, and the gap became one space where it was two)
    assert re.search(r"Indeed, typing\n\n```\nfor\(k=1, 5, print\(ellmul\(E, q,k\)\)\)\nellorder\(E, q\) +\\\\ simpler"
                     r"\n```\n\nwe see in two", text)
    assert preview.text.toPlainText() == text
    chunks = pane.chunks_view.model
    texts = [chunks.row_dict(r)["text"] for r in range(chunks.rowCount())]
    pane.chunks_view.table.scrollTo(chunks.index(texts.index(text), 0))
    assert preview.text.find("\\\\ simpler")  # show the example and the sentence around it
    preview.text.ensureCursorVisible()
    shot(pane, "builder_chunk_pdf_plain_tex")
    shot(pane, "builder_chunk_pdf_plain_tex", Path("/tmp/shots_pdf8"))
    assert any("Teichmüller" in t for t in texts)


LIBOCTAVE_PDF = Path("/usr/share/doc/octave/liboctave.pdf")


@pytest.mark.slow
def test_chunk_view_of_texinfo_definition_lines_keeps_one_signature_a_line(pane, qtbot):
    """Issue 10 round 9: liboctave.pdf's @deftypefn/@deftypefnx lines (no text under them), set
    one under the other far short of the right edge, stay one signature a line (they had been
    joined into one "sentence": "NLFunc (void) NLFunc (const nonlinear_fcn) …")."""
    if not LIBOCTAVE_PDF.exists():
        pytest.skip("octave-doc not installed")
    row = _open_chunk(pane, qtbot, LIBOCTAVE_PDF, "NLFunc (const nonlinear_fcn)")
    preview = pane.chunks_view.preview
    assert preview.heading.text() == "7 Nonlinear Functions"
    assert preview.origin.text().startswith(f"{LIBOCTAVE_PDF.resolve()}, page")
    assert row["text"].startswith("NLFunc (void)\nNLFunc (const nonlinear_fcn)\n"
                                  "NLFunc (const nonlinear_fcn, const jacobian_fcn)\nNLFunc (const NLFunc &a)\n")
    assert preview.text.toPlainText() == row["text"]
    chunks = pane.chunks_view.model
    texts = [chunks.row_dict(r)["text"] for r in range(chunks.rowCount())]
    pane.chunks_view.table.scrollTo(chunks.index(texts.index(row["text"]), 0))
    shot(pane, "builder_chunk_pdf_texinfo_signatures")
    shot(pane, "builder_chunk_pdf_texinfo_signatures", Path("/tmp/shots_pdf9"))
@pytest.mark.slow
def test_chunk_view_of_a_pydoc_page_has_a_section_per_class_and_fenced_examples(pane, qtbot, tmp_path):
    """Issue 10 round 9: ``pydoc -w`` boxes each class in a layout table whose title row is marked
    ``heading-text``; docstrings are ``&nbsp;``-spaced lines with ``<br>`` (blank lines between
    paragraphs, examples indented by ``&nbsp;``). The page is made by this interpreter's pydoc."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pydoc", "-w", "queue"], cwd=tmp_path, capture_output=True, check=True)
    page = tmp_path / "queue.html"
    row = _open_chunk(pane, qtbot, page, "Create a queue object with a given maximum size.")
    preview = pane.chunks_view.preview
    assert preview.heading.text() == "class Queue(builtins.object)"
    text = row["text"]
    assert text.startswith("Queue(maxsize=0)\n\nCreate a queue object with a given maximum size.\n\n")
    assert "\n\nMethods defined here:\n\n__init__(self, maxsize=0)\n: Initialize self." in text
    assert " — " not in text  # the class box is no longer one table row of joined cells
    assert preview.text.toPlainText() == text
    shot(pane, "builder_chunk_pydoc", Path("/tmp/shots_html9"))


MATHCOMMAND_PDF = Path("/usr/share/doc/texlive-doc/latex/mathcommand/mathcommand.pdf")


@pytest.mark.slow
def test_chunk_view_of_a_latex_package_manual_shows_its_numbered_listing_as_code(pane, qtbot):
    """Issue 10 round 12: mathcommand.pdf sets its code in cm-super typewriter (SFTT) with line
    numbers in a small roman; the listing is one code block, its closing brace inside it."""
    if not MATHCOMMAND_PDF.exists():
        pytest.skip("texlive-doc not installed")
    row = _open_chunk(pane, qtbot, MATHCOMMAND_PDF, "absorb_PIE:nw#1{")
    preview = pane.chunks_view.preview
    assert preview.heading.text().endswith("Parsing pies")
    assert preview.origin.text().startswith(f"{MATHCOMMAND_PDF.resolve()}, page")
    text = row["text"]
    assert "```\n46 \\cs_new:Npn\\__mathcommand_absorb_PIE:nw#1{\n" in text
    assert "\n52 }\n```\n\nWhen the parsing is finished," in text
    assert preview.text.toPlainText() == text
    preview.text.find("absorb_PIE:nw#1{")
    preview.text.ensureCursorVisible()
    shot(pane, "builder_chunk_pdf_latex_listing")
    shot(pane, "builder_chunk_pdf_latex_listing", Path("/tmp/shots_pdf12"))


def test_sizes_keep_three_digits_so_they_fit_the_size_column():
    from fineflow_desktop.ui.builder.models import human_size

    assert [human_size(n) for n in (None, 999, 1536, 1_033_318, 5 * 1024**3)] == \
        ["0 B", "999 B", "1.5 KB", "1.0 MB", "5.0 GB"]
