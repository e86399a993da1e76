"""A local static-embedding model folder as the embedder (Model2Vec, or sentence-transformers
StaticEmbedding): loaded from disk with model2vec (no download), licence read from its model card,
index rebuilt when the model changes, transformer models refused by name. The Model2Vec tests
build a tiny model folder themselves with ``tokenizers`` + ``model2vec``; the sentence-transformers
ones use folders sentence-transformers itself saved (``fixtures/st_static``)."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from curation_helpers import add_document, paragraphs
from model2vec_helpers import make_model
from fineflow_desktop.core.embeddings import EmbeddingError
from fineflow_desktop.core.local_embedder import NO_LICENCE, Model2VecEmbedder, model_folder_problem, model_licence
from fineflow_desktop.services.retrieval import (
    ConfigError, embed_chunks, embedding_licence, embedding_model_problem, index_status, search, set_ai_config,
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
    with pytest.raises(EmbeddingError, match="cannot load the embedding model"):
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


# sentence-transformers static-embedding folders, saved by sentence-transformers itself
# (tests/fixtures/st_static/make_fixtures.py): FineFlow embeds them as sentence-transformers does.
ST_FIXTURES = Path(__file__).parent / "fixtures" / "st_static"


def _st_copy(tmp_path, name, nested=False):
    """A copy of fixture *name*; *nested* moves its StaticEmbedding into ``0_StaticEmbedding/``
    as older sentence-transformers saves and the Hub's static models
    (static-retrieval-mrl-en-v1) lay it out."""
    folder = tmp_path / name
    shutil.copytree(ST_FIXTURES / name, folder)
    if nested:
        (folder / "0_StaticEmbedding").mkdir()
        for f in ("model.safetensors", "tokenizer.json"):
            (folder / f).rename(folder / "0_StaticEmbedding" / f)
        modules = json.loads((folder / "modules.json").read_text())
        modules[0].update(path="0_StaticEmbedding", type="sentence_transformers.models.StaticEmbedding")
        (folder / "modules.json").write_text(json.dumps(modules))
    return folder


@pytest.mark.parametrize("name,nested", [("tiny-st", False), ("tiny-st-norm", False), ("tiny-st", True)])
def test_sentence_transformers_static_folders_embed_as_sentence_transformers_does(tmp_path, monkeypatch, name, nested):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    expected = json.loads((ST_FIXTURES / "expected.json").read_text())
    folder = _st_copy(tmp_path, name, nested)
    assert model_folder_problem(folder) is None
    embedder = Model2VecEmbedder(folder)
    got = embedder.embed(expected["sentences"])
    want = np.asarray(expected["encodings"][name], dtype=np.float32)
    want /= np.linalg.norm(want, axis=1, keepdims=True)  # FineFlow stores unit vectors
    assert embedder.dim == 8 and np.allclose(got, want, atol=1e-5)
    assert embedder.licence == NO_LICENCE  # sentence-transformers' generated card states none
    # Unknown tokens: model2vec leaves them out, where sentence-transformers averages [UNK] in.
    padded = embedder.embed(["capture output of an external program ?"])
    assert np.allclose(padded[0], got[2], atol=1e-6)


def test_a_sentence_transformers_static_folder_is_a_workspace_embedder(workspace, docs, tmp_path):
    folder = _st_copy(tmp_path, "tiny-st", nested=True)
    set_ai_config(workspace, embedding_model=f"local:{folder}")
    report = embed_chunks(workspace)
    status = index_status(workspace)
    assert (status["embedder"], status["dim"]) == ("local:tiny-st", 8) and report["added"] == status["vectors"] > 0
    before = status["version"]
    (folder / "0_StaticEmbedding" / "model.safetensors").write_bytes(
        (ST_FIXTURES / "tiny-st-norm" / "model.safetensors").read_bytes())  # new weights, same folder
    from fineflow_desktop.services.retrieval import forget

    forget(workspace)
    embed_chunks(workspace)
    assert index_status(workspace)["version"] != before


def test_a_transformer_sentence_transformers_model_is_refused_by_name(workspace, tmp_path):
    """all-MiniLM-L6-v2's folder has config.json, model.safetensors and tokenizer.json at the top
    too, so only modules.json tells it apart; loading it used to fail with "File does not contain
    tensor embeddings"."""
    folder = tmp_path / "all-MiniLM-L6-v2"
    folder.mkdir()
    for f in ("config.json", "model.safetensors", "tokenizer.json", "config_sentence_transformers.json"):
        (folder / f).write_text("{}")
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]))
    problem = model_folder_problem(folder)
    assert "Transformer, Pooling modules" in problem and "PyTorch" in problem
    with pytest.raises(ConfigError, match="Transformer, Pooling"):
        set_ai_config(workspace, embedding_model=f"local:{folder}")
    assert embedding_model_problem(f"local:{folder}") and embedding_model_problem("fineflow-lsa-256") is None
