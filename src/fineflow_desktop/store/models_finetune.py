"""ORM models of fine-tuning jobs: jobs, state transitions, events, metrics; budget and price
overrides live in ``settings`` (keys ``finetune.budget`` and ``finetune.prices``).

Schema owned by migration ``0009_finetune_jobs``. A job row is written *before* any upload
(status ``pending``, a fresh ``marker``); ``launch_stage`` records how far the launch got so a
restart can reconcile it (``services.finetune.launch``). Events are unique per
(job, provider_event_id) and metrics per (job, step): an insert that repeats one is ignored,
so polls that overlap or retry never duplicate rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fineflow_desktop.store.models import Base, utcnow


class FineTuneJob(Base):
    """One fine-tuning job launched from this workspace.

    ``status``: FineFlow state (``core.finetune.states``); ``provider_status``: the provider's
    string. ``credential_name``: never the key. ``launch_stage``: ``created`` once the provider
    job id is stored; before that ``new`` / ``exported`` / ``uploaded`` (crash-safe launch).
    ``request``: the ``JobSpec`` as plain values plus export paths; ``files``: provider file ids.
    """

    __tablename__ = "finetune_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    marker: Mapped[str] = mapped_column(String(64), unique=True)
    provider: Mapped[str] = mapped_column(String(32), index=True)
    credential_name: Mapped[str] = mapped_column(String(128))
    base_url: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str] = mapped_column(String(256))
    method: Mapped[str] = mapped_column(String(16), default="supervised")
    dataset_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    dataset_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    provider_job_id: Mapped[str | None] = mapped_column(String(256), nullable=True, unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    provider_status: Mapped[str | None] = mapped_column(String(64), nullable=True)
    launch_stage: Mapped[str] = mapped_column(String(16), default="new")
    request: Mapped[dict] = mapped_column(JSON, default=dict)
    hyperparameters: Mapped[dict] = mapped_column(JSON, default=dict)
    files: Mapped[dict] = mapped_column(JSON, default=dict)
    suffix: Mapped[str | None] = mapped_column(String(64), nullable=True)
    seed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    examples: Mapped[int | None] = mapped_column(Integer, nullable=True)
    validation_examples: Mapped[int | None] = mapped_column(Integer, nullable=True)
    training_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    epochs: Mapped[int | None] = mapped_column(Integer, nullable=True)
    trained_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fine_tuned_model: Mapped[str | None] = mapped_column(String(256), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(128), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_param: Mapped[str | None] = mapped_column(String(128), nullable=True)
    progress: Mapped[dict] = mapped_column(JSON, default=dict)
    estimated_finish: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cost_estimate_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    cost_actual_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    price_per_million: Mapped[float | None] = mapped_column(Float, nullable=True)
    deleted_at_provider: Mapped[bool] = mapped_column(Boolean, default=False)
    last_event_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class FineTuneTransition(Base):
    """A change of a job's FineFlow state, with its time and the provider status that caused it."""

    __tablename__ = "finetune_transitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("finetune_jobs.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    provider_status: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FineTuneEvent(Base):
    """A provider event of a job, stored once (unique job + provider event id or stable hash)."""

    __tablename__ = "finetune_events"
    __table_args__ = (UniqueConstraint("job_id", "provider_event_id", name="uq_finetune_events_job_event"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("finetune_jobs.id", ondelete="CASCADE"))
    provider_event_id: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    level: Mapped[str] = mapped_column(String(16), default="info")
    type: Mapped[str] = mapped_column(String(64), default="message")
    message: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class FineTuneMetric(Base):
    """Training metrics of one job at one step (unique job + step)."""

    __tablename__ = "finetune_metrics"
    __table_args__ = (UniqueConstraint("job_id", "step", name="uq_finetune_metrics_job_step"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("finetune_jobs.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer)
    train_loss: Mapped[float | None] = mapped_column(Float, nullable=True)
    valid_loss: Mapped[float | None] = mapped_column(Float, nullable=True)
    train_mean_token_accuracy: Mapped[float | None] = mapped_column(Float, nullable=True)
    valid_mean_token_accuracy: Mapped[float | None] = mapped_column(Float, nullable=True)
    full_valid_loss: Mapped[float | None] = mapped_column(Float, nullable=True)
    full_valid_mean_token_accuracy: Mapped[float | None] = mapped_column(Float, nullable=True)
    epoch: Mapped[float | None] = mapped_column(Float, nullable=True)
    # migration 0013: LLaMA-Factory ``lr``, HF Trainer ``learning_rate``, Together ``train/learning_rate``
    learning_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
