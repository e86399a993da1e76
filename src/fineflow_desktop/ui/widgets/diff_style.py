"""Colours and QTextDocument builders for the side-by-side diff (shows ``core.diff`` results).

Colours are derived from the widget palette: each tint is the palette's Base colour blended
with a hue, stronger on dark palettes, so the palette's Text colour stays readable on every
background in light and dark themes (blending instead of alpha avoids overlapping artefacts;
idea from gitfourchette ``diffview/diffdocument.py``). Documents are built off-widget with one
edit block, inserting each line as formatted segments, so no cursor repositioning is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from PySide6.QtWidgets import QPlainTextDocumentLayout

from fineflow_desktop.core.diff import DiffModel, DiffRow, clip_spans, wrap_points

# Hues (GitHub Primer's diff greens/reds/yellows).
_GREEN, _RED, _AMBER, _BLUE = QColor("#2da44e"), QColor("#cf222e"), QColor("#d4a72c"), QColor("#0969da")
# Characters Qt would treat as a line/paragraph break inside a block; shown as a visible mark
# of the same length so the two sides stay aligned and span offsets stay valid.
_BREAKS_RE = re.compile("[\u2028\u2029\x0b\x0c\x85]")


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` blended towards ``b`` by fraction *t* (0 = a, 1 = b), opaque."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2.x contrast ratio of two colours (1 to 21; 4.5 is the AA minimum for text)."""

    def lum(c: QColor) -> float:
        def ch(v: int) -> float:
            v = v / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())

    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass
