"""ORM models of LLM generation runs and their per-chunk work items (migration ``0007``).

A run is dataset × credential × model × mode × pairs per chunk × system prompt × source filter.
Every selected chunk gets one ``WorkItem`` (``pending → running → done | failed``) so nothing is
lost across crashes: the item and its pairs are written in one transaction; pairs carry
``run_id`` + ``chunk_id``. Batch runs keep the provider's batch ids in ``batch_state`` so a
pending batch survives app restarts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fineflow_desktop.store.models import Base, utcnow

# Run statuses: created (items written, never started), running, cancelled (stopped by the
# user, items left pending), batch_pending (waiting on a provider batch), completed (every item
# done), partial (finished with failed items), failed (could not run at all, see ``error``).
RUN_STATUSES = ("created", "running", "cancelled", "batch_pending", "completed", "partial", "failed")
ITEM_STATES = ("pending", "running", "done", "failed")


class GenerationRun(Base):
    """One generation run. Counts (``n_*``) are a snapshot refreshed when the run stops;
    live counts come from ``work_items``."""

    __tablename__ = "generation_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(32))
    # Plain ids (no FK): the run keeps its history if the credential is deleted later.
    credential_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    credential_name: Mapped[str] = mapped_column(String(128), default="")
    model: Mapped[str] = mapped_column(String(256))
    mode: Mapped[str] = mapped_column(String(16))
    pairs_per_chunk: Mapped[int] = mapped_column(Integer, default=3)
    system_prompt: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(32), nullable=True)
    temperature: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_filter: Mapped[dict] = mapped_column(JSON, default=dict)
    concurrency: Mapped[int] = mapped_column(Integer, default=4)
    is_batch: Mapped[bool] = mapped_column(Boolean, default=False)
    batch_state: Mapped[dict] = mapped_column(JSON, default=dict)  # {"batches": [{"id", "status", ...}]}
    status: Mapped[str] = mapped_column(String(16), default="created", index=True)
    estimate: Mapped[dict] = mapped_column(JSON, default=dict)
    n_items: Mapped[int] = mapped_column(Integer, default=0)
    n_done: Mapped[int] = mapped_column(Integer, default=0)
    n_failed: Mapped[int] = mapped_column(Integer, default=0)
    n_pairs: Mapped[int] = mapped_column(Integer, default=0)
    n_rejected: Mapped[int] = mapped_column(Integer, default=0)
    template_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # "host:pid" of the process executing the run and its last sign of life, so a run left
    # "running" by a crash is recognised (dead pid or stale heartbeat) and offered for Resume.
    runner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class WorkItem(Base):
    """One chunk of one run. ``attempts`` counts claims; ``last_error`` is key-masked;
    ``answered_by`` is the credential id whose reply was stored; ``rejects`` counts dropped
    candidate pairs by reason."""

    __tablename__ = "work_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("generation_runs.id", ondelete="CASCADE"))
    chunk_id: Mapped[int] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    n_pairs: Mapped[int] = mapped_column(Integer, default=0)
    rejects: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("run_id", "chunk_id", name="uq_work_items_run_chunk"),
        Index("ix_work_items_run_state", "run_id", "state"),
    )
