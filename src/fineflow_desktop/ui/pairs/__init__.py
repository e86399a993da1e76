"""The Pair Editor pane: id-list table model, filters, undo commands, multi-turn detail editor."""

from fineflow_desktop.ui.pairs.pane import PairsPane

__all__ = ["PairsPane"]
