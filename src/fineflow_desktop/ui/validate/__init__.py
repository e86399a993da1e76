"""Validate & Export pane: errors / warnings / stats for a dataset, and OpenAI JSONL export."""

from fineflow_desktop.ui.validate.pane import ValidatePane

__all__ = ["ValidatePane"]
