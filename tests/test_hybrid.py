"""Hybrid retrieval: the BM25 keyword index stays in step with the FAISS index (same ids, same
deletions, re-ingest), and hybrid hits say which retriever found them."""

import shutil

import pytest
from sqlalchemy import delete, select, update

from curation_helpers import add_document, paragraphs
from fineflow_desktop.core.fusion import reciprocal_rank_fusion
from fineflow_desktop.core.keyword_query import match_expression, query_terms
from fineflow_desktop.services.retrieval import (
    create_source, delete_source, embed_chunks, forget, open_index, refresh_source, search,
)
from fineflow_desktop.services.retrieval.keyword import keyword_search
from fineflow_desktop.store.keyword_index import FTS_TABLE
from fineflow_desktop.store.models import Chunk, Document
from fineflow_desktop.store.models_retrieval import EmbeddedItem


def fts_ids(ws) -> set[int]:
    with ws.engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql(f"SELECT rowid FROM {FTS_TABLE}")}


def item_ids(ws) -> set[int]:
    with ws.session() as s:
        return set(s.scalars(select(EmbeddedItem.id)))


def assert_in_step(ws):
    """Keyword rows, item rows and FAISS vectors carry the same ids."""
    handle = open_index(ws, create=False, fit=False)
    assert fts_ids(ws) == item_ids(ws) == set(handle.index.ids().tolist())


@pytest.fixture
def corpus(workspace, pydoc_sources):
    for rel in ("library/csv.rst.txt", "library/json.rst.txt", "library/textwrap.rst.txt"):
        add_document(workspace, f"/docs/{rel}", paragraphs(rel), headings=None)
    embed_chunks(workspace)
    return workspace


def test_query_terms_drop_question_words_and_quote_safely():
    assert query_terms("How do I run an external program and capture its output?") == [
        "run", "external", "program", "capture", "output"]
    assert query_terms("What is __init__ for?") == ["__init__"]
    assert match_expression('say "NEAR" OR x') == '"say" OR "near" OR "x"'
    assert match_expression("how do I?") == ""


def test_reciprocal_rank_fusion_sums_reciprocal_ranks():
    fused = reciprocal_rank_fusion({"keyword": [("a", 9.0), ("b", 5.0)], "vector": [("b", 0.9), ("c", 0.8)]}, k=60)
    assert [f.key for f in fused] == ["b", "a", "c"]
    assert fused[0].score == pytest.approx(1 / 62 + 1 / 61)
    assert fused[0].retrievers == {"keyword": {"rank": 2, "score": 5.0}, "vector": {"rank": 1, "score": 0.9}}
    weighted = reciprocal_rank_fusion({"keyword": [("a", 1.0)], "vector": [("c", 1.0)]}, {"keyword": 0.5})
    assert [f.key for f in weighted] == ["c", "a"]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion({"keyword": []}, {"keyword": -1.0})


def test_keyword_index_follows_adds_and_deletes(corpus):
    ws = corpus
    assert_in_step(ws)
    new = add_document(ws, "/docs/llamas.rst", ["Llamas graze on the Altiplano in small herds."], headings=[["Camelids"]])
    assert embed_chunks(ws)["added"] == 1
    assert_in_step(ws)
    hit = search(ws, "where do llamas graze", k=1, mode="keyword")[0]
    assert hit["chunk_id"] == new[0] and hit["heading_path"] == ["Camelids"]
    with ws.session() as s:  # deleting the document cascades to chunk, item and keyword row
        s.execute(delete(Document).where(Document.source_path == "/docs/llamas.rst"))
    forget(ws)
    assert_in_step(ws)
    assert keyword_search(ws, "llamas Altiplano", 5) == []


def test_keyword_row_follows_a_chunk_edit(corpus):
    ws = corpus
    with ws.session() as s:
        cid = s.scalar(select(Chunk.id).order_by(Chunk.id).limit(1))
        s.execute(update(Chunk).where(Chunk.id == cid).values(text="Zeppelins float over the harbour."))
    hit = search(ws, "zeppelins harbour", k=1, mode="keyword")[0]
    assert hit["chunk_id"] == cid
    assert_in_step(ws)


