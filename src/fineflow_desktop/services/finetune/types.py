"""Plain value types of the fine-tuning services (Qt-free, safe to pass between threads).

Every type has ``to_dict()`` giving the JSON shape the CLI prints (``fineflow jobs show`` etc.,
issue 11's contract). Times are naive UTC ``datetime``s (like the rest of the store); money is
USD as ``float``; tokens are ``int``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


def _iso(t: datetime | None) -> str | None:
    return t.isoformat(timespec="seconds") if t else None


# -- errors -------------------------------------------------------------------------------------
class FineTuneError(RuntimeError):
    """Base of the fine-tuning service errors; the message is meant for the user as is."""


class JobNotFound(FineTuneError, LookupError):
    """No local job with that local id or provider job id."""


class LaunchRefused(FineTuneError):
    """A launch was refused before anything was created at the provider.

    ``reason`` is one of ``"budget"``, ``"validation"``, ``"credential"``, ``"provider"``,
    ``"input"``; ``details`` carries the numbers (budget) or the errors (validation) as plain
    values for the wizard to show.
    """

    def __init__(self, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.reason = reason
        self.details = details or {}


class BudgetExceeded(LaunchRefused):
    """Block mode and the estimate exceeds what is left of this month's budget.

    ``details`` = ``{"cost_usd", "limit", "spent_this_month", "remaining", "mode"}``.
    """

    def __init__(self, message: str, details: dict):
        super().__init__("budget", message, details)


class DatasetInvalid(LaunchRefused):
    """The dataset has validation errors. ``details["errors"]`` = list of
    ``{code, message, line, pair_id, field}`` (at most 200), ``details["error_count"]`` = all."""

    def __init__(self, message: str, details: dict):
        super().__init__("validation", message, details)


class CredentialRejected(LaunchRefused):
    """The credential is unknown, has no key, or the provider refused the key (checked before upload)."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__("credential", message, details)


# -- inputs -------------------------------------------------------------------------------------
@dataclass
class JobSpec:
    """What the user asked to launch (wizard steps 1–2, or ``fineflow jobs create``).

    ``dataset``: dataset id or name. ``credential``: credential name (its provider decides the
    adapter). ``model``: base model id. ``epochs`` / ``batch_size`` /
    ``learning_rate_multiplier``: a number or ``"auto"`` (provider default; ``"auto"`` epochs
    are estimated with the cookbook rule, ``core.finetune.epochs.auto_epochs``).
    ``validation_split``: fraction of pairs held out for validation (0 < F < 1) or ``None``;
    the split is made with ``split_seed`` (``services.finetune.split``) and can be replaced by
    an explicit ``split`` (e.g. after moving leaking pairs to one side). ``method``:
    ``"supervised"`` or ``"dpo"``. ``hyperparameters``: further provider-specific values keyed
    by ``HyperparameterSpec.name`` (e.g. Together ``lora``/``warmup_ratio``, DPO ``beta``).
    ``validated_only``: export only pairs marked validated.
    """

    dataset: int | str
    credential: str
    model: str
    method: str = "supervised"
    epochs: int | str = "auto"
    batch_size: int | str = "auto"
    learning_rate_multiplier: float | str = "auto"
    suffix: str | None = None
    seed: int | None = None
    validation_split: float | None = None
    split_seed: int = 0
    split: "SplitPlan | None" = None
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    validated_only: bool = False


@dataclass(frozen=True)
class HyperparameterSpec:
    """One hyperparameter the wizard renders for a provider (``hyperparameter_schema``).

    ``name``: the key in ``JobSpec`` (``epochs``, ``batch_size``, ``learning_rate_multiplier``)
    or in ``JobSpec.hyperparameters``. ``kind``: ``"int"``, ``"float"``, ``"bool"`` or
    ``"choice"``. ``default``: a value or ``"auto"``. ``minimum``/``maximum``: inclusive bounds
    or ``None`` (unknown: the provider publishes none). ``allows_auto``: ``"auto"`` is valid.
    ``methods``: the training methods it applies to. ``source``: where the range comes from.
    """

    name: str
    label: str
    kind: str
    default: Any = "auto"
    minimum: float | None = None
    maximum: float | None = None
    allows_auto: bool = True
    choices: tuple[str, ...] = ()
    methods: tuple[str, ...] = ("supervised", "dpo")
    help: str = ""
    source: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["choices"], d["methods"] = list(self.choices), list(self.methods)
        return d


@dataclass(frozen=True)
class BaseModel:
    """A tunable base model of a provider (editable data, ``core/finetune/data/base_models.json``)."""

    provider: str
    id: str
    label: str = ""
    methods: tuple[str, ...] = ("supervised",)
    context_tokens: int | None = None

    def to_dict(self) -> dict:
        return {**asdict(self), "methods": list(self.methods)}


