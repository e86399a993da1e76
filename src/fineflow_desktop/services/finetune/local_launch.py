"""Launch LLaMA-Factory training on the user's own GPU (issue 12, optional): ``llamafactory-cli
train <config.yaml>`` as a subprocess when it is on PATH, its stdout and stderr to the run's
``fineflow_train.log``, then followed like any local run (``local_runs.watch_local_run``).

FineFlow never installs or imports torch or LLaMA-Factory; without ``llamafactory-cli`` on PATH
``LocalTrainerMissing`` says how to install it. The trainer runs in its own session (so Cancel
stops its worker processes too) and is described by the run folder's launch file
(``providers.finetuning.local_process``): Cancel — the task's, or "Cancel job" in the monitor,
also after a restart — terminates it; a trainer that dies shows as ``failed`` with its exit
status and last output lines.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import yaml
from sqlalchemy import select

from fineflow_desktop.core.finetune import states
from fineflow_desktop.core.finetune.trainer_logs import TRAINER_LOG
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.providers.finetuning import local_process as lp
from fineflow_desktop.services.finetune.local_export import INSTALL_HINT
from fineflow_desktop.services.finetune.local_runs import DEFAULT_IDLE_TIMEOUT_S, register_local_run, watch_local_run
from fineflow_desktop.services.finetune.poll import cancel_job
from fineflow_desktop.services.finetune.store_ops import load_row, set_status, to_record
from fineflow_desktop.services.finetune.types import FineTuneError, JobRecord
from fineflow_desktop.store.models_finetune import FineTuneJob

LAUNCHER = "llamafactory-cli"
# LLaMA-Factory arguments shown as the job's hyperparameters (compare runs lines them up).
HYPERPARAMETERS = ("stage", "finetuning_type", "learning_rate", "num_train_epochs", "per_device_train_batch_size",
                   "gradient_accumulation_steps", "lr_scheduler_type", "warmup_ratio", "lora_rank", "lora_target",
                   "cutoff_len", "template", "pref_beta")


class LocalTrainerMissing(FineTuneError):
    """``llamafactory-cli`` is not on PATH; the message says how to install it."""


def find_trainer() -> str | None:
    """Path of ``llamafactory-cli`` on PATH, or ``None``."""
    return shutil.which(LAUNCHER)


def read_training_config(config_path: str | Path) -> dict:
    """The LLaMA-Factory training YAML as a dict. Raises ``ValueError`` naming the file (and the
    line for YAML syntax errors, or the field ``output_dir`` / ``model_name_or_path`` when missing)."""
    path = Path(config_path).expanduser()
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such training config (export one with 'fineflow jobs export-local')") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(cfg, dict):
        raise ValueError(f"{path}: a LLaMA-Factory config is a YAML mapping of arguments")
    for key in ("output_dir", "model_name_or_path"):
        if not str(cfg.get(key) or "").strip():
            raise ValueError(f"{path}: field {key!r} is missing")
    if "PATH/TO/" in str(cfg["model_name_or_path"]):
        raise ValueError(f"{path}: field 'model_name_or_path' is still the placeholder; set your base model")
    return cfg


def _retire_previous_run(ws, run_dir: Path, overwrite: bool) -> None:
    """A new run into a folder that held one: the old job keeps its curves but lets go of the folder
    (its provider job id gets `` [run #id]``; a job still live is ended as superseded), and with
    ``overwrite_output_dir`` the old ``trainer_log.jsonl`` / final ``trainer_state.json`` are kept as
    ``*.previous`` (LLaMA-Factory would delete the log; a stale state file would end the new run at
    its first poll)."""
    with ws.session() as s:
        old = s.scalar(select(FineTuneJob).where(FineTuneJob.provider_job_id == str(run_dir)))
        if old is not None:
            if old.status not in states.TERMINAL:
                old.error_code, old.error_message = "superseded", f"a new training run was started in {run_dir}"
                set_status(s, old, states.FAILED, "superseded")
            old.provider_job_id = f"{run_dir} [run #{old.id}]"
    if overwrite:
        for name in (TRAINER_LOG, "trainer_state.json", lp.TRAIN_LOG):
            path = run_dir / name
            if path.is_file():
                os.replace(path, path.with_name(f"{path.stem}.previous{path.suffix}"))


def launch_local_training(ws, config_path: str | Path, *, name: str | None = None) -> JobRecord:
    """Start ``llamafactory-cli train CONFIG`` from the config's folder and register its output
    folder as a local job (hyperparameters from the YAML). Returns the job at once.

    Raises ``LocalTrainerMissing`` (with the install command), ``ValueError`` for a bad config
    (``read_training_config``), ``FineTuneError`` when FineFlow already trains into that folder."""
    exe = find_trainer()
    if exe is None:
        raise LocalTrainerMissing(f"{LAUNCHER} is not on PATH; install it with: {INSTALL_HINT} — or run the "
                                  "command yourself and use \u201cWatch local run\u201d")
    config = Path(config_path).expanduser().resolve()
    cfg = read_training_config(config)
    project = config.parent
    run_dir = (project / str(cfg["output_dir"])).resolve()
    running = lp.process_of(lp.read_launch(run_dir))
    if running is not None:
        raise FineTuneError(f"{run_dir}: FineFlow already trains into this folder (process {running.pid})")
    _retire_previous_run(ws, run_dir, overwrite=bool(cfg.get("overwrite_output_dir")))
    job = register_local_run(ws, run_dir, name or project.name, base_model=str(cfg["model_name_or_path"]))
    command = [exe, "train", str(config)]
    with ws.session() as s:
        row = load_row(s, job.id)
        row.hyperparameters = {k: cfg[k] for k in HYPERPARAMETERS if cfg.get(k) is not None}
        row.method = "dpo" if cfg.get("stage") == "dpo" else "supervised"
        row.request = {**(row.request or {}), "config": str(config), "command": command}
    lp.start(command, project, run_dir, {"config": str(config), "job_id": job.id})
    with ws.session() as s:
        return to_record(load_row(s, job.id))


def run_local_training(ws, config_path: str | Path, *, name: str | None = None,
                       idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S, interval_s: float = 2.0,
                       on_change: Callable[[JobRecord], None] | None = None,
                       state: TaskState | None = None) -> JobRecord:
    """Launch (``launch_local_training``) and follow the run until it ends; returns the final
    record (``completed``, ``failed`` with the trainer's exit status, or ``failed``/``stalled``).
    ``Cancelled`` from *state* terminates the trainer (job ``cancelled``) and re-raises."""
    state = state or TaskState()
    job = launch_local_training(ws, config_path, name=name)
    try:
        return watch_local_run(ws, job.provider_job_id, idle_timeout_s=idle_timeout_s, interval_s=interval_s,
                               on_change=on_change, state=state)
    except Cancelled:
        cancel_job(ws, job.id)
        raise
