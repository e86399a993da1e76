"""Fine-tuning jobs (issue 11): estimate, launch, watch, cancel — Qt-free, for the GUI and the CLI.

This package's names below are its public API (jobs11ui codes against them; keep them stable).
Every function takes a ``Workspace`` first; jobs are named by local id (int) or provider job id
(str); values crossing the boundary are the plain dataclasses of ``services.finetune.types``.
Long calls accept ``state: core.progress.TaskState`` (``check()`` / ``progress()``).

Typical use::

    from fineflow_desktop.services import finetune as ft
    spec = ft.JobSpec(dataset="support", credential="openai-main", model="gpt-4o-mini",
                      validation_split=0.1)
    est = ft.estimate_job(ws, spec)            # JobEstimate (cost, budget)
    job = ft.create_job(ws, spec)              # JobRecord; raises LaunchRefused subclasses
    report = ft.sync_jobs(ws)                  # one poll of every live job (+ reconcile)
    ft.job_metrics(ws, job.id)                 # [MetricPoint]  — the loss curve
    ft.job_events(ws, job.id, after_id=0)      # [JobEvent]     — incremental by local id

Polling cadence (30 s idle, 5 s while the monitor is visible) is the caller's choice; the
delay after errors comes from ``SyncReport.next_delay_s``.
"""

from fineflow_desktop.services.finetune.budget import get_budget, month_summary, set_budget
from fineflow_desktop.services.finetune.catalog import (
    base_models,
    hyperparameter_schema,
    price_table,
    provider_notice,
    set_price,
)
from fineflow_desktop.services.finetune.estimate import estimate_job
from fineflow_desktop.services.finetune.jobs import (
    get_job,
    job_checkpoints,
    job_events,
    job_metrics,
    job_transitions,
    list_jobs,
    metrics_csv,
)
from fineflow_desktop.services.finetune.connect import credential_keys
from fineflow_desktop.services.finetune.launch import LaunchesOf, create_job, running_launches
from fineflow_desktop.services.finetune.monitor import DetailCursor, DetailDelta, MonitorSnapshot, monitor_pass
from fineflow_desktop.services.finetune.poll import (
    cancel_job,
    pause_job,
    poll_job,
    resume_job,
    sync_jobs,
    watch_job,
)
from fineflow_desktop.services.finetune.split import (
    dataset_summary,
    find_leakage,
    move_pairs,
    split_dataset,
)
from fineflow_desktop.services.finetune.types import (
    BaseModel,
    BudgetExceeded,
    BudgetStatus,
    Checkpoint,
    CredentialRejected,
    DatasetInvalid,
    DatasetSummary,
    FineTuneError,
    HyperparameterSpec,
    JobErrorInfo,
    JobEstimate,
    JobEvent,
    JobNotFound,
    JobRecord,
    JobSpec,
    LaunchRefused,
    LeakagePair,
    MetricPoint,
    PollResult,
    SplitPlan,
    StateTransition,
    SyncReport,
)

__all__ = [
    "BaseModel", "BudgetExceeded", "DetailCursor", "DetailDelta", "LaunchesOf", "MonitorSnapshot", "BudgetStatus", "Checkpoint", "CredentialRejected", "DatasetInvalid",
    "DatasetSummary", "FineTuneError", "HyperparameterSpec", "JobErrorInfo", "JobEstimate", "JobEvent",
    "JobNotFound", "JobRecord", "JobSpec", "LaunchRefused", "LeakagePair", "MetricPoint", "PollResult",
    "SplitPlan", "StateTransition", "SyncReport",
    "base_models", "cancel_job", "create_job", "credential_keys", "dataset_summary", "estimate_job", "find_leakage", "get_budget",
    "get_job", "hyperparameter_schema", "job_checkpoints", "job_events", "job_metrics", "job_transitions",
    "list_jobs", "metrics_csv", "monitor_pass", "month_summary", "move_pairs", "pause_job", "poll_job", "price_table", "provider_notice",
    "resume_job", "running_launches", "set_budget", "set_price", "split_dataset", "sync_jobs", "watch_job",
]
