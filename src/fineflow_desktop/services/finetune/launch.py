"""Crash-safe launch of a fine-tuning job (issue 11, "crash safety").

Order: checks that need no provider (spec, dataset validation, budget) → files written under
``<workspace>/finetune/<marker>/`` → key check (one cheap authenticated call) → **local row**
(``pending``, fresh client ``marker``, ``launch_stage`` ``exported``, the launching process's
pid) → uploads (``uploading``; each file id stored as soon as the provider returns it) →
``launch_stage`` ``uploaded`` → create with the marker in metadata (OpenAI) or name (Together
suffix, Fireworks display name) **with SDK retries off** → provider job id stored,
``launch_stage`` ``created``.

``reconcile_launch`` (called by ``sync_jobs`` for rows not ``created`` whose launching process
is gone) first looks the marker up at the provider and adopts the job it finds; only when the
provider has none does it finish the launch (reusing uploaded files). So a kill -9 at any line
leaves either no job or exactly one job at the provider, and the next sync converges.
Why SDK retries are off for create: a timed-out POST may have created the job; a blind retry
would create a second one. We look the marker up instead.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil

from fineflow_desktop.core.finetune import states
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.providers.base import AuthError, ProviderError, ServerError, TransientError
from fineflow_desktop.providers.finetuning.base import JobRequest, RemoteJob
from fineflow_desktop.services import datasets as ds_service
from fineflow_desktop.services.finetune.connect import open_provider
from fineflow_desktop.services.finetune.estimate import check_spec, prepare
from fineflow_desktop.services.finetune.remote import apply_remote
from fineflow_desktop.services.finetune.split import issue_dicts, resolve_dataset
from fineflow_desktop.services.finetune.store_ops import load_row, set_status, to_record
from fineflow_desktop.services.finetune.types import (
    BudgetExceeded,
    CredentialRejected,
    DatasetInvalid,
    JobRecord,
    JobSpec,
    LaunchRefused,
)
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_finetune import FineTuneJob

# Launches running in this process (job ids): sync_jobs in another thread must not "reconcile" them.
ACTIVE_LAUNCHES: set[int] = set()
_active_lock = threading.Lock()


def staging_dir(ws, marker: str) -> Path:
    """Folder holding a launch's training/validation files."""
    return Path(ws.path) / "finetune" / marker


# A launch whose row was written this long before a ``LaunchesOf`` snapshot may be missing from it
# (the row is committed just before its id enters ACTIVE_LAUNCHES): it counts as running.
SNAPSHOT_SLACK_S = 5.0


@dataclass(frozen=True)
class LaunchesOf:
    """The launches another process is running (its pid, local job ids, as of ``as_of`` = ``time.time()``):
    the app hands this to its poll process with each pass, so the poll process reconciles a
    launch of the app only once the app has given up on it (``launch_in_progress``)."""

    pid: int
    job_ids: frozenset[int]
    as_of: float


def running_launches() -> LaunchesOf:
    """The launches running in this process now."""
    with _active_lock:
        ids = frozenset(ACTIVE_LAUNCHES)
    return LaunchesOf(os.getpid(), ids, time.time())


def _launcher() -> dict:
    p = psutil.Process()
    return {"pid": p.pid, "started": p.create_time(), "at": time.time()}


def launcher_alive(launcher: dict | None) -> bool:
    """True when the process that started a launch still runs (pid + start time, so a reused pid
    does not count)."""
    if not launcher:
        return False
    try:
        p = psutil.Process(int(launcher["pid"]))
        return abs(p.create_time() - float(launcher["started"])) < 1.0
    except (psutil.Error, KeyError, TypeError, ValueError):
        return False


def launch_in_progress(row: FineTuneJob, others: LaunchesOf | None = None) -> bool:
    """A launch another thread or process is still running (do not reconcile it). *others*: what
    the launching process said it runs (see ``LaunchesOf``); without it, any living launcher counts."""
    launcher = (row.request or {}).get("launcher")
    if not launcher_alive(launcher):
        return False
    pid = int(launcher["pid"])
    if pid == os.getpid():
        with _active_lock:
            return row.id in ACTIVE_LAUNCHES
    if others is not None and pid == others.pid:
        return row.id in others.job_ids or float(launcher.get("at") or 0) >= others.as_of - SNAPSHOT_SLACK_S
    return True


