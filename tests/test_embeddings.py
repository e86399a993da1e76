"""core.embeddings / core.lsa: the offline embedders and the OpenAI-compatible client."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pytest

from curation_helpers import paragraphs
from fineflow_desktop.core.embeddings import (
    Embedder, EmbeddingError, OpenAICompatibleEmbedder, WordLlamaEmbedder, embedder_key,
)
from fineflow_desktop.core.lsa import LsaEmbedder


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails (loopback included)."""
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def docs():
    return paragraphs("library/csv.rst.txt") + paragraphs("library/json.rst.txt") + paragraphs("library/textwrap.rst.txt")


def test_lsa_fit_embed_save_load_roundtrip(tmp_path, docs, pydoc_sources):
    model = LsaEmbedder.fit(docs)
    assert isinstance(model, Embedder)
    v = model.embed(docs[:5] + [""])
    assert v.shape == (6, 256) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v[:5], axis=1), 1.0, atol=1e-5)
    assert not v[5].any()  # an empty text is the zero vector: it matches nothing
    model.save(tmp_path / "m.npz")
    again = LsaEmbedder.load(tmp_path / "m.npz")
    assert again.version == model.version and embedder_key(again) == embedder_key(model)
    assert np.allclose(again.embed(docs[:3]), model.embed(docs[:3]), atol=1e-6)


def test_lsa_rerank_prefers_the_matching_text(docs, pydoc_sources):
    model = LsaEmbedder.fit(docs)
    scores = model.rerank("what does a non-negative integer indent level do to array elements", docs)
    best = docs[int(np.argmax(scores))]
    assert "indent" in best and scores.max() <= 1.0


def test_lsa_rerank_counts_only_the_querys_own_words(docs):
    # "packages" and the pair "how do" share a hashed bucket (CRC-32 mod 2^15): the old re-rank,
    # a cosine of hashed rows, scored a text of "packages" for the query "how do"
    import zlib

    from fineflow_desktop.core.lsa import N_FEATURES

    assert zlib.crc32(b"packages") % N_FEATURES == zlib.crc32(b"how do") % N_FEATURES
    model = LsaEmbedder.fit(docs)
    scores = model.rerank("how do", ["install packages packages", "how do I do this", "nothing shared here"])
    assert scores[0] == 0.0 and scores[1] > 0 and scores[2] == 0.0


def test_lsa_rerank_with_stored_norms_equals_computed_ones(docs):
    model = LsaEmbedder.fit(docs)
    texts = docs[:40] + [""]
    vectors, norms = model.embed_with_norms(texts)
    assert np.array_equal(vectors, model.embed(texts)) and norms.shape == (41,) and norms[-1] == 0.0
    assert np.allclose(norms, model.norms(texts))
    query = "what does a non-negative integer indent level do to array elements"
    given = model.rerank(query, texts, norms.tolist())
    partly = model.rerank(query, texts, [None if i % 2 else float(n) for i, n in enumerate(norms)])
    assert np.allclose(given, model.rerank(query, texts)) and np.allclose(given, partly)
    assert given[-1] == 0.0 and given.max() <= 1.0


def test_lsa_fit_runs_its_svd_on_one_blas_thread_and_restores_the_default(monkeypatch, docs):
    # OpenBLAS's own threads spin against the ingest worker processes (bench/bench_lsa_threads.py)
    from threadpoolctl import threadpool_info

    from fineflow_desktop.core import lsa

    def blas_threads() -> set[int]:
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    seen = []
    real = lsa._randomized_svd
    monkeypatch.setattr(lsa, "_randomized_svd", lambda *a: seen.append(blas_threads()) or real(*a))
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=2, user_api="blas"):  # as a user's machine would be (tests pin 1)
        LsaEmbedder.fit(docs)
        assert blas_threads() == {2}
    assert seen == [{1}]


def test_lsa_refuses_empty_corpus():
    with pytest.raises(ValueError, match="no text"):
        LsaEmbedder.fit(["", "   "])


