"""Local training runs (issue 12): a run folder on the user's own GPU becomes a job row with
``provider = "local"`` and is followed by the same poller as cloud jobs.

``register_local_run`` creates the row at once (status ``queued`` until a log appears; the
same folder registered twice is the same job, so a restart continues its curves);
``watch_local_run`` polls it until it ends — last step logged, the final ``trainer_state.json``
written, or no new log line for *idle_timeout_s* (the run is then marked ``failed`` with the
reason, since FineFlow cannot tell a stalled trainer from a dead one — except for a trainer it
launched itself: while that process is alive the run is busy, e.g. saving or evaluating).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from fineflow_desktop.core.finetune import states
from fineflow_desktop.core.finetune.trainer_logs import LOOKED_FOR, TRAINER_LOG, latest_state_file
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.finetuning import local_process as lp
from fineflow_desktop.providers.finetuning.local_run import LOCAL, LOCAL_CREDENTIAL
from fineflow_desktop.services.finetune.poll import poll_job
from fineflow_desktop.services.finetune.store_ops import load_row, set_status, to_record
from fineflow_desktop.services.finetune.types import FineTuneError, JobRecord
from fineflow_desktop.store.models_finetune import FineTuneJob

DEFAULT_IDLE_TIMEOUT_S = 600.0


class RunFolderError(FineTuneError):
    """The run folder is missing, not a folder, or never showed a known training log."""


def has_training_log(run_dir: Path) -> bool:
    """True when *run_dir* holds a log FineFlow can follow (``LOOKED_FOR``)."""
    return (run_dir / TRAINER_LOG).is_file() or latest_state_file(run_dir)[0] is not None


def register_local_run(ws, run_dir: str | Path, name: str | None = None, base_model: str | None = None) -> JobRecord:
    """The job row of a local run folder, created if new (``provider="local"``, credential
    ``(local run)``, provider job id = the folder's absolute path, state ``queued``).

    Raises ``RunFolderError`` when *run_dir* exists but is not a folder. A folder that does not
    exist yet is accepted (the trainer creates it when it starts)."""
    run = Path(run_dir).expanduser().resolve()
    if run.exists() and not run.is_dir():
        raise RunFolderError(f"run folder: {run} is a file; give the trainer's output folder")
    with ws.session() as s:
        row = s.scalar(select(FineTuneJob).where(FineTuneJob.provider_job_id == str(run)))
        if row is None:
            row = FineTuneJob(marker=uuid.uuid4().hex, provider=LOCAL, credential_name=LOCAL_CREDENTIAL,
                              model=base_model or "", suffix=name or run.name, provider_job_id=str(run),
                              launch_stage="created", status=states.QUEUED, provider_status="waiting",
                              request={"run_dir": str(run), "name": name or run.name})
            s.add(row)
            s.flush()
        return to_record(row)


def mark_stalled(ws, job_id: int, message: str) -> JobRecord:
    """End a local job as ``failed`` with *message* (error code ``stalled``)."""
    with ws.session() as s:
        row = load_row(s, job_id)
        row.error_code, row.error_message = "stalled", message
        set_status(s, row, states.FAILED, "stalled")
        return to_record(row)


def watch_local_run(ws, run_dir: str | Path, *, name: str | None = None, idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
                    interval_s: float = 2.0, on_change: Callable[[JobRecord], None] | None = None,
                    state: TaskState | None = None, clock: Callable[[], float] = time.monotonic) -> JobRecord:
    """Register *run_dir* and follow it until the run ends; returns the final record.

    Each poll stores new log lines once (events) and each step's metrics once; *on_change* is
    called after every poll that changed the state or added steps. Ends ``completed`` when the
    last step is logged or the final ``trainer_state.json`` appears; ends ``failed`` (code
    ``stalled``) when no new line arrives for *idle_timeout_s* seconds and no trainer FineFlow
    launched into the folder is alive — the message names the files looked for when no log ever
    appeared. ``Cancelled`` from *state* stops watching and
    leaves the job as it is (a later watch or sync continues it)."""
    state = state or TaskState()
    job = register_local_run(ws, run_dir, name)
    run = Path(job.provider_job_id)
    last_activity = clock()
    while True:
        state.check()
        if not run.is_dir():  # the trainer has not made its output folder yet: wait, as for the log
            if clock() - last_activity >= idle_timeout_s:
                return mark_stalled(ws, job.id, f"the run folder {run} did not appear within {idle_timeout_s:g} s")
            time.sleep(min(0.05, interval_s))
            continue
        res = poll_job(ws, job.id, state=state)
        job = res.job
        if res.changed or res.new_events or res.new_metrics:
            last_activity = clock()
            if on_change is not None:
                on_change(job)
        if job.terminal:
            return job
        if clock() - last_activity >= idle_timeout_s and lp.process_of(lp.read_launch(run)) is not None:
            last_activity = clock()  # the trainer FineFlow launched is alive: busy, not stalled
        if clock() - last_activity >= idle_timeout_s:
            if has_training_log(run):
                msg = f"no new training log line in {run} for {idle_timeout_s:g} s (stopped watching; the trainer may have died)"
            else:
                msg = (f"no training log appeared in {run} within {idle_timeout_s:g} s; looked for "
                       f"{', '.join(LOOKED_FOR)}")
            return mark_stalled(ws, job.id, msg)
        end = clock() + interval_s
        while clock() < end:
            state.check()
            time.sleep(min(0.05, max(0.0, end - clock())))
