"""The launch wizard (issue 11, three steps): 1 Dataset, 2 Provider & hyperparameters, 3 Review.

It shows and asks; every figure comes from ``services.finetune``: dataset summaries and
validation errors, the reproducible split and its leakage report, base models and the
provider's hyperparameter schema, the estimate with the budget guard, and the crash-safe
launch itself (``create_job``, run as a task with progress). A launch refused by the service
(budget in block mode, validation errors, credential, provider) is shown with its numbers.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QMessageBox, QProgressBar, QPushButton, QSizePolicy, QSpinBox, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.finetuning.registry import FT_PROVIDERS
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services.datasets import list_datasets
from fineflow_desktop.store.workspace import config_dir
from fineflow_desktop.ui import style
from fineflow_desktop.ui.jobs import format as fmt

NOTICES_FILE = "notices_seen.json"  # in the config dir: provider notices already shown once


def banner(kind: str = "info") -> QLabel:
    """A word-wrapped rich-text label framed as an ``info`` / ``warn`` / ``error`` / ``ok`` notice
    (``app.qss`` banner colours; hidden until given text)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    style.set_property(label, "padded", "true")
    style.set_banner(label, kind)
    label.hide()
    return label


def set_banner(label: QLabel, text: str | None, kind: str | None = None) -> None:
    """Show *text* in a ``banner`` label (hide it for ``None``), switching its kind when given."""
    if kind:
        style.set_banner(label, kind)
    label.setText(text or "")
    label.setVisible(bool(text))


