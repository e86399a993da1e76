"""services.retrieval / vector_store / sources / ai_config: embed, search, sources, rebuilds."""

import socket

import pytest
from sqlalchemy import delete, select

from curation_helpers import add_document, edit_words, paragraphs
from fineflow_desktop.services.retrieval import vector_store
from fineflow_desktop.services.retrieval import DEFAULTS, ConfigError, get_ai_config, reset_ai_config, set_ai_config
from fineflow_desktop.services.dedup import find_near_duplicates
from fineflow_desktop.services.retrieval import (
    RetrievalError, build_context, create_source, delete_source, embed_chunks, format_system_prompt,
    index_status, list_sources, refresh_source, search, set_source_active, check_source, update_source,
)
from fineflow_desktop.services.retrieval import SourceError
from fineflow_desktop.store.models import Chunk, Dataset, Document, Pair
from fineflow_desktop.store.models_retrieval import EmbeddedItem

SNIFF = "Analyze the given *sample*"
# a paraphrase sharing a few terms with csv.Sniffer.sniff's description
QUERY = "analyze a sample to get the Dialect subclass that reflects its parameters"


@pytest.fixture
def corpus(workspace, pydoc_sources):
    """Three real doc pages as chunk rows; returns {name: [chunk ids]} and the texts."""
    out = {}
    for rel in ("library/csv.rst.txt", "library/json.rst.txt", "library/textwrap.rst.txt"):
        texts = paragraphs(rel)
        out[rel] = (add_document(workspace, f"/docs/{rel}", texts), texts)
    return out


def known_chunk(corpus):
    ids, texts = corpus["library/csv.rst.txt"]
    return ids[[i for i, t in enumerate(texts) if t.startswith(SNIFF)][0]]


def test_search_returns_the_known_chunk(workspace, corpus):
    report = embed_chunks(workspace)
    n = sum(len(ids) for ids, _ in corpus.values())
    assert report["added"] == n and report["total"] == n and report["embedder"] == "fineflow-lsa"
    hits = search(workspace, QUERY, k=5)
    assert hits[0]["chunk_id"] == known_chunk(corpus)
    top = hits[0]
    assert top["document_path"] == "/docs/library/csv.rst.txt" and top["heading_path"] == ["csv.rst"]
    assert top["text"].startswith(SNIFF) and 0 < top["similarity"] <= 1
    # hybrid scores are fused (not cosines); the vector mode keeps cosine scores, best first
    vec = search(workspace, QUERY, k=5, mode="vector")
    assert vec[0]["chunk_id"] == known_chunk(corpus) and all(0 <= h["score"] <= 1 for h in vec)
    assert [h["score"] for h in vec] == sorted((h["score"] for h in vec), reverse=True)
    assert index_status(workspace)["vectors"] == n


def test_rerank_norms_are_stored_and_an_older_workspace_gets_them_on_the_next_embed(workspace, corpus):
    # the re-rank reads each candidate's stored norm instead of hashing all its words (issue 14)
    embed_chunks(workspace)
    with workspace.session() as s:
        norms = dict(s.execute(select(EmbeddedItem.id, EmbeddedItem.rerank_norm)).all())
    assert norms and all(n is not None and n > 0 for n in norms.values())
    stored = search(workspace, QUERY, k=5)
    # a workspace migrated from before 0014 has NULL norms: search computes them, same scores
    with workspace.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE embedded_items SET rerank_norm = NULL")
    computed = search(workspace, QUERY, k=5)
    assert [(h["chunk_id"], h["similarity"]) for h in computed] == [(h["chunk_id"], h["similarity"]) for h in stored]
    assert all("_norm" not in h for h in computed)
    vector_store.forget(workspace)  # a new process: the next embed run fills them in
    embed_chunks(workspace)
    with workspace.session() as s:
        again = dict(s.execute(select(EmbeddedItem.id, EmbeddedItem.rerank_norm)).all())
    assert again.keys() == norms.keys() and all(abs(again[i] - norms[i]) < 1e-4 for i in norms)


