"""Copy a provider's view of a job (``RemoteJob``) onto its local row — the one place that does it
(launch adopts a job with it, polling refreshes jobs with it)."""

from __future__ import annotations

import logging

from fineflow_desktop.core.finetune import states
from fineflow_desktop.core.finetune.cost import cost_usd
from fineflow_desktop.providers.finetuning.base import RemoteJob
from fineflow_desktop.services.finetune.store_ops import set_status
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_finetune import FineTuneJob

log = logging.getLogger(__name__)
_unknown_logged: set[tuple[str, str]] = set()


def apply_remote(s, row: FineTuneJob, remote: RemoteJob) -> bool:
    """Copy the provider's view of a job onto its row (status via the one status table).
    Returns True when the FineFlow state or the provider status changed."""
    new_state = states.lookup(row.provider, remote.status)
    if new_state is None:
        if (row.provider, remote.status) not in _unknown_logged:
            _unknown_logged.add((row.provider, remote.status))
            log.warning("unknown %s job status %r: keeping state %s", row.provider, remote.status, row.status)
        new_state = row.status if row.status not in (states.PENDING, states.UPLOADING) else states.QUEUED
    changed = set_status(s, row, new_state, remote.status)
    if remote.fine_tuned_model:
        row.fine_tuned_model = remote.fine_tuned_model
    if remote.trained_tokens is not None:
        row.trained_tokens = int(remote.trained_tokens)
    if remote.error and (remote.error.get("message") or remote.error.get("code")):
        row.error_code, row.error_message, row.error_param = remote.error.get("code"), remote.error.get("message"), remote.error.get("param")
    row.estimated_finish = remote.estimated_finish
    if remote.hyperparameters:
        row.hyperparameters = {**(row.hyperparameters or {}), **{f"provider_{k}": v for k, v in remote.hyperparameters.items()}}
    if remote.progress:
        row.progress = {**(row.progress or {}), **{k: v for k, v in remote.progress.items() if v is not None}}
    if remote.cost_usd is not None and row.status in states.TERMINAL:
        row.cost_actual_usd = float(remote.cost_usd)
    elif row.status == states.COMPLETED and row.cost_actual_usd is None and row.trained_tokens and row.price_per_million:
        # OpenAI bills trained_tokens (= training tokens × epochs) at the model's price.
        row.cost_actual_usd = cost_usd(row.trained_tokens, row.price_per_million)
    row.last_polled_at = utcnow()
    return changed
