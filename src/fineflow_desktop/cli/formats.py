"""Dataset file commands: ``import`` (any supported format) and ``export`` (every format).

``fineflow import FILE [--format F] [--dataset NAME] [--map FIELD=COLUMN ...]
[--min-confidence 0.8] [--max-count N] [--json]`` prints imported / skipped / duplicate counts
and every skipped line with its reason (exit 0; 2 when the file cannot be used at all).

``fineflow export --dataset NAME --format openai|openai-dpo|anthropic|bedrock|alpaca|sharegpt|hf-chat
--out FILE [--split 0.9] [--seed 0] [--validated-only] [--min-quality Q] [--no-system]
[--provenance] [--json]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fineflow_desktop.cli.common import UsageError, command, emit, end_progress, progress
from fineflow_desktop.core.formats.detect import IMPORT_FORMATS
from fineflow_desktop.core.formats.writers import EXPORT_FORMATS


def _column_map(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for item in pairs:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--map expects FIELD=COLUMN (e.g. user=question), got {item!r}")
        out[key.strip()] = value.strip()
    return out


@command
def cmd_import(ws, args) -> int:
    """``fineflow import FILE``: import a dataset file into a dataset (created if missing)."""
    from fineflow_desktop.core.jsonl_io import FileFormatError
    from fineflow_desktop.services.import_dataset import FormatError, import_file

    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    try:
        report = import_file(ws, args.file, dataset_name=args.dataset, fmt=args.format,
                             column_map=_column_map(args.map), min_confidence=args.min_confidence,
                             max_count=args.max_count, state=progress(args))
    except (FormatError, FileFormatError, UnicodeDecodeError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        end_progress(args)
    lines = [
        f"dataset: {report.dataset_name} (id {report.dataset_id})",
        f"format: {report.format}",
        f"imported: {report.imported}",
        f"duplicates (already in the dataset, not added again): {report.duplicates}",
        f"skipped: {report.skipped}",
    ]
    lines += [f"  line {line}: {reason}" for line, reason in report.skipped_lines]
    if report.skipped > len(report.skipped_lines):
        lines.append(f"  ... and {report.skipped - len(report.skipped_lines)} more")
    emit(args, report.to_dict(), "\n".join(lines))
    return 0


@command
def cmd_export(ws, args) -> int:
    """``fineflow export --dataset D --out FILE``: write a dataset in a training format."""
    from fineflow_desktop.services.datasets import DatasetNotFound, dataset_id
    from fineflow_desktop.services.export import EmptyExport, ExportError, export_dataset
    from fineflow_desktop.services.pairs import SCORE_REASONS

    try:
        try:
            ds_id = dataset_id(ws, args.dataset)
        except DatasetNotFound:
            if not args.dataset.isdigit():
                raise
            ds_id = dataset_id(ws, int(args.dataset))
        result = export_dataset(ws, ds_id, args.out, args.format, validated_only=args.validated_only,
                                min_quality=args.min_quality, include_system=not args.no_system,
                                split=args.split, seed=args.seed, provenance_sidecar=args.provenance,
                                state=progress(args), unwrap=args.unwrap, strip_markup=args.strip_markup)
    except EmptyExport as exc:  # a run that writes nothing failed: exit 1, not a usage error
        result = {"error": str(exc)}
    except (DatasetNotFound, ExportError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        end_progress(args)
    if "error" in result:
        print(f"fineflow: error: {result['error']}", file=sys.stderr)
        return 1
    lines = []
    scored = result.get("scored_first") or {}
    if scored.get("scored"):
        n = scored["scored"]
        lines.append(f"scored {n} pair{'s' if n != 1 else ''} first ({SCORE_REASONS[scored['reason']]}), "
                     "so that --min-quality reads current scores")
    lines += [f"{part}: {result['counts'][part]} examples -> {path}" for part, path in result["files"].items()]
    if result["provenance"]:
        lines.append(f"provenance: {result['provenance']}")
    if result["skipped_count"]:
        lines.append(f"skipped (cannot be written as {args.format}): {result['skipped_count']}")
        lines += [f"  pair {s['pair_id']}: {s['reason']}" for s in result["skipped"][:50]]
        if result["skipped_count"] > 50:
            lines.append(f"  ... and {result['skipped_count'] - 50} more (use --json for all)")
    emit(args, result, "\n".join(lines))
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``import`` and ``export`` commands."""
    p = sub.add_parser("import", parents=[common], help="import a dataset file (JSONL, JSON, CSV; format auto-detected)")
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=IMPORT_FORMATS, default=None, help="override the detected format")
    p.add_argument("--dataset", default=None, help="dataset name (default: the file name); created if missing")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN",
                   help="CSV column mapping, repeatable: system=, user=, assistant=, confidence=, conversation=, speaker=, text=")
    p.add_argument("--min-confidence", type=float, default=0.8, help="transcripts: minimum confidence (default 0.8)")
    p.add_argument("--max-count", type=int, default=None,
                   help="stop after N examples (transcripts: keep the N most confident; default 100 for transcripts; 0 = no limit)")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", parents=[common], help="export a dataset in a training format")
    p.add_argument("--dataset", required=True, help="dataset name or id")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="openai")
    p.add_argument("--out", required=True, type=Path, help="output JSONL file (with --split: FILE.train / FILE.validation)")
    p.add_argument("--split", type=float, default=None, help="training fraction, e.g. 0.9; split by source document")
    p.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    p.add_argument("--validated-only", action="store_true", help="only pairs marked validated")
    p.add_argument("--min-quality", type=float, default=None, help="only pairs with quality >= Q (stale or unscored pairs are scored first)")
    p.add_argument("--no-system", action="store_true", help="leave system prompts out")
    p.add_argument("--unwrap", action=argparse.BooleanOptionalAction, default=True,
                   help="join hard-wrapped lines of prose (code blocks untouched; default: on)")
    p.add_argument("--strip-markup", action=argparse.BooleanOptionalAction, default=True,
                   help="remove source markup: reST roles, **bold**, ``literals`` (code blocks untouched; default: on)")
    p.add_argument("--provenance", action="store_true", help="also write FILE.provenance.jsonl (pair -> document, chunk, template version, model)")
    p.set_defaults(handler=cmd_export)
