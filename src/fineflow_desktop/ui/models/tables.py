"""Table models of the Models pane: catalog models and the rows of one comparison."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fineflow_desktop.ui.models import catalog_text
from fineflow_desktop.ui.models import format as fmt
from fineflow_desktop.ui.tables import Column, RowsModel


def _one_line(text: str | None, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CatalogTableModel(RowsModel):
    """Rows: ``{"id", "record": ModelRecord, "last": comparison dict | None}`` (checkpoints are
    rows of their own: each is a model usable for compare and deploy)."""

    columns = [
        Column("Model id", lambda r: r["record"].model_id, lambda r: r["record"].model_id),
        Column("Provider", lambda r: r["record"].provider, lambda r: r["record"].provider),
        Column("Base model", lambda r: r["record"].base_model or "", lambda r: r["record"].base_model or ""),
        Column("Source", lambda r: catalog_text.source_text(r["record"]), lambda r: catalog_text.source_text(r["record"])),
        Column("Status", lambda r: r["record"].status, lambda r: r["record"].status),
        Column("Deployed", lambda r: "● chat model" if r["record"].deployed else "", lambda r: r["record"].deployed),
        Column("Last comparison", lambda r: fmt.last_comparison_text(r["last"]),
               lambda r: (r["last"] or {}).get("id", 0)),
        Column("Created (UTC)", lambda r: catalog_text.created_text(r["record"]), lambda r: r["record"].created_at),
        Column("Usage", lambda r: catalog_text.usage_text(r["record"].usage),
               lambda r: r["record"].usage.get("calls", 0), numeric=True),
    ]

    def extra_data(self, row: dict, column: int, role: int):
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return row["record"].model_id
        return None


def _err(side: str):
    def display(r: dict) -> str:
        return f"[error] {_one_line(r[f'error_{side}'])}" if r.get(f"error_{side}") else _one_line(r.get(side))
    return display


def _score(side: str, key: str):
    return lambda r: ((r.get("scores") or {}).get(side) or {}).get(key)


class ComparisonRowsModel(RowsModel):
    """Rows of ``Comparison.rows`` (``id`` = the prompt's index). The vote is the last column."""

    columns = [
        Column("#", lambda r: str(r["idx"] + 1), lambda r: r["idx"], numeric=True),
        Column("Prompt", lambda r: _one_line(r["prompt"]), lambda r: r["prompt"]),
        Column("Reference", lambda r: _one_line(r["reference"]), lambda r: r["reference"] or ""),
        Column("Answer A", _err("a"), lambda r: r.get("a") or ""),
        Column("Answer B", _err("b"), lambda r: r.get("b") or ""),
        Column("ROUGE-L A", lambda r: fmt.score(_score("a", "rouge_l")(r)), _score("a", "rouge_l"), numeric=True),
        Column("ROUGE-L B", lambda r: fmt.score(_score("b", "rouge_l")(r)), _score("b", "rouge_l"), numeric=True),
        Column("Cosine A", lambda r: fmt.score(_score("a", "cosine")(r)), _score("a", "cosine"), numeric=True),
        Column("Cosine B", lambda r: fmt.score(_score("b", "cosine")(r)), _score("b", "cosine"), numeric=True),
        Column("Judge", lambda r: fmt.judge_cell(r.get("judge")), lambda r: fmt.judge_cell(r.get("judge"))),
        Column("Vote", lambda r: fmt.VOTE_TEXT.get(r.get("vote"), ""), lambda r: r.get("vote") or ""),
    ]

    def extra_data(self, row: dict, column: int, role: int):
        if role == Qt.ItemDataRole.ToolTipRole:
            judge = row.get("judge")
            if self.columns[column].header == "Judge" and judge:
                return fmt.judge_text(judge)
            if column in (3, 4):
                side = "a" if column == 3 else "b"
                return row.get(f"error_{side}") or row.get(side)
        return None

    def set_vote(self, idx: int, vote: str | None) -> None:
        """Show a stored vote without re-reading every row."""
        for i, r in enumerate(self._rows):
            if r["idx"] == idx:
                r["vote"] = vote
                cell = self.index(i, len(self.columns) - 1)
                self.dataChanged.emit(cell, cell)
                return
