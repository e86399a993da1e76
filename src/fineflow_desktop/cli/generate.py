"""``fineflow generate`` (LLM generation runs) and ``fineflow runs list|show|cancel``.

``generate`` prints the estimate (calls, tokens, cost) first; it asks for confirmation on a
terminal and, when not interactive, refuses (exit 2) unless ``--yes`` is given. ``--resume
RUN_ID`` continues an interrupted run (pending + failed items, or polling a pending batch);
``--retry-failed RUN_ID`` retries the failed items. Ctrl+C cancels cleanly: unfinished items
stay pending for ``--resume``. Exit codes: 0 every item done, 1 the run finished with failed
items or stopped on an error, 2 bad usage, 130 cancelled. ``runs cancel RUN`` cancels a batch
run's batches at the provider (exit 0 once they ended, or at once with ``--no-wait``).

``generate`` itself is registered by ``cli.core`` (one command for both generators); this
module gives it ``add_llm_generate_arguments(parser)`` and ``generate_llm(ws, args)``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from fineflow_desktop.cli.common import UsageError, command, emit

MODES = ("auto", "qa", "instruction", "conversation")
PROGRESS_EVERY_S = 2.0


def add_llm_generate_arguments(p: argparse.ArgumentParser) -> None:
    """The LLM generation options of ``fineflow generate``."""
    g = p.add_argument_group("LLM generation")
    g.add_argument("--dataset", help="dataset name (created runs add pairs to it)")
    g.add_argument("--provider", choices=["openai", "anthropic", "compatible"], help="provider kind (default credential of it if --credential is omitted)")
    g.add_argument("--credential", help="credential name (see fineflow credentials list)")
    g.add_argument("--model", help="model id (default: the credential's preferred model)")
    g.add_argument("--mode", choices=MODES, default="auto")
    g.add_argument("--pairs-per-chunk", type=int, default=3)
    g.add_argument("--concurrency", type=int, default=None, help="parallel requests (default: the credential's limit)")
    g.add_argument("--batch", action="store_true", help="use the provider's batch API (about half price, results within 24 h)")
    g.add_argument("--language", default=None, help="write pairs in this language (default: each chunk's language)")
    g.add_argument("--system-prompt", default="", help="system message of the generation calls")
    g.add_argument("--documents", default=None, help="comma-separated document ids (default: all)")
    g.add_argument("--min-quality", type=float, default=None, help="skip chunks below this quality score (0-1)")
    g.add_argument("--include-duplicates", action="store_true", help="also use chunks marked as duplicates")
    g.add_argument("--include-flagged", action="store_true", help="also use chunks flagged for prompt injection")
    g.add_argument("--yes", "-y", action="store_true", help="start without asking for confirmation")
    g.add_argument("--resume", type=int, metavar="RUN_ID", help="continue an interrupted run (pending + failed items)")
    g.add_argument("--retry-failed", type=int, metavar="RUN_ID", help="retry the failed items of a run")


def register(sub, common) -> None:
    """Add ``runs``. (``generate`` is one command for both generators, in ``cli.core``.)"""
    runs = sub.add_parser("runs", help="generation runs")
    rsub = runs.add_subparsers(dest="runs_command", required=True, metavar="ACTION")
    ls = rsub.add_parser("list", parents=[common], help="list runs with their progress")
    ls.set_defaults(handler=cmd_runs_list)
    show = rsub.add_parser("show", parents=[common], help="one run with per-item states and errors")
    show.add_argument("run_id", type=int)
    show.add_argument("--state", choices=["pending", "running", "done", "failed"], action="append",
                      help="only items in this state (repeatable)")
    show.set_defaults(handler=cmd_runs_show)
    cancel = rsub.add_parser("cancel", parents=[common], help="cancel a batch run's batches at the provider")
    cancel.add_argument("run_id", type=int)
    cancel.add_argument("--no-wait", action="store_true", help="ask the provider and return; collect later with --resume")
    cancel.set_defaults(handler=cmd_runs_cancel)


def _params(args, ws):
    from fineflow_desktop.providers.credentials import credentials_for
    from fineflow_desktop.services.generation import RunParams, SourceFilter

    if not args.dataset:
        raise UsageError("--dataset is required to start a run (or use --resume / --retry-failed RUN_ID)")
    credential = args.credential
    if not credential:
        if not args.provider:
            raise UsageError("--credential or --provider is required")
        chain = credentials_for(ws, args.provider)
        if not chain:
            raise UsageError(f"--provider: no {args.provider} credential; add one with fineflow credentials add")
        credential = chain[0].name
    docs = None
    if args.documents:
        try:
            docs = [int(x) for x in args.documents.split(",") if x.strip()]
        except ValueError:
            raise UsageError("--documents: expected comma-separated document ids, e.g. 1,4,7") from None
    return RunParams(
        dataset=args.dataset, credential=credential, provider=args.provider, model=args.model, mode=args.mode,
        pairs_per_chunk=args.pairs_per_chunk, concurrency=args.concurrency, system_prompt=args.system_prompt,
        language=args.language, batch=args.batch,
        source_filter=SourceFilter(document_ids=docs, min_quality=args.min_quality,
                                   exclude_duplicates=not args.include_duplicates, exclude_flagged=not args.include_flagged),
    )


def _confirm(args, summary: str) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("not starting without confirmation: review the estimate above and pass --yes")
    answer = input(f"Start this run? {summary} [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise UsageError("cancelled by the user; nothing was sent")


class _Progress:
    """Progress lines on stderr (throttled), so stdout stays clean for --json."""

    def __init__(self, quiet: bool):
        self.quiet, self.last = quiet, 0.0

    def __call__(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if self.quiet or (now - self.last < PROGRESS_EVERY_S and done != total):
            return
        self.last = now
        print(f"[{done}/{total}] {message}", file=sys.stderr, flush=True)


def _execute(args, ws, run_id: int, fn, ok=("completed", "batch_pending")) -> int:
    """Run *fn(ws, run_id, state)* with progress and Ctrl+C; print the summary. Exit 0 for the
    *ok* statuses, 130 cancelled, else 1."""
    from fineflow_desktop.core.progress import TaskState

    state = TaskState(on_progress=_Progress(args.json))

    def on_sigint(_signum, _frame):
        print("\ncancelling: finishing the requests in flight (Ctrl+C again to abort)…", file=sys.stderr)
        state.cancel()
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        summary = fn(ws, run_id, state)
    finally:
        signal.signal(signal.SIGINT, previous)
    text = (f"run {summary.run_id}: {summary.status} — {summary.done} done, {summary.failed} failed, "
            f"{summary.pending} pending, {summary.pairs} pairs ({summary.rate:.1f} items/s)")
    if summary.error:
        text += f"\nerror: {summary.error}"
    if summary.status == "cancelled":
        text += f"\nresume with: fineflow generate --resume {summary.run_id}"
    elif summary.failed:
        text += f"\nsee the failures: fineflow runs show {summary.run_id} --state failed; retry: fineflow generate --retry-failed {summary.run_id}"
    elif summary.status == "batch_pending":
        text += f"\nthe batch is still processing; collect results later with: fineflow generate --resume {summary.run_id}"
    emit(args, summary.to_dict(), text)
    return 0 if summary.status in ok else 130 if summary.status == "cancelled" else 1


def generate_llm(ws, args) -> int:
    """``fineflow generate`` with an LLM (called by ``cli.core.cmd_generate`` with its open
    workspace): start, resume or retry a run."""
    from fineflow_desktop.services import generation as gen

    if args.resume is not None and args.retry_failed is not None:
        raise UsageError("use either --resume or --retry-failed, not both")
    try:
        if args.resume is not None:
            return _execute(args, ws, args.resume, gen.resume_run)
        if args.retry_failed is not None:
            return _execute(args, ws, args.retry_failed, gen.retry_failed)
        params = _params(args, ws)
        estimate = gen.estimate_for(ws, params)
        if not args.json:
            print(f"estimate: {estimate.summary()}", flush=True)
        _confirm(args, estimate.summary())
        run_id, estimate = gen.create_run(ws, params)
        if not args.json:
            print(f"run {run_id} created", flush=True)
        return _execute(args, ws, run_id, gen.run_generation)
    except (gen.GenerationError, gen.RunBusyError, LookupError) as exc:
        raise UsageError(str(exc)) from None


@command
def cmd_runs_list(ws, args) -> int:
    """``fineflow runs list``."""
    from fineflow_desktop.services.generation import list_runs

    runs = list_runs(ws)
    lines = []
    for r in runs:
        flag = f"  ← interrupted: fineflow generate --resume {r.id}" if r.needs_resume else ""
        lines.append(f"{r.id}\t{r.dataset_name}\t{r.provider}/{r.credential_name}\t{r.model}\t{r.mode}{' batch' if r.is_batch else ''}\t"
                     f"{r.status}\t{r.done} done / {r.failed} failed / {r.pending + r.running} left of {r.total}\t"
                     f"{r.pairs} pairs\t{r.created_at:%Y-%m-%d %H:%M}{flag}")
    emit(args, [r.to_dict() for r in runs], "\n".join(lines) or "no generation runs yet")
    return 0


@command
def cmd_runs_show(ws, args) -> int:
    """``fineflow runs show RUN_ID``: the run and each item's state and error."""
    from fineflow_desktop.services.generation import run_detail

    try:
        detail = run_detail(ws, args.run_id, states=tuple(args.state) if args.state else None)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    r = detail.run
    head = [f"run {r.id}: {r.status}{' (interrupted: resume with fineflow generate --resume %d)' % r.id if r.needs_resume else ''}",
            f"  dataset {r.dataset_name} · {r.provider}/{r.credential_name} · {r.model} · mode {r.mode} · "
            f"{r.pairs_per_chunk} pairs/chunk · concurrency {r.concurrency}{' · batch' if r.is_batch else ''}",
            f"  {r.done} done · {r.failed} failed · {r.pending} pending · {r.running} running · {r.pairs} pairs",
            f"  estimate: {r.estimate.get('calls', '?')} calls, {r.estimate.get('input_tokens', '?')} input tokens"]
    if r.error:
        head.append(f"  error: {r.error}")
    if detail.rejects:
        head.append("  dropped pairs: " + ", ".join(f"{k} {v}" for k, v in sorted(detail.rejects.items())))
    rows = [f"  item {i.id}\tchunk {i.chunk_id}\t{i.state}\tattempts {i.attempts}\t{i.n_pairs} pairs\t{i.document_name}"
            + (f"\n      error: {i.last_error}" if i.last_error else "") for i in detail.items]
    emit(args, detail.to_dict(), "\n".join(head + rows))
    return 0


@command
def cmd_runs_cancel(ws, args) -> int:
    """``fineflow runs cancel RUN_ID [--no-wait]``: cancel a batch run at the provider."""
    from fineflow_desktop.services.generation import NotABatchRunError, RunBusyError, cancel_batch_run

    try:
        if not args.json:
            print(f"asking the provider to cancel run {args.run_id}'s batches…", file=sys.stderr, flush=True)
        fn = lambda w, rid, state: cancel_batch_run(w, rid, state, watch=not args.no_wait)  # noqa: E731
        return _execute(args, ws, args.run_id, fn, ok=("completed", "partial", "batch_pending"))
    except (NotABatchRunError, RunBusyError, LookupError) as exc:
        raise UsageError(str(exc)) from None
