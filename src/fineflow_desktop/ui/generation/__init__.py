"""Generation runs UI: the Run dialog (parameters + estimate) and the Runs pane (live progress,
cancel / resume / retry failed, failed-items view)."""

from fineflow_desktop.ui.generation.run_dialog import RunDialog  # noqa: F401
from fineflow_desktop.ui.generation.runs_pane import RunsPane  # noqa: F401
