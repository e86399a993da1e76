"""Dataset Builder pane: import documents, inspect chunks and quality, create a dataset."""

from fineflow_desktop.ui.builder.pane import BuilderPane

__all__ = ["BuilderPane"]
