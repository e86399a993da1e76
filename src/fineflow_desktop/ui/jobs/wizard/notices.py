"""Framed notices of the launch wizard and the provider notices shown only once (a JSON list of
seen keys in the config folder)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fineflow_desktop.store.workspace import config_dir
from fineflow_desktop.ui import style


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


def show_banner(label: QLabel, text: str | None, kind: str | None = None) -> None:
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