def test_manual_source_items_are_keyword_searchable_and_deleted_with_it(corpus):
    ws = corpus
    src = create_source(ws, "manual", "Notes", {"texts": ["The office parrot is called Archimedes."]})
    refresh_source(ws, src["id"])
    assert_in_step(ws)
    hit = search(ws, "what is the parrot called", k=1, mode="keyword")[0]
    assert hit["document_path"] == "manual:Notes"
    delete_source(ws, src["id"])
    assert_in_step(ws)
    assert keyword_search(ws, "parrot Archimedes", 5) == []


def test_reingesting_a_changed_folder_replaces_keyword_rows(workspace, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    page = folder / "boats.md"
    page.write_text("# Boats\n\nA catamaran has two parallel hulls joined by a deck.\n", encoding="utf-8")
    src = create_source(workspace, "folder", "notes", {"path": str(folder)})
    refresh_source(workspace, src["id"])
    assert_in_step(workspace)
    assert search(workspace, "boat with two hulls", k=1)[0]["document_path"] == str(page)
    page.write_text("# Boats\n\nA trimaran has three hulls: a main hull and two outriggers.\n", encoding="utf-8")
    refresh_source(workspace, src["id"])
    forget(workspace)
    assert_in_step(workspace)
    assert keyword_search(workspace, "catamaran", 5) == []
    hit = search(workspace, "boat with three hulls", k=1)[0]
    assert "trimaran" in hit["text"] and hit["heading_path"] == ["Boats"]
    shutil.rmtree(folder)


def test_lost_keyword_rows_are_rebuilt_on_open(corpus):
    ws = corpus
    with ws.engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM {FTS_TABLE}")
    forget(ws)
    assert_in_step(ws)


def test_hybrid_hits_say_which_retriever_found_them(corpus):
    ws = corpus
    hits = search(ws, "How do I detect the dialect of a CSV file?", k=10)
    assert hits and all(h["document_path"].endswith("csv.rst.txt") for h in hits[:1])
    for h in hits:
        found = {name for name, r in h["retrievers"].items() if r is not None}
        assert h["found_by"] == ("both" if len(found) == 2 else found.pop())
        for r in h["retrievers"].values():
            assert r is None or (r["rank"] >= 1 and isinstance(r["score"], float))
    assert any(h["found_by"] == "both" for h in hits)
    pages = [h["document_path"] for h in hits]
    assert len(set(pages[:3])) == min(3, len(set(pages)))  # the first 3 hits show different pages
    kw = search(ws, "Sniffer dialect", k=3, mode="keyword")
    assert all(h["found_by"] == "keyword" and h["retrievers"]["vector"] is None for h in kw)
    vec = search(ws, "Sniffer dialect", k=3, mode="vector")
    assert all(h["found_by"] == "vector" and 0.0 <= h["score"] <= 1.0 for h in vec)
    with pytest.raises(ValueError, match="unknown search mode"):
        search(ws, "x", mode="fuzzy")


def test_matched_terms_come_from_the_keyword_index_with_stemming(corpus):
    ws = corpus
    hits = search(ws, "How is the dialect sniffed from a sample?", k=5)
    assert hits and all(isinstance(h["matched_terms"], list) for h in hits)
    top = hits[0]
    assert "dialect" in top["matched_terms"]
    from fineflow_desktop.core.keyword_query import term_spans

    spans = term_spans(top["text"], top["matched_terms"])
    assert spans and all(top["text"][a:b].lower() in top["matched_terms"] for a, b in spans)
    assert term_spans("Dialects and a dialect.", ["dialect"]) == [(15, 22)]


def test_page_boost_and_pages_first():
    from fineflow_desktop.core.fusion import Fused, page_boost, pages_first

    items = [Fused("a1", 1.0), Fused("a2", 0.9), Fused("b1", 0.95), Fused("c1", 0.1), Fused("a3", 0.5)]
    page = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "c1": "C"}
    boosted = page_boost(items, page, 0.5)
    assert [f.key for f in boosted][:2] == ["a1", "a2"] and boosted[0].score == pytest.approx(1.0 + 0.5 * 2.4)
    assert [f.key for f in pages_first(boosted, page, n=3)] == ["a1", "b1", "c1", "a2", "a3"]
    assert [f.key for f in pages_first(boosted, page, n=1)] == [f.key for f in boosted]
    # a text with no page (manual text, pair) keeps its place by its own score
    note = [Fused("note", 0.97)]
    mixed = page_boost(sorted(items + note, key=lambda f: -f.score), page, 0.5)
    assert [f.key for f in mixed] == ["a1", "note", "a2", "a3", "b1", "c1"]


