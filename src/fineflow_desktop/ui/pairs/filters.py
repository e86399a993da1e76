"""Filter bar of the pair editor: debounced full-text search plus composable filters.

It only builds a ``services.pairs.PairFilter``; the query runs in SQL. Text and number inputs
are debounced (``DEBOUNCE_MS``) so typing does not re-query on every key. The controls sit in a
``FlowLayout``: two lines at 1280×800, a third at 1100×700 instead of squeezing the combo boxes
until their text is cut (issue 9).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from fineflow_desktop.services.pairs import PairFilter
from fineflow_desktop.ui.widgets.flow_layout import FlowLayout, kept_together

DEBOUNCE_MS = 250
MAX_TOKENS = 10_000_000
SEARCH_MIN_WIDTH = 260  # px: the whole placeholder; on a narrower line the filters after it wrap


def _combo(items: list[tuple[str, object]], tip: str) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    box.setToolTip(tip)
    box.setSizeAdjustPolicy(QComboBox.AdjustToContents)
    return box


def _searchable(box: QComboBox, placeholder: str) -> QComboBox:
    """Let the user type to find an entry among thousands (any part of the text matches)."""
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.lineEdit().setPlaceholderText(placeholder)
    box.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    box.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(22)  # long relative paths must not widen the filter row
    box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # takes its line's spare width
    # Typed text that matches nothing is dropped when the user leaves the box.
    box.lineEdit().editingFinished.connect(lambda: box.setEditText(box.itemText(box.currentIndex())))
    return box


class FilterBar(QWidget):
    """Search box and filter controls; emits ``changed(PairFilter)``."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self._quiet = False

        flow = FlowLayout(self, h_spacing=6, v_spacing=4)
        flow.setContentsMargins(0, 0, 0, 0)
        for w in self._build_search_row():
            flow.addWidget(w)
        flow.add_break()  # the pair count ends the first line; the value filters start the next
        for w in self._build_range_row():
            flow.addWidget(w)

        self.search.textChanged.connect(self._schedule)
        for spin in (self.q_min, self.q_max, self.t_min, self.t_max):
            spin.valueChanged.connect(self._schedule)
        for box in self.combos():
            box.currentIndexChanged.connect(self._emit_now)
        self.clear_btn.clicked.connect(self.clear)

    # ---- construction -----------------------------------------------------------------------

    def _build_search_row(self) -> list[QWidget]:
        """First line: the search box, the validity / review / rejected / flag filters, Clear filters
        and the count (the search box takes the spare width, so the count ends the line)."""
        self.search = QLineEdit(placeholderText="Search message text…  (Ctrl+F)")
        self.search.setMinimumWidth(SEARCH_MIN_WIDTH)
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Full-text search of the system, user and assistant text (every word must occur; "
                               "the last word matches as a prefix). Ctrl+F")
        self.search.setObjectName("pairSearch")
        self.valid = _combo([("Any validity", None), ("Valid", True), ("Invalid", False)],
                            "Valid / invalid for fine-tuning (hover the Valid column for reasons)")
        self.validated = _combo([("Reviewed: any", None), ("Validated", True), ("Not validated", False)],
                                "Pairs you accepted (validated) or not yet")
        self.rejected = _combo([("Rejected: shown", None), ("Hide rejected", False), ("Only rejected", True)],
                               "Rejected pairs stay in the dataset (greyed) and are left out of export")
        self.flagged = _combo([("No flag filter", None), ("Any flag", "any"), ("Duplicate", "duplicate"),
                               ("Injection", "injection"), ("Too long", "too_long")],
                              "Flagged pairs: duplicate user message, prompt-injection in the source, over the token limit")
        self.clear_btn = QPushButton("Clear filters")
        self.clear_btn.setToolTip("Reset every filter")
        self.count_label = QLabel()
        self.count_label.setObjectName("pairCount")
        return [self.search, self.valid, self.validated, self.rejected, self.flagged, self.clear_btn, self.count_label]

    def _build_range_row(self) -> list[QWidget]:
        """Next line(s): quality and token ranges, source / template / tag / document."""
        self.q_min = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=1.0, singleStep=0.05)
        self.q_min.setSpecialValueText("any")
        self.q_min.setToolTip("Minimum quality score (0–1)")
        self.q_max = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=1.0, singleStep=0.05, value=1.0)
        self.q_max.setToolTip("Maximum quality score (0–1); 1.00 = no maximum")
        self.t_min = QSpinBox(minimum=0, maximum=MAX_TOKENS, singleStep=50)
        self.t_min.setSpecialValueText("any")
        self.t_min.setToolTip("Minimum tokens per example")
        self.t_max = QSpinBox(minimum=0, maximum=MAX_TOKENS, singleStep=50)
        self.t_max.setSpecialValueText("any")
        self.t_max.setToolTip("Maximum tokens per example (any = no maximum)")
        self.source = _combo([("Any source", None)], "Where the pair came from")
        self.document = _searchable(_combo([("Any document", None)], "Source document (type to search its path)"),
                                    "Search documents…")
        self.template = _combo([("Any template", None)], "Template version that generated the pair")
        self.tag = _combo([("Any tag", None)], "Tag")
        ranges = [kept_together(QLabel(label), low, QLabel("–"), high, trailing=8)
                  for label, low, high in (("Quality", self.q_min, self.q_max), ("Tokens", self.t_min, self.t_max))]
        # The document box last: it takes its line's spare width (long relative paths).
        return ranges + [self.source, self.template, self.tag, self.document]

    # ---- state ------------------------------------------------------------------------------

    def combos(self) -> tuple[QComboBox, ...]:
        """Every choice filter, in layout order."""
        return (self.valid, self.validated, self.rejected, self.flagged, self.source, self.template, self.tag,
                self.document)

    def filters(self) -> PairFilter:
        """The filter the controls describe."""
        q_min = self.q_min.value() or None
        q_max = self.q_max.value() if self.q_max.value() < 1.0 else None
        return PairFilter(
            text=self.search.text().strip() and self.search.text(),
            quality_min=q_min,
            quality_max=q_max,
            tokens_min=self.t_min.value() or None,
            tokens_max=self.t_max.value() or None,
            valid=self.valid.currentData(),
            validated=self.validated.currentData(),
            rejected=self.rejected.currentData(),
            flagged=self.flagged.currentData(),
            source=self.source.currentData(),
            document_id=self.document.currentData(),
            template_version_id=self.template.currentData(),
            tag=self.tag.currentData(),
        )

    def set_options(self, options: dict) -> None:
        """Fill the dropdowns from ``services.pairs.filter_options``; keeps current choices."""
        self._quiet = True
        try:
            self._fill(self.source, "Any source", [(s, s) for s in options.get("sources", [])])
            self._fill(self.document, "Any document", [(name, did) for did, name in options.get("documents", [])])
            self._fill(self.template, "Any template", [(f"template v#{t}", t) for t in options.get("template_versions", [])])
            self._fill(self.tag, "Any tag", [(t, t) for t in options.get("tags", [])])
        finally:
            self._quiet = False

    @staticmethod
    def _fill(box: QComboBox, any_label: str, items: list[tuple[str, object]]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(any_label, None)
        for label, value in items:
            box.addItem(label, value)
        idx = box.findData(current) if current is not None else 0
        box.setCurrentIndex(max(0, idx))
        box.blockSignals(False)

    def clear(self) -> None:
        """Reset every control and emit once."""
        self._quiet = True
        try:
            self.search.clear()
            self.q_min.setValue(0.0)
            self.q_max.setValue(1.0)
            self.t_min.setValue(0)
            self.t_max.setValue(0)
            for box in self.combos():
                box.setCurrentIndex(0)
        finally:
            self._quiet = False
        self._emit_now()

    def set_count(self, shown: int, total: int) -> None:
        """Show "shown of total pairs"."""
        self.count_label.setText(f"{shown:,} of {total:,} pairs" if shown != total else f"{total:,} pairs")

    # ---- emission -------------------------------------------------------------------------------

    def _schedule(self, *_args) -> None:
        if not self._quiet:
            self._timer.start()

    def _emit_now(self, *_args) -> None:
        if not self._quiet:
            self._timer.stop()
            self._emit()

    def _emit(self) -> None:
        self.changed.emit(self.filters())

    def flush(self) -> None:
        """Emit a pending debounced change immediately (tests, Enter in the search box)."""
        if self._timer.isActive():
            self._emit_now()
