"""The ``local`` fine-tuning adapter: a training run on the user's own GPU, followed through the
files it writes (LLaMA-Factory ``trainer_log.jsonl`` or HF Trainer ``trainer_state.json``).

The job id is the run's output folder (absolute path). It implements the read side of
``FineTuningProvider`` — retrieve, incremental events, metrics, checkpoints — so the same poller,
store and monitor serve local and cloud jobs. Launching, uploading and cancelling belong to
whoever started the run: those methods raise ``BadRequestError`` saying so.

Statuses (mapped in ``core.finetune.states``): ``waiting`` (no log yet), ``running``,
``completed`` (the folder's final ``trainer_state.json`` written, or the last step logged and the
log quiet for ``FINISH_GRACE_S`` — LLaMA-Factory writes the last step's eval line and the run
summary just after it).
Event ids: ``log:<byte offset after the line>`` for ``trainer_log.jsonl`` lines — the poller
passes the last stored one back as *after*, so each poll reads only the new bytes —, and
``state:<step>`` for ``log_history`` points (the store ignores repeats).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fineflow_desktop.core.finetune import trainer_logs as tl
from fineflow_desktop.providers.base import BadRequestError
from fineflow_desktop.providers.finetuning import local_process as lp
from fineflow_desktop.providers.finetuning.base import (
    FineTuneNotFound,
    JobRequest,
    RemoteCheckpoint,
    RemoteEvent,
    RemoteJob,
)

LOCAL = "local"
# The credential name stored on local jobs: no key, and no user credential can take it
# (``providers.credentials`` refuses names in parentheses).
LOCAL_CREDENTIAL = "(local run)"
WAITING, RUNNING, COMPLETED = "waiting", "running", "completed"
FAILED, CANCELLED = "failed", "cancelled"  # only for runs FineFlow launched (``local_process``)


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc).replace(tzinfo=None)


def _offset_of(event_id: str | None) -> int:
    if event_id and event_id.startswith("log:") and event_id[4:].isdigit():
        return int(event_id[4:])
    return 0


def _message(point: dict | None, progress: dict) -> str:
    parts = []
    if "step" in progress:
        parts.append(f"step {progress['step']}" + (f"/{progress['total_steps']}" if progress.get("total_steps") else ""))
    if point:
        if point.get("train_loss") is not None:
            parts.append(f"loss {point['train_loss']:.4f}")
        if point.get("valid_loss") is not None:
            parts.append(f"eval loss {point['valid_loss']:.4f}")
        if point.get("learning_rate") is not None:
            parts.append(f"lr {point['learning_rate']:.3g}")
    if progress.get("remaining_s") is not None:
        parts.append(f"ETA {timedelta(seconds=int(progress['remaining_s']))}")
    return " · ".join(parts) or "log line"


class LocalRunProvider:
    """Follows a local run folder (see the module docstring). Stateless: every call reads the files."""

    name = LOCAL
    training_format = "hf-chat"
    dpo_format = None

    FINISH_GRACE_S = 3.0

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, finish_grace_s: float = FINISH_GRACE_S):
        self.max_bytes = max_bytes
        self.finish_grace_s = finish_grace_s

    # -- read side -------------------------------------------------------------------------
    def retrieve_job(self, job_id: str) -> RemoteJob:
        """The run as its files describe it; ``FineTuneNotFound`` when the folder is gone."""
        run = Path(job_id)
        if not run.is_dir():
            raise FineTuneNotFound(f"local run folder {run} does not exist (moved or deleted?)")
        log = run / tl.TRAINER_LOG
        state_path, final = tl.latest_state_file(run)
        status, progress, finished_at, estimated = WAITING, {}, None, None
        if log.is_file():
            last = self._last_record(log)
            status = RUNNING
            if last is not None:
                progress = tl.progress_from_log_line(last)
                # The last step's line can be followed by its eval line and the run summary:
                # done once the log has been quiet for FINISH_GRACE_S (or the final state file is there).
                quiet = time.time() - log.stat().st_mtime >= self.finish_grace_s
                if tl.log_line_finished(last) and quiet:
                    status = COMPLETED
        if state_path is not None:
            state = tl.read_trainer_state(state_path)
            if state is not None and not log.is_file():
                status = RUNNING
                step, total = state.get("global_step"), state.get("max_steps")
                if isinstance(step, int):
                    progress = {"step": step}
                    if isinstance(total, int) and total > 0:
                        progress.update(total_steps=total, percent=round(100.0 * step / total, 2))
            if final and state is not None:  # a final file caught mid-write is not the end yet
                status = COMPLETED
        status, error = self._launch_outcome(run, status)
        if status == COMPLETED:
            src = log if log.is_file() else state_path
            finished_at = _utc(src.stat().st_mtime) if src is not None else None
        elif progress.get("remaining_s") is not None:
            estimated = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(seconds=progress["remaining_s"])
        return RemoteJob(
            id=str(run), status=status, fine_tuned_model=str(run) if status == COMPLETED else None,
            created_at=_utc(run.stat().st_ctime), finished_at=finished_at, estimated_finish=estimated,
            progress={k: progress[k] for k in ("step", "total_steps", "percent") if k in progress}, error=error,
        )

    @staticmethod
    def _launch_outcome(run: Path, status: str) -> tuple[str, dict | None]:
        """For a run FineFlow launched (``local_process`` launch file): ``cancelled`` once cancelled;
        ``running`` while the trainer is alive, also after its final state file (LLaMA-Factory
        still saves the model, plots and evaluates then); ``completed`` when it exited 0, or with
        unknown status after finishing; ``failed`` (exit status and the output's last lines) when
        it exited non-zero or is gone before the run finished. Other runs keep *status*."""
        launch = lp.read_launch(run)
        if launch is None:
            return status, None
        if launch.get("cancelled"):
            return CANCELLED, None
        if lp.process_of(launch) is not None:
            return (RUNNING if status == COMPLETED else status), None
        code = lp.exit_code(run)
        if code == 0 or (code is None and status == COMPLETED):
            return COMPLETED, None
        tail = lp.log_tail(run)
        what = f"exited with status {code}" if code is not None else "ended (exit status unknown)"
        when = "after" if status == COMPLETED else "before"
        return FAILED, {"code": f"exit_{code}" if code is not None else "process_ended", "param": None,
                        "message": f"the training process {what} {when} the run finished; see {run / lp.TRAIN_LOG}"
                                   + (f"\n{tail}" if tail else "")}

    def _last_record(self, log: Path) -> dict | None:
        """The last complete object of the log (read from its last 64 KiB, the whole file if needed)."""
        start = max(0, log.stat().st_size - 65536)
        records = tl.read_trainer_log(log, start).records
        if not records and start:
            records = tl.read_trainer_log(log, 0, self.max_bytes).records
        return records[-1][1] if records else None

    def events(self, job_id: str, after: str | None = None) -> list[RemoteEvent]:
        """New ``trainer_log.jsonl`` lines after event *after* (one event per line, carrying its
        metric point); for a run with only ``trainer_state.json``, one event per logged step."""
        run = Path(job_id)
        log = run / tl.TRAINER_LOG
        out: list[RemoteEvent] = []
        if log.is_file():
            mtime = _utc(log.stat().st_mtime)
            read = tl.read_trainer_log(log, _offset_of(after), self.max_bytes)
            for end, rec in read.records:
                point = tl.point_from_log_line(rec)
                progress = tl.progress_from_log_line(rec)
                data = {k: v for k, v in rec.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)}
                out.append(RemoteEvent(id=f"log:{end}", created_at=mtime, level="info",
                                       type="metrics" if point else "progress", message=_message(point, progress),
                                       data=data, metrics=point))
            return out
        state_path, _final = tl.latest_state_file(run)
        state = tl.read_trainer_state(state_path) if state_path else None
        if state is None:
            return out
        mtime = _utc(state_path.stat().st_mtime)
        total = state.get("max_steps") if isinstance(state.get("max_steps"), int) else None
        for point in tl.points_from_state(state):
            progress = {"step": point["step"], **({"total_steps": total} if total else {})}
            out.append(RemoteEvent(id=f"state:{point['step']}", created_at=mtime, level="info", type="metrics",
                                   message=_message(point, progress), data=progress, metrics=point))
        return out

    def metrics(self, job_id: str, job: RemoteJob | None = None) -> list[dict]:
        """Points arrive with the events; nothing extra to fetch."""
        return []

    def checkpoints(self, job_id: str) -> list[RemoteCheckpoint]:
        """The run's ``checkpoint-<step>`` folders, newest first (each usable as a model folder)."""
        return [RemoteCheckpoint(step=step, model=str(folder), created_at=_utc(folder.stat().st_mtime))
                for step, folder in tl.checkpoint_dirs(Path(job_id))]

    def list_jobs(self, marker: str | None = None, limit: int = 100) -> list[RemoteJob]:
        """Local runs are registered one folder at a time; there is nothing to list."""
        return []

    def find_by_marker(self, marker: str) -> RemoteJob | None:
        """Never created here, so never found by marker."""
        return None

    def check_key(self) -> None:
        """No key: nothing to check."""

    # -- what only the process running the training can do ------------------------------------
    def _not_here(self, what: str):
        raise BadRequestError(f"local run: {what} belongs to the process running the training; "
                              "stop or start it where it runs (FineFlow only follows its log)")

    def upload_file(self, path: Path, purpose: str = "fine-tune") -> str:
        self._not_here("uploading files")

    def create_job(self, request: JobRequest) -> RemoteJob:
        self._not_here("starting a run")

    def cancel_job(self, job_id: str) -> RemoteJob:
        """Stop a trainer FineFlow launched (its launch file names the process); any other local
        run belongs to whoever started it (``BadRequestError``)."""
        run = Path(job_id)
        launch = lp.read_launch(run)
        if launch is None or lp.process_of(launch) is None:
            self._not_here("cancelling")
        lp.update_launch(run, cancelled=True)
        lp.terminate(launch)
        return self.retrieve_job(job_id)

    def delete_model(self, model: str, job_id: str | None = None) -> str:
        """A local adapter folder is the user's file: FineFlow never deletes it."""
        raise NotImplementedError(f"a local adapter folder is not deleted by FineFlow; remove {model} yourself if "
                                  "you no longer need it")

    def pause_job(self, job_id: str) -> RemoteJob:
        raise NotImplementedError("a local run cannot be paused from FineFlow")

    def resume_job(self, job_id: str) -> RemoteJob:
        raise NotImplementedError("a local run cannot be resumed from FineFlow")

    def close(self) -> None:
        """Nothing to release."""
