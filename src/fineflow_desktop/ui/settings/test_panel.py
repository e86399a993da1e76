"""Connection-test panel: a Test button, one status row per level, and the stored history."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout,
)

from fineflow_desktop.providers.ping import LEVEL_NAMES
from fineflow_desktop.ui.settings.models import PingHistoryModel
from fineflow_desktop.ui.style import set_tone


class TestPanel(QGroupBox):
    """Shows a running/finished three-level test and the history of a credential."""

    __test__ = False  # not a pytest class
    test_requested = Signal()

    def __init__(self, parent=None):
        super().__init__("Connection test", parent)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.button = QPushButton("&Test connection")
        self.button.setToolTip("1: reach the server and authenticate · 2: the model is accessible · 3: a tiny prompt answers")
        self.summary = QLabel("Select a credential to test it.")
        self.summary.setWordWrap(True)
        top.addWidget(self.button)
        top.addWidget(self.summary, 1)
        lay.addLayout(top)

        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        self.status: dict[int, QLabel] = {}
        self.latency: dict[int, QLabel] = {}
        for row, (level, name) in enumerate(LEVEL_NAMES.items()):
            grid.addWidget(QLabel(f"{level}. {name}"), row, 0)
            lat = QLabel("")
            lat.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            lat.setMinimumWidth(70)
            st = QLabel("—")
            st.setWordWrap(True)
            st.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(lat, row, 1)
            grid.addWidget(st, row, 2)
            self.status[level], self.latency[level] = st, lat
        lay.addLayout(grid)

        lay.addWidget(QLabel("History"))
        self.history_model = PingHistoryModel(self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setDefaultSectionSize(22)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.setMinimumHeight(90)
        self.setMinimumHeight(260)
        lay.addWidget(self.history, 1)
        self.button.clicked.connect(self.test_requested)

    def reset(self, summary: str = "") -> None:
        for level in LEVEL_NAMES:
            self.status[level].setText("—")
            set_tone(self.status[level], None)
            self.status[level].setToolTip("")
            self.status[level].setMinimumHeight(0)
            self.latency[level].setText("")
        self.summary.setText(summary)

    @staticmethod
    def _fit(label: QLabel) -> None:
        # Nested grid layouts do not propagate height-for-width, so a wrapped label would show
        # only its first line: reserve the wrapped height explicitly.
        width = max(label.width(), 200)
        label.setMinimumHeight(max(label.fontMetrics().height(), label.heightForWidth(width)))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        for label in self.status.values():
            self._fit(label)

    def set_running(self) -> None:
        self.reset("Testing…")
        self.button.setEnabled(False)
        for level in LEVEL_NAMES:
            self.status[level].setText("waiting…")

    def show_level(self, level: int, ok: bool, latency_ms: float, detail: str) -> None:
        """Show one level's result (called live while the test runs)."""
        self.status[level].setText(("✓ " if ok else "✗ ") + detail)
        self.status[level].setToolTip(detail)
        self._fit(self.status[level])
        self.layout().activate()
        set_tone(self.status[level], "ok" if ok else "error")
        self.latency[level].setText(f"{latency_ms:.0f} ms" if latency_ms else "")

    def show_done(self, all_ok: bool, summary: str) -> None:
        self.button.setEnabled(True)
        self.summary.setText(summary)
        set_tone(self.summary, "ok" if all_ok else "error")

    def show_history(self, tests: list, last_summary: str) -> None:
        self.history_model.set_rows(tests)
        set_tone(self.summary, None)
        self.summary.setText(last_summary)
