"""Step 1 of the launch wizard: the dataset (only launchable ones), its figures, the seeded
validation split and the train/validation leakage check with buttons to move pairs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget,
    QPushButton, QSizePolicy, QSpinBox, QVBoxLayout, QWizard, QWizardPage,
)

from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services.datasets import list_datasets
from fineflow_desktop.ui.jobs.wizard.notices import banner, show_banner


class DatasetPage(QWizardPage):
    """Dataset (only launchable ones), its figures, the validation split and the leakage check."""

    validate_requested = Signal(int)

    def __init__(self, wizard: QWizard):  # the LaunchWizard (its spec(), ctx, launch())
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
            show_banner(self.errors_banner, None)
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
                show_banner(self.errors_banner,
                           f"<b>This dataset cannot be launched: {s.error_count:,} validation error(s).</b>"
                           f"<ul style='margin:2px'>{items}{more}</ul>"
                           f"<a href='validate:{s.dataset_id}'>Open it in the Validate pane</a> to fix them.")
            elif not s.pairs:
                show_banner(self.errors_banner, "<b>This dataset has no pairs.</b>")
            else:
                show_banner(self.errors_banner, None)
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
