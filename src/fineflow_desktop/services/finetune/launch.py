"""Crash-safe launch of a fine-tuning job (issue 11, "crash safety").

Order: local row (``pending``, with a fresh client marker) → export the training/validation
files → check the key → upload (``uploading``) → create with the marker in metadata → store the
provider job id. ``sync_jobs`` finishes a launch interrupted at any point by looking the marker
up at the provider first, so a job is never created twice.
"""

from __future__ import annotations

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.finetune.types import JobRecord, JobSpec


def create_job(ws, spec: JobSpec, *, state: TaskState | None = None, allow_over_budget: bool = False) -> JobRecord:
    """Launch *spec* and return the stored job (status ``queued``/``validating``… as the provider says).

    Refusals (nothing created at the provider, raised before the upload):
    ``DatasetInvalid`` (validation errors, listed), ``BudgetExceeded`` (block mode, numbers in
    ``details``; *allow_over_budget* does not lift a block), ``CredentialRejected`` (unknown
    credential, no key, key refused by the provider), ``LaunchRefused("input")`` (bad
    hyperparameter, unknown dataset, no examples). A provider error after the upload marks the
    local job ``failed`` with the provider's code/message/param and raises ``LaunchRefused("provider")``.
    ``state.progress`` reports the stages (export, upload, create); ``Cancelled`` before the
    create call leaves a ``cancelled`` local job and nothing at the provider.
    """
    raise NotImplementedError
