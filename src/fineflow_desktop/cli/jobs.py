"""``fineflow budget set|show`` and ``fineflow jobs estimate|create|list|show|events|cancel|sync|watch``.

The exact contract of issue 11 (flags and JSON keys). Exit codes: 0 success; 1 refused (budget,
validation errors, provider error) or, for ``watch``, the job ended failed/cancelled; 2 bad
usage (unknown job, dataset, credential, malformed flag). ``jobs create`` over the budget in
warn mode asks on a terminal and otherwise needs ``--yes``; block mode refuses either way.
"""

from __future__ import annotations

import argparse
import sys

from fineflow_desktop.cli import jobs_local
from fineflow_desktop.cli.common import UsageError, command, emit

SHOW_ONLY = ("events", "metrics")


def _auto_int(value: str):
    if value == "auto":
        return value
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number or 'auto'") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be at least 1")
    return n


def _auto_float(value: str):
    if value == "auto":
        return value
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number or 'auto'") from None
    if x <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be above 0")
    return x


def register(sub, common) -> None:
    """Add the ``budget`` and ``jobs`` command groups."""
    b = sub.add_parser("budget", help="monthly fine-tuning budget")
    bsub = b.add_subparsers(dest="budget_command", required=True, metavar="ACTION")
    bset = bsub.add_parser("set", parents=[common], help="set the monthly limit and mode")
    bset.add_argument("--monthly-usd", type=float, required=True, help="limit in USD per calendar month (UTC)")
    bset.add_argument("--mode", choices=["warn", "block"], default="warn")
    bset.set_defaults(handler=cmd_budget_set)
    bshow = bsub.add_parser("show", parents=[common], help="limit, spent this month, remaining, mode")
    bshow.set_defaults(handler=cmd_budget_show)

    j = sub.add_parser("jobs", help="fine-tuning jobs")
    jsub = j.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")

    def launch_args(p, full: bool) -> None:
        p.add_argument("--dataset", required=True, help="dataset name or id")
        p.add_argument("--credential", required=True, help="credential name (openai, together or fireworks)")
        p.add_argument("--model", required=True, help="base model id")
        p.add_argument("--epochs", type=_auto_int, default="auto", help="N or auto (cookbook rule)")
        p.add_argument("--validation-split", type=float, default=None, metavar="F", help="fraction held out for validation, e.g. 0.1")
        if full:
            p.add_argument("--batch-size", type=_auto_int, default="auto")
            p.add_argument("--learning-rate-multiplier", type=_auto_float, default="auto")
            p.add_argument("--suffix", default=None)
            p.add_argument("--seed", type=int, default=None)
            p.add_argument("--method", choices=["supervised", "dpo"], default="supervised")
            p.add_argument("--yes", "-y", action="store_true", help="launch without asking (also over a warn-mode budget)")

    est = jsub.add_parser("estimate", parents=[common], help="tokens, epochs, cost and budget of a launch")
    launch_args(est, False)
    est.set_defaults(handler=cmd_estimate)
    create = jsub.add_parser("create", parents=[common], help="launch a fine-tuning job")
    launch_args(create, True)
    create.set_defaults(handler=cmd_create)
    ls = jsub.add_parser("list", parents=[common], help="jobs, newest first")
    ls.add_argument("--filter", choices=["all", "active", "finished", "failed"], default="all")
    ls.set_defaults(handler=cmd_list)
    for name, handler, help_ in (("show", cmd_show, "one job with metrics and events"),
                                 ("events", cmd_events, "a job's events"),
                                 ("cancel", cmd_cancel, "cancel a job at the provider")):
        p = jsub.add_parser(name, parents=[common], help=help_)
        p.add_argument("job", help="local job id or provider job id")
        p.set_defaults(handler=handler)
    sync = jsub.add_parser("sync", parents=[common], help="one poll of all live jobs + reconcile interrupted launches")
    sync.set_defaults(handler=cmd_sync)
    watch = jsub.add_parser("watch", parents=[common], help="poll a job until it ends (exit 0 completed, 1 failed/cancelled)")
    watch.add_argument("job")
    watch.add_argument("--interval", type=float, default=30.0, metavar="S", help="seconds between polls (default 30)")
    watch.set_defaults(handler=cmd_watch)
    jobs_local.register_actions(jsub, common)  # export-local, watch-local (issue 12)