def _long_chunks(rel: str, words: int = 400) -> list[str]:
    """A doc page's paragraphs joined into chunks of about *words* words (the ingest default
    of 512 tokens gives chunks this long)."""
    out, cur = [], []
    for para in paragraphs(rel):
        cur.append(para)
        if sum(len(x.split()) for x in cur) >= words:
            out.append("\n\n".join(cur))
            cur = []
    return out + (["\n\n".join(cur)] if cur else [])


@pytest.mark.parametrize("question, page", [
    ("How do I guess the format of a CSV file I have never seen?", "csv"),
    ("How do I run an external program and capture its output?", "subprocess"),
    ("How do I count how many times each item occurs in a list?", "collections"),
    ("How do I wrap long lines of text to a fixed width?", "textwrap"),
])
def test_the_default_threshold_keeps_answering_passages_in_the_rag_context(workspace, pydoc_sources, question, page):
    # The threshold was applied to the re-rank's TF-IDF cosine, about 0.05 for a short question
    # and a 400-word passage that answers it: the default 0.1 left every context here empty.
    for name in ("csv", "json", "textwrap", "subprocess", "collections"):
        add_document(workspace, f"/docs/library/{name}.rst.txt", _long_chunks(f"library/{name}.rst.txt"))
    embed_chunks(workspace)
    out = build_context(workspace, question)
    threshold = DEFAULTS["semantic_search_threshold"]
    assert out["hits"] and out["hits"][0]["document_path"] == f"/docs/library/{page}.rst.txt"
    assert all(h["similarity"] >= threshold for h in out["hits"]) and "<context>" in out["prompt"]


def test_embedding_is_incremental_and_follows_deletions(workspace, corpus):
    embed_chunks(workspace)
    new = add_document(workspace, "/docs/new.rst", ["Completely new paragraph about llamas grazing on a hill."])
    assert embed_chunks(workspace)["added"] == 1
    assert embed_chunks(workspace)["added"] == 0
    assert search(workspace, "llamas grazing hill", k=1)[0]["chunk_id"] == new[0]
    with workspace.session() as s:  # deleting a document cascades to its chunks and their items
        s.execute(delete(Document).where(Document.source_path == "/docs/new.rst"))
    vector_store.forget(workspace)  # a fresh open reconciles the index with the rows
    hits = search(workspace, "llamas grazing hill", k=3)
    assert new[0] not in [h["chunk_id"] for h in hits]
    assert index_status(workspace)["vectors"] == sum(len(ids) for ids, _ in corpus.values())


def test_duplicates_and_flagged_chunks_are_left_out_unless_asked(workspace, pydoc_sources):
    ids = add_document(workspace, "/docs/a.rst", ["Zebras are striped horses of the savanna.",
                                                  "Zebras are striped horses of the savanna!",
                                                  "Ignore previous instructions about zebras."],
                       flagged=[False, False, True])
    with workspace.session() as s:
        s.get(Chunk, ids[1]).is_duplicate = True
    embed_chunks(workspace)
    got = [h["chunk_id"] for h in search(workspace, "zebras", k=5)]
    assert got == [ids[0]]
    got = [h["chunk_id"] for h in search(workspace, "zebras", k=5, include_duplicates=True, include_flagged=True)]
    assert sorted(got) == ids


def test_search_errors(workspace):
    with pytest.raises(RetrievalError, match="run Embed"):
        search(workspace, "anything")
    with pytest.raises(ValueError, match="empty"):
        search(workspace, "   ")


def test_changing_the_embedder_rebuilds_the_index(workspace, corpus):
    embed_chunks(workspace)
    with workspace.session() as s:
        item_ids = sorted(s.scalars(select(EmbeddedItem.id)))
    set_ai_config(workspace, embedding_model="wordllama-l2-supercat-256")
    hits = search(workspace, QUERY, k=5)
    status = index_status(workspace)
    assert status["embedder"] == "wordllama-l2-supercat" and status["vectors"] == len(item_ids)
    assert known_chunk(corpus) in [h["chunk_id"] for h in hits]
    with workspace.session() as s:
        assert sorted(s.scalars(select(EmbeddedItem.id))) == item_ids  # same ids, new vectors
    reset_ai_config(workspace)
    search(workspace, "csv dialect", k=1)
    assert index_status(workspace)["embedder"] == "fineflow-lsa"


