"""The ``FineTuningProvider`` protocol and the plain values adapters return.

Adapters translate SDK objects into these values at the boundary, so services and the store
never see SDK types. Errors are ``providers.base`` errors (``error_map.sdk_errors``):
``AuthError`` (key refused), ``RateLimitError`` (``retry_after``), ``ServerError`` /
``TransientError`` (poll again later), ``BadRequestError``; plus ``FineTuneNotFound`` for a 404
on a job (deleted at the provider or never created). Messages are scrubbed of keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from fineflow_desktop.providers.base import BadRequestError

MARKER_KEY = "fineflow_marker"  # metadata key carrying the client marker (crash-safe launch)


class FineTuneNotFound(BadRequestError):
    """404 for a job: deleted at the provider, or never created."""


def parse_time(value) -> datetime | None:
    """Naive UTC ``datetime`` from an ISO-8601 string (``Z`` allowed), an aware/naive datetime or
    Unix seconds; ``None`` for empty or unparseable values."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc).replace(tzinfo=None)
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc).replace(tzinfo=None)
    except ValueError:
        return None


@dataclass
class RemoteJob:
    """A job as the provider reports it, normalised. ``status`` is the provider's own string;
    ``error`` = ``{"code", "message", "param"}`` or ``None``; ``progress`` = ``{"step",
    "total_steps", "percent"}`` where known; ``metadata`` includes the client marker;
    ``cost_usd``: the provider's charge or price where it reports one."""

    id: str
    status: str
    model: str | None = None
    fine_tuned_model: str | None = None
    trained_tokens: int | None = None
    training_file: str | None = None
    validation_file: str | None = None
    hyperparameters: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    error: dict | None = None
    created_at: datetime | None = None
    finished_at: datetime | None = None
    estimated_finish: datetime | None = None
    progress: dict = field(default_factory=dict)
    result_files: list[str] = field(default_factory=list)
    cost_usd: float | None = None
    raw: dict = field(default_factory=dict)


@dataclass
class RemoteEvent:
    """One provider event. ``id``: provider id or stable hash; ``metrics``: a metrics point carried
    by the event (OpenAI ``type == "metrics"``: ``{step, train_loss, …}``) or ``None``."""

    id: str
    created_at: datetime
    level: str
    type: str
    message: str
    data: dict | None = None
    metrics: dict | None = None


@dataclass
class RemoteCheckpoint:
    step: int | None
    model: str | None
    created_at: datetime | None
    metrics: dict = field(default_factory=dict)


@dataclass
class JobRequest:
    """What an adapter sends to create a job (hyperparameters as FineFlow names; ``"auto"``
    values are omitted or sent as the provider's own auto)."""

    model: str
    training_file: str
    validation_file: str | None
    method: str = "supervised"
    epochs: int | str = "auto"
    batch_size: int | str = "auto"
    learning_rate_multiplier: float | str = "auto"
    suffix: str | None = None
    seed: int | None = None
    marker: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class FineTuningProvider(Protocol):
    """One provider's fine-tuning API. Every method may raise the errors in this module."""

    name: str  # "openai" | "together" | "fireworks"
    training_format: str  # export format the provider wants for "supervised" (``core.formats.writers``)
    dpo_format: str | None  # export format for "dpo", or None when DPO is not offered

    def check_key(self) -> None:
        """Cheap authenticated call; ``AuthError`` if the key is refused."""

    def upload_file(self, path: Path, purpose: str = "fine-tune") -> str:
        """Upload a training/validation file; returns the provider's file (or dataset) id."""

    def create_job(self, request: JobRequest) -> RemoteJob:
        """Create the job with ``request.marker`` in its metadata (or name, where no metadata)."""

    def retrieve_job(self, job_id: str) -> RemoteJob:
        """The job now; ``FineTuneNotFound`` for 404."""

    def list_jobs(self, marker: str | None = None, limit: int = 100) -> list[RemoteJob]:
        """Recent jobs, only those carrying *marker* when given (filtered server-side where the
        API can, else client-side over the listed pages)."""

    def find_by_marker(self, marker: str) -> RemoteJob | None:
        """The job created with *marker*, or ``None`` (used before any create after a crash)."""

    def cancel_job(self, job_id: str) -> RemoteJob:
        """Ask to cancel; returns the job as the provider reports it afterwards."""

    def events(self, job_id: str, after: str | None = None) -> list[RemoteEvent]:
        """Events newer than the event id *after* (all when ``None``), oldest first."""

    def metrics(self, job_id: str, job: RemoteJob | None = None) -> list[dict]:
        """Metric points ``{step, train_loss, valid_loss, …}`` from the provider's metrics source
        (OpenAI: the results CSV once finished; Together: ``/metrics``); may be empty."""

    def checkpoints(self, job_id: str) -> list[RemoteCheckpoint]:
        """Saved checkpoints, newest first."""

    def pause_job(self, job_id: str) -> RemoteJob:
        """Pause (OpenAI); ``NotImplementedError`` where not offered."""

    def resume_job(self, job_id: str) -> RemoteJob:
        """Resume a paused job (OpenAI, Fireworks ``:resume``); ``NotImplementedError`` where not offered."""

    def delete_model(self, model: str, job_id: str | None = None) -> str:
        """Ask the provider to delete fine-tuned *model* (made by provider job *job_id*, if known);
        returns what was deleted, in words. ``NotImplementedError`` (message = why, for the user)
        where the API offers no such call; ``FineTuneNotFound`` when the provider has no such model."""

    def close(self) -> None:
        """Release the HTTP client."""
