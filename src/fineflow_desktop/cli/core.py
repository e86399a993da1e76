"""Core commands: ``ingest``, ``generate`` (offline extractive), ``validate``, ``stats``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fineflow_desktop.cli.common import UsageError, command, emit, end_progress, progress


@command
def cmd_ingest(ws, args) -> int:
    """``fineflow ingest PATH…``: import files and folders."""
    from fineflow_desktop.services.ingest import ingest_paths

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    options = {".xlsx": {"text_column": args.xlsx_text_column}, ".xlsm": {"text_column": args.xlsx_text_column}} \
        if args.xlsx_text_column else None
    try:
        report = ingest_paths(ws, list(args.paths), progress(args), parser_options=options)
    finally:
        end_progress(args)
    data = report.to_dict()
    lines = [f"{k}: {v}" for k, v in data.items() if k not in ("errors", "document_ids", "failures_by_reason")]
    lines += _failure_summary(data["failures_by_reason"])
    emit(args, data, "\n".join(lines))
    return 1 if report.nothing_read else 0


def _failure_summary(groups: list[dict], shown: int = 3) -> list[str]:
    """The closing summary of ``fineflow ingest``: one block per reason, a few paths each."""
    if not groups:
        return ["failed: 0"]
    lines = [f"failed: {sum(g['count'] for g in groups)} files, {len(groups)} reasons"]
    for g in groups:
        lines.append(f"  {g['count']} x {g['reason']}")
        lines += [f"      {p}" for p in g["paths"][:shown]]
        if g["count"] > shown:
            lines.append(f"      ... and {g['count'] - shown} more")
    return lines


@command
def cmd_generate(ws, args) -> int:
    """``fineflow generate``: offline extraction, or an LLM run (``cli.generate.generate_llm``)."""
    from fineflow_desktop.services.datasets import NothingExtracted, generate_extractive

    llm_options = args.provider or args.credential or args.resume is not None or args.retry_failed is not None
    generator = args.generator or ("llm" if llm_options else "extractive")
    if generator == "llm":
        from fineflow_desktop.cli.generate import generate_llm

        return generate_llm(ws, args)
    if llm_options:
        raise UsageError("--provider/--credential/--resume/--retry-failed are for --generator llm")
    if not args.dataset:
        raise UsageError("--dataset NAME is required")
    mode = "qa" if args.mode == "auto" else args.mode
    if mode not in ("qa", "instruction"):
        raise UsageError(f"the extractive generator supports --mode qa or instruction, not {mode!r}")
    try:
        report = generate_extractive(ws, args.dataset, mode=mode, system_prompt=args.system_prompt or "",
                                     state=progress(args), include_duplicates=args.include_duplicates,
                                     include_flagged=args.include_flagged, min_quality=args.min_quality)
    except NothingExtracted as exc:  # says why and what to try; no dataset was written
        report = {"error": str(exc), **exc.stats}
    finally:
        end_progress(args)
    if "error" in report:
        print(f"fineflow: error: {report['error']}", file=sys.stderr)
        if args.json:
            emit(args, report, "")
        return 1
    emit(args, report, f"dataset {report['dataset']!r}: {report['pairs_added']} pairs added "
                       f"({report['pairs_skipped_existing']} already present) from {report['sections']} sections "
                       f"[extractive, mode {report['mode']}]")
    return 0


def _print_report(args, report, source: str) -> None:
    data = report.to_dict()
    if args.json:
        emit(args, data, "")
        return
    out = [f"{source}: {'OK' if report.ok else 'ERRORS'} for {report.model}"]
    fmt = report.stats.get("format")
    if fmt and fmt != "openai":  # a file in another format was read as chat messages first
        from fineflow_desktop.core.formats import FORMAT_LABELS

        out.append(f"  format: {FORMAT_LABELS.get(fmt, fmt)}, read as chat messages")
    for issue in report.errors[: args.limit]:
        out.append(f"  error   [{issue.code}] {issue.where()}: {issue.message}")
    if len(report.errors) > args.limit:
        out.append(f"  … {len(report.errors) - args.limit} more errors (use --json for all)")
    for issue in report.warnings[: args.limit]:
        out.append(f"  warning [{issue.code}] {issue.where()}: {issue.message}")
    if len(report.warnings) > args.limit:
        out.append(f"  … {len(report.warnings) - args.limit} more warnings")
    st = report.stats
    dist = st.get("tokens_per_example", {})
    out.append(f"  examples {st.get('examples')}, unique user messages {st.get('unique_user_messages')}, "
               f"tokens min/mean/max {dist.get('min')}/{dist.get('mean')}/{dist.get('max')}, "
               f"epochs {st.get('epochs')}, billed tokens {st.get('billed_tokens')}, "
               f"est. cost ${st.get('estimated_cost_usd')}")
    print("\n".join(out))


@command(workspace=lambda args: not args.file)
def cmd_validate(ws, args) -> int:
    """``fineflow validate --dataset NAME | --file FILE``: exit 1 when the data has errors."""
    from fineflow_desktop.services.datasets import dataset_id, validate_dataset, validate_file

    if bool(args.dataset) == bool(args.file):
        raise UsageError("give exactly one of --dataset NAME or --file FILE.jsonl")
    if args.file:
        if not args.file.is_file():
            raise UsageError(f"no such file: {args.file}")
        report = validate_file(args.file, model=args.model or "gpt-4o-mini")
        _print_report(args, report, str(args.file))
    else:
        try:
            report = validate_dataset(ws, dataset_id(ws, args.dataset), model=args.model)
        except LookupError as exc:
            raise UsageError(str(exc)) from exc
        _print_report(args, report, f"dataset {args.dataset!r}")
    return 0 if report.ok else 1


@command
def cmd_stats(ws, args) -> int:
    """``fineflow stats``: counts of documents, chunks, duplicates, datasets and pairs."""
    from fineflow_desktop.services.datasets import list_datasets, workspace_stats

    stats = workspace_stats(ws)
    stats["dataset_list"] = [{"name": d["name"], "pairs": d["n_pairs"]} for d in list_datasets(ws)]
    text = "\n".join(f"{k}: {v}" for k, v in stats.items() if k != "dataset_list")
    text += "".join(f"\n  {d['name']}: {d['pairs']} pairs" for d in stats["dataset_list"])
    emit(args, stats, text)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the core commands to the ``fineflow`` parser."""
    p = sub.add_parser("ingest", parents=[common], help="import files and folders (recursive)")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--xlsx-text-column", default=None, metavar="COLUMN",
                   help="Excel files: import only this column (header name, letter or 1-based number); "
                        "default: every row as 'header: value' lines")
    p.set_defaults(handler=cmd_ingest)

    from fineflow_desktop.cli.generate import add_llm_generate_arguments

    p = sub.add_parser("generate", parents=[common], help="generate pairs into a dataset (extractive or LLM)")
    p.add_argument("--generator", choices=["extractive", "llm"], default=None,
                   help="extractive: offline, pairs extracted from the documents (no model, no network); "
                        "llm: a model writes them (default when --provider/--credential is given)")
    add_llm_generate_arguments(p)
    p.set_defaults(handler=cmd_generate)

    p = sub.add_parser("validate", parents=[common], help="validate a dataset or a dataset file in any import format (exit 1 on errors)")
    p.add_argument("--dataset")
    p.add_argument("--file", type=Path)
    p.add_argument("--model", default=None, help="target model (token limit, price); default gpt-4o-mini")
    p.add_argument("--limit", type=int, default=50, help="problems listed per kind in text output")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("stats", parents=[common], help="documents, chunks, duplicates, datasets, pairs")
    p.set_defaults(handler=cmd_stats)
