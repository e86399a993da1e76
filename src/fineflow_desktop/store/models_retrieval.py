"""ORM models for near-duplicate groups, embedding sources, the vector index and the AI config.

Schema owned by migration ``0005_retrieval``. The FAISS index file itself lives in
``ws.index_dir``; SQLite holds what the vectors mean (``EmbeddedItem``: vector id -> chunk,
pair or manual text) and which embedder made them (``VectorIndexState``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fineflow_desktop.store.models import Base, utcnow


class NearDupGroup(Base):
    """A group of near-duplicate chunks with one kept representative.

    ``method`` is ``minhash`` (character 5-gram Jaccard) or ``semantic`` (embedding cosine; a
    group linked by at least one embedding-only pair). ``members`` is a list of
    ``{"chunk_id", "similarity", "keep", "user_set"}`` (similarity to the representative;
    ``user_set`` marks the user's keep/drop choice, carried over when dedup runs again).
    ``similarity`` is the lowest member similarity, ``threshold`` the one used.
    """

    __tablename__ = "near_dup_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(16))
    representative_chunk_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    members: Mapped[list] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)
    similarity: Mapped[float] = mapped_column(Float, default=0.0)
    threshold: Mapped[float] = mapped_column(Float, default=0.7)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EmbeddingSource(Base):
    """Where indexed texts come from.

    ``kind``: ``documents`` (every chunk of the workspace not claimed by a folder source),
    ``folder`` (config ``{"path"}``; re-scanned through ingest on refresh), ``dataset`` (config
    ``{"dataset_id"}``; its pairs' user + assistant text) or ``manual`` (config ``{"texts": [..]}``).
    Inactive sources stay indexed but are skipped by search. ``status``: ``new``, ``ok`` or
    ``error`` (``message`` says why).
    """

    __tablename__ = "embedding_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16))
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_refresh: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="new")
    message: Mapped[str] = mapped_column(Text, default="")
    n_items: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EmbeddedItem(Base):
    """One vector in the FAISS index; ``id`` is the FAISS id.

    Exactly one of ``chunk_id`` (a chunk), ``pair_id`` (a dataset pair) or ``text`` (manual
    text) identifies the content. ``text_hash`` is the sha256 of the embedded text, so a
    changed text is re-embedded. A chunk has at most one vector (unique index).
    """

    __tablename__ = "embedded_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("embedding_sources.id", ondelete="CASCADE"), index=True)
    chunk_id: Mapped[int | None] = mapped_column(
        ForeignKey("chunks.id", ondelete="CASCADE"), nullable=True, unique=True
    )
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), nullable=True, index=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # migration 0014: the L2 norm of the embedded text's TF-IDF row under the current
    # fineflow-lsa model (the re-rank's denominator); NULL for other embedders or not yet known
    rerank_norm: Mapped[float | None] = mapped_column(Float, nullable=True)


class VectorIndexState(Base):
    """The workspace's FAISS index: which embedder made it and its shape (single row, id 1).

    ``kind`` is ``flat`` (exact ``IndexFlatIP``) or ``hnsw``; ``n_tombstones`` counts removed
    ids still inside an HNSW graph (search skips them; a rebuild drops them).
    """

    __tablename__ = "vector_index_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    embedder: Mapped[str] = mapped_column(String(128))
    embedder_version: Mapped[str] = mapped_column(String(128))
    dim: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="flat")
    file_name: Mapped[str] = mapped_column(String(256), default="")
    n_vectors: Mapped[int] = mapped_column(Integer, default=0)
    n_tombstones: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class AiConfig(Base):
    """The workspace's AI settings (seed 000 ``WorkspaceAiConfig``); a single row, id 1.

    Defaults live in ``services.retrieval.DEFAULTS``. ``semantic_search_threshold`` is the
    lowest cosine a retrieved chunk needs to enter the RAG context.
    """

    __tablename__ = "ai_config"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instructions: Mapped[str] = mapped_column(Text, default="")
    chat_model: Mapped[str] = mapped_column(String(128))
    embedding_model: Mapped[str] = mapped_column(String(128))
    embedding_base_url: Mapped[str] = mapped_column(String(512), default="")
    temperature: Mapped[float] = mapped_column(Float)
    max_tokens: Mapped[int] = mapped_column(Integer)
    frequency_penalty: Mapped[float] = mapped_column(Float)
    presence_penalty: Mapped[float] = mapped_column(Float)
    rag_enabled: Mapped[bool] = mapped_column(Boolean)
    semantic_search_threshold: Mapped[float] = mapped_column(Float)
    max_context_chunks: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
