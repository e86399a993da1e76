"""Text embedders behind one protocol: the offline model-free default, WordLlama, and any
OpenAI-compatible ``/v1/embeddings`` endpoint.

Every embedder returns L2-normalised float32 vectors, so inner product = cosine (FAISS
``IndexFlatIP``). ``key`` (name/version/dim) is stored with the index; a different key means
the vectors are not comparable and the index is rebuilt.

Default choice (see ``resources/licenses/WORDLLAMA-NOTICE.txt``): WordLlama's weights are a
trained compression of Llama 2 token embeddings; the Llama 2 Community License, section
1.b.v, forbids using the Llama Materials "or any output or results" of them to improve any
other large language model, which is what a fine-tuning-dataset tool does with deduplicated and
retrieved chunks. So the default is the model-free ``fineflow-lsa`` embedder (``core.lsa``) and
WordLlama is an explicit opt-in, and an optional extra (``pip install 'fineflow-desktop[wordllama]'``)
that the installers leave out (issue 13: 18 MB of weights for an embedder few should use);
``wordllama_problem`` says when it is missing.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import threading
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

WORDLLAMA_MODEL = "wordllama-l2-supercat-256"
LSA_MODEL = "fineflow-lsa-256"
COMPATIBLE_PREFIX = "openai-compatible:"
WORDLLAMA_EXTRA = "fineflow-desktop[wordllama]"
WORDLLAMA_MISSING = (
    f"WordLlama is not installed: it is an optional extra (pip install '{WORDLLAMA_EXTRA}'), left out "
    "of the installers because of its Llama 2 licence (WORDLLAMA-NOTICE.txt). Use fineflow-lsa-256, "
    "a local Model2Vec folder or an openai-compatible endpoint instead."
)


class EmbeddingError(RuntimeError):
    """An embedder cannot produce vectors; the message says which embedder and why."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape ``(len(texts), dim)``."""

    name: str
    version: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed *texts*; raises ``EmbeddingError`` on failure."""
        ...


def embedder_key(embedder: Embedder) -> str:
    """``name/version/dim``: vectors from embedders with different keys must not be mixed."""
    return f"{embedder.name}/{embedder.version}/{embedder.dim}"


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation to float32; all-zero rows stay zero (they match nothing)."""
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return v / norms


def wordllama_problem() -> str | None:
    """None when the ``wordllama`` package can be imported, else ``WORDLLAMA_MISSING`` (why the
    WordLlama embedder is unavailable and how to add it)."""
    try:
        found = importlib.util.find_spec("wordllama") is not None
    except (ImportError, ValueError):  # a broken or half-removed package counts as absent
        found = False
    return None if found else WORDLLAMA_MISSING


