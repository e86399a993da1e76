"""Settings pane: provider credentials, connection tests, usage and prices."""

from fineflow_desktop.ui.settings.pane import SettingsPane

__all__ = ["SettingsPane"]
