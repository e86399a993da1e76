"""ORM models for providers: credentials, connection-test results, usage records, model prices.

Schema owned by migration ``0006_providers``. API keys are never stored here: a credential only
records whether a key was saved (``has_key``) and a masked hint (``sk-…wxyz``); the key itself
lives in the OS keyring (``providers/keys.py``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fineflow_desktop.store.models import Base, utcnow


class Credential(Base):
    """One way to reach a provider: kind, base URL, defaults, fallback priority, usage counters.

    ``provider`` is ``openai``, ``anthropic``, ``compatible`` or ``extractive``. ``is_default``
    is unique per provider (enforced by ``providers.credentials``); fallback order is default
    first, then ascending ``priority``, then id. ``concurrency`` = parallel requests a run may
    send with this credential (default 4, issue 4). Ids are never reused (AUTOINCREMENT) because
    the keyring entry name contains the id.
    """

    __tablename__ = "credentials"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    provider: Mapped[str] = mapped_column(String(32), index=True)
    base_url: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str] = mapped_column(String(256), default="")
    temperature: Mapped[float] = mapped_column(Float, default=0.7)
    max_tokens: Mapped[int] = mapped_column(Integer, default=1024)
    system_prompt: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    concurrency: Mapped[int] = mapped_column(Integer, default=4)
    has_key: Mapped[bool] = mapped_column(Boolean, default=False)
    key_hint: Mapped[str] = mapped_column(String(32), default="")  # masked, e.g. "sk-…wxyz"
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    n_calls: Mapped[int] = mapped_column(Integer, default=0)
    n_errors: Mapped[int] = mapped_column(Integer, default=0)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)


class PingResult(Base):
    """One level of one connection test (1 reach+auth, 2 model access, 3 end-to-end prompt).

    All levels of one test share ``test_id`` (a uuid hex) and ``created_at``.
    """

    __tablename__ = "ping_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credentials.id", ondelete="CASCADE"))
    test_id: Mapped[str] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    latency_ms: Mapped[float] = mapped_column(Float)
    model: Mapped[str] = mapped_column(String(256), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_ping_results_credential", "credential_id", "created_at"),)


class UsageRecord(Base):
    """One provider call: who, which model, tokens, latency (ms), cost (USD, None if unpriced)."""

    __tablename__ = "usage_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(256))
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id", ondelete="SET NULL"), nullable=True)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    cost_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    error_kind: Mapped[str] = mapped_column(String(64), default="")
    purpose: Mapped[str] = mapped_column(String(32), default="chat")  # chat, ping, generate, batch
    batch: Mapped[bool] = mapped_column(Boolean, default=False)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_usage_records_model", "provider", "model"),)


class ModelPrice(Base):
    """A dated list price per model in USD per million tokens; the user may edit or add rows.

    The price for a call is the row for (provider, model) with the latest ``effective_date`` on
    or before the call's date. ``batch_discount`` is the fraction paid for Batch API calls
    (0.5: both OpenAI Batch and Anthropic Message Batches bill half).
    """

    __tablename__ = "model_prices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(256))
    input_per_mtok: Mapped[float] = mapped_column(Float)
    output_per_mtok: Mapped[float] = mapped_column(Float)
    batch_discount: Mapped[float] = mapped_column(Float, default=0.5)
    effective_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("provider", "model", "effective_date", name="uq_model_prices_dated"),)
