"""``fineflow score``: recompute every chunk's quality score, injection flags and language."""

from __future__ import annotations

import argparse

from fineflow_desktop.cli.common import command, emit, end_progress, progress

_BAR = 40


@command
def cmd_score(ws, args) -> int:
    """Re-score all chunks, then print the score histogram (text) or the summary (``--json``)."""
    from fineflow_desktop.services.curation_scores import recompute_scores

    try:
        summary = recompute_scores(ws, progress(args))
    finally:
        end_progress(args)
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