# -- split / leakage ----------------------------------------------------------------------------
@dataclass
class SplitPlan:
    """A reproducible train/validation split of a dataset's pairs (ids, ascending)."""

    dataset_id: int
    train_pair_ids: list[int]
    validation_pair_ids: list[int]
    fraction: float
    seed: int

    def to_dict(self) -> dict:
        return {"dataset_id": self.dataset_id, "train": len(self.train_pair_ids),
                "validation": len(self.validation_pair_ids), "fraction": self.fraction, "seed": self.seed}


@dataclass(frozen=True)
class LeakagePair:
    """A near-duplicate pair across the split: ``train_pair_id`` ~ ``validation_pair_id``."""

    train_pair_id: int
    validation_pair_id: int
    similarity: float


@dataclass
class DatasetSummary:
    """Wizard step 1: size and token figures of a dataset and whether it may be launched.

    ``tokens`` = ``{"total", "min", "mean", "max"}`` per example; ``errors`` = first 200
    validation errors (``{code, message, line, pair_id, field}``), ``error_count`` = all.
    """

    dataset_id: int
    name: str
    pairs: int
    tokens: dict
    error_count: int
    errors: list[dict]
    warning_count: int

    @property
    def launchable(self) -> bool:
        return self.pairs > 0 and self.error_count == 0

    def to_dict(self) -> dict:
        return {**asdict(self), "launchable": self.launchable}


# -- estimate / budget --------------------------------------------------------------------------
@dataclass
class BudgetStatus:
    """This month's training budget. ``limit`` ``None`` = no budget set; ``mode`` ``warn``|``block``.

    ``spent_this_month``: actual cost of jobs created this (UTC calendar) month, or their
    estimate where the actual is unknown yet (cancelled/failed jobs count what they billed,
    estimated as 0 when unknown). ``remaining`` = ``limit - spent`` (``None`` without a limit).
    """

    limit: float | None
    spent_this_month: float
    remaining: float | None
    mode: str
    month: str  # "YYYY-MM"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class JobEstimate:
    """Wizard step 3 / ``fineflow jobs estimate``.

    ``examples``: training examples (after the split); ``validation_examples``;
    ``training_tokens``: tokens of one pass over the training file (each example capped at the
    model's limit, cookbook rule); ``epochs`` (resolved, ``"auto"`` → cookbook rule);
    ``billed_tokens`` = training_tokens × epochs; ``price_per_million`` USD per 1M training
    tokens from the price table (``None`` if the model has no price) and ``price_as_of``;
    ``cost_usd`` = billed_tokens / 1e6 × price (``None`` without price); ``budget``;
    ``allowed``: False when block mode and the cost exceeds what is left; ``warnings``: plain
    sentences (over budget in warn mode, no price…); ``provider_estimate``: the provider's own
    figure where its API has one (Together ``estimate-price``:
    ``{"cost_usd", "training_tokens", "allowed_to_proceed", "source"}``) else ``None``.
    """

    examples: int
    validation_examples: int
    training_tokens: int
    epochs: int
    billed_tokens: int
    price_per_million: float | None
    price_as_of: str | None
    cost_usd: float | None
    budget: BudgetStatus
    allowed: bool = True
    warnings: list[str] = field(default_factory=list)
    provider_estimate: dict | None = None
    provider: str = ""
    model: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["budget"] = self.budget.to_dict()
        return d


# -- jobs ---------------------------------------------------------------------------------------
@dataclass
class JobErrorInfo:
    """A job's error: the provider's ``code``/``message``/``param`` as is, plus a plain-words ``hint``."""

    code: str | None
    message: str
    param: str | None = None
    hint: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class JobRecord:
    """One fine-tuning job as stored locally (``fineflow jobs show`` without events/metrics).

    ``id``: local id. ``status``: FineFlow state (``core.finetune.states.STATES``);
    ``provider_status``: the provider's own string. ``files``: ``{"training_file",
    "validation_file"}`` provider file ids (``None`` until uploaded). ``hyperparameters``: as
    sent (``"auto"`` kept) merged with what the provider reports. ``progress``:
    ``{"step", "total_steps", "percent"}`` (values may be ``None``). ``marker``: the client
    marker sent in the job's metadata (crash-safe launch). ``deleted_at_provider``: the
    provider answers 404 for this job. ``estimated_finish``: provider's estimate (UTC) or
    ``None``. ``cost_estimate_usd`` at launch; ``cost_actual_usd`` when the provider reports
    it (else, once completed, billed tokens × price).
    """

    id: int
    provider: str
    credential: str
    model: str
    method: str
    status: str
    provider_status: str | None
    provider_job_id: str | None
    fine_tuned_model: str | None
    trained_tokens: int | None
    error: JobErrorInfo | None
    hyperparameters: dict
    files: dict
    suffix: str | None
    seed: int | None
    marker: str
    dataset_id: int | None
    dataset_name: str | None
    examples: int | None
    validation_examples: int | None
    progress: dict
    estimated_finish: datetime | None
    cost_estimate_usd: float | None
    cost_actual_usd: float | None
    deleted_at_provider: bool
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @property
    def terminal(self) -> bool:
        from fineflow_desktop.core.finetune.states import is_terminal

        return is_terminal(self.status)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["error"] = self.error.to_dict() if self.error else None
        for k in ("estimated_finish", "created_at", "updated_at", "finished_at"):
            d[k] = _iso(d[k])
        return d