def _spec(args):
    from fineflow_desktop.services.finetune import JobSpec

    return JobSpec(dataset=args.dataset, credential=args.credential, model=args.model, epochs=args.epochs,
                   validation_split=args.validation_split,
                   method=getattr(args, "method", "supervised"), batch_size=getattr(args, "batch_size", "auto"),
                   learning_rate_multiplier=getattr(args, "learning_rate_multiplier", "auto"),
                   suffix=getattr(args, "suffix", None), seed=getattr(args, "seed", None))


def _money(x) -> str:
    return "-" if x is None else f"${x:,.2f}"


def _budget_text(b) -> str:
    if b.limit is None:
        return f"no monthly budget set; spent this month {_money(b.spent_this_month)}"
    return (f"budget {_money(b.limit)}/month ({b.mode}); spent this month {_money(b.spent_this_month)}; "
            f"remaining {_money(b.remaining)}")


def _refused(args, exc) -> int:
    payload = {"error": str(exc), "reason": getattr(exc, "reason", "provider"), **getattr(exc, "details", {})}
    if getattr(args, "json", False):
        emit(args, payload, "")
    print(f"fineflow: refused: {exc}", file=sys.stderr)
    for e in (getattr(exc, "details", {}) or {}).get("errors", [])[:20]:
        where = ", ".join(str(x) for x in (f"line {e['line']}" if e.get("line") else None,
                                           f"pair {e['pair_id']}" if e.get("pair_id") else None, e.get("field")) if x)
        print(f"  {where or 'dataset'}: {e['code']}: {e['message']}", file=sys.stderr)
    return 1


