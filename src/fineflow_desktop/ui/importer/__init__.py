"""Dataset file dialogs: ``ImportDialog`` (any supported format, preview, CSV mapping) and
``ExportDialog`` (every export format and option). Open them with the pane's ``AppContext``."""

from fineflow_desktop.ui.importer.export_dialog import ExportDialog
from fineflow_desktop.ui.importer.import_dialog import ImportDialog

__all__ = ["ExportDialog", "ImportDialog"]
