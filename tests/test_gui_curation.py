"""pytest-qt: Duplicates (keep/drop + undo), RAG Test (known chunk, Build context), AI Settings,
Embedding Sources — real widgets, real services, screenshots in /work/screens/curation/."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from curation_helpers import add_document, edit_words, paragraphs
from fineflow_desktop.services.retrieval import DEFAULTS, get_ai_config
from fineflow_desktop.services.retrieval import create_source, embed_chunks
from fineflow_desktop.store.models import Chunk
from fineflow_desktop.ui.context import AppContext, Events
from fineflow_desktop.ui.curation import AiConfigPane, DuplicatesPane, EmbeddingSourcesPane, RagTestPane
from fineflow_desktop.workers import TaskManager
from fineflow_desktop.ui.style import colour

SHOTS = Path("/work/screens/curation")
QUERY = "analyze a sample to get the Dialect subclass that reflects its parameters"


def shot(widget, name):
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()  # let pending layout requests run before grabbing
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def ctx(workspace, qtbot):
    tasks = TaskManager(synchronous=True)
    yield AppContext(workspace, tasks, QUndoStack(), Events())
    tasks.shutdown()


@pytest.fixture
def docs(workspace, pydoc_sources):
    texts = sorted(paragraphs("library/textwrap.rst.txt", 250), key=len, reverse=True)[:8]
    base = add_document(workspace, "/docs/library/textwrap.rst.txt", texts, qualities=[0.8] * len(texts))
    copies = add_document(workspace, "/docs/notes/textwrap-copy.md",
                          [edit_words(texts[0], 0.04, seed=3), edit_words(texts[1], 0.04, seed=4)],
                          qualities=[0.6, 0.9])
    csv_ids = add_document(workspace, "/docs/library/csv.rst.txt", paragraphs("library/csv.rst.txt"))
    return {"base": base, "copies": copies, "csv": csv_ids, "texts": texts}


def is_dup(ws, cid):
    with ws.session() as s:
        return s.get(Chunk, cid).is_duplicate


def test_duplicates_view_keep_drop_and_undo(qtbot, ctx, docs, qtmodeltester):
    pane = DuplicatesPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1280, 760)
    pane.show()
    qtbot.mouseClick(pane.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.groups_model.rowCount() >= 2)
    qtmodeltester.check(pane.groups_model)
    qtmodeltester.check(pane.members_model)
    # group 1: textwrap[0] (quality 0.8) vs its copy (0.6): the original is kept
    group = [g for g in pane.groups_model.rows if docs["copies"][0] in [m["chunk_id"] for m in g["members"]]][0]
    row = pane.groups_model.rows.index(group)
    pane.groups_view.selectRow(row)
    assert pane.current_group["id"] == group["id"]
    assert group["representative_chunk_id"] == docs["base"][0]
    assert pane.members_model.rowCount() == 2
    assert "Representative" in pane.compare.left_title.text()
    changed_right = " ".join(row.right_text[sp.start:sp.end] for row in pane.compare.model.rows for sp in row.right_spans)
    assert any(w in changed_right for w in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot"))
    shot(pane, "duplicates_group")

    copy_row = [i for i, m in enumerate(pane.members_model.rows) if m["chunk_id"] == docs["copies"][0]][0]
    pane.members_view.selectRow(copy_row)
    assert is_dup(ctx.workspace, docs["copies"][0])
    qtbot.mouseClick(pane.keep_button, Qt.MouseButton.LeftButton)
    assert not is_dup(ctx.workspace, docs["copies"][0])
    assert pane.groups_model.rows[row]["members"] and "2" == pane.groups_model.data(pane.groups_model.index(row, 3))
    rep_row = [i for i, m in enumerate(pane.members_model.rows) if m["is_representative"]][0]
    pane.members_view.selectRow(rep_row)
    qtbot.mouseClick(pane.drop_button, Qt.MouseButton.LeftButton)
    assert is_dup(ctx.workspace, docs["base"][0])
    shot(pane, "duplicates_after_keep_drop")
    ctx.undo_stack.undo()
    assert not is_dup(ctx.workspace, docs["base"][0])
    ctx.undo_stack.undo()
    assert is_dup(ctx.workspace, docs["copies"][0])
    ctx.undo_stack.redo()
    assert not is_dup(ctx.workspace, docs["copies"][0])
    # the Keep checkbox in the table does the same through the model
    idx = pane.members_model.index(rep_row, 0)
    pane.members_model.setData(idx, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert is_dup(ctx.workspace, docs["base"][0])


def test_duplicates_group_list_keeps_its_width_in_the_window(qtbot, workspace, docs):
    """The group list is readable at 1280×800, survives dragging the splitter to the edge and
    switching panes (issue 9: ~60 px wide, then zero width after a pane switch)."""
    from fineflow_desktop.ui.main_window import MainWindow
    from fineflow_desktop.ui.pairs.pane import PairsPane

    win = MainWindow(workspace, synchronous_tasks=True)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    pane = win.show_pane(DuplicatesPane)
    qtbot.mouseClick(pane.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.groups_model.rowCount() >= 2)

    def columns_fit() -> bool:
        view = pane.groups_view
        used = sum(view.columnWidth(c) for c in range(pane.groups_model.columnCount()))
        return view.width() >= 260 and used <= view.viewport().width() + 1

    assert columns_fit()
    shot(win, "duplicates_in_window_1280")
    pane.splitter.setSizes([0, 2000])  # dragged all the way left
    assert columns_fit()
    win.show_pane(PairsPane)
    win.show_pane(DuplicatesPane)
    assert columns_fit() and pane.groups_view.isVisible()
    win.resize(1100, 700)
    qtbot.wait(10)
    assert columns_fit()
    shot(win, "duplicates_in_window_1100")


def test_rag_panel_returns_the_known_chunk_and_builds_context(qtbot, ctx, docs, qtmodeltester):
    pane = RagTestPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1280, 800)
    pane.show()
    assert "empty" in pane.status.text()
    qtbot.mouseClick(pane.embed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "vectors" in pane.status.text())
    qtbot.keyClicks(pane.query, QUERY)
    qtbot.mouseClick(pane.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.hits_model.rowCount() > 0)
    qtmodeltester.check(pane.hits_model)
    top = pane.hits_model.rows[0]
    sniff = [cid for cid, t in zip(docs["csv"], paragraphs("library/csv.rst.txt")) if t.startswith("Analyze the given *sample*")][0]
    assert top["chunk_id"] == sniff
    assert pane.hits_model.data(pane.hits_model.index(0, 5)) == "/docs/library/csv.rst.txt"
    assert "Analyze the given" in pane.preview.toPlainText()
    assert pane.prompt_info.isHidden()  # no empty line above the prompt before the first context
    qtbot.mouseClick(pane.context_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "<context>" in pane.prompt.toPlainText())
    prompt = pane.prompt.toPlainText()
    assert prompt.startswith(DEFAULTS["instructions"]) and "[1] /docs/library/csv.rst.txt" in prompt
    assert "tokens" in pane.prompt_info.text() and not pane.prompt_info.isHidden()
    shot(pane, "rag_test")


def test_rag_panel_shows_which_retriever_found_each_hit_and_highlights_terms(qtbot, ctx, docs):
    pane = RagTestPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1400, 820)
    pane.show()
    qtbot.mouseClick(pane.embed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "vectors" in pane.status.text())
    qtbot.keyClicks(pane.query, "How do I detect the dialect of a CSV file?")
    qtbot.mouseClick(pane.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.hits_model.rowCount() > 0)
    m = pane.hits_model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers[:5] == ["#", "Found by", "Keyword", "Vector", "Score"]
    for row, hit in enumerate(m.rows):
        found, kw, vec = (m.data(m.index(row, c)) for c in (1, 2, 3))
        assert found == hit["found_by"]
        assert (kw == "—") == (hit["retrievers"]["keyword"] is None)
        assert (vec == "—") == (hit["retrievers"]["vector"] is None)
        if hit["retrievers"]["keyword"]:
            assert kw.startswith(f"#{hit['retrievers']['keyword']['rank']} · ")
    assert "both" in [m.data(m.index(r, 1)) for r in range(m.rowCount())]
    html_text = pane.preview.toHtml()
    assert "Found by" in pane.preview.toPlainText() and colour("mark_bg").name() in html_text
    # the preview gives the vectors' cosine the context threshold is held to
    assert f"similarity {m.rows[0]['similarity']:.3f}" in pane.preview.toPlainText()
    assert "dialect" in m.rows[0]["matched_terms"]
    shot(pane, "rag_test_hybrid")
    pane.mode.setCurrentIndex(pane.mode.findData("keyword"))
    qtbot.mouseClick(pane.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: m.rowCount() > 0 and all(h["found_by"] == "keyword" for h in m.rows))
    assert all(m.data(m.index(r, 3)) == "—" for r in range(m.rowCount()))


def test_rag_panel_says_when_the_index_needs_a_rebuild_after_the_embedder_changed(qtbot, ctx, docs, tmp_path):
    """AI Settings switch the embedder of an indexed workspace: the RAG Test pane says the index
    was built with the old one until Embed rebuilds it (vectors of two embedders never mix)."""
    from model2vec_helpers import make_model

    words = sorted({w for t in docs["texts"] for w in t.lower().split()} | {"csv", "dialect"})
    folder = make_model(tmp_path / "my-m2v", words)
    rag = RagTestPane(ctx)
    settings = AiConfigPane(ctx)
    for pane in (rag, settings):
        qtbot.addWidget(pane)
    rag.resize(1280, 800)
    rag.show()
    qtbot.mouseClick(rag.embed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "fineflow-lsa" in rag.status.text())
    settings.embedding_model.setCurrentText(f"local:{folder}")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    assert "built with fineflow-lsa" in rag.status.text() and "rebuilds" in rag.status.text()
    assert f"local:{folder}" in rag.status.toolTip()
    shot(rag, "rag_test_needs_rebuild")
    qtbot.mouseClick(rag.embed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "local:my-m2v 16-d" in rag.status.text())
    assert "rebuild" not in rag.status.text() and not rag.status.toolTip()


def test_rag_panel_real_threads(qtbot, workspace, docs):
    """Integration: the default (threaded) task manager, results delivered on the main thread."""
    tasks = TaskManager()
    ctx = AppContext(workspace, tasks, QUndoStack(), Events())
    pane = RagTestPane(ctx)
    qtbot.addWidget(pane)
    qtbot.mouseClick(pane.embed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "vectors" in pane.status.text(), timeout=60_000)
    pane.query.setText(QUERY)
    qtbot.mouseClick(pane.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.hits_model.rowCount() > 0, timeout=30_000)
    assert pane.hits_model.rows[0]["text"].startswith("Analyze the given *sample*")
    assert tasks.shutdown()


def test_rag_panel_shows_errors(qtbot, ctx, workspace):
    pane = RagTestPane(ctx)
    qtbot.addWidget(pane)
    pane.query.setText("anything")
    qtbot.mouseClick(pane.search_button, Qt.MouseButton.LeftButton)
    assert "run Embed" in pane.message.text()


def test_ai_settings_save_validate_reset(qtbot, ctx):
    pane = AiConfigPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    pane.temperature.setValue(1.3)
    pane.max_context_chunks.setValue(8)
    pane.instructions.setPlainText("Answer in French.")
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    cfg = get_ai_config(ctx.workspace)
    assert (cfg["temperature"], cfg["max_context_chunks"], cfg["instructions"]) == (1.3, 8, "Answer in French.")
    pane.embedding_model.setCurrentText("bert-base")
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert "embedding_model" in pane.message.text()
    assert get_ai_config(ctx.workspace)["embedding_model"] == DEFAULTS["embedding_model"]
    pane.embedding_model.setCurrentText("wordllama-l2-supercat-256")
    assert pane.licence_note.isVisible()
    shot(pane, "ai_settings_wordllama_note")
    qtbot.mouseClick(pane.reset_button, Qt.MouseButton.LeftButton)
    assert get_ai_config(ctx.workspace) == DEFAULTS and pane.values() == DEFAULTS
    assert not pane.licence_note.isVisible()
    shot(pane, "ai_settings")


def test_ai_settings_local_model_folder_shows_its_licence(qtbot, ctx, tmp_path, monkeypatch):
    from model2vec_helpers import make_model

    folder = make_model(tmp_path / "my-m2v", ["csv", "dialect", "json"], licence="cc-by-sa-4.0")
    monkeypatch.setattr("fineflow_desktop.ui.curation.ai_config_pane.QFileDialog.getExistingDirectory",
                        lambda *a, **k: str(folder))  # the native dialog cannot be driven offscreen
    pane = AiConfigPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    qtbot.mouseClick(pane.model_folder_button, Qt.MouseButton.LeftButton)
    assert pane.embedding_model.currentText() == f"local:{folder}"
    assert pane.licence_note.isVisible() and "cc-by-sa-4.0" in pane.licence_note.text()
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert get_ai_config(ctx.workspace)["embedding_model"] == f"local:{folder}"
    shot(pane, "ai_settings_local_model")


def test_ai_settings_says_at_once_why_a_picked_folder_is_refused(qtbot, ctx, tmp_path, monkeypatch):
    """A transformer sentence-transformers folder is named as such when picked, before Save."""
    import json

    folder = tmp_path / "all-MiniLM-L6-v2"
    folder.mkdir()
    for f in ("config.json", "model.safetensors", "tokenizer.json"):
        (folder / f).write_text("{}")
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]))
    monkeypatch.setattr("fineflow_desktop.ui.curation.ai_config_pane.QFileDialog.getExistingDirectory",
                        lambda *a, **k: str(folder))
    pane = AiConfigPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    qtbot.mouseClick(pane.model_folder_button, Qt.MouseButton.LeftButton)
    assert pane.licence_note.isVisible() and "Transformer, Pooling modules" in pane.licence_note.text()
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert get_ai_config(ctx.workspace)["embedding_model"] == DEFAULTS["embedding_model"]
    shot(pane, "ai_settings_transformer_refused")


def test_ai_settings_names_the_credential_lending_its_key_to_embeddings(qtbot, ctx):
    from fineflow_desktop.providers.credentials import create_credential

    create_credential(ctx.workspace, name="local-vllm", provider="compatible", base_url="http://localhost:8000/v1",
                      model="m", api_key="sk-vllm-key-4321")
    pane = AiConfigPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(900, 760)
    pane.show()
    assert not pane.key_source.isVisible()  # the offline default needs no key
    pane.embedding_model.setCurrentText("openai-compatible:nomic-embed-text")
    qtbot.keyClicks(pane.embedding_base_url, "http://localhost:11434/v1")
    assert pane.key_source.isVisible() and "without a key" in pane.key_source.text()
    pane.embedding_base_url.clear()
    qtbot.keyClicks(pane.embedding_base_url, "http://localhost:8000/v1/")
    assert "local-vllm" in pane.key_source.text() and "4321" in pane.key_source.text()
    assert "sk-vllm-key-4321" not in pane.key_source.text()
    shot(pane, "ai_settings_embedding_key")


def test_sources_pane_refresh_toggle_test(qtbot, ctx, docs, qtmodeltester):
    create_source(ctx.workspace, "manual", "Team notes", {"texts": ["The office parrot is called Archimedes."]})
    pane = EmbeddingSourcesPane(ctx)
    qtbot.addWidget(pane)
    pane.resize(1100, 420)
    pane.show()
    qtmodeltester.check(pane.model)
    assert [r["kind"] for r in pane.model.rows] == ["documents", "manual"]
    qtbot.mouseClick(pane.refresh_all_button, Qt.MouseButton.LeftButton)
    assert "added" in pane.message.text()
    assert all(r["status"] == "ok" and r["n_items"] > 0 for r in pane.model.rows)
    pane.view.selectRow(1)
    qtbot.mouseClick(pane.test_button, Qt.MouseButton.LeftButton)
    assert "found at rank 1" in pane.message.text()
    pane.model.setData(pane.model.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert pane.model.rows[1]["active"] is False
    shot(pane, "embedding_sources")
    pane.view.selectRow(0)
    qtbot.mouseClick(pane.delete_button, Qt.MouseButton.LeftButton)
    assert "cannot be deleted" in pane.message.text()
