"""``fineflow jobs export-local`` and ``fineflow jobs watch-local`` (issue 12, "Train locally").

``export-local --dataset D --trainer llamafactory --out DIR [--validation-split F] [--base-model PATH]``
writes a ready-to-run LLaMA-Factory project and prints the launch command.
``watch-local RUN_DIR [--name NAME] [--idle-timeout S]`` creates the job row at once
(``provider = "local"``), stores each step as it arrives and follows the log until the run
ends; exit 0 when it ended normally (last step or final ``trainer_state.json``), 1 when it
stalled (no new line for S seconds, or no log ever appeared — the files looked for are named).
``train-local CONFIG [--name NAME] [--idle-timeout S]`` starts ``llamafactory-cli train CONFIG``
(when on PATH; else exit 2 with the install command), its output to ``<output_dir>/fineflow_train.log``,
and follows the run like ``watch-local`` (Ctrl+C stops the trainer; exit 0 when it completed).
``compare JOB JOB [JOB…]`` (compare runs): JSON ``{"jobs", "rows": [{"key", "label", "values",
"differs"}], "differing", "metrics": {job id: [{step, train_loss, valid_loss, …, learning_rate}]}}``.
Registered as actions of the ``jobs`` group by ``cli.jobs.register``.
"""

from __future__ import annotations

import json
from pathlib import Path

from fineflow_desktop.cli.common import UsageError, command, emit


def register_actions(jsub, common) -> None:
    """Add ``export-local`` and ``watch-local`` to the ``jobs`` sub-parsers *jsub*."""
    ex = jsub.add_parser("export-local", parents=[common], help="write a ready-to-run LLaMA-Factory project for a dataset")
    ex.add_argument("--dataset", required=True, help="dataset name or id")
    ex.add_argument("--trainer", choices=["llamafactory"], default="llamafactory")
    ex.add_argument("--out", required=True, type=Path, help="project folder to write")
    ex.add_argument("--validation-split", type=float, default=None, metavar="F", help="held-out fraction, e.g. 0.1")
    ex.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    ex.add_argument("--base-model", default=None, metavar="PATH", help="base model folder or hub id for the YAML")
    ex.add_argument("--method", choices=["supervised", "dpo"], default="supervised")
    ex.add_argument("--format", dest="formatting", choices=["auto", "sharegpt", "alpaca"], default="auto",
                    help="auto: alpaca for single-turn instruction data, else sharegpt (role/content tags)")
    ex.add_argument("--epochs", default="auto", help="number or 'auto' (the OpenAI cookbook rule)")
    ex.add_argument("--learning-rate", type=float, default=None)
    ex.add_argument("--lora-rank", type=int, default=None)
    ex.add_argument("--template", default=None, help="LLaMA-Factory chat template of the base model (e.g. llama3, qwen)")
    ex.set_defaults(handler=cmd_export_local)
    wl = jsub.add_parser("watch-local", parents=[common],
                         help="follow a local run's trainer_log.jsonl / trainer_state.json until it ends")
    wl.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="the trainer's output folder")
    wl.add_argument("--name", default=None, help="name shown for the job (default: the folder name)")
    wl.add_argument("--idle-timeout", type=float, default=600.0, metavar="S",
                    help="stop when no new log line arrives for S seconds (default 600)")
    wl.add_argument("--interval", type=float, default=2.0, metavar="S", help="seconds between reads (default 2)")
    wl.set_defaults(handler=cmd_watch_local)
    tr = jsub.add_parser("train-local", parents=[common],
                         help="start llamafactory-cli train CONFIG and follow the run (needs LLaMA-Factory installed)")
    tr.add_argument("config", type=Path, metavar="CONFIG", help="the training YAML (from export-local)")
    tr.add_argument("--name", default=None, help="name shown for the job (default: the project folder's name)")
    tr.add_argument("--idle-timeout", type=float, default=600.0, metavar="S",
                    help="fail the job when no new log line arrives for S seconds (default 600)")
    tr.add_argument("--interval", type=float, default=2.0, metavar="S", help="seconds between reads (default 2)")
    tr.set_defaults(handler=cmd_train_local)
    cr = jsub.add_parser("compare", parents=[common],
                         help="compare runs: configurations side by side (differences marked) and their curves")
    cr.add_argument("job_ids", nargs="+", metavar="JOB", help="two or more local ids or provider job ids")
    cr.set_defaults(handler=cmd_compare_runs)


