"""``fineflow score``: recompute every chunk's quality score, injection flags and language."""

from __future__ import annotations

import argparse
import sys

from fineflow_desktop.cli import emit, open_workspace
from fineflow_desktop.core.progress import TaskState

_BAR = 40


def cmd_score(args) -> int:
    """Re-score all chunks, then print the score histogram (text) or the summary (``--json``)."""
    from fineflow_desktop.services.curation_scores import recompute_scores

    tty = sys.stderr.isatty() and not args.json

    def show(done: int, total: int, message: str) -> None:
        if tty:
            print(f"\r{done}/{total} {message:<40}", end="", file=sys.stderr, flush=True)

    ws = open_workspace(args)
    try:
        summary = recompute_scores(ws, TaskState(on_progress=show))
    finally:
        if tty:
            print(file=sys.stderr)
        ws.close()
    emit(args, summary, _histogram_text(summary))
    return 0


def _histogram_text(summary: dict) -> str:
    hist, bins = summary["histogram"], summary["bins"]
    peak = max(hist) if hist and max(hist) else 1
    lines = [
        f"chunks: {summary['chunks']}  scored: {summary['scored']}  flagged (prompt injection): {summary['flagged']}",
        f"quality mean: {summary['mean']}  median: {summary['median']}",
        "quality histogram:",
    ]
    for i, n in enumerate(hist):
        lines.append(f"  {bins[i]:.1f}-{bins[i + 1]:.1f} {n:7d} {'#' * round(_BAR * n / peak)}")
    if summary["languages"]:
        lines.append("languages: " + ", ".join(f"{k} {v}" for k, v in summary["languages"].items()))
    for reason, n in summary["flag_reasons"].items():
        lines.append(f"flag: {reason}: {n}")
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``score`` to the ``fineflow`` parser."""
    p = sub.add_parser("score", parents=[common], help="recompute chunk quality scores and injection flags")
    p.set_defaults(handler=cmd_score)