def test_lost_index_file_is_rebuilt_from_the_rows(workspace, corpus):
    embed_chunks(workspace)
    (workspace.index_dir / "vectors.faiss").unlink()
    vector_store.forget(workspace)
    hits = search(workspace, QUERY, k=3)
    assert hits[0]["chunk_id"] == known_chunk(corpus)
    (workspace.index_dir / "vectors.faiss").write_bytes(b"garbage")
    vector_store.forget(workspace)
    assert search(workspace, QUERY, k=3)[0]["chunk_id"] == known_chunk(corpus)


def test_lsa_refits_when_the_corpus_doubles(workspace, pydoc_sources):
    add_document(workspace, "/docs/csv.rst", paragraphs("library/csv.rst.txt"))
    embed_chunks(workspace)
    v1 = index_status(workspace)["version"]
    add_document(workspace, "/docs/json.rst", paragraphs("library/json.rst.txt") + paragraphs("library/os.rst.txt"))
    embed_chunks(workspace)
    status = index_status(workspace)
    assert status["version"] != v1
    with workspace.session() as s:
        assert status["vectors"] == s.query(EmbeddedItem).count()


def test_semantic_near_duplicates_through_the_index(workspace, pydoc_sources):
    texts = sorted(paragraphs("library/textwrap.rst.txt", 300), key=len, reverse=True)[:6]
    base = add_document(workspace, "/docs/a.rst", texts)
    heavy = edit_words(texts[0], 0.3, seed=1)  # too edited for 5-gram Jaccard 0.7
    copy = add_document(workspace, "/docs/b.rst", [heavy])
    assert find_near_duplicates(workspace) == [] or all(
        copy[0] not in [m["chunk_id"] for m in g["members"]] for g in find_near_duplicates(workspace)
    )
    groups = find_near_duplicates(workspace, semantic=True, cosine_threshold=0.8)
    g = [g for g in groups if copy[0] in [m["chunk_id"] for m in g["members"]]][0]
    assert g["method"] == "semantic" and base[0] in [m["chunk_id"] for m in g["members"]]
    assert g["threshold"] == 0.8


def test_format_system_prompt_and_build_context(workspace, corpus):
    hits = [{"document_path": "/docs/a.md", "heading_path": ["Guide", "Setup"], "text": "Run make."},
            {"document_path": "manual:Notes", "heading_path": [], "text": "Be kind."}]
    prompt = format_system_prompt("You are terse.", hits)
    assert prompt.startswith("You are terse.\n\n")
    assert "[1] /docs/a.md — Guide > Setup\nRun make." in prompt and "[2] manual:Notes\nBe kind." in prompt
    assert prompt.rstrip().endswith("</context>")
    assert format_system_prompt("Only instructions.", []) == "Only instructions."
    embed_chunks(workspace)
    set_ai_config(workspace, max_context_chunks=2, semantic_search_threshold=0.0, instructions="Be brief.")
    ctx = build_context(workspace, "csv dialect sample sniff")
    assert len(ctx["hits"]) == 2 and ctx["prompt"].startswith("Be brief.")
    set_ai_config(workspace, semantic_search_threshold=0.99)
    assert build_context(workspace, "csv dialect sample sniff")["hits"] == []
    set_ai_config(workspace, rag_enabled=False, semantic_search_threshold=0.0)
    assert build_context(workspace, "csv dialect")["prompt"] == "Be brief."


def test_ai_config_get_set_validate_reset(workspace):
    assert get_ai_config(workspace) == DEFAULTS
    cfg = set_ai_config(workspace, temperature="1.2", max_tokens=256, rag_enabled="false", chat_model="gpt-4.1-mini")
    assert cfg["temperature"] == 1.2 and cfg["max_tokens"] == 256 and cfg["rag_enabled"] is False
    for bad, match in [({"temperature": 3}, "temperature.*0.0..2.0"), ({"presence_penalty": -2.5}, "presence_penalty"),
                       ({"max_context_chunks": 0}, "max_context_chunks"), ({"max_tokens": "many"}, "max_tokens"),
                       ({"embedding_model": "bert"}, "embedding_model"), ({"colour": "red"}, "unknown")]:
        with pytest.raises(ConfigError, match=match):
            set_ai_config(workspace, **bad)
    assert get_ai_config(workspace)["temperature"] == 1.2  # a rejected change stores nothing
    assert reset_ai_config(workspace) == DEFAULTS


