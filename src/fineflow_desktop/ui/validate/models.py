"""Tables of the Validate & Export pane: problems (errors red, warnings amber) and stats."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from fineflow_desktop.core.validation import Issue, ValidationReport
from fineflow_desktop.ui.tables import Column, RowsModel
from fineflow_desktop.ui.style import colour



def issue_row(issue: Issue) -> dict:
    """Plain row dict of one validation issue."""
    return {
        "id": issue.pair_id,
        "severity": issue.severity,
        "code": issue.code,
        "message": issue.message,
        "pair_id": issue.pair_id,
        "line": issue.line,
        "field": issue.field or "",
    }


def report_rows(report: ValidationReport) -> list[dict]:
    """Errors first, then warnings, each in input order."""
    return [issue_row(i) for i in report.errors] + [issue_row(i) for i in report.warnings]


class ProblemsModel(RowsModel):
    """One row per problem: severity, code, pair id, field, message."""

    columns = [
        Column("Severity", lambda r: r["severity"], lambda r: (r["severity"] != "error", r.get("pair_id") or 0)),
        Column("Code", lambda r: r["code"], lambda r: r["code"]),
        Column("Pair", lambda r: "" if r.get("pair_id") is None else str(r["pair_id"]), lambda r: r.get("pair_id"), numeric=True),
        Column("Field", lambda r: r.get("field", ""), lambda r: r.get("field", "")),
        Column("Message", lambda r: r["message"], lambda r: r["message"]),
    ]

    def extra_data(self, row: dict, column: int, role: int):
        error = row["severity"] == "error"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(colour("error_bg" if error else "warn_bg"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(colour("error_text" if error else "warn_text"))
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"pair {row['pair_id']}" if row.get("pair_id") is not None else "whole dataset"
            kind = "Error (blocks export)" if error else "Warning (does not block export)"
            return f"{kind} — {where}\n{row['message']}"
        return None


def stats_rows(report: ValidationReport) -> list[dict]:
    """Readable (statistic, value) rows from ``report.stats``."""
    s = report.stats
    rows: list[tuple[str, str]] = [
        ("Model", report.model),
        ("Total pairs", f"{s.get('examples', 0):,}"),
        ("Errors", f"{s.get('errors', len(report.errors)):,}"),
        ("Warnings", f"{s.get('warnings', len(report.warnings)):,}"),
        ("Unique questions", f"{s.get('unique_user_messages', 0):,}"),
        ("Average tokens per pair", f"{s.get('avg_tokens_per_example', 0):,}"),
    ]
    dist = s.get("tokens_per_example") or {}
    if dist:
        rows.append(("Tokens per pair (min / mean / max)", f"{dist.get('min', 0):,} / {dist.get('mean', 0):,} / {dist.get('max', 0):,}"))
    answer = s.get("assistant_tokens") or {}
    if answer:
        rows.append(("Answer tokens (min / mean / max)", f"{answer.get('min', 0):,} / {answer.get('mean', 0):,} / {answer.get('max', 0):,}"))
    rows += [
        ("Token limit per example", f"{s.get('token_limit', 0):,}"),
        ("Pairs over the limit", f"{s.get('examples_over_limit', 0):,}"),
        ("Total tokens", f"{s.get('tokens_total', 0):,}"),
        ("Default epochs", str(s.get("epochs", ""))),
        ("Billed training tokens", f"{s.get('billed_tokens', 0):,}"),
    ]
    cost = s.get("estimated_cost_usd")
    rows.append(("Estimated training cost", "unknown for this model" if cost is None else f"${cost:,.2f}"))
    return [{"id": i, "name": k, "value": v} for i, (k, v) in enumerate(rows)]


class StatsModel(RowsModel):
    columns = [
        Column("Statistic", lambda r: r["name"], lambda r: r["id"]),
        Column("Value", lambda r: r["value"], lambda r: r["value"], numeric=True),
    ]