@dataclass
class JobEvent:
    """One provider event of a job, stored once. ``provider_event_id`` is the provider's id or,
    where it has none, a stable hash of (type, created_at, message)."""

    id: int
    job_id: int
    provider_event_id: str
    created_at: datetime
    level: str
    type: str
    message: str
    data: dict | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["created_at"] = _iso(self.created_at)
        return d


@dataclass
class MetricPoint:
    """Training metrics at one step (one row per job and step; missing values are ``None``).

    Names follow OpenAI's ``metrics`` events / results CSV; Together's ``train/loss`` maps to
    ``train_loss`` and ``eval/loss`` to ``valid_loss``.
    """

    step: int
    train_loss: float | None = None
    valid_loss: float | None = None
    train_mean_token_accuracy: float | None = None
    valid_mean_token_accuracy: float | None = None
    full_valid_loss: float | None = None
    full_valid_mean_token_accuracy: float | None = None
    epoch: float | None = None
    learning_rate: float | None = None  # absolute (not a multiplier); local runs and Together

    def to_dict(self) -> dict:
        """The contract keys of ``fineflow jobs show`` (``step`` … ``full_valid_loss``, issue 11)."""
        return {"step": self.step, "train_loss": self.train_loss, "valid_loss": self.valid_loss,
                "train_mean_token_accuracy": self.train_mean_token_accuracy,
                "valid_mean_token_accuracy": self.valid_mean_token_accuracy,
                "full_valid_loss": self.full_valid_loss}

    def curve_dict(self) -> dict:
        """``to_dict`` plus ``epoch`` and ``learning_rate`` (``None`` where the provider reports
        none, e.g. OpenAI): the points of ``fineflow jobs compare``."""
        return {**self.to_dict(), "epoch": self.epoch, "learning_rate": self.learning_rate}


@dataclass
class Checkpoint:
    """A saved checkpoint of a job (from the provider, not stored)."""

    step: int | None
    model: str | None
    created_at: datetime | None
    metrics: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["created_at"] = _iso(self.created_at)
        return d


@dataclass
class StateTransition:
    """A stored change of a job's FineFlow state (``from_status`` ``None`` for the first)."""

    job_id: int
    from_status: str | None
    to_status: str
    provider_status: str | None
    at: datetime

    def to_dict(self) -> dict:
        d = asdict(self)
        d["at"] = _iso(self.at)
        return d


@dataclass
class PollResult:
    """What one poll of one job changed: ``job`` (fresh record), ``changed`` (state or provider
    status changed), ``new_events``, ``new_metrics`` (counts of rows added), ``error`` (message
    when this job's poll failed; the job is untouched then), ``retry_after_s`` (server's
    Retry-After when rate limited)."""

    job: JobRecord
    changed: bool = False
    new_events: int = 0
    new_metrics: int = 0
    error: str | None = None
    retry_after_s: float | None = None


@dataclass
class SyncReport:
    """One ``sync_jobs`` pass: per-job ``results``, ``reconciled`` (local ids of interrupted
    launches settled: found at the provider by marker, resumed, or failed),
    ``seconds`` wall time, ``next_delay_s`` the delay the poller should wait next (backoff with
    jitter after errors, honouring Retry-After; ``core.finetune.backoff``)."""

    results: list[PollResult] = field(default_factory=list)
    reconciled: list[int] = field(default_factory=list)
    seconds: float = 0.0
    next_delay_s: float = 30.0

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.results if r.error]

    def to_dict(self) -> dict:
        return {"polled": len(self.results), "changed": [r.job.id for r in self.results if r.changed],
                "new_events": sum(r.new_events for r in self.results),
                "new_metrics": sum(r.new_metrics for r in self.results),
                "errors": [{"id": r.job.id, "error": r.error} for r in self.results if r.error],
                "reconciled": self.reconciled, "seconds": round(self.seconds, 3),
                "next_delay_s": round(self.next_delay_s, 2)}
