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
from fineflow_desktop.services.finetune.compare_runs import ConfigRow, RunsComparison, compare_runs, run_label
from fineflow_desktop.services.finetune.connect import open_provider
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
from fineflow_desktop.services.finetune.local_launch import (
    LocalTrainerMissing,
    find_trainer,
    launch_local_training,
    read_training_config,
    run_local_training,
)
from fineflow_desktop.services.finetune.local_export import INSTALL_HINT
from fineflow_desktop.services.finetune.local_runs import (
    DEFAULT_IDLE_TIMEOUT_S,
    RunFolderError,
    register_local_run,
    watch_local_run,
)
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
    "BaseModel", "BudgetExceeded", "BudgetStatus", "Checkpoint", "ConfigRow", "CredentialRejected",
    "DEFAULT_IDLE_TIMEOUT_S", "DatasetInvalid", "DatasetSummary", "DetailCursor", "DetailDelta",
    "FineTuneError", "HyperparameterSpec", "INSTALL_HINT", "JobErrorInfo", "JobEstimate", "JobEvent",
    "JobNotFound", "JobRecord", "JobSpec", "LaunchRefused", "LaunchesOf", "LeakagePair",
    "LocalTrainerMissing", "MetricPoint", "MonitorSnapshot", "PollResult", "RunFolderError", "RunsComparison",
    "SplitPlan", "StateTransition", "SyncReport", "base_models", "cancel_job", "compare_runs", "create_job",
    "credential_keys", "dataset_summary", "estimate_job", "find_leakage", "find_trainer", "get_budget",
    "get_job", "hyperparameter_schema", "job_checkpoints", "job_events", "job_metrics", "job_transitions",
    "launch_local_training", "list_jobs", "metrics_csv", "monitor_pass", "month_summary", "move_pairs",
    "open_provider", "pause_job", "poll_job", "price_table", "provider_notice", "read_training_config",
    "register_local_run", "resume_job", "run_label", "run_local_training", "running_launches", "set_budget",
    "set_price", "split_dataset", "sync_jobs", "watch_job", "watch_local_run",
]
