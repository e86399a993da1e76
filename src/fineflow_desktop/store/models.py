"""SQLAlchemy 2 ORM models of the workspace database (``workspace.db``).

The schema is owned by the Alembic migrations in ``store/migrations/versions``; these classes
must stay in step with them (``tests/test_migrations.py`` compares the two).
Feature areas add their tables in their own ``models_*.py`` module on the same ``Base``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """Timezone-aware UTC now (stored as naive UTC by SQLite)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base shared by every model module."""


class Document(Base):
    """One imported file. ``status`` is ``ready`` or ``error`` (then ``error`` says why)."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_path: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(32))  # file type: md, rst, html, txt, json, ...
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    # sha256 of the raw bytes; NULL when the file could not even be read.
    content_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    encoding: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="ready")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    n_chunks: Mapped[int] = mapped_column(Integer, default=0)
    n_tokens: Mapped[int] = mapped_column(Integer, default=0)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Chunk(Base):
    """A token-bounded piece of a document with its heading path (list of headings)."""

    __tablename__ = "chunks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    heading_path: Mapped[list] = mapped_column(JSON, default=list)
    n_tokens: Mapped[int] = mapped_column(Integer)
    # sha256 of the normalized text (core.dedup.normalize_for_hash); exact-duplicate key.
    norm_hash: Mapped[str] = mapped_column(String(64), index=True)
    is_duplicate: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    # Curation (migration 0003). quality: 0-1 score from core.quality; quality_signals: name ->
    # {value, threshold, ok}; injection_flags: [{"reason", "match"}] from core.injection.
    quality: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)
    quality_signals: Mapped[dict] = mapped_column(JSON, default=dict)
    injection_flags: Mapped[list] = mapped_column(JSON, default=list)
    is_flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    near_dup_group_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)


class Dataset(Base):
    """A named collection of training pairs with its target model."""

    __tablename__ = "datasets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    system_prompt: Mapped[str] = mapped_column(Text, default="")
    target_model: Mapped[str] = mapped_column(String(128), default="gpt-4o-mini")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Pair(Base):
    """One training example.

    Single-turn pairs use ``system``/``user``/``assistant``; multi-turn examples keep the
    full OpenAI-style message list in ``messages`` (then authoritative) and mirror the first
    system/user/assistant turn into the text columns for display and search.
    ``source`` is ``extractive``, ``generated``, ``imported`` or ``manual``.
    """

    __tablename__ = "pairs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(Text, default="")
    assistant: Mapped[str] = mapped_column(Text, default="")
    messages: Mapped[list | None] = mapped_column(JSON, nullable=True)
    n_tokens: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(16), default="manual")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), nullable=True)
    chunk_id: Mapped[int | None] = mapped_column(ForeignKey("chunks.id", ondelete="SET NULL"), nullable=True)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    # Review (migration 0002).
    validated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Rejected in review: kept and shown, left out of validation and export, reversible.
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    quality: Mapped[float | None] = mapped_column(Float, nullable=True)
    quality_signals: Mapped[dict] = mapped_column(JSON, default=dict)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    # sha256 of the canonical message list: re-import / re-generation dedupe key.
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    template_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_pairs_dataset_id", "dataset_id", "id"),
        Index("ix_pairs_dataset_tokens", "dataset_id", "n_tokens"),
        Index("ix_pairs_dataset_hash", "dataset_id", "content_hash"),
        Index("ix_pairs_dataset_quality", "dataset_id", "quality"),
        Index("ix_pairs_dataset_validated", "dataset_id", "validated"),
        Index("ix_pairs_run_chunk", "run_id", "chunk_id"),
    )


class Setting(Base):
    """Workspace-level key/value settings (JSON values), e.g. the model token-limit table."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[dict | list | str | int | float | None] = mapped_column(JSON, nullable=True)