def create_job(ws, spec: JobSpec, *, state: TaskState | None = None, allow_over_budget: bool = False) -> JobRecord:
    """Launch *spec* and return the stored job (status ``queued``/``validating``… as the provider says).

    Refusals (nothing created at the provider, raised before the upload):
    ``DatasetInvalid`` (validation errors, listed), ``BudgetExceeded`` (numbers in ``details``:
    always in block mode; in warn mode unless *allow_over_budget* — the user confirmed the
    warning — so ``details["mode"] == "warn"`` means "ask, then call again with
    allow_over_budget=True"), ``CredentialRejected`` (unknown
    credential, no key, key refused by the provider), ``LaunchRefused("input")`` (bad
    hyperparameter, unknown dataset, no examples). A provider error after the upload marks the
    local job ``failed`` with the provider's code/message/param and raises ``LaunchRefused("provider")``.
    ``state.progress`` reports the stages (export, upload, create); ``Cancelled`` before the
    create call leaves a ``cancelled`` local job and nothing at the provider.
    """
    state = state or TaskState()
    check_spec(spec)
    adapter, info = open_provider(ws, spec.credential)  # CredentialRejected: unknown / no key
    try:
        did, name, _target = resolve_dataset(ws, spec.dataset)
        state.progress(0, 5, "validating the dataset")
        report = ds_service.validate_dataset(ws, did, spec.model)
        if report.errors:
            raise DatasetInvalid(f"dataset {name!r} has {len(report.errors)} validation error(s); fix them in the "
                                 f"Validate pane first (first: {report.errors[0].where()}: {report.errors[0].message})",
                                 {"errors": issue_dicts(report.errors), "error_count": len(report.errors)})
        marker = uuid.uuid4().hex
        folder = staging_dir(ws, marker)
        state.progress(1, 5, "writing the training file")
        try:
            prep = prepare(ws, spec, folder, state)
            est = prep.estimate
            over = est.budget.limit is not None and est.cost_usd is not None and not (
                est.allowed and (allow_over_budget or est.cost_usd <= (est.budget.remaining or 0) + 1e-9))
            if over:
                b = est.budget
                why = "refused by the monthly budget (block mode)" if b.mode == "block" else \
                    "over the monthly budget (warn mode): confirm to launch anyway"
                raise BudgetExceeded(f"{why}: estimated cost ${est.cost_usd:,.2f}, budget ${b.limit:,.2f}, "
                                     f"spent this month ${b.spent_this_month:,.2f}, remaining ${b.remaining:,.2f}",
                                     {"cost_usd": est.cost_usd, "limit": b.limit, "spent_this_month": b.spent_this_month,
                                      "remaining": b.remaining, "mode": b.mode})
            state.progress(2, 5, "checking the API key")
            try:
                adapter.check_key()
            except AuthError as exc:
                raise CredentialRejected(f"credential {info.name!r}: the provider refused the key ({exc})") from None
            except ProviderError as exc:
                raise LaunchRefused("provider", str(exc)) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job_id = _insert_row(ws, spec, info, prep, marker, folder)
        with _active_lock:
            ACTIVE_LAUNCHES.add(job_id)
        try:
            return run_launch(ws, job_id, adapter, state, after_crash=False)
        finally:
            with _active_lock:
                ACTIVE_LAUNCHES.discard(job_id)
    finally:
        adapter.close()


