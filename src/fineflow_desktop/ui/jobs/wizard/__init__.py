"""The launch wizard (issue 11, three steps): 1 Dataset, 2 Provider & hyperparameters, 3 Review.

It shows and asks; every figure comes from ``services.finetune``: dataset summaries and
validation errors, the reproducible split and its leakage report, base models and the
provider's hyperparameter schema, the estimate with the budget guard, and the crash-safe
launch itself (``create_job``, run as a task with progress). A launch refused by the service
(budget in block mode, validation errors, credential, provider) is shown with its numbers.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QMessageBox, QWidget, QWizard,
)

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.jobs import format as fmt
from fineflow_desktop.ui.jobs.wizard.notices import show_banner
from fineflow_desktop.ui.jobs.wizard.dataset_page import DatasetPage
from fineflow_desktop.ui.jobs.wizard.provider_page import ProviderPage
from fineflow_desktop.ui.jobs.wizard.review_page import ReviewPage

__all__ = ["LaunchWizard"]


class LaunchWizard(QWizard):
    """``LaunchWizard(ctx, parent)``; ``launched(JobRecord)`` when the job was created at the provider.

    ``validate_requested(dataset_id)`` asks the window to open the Validate pane on a dataset.
    """

    launched = Signal(object)
    validate_requested = Signal(int)

    def __init__(self, ctx, parent: QWidget | None = None, dataset_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preferred_dataset = dataset_id
        self.job = None
        self.setWindowTitle("New fine-tuning job")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.resize(860, 640)
        self.dataset_page = DatasetPage(self)
        self.provider_page = ProviderPage(self)
        self.review_page = ReviewPage(self)
        self.dataset_page.validate_requested.connect(self.validate_requested)
        for page in (self.dataset_page, self.provider_page, self.review_page):
            self.addPage(page)

    def spec(self) -> ft.JobSpec:
        """The ``JobSpec`` the three pages describe."""
        d, p = self.dataset_page, self.provider_page
        hp = p.hyperparameters()
        named = {k: hp.pop(k) for k in ("epochs", "batch_size", "learning_rate_multiplier") if k in hp}
        return ft.JobSpec(
            dataset=d.dataset_combo.currentData(), credential=p.credential_combo.currentData() or "",
            model=p.model_id(), method=p.method(), suffix=p.suffix_edit.text().strip() or None,
            seed=p.seed_spin.value() if p.seed_check.isChecked() else None,
            validation_split=d.fraction(), split_seed=d.seed_spin.value(), split=d.plan,
            hyperparameters=hp, **named)

    def launch(self) -> None:
        """Run ``create_job`` as a task with progress; refusals are shown on the review page."""
        if self.job is not None:
            return
        page = self.review_page
        est = page.estimate
        over = (est is not None and est.cost_usd is not None and est.budget.remaining is not None
                and est.cost_usd > est.budget.remaining)
        if over and QMessageBox.question(
                self, "Over this month's budget",
                f"This job's estimate {fmt.money(est.cost_usd)} is more than the {fmt.money(est.budget.remaining)} "
                f"left of this month's {fmt.money(est.budget.limit)} budget (warn mode).\n\nLaunch anyway?"
        ) != QMessageBox.StandardButton.Yes:
            return
        page.launching = True
        page.completeChanged.emit()
        show_banner(page.result_banner, None)
        page.progress.setRange(0, 0)
        page.progress.show()
        page.progress_label.setText("Launching…")
        for b in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(b).setEnabled(False)
        self.ctx.ops.run("Launching fine-tuning job",
                         lambda state, ws, spec, allow: ft.create_job(ws, spec, state=state, allow_over_budget=allow),
                         self.ctx.workspace, self.spec(), over,
                         on_progress=self._progress, on_result=self._launched, on_error=self._failed,
                         on_cancelled=lambda: self._failed("Launch cancelled before the job was created."),
                         on_started=lambda task: setattr(self, "launch_task", task))

    def _progress(self, done: int, total: int, message: str) -> None:
        page = self.review_page
        if total:
            page.progress.setRange(0, total)
            page.progress.setValue(done)
        page.progress_label.setText(message or "Launching…")

    def _launched(self, job) -> None:
        self.job = job
        self.review_page.launching = False
        self.launched.emit(job)
        self.ctx.events.status_message.emit(f"Fine-tuning job #{job.id} created ({job.provider_job_id})")
        self.accept()

    def _failed(self, message: str) -> None:
        page = self.review_page
        page.launching = False
        page.progress.hide()
        page.progress_label.setText("")
        for b in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(b).setEnabled(True)
        show_banner(page.result_banner, f"<b>Not launched.</b> {message}", "error")
        page.completeChanged.emit()
