"""Cosine similarity of answers to reference answers with the workspace's offline embedder (the
one the RAG index uses, ``services.retrieval.resolve_embedder``; never downloads, never fits or
changes the index's model).

Which embedder (the label is stored with the comparison):

- ``fineflow-lsa`` with a fitted model that knows the comparison's words (TF-IDF coverage ≥ 0.7,
  the index's own refit rule): that model.
- WordLlama or a local static-embedding model folder: that model (offline weights).
- Otherwise — no index yet, an LSA model that has not seen these words (their vectors would be
  near zero and every cosine 0), or a remote embeddings endpoint (not offline) — a
  ``fineflow-lsa`` model fitted in memory on the comparison's own prompts, references and answers,
  not saved: the same method, scoped to these texts.
"""

from __future__ import annotations

from typing import Sequence

from fineflow_desktop.core.compare_scores import cosine_rows
from fineflow_desktop.core.embeddings import Embedder, EmbeddingError, OpenAICompatibleEmbedder
from fineflow_desktop.core.lsa import LsaEmbedder
from fineflow_desktop.services.retrieval import resolve_embedder

MIN_COVERAGE = 0.7  # as services.retrieval.vector_store: below it the LSA model is refitted


def comparison_embedder(ws, fit_texts: Sequence[str]) -> tuple[Embedder | None, str]:
    """``(embedder, label)`` for a comparison whose prompts, references and answers are
    *fit_texts*; ``(None, reason)`` when there is nothing to embed."""
    texts = [t for t in fit_texts if t and t.strip()]
    if not texts:
        return None, "no reference answers: no cosine"
    why = ""
    try:
        emb = resolve_embedder(ws, fit=False)
    except EmbeddingError as exc:
        emb, why = None, f"workspace embedder unavailable ({exc})"
    if isinstance(emb, OpenAICompatibleEmbedder):
        emb, why = None, "the workspace embedder is a remote endpoint"
    elif isinstance(emb, LsaEmbedder) and emb.coverage(texts) < MIN_COVERAGE:
        emb, why = None, "the index's LSA model does not know these texts' words"
    elif emb is None and not why:
        why = "no RAG index yet"
    if emb is not None:
        return emb, f"{emb.name}/{emb.version} (the RAG index's embedder)"
    fitted = LsaEmbedder.fit(texts)
    return fitted, f"{fitted.name} fitted on this comparison's {len(texts)} prompts, references and answers ({why})"


def cosines(embedder: Embedder, pairs: Sequence[tuple[str, str]]) -> list[float | None]:
    """Cosine (0..1) of each ``(answer, reference)``, None where a text embeds to a zero vector
    (``core.compare_scores.cosine_rows``); raises ``EmbeddingError`` from the embedder."""
    if not pairs:
        return []
    flat = [t for pair in pairs for t in pair]
    return cosine_rows(embedder.embed(flat))