@command
def cmd_budget_set(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    try:
        b = ft.set_budget(ws, args.monthly_usd, args.mode)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    emit(args, b.to_dict(), _budget_text(b))
    return 0


@command
def cmd_budget_show(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    b = ft.get_budget(ws)
    emit(args, b.to_dict(), _budget_text(b))
    return 0


@command
def cmd_estimate(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    try:
        est = ft.estimate_job(ws, _spec(args))
    except ft.LaunchRefused as exc:
        if exc.reason in ("input", "credential"):
            raise UsageError(str(exc)) from None
        return _refused(args, exc)
    lines = [f"{est.examples:,} training examples ({est.validation_examples:,} validation), "
             f"{est.training_tokens:,} tokens × {est.epochs} epochs = {est.billed_tokens:,} billed tokens",
             f"price {_money(est.price_per_million)} per 1M tokens (as of {est.price_as_of}) → cost {_money(est.cost_usd)}",
             _budget_text(est.budget)] + [f"warning: {w}" for w in est.warnings]
    emit(args, est.to_dict(), "\n".join(lines))
    return 0


@command
def cmd_create(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    spec = _spec(args)
    try:
        job = ft.create_job(ws, spec, allow_over_budget=args.yes)
    except ft.BudgetExceeded as exc:
        if exc.details.get("mode") != "warn" or not sys.stdin.isatty():
            if exc.details.get("mode") == "warn":
                exc = ft.BudgetExceeded(f"{exc} (add --yes to launch anyway)", exc.details)
            return _refused(args, exc)
        answer = input(f"{exc}\nLaunch anyway? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            return _refused(args, exc)
        job = ft.create_job(ws, spec, allow_over_budget=True)
    except ft.LaunchRefused as exc:
        if exc.reason == "input":
            raise UsageError(str(exc)) from None
        return _refused(args, exc)
    emit(args, {"id": job.id, "provider_job_id": job.provider_job_id, "status": job.status, "marker": job.marker},
         f"job {job.id} created at {job.provider}: {job.provider_job_id} ({job.status})")
    return 0


def _job_line(j) -> str:
    prog = j.progress or {}
    step = f" step {prog.get('step')}/{prog.get('total_steps') or '?'}" if prog.get("step") else ""
    model = f" → {j.fine_tuned_model}" if j.fine_tuned_model else ""
    err = f" — {j.error.message}" if j.error else ""
    return f"{j.id}\t{j.provider}\t{j.provider_job_id or '-'}\t{j.status} ({j.provider_status or '-'}){step}\t{_money(j.cost_actual_usd if j.cost_actual_usd is not None else j.cost_estimate_usd)}{model}{err}"


@command
def cmd_list(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    jobs = ft.list_jobs(ws, args.filter)
    emit(args, {"jobs": [j.to_dict() for j in jobs]}, "\n".join(_job_line(j) for j in jobs) or "no fine-tuning jobs")
    return 0


def _open_job(ws, ref):
    from fineflow_desktop.services import finetune as ft

    try:
        return ft.get_job(ws, ref)
    except ft.JobNotFound as exc:
        raise UsageError(str(exc)) from None


@command
def cmd_show(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    job = _open_job(ws, args.job)
    payload = job.to_dict()
    metrics = ft.job_metrics(ws, job.id)
    events = ft.job_events(ws, job.id)
    payload["metrics"] = [m.to_dict() for m in metrics]
    payload["events"] = [e.to_dict() for e in events]
    text = [_job_line(job)]
    if job.error:
        text.append(f"error {job.error.code or ''} ({job.error.param or '-'}): {job.error.message}")
        if job.error.hint:
            text.append(f"hint: {job.error.hint}")
    if metrics:
        last = metrics[-1]
        text.append(f"{len(metrics)} metric steps; last step {last.step}: train loss {last.train_loss}, valid loss {last.valid_loss}")
    text.append(f"{len(events)} events")
    emit(args, payload, "\n".join(text))
    return 0


@command
def cmd_events(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    job = _open_job(ws, args.job)
    events = ft.job_events(ws, job.id)
    emit(args, {"events": [e.to_dict() for e in events]},
         "\n".join(f"{e.created_at:%Y-%m-%d %H:%M:%S}\t{e.level}\t{e.message}" for e in events) or "no events yet")
    return 0


@command
def cmd_cancel(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    job = _open_job(ws, args.job)
    try:
        job = ft.cancel_job(ws, job.id)
    except ft.FineTuneError as exc:
        return _refused(args, exc)
    emit(args, job.to_dict(), _job_line(job))
    return 0


@command
def cmd_sync(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    report = ft.sync_jobs(ws)
    d = report.to_dict()
    text = (f"polled {d['polled']} job(s) in {d['seconds']:.2f} s: {len(d['changed'])} changed, {d['new_events']} new events, "
            f"{d['new_metrics']} new metric steps, {len(d['reconciled'])} interrupted launch(es) reconciled")
    text += "".join(f"\nerror (job {e['id']}): {e['error']}" for e in d["errors"])
    emit(args, d, text)
    return 1 if d["errors"] else 0


@command
def cmd_watch(ws, args) -> int:
    from fineflow_desktop.services import finetune as ft

    job = _open_job(ws, args.job)

    def line(j) -> None:
        print(_job_line(j) if not args.json else __import__("json").dumps(
            {"id": j.id, "status": j.status, "provider_status": j.provider_status, "progress": j.progress}), flush=True)

    try:
        line(job)
        final = job if job.terminal else ft.watch_job(ws, job.id, interval_s=args.interval, on_change=line)
    except KeyboardInterrupt:
        return 130
    return 0 if final.status == "completed" else 1
