"""The pair editor's top bar: dataset chooser and review/bulk action buttons (shortcuts in tips)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QWidget

from fineflow_desktop.ui.pairs.help import tip


def _button(text: str, tooltip: str) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tooltip)
    return b


class ReviewToolbar(QWidget):
    """Widgets only; the pane connects them to its actions."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.dataset_box = QComboBox()
        self.dataset_box.setObjectName("datasetBox")
        self.dataset_box.setToolTip("Dataset to review")
        self.dataset_box.setMinimumWidth(180)
        self.accept_btn = _button("Accept", tip("Mark the selected pairs validated", "accept"))
        self.unvalidate_btn = _button("Un-validate", tip("Clear validated on the selected pairs", "unvalidate"))
        self.reject_btn = _button("Reject", tip("Reject the selected pairs: kept, left out of export", "reject"))
        self.tag_btn = _button("Tag…", tip("Add a tag to the selected pairs", "tag"))
        self.threshold = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=1.0, singleStep=0.05, value=0.8)
        self.threshold.setToolTip("Quality threshold for 'Validate all ≥'")
        self.validate_above_btn = _button("Validate all ≥", "Validate every shown pair whose quality is at least "
                                          "this value (one undo step)")
        self.score_btn = _button("Score quality", "Compute the quality score of every pair of this dataset "
                                 "(answer length, grounding in the source chunk, diversity)")
        self.help_btn = _button("?", tip("Keyboard shortcuts", "help"))
        self.help_btn.setFixedWidth(32)

        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel("Dataset"))
        lay.addWidget(self.dataset_box)
        lay.addSpacing(12)
        for w in (self.accept_btn, self.unvalidate_btn, self.reject_btn, self.tag_btn):
            lay.addWidget(w)
        lay.addSpacing(12)
        lay.addWidget(self.validate_above_btn)
        lay.addWidget(self.threshold)
        lay.addStretch(1)
        lay.addWidget(self.score_btn)
        lay.addWidget(self.help_btn)
