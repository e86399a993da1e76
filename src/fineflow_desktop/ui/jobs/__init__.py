"""Fine-tuning jobs UI (issue 11): the job monitor pane, the launch wizard, polling and notifications."""

from fineflow_desktop.ui.jobs.pane import JobsPane

__all__ = ["JobsPane"]