def notice_seen(key: str) -> bool:
    try:
        return key in json.loads((config_dir() / NOTICES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def mark_notice_seen(key: str) -> None:
    path = config_dir() / NOTICES_FILE
    try:
        seen = set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        seen = set()
    seen.add(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(sorted(seen)), encoding="utf-8")
    tmp.replace(path)


# ---- step 1 ----------------------------------------------------------------------------------

class DatasetPage(QWizardPage):
    """Dataset (only launchable ones), its figures, the validation split and the leakage check."""

    validate_requested = Signal(int)

    def __init__(self, wizard: "LaunchWizard"):
        super().__init__()
        self.wiz = wizard
        self.setTitle("1 · Dataset")
        self.setSubTitle("Pick a dataset whose validation has no errors, and hold out a validation split if you want one.")
        self.summaries: dict[int, ft.DatasetSummary] = {}
        self.plan: ft.SplitPlan | None = None
        self.leaks: list[ft.LeakagePair] = []
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_dataset_row())
        self.figures = QLabel()
        self.figures.setObjectName("datasetFigures")
        lay.addWidget(self.figures)
        self.errors_banner = banner("error")
        self.errors_banner.setObjectName("datasetErrors")
        self.errors_banner.linkActivated.connect(self._open_validate)
        lay.addWidget(self.errors_banner)
        lay.addWidget(self._build_split_box())
        self.leak_box = self._build_leak_box()
        lay.addWidget(self.leak_box, 1)

    def _build_dataset_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Dataset:"))
        self.dataset_combo = QComboBox()
        self.dataset_combo.setMinimumWidth(360)
        self.dataset_combo.currentIndexChanged.connect(self._dataset_changed)
        row.addWidget(self.dataset_combo, 1)
        self.status = QLabel()
        row.addWidget(self.status)
        return row

    def _build_split_box(self) -> QGroupBox:
        box = QGroupBox("Validation split")
        grid = QGridLayout(box)
        self.split_check = QCheckBox("Hold out a validation set")
        self.split_check.setChecked(True)
        self.fraction_spin = QDoubleSpinBox()
        self.fraction_spin.setRange(0.01, 0.5)
        self.fraction_spin.setSingleStep(0.05)
        self.fraction_spin.setDecimals(2)
        self.fraction_spin.setValue(0.1)
        self.fraction_spin.setSuffix(" of the pairs")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2_147_483_647)
        self.seed_spin.setToolTip("The same seed gives the same split (pairs of one source document stay together)")
        grid.addWidget(self.split_check, 0, 0)
        grid.addWidget(QLabel("Fraction:"), 0, 1)
        grid.addWidget(self.fraction_spin, 0, 2)
        grid.addWidget(QLabel("Seed:"), 0, 3)
        grid.addWidget(self.seed_spin, 0, 4)
        grid.setColumnStretch(5, 1)
        self.split_label = QLabel()
        self.split_label.setObjectName("splitFigures")
        grid.addWidget(self.split_label, 1, 0, 1, 6)
        self.split_check.toggled.connect(self._split_changed)
        self.fraction_spin.valueChanged.connect(self._split_changed)
        self.seed_spin.valueChanged.connect(self._split_changed)
        return box

    def _build_leak_box(self) -> QGroupBox:
        box = QGroupBox("Train / validation leakage (near-duplicates across the split)")
        lay = QVBoxLayout(box)
        self.leak_label = QLabel("—")
        self.leak_label.setObjectName("leakReport")
        self.leak_label.setWordWrap(True)
        self.leak_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        lay.addWidget(self.leak_label)
        self.leak_list = QListWidget()
        lay.addWidget(self.leak_list, 1)
        lay.addStretch(0)
        row = QHBoxLayout()
        self.move_train_btn = QPushButton("Move them to the training side")
        self.move_val_btn = QPushButton("Move them to the validation side")
        self.move_train_btn.clicked.connect(lambda: self.move_leaks("train"))
        self.move_val_btn.clicked.connect(lambda: self.move_leaks("validation"))
        row.addWidget(self.move_train_btn)
        row.addWidget(self.move_val_btn)
        row.addStretch(1)
        lay.addLayout(row)
        self._show_leaks()
        return box

    # -- data --

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        if self.dataset_combo.count():
            return
        datasets = list_datasets(self.wiz.ctx.workspace)
        self.dataset_combo.blockSignals(True)
        for d in datasets:
            self.dataset_combo.addItem(f"{d['name']}  ({d['n_pairs']:,} pairs)", d["id"])
        self.dataset_combo.blockSignals(False)
        if not datasets:
            self.status.setText("No datasets yet — build or import one first.")
            return
        self.status.setText("Checking datasets…")
        self.wiz.ctx.ops.run("Checking datasets for fine-tuning", _summaries, self.wiz.ctx.workspace,
                             [d["id"] for d in datasets], on_result=self._summaries_ready,
                             on_error=lambda msg: self.status.setText(f"Could not check datasets: {msg}"))

    def _summaries_ready(self, summaries: list) -> None:
        self.summaries = {s.dataset_id: s for s in summaries}
        model = self.dataset_combo.model()
        first_ok = None
        for i in range(self.dataset_combo.count()):
            s = self.summaries.get(self.dataset_combo.itemData(i))
            if s is None:
                continue
            if s.launchable:
                first_ok = i if first_ok is None else first_ok
                self.dataset_combo.setItemText(i, f"{s.name}  ({s.pairs:,} pairs)")
            else:
                why = f"{s.error_count:,} validation error(s)" if s.error_count else "no pairs"
                self.dataset_combo.setItemText(i, f"{s.name}  — not launchable: {why}")
                # still selectable, so its errors can be listed, but the page stays incomplete
                model.item(i).setForeground(Qt.GlobalColor.gray)
        ok = sum(1 for s in summaries if s.launchable)
        self.status.setText(f"{ok} of {len(summaries)} dataset(s) can be launched")
        preferred = self.dataset_combo.findData(self.wiz.preferred_dataset) if self.wiz.preferred_dataset else -1
        index = preferred if preferred >= 0 else (first_ok if first_ok is not None else 0)
        if index == self.dataset_combo.currentIndex():
            self._dataset_changed()
        else:
            self.dataset_combo.setCurrentIndex(index)

    def summary(self) -> ft.DatasetSummary | None:
        return self.summaries.get(self.dataset_combo.currentData())

    def _dataset_changed(self, *_a) -> None:
        s = self.summary()
        if s is None:
            self.figures.setText("")
            set_banner(self.errors_banner, None)
        else:
            t = s.tokens
            self.figures.setText(
                f"<b>{s.pairs:,}</b> pairs · <b>{t.get('total', 0):,}</b> tokens · per example min {t.get('min', 0):,}"
                f" / mean {t.get('mean', 0):,.0f} / max {t.get('max', 0):,}"
                + (f" · {s.warning_count:,} warning(s)" if s.warning_count else ""))
            if s.error_count:
                items = "".join(f"<li>line {e.get('line') or '—'}, {e.get('field') or 'pair'}: "
                                f"{e.get('message')}</li>" for e in s.errors[:8])
                more = f"<li>… and {s.error_count - 8:,} more</li>" if s.error_count > 8 else ""
                set_banner(self.errors_banner,
                           f"<b>This dataset cannot be launched: {s.error_count:,} validation error(s).</b>"
                           f"<ul style='margin:2px'>{items}{more}</ul>"
                           f"<a href='validate:{s.dataset_id}'>Open it in the Validate pane</a> to fix them.")
            elif not s.pairs:
                set_banner(self.errors_banner, "<b>This dataset has no pairs.</b>")
            else:
                set_banner(self.errors_banner, None)
        self._split_changed()
        self.completeChanged.emit()

    def _open_validate(self, link: str) -> None:
        self.validate_requested.emit(int(link.split(":", 1)[1]))

    def fraction(self) -> float | None:
        return self.fraction_spin.value() if self.split_check.isChecked() else None

    def _split_changed(self, *_a) -> None:
        self.fraction_spin.setEnabled(self.split_check.isChecked())
        self.seed_spin.setEnabled(self.split_check.isChecked())
        self.plan, self.leaks = None, []
        s = self.summary()
        if s is None or not s.launchable:
            self.split_label.setText("")
            self._show_leaks()
            return
        if self.fraction() is None:
            self.split_label.setText(f"All {s.pairs:,} pairs train; no validation file.")
            self._show_leaks()
            return
        self.split_label.setText("Splitting…")
        self.leak_label.setText("Checking for near-duplicates across the split…")
        key = (s.dataset_id, self.fraction(), self.seed_spin.value())
        self._split_key = key
        self.wiz.ctx.ops.run("Validation split and leakage check", _split_and_leaks, self.wiz.ctx.workspace,
                             s.dataset_id, self.fraction(), self.seed_spin.value(),
                             on_result=lambda res, k=key: self._split_ready(k, *res),
                             on_error=lambda msg: self.split_label.setText(f"Split failed: {msg}"))

    def _split_ready(self, key, plan: ft.SplitPlan, leaks: list) -> None:
        if key != getattr(self, "_split_key", None):
            return  # the user changed the split meanwhile
        self.plan, self.leaks = plan, leaks
        self._show_plan()
        self._show_leaks()
        self.completeChanged.emit()

    def _show_plan(self) -> None:
        p = self.plan
        if p is not None:
            self.split_label.setText(f"<b>{len(p.train_pair_ids):,}</b> training / <b>{len(p.validation_pair_ids):,}</b>"
                                     f" validation pairs (fraction {p.fraction:g}, seed {p.seed})")

    def _show_leaks(self) -> None:
        self.leak_list.clear()
        has = bool(self.leaks)
        self.leak_list.setVisible(has)
        self.move_train_btn.setEnabled(has)
        self.move_val_btn.setEnabled(has)
        if self.plan is None:
            if self.fraction() is None:
                self.leak_label.setText("No validation split, nothing can leak.")
            return
        if not has:
            self.leak_label.setText("No near-duplicate pairs across the split.")
            return
        self.leak_label.setText(f"<b>{len(self.leaks):,}</b> near-duplicate pair(s) across the split: validation "
                                "scores would be optimistic. Move them to one side:")
        for leak in self.leaks[:200]:
            self.leak_list.addItem(f"training pair {leak.train_pair_id} ≈ validation pair {leak.validation_pair_id}"
                                   f"  (similarity {leak.similarity:.2f})")

    def move_leaks(self, to: str) -> None:
        if self.plan is None or not self.leaks:
            return
        moved = len(self.leaks)
        self.plan = ft.move_pairs(self.plan, self.leaks, to=to)
        self.leaks = []
        self._show_plan()
        self._show_leaks()
        self.leak_label.setText(f"Moved {moved:,} near-duplicate pair(s) to the {to} side; nothing leaks now.")

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        s = self.summary()
        if s is None or not s.launchable:
            return False
        return self.fraction() is None or self.plan is not None