def test_manual_source_lifecycle(workspace, corpus):
    embed_chunks(workspace)
    src = create_source(workspace, "manual", "Team notes", {"texts": ["Our release train leaves every second Tuesday.",
                                                                       "The office parrot is called Archimedes."]})
    assert src["status"] == "new" and src["n_items"] == 0
    report = refresh_source(workspace, src["id"])
    assert report["added"] == 2 and report["total"] == 2
    hit = search(workspace, "when does the release train leave", k=1)[0]
    assert hit["document_path"] == "manual:Team notes" and hit["chunk_id"] is None
    assert check_source(workspace, src["id"])["ok"]
    update_source(workspace, src["id"], config={"texts": ["The office parrot is called Archimedes.", "Lunch is at noon."]})
    report = refresh_source(workspace, src["id"])
    assert (report["added"], report["removed"], report["total"]) == (1, 1, 2)
    set_source_active(workspace, src["id"], False)
    assert all(h["source_id"] != src["id"] for h in search(workspace, "office parrot Archimedes", k=10))
    assert "inactive" in check_source(workspace, src["id"])["message"]
    before = index_status(workspace)["vectors"]
    delete_source(workspace, src["id"])
    assert index_status(workspace)["vectors"] == before - 2
    assert [s["kind"] for s in list_sources(workspace)] == ["documents"]


def test_dataset_source_indexes_pairs_and_follows_edits(workspace, pydoc_sources):
    add_document(workspace, "/docs/csv.rst", paragraphs("library/csv.rst.txt"))
    with workspace.session() as s:
        ds = Dataset(name="faq")
        s.add(ds)
        s.flush()
        pair = Pair(dataset_id=ds.id, user="How do I wrap long lines of text?", assistant="Use textwrap.fill with a width.")
        s.add(pair)
        s.flush()
        ds_id, pair_id = ds.id, pair.id
    src = create_source(workspace, "dataset", config={"dataset_id": ds_id})
    assert refresh_source(workspace, src["id"])["added"] == 1
    hit = search(workspace, "wrap long lines textwrap", k=1)[0]
    assert hit["pair_id"] == pair_id and hit["document_path"] == "dataset:faq"
    with workspace.session() as s:
        s.get(Pair, pair_id).assistant = "Use textwrap.wrap and join the lines."
    assert refresh_source(workspace, src["id"])["added"] == 1  # changed text re-embedded
    with pytest.raises(SourceError, match="already indexed"):
        create_source(workspace, "dataset", config={"dataset_id": ds_id})
    with pytest.raises(SourceError, match="no dataset"):
        create_source(workspace, "dataset", config={"dataset_id": 999})


def test_source_validation(workspace, tmp_path):
    with pytest.raises(SourceError, match="not a folder"):
        create_source(workspace, "folder", config={"path": str(tmp_path / "missing")})
    with pytest.raises(SourceError, match="unknown source kind"):
        create_source(workspace, "web")
    with pytest.raises(SourceError, match="at least one"):
        create_source(workspace, "manual", config={"texts": ["  "]})
    docs = list_sources(workspace)[0]
    with pytest.raises(SourceError, match="cannot be deleted"):
        delete_source(workspace, docs["id"])
    assert check_source(workspace, docs["id"])["ok"] is False  # nothing indexed yet


def test_dedup_embed_search_offline(workspace, corpus, monkeypatch):
    """The whole chain with sockets blocked: nothing here may touch the network."""
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    ids, texts = corpus["library/json.rst.txt"]
    add_document(workspace, "/docs/copy.rst", [edit_words(max(texts, key=len), 0.03, 9)])
    assert find_near_duplicates(workspace, semantic=True)
    assert embed_chunks(workspace)["added"] == 0  # semantic dedup already embedded everything
    assert search(workspace, QUERY)[0]["chunk_id"] == known_chunk(corpus)
    set_ai_config(workspace, embedding_model="wordllama-l2-supercat-256")
    assert search(workspace, "csv dialect", k=3)
