"""Cancelling a batch run at the provider (not just no longer watching it).

Stopping the watcher leaves the batch running and billed; ``cancel_batch_run`` asks the
provider to stop it. OpenAI moves a batch to ``cancelling`` and then ``cancelled`` (up to
10 minutes, per its Batch API guide); Anthropic to ``canceling`` and then ``ended``. Requests
answered before that keep their results; the others end without one and their items are
failed with the reason, so ``retry_failed`` can send them again later. Nothing is lost.
"""

from __future__ import annotations

import time

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.batch import as_batch_provider
from fineflow_desktop.services.generation import items
from fineflow_desktop.services.generation.batch import batch_summary, get_batch_state, poll_batch, watch_batches
from fineflow_desktop.services.generation.execution import RunSummary, provider_for_run, runner_id
from fineflow_desktop.services.generation.runs import acquire_run, release_run


class NotABatchRunError(ValueError):
    """The run does not use the batch API, or has no batch left at the provider."""


def cancel_remote_batches(ws, run_id: int, provider_factory=None) -> int:
    """Ask the provider to cancel the run's batches that are not ingested yet; returns how many
    were asked. Raises ``NotABatchRunError`` for a live (non-batch) run and a
    ``providers.base.ProviderError`` when the provider refuses or cannot be reached."""
    cfg = items.load_config(ws, run_id)
    if not cfg.is_batch:
        raise NotABatchRunError(f"run {run_id} does not use the batch API: Cancel stops it")
    records = [r for r in get_batch_state(ws, run_id).get("batches", []) if not r.get("ingested") and r.get("id")]
    if not records:
        return 0
    provider = (provider_factory or provider_for_run)(ws, cfg.credential_id, run_id)
    try:
        api = as_batch_provider(provider)
        for record in records:
            api.cancel_batch(record)
    finally:
        getattr(provider, "close", lambda: None)()
    return len(records)


def cancel_batch_run(ws, run_id: int, state: TaskState | None = None, *, watch: bool = True, sleep=time.sleep,
                     provider_factory=None, poll_interval_s: float | None = None) -> RunSummary:
    """Cancel the run's batches at the provider, then (with *watch*) poll until they ended and
    ingest what they answered. Returns a ``RunSummary``.

    *watch* false: one poll only, for when another task of this app already watches the run
    (it picks the end up at its next poll). With *watch*, the run is held like any runner
    (``RunBusyError`` if another process holds it). Raises ``NotABatchRunError`` when the
    run is not a batch run or has nothing left at the provider.
    """
    state = state or TaskState()
    start = time.monotonic()
    if watch:
        acquire_run(ws, run_id, runner_id())  # before cancelling: a busy run is refused untouched
    try:
        if not cancel_remote_batches(ws, run_id, provider_factory):
            raise NotABatchRunError(f"run {run_id} has no batch waiting at the provider")
        if watch:
            processed = watch_batches(ws, run_id, state, provider_factory, sleep=sleep, poll_interval_s=poll_interval_s)
        else:
            processed = poll_batch(ws, run_id, provider_factory).ingested
    finally:
        if watch:
            release_run(ws, run_id)
    return batch_summary(ws, run_id, processed, start)