def _summaries(state, ws, dataset_ids: list[int]) -> list:
    out = []
    for i, ds in enumerate(dataset_ids):
        state.check()
        out.append(ft.dataset_summary(ws, ds))
        state.progress(i + 1, len(dataset_ids), "datasets checked")
    return out


def _split_and_leaks(state, ws, dataset_id: int, fraction: float, seed: int):
    plan = ft.split_dataset(ws, dataset_id, fraction, seed=seed)
    return plan, ft.find_leakage(ws, plan, state=state)


# ---- step 2 ----------------------------------------------------------------------------------

class HyperparameterField(QWidget):
    """One hyperparameter from the provider's schema: an "auto" box (when allowed) and a value editor."""

    def __init__(self, spec: ft.HyperparameterSpec):
        super().__init__()
        self.spec = spec
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.auto = QCheckBox("auto")
        self.auto.setVisible(spec.allows_auto)
        self.editor = self._build_editor(spec)
        lay.addWidget(self.editor)
        lay.addWidget(self.auto)
        lay.addWidget(QLabel(self.range_text()))
        lay.addStretch(1)
        if spec.allows_auto:
            self.auto.toggled.connect(lambda on: self.editor.setEnabled(not on))
            self.auto.setChecked(spec.default == "auto")
            self.editor.setEnabled(spec.default != "auto")
        tip = " ".join(x for x in (spec.help, f"Source: {spec.source}" if spec.source else "") if x)
        self.setToolTip(tip)

    def _build_editor(self, spec) -> QWidget:
        if spec.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(spec.default) if spec.default != "auto" else False)
            return box
        if spec.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            if spec.default in spec.choices:
                combo.setCurrentText(spec.default)
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(spec.minimum) if spec.minimum is not None else 0,
                          int(spec.maximum) if spec.maximum is not None else 1_000_000)
        else:
            spin = QDoubleSpinBox()
            spin.setDecimals(4)
            lo = spec.minimum if spec.minimum is not None else 0.0
            # an exclusive 0 lower bound ("greater than 0") starts at the smallest step
            spin.setRange(lo if lo > 0 else 0.0001, spec.maximum if spec.maximum is not None else 1_000.0)
            spin.setSingleStep(0.1)
        if spec.default not in ("auto", None):
            spin.setValue(spec.default)
        return spin

    def range_text(self) -> str:
        s = self.spec
        if s.kind in ("bool", "choice"):
            return ""
        lo = "—" if s.minimum is None else f"{s.minimum:g}"
        hi = "—" if s.maximum is None else f"{s.maximum:g}"
        return f"range {lo} … {hi}" if (s.minimum is not None or s.maximum is not None) else "no published range"

    def value(self):
        if self.spec.allows_auto and self.auto.isChecked():
            return "auto"
        e = self.editor
        if isinstance(e, QCheckBox):
            return e.isChecked()
        if isinstance(e, QComboBox):
            return e.currentText()
        return e.value()

    def set_value(self, value) -> None:
        if value == "auto":
            self.auto.setChecked(True)
            return
        self.auto.setChecked(False)
        e = self.editor
        if isinstance(e, QCheckBox):
            e.setChecked(bool(value))
        elif isinstance(e, QComboBox):
            e.setCurrentText(str(value))
        else:
            e.setValue(value)


