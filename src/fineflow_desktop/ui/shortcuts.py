"""Actions whose tooltips name their keyboard shortcut, shared by the window and the panes."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def shortcut_tip(text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None) -> str:
    """Tooltip text that names the shortcut, e.g. ``Import files (Ctrl+I)``."""
    if not shortcut:
        return text
    seq = QKeySequence(shortcut)
    return f"{text} ({seq.toString(QKeySequence.SequenceFormat.NativeText)})"


def make_action(parent: QObject, text: str, slot: Callable, shortcut=None, tip: str | None = None) -> QAction:
    """A ``QAction`` with *shortcut*, a tooltip naming it, and ``triggered`` → *slot*.

    Buttons showing the action keep the "…" of *text* (it tells that a dialog follows).
    """
    act = QAction(text, parent)
    act.setIconText(text.replace("&", ""))
    if shortcut:
        act.setShortcut(QKeySequence(shortcut))
    act.setToolTip(shortcut_tip(tip or text.replace("&", ""), shortcut))
    act.triggered.connect(slot)
    return act