class WordLlamaEmbedder:
    """WordLlama ``l2_supercat`` 256-d (average-pooled token embeddings), fully offline.

    The weights (``wordllama/weights/l2_supercat_256.safetensors``, 16 MB) and the tokenizer
    (``wordllama/tokenizers/l2_supercat_tokenizer_config.json``) ship inside the wordllama
    wheel. ``WordLlama.load`` looks for the tokenizer under ``<package>/tokenizer/`` (singular)
    and otherwise downloads it from Hugging Face, so we pass ``cache_dir=<package folder>``
    (it then finds ``<package>/tokenizers/``) and ``disable_download=True``.
    Licence: see ``resources/licenses/WORDLLAMA-NOTICE.txt`` (opt-in only). Embedding raises
    ``EmbeddingError(WORDLLAMA_MISSING)`` when the optional extra is not installed.
    """

    name = "wordllama-l2-supercat"
    dim = 256
    TOKEN_BUDGET = 65_536  # padded tokens per batch: 64 MB of float32 activations

    def __init__(self, batch_size: int = 256):
        self.batch_size = batch_size
        try:
            self.version = importlib.metadata.version("wordllama")
        except importlib.metadata.PackageNotFoundError:
            self.version = "unknown"
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                root = logging.getLogger()
                handlers, level = list(root.handlers), root.level
                try:
                    # wordllama.inference calls logging.basicConfig(INFO) at import: undo it
                    import wordllama
                    from wordllama import WordLlama
                except ImportError as exc:
                    raise EmbeddingError(WORDLLAMA_MISSING) from exc
                finally:
                    root.handlers[:] = handlers
                    root.setLevel(level)
                pkg = Path(wordllama.__file__).resolve().parent
                try:
                    self._model = WordLlama.load(
                        config="l2_supercat", dim=self.dim, cache_dir=pkg, disable_download=True
                    )
                except (FileNotFoundError, OSError, ValueError) as exc:
                    raise EmbeddingError(f"WordLlama model files missing from {pkg}: {exc}") from exc
            return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed *texts* (any length; WordLlama does not truncate) -> ``(n, 256)`` float32.

        WordLlama pads each batch to its longest text and holds a (batch, tokens, 256) float32
        array: one 10k-token paragraph in a batch of 256 took 2.6 GB here. Texts are therefore
        sorted by length and batched under a budget of ``TOKEN_BUDGET`` padded tokens.
        """
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        start = 0
        while start < len(order):
            end = start + 1
            # ~4 characters per token; the batch's padded size is its last (longest) text
            while end < len(order) and end - start < self.batch_size and \
                    (end + 1 - start) * (len(texts[order[end]]) // 4 + 1) <= self.TOKEN_BUDGET:
                end += 1
            idx = order[start:end]
            out[idx] = np.asarray(model.embed([texts[i] for i in idx], norm=False, batch_size=len(idx)))
            start = end
        return l2_normalize(out)


class OpenAICompatibleEmbedder:
    """Any OpenAI-compatible ``POST {base_url}/embeddings`` endpoint (OpenAI, Ollama, vLLM...).

    ``base_url`` is required and always explicit (``OPENAI_BASE_URL`` in the environment must
    never redirect us, see ARCHITECTURE "Known traps"), e.g. ``http://localhost:11434/v1``.
    Request ``{"model", "input": [texts]}``; response ``{"data": [{"index", "embedding"}]}``
    (OpenAI API reference, "Create embeddings"). ``dim`` is learnt from the first response
    unless given. Raises ``EmbeddingError`` naming the URL and HTTP status.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        dim: int | None = None,
        batch_size: int = 64,
        timeout_s: float = 60.0,
        transport=None,
    ):
        if not base_url:
            raise EmbeddingError("an OpenAI-compatible embedder needs an explicit base URL")
        import httpx

        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = COMPATIBLE_PREFIX + model
        self.version = self.base_url
        self.dim = dim or 0
        self.batch_size = batch_size
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=self.base_url + "/", headers=headers, timeout=timeout_s, transport=transport
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed *texts* in batches of ``batch_size`` -> ``(n, dim)`` float32."""
        import httpx

        out: list[np.ndarray] = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            try:
                resp = self._client.post("embeddings", json={"model": self.model, "input": batch})
            except httpx.HTTPError as exc:
                raise EmbeddingError(f"{self.base_url}/embeddings: {exc}") from exc
            if resp.status_code != 200:
                detail = resp.text[:300]
                raise EmbeddingError(f"{self.base_url}/embeddings returned HTTP {resp.status_code}: {detail}")
            try:
                data = sorted(resp.json()["data"], key=lambda d: d["index"])
                vecs = np.array([d["embedding"] for d in data], dtype=np.float32)
            except (ValueError, KeyError, TypeError) as exc:
                raise EmbeddingError(f"{self.base_url}/embeddings: unexpected response ({exc})") from exc
            if vecs.ndim != 2 or len(vecs) != len(batch):
                raise EmbeddingError(
                    f"{self.base_url}/embeddings: asked for {len(batch)} embeddings, got {len(vecs)}"
                )
            if self.dim and vecs.shape[1] != self.dim:
                raise EmbeddingError(f"{self.base_url}/embeddings: expected {self.dim}-d vectors, got {vecs.shape[1]}-d")
            self.dim = vecs.shape[1]
            out.append(l2_normalize(vecs))
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(out)

    def close(self) -> None:
        self._client.close()
