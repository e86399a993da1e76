"""WordLlama is an optional extra (``pip install 'fineflow-desktop[wordllama]'``), left out of the
installers (issue 13). Installed: it is offered like before. Absent: every place that offers or uses
it says it is unavailable and names the extra — the AI config check, the embedder, ``fineflow
embed`` and the AI Settings pane (listed, greyed, with the reason).

"Absent" is simulated with ``sys.modules["wordllama"] = None``: ``import wordllama`` then raises
ImportError and ``importlib.util.find_spec`` returns None, as in the frozen bundle, which does not
contain the package (``packaging/bundle_filter.py``)."""

import sys

import pytest

from fineflow_desktop.core.embeddings import (
    WORDLLAMA_EXTRA, WORDLLAMA_MISSING, WORDLLAMA_MODEL, EmbeddingError, WordLlamaEmbedder, wordllama_problem,
)
from fineflow_desktop.services.retrieval import ConfigError, set_ai_config
from fineflow_desktop.services.retrieval.ai_config import validate


@pytest.fixture
def no_wordllama(monkeypatch):
    monkeypatch.setitem(sys.modules, "wordllama", None)


def test_the_message_names_the_extra_and_the_alternatives():
    assert "pip install 'fineflow-desktop[wordllama]'" in WORDLLAMA_MISSING and WORDLLAMA_EXTRA in WORDLLAMA_MISSING
    assert "fineflow-lsa-256" in WORDLLAMA_MISSING


def test_installed_wordllama_is_available_and_accepted():
    pytest.importorskip("wordllama")
    assert wordllama_problem() is None
    assert validate({"embedding_model": WORDLLAMA_MODEL}) == {"embedding_model": WORDLLAMA_MODEL}


def test_absent_wordllama_is_reported(no_wordllama):
    assert wordllama_problem() == WORDLLAMA_MISSING


def test_absent_wordllama_is_refused_by_the_ai_config(no_wordllama, workspace):
    with pytest.raises(ConfigError, match=r"embedding_model.*fineflow-desktop\[wordllama\]"):
        set_ai_config(workspace, embedding_model=WORDLLAMA_MODEL)
    assert validate({"embedding_model": "fineflow-lsa-256"})  # the others still pass


def test_absent_wordllama_embedder_raises_with_the_reason(no_wordllama):
    with pytest.raises(EmbeddingError, match=r"fineflow-desktop\[wordllama\]"):
        WordLlamaEmbedder().embed(["How do I read a CSV file?"])


def test_cli_embed_names_the_extra_when_the_config_asks_for_absent_wordllama(workspace, monkeypatch, capsys):
    """A workspace configured where the extra was installed, opened where it is not."""
    pytest.importorskip("wordllama")
    from curation_helpers import add_document
    from fineflow_desktop import cli

    set_ai_config(workspace, embedding_model=WORDLLAMA_MODEL)
    add_document(workspace, "/docs/a.txt", ["The csv module reads and writes tabular data in CSV format."])
    path = str(workspace.path)
    workspace.close()
    monkeypatch.setitem(sys.modules, "wordllama", None)
    assert cli.main(["embed", "--workspace", path]) == 1
    err = capsys.readouterr().err
    assert "embedding failed" in err and "pip install 'fineflow-desktop[wordllama]'" in err


def test_ai_settings_pane_greys_out_absent_wordllama_with_the_reason(no_wordllama, qtbot, ctx):
    from fineflow_desktop.ui.curation import AiConfigPane

    pane = AiConfigPane(ctx)
    qtbot.addWidget(pane)
    pane.show()
    item = pane.embedding_model.model().item(pane.embedding_model.findText(WORDLLAMA_MODEL))
    assert not item.isEnabled() and item.toolTip() == WORDLLAMA_MISSING
    pane.embedding_model.setCurrentText(WORDLLAMA_MODEL)  # typed, or a config saved elsewhere
    assert pane.licence_note.isVisible() and pane.licence_note.text() == WORDLLAMA_MISSING
    pane.save()
    assert "fineflow-desktop[wordllama]" in pane.message.text()


def test_ai_settings_pane_offers_installed_wordllama(qtbot, ctx):
    pytest.importorskip("wordllama")
    from fineflow_desktop.ui.curation import AiConfigPane

    pane = AiConfigPane(ctx)
    qtbot.addWidget(pane)
    item = pane.embedding_model.model().item(pane.embedding_model.findText(WORDLLAMA_MODEL))
    assert item.isEnabled()
