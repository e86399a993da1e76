"""The "Models" pane (issue 12): a catalog tab (fine-tuned models, add / archive / deploy) and a
compare tab (two models on the same prompts, votes, scores, stored comparisons). Both read and
write through ``services.models``; the pane reloads when shown and on dataset / credential /
settings / template notices (new datasets to draw prompts from, credentials, the deployed chat model
and the workspace defaults, judge templates)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from fineflow_desktop.ui.effects import Effect
from fineflow_desktop.ui.models.catalog import CatalogView
from fineflow_desktop.ui.models.compare import CompareView
from fineflow_desktop.ui.pane import Pane


class ModelsPane(Pane):
    """``ModelsPane(ctx)``: ``catalog`` and ``compare`` tabs. ``open_job_requested(job_id)`` and
    ``open_dataset_requested(dataset_id)`` ask the window to show a model's source job / dataset."""

    title = "Models"
    open_job_requested = Signal(int)
    open_dataset_requested = Signal(int)
    reload_on = {Effect.DATASETS, Effect.CREDENTIALS, Effect.SETTINGS, Effect.TEMPLATES}

    def build(self) -> None:
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.catalog = CatalogView(self.ctx)
        self.compare = CompareView(self.ctx)
        self.tabs.addTab(self.catalog, "Catalog")
        self.tabs.addTab(self.compare, "Compare")
        lay.addWidget(self.tabs)

    def connect_signals(self) -> None:
        self.catalog.compare_requested.connect(self.open_compare)
        self.catalog.open_job_requested.connect(self.open_job_requested)
        self.catalog.open_dataset_requested.connect(self.open_dataset_requested)
        self.catalog.open_comparison_requested.connect(self.open_stored_comparison)
        self.catalog.changed.connect(self.compare.reload_choices)
        self.compare.comparison_changed.connect(lambda _id: self.catalog.reload())

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.reload()  # completed jobs join the catalog while the pane is hidden

    def reload(self) -> None:
        """Re-read the catalog (new completed jobs) and the compare pickers."""
        self.catalog.reload()
        if not self.compare.strip.busy:
            self.compare.reload_choices()

    refresh = reload

    def open_stored_comparison(self, comparison_id: int) -> None:
        """Switch to the compare tab showing stored comparison *comparison_id*."""
        self.compare.open_comparison(comparison_id)
        self.tabs.setCurrentWidget(self.compare)

    def open_compare(self, model_id: str) -> None:
        """Switch to the compare tab with *model_id* as model A and its base model as B."""
        self.compare.set_model_a(model_id)
        self.tabs.setCurrentWidget(self.compare)
