"""ORM models of the fine-tuned model catalog and of model comparisons (issue 12).

Schema owned by migration ``0011_model_catalog``. A catalog row is a model id usable for chat
through a credential: from a completed fine-tuning job (``source="job"``), one of its checkpoints
(``"checkpoint"``) or added by id (``"added"``). A comparison stores its two models, parameters,
one row per prompt (answers, errors, automatic scores, the user's vote) and a summary.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fineflow_desktop.store.models import Base, utcnow


class CatalogModel(Base):
    """One model of the catalog. ``status``: ``active`` | ``archived`` | ``deleted`` (hidden; kept
    for its comparisons and so a job's model is not added back); ``credential_name``: the
    credential that reaches it (never a key); ``job_id``: the fine-tuning job that made it."""

    __tablename__ = "catalog_models"
    __table_args__ = (UniqueConstraint("provider", "model_id", name="uq_catalog_models_provider_model"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[str] = mapped_column(String(512))
    provider: Mapped[str] = mapped_column(String(32))
    credential_name: Mapped[str] = mapped_column(String(128), default="")
    base_model: Mapped[str | None] = mapped_column(String(256), nullable=True)
    job_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    dataset_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    dataset_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="job")
    checkpoint_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_comparison_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ModelComparison(Base):
    """Model A vs model B over a set of prompts. ``params``: temperature, max_tokens, limit,
    prompt source; ``summary``: per-model score means, closer-to-reference counts, win rate."""

    __tablename__ = "model_comparisons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_a: Mapped[str] = mapped_column(String(512))
    model_b: Mapped[str] = mapped_column(String(512))
    credential_a: Mapped[str] = mapped_column(String(128))
    credential_b: Mapped[str] = mapped_column(String(128))
    prompt_source: Mapped[str] = mapped_column(String(512), default="")
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="running")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ComparisonRow(Base):
    """One prompt of a comparison: the prompt messages, the reference answer (when the prompt
    came from a dataset), both answers or their errors, scores ``{"a": {...}, "b": {...}}``,
    the vote ``a`` | ``b`` | ``tie`` | None."""

    __tablename__ = "comparison_rows"
    __table_args__ = (UniqueConstraint("comparison_id", "idx", name="uq_comparison_rows_idx"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comparison_id: Mapped[int] = mapped_column(ForeignKey("model_comparisons.id", ondelete="CASCADE"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[list] = mapped_column(JSON)
    reference: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer_a: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer_b: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_a: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_b: Mapped[str | None] = mapped_column(Text, nullable=True)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    vote: Mapped[str | None] = mapped_column(String(8), nullable=True)
