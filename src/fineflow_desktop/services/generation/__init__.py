"""Generation runs: the API the GUI and the CLI use (import from here, not from the modules).

Modules: ``runs`` (parameters, estimate, creation, ownership, listing, details), ``live``
(execution with N workers, resume, retry), ``batch`` (provider batch APIs through
``providers.batch.BatchProvider``), ``batch_cancel`` (cancel at the provider), ``items`` (one
work item's request, reply and store writes), ``execution`` (what live and batch share).
"""

from fineflow_desktop.services.generation.batch import BatchPoll, poll_batch, watch_batches
from fineflow_desktop.services.generation.batch_cancel import NotABatchRunError, cancel_batch_run, cancel_remote_batches
from fineflow_desktop.services.generation.execution import RunSummary, runner_id
from fineflow_desktop.services.generation.live import progress_message, resume_run, retry_failed, run_generation
from fineflow_desktop.services.generation.runs import (
    MAX_CONCURRENCY,
    MAX_PAIRS_PER_CHUNK,
    GenerationError,
    RunBusyError,
    RunParams,
    SourceFilter,
    acquire_run,
    create_run,
    estimate_for,
    get_run,
    list_models,
    list_runs,
    release_run,
    run_choices,
    run_detail,
)

__all__ = [
    "MAX_CONCURRENCY", "MAX_PAIRS_PER_CHUNK", "BatchPoll", "GenerationError", "NotABatchRunError", "RunBusyError",
    "RunParams", "RunSummary", "SourceFilter", "acquire_run", "cancel_batch_run", "cancel_remote_batches", "create_run",
    "estimate_for", "get_run", "list_models", "list_runs", "poll_batch", "progress_message", "release_run",
    "resume_run", "retry_failed", "run_choices", "run_detail", "run_generation", "runner_id", "watch_batches",
]