def test_wordllama_loads_and_embeds_with_network_blocked(no_network, pydoc_sources, docs):
    wl = WordLlamaEmbedder()
    v = wl.embed(["How do I read a CSV file?", docs[0], "Chocolate cake with strawberries"])
    assert v.shape == (3, 256) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert wl.version == "0.4.0.post1"


class _FakeEmbeddings(BaseHTTPRequestHandler):
    """Loopback stand-in for ``POST /v1/embeddings`` answering like the OpenAI API."""

    requests: list = []

    def do_POST(self):  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, self.headers.get("Authorization"), body))
        if body["model"] == "bad":
            payload = {"error": {"message": "The model `bad` does not exist", "type": "invalid_request_error"}}
            data = json.dumps(payload).encode()
            self.send_response(404)
        else:
            items = [
                {"object": "embedding", "index": i, "embedding": [float(len(t)), 1.0, 0.0, float(i)]}
                for i, t in enumerate(body["input"])
            ]
            items.reverse()  # the API does not promise order: the client sorts by index
            data = json.dumps({"object": "list", "data": items, "model": body["model"],
                               "usage": {"prompt_tokens": 3, "total_tokens": 3}}).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_server():
    _FakeEmbeddings.requests = []
    server = HTTPServer(("127.0.0.1", 0), _FakeEmbeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


def test_openai_compatible_embedder_against_loopback(fake_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://10.255.255.1/v1")  # must be ignored
    emb = OpenAICompatibleEmbedder(fake_server, "nomic-embed-text", api_key="sk-test", batch_size=2)
    v = emb.embed(["a", "bbb", "cc"])
    assert v.shape == (3, 4) and emb.dim == 4
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0)
    assert v[1][0] > v[0][0]  # order restored by index
    path, auth, body = _FakeEmbeddings.requests[0]
    assert path == "/v1/embeddings" and auth == "Bearer sk-test"
    assert body == {"model": "nomic-embed-text", "input": ["a", "bbb"]}
    assert len(_FakeEmbeddings.requests) == 2  # batches of 2
    assert emb.name == "openai-compatible:nomic-embed-text"
    emb.close()


def test_openai_compatible_errors_are_clear(fake_server):
    with pytest.raises(EmbeddingError, match="HTTP 404.*does not exist"):
        OpenAICompatibleEmbedder(fake_server, "bad").embed(["x"])
    with pytest.raises(EmbeddingError, match="explicit base URL"):
        OpenAICompatibleEmbedder("", "m")
    with pytest.raises(EmbeddingError, match="127.0.0.1:9"):
        OpenAICompatibleEmbedder("http://127.0.0.1:9/v1", "m", timeout_s=2).embed(["x"])


def test_compatible_embeddings_use_the_key_of_the_settings_credential_for_that_server(workspace):
    """The key for an embeddings endpoint comes from the AI Settings credential with the same
    base URL (keyring, not the database); without one the server's 401 is a clear error."""
    from fakes.openai_fake import OpenAIFake
    from fineflow_desktop.providers.credentials import create_credential
    from fineflow_desktop.services.retrieval import set_ai_config
    from fineflow_desktop.services.retrieval.vector_store import embedding_credential, resolve_embedder

    with OpenAIFake(api_key="sk-local-embed-5678") as fake:
        set_ai_config(workspace, embedding_model="openai-compatible:text-embedding-3-small", embedding_base_url=fake.base_url)
        assert embedding_credential(workspace, fake.base_url) is None
        with pytest.raises(EmbeddingError, match="401"):
            resolve_embedder(workspace).embed(["alpha"])
        create_credential(workspace, name="other", provider="compatible", base_url="http://127.0.0.1:9/v1", model="m",
                          api_key="sk-wrong-server-0000")
        create_credential(workspace, name="vllm", provider="compatible", base_url=fake.base_url + "/", model="m",
                          api_key="sk-local-embed-5678")
        assert embedding_credential(workspace, fake.base_url).name == "vllm"  # trailing slash ignored
        v = resolve_embedder(workspace).embed(["alpha", "beta"])
        assert v.shape[0] == 2 and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
        assert fake.requests_to("/embeddings")[-1].headers["authorization"] == "Bearer sk-local-embed-5678"
        assert fake.violations == []