class ProviderPage(QWizardPage):
    """Credential (its provider), training method, base model, hyperparameters, suffix, seed."""

    NOTICE_KEY = "finetune-notice:{provider}"

    def __init__(self, wizard: "LaunchWizard"):
        super().__init__()
        self.wiz = wizard
        self.setTitle("2 · Provider, credential, base model")
        self.setSubTitle("Where to train, on which model, with which hyperparameters (the provider's own ranges).")
        self.fields: dict[str, HyperparameterField] = {}
        self.notice_shown: set[str] = set()
        lay = QVBoxLayout(self)
        self.notice = banner("warn")
        self.notice.setObjectName("providerNotice")
        lay.addWidget(self.notice)
        form = QFormLayout()
        self.credential_combo = QComboBox()
        self.credential_combo.currentIndexChanged.connect(self._credential_changed)
        form.addRow("Credential:", self.credential_combo)
        self.method_combo = QComboBox()
        self.method_combo.addItem("Supervised (SFT)", "supervised")
        self.method_combo.addItem("Preference (DPO)", "dpo")
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        form.addRow("Method:", self.method_combo)
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setMinimumWidth(360)
        self.model_combo.setToolTip("The provider's tunable base models, or type any model id")
        self.model_combo.currentTextChanged.connect(lambda _t: self.completeChanged.emit())
        form.addRow("Base model:", self.model_combo)
        lay.addLayout(form)
        self.hp_box = QGroupBox("Hyperparameters")
        self.hp_form = QFormLayout(self.hp_box)
        lay.addWidget(self.hp_box)
        extra = QFormLayout()
        self.suffix_edit = QLineEdit()
        self.suffix_edit.setPlaceholderText("optional, e.g. support-v2 (part of the model name)")
        self.suffix_edit.setMaxLength(64)
        extra.addRow("Suffix:", self.suffix_edit)
        seed_row = QHBoxLayout()
        self.seed_check = QCheckBox("fixed seed")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2_147_483_647)
        self.seed_spin.setEnabled(False)
        self.seed_check.toggled.connect(self.seed_spin.setEnabled)
        seed_row.addWidget(self.seed_check)
        seed_row.addWidget(self.seed_spin)
        seed_row.addStretch(1)
        extra.addRow("Seed:", seed_row)
        lay.addLayout(extra)
        self.empty = banner("error")
        lay.addWidget(self.empty)
        lay.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        if self.credential_combo.count():
            return
        infos = [c for c in creds.list_credentials(self.wiz.ctx.workspace) if c.provider in FT_PROVIDERS]
        self.credential_combo.blockSignals(True)
        for c in infos:
            key = "" if c.has_key else " — no key stored"
            self.credential_combo.addItem(f"{c.name} ({c.provider}){key}", c.name)
            self.credential_combo.setItemData(self.credential_combo.count() - 1, c.provider, Qt.ItemDataRole.UserRole + 1)
        self.credential_combo.blockSignals(False)
        set_banner(self.empty, None if infos else "No fine-tuning credential yet: add an OpenAI, Together or Fireworks "
                   "credential in Settings first.")
        self._credential_changed()

    def provider(self) -> str | None:
        return self.credential_combo.currentData(Qt.ItemDataRole.UserRole + 1)

    def method(self) -> str:
        return self.method_combo.currentData()

    def _credential_changed(self, *_a) -> None:
        provider = self.provider()
        self._show_notice(provider)
        self._fill_models()
        self._fill_hyperparameters()
        self.completeChanged.emit()

    def _method_changed(self, *_a) -> None:
        self._fill_models()
        self._fill_hyperparameters()

    def _show_notice(self, provider: str | None) -> None:
        """The provider's notice, once: shown the first time, remembered in the config dir."""
        text = ft.provider_notice(provider) if provider else None
        key = self.NOTICE_KEY.format(provider=provider)
        if text and (key in self.notice_shown or not notice_seen(key)):
            self.notice_shown.add(key)
            mark_notice_seen(key)
            set_banner(self.notice, f"<b>Note about {provider}:</b> {text}")
        else:
            set_banner(self.notice, None)

    def _fill_models(self) -> None:
        provider = self.provider()
        typed = self.model_combo.currentText()
        self.model_combo.clear()
        if not provider:
            return
        for m in ft.base_models(provider, self.wiz.ctx.workspace):
            if self.method() in m.methods:
                label = f"{m.id}" + (f"  — {m.label}" if m.label and m.label != m.id else "")
                self.model_combo.addItem(label, m.id)
        if typed and self.model_combo.findText(typed) < 0:
            self.model_combo.setEditText(typed)  # a typed model id survives a method change

    def model_id(self) -> str:
        i = self.model_combo.currentIndex()
        text = self.model_combo.currentText().strip()
        if i >= 0 and self.model_combo.itemText(i) == text:
            return self.model_combo.itemData(i) or text
        return text.split("  — ")[0].strip()

    def _fill_hyperparameters(self) -> None:
        while self.hp_form.rowCount():
            self.hp_form.removeRow(0)
        self.fields = {}
        provider = self.provider()
        if not provider:
            return
        for spec in ft.hyperparameter_schema(provider, self.method()):
            field = HyperparameterField(spec)
            field.setObjectName(f"hp_{spec.name}")
            self.fields[spec.name] = field
            self.hp_form.addRow(f"{spec.label}:", field)

    def hyperparameters(self) -> dict:
        return {name: f.value() for name, f in self.fields.items()}

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.credential_combo.currentData()) and bool(self.model_id())


# ---- step 3 ----------------------------------------------------------------------------------

class ReviewPage(QWizardPage):
    """Training tokens, epochs, billed tokens, cost (and the provider's figure), spend vs budget."""

    def __init__(self, wizard: "LaunchWizard"):
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
        set_banner(self.result_banner, None)
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
        set_banner(self.budget_banner, text, kind)
        set_banner(self.warnings, "<br>".join(est.warnings) if est.warnings else None)
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
        set_banner(page.result_banner, None)
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
        set_banner(page.result_banner, f"<b>Not launched.</b> {message}", "error")
        page.completeChanged.emit()