def _insert_row(ws, spec: JobSpec, info, prep, marker: str, folder: Path) -> int:
    est = prep.estimate
    hp = {"epochs": spec.epochs, "batch_size": spec.batch_size, "learning_rate_multiplier": spec.learning_rate_multiplier,
          **spec.hyperparameters}
    request = {"spec": {"model": spec.model, "method": spec.method, "epochs": spec.epochs, "batch_size": spec.batch_size,
                        "learning_rate_multiplier": spec.learning_rate_multiplier, "suffix": spec.suffix, "seed": spec.seed,
                        "validation_split": spec.validation_split, "split_seed": spec.split_seed,
                        "hyperparameters": spec.hyperparameters},
               "folder": str(folder), "train_path": str(prep.files["train"]),
               "validation_path": str(prep.files["validation"]) if prep.files["validation"] else None,
               "format": prep.fmt, "launcher": _launcher()}
    now = utcnow()
    with ws.session() as s:
        row = FineTuneJob(marker=marker, provider=info.provider, credential_name=info.name, base_url=info.base_url or "",
                          model=spec.model, method=spec.method, dataset_id=prep.dataset_id, dataset_name=prep.dataset_name,
                          status=states.PENDING, launch_stage="exported", request=request, hyperparameters=hp,
                          files={"training_file": None, "validation_file": None}, suffix=spec.suffix, seed=spec.seed,
                          examples=est.examples, validation_examples=est.validation_examples,
                          training_tokens=est.training_tokens, epochs=est.epochs, progress={},
                          cost_estimate_usd=est.cost_usd, price_per_million=est.price_per_million,
                          deleted_at_provider=False, created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        from fineflow_desktop.store.models_finetune import FineTuneTransition

        s.add(FineTuneTransition(job_id=row.id, from_status=None, to_status=states.PENDING, provider_status=None, at=now))
        return row.id


def _fail(ws, job_id: int, code: str | None, message: str, param: str | None = None) -> None:
    with ws.session() as s:
        row = s.get(FineTuneJob, job_id)
        row.error_code, row.error_message, row.error_param = code, message, param
        set_status(s, row, states.FAILED)


def adopt_remote(ws, job_id: int, remote: RemoteJob) -> None:
    """Store the provider's job on the local row (``launch_stage`` ``created``)."""
    with ws.session() as s:
        row = s.get(FineTuneJob, job_id)
        row.provider_job_id = remote.id
        row.launch_stage = "created"
        if remote.training_file:
            row.files = {**(row.files or {}), "training_file": remote.training_file,
                         "validation_file": remote.validation_file or (row.files or {}).get("validation_file")}
        apply_remote(s, row, remote)


def run_launch(ws, job_id: int, adapter, state: TaskState, *, after_crash: bool) -> JobRecord:
    """Upload what is not uploaded yet and create the job (after a crash: marker lookup first)."""
    with ws.session() as s:
        row = s.get(FineTuneJob, job_id)
        marker, request, files = row.marker, dict(row.request), dict(row.files or {})
        spec, resolved_epochs = request["spec"], row.epochs  # providers without "auto" get the estimated count
    if after_crash:
        found = adapter.find_by_marker(marker)
        if found is not None:
            adopt_remote(ws, job_id, found)
            return get_record(ws, job_id)
    train_path = Path(request["train_path"])
    val_path = Path(request["validation_path"]) if request.get("validation_path") else None
    try:
        for key, path in (("training_file", train_path), ("validation_file", val_path)):
            if path is None or files.get(key):
                continue
            if not path.is_file():
                _fail(ws, job_id, "launch_files_missing", f"{path} is gone; launch the job again")
                return get_record(ws, job_id)
            state.check()
            with ws.session() as s:
                set_status(s, s.get(FineTuneJob, job_id), states.UPLOADING)
            state.progress(3, 5, f"uploading {path.name}")
            files[key] = adapter.upload_file(path)
            with ws.session() as s:  # stored at once: a crash after this line re-uses the file
                row = s.get(FineTuneJob, job_id)
                row.files = dict(files)
                row.updated_at = utcnow()
        with ws.session() as s:
            row = s.get(FineTuneJob, job_id)
            if row.status == states.CANCELLED:  # cancelled while uploading: never create
                return to_record(row)
            row.launch_stage = "uploaded"
        state.check()
    except Cancelled:
        with ws.session() as s:
            set_status(s, s.get(FineTuneJob, job_id), states.CANCELLED)
        raise
    except ProviderError as exc:
        if isinstance(exc, (TransientError, ServerError)):
            raise LaunchRefused("provider", f"{exc} — the upload will be retried by the next sync") from None
        _fail(ws, job_id, getattr(exc, "code", None) or "upload_failed", str(exc))
        raise LaunchRefused("provider", str(exc)) from None
    state.progress(4, 5, "creating the fine-tuning job")
    req = JobRequest(model=spec["model"], training_file=files["training_file"], validation_file=files.get("validation_file"),
                     method=spec["method"], epochs=spec["epochs"], batch_size=spec["batch_size"],
                     learning_rate_multiplier=spec["learning_rate_multiplier"], suffix=spec.get("suffix"),
                     seed=spec.get("seed"), marker=marker,
                     extra={**(spec.get("hyperparameters") or {}), "resolved_epochs": resolved_epochs})
    try:
        remote = adapter.create_job(req)
    except (TransientError, ServerError) as exc:
        # The create may have reached the provider: look before anything else.
        try:
            remote = adapter.find_by_marker(marker)
        except ProviderError:
            remote = None
        if remote is None:
            raise LaunchRefused("provider", f"{exc} — FineFlow will look for the job at the next sync "
                                            f"and create it only if the provider has none") from None
    except ProviderError as exc:
        _fail(ws, job_id, getattr(exc, "code", None) or "create_failed", str(exc), getattr(exc, "param", None))
        raise LaunchRefused("provider", str(exc)) from None
    adopt_remote(ws, job_id, remote)
    with ws.session() as s:
        cancelled_meanwhile = s.get(FineTuneJob, job_id).status == states.CANCELLED
    if cancelled_meanwhile and not states.is_terminal(states.map_status(adapter.name, remote.status, states.QUEUED)):
        # The user cancelled between the last check and the create: cancel at the provider too.
        try:
            adapter.cancel_job(remote.id)
        except ProviderError:
            pass  # the job stays visible (provider id stored); the user can cancel it again
    state.progress(5, 5, "created")
    return get_record(ws, job_id)


def reconcile_launch(ws, job_id: int, adapter) -> JobRecord:
    """Finish an interrupted launch: adopt the provider's job carrying the marker, else upload
    what is missing and create it. Raises ``ProviderError`` when the provider cannot be asked."""
    try:
        return run_launch(ws, job_id, adapter, TaskState(), after_crash=True)
    except LaunchRefused:
        return get_record(ws, job_id)


def get_record(ws, job_id: int) -> JobRecord:
    with ws.session() as s:
        return to_record(load_row(s, job_id))