@command
def cmd_export_local(ws, args) -> int:
    from fineflow_desktop.services.finetune.local_export import export_llamafactory
    from fineflow_desktop.services.finetune.types import LaunchRefused

    overrides = {"learning_rate": args.learning_rate, "lora_rank": args.lora_rank, "template": args.template}
    try:
        out = export_llamafactory(ws, args.dataset, args.out, validation_split=args.validation_split, seed=args.seed,
                                  base_model=args.base_model, method=args.method, formatting=args.formatting,
                                  epochs=args.epochs, overrides=overrides)
    except (ValueError, LaunchRefused) as exc:
        raise UsageError(str(exc)) from None
    d = out.to_dict()
    text = [f"wrote {out.folder}: {out.counts['train']} training"
            + (f" + {out.counts['validation']} validation" if out.validation else "")
            + f" examples ({out.formatting}), {out.config.name}",
            f"run:  cd \"{out.folder}\" && {out.command}"]
    if out.skipped:
        text.append(f"skipped {len(out.skipped)} pair(s): {out.skipped[0]['reason']}")
    if not out.llamafactory_found:
        text.append(f"llamafactory-cli is not on PATH; install it with: {d['install_hint']}")
    emit(args, d, "\n".join(text))
    return 0


def _line(job) -> str:
    prog = job.progress or {}
    step = f"step {prog.get('step')}/{prog.get('total_steps') or '?'}" if prog.get("step") is not None else "no step yet"
    return f"{job.id}\tlocal\t{job.status} ({job.provider_status or '-'})\t{step}"


def _check_watch_args(args) -> None:
    if args.idle_timeout <= 0 or args.interval <= 0:
        raise UsageError("--idle-timeout and --interval must be positive seconds")


def _follow(ws, args, run_dir, **kw):
    """``watch_local_run`` with each change printed (a line, or a JSON object with ``--json``)."""
    from fineflow_desktop.services.finetune.local_runs import watch_local_run

    def show(job) -> None:
        print(json.dumps({"id": job.id, "status": job.status, "provider_status": job.provider_status,
                          "progress": job.progress}) if args.json else _line(job), flush=True)

    return watch_local_run(ws, run_dir, idle_timeout_s=args.idle_timeout, interval_s=args.interval,
                           on_change=show, **kw)


def _ended(args, final) -> int:
    """Exit code for a followed run: 0 completed (adapter folder named), else 1 with the reason."""
    if final.status == "completed":
        if not args.json:
            print(f"job {final.id} completed: adapter folder {final.fine_tuned_model}")
        return 0
    print(f"fineflow: job {final.id} {final.status}: {final.error.message if final.error else ''}", flush=True)
    return 1


@command
def cmd_watch_local(ws, args) -> int:
    from fineflow_desktop.services.finetune.local_runs import RunFolderError

    _check_watch_args(args)
    try:
        final = _follow(ws, args, args.run_dir, name=args.name)
    except RunFolderError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        return 130
    return _ended(args, final)


@command
def cmd_compare_runs(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    try:
        cmp = ft.compare_runs(ws, args.job_ids)
    except (ValueError, LookupError) as exc:
        raise UsageError(str(exc)) from None
    width = max(len(r.label) for r in cmp.rows)
    lines = [" " * (width + 2) + "  ".join(ft.run_label(j) for j in cmp.jobs)]
    for r in cmp.rows:
        mark = "*" if r.differs else " "
        lines.append(f"{mark} {r.label:<{width}}  " + "  ".join(v if v is not None else "—" for v in r.values))
    lines.append("* = differs")
    emit(args, cmp.to_dict(), "\n".join(lines))
    return 0


@command
def cmd_train_local(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    _check_watch_args(args)
    try:
        job = ft.launch_local_training(ws, args.config, name=args.name)
    except (ft.FineTuneError, ValueError) as exc:  # LocalTrainerMissing says how to install it
        raise UsageError(str(exc)) from None
    try:
        final = _follow(ws, args, job.provider_job_id)
    except KeyboardInterrupt:
        ft.cancel_job(ws, job.id)  # stops the trainer's process group
        return 130
    return _ended(args, final)
