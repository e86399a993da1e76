"""Reusable side-by-side diff widget for any two texts (templates, later the pair editor).

Shows a ``core.diff.DiffModel``: two read-only panes aligned row by row with filler lines,
line-number gutters, line backgrounds for added/removed/modified lines and changed-word
highlights (``diff_style``), synchronized scrolling driven from the pane the user is using,
next/previous change buttons (F7 / Shift+F7, Alt+Down / Alt+Up), a unified-diff toggle, a
change count and the metadata changes listed above the text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fineflow_desktop.core.diff import DiffModel, diff_texts, unified_diff
from fineflow_desktop.ui.widgets.diff_style import (
    DiffStyle,
    build_diff_documents,
    build_unified_document,
    monospace_font,
    new_document,
)
from fineflow_desktop.ui.style import set_heading


class _Gutter(QWidget):
    """Line numbers of one pane (blank for filler rows)."""

    def __init__(self, pane: "DiffPane"):
        super().__init__(pane)
        self.pane = pane

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.pane.gutter_width(), 0)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.pane.paint_gutter(event)


class DiffPane(QPlainTextEdit):
    """A read-only, non-wrapping text pane with a line-number gutter and a "driver" hint.

    ``line_numbers`` holds the source line number per block (None = filler row).
    """

    activated = Signal(object)  # the user started scrolling/clicking this pane

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.line_numbers: list[int | None] = []
        self.current_blocks = range(0)  # blocks of the change navigated to (marked in the gutter)
        self.marker_color = None
        self._gutter = _Gutter(self)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self._update_margins()

    def set_document(self, doc, line_numbers: list[int | None]) -> None:
        self.line_numbers = line_numbers
        self.current_blocks = range(0)
        old = self.document()
        mine = old.parent() is self  # Qt deletes its own default document in setDocument
        doc.setParent(self)  # the pane owns its documents
        self.setDocument(doc)
        if mine:
            old.deleteLater()
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._update_margins()

    def gutter_width(self) -> int:
        biggest = max((n for n in self.line_numbers if n), default=1)
        return 10 + self.fontMetrics().horizontalAdvance("9") * max(2, len(str(biggest)))

    def _update_margins(self, *_args) -> None:
        self.setFont(self.document().defaultFont())
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, event) -> None:
        painter = QPainter(self._gutter)
        pal = self.palette()
        painter.fillRect(event.rect(), pal.color(pal.ColorRole.Window))
        painter.setPen(pal.color(pal.ColorRole.PlaceholderText))
        painter.setFont(self.font())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width() - 5
        while block.isValid() and top <= event.rect().bottom():
            n = block.blockNumber()
            if n in self.current_blocks and self.marker_color is not None:
                painter.fillRect(0, top, 3, round(self.blockBoundingRect(block).height()), self.marker_color)
            if block.isVisible() and n < len(self.line_numbers) and self.line_numbers[n]:
                painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight, str(self.line_numbers[n]))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()

    # Any direct interaction makes this pane the scroll driver.
    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.activated.emit(self)
        super().focusInEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.activated.emit(self)
        super().wheelEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.activated.emit(self)
        super().mousePressEvent(event)

    def go_to_block(self, number: int) -> None:
        """Put the cursor on block *number* and centre it."""
        block = self.document().findBlockByNumber(number)
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()


class DiffView(QWidget):
    """Side-by-side diff of two texts. Call ``set_texts``; read ``model`` for the result.

    ``current_change`` is the index of the change (hunk) last navigated to, -1 before any.
    """

    current_change_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model: DiffModel = diff_texts("", "")
        self.current_change = -1
        self._left_text = self._right_text = ""
        self._titles = ("", "")
        self._driver: DiffPane | None = None
        self._syncing = False

        self.meta_label = QLabel(self)
        self.meta_label.setWordWrap(True)
        self.meta_label.setObjectName("diffMetadata")
        self.meta_label.setTextFormat(Qt.TextFormat.PlainText)
        top = self._build_nav_bar()
        self._build_text_panes()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.stack, 1)

        self._wrap_timer = QTimer(self)
        self._wrap_timer.setSingleShot(True)
        self._wrap_timer.setInterval(120)  # rebuild once the user stops resizing
        self.row_block: list[int] = []
        self._wrap_columns = 0
        self._connect_signals()
        self.set_texts("", "")

    # -- construction ------------------------------------------------------------------
    def _build_nav_bar(self) -> QHBoxLayout:
        """The row above the text: change count, Previous / Next, Wrap lines, Unified."""
        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)  # "13 changes · +1 −24 ~12 lines" wraps in a narrow pane
        self.prev_button = QToolButton(self)
        self.prev_button.setText("▲ Previous")
        self.prev_button.setToolTip("Previous change (Shift+F7, Alt+Up)")
        self.next_button = QToolButton(self)
        self.next_button.setText("▼ Next")
        self.next_button.setToolTip("Next change (F7, Alt+Down)")
        self.wrap_toggle = QCheckBox("Wrap lines", self)
        self.wrap_toggle.setToolTip("Wrap long lines on both sides (rows stay aligned)")
        self.wrap_toggle.setChecked(True)
        self.unified_toggle = QCheckBox("Unified", self)
        self.unified_toggle.setToolTip("Show a unified diff instead of side by side")
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)  # stretch: the text grows when navigating
        top.addStretch(1)
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)
        top.addWidget(self.wrap_toggle)
        top.addWidget(self.unified_toggle)
        return top

    def _build_text_panes(self) -> None:
        """``self.stack``: the titled side-by-side panes in a splitter, and the unified view."""
        self.left_title, self.right_title = QLabel(self), QLabel(self)
        for lbl in (self.left_title, self.right_title):
            set_heading(lbl)
            lbl.setContentsMargins(4, 2, 4, 2)
            lbl.setWordWrap(True)  # long titles (document paths) wrap instead of widening the view
        self.left_edit, self.right_edit = DiffPane(self), DiffPane(self)
        self.left_edit.setObjectName("diffLeft")
        self.right_edit.setObjectName("diffRight")
        self.unified_edit = QPlainTextEdit(self)
        self.unified_edit.setReadOnly(True)
        self.unified_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.unified_edit.setObjectName("diffUnified")

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for title, edit in ((self.left_title, self.left_edit), (self.right_title, self.right_edit)):
            col = QWidget(splitter)
            lay = QVBoxLayout(col)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            lay.addWidget(title)
            lay.addWidget(edit)
            splitter.addWidget(col)
        splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.unified_edit)

    def _connect_signals(self) -> None:
        """Scroll sync between the panes, the navigation buttons and keys, the toggles, re-wrap."""
        for pane, other in ((self.left_edit, self.right_edit), (self.right_edit, self.left_edit)):
            pane.activated.connect(self._set_driver)
            for bar in (pane.verticalScrollBar(), pane.horizontalScrollBar()):
                bar.actionTriggered.connect(lambda _a, p=pane: self._set_driver(p))  # user dragged/clicked it
            pane.verticalScrollBar().valueChanged.connect(lambda v, p=pane, o=other: self._sync(p, o, v, True))
            pane.horizontalScrollBar().valueChanged.connect(lambda v, p=pane, o=other: self._sync(p, o, v, False))
        self.prev_button.clicked.connect(self.previous_change)
        self.next_button.clicked.connect(self.next_change)
        self.unified_toggle.toggled.connect(self._set_unified)
        self.wrap_toggle.toggled.connect(lambda _on: self._rebuild())
        self._wrap_timer.timeout.connect(self._rewrap_if_needed)
        for keys, slot in (("F7", self.next_change), ("Alt+Down", self.next_change),
                           ("Shift+F7", self.previous_change), ("Alt+Up", self.previous_change)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    # -- content -----------------------------------------------------------------------
    def set_texts(self, left: str, right: str, *, left_title: str = "", right_title: str = "",
                  metadata: list[str] | None = None) -> DiffModel:
        """Diff *left* against *right* and show it; *metadata* lines are listed above the text."""
        self._left_text, self._right_text = left, right
        self._titles = (left_title, right_title)
        self.model = diff_texts(left, right)
        self.left_title.setText(left_title)
        self.right_title.setText(right_title)
        self.left_title.setVisible(bool(left_title))
        self.right_title.setVisible(bool(right_title))
        meta = list(metadata or [])
        self.meta_label.setText("Metadata changes:\n" + "\n".join(f"  • {m}" for m in meta) if meta else "")
        self.meta_label.setVisible(bool(meta))
        self._rebuild()
        self.current_change = -1
        self._update_nav()
        return self.model

    def wrap_columns(self) -> int:
        """Characters per display line when wrapping (0 = no wrapping)."""
        if not self.wrap_toggle.isChecked():
            return 0
        pane = self.left_edit
        advance = max(1, pane.fontMetrics().horizontalAdvance("M"))
        usable = pane.viewport().width() - 2 * pane.document().documentMargin() - 4
        return max(20, int(usable // advance))

    def _rebuild(self) -> None:
        style = DiffStyle.from_palette(self.palette())
        font = monospace_font()
        self._wrap_columns = self.wrap_columns()
        docs = build_diff_documents(self.model, style, font, self._wrap_columns)
        self.row_block = docs.row_block
        wrap = QPlainTextEdit.LineWrapMode.NoWrap  # wrapping is done in the documents
        for pane, doc, numbers in ((self.left_edit, docs.left, docs.left_numbers),
                                   (self.right_edit, docs.right, docs.right_numbers)):
            pane.setLineWrapMode(wrap)
            pane.set_document(doc, numbers)
        self.style_in_use = style
        self._unified_built = False
        if self.unified_toggle.isChecked():
            self._build_unified()

    def _build_unified(self) -> None:
        """Build the unified-diff document (lazily: only when it is shown)."""
        font = monospace_font()
        a, b = self._titles
        text = unified_diff(self._left_text, self._right_text, a or "left", b or "right")
        udoc = build_unified_document(text, self.style_in_use, font) if text else new_document(font)
        if not text:
            udoc.setPlainText("(no differences)")
        old = self.unified_edit.document()
        mine = old.parent() is self.unified_edit
        udoc.setParent(self.unified_edit)
        self.unified_edit.setDocument(udoc)
        if mine:
            old.deleteLater()
        self.unified_edit.setLineWrapMode(
            QPlainTextEdit.LineWrapMode.WidgetWidth if self.wrap_toggle.isChecked() else QPlainTextEdit.LineWrapMode.NoWrap
        )
        self._unified_built = True

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.wrap_toggle.isChecked():
            self._wrap_timer.start()

    def _rewrap_if_needed(self) -> None:
        if self.wrap_columns() != self._wrap_columns:
            current = self.current_change
            self._rebuild()
            if current >= 0:
                self.go_to_change(current)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "style_in_use"):
            self._rebuild()  # light <-> dark: recompute the tints

    # -- navigation --------------------------------------------------------------------
    def go_to_change(self, index: int) -> None:
        """Scroll both panes to change *index* (0-based) and put the cursor on its first row."""
        if not 0 <= index < self.model.change_count:
            return
        self.current_change = index
        hunk = self.model.hunks[index]
        row = self.row_block[hunk.first_row]
        end = self.row_block[hunk.end_row] if hunk.end_row < len(self.row_block) else self.left_edit.document().blockCount()
        for pane in (self.left_edit, self.right_edit):
            pane.current_blocks = range(row, end)
            pane.marker_color = self.style_in_use.hunk_marker
            pane._gutter.update()
        driver = self._driver or self.left_edit
        self._syncing = True
        try:
            for pane in (self.left_edit, self.right_edit):
                pane.go_to_block(row)
            other = self.right_edit if driver is self.left_edit else self.left_edit
            other.verticalScrollBar().setValue(driver.verticalScrollBar().value())
        finally:
            self._syncing = False
        self._update_nav()
        self.current_change_changed.emit(index)

    def next_change(self) -> None:
        """Go to the change after the current one (F7, Alt+Down)."""
        if self.unified_toggle.isChecked():
            return
        row = self.model.hunks[self.current_change].first_row if self.current_change >= 0 else -1
        hunk = self.model.next_hunk(row)
        if hunk is not None:
            self.go_to_change(hunk.index)

    def previous_change(self) -> None:
        """Go to the change before the current one (Shift+F7, Alt+Up)."""
        if self.current_change < 0 or self.unified_toggle.isChecked():
            return
        hunk = self.model.previous_hunk(self.model.hunks[self.current_change].first_row)
        if hunk is not None:
            self.go_to_change(hunk.index)

    def _set_unified(self, on: bool) -> None:
        if on and not self._unified_built:
            self._build_unified()
        self.stack.setCurrentIndex(1 if on else 0)
        self._update_nav()

    def _update_nav(self) -> None:
        n, i = self.model.change_count, self.current_change
        side_by_side = not self.unified_toggle.isChecked()
        self.next_button.setEnabled(side_by_side and n > 0 and i < n - 1)
        self.prev_button.setEnabled(side_by_side and i > 0)
        m = self.model
        if m.identical:
            text = "No differences in the text"
        else:
            text = f"{n} change{'s' if n != 1 else ''} · +{m.added} −{m.removed} ~{m.modified} lines"
            if i >= 0:
                text += f" — at change {i + 1} of {n}"
        self.count_label.setText(text)

    # -- scroll sync -------------------------------------------------------------------
    def _set_driver(self, pane: DiffPane) -> None:
        self._driver = pane

    def _sync(self, pane: DiffPane, other: DiffPane, value: int, vertical: bool) -> None:
        if self._syncing or (self._driver is not None and pane is not self._driver):
            return
        self._syncing = True
        try:
            bar = other.verticalScrollBar() if vertical else other.horizontalScrollBar()
            bar.setValue(value)
        finally:
            self._syncing = False
