"""Templates pane: versioned prompt templates with preview, history, diff and execution audit."""

from fineflow_desktop.ui.templates.pane import TemplatesPane  # noqa: F401
