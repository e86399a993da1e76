"""Read-only side-by-side text compare with changed words highlighted.

The documents are built off-widget from ``core.word_diff.word_segments`` (no Python
``paintEvent``: see the PySide6 repaint trap in ARCHITECTURE). Scrolling one side scrolls the
other proportionally, driven by whichever side the user moves.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel, QSplitter, QTextEdit, QVBoxLayout, QWidget

from fineflow_desktop.core.word_diff import word_segments

LEFT_CHANGED = QColor("#ffd7d5")  # removed/replaced words (GitHub-style red)
RIGHT_CHANGED = QColor("#ccffd8")  # added/replacing words (green)


def build_document(segments: list[tuple[str, str]], changed: QColor, parent=None) -> QTextDocument:
    """A QTextDocument with *segments* (``(text, tag)``), ``changed`` ones on a coloured background."""
    doc = QTextDocument(parent)
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    doc.setDefaultFont(font)
    cursor = QTextCursor(doc)
    plain, marked = QTextCharFormat(), QTextCharFormat()
    marked.setBackground(changed)
    for text, tag in segments:
        cursor.insertText(text, marked if tag == "changed" else plain)
    return doc


class _Side(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-weight: 600; padding: 2px 0;")
        self.text = QTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.header)
        lay.addWidget(self.text)


class TextCompareView(QSplitter):
    """Two read-only panes: ``set_texts(left, right, left_title, right_title)``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.left, self.right = _Side(), _Side()
        self.addWidget(self.left)
        self.addWidget(self.right)
        self.setChildrenCollapsible(False)
        self._syncing = False
        for src, dst in ((self.left, self.right), (self.right, self.left)):
            src.text.verticalScrollBar().valueChanged.connect(lambda _v, s=src, d=dst: self._sync(s, d))
        self.clear()

    def clear(self) -> None:
        self.set_texts("", "", "Kept", "Compared")

    def set_texts(self, left: str, right: str, left_title: str, right_title: str) -> None:
        segs_l, segs_r = word_segments(left, right)
        self.left.header.setText(left_title)
        self.right.header.setText(right_title)
        self.left.text.setDocument(build_document(segs_l, LEFT_CHANGED, self.left.text))
        self.right.text.setDocument(build_document(segs_r, RIGHT_CHANGED, self.right.text))

    def _sync(self, src: _Side, dst: _Side) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            s, d = src.text.verticalScrollBar(), dst.text.verticalScrollBar()
            d.setValue(round(s.value() / s.maximum() * d.maximum()) if s.maximum() else 0)
        finally:
            self._syncing = False

    def changed_text(self, side: str = "left") -> list[str]:
        """Highlighted spans of one side (for tests and accessibility)."""
        doc = (self.left if side == "left" else self.right).text.document()
        out, block = [], doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.charFormat().background().color() in (LEFT_CHANGED, RIGHT_CHANGED):
                    out.append(frag.text())
                it += 1
            block = block.next()
        return out