def test_prune_terms_keeps_the_rare_words_or_the_rarest():
    from fineflow_desktop.services.retrieval.keyword import PRUNE_MIN_ROWS, prune_terms

    n = 100 * PRUNE_MIN_ROWS  # large enough that the share, not the floor, decides
    df = {"file": n // 4, "line": n // 10, "sniffer": 3, "dialect": n // 50}
    assert prune_terms(["file", "sniffer", "dialect"], df, n, 0.05) == ["sniffer", "dialect"]
    assert prune_terms(["file", "line"], df, n, 0.05) == ["line"]  # all common: the rarest
    assert prune_terms(["file", "unknown"], df, n, 0.05) == ["unknown"]  # absent word: df 0
    assert prune_terms([], df, n) == []
    # a small index keeps every word: no posting list is long enough to cost time
    assert prune_terms(["file", "line"], {"file": 400, "line": 300}, 1000, 0.05) == ["file", "line"]


def test_document_frequencies_count_rows_as_fts5_stems_words(corpus):
    from fineflow_desktop.services.retrieval.keyword import document_frequencies

    ws = corpus
    with ws.engine.connect() as conn:
        df = document_frequencies(conn, ["dialects", "dialect", "zzyzxq"])
        direct = conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'dialect'").scalar_one()
    assert df["dialects"] == df["dialect"] == direct > 0  # Porter: "dialects" -> "dialect"
    assert df["zzyzxq"] == 0


def test_limited_keyword_candidates_hold_a_rare_word_and_keep_the_top(corpus, monkeypatch):
    """With the floor lowered, a common word no longer makes a row a candidate, but every
    word still scores the candidates (the rare ones twice): the plain OR query's best row
    among the candidates stays near the top."""
    import fineflow_desktop.services.retrieval.keyword as kw

    ws = corpus
    n = open_index(ws, create=False, fit=False).index.n_live
    question = "How do I detect the dialect of a CSV file?"
    with ws.engine.connect() as conn:
        df = kw.document_frequencies(conn, query_terms(question))
    monkeypatch.setattr(kw, "PRUNE_MIN_ROWS", 0)
    limit = sorted(df.values())[1] / n  # the rarest word alone is "rare"
    rare = kw.prune_terms(query_terms(question), df, n, limit)
    assert 0 < len(rare) < len(df)
    plain = keyword_search(ws, question, 50, n_rows=n, prune=None)
    limited = keyword_search(ws, question, 50, n_rows=n, prune=limit)
    assert limited and len(limited) < len(plain)
    with ws.engine.connect() as conn:
        holders = {r[0] for r in conn.exec_driver_sql(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (match_expression(" ".join(rare)),))}
    assert {i for i, _ in limited} <= holders
    best = next(i for i, _ in plain if i in holders)
    assert best in [i for i, _ in limited[:5]]


def test_hits_carry_text_and_no_internal_fields(corpus):
    hits = search(corpus, "How do I detect the dialect of a CSV file?", k=3)
    for h in hits:
        assert h["text"] and h["document_path"] and "_filled" not in h and "active" not in h
        assert h["similarity"] is not None  # the LSA re-rank scored every returned hit
