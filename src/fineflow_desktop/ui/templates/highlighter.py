"""Highlights ``{{variables}}`` and malformed placeholders in a template body editor.

Placeholders never span lines (an unclosed one ends at the line break), so parsing each line
with ``core.templates.render.parse`` gives the same results as parsing the whole body; this
class only maps them to character formats.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QSyntaxHighlighter, QTextCharFormat

from fineflow_desktop.core.templates.render import Var, parse
from fineflow_desktop.ui.style import colour


class PlaceholderHighlighter(QSyntaxHighlighter):
    """Bold tinted ``{{name}}``; wavy red underline on syntax issues."""

    def __init__(self, document, dark: bool = False):
        super().__init__(document)
        self.var_format = QTextCharFormat()
        self.var_format.setForeground(colour("template_variable", dark))
        self.var_format.setFontWeight(QFont.Weight.Bold)
        self.error_format = QTextCharFormat()
        self.error_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.error_format.setUnderlineColor(colour("error", dark))
        self.error_format.setForeground(colour("error", dark))

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt API
        parts, issues = parse(text)
        for part in parts:
            if isinstance(part, Var):
                self._apply(text, part.start, part.end, self.var_format)
        for issue in issues:
            self._apply(text, issue.start, issue.end, self.error_format)

    def _apply(self, text: str, start: int, end: int, fmt: QTextCharFormat) -> None:
        lo, hi = utf16_index(text, start), utf16_index(text, end)
        self.setFormat(lo, hi - lo, fmt)


def utf16_index(text: str, index: int) -> int:
    """Qt counts UTF-16 code units; convert a code-point index within *text*."""
    prefix = text[:index]
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)
