"""ORM models of prompt templates, their immutable versions and the execution audit (migration 0005).

* ``Template``: the identity (unique ``slug``) plus the current metadata for lists and search.
  ``published_version_id`` points at the active published version, so generation finds it
  without scanning history (kept by ``services.templates``; no FK constraint because
  templates <-> template_versions would be a cycle SQLite cannot ALTER in).
* ``TemplateVersion``: body + metadata snapshot; never edited after insert except ``status``
  (draft -> preview -> published) and ``published_at``.
* ``PromptExecution``: one model call made from a template version (preview or generation),
  with its context, rendered prompt, provider/model/parameters, outcome and feedback. Only the
  credential's *name* is stored, never a key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fineflow_desktop.store.models import Base, utcnow


class Template(Base):
    """A prompt template. ``mode`` is the generation mode it serves (qa, instruction, ...) or None."""

    __tablename__ = "templates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(256))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    output_format: Mapped[str] = mapped_column(String(16), default="text")  # text|json|markdown|html
    mode: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    published_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class TemplateVersion(Base):
    """An immutable saved state of a template; ``number`` counts 1, 2, ... per template."""

    __tablename__ = "template_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("templates.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(256))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    output_format: Mapped[str] = mapped_column(String(16), default="text")
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft|preview|published
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(128), default="")
    parent_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("template_versions.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (UniqueConstraint("template_id", "number", name="uq_template_versions_number"),)


class PromptExecution(Base):
    """One execution of a template version against a model.

    ``status``: pending -> processing -> completed | failed. ``duration_ms`` is wall time of the
    provider call; token counts are the provider's. ``feedback`` is -1, 0 or +1.
    ``rerun_of_id`` links a re-run with identical parameters; ``regenerated_from_id`` a run with
    changed context or model. ``run_id`` is the generation run (None for previews).
    """

    __tablename__ = "prompt_executions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("templates.id", ondelete="CASCADE"))
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id", ondelete="CASCADE"))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    rendered_prompt: Mapped[str] = mapped_column(Text, default="")
    provider: Mapped[str] = mapped_column(String(64), default="")
    credential_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    model: Mapped[str] = mapped_column(String(128), default="")
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    output: Mapped[str | None] = mapped_column(Text, nullable=True)
    input_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    output_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_context: Mapped[dict] = mapped_column(JSON, default=dict)
    is_preview: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback: Mapped[int] = mapped_column(Integer, default=0)
    rerun_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompt_executions.id", ondelete="SET NULL"), nullable=True
    )
    regenerated_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompt_executions.id", ondelete="SET NULL"), nullable=True
    )
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (
        Index("ix_prompt_executions_template", "template_id", "created_at"),
        Index("ix_prompt_executions_version", "template_version_id"),
        Index("ix_prompt_executions_status", "template_id", "status"),
        Index("ix_prompt_executions_model", "template_id", "model"),
        Index("ix_prompt_executions_run", "run_id"),
    )