class DiffStyle:
    """Backgrounds for line kinds and changed words, picked per palette lightness."""

    base: QColor
    text: QColor
    added: QColor
    removed: QColor
    modified: QColor
    added_word: QColor
    removed_word: QColor
    filler: QColor
    hunk_marker: QColor
    dark: bool

    @classmethod
    def from_palette(cls, palette: QPalette) -> "DiffStyle":
        """Tints for *palette*: dark when its Base colour has lightness < 128."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = base.lightness() < 128
        k = 1.6 if dark else 1.0  # dark bases need stronger tints to be seen at all
        return cls(
            base=base,
            text=text,
            added=mix(base, _GREEN, 0.16 * k),
            removed=mix(base, _RED, 0.14 * k),
            modified=mix(base, _AMBER, 0.16 * k),
            added_word=mix(base, _GREEN, 0.42 if not dark else 0.5),
            removed_word=mix(base, _RED, 0.36 if not dark else 0.5),
            filler=mix(base, text, 0.18),
            hunk_marker=_BLUE if not dark else QColor("#58a6ff"),
            dark=dark,
        )


def monospace_font() -> QFont:
    """The system fixed-pitch font (diff alignment needs equal-width characters)."""
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def new_document(font: QFont | None = None) -> QTextDocument:
    """An empty plain-text document usable by ``QPlainTextEdit.setDocument``."""
    doc = QTextDocument()
    doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
    doc.setDefaultFont(font or monospace_font())
    doc.setUndoRedoEnabled(False)
    return doc


class _Formats:
    def __init__(self, style: DiffStyle):
        def bf(color: QColor | None, pattern=Qt.BrushStyle.SolidPattern) -> QTextBlockFormat:
            f = QTextBlockFormat()
            if color is not None:
                f.setBackground(QBrush(color, pattern))
            return f

        def cf(color: QColor | None) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(style.text)
            if color is not None:
                f.setBackground(color)
            return f

        self.equal = bf(None)
        self.added = bf(style.added)
        self.removed = bf(style.removed)
        self.modified = bf(style.modified)
        self.filler = bf(style.filler, Qt.BrushStyle.BDiagPattern)
        self.plain = cf(None)
        self.added_word = cf(style.added_word)
        self.removed_word = cf(style.removed_word)


def _insert_line(cursor: QTextCursor, first: bool, block: QTextBlockFormat, text: str, spans, plain, word) -> None:
    if first:
        cursor.setBlockFormat(block)
    else:
        cursor.insertBlock(block, plain)
    if _BREAKS_RE.search(text):
        text = _BREAKS_RE.sub("\u21b5", text)
    pos = 0
    for span in spans:
        if span.start > pos:
            cursor.insertText(text[pos:span.start], plain)
        cursor.insertText(text[span.start:span.end], word)
        pos = span.end
    if pos < len(text):
        cursor.insertText(text[pos:], plain)


def _side(row: DiffRow, left: bool, f: _Formats):
    """(block format, text, spans, word format) of one side of a row."""
    if left:
        if row.left_no is None:
            return f.filler, "", (), f.plain
        block = {"equal": f.equal, "delete": f.removed, "replace": f.modified}[row.kind]
        return block, row.left_text, row.left_spans, f.removed_word
    if row.right_no is None:
        return f.filler, "", (), f.plain
    block = {"equal": f.equal, "insert": f.added, "replace": f.modified}[row.kind]
    return block, row.right_text, row.right_spans, f.added_word


@dataclass
class DiffDocuments:
    """The two built documents and how blocks map to model rows.

    ``row_block[i]`` is the first block of row *i* (equal to *i* without wrapping);
    ``left_numbers``/``right_numbers`` give the source line number per block (None for filler
    and continuation blocks), for the gutters.
    """

    left: QTextDocument
    right: QTextDocument
    row_block: list[int]
    left_numbers: list[int | None]
    right_numbers: list[int | None]


def build_diff_documents(model: DiffModel, style: DiffStyle, font: QFont | None = None,
                         wrap_columns: int = 0) -> DiffDocuments:
    """Left and right documents for ``model``, one block per row (or per display line when wrapping).

    Line backgrounds: removed (left of delete rows), added (right of insert rows), modified
    (both sides of replace rows), hatched filler opposite inserted/deleted lines. Inside
    modified lines, changed words get ``removed_word`` (left) / ``added_word`` (right).
    With ``wrap_columns > 0`` long lines are split at that width (``core.diff.wrap_points``) and
    the shorter side is padded with empty blocks of the same background, so rows stay aligned.
    """
    f = _Formats(style)
    row_block: list[int] = []
    numbers: list[list[int | None]] = [[], []]
    cursors = []
    docs = []
    for _ in range(2):
        doc = new_document(font)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        docs.append(doc)
        cursors.append(cursor)
    first = True
    for row in model.rows:
        row_block.append(len(numbers[0]))
        sides = [_side(row, True, f), _side(row, False, f)]
        pieces = [wrap_points(text, wrap_columns) for _b, text, _s, _w in sides]
        height = max(len(p) for p in pieces)
        for k, ((block, text, spans, word), cuts) in enumerate(zip(sides, pieces)):
            line_no = row.left_no if k == 0 else row.right_no
            for j in range(height):
                if j < len(cuts):
                    a, b = cuts[j]
                    piece, piece_spans = text[a:b], clip_spans(spans, a, b) if spans else ()
                else:
                    piece, piece_spans = "", ()
                _insert_line(cursors[k], first and j == 0, block, piece, piece_spans, f.plain, word)
                numbers[k].append(line_no if j == 0 else None)
        first = False
    for cursor in cursors:
        cursor.endEditBlock()
    return DiffDocuments(docs[0], docs[1], row_block, numbers[0], numbers[1])


def build_unified_document(unified: str, style: DiffStyle, font: QFont | None = None) -> QTextDocument:
    """A unified diff text with added/removed line backgrounds and tinted ``@@`` hunk headers."""
    f = _Formats(style)
    header = QTextCharFormat(f.plain)
    header.setForeground(style.hunk_marker)
    doc = new_document(font)
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    for i, line in enumerate(unified.splitlines()):
        if line.startswith(("+++", "---")):
            block, cf = f.equal, header
        elif line.startswith("@@"):
            block, cf = f.equal, header
        elif line.startswith("+"):
            block, cf = f.added, f.plain
        elif line.startswith("-"):
            block, cf = f.removed, f.plain
        else:
            block, cf = f.equal, f.plain
        _insert_line(cursor, i == 0, block, line, (), cf, cf)
    cursor.endEditBlock()
    return doc
