"""Step 3 of the launch wizard: cost, the provider's own estimate and the budget guard, then
the launch with progress."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QLabel, QProgressBar, QVBoxLayout, QWizard, QWizardPage,
)

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.ui.jobs import format as fmt
from fineflow_desktop.ui.jobs.wizard.notices import banner, show_banner


class ReviewPage(QWizardPage):
    """Training tokens, epochs, billed tokens, cost (and the provider's figure), spend vs budget."""

    def __init__(self, wizard: QWizard):  # the LaunchWizard (its spec(), ctx, launch())
        super().__init__()
        self.wiz = wizard
        self.setTitle("3 · Review and launch")
        self.setSubTitle("What this job will cost and how it fits this month's training budget.")
        self.estimate: ft.JobEstimate | None = None
        self.launching = False
        lay = QVBoxLayout(self)
        self.figures = QLabel("Estimating…")
        self.figures.setObjectName("reviewFigures")
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.figures)
        self.provider_check = QCheckBox("Also ask the provider for its own estimate where it has one "
                                        "(Together: uploads the training file)")
        self.provider_check.toggled.connect(self._estimate)
        lay.addWidget(self.provider_check)
        self.budget_banner = banner("info")
        self.budget_banner.setObjectName("budgetBanner")
        lay.addWidget(self.budget_banner)
        self.warnings = banner("warn")
        self.warnings.setObjectName("estimateWarnings")
        lay.addWidget(self.warnings)
        lay.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.progress_label = QLabel()
        lay.addWidget(self.progress_label)
        lay.addWidget(self.progress)
        self.result_banner = banner("error")
        self.result_banner.setObjectName("launchResult")
        lay.addWidget(self.result_banner)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        self.setButtonText(QWizard.WizardButton.FinishButton, "Launch")
        show_banner(self.result_banner, None)
        self._estimate()

    def _estimate(self, *_a) -> None:
        self.estimate = None
        self.completeChanged.emit()
        self.figures.setText("Estimating…")
        spec = self.wiz.spec()
        self._estimate_task = token = object()  # the newest estimate wins
        self.wiz.ctx.ops.run("Estimating the fine-tuning cost",
                             lambda state, ws, sp, ask: ft.estimate_job(ws, sp, state=state, ask_provider=ask),
                             self.wiz.ctx.workspace, spec, self.provider_check.isChecked(),
                             on_result=lambda est, t=token: self._estimated(t, est),
                             on_error=lambda msg, t=token: t is self._estimate_task
                             and self.figures.setText(f"<b>Cannot estimate:</b> {msg}"))

    def _estimated(self, task, est: ft.JobEstimate) -> None:
        if task is not self._estimate_task:
            return
        self.estimate = est
        price = ("no price known for this model" if est.price_per_million is None
                 else f"${est.price_per_million:,.2f} per 1M training tokens (price table of {est.price_as_of})")
        ours = fmt.money(est.cost_usd) if est.cost_usd is not None else "unknown"
        theirs = ""
        if est.provider_estimate:
            pe = est.provider_estimate
            theirs = (f" · provider's estimate: <b>{fmt.money(pe.get('cost_usd'))}</b>"
                      + (f" for {pe['training_tokens']:,} tokens" if pe.get("training_tokens") else "")
                      + (f" ({pe['source']})" if pe.get("source") else ""))
        self.figures.setText(
            "<table cellpadding='3'>"
            f"<tr><td>Training examples</td><td><b>{est.examples:,}</b> (+ {est.validation_examples:,} validation)</td></tr>"
            f"<tr><td>Training tokens (one pass)</td><td><b>{est.training_tokens:,}</b></td></tr>"
            f"<tr><td>Epochs</td><td><b>{est.epochs}</b></td></tr>"
            f"<tr><td>Billed tokens</td><td><b>{est.billed_tokens:,}</b> = {est.training_tokens:,} × {est.epochs}</td></tr>"
            f"<tr><td>Price</td><td>{price}</td></tr>"
            f"<tr><td>Estimated cost</td><td><b style='font-size:12pt'>{ours}</b>{theirs}</td></tr>"
            "</table>")
        b = est.budget
        if b.limit is None:
            text = (f"This month ({b.month}) training spend so far: <b>{fmt.money(b.spent_this_month)}</b>. "
                    "No monthly budget is set (fineflow budget set, or the CLI).")
            kind = "info"
        else:
            text = (f"This month ({b.month}): spent <b>{fmt.money(b.spent_this_month)}</b> of the "
                    f"<b>{fmt.money(b.limit)}</b> monthly budget, <b>{fmt.money(b.remaining)}</b> left "
                    f"({b.mode} mode).")
            kind = "ok"
            if not est.allowed:
                text = (f"<b>Refused — over budget.</b> This job's estimate {fmt.money(est.cost_usd)} exceeds the "
                        f"{fmt.money(b.remaining)} left of this month's {fmt.money(b.limit)} budget "
                        f"(spent {fmt.money(b.spent_this_month)}; block mode). Raise the budget or make the job smaller.")
                kind = "error"
            elif est.cost_usd is not None and b.remaining is not None and est.cost_usd > b.remaining:
                kind = "warn"
                text += f" This job ({fmt.money(est.cost_usd)}) goes over it; warn mode lets you launch anyway."
        show_banner(self.budget_banner, text, kind)
        show_banner(self.warnings, "<br>".join(est.warnings) if est.warnings else None)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.estimate is not None and self.estimate.allowed and not self.launching

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        """Finish = Launch: start the launch task; the wizard closes when it succeeds.

        ``QWizard.accept`` validates the current page again: once a job exists this says yes
        (without the check every accept launched one more job)."""
        if self.wiz.job is not None:
            return True
        if not self.launching:
            self.wiz.launch()
        return False
