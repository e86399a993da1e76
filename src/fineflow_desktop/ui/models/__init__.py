"""The "Models" pane (issue 12): the fine-tuned model catalog and model comparisons."""

from fineflow_desktop.ui.models.pane import ModelsPane

__all__ = ["ModelsPane"]
