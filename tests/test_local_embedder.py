"""A local Model2Vec model folder as the embedder: loaded from disk with model2vec (no
download), licence read from its model card, index rebuilt when the model changes. The tests
build a tiny model folder themselves with ``tokenizers`` + ``model2vec``."""

import re

import pytest

from curation_helpers import add_document, paragraphs
from model2vec_helpers import make_model
from fineflow_desktop.core.embeddings import EmbeddingError
from fineflow_desktop.core.local_embedder import NO_LICENCE, Model2VecEmbedder, model_licence
from fineflow_desktop.services.retrieval import (
    ConfigError, embed_chunks, embedding_licence, index_status, search, set_ai_config,
)


@pytest.fixture
def docs(workspace, pydoc_sources):
    texts = {rel: paragraphs(rel)[:40] for rel in ("library/csv.rst.txt", "library/json.rst.txt")}
    for rel, t in texts.items():
        add_document(workspace, f"/docs/{rel}", t)
    words = [w for ts in texts.values() for t in ts for w in re.findall(r"\w+", t.lower())]
    return texts, words


def test_local_model_folder_embeds_offline_and_shows_its_licence(workspace, docs, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    texts, words = docs
    folder = make_model(tmp_path / "tiny-m2v", words, licence="apache-2.0")
    assert model_licence(folder) == "apache-2.0"
    set_ai_config(workspace, embedding_model=f"local:{folder}")
    assert embedding_licence(f"local:{folder}") == "apache-2.0"
    report = embed_chunks(workspace)
    status = index_status(workspace)
    assert status["embedder"] == "local:tiny-m2v" and status["dim"] == 16
    assert report["added"] == status["vectors"] == sum(len(t) for t in texts.values())
    target = texts["library/json.rst.txt"][5]
    hit = search(workspace, target, k=1, mode="vector")[0]
    assert hit["text"] == target and hit["found_by"] == "vector"


def test_changing_the_model_rebuilds_the_index(workspace, docs, tmp_path):
    _, words = docs
    folder = make_model(tmp_path / "m", words, seed=1)
    set_ai_config(workspace, embedding_model=f"local:{folder}")
    embed_chunks(workspace)
    before = index_status(workspace)
    make_model(folder, words, seed=2)  # same folder, new weights
    from fineflow_desktop.services.retrieval import forget

    forget(workspace)
    embed_chunks(workspace)
    after = index_status(workspace)
    assert after["version"] != before["version"] and after["vectors"] == before["vectors"]


def test_bad_model_folders_are_refused_with_the_missing_file(workspace, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="model.safetensors"):
        set_ai_config(workspace, embedding_model=f"local:{tmp_path / 'empty'}")
    with pytest.raises(ConfigError, match="not a folder"):
        set_ai_config(workspace, embedding_model=f"local:{tmp_path / 'nowhere'}")
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (broken / name).write_text("not a model")
    with pytest.raises(EmbeddingError, match="cannot load the Model2Vec model"):
        Model2VecEmbedder(broken)
    assert model_licence(broken) == NO_LICENCE


def test_switching_the_embedder_marks_the_index_for_rebuild_and_never_mixes(workspace, docs, tmp_path):
    """An index built with fineflow-lsa, then the AI settings name a local model: the status
    says so until the next embed re-embeds every item (same ids) with the new model."""
    from sqlalchemy import select

    from fineflow_desktop.store.models_retrieval import EmbeddedItem

    texts, words = docs
    embed_chunks(workspace)
    with workspace.session() as s:
        ids = sorted(s.scalars(select(EmbeddedItem.id)))
    lsa = index_status(workspace)
    assert (lsa["embedder"], lsa["configured"], lsa["needs_rebuild"]) == ("fineflow-lsa", "fineflow-lsa-256", False)
    folder = make_model(tmp_path / "tiny-m2v", words)
    set_ai_config(workspace, embedding_model=f"local:{folder}")
    stale = index_status(workspace)
    assert stale["needs_rebuild"] and stale["embedder"] == "fineflow-lsa" and stale["configured"] == f"local:{folder}"
    report = embed_chunks(workspace)
    new = index_status(workspace)
    assert report["added"] == 0 and (new["embedder"], new["dim"], new["needs_rebuild"]) == ("local:tiny-m2v", 16, False)
    assert new["vectors"] == len(ids) == sum(len(t) for t in texts.values())
    with workspace.session() as s:
        assert sorted(s.scalars(select(EmbeddedItem.id))) == ids
