"""FineFlow job states and the one table mapping every provider's status strings to them.

States (issue 11, from the requirements): ``pending → uploading → validating → queued →
training → completed``, plus ``failed``, ``cancelled``, ``paused``. ``pending`` and
``uploading`` are FineFlow's own (before the provider has a job).

Provider strings (sources: ``shared/specs/FINE-TUNING-APIS.md``):
- OpenAI ``FineTuningJob.status`` (openai-openapi.yaml): ``validating_files, queued, running,
  succeeded, failed, cancelled``; ``paused`` and ``pausing``/``resuming`` seen in practice (the
  status is an open string, issue 11).
- Together ``FinetuneJobStatus`` [TS L11342] plus the v1 SDK's ``user_error`` [TP].
- Fireworks ``JOB_STATE_*`` [FS types/supervised_fine_tuning_job.py] plus ``JOB_STATE_DELETED``
  and ``JOB_STATE_ARCHIVED`` from the 5.10.0 docs [FD].

An unknown string maps to ``None`` from ``lookup`` and ``map_status`` keeps the job's current
state (never guesses a terminal state); callers log it once.
"""

from __future__ import annotations

PENDING, UPLOADING, VALIDATING, QUEUED, TRAINING = "pending", "uploading", "validating", "queued", "training"
COMPLETED, FAILED, CANCELLED, PAUSED = "completed", "failed", "cancelled", "paused"

STATES = (PENDING, UPLOADING, VALIDATING, QUEUED, TRAINING, COMPLETED, FAILED, CANCELLED, PAUSED)
TERMINAL = frozenset({COMPLETED, FAILED, CANCELLED})
# Order of the happy path, for "has this job gone past X" checks and progress badges.
ORDER = {s: i for i, s in enumerate((PENDING, UPLOADING, VALIDATING, QUEUED, TRAINING, COMPLETED))}

STATUS_TABLE: dict[str, dict[str, str]] = {
    "openai": {
        "validating_files": VALIDATING,
        "queued": QUEUED,
        "running": TRAINING,
        "pausing": TRAINING,
        "paused": PAUSED,
        "resuming": TRAINING,
        "succeeded": COMPLETED,
        "failed": FAILED,
        "cancelled": CANCELLED,
        "cancelling": TRAINING,
    },
    "together": {
        "pending": QUEUED,  # accepted by Together, waiting for a slot
        "queued": QUEUED,
        "running": TRAINING,
        "compressing": TRAINING,  # post-training steps of the job
        "uploading": TRAINING,  # Together uploads the trained model; not our file upload
        "cancel_requested": TRAINING,
        "cancelled": CANCELLED,
        "error": FAILED,
        "user_error": FAILED,  # v1 SDK only, not in the spec
        "completed": COMPLETED,
    },
    "fireworks": {
        "JOB_STATE_UNSPECIFIED": PENDING,
        "JOB_STATE_CREATING": QUEUED,
        "JOB_STATE_CREATING_INPUT_DATASET": VALIDATING,
        "JOB_STATE_VALIDATING": VALIDATING,
        "JOB_STATE_PENDING": QUEUED,
        "JOB_STATE_RE_QUEUEING": QUEUED,
        "JOB_STATE_IDLE": QUEUED,
        "JOB_STATE_RUNNING": TRAINING,
        "JOB_STATE_WRITING_RESULTS": TRAINING,
        "JOB_STATE_CANCELLING": TRAINING,
        "JOB_STATE_PAUSED": PAUSED,
        "JOB_STATE_COMPLETED": COMPLETED,
        "JOB_STATE_EARLY_STOPPED": COMPLETED,  # training stopped early by design; a model exists
        "JOB_STATE_FAILED": FAILED,
        "JOB_STATE_EXPIRED": FAILED,
        "JOB_STATE_CANCELLED": CANCELLED,
        "JOB_STATE_DELETING": CANCELLED,
        "JOB_STATE_DELETING_CLEANING_UP": CANCELLED,
        "JOB_STATE_DELETED": CANCELLED,
        "JOB_STATE_ARCHIVED": COMPLETED,
    },
    # A run on the user's own GPU, followed through its log files (providers.finetuning.local_run).
    "local": {
        "waiting": QUEUED,  # the folder exists, no training log yet
        "running": TRAINING,
        "completed": COMPLETED,  # last step logged, or the final trainer_state.json written
        "stalled": FAILED,  # no new log line within the watcher's idle timeout
        "failed": FAILED,  # a trainer FineFlow launched ended without finishing (local_process)
        "cancelled": CANCELLED,  # a trainer FineFlow launched was stopped from FineFlow
    },
}


def lookup(provider: str, status: str | None) -> str | None:
    """The FineFlow state for *provider*'s *status* string, or ``None`` if the table lacks it.

    Matching ignores case and surrounding spaces (Together's v1 SDK and spec disagree on case
    elsewhere; we do not want a casing change to make a job "unknown")."""
    if not status:
        return None
    table = STATUS_TABLE.get(provider)
    if table is None:
        raise ValueError(f"provider: unknown fine-tuning provider {provider!r}")
    key = status.strip()
    if key in table:
        return table[key]
    folded = key.lower()
    for k, v in table.items():
        if k.lower() == folded:
            return v
    return None


def map_status(provider: str, status: str | None, current: str = PENDING) -> str:
    """Like ``lookup`` but an unknown or empty status keeps *current* (the job's present state)."""
    return lookup(provider, status) or current


def is_terminal(state: str) -> bool:
    """``completed``, ``failed`` and ``cancelled`` are final."""
    return state in TERMINAL


def is_live(state: str) -> bool:
    """A state the poller keeps asking about (everything not terminal)."""
    return state in STATES and state not in TERMINAL
