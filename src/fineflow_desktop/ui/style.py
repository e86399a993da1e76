"""One application style sheet (``resources/app.qss``) with named colours for light and dark.

Widgets never call ``setStyleSheet``; they say what they are with a dynamic property and the
application style sheet colours it (gitfourchette ``assets/*.qss`` pattern)::

    set_tone(label, "error")      # ok | error | warn | muted | None (text colour)
    set_banner(frame, "warn")     # ok | error | warn | idle | info | None (framed message)
    set_heading(label)            # bold title
    set_primary(button)           # the pane's main action

``apply_app_style(app)`` loads the sheet with the colours of the palette in use (dark when the
window colour is dark). Table models that paint text use ``colour(name)``.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# Named colours: (light palette, dark palette). Text colours keep ≥ 4.5:1 contrast on the
# palette's base colour (WCAG AA) in both.
COLOURS: dict[str, tuple[str, str]] = {
    "ok": ("#1b5e20", "#81c784"),
    "error": ("#b00020", "#ff8a80"),
    "warn": ("#8a5300", "#ffcc80"),
    "muted": ("#52606d", "#a7b1bc"),
    "accent": ("#2f6fd0", "#4d8fe8"),
    "on_accent": ("#ffffff", "#ffffff"),
    "accent_bg": ("#eaf2ff", "#1d2d45"),
    "accent_disabled": ("#b8c4d6", "#3a4656"),
    "on_accent_disabled": ("#eef2f7", "#8a96a6"),
    "border": ("#d0d4d9", "#3c4248"),
    "border_strong": ("#9aa5b1", "#6b7580"),
    "ok_bg": ("#e8f5e9", "#1f3524"), "ok_border": ("#81c784", "#3f7a4a"), "ok_text": ("#1b5e20", "#b9e6bd"),
    "error_bg": ("#fde7e9", "#45202a"), "error_border": ("#e57373", "#a04a55"), "error_text": ("#8c0015", "#ffc4c4"),
    "warn_bg": ("#fff4dc", "#3d321a"), "warn_border": ("#f0b849", "#8a6d2a"), "warn_text": ("#5a3a00", "#ffe0a3"),
    "idle_bg": ("#f1f3f5", "#2a2e33"), "idle_border": ("#ced4da", "#4a5057"), "idle_text": ("#343a40", "#d5dae0"),
    "info_bg": ("#eaf2fd", "#1d2d45"), "info_border": ("#9dbbe8", "#3f5f8f"), "info_text": ("#1d3f72", "#c6dcff"),
    "highlight_bg": ("#fff3c4", "#4a4020"),
    # a search hit marked inside chunk text (marker-pen yellow; text forced for contrast)
    "mark_bg": ("#ffe066", "#806600"), "mark_text": ("#000000", "#ffffff"),
    "template_variable": ("#0550ae", "#79c0ff"),
    # fine-tuning job states (core.finetune.states.STATES): badge backgrounds under white text
    "status_pending": ("#6b7480", "#6b7480"), "status_uploading": ("#3867c8", "#3f73d8"),
    "status_validating": ("#3867c8", "#3f73d8"), "status_queued": ("#7a4fbf", "#8a62cf"),
    "status_training": ("#a35f00", "#b86e00"), "status_completed": ("#23773f", "#2a8a4a"),
    "status_failed": ("#b3261e", "#c53a32"), "status_cancelled": ("#5f6368", "#6c7075"),
    "status_paused": ("#8a6a00", "#9a7800"),
}
TONES = ("ok", "error", "warn", "muted")
BANNERS = ("ok", "error", "warn", "idle", "info")


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window colour of *palette* (default: the application's) is dark."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(name: str, dark: bool | None = None) -> QColor:
    """The named colour for the current (or the given) palette. Raises ``KeyError`` for an unknown name."""
    light_hex, dark_hex = COLOURS[name]
    return QColor(dark_hex if (is_dark() if dark is None else dark) else light_hex)


def css(name: str) -> str:
    """The named colour as ``#rrggbb`` for rich text (``<span style='color:…'>``)."""
    return colour(name).name()


def status_colour(status: str) -> QColor:
    """Badge colour of a fine-tuning job state; an unknown state gets ``status_pending``'s."""
    return colour(f"status_{status}" if f"status_{status}" in COLOURS else "status_pending")


def app_stylesheet(dark: bool) -> str:
    """``resources/app.qss`` with every ``@name`` replaced by its colour (longest names first)."""
    text = resources.files("fineflow_desktop.resources").joinpath("app.qss").read_text(encoding="utf-8")
    for name in sorted(COLOURS, key=len, reverse=True):
        text = text.replace(f"@{name}", COLOURS[name][1 if dark else 0])
    return text


def apply_app_style(app: QApplication, dark: bool | None = None) -> None:
    """Set the application style sheet for *app*'s palette (or force light/dark)."""
    app.setStyleSheet(app_stylesheet(is_dark(app.palette()) if dark is None else dark))


def dark_palette() -> QPalette:
    """A dark Fusion palette (screenshots and users who ask for it; Qt follows the OS otherwise)."""
    p = QPalette()
    window, base, text = QColor("#26292d"), QColor("#1e2124"), QColor("#e6e9ec")
    for role, c in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
                    (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, QColor("#2a2e33")),
                    (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, QColor("#30343a")),
                    (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.ToolTipBase, QColor("#30343a")),
                    (QPalette.ColorRole.ToolTipText, text), (QPalette.ColorRole.PlaceholderText, QColor("#8a939c")),
                    (QPalette.ColorRole.Highlight, QColor("#3d6fb6")), (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
                    (QPalette.ColorRole.Link, QColor("#7fb0ff")), (QPalette.ColorRole.Mid, QColor("#50565d")),
                    (QPalette.ColorRole.Midlight, QColor("#3a3f45")), (QPalette.ColorRole.Dark, QColor("#15171a"))):
        p.setColor(role, c)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d858d"))
    return p


def set_property(widget: QWidget, name: str, value: str | None) -> None:
    """Set a dynamic style property (``app.qss`` selects on it) and restyle *widget*."""
    if widget.property(name) == (value or None):
        return
    widget.setProperty(name, value)
    # A dynamic property only restyles after a re-polish (Qt style sheet docs, "Selector Types").
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def plot_colours() -> tuple[QColor, QColor]:
    """``(background, foreground)`` for pyqtgraph plots: the palette's base and text colours, so
    charts are not white boxes in a dark palette."""
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Colour *widget*'s text as ``ok`` / ``error`` / ``warn`` / ``muted``; None for the default."""
    if tone is not None and tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}; expected one of {TONES}")
    set_property(widget, "tone", tone)


def set_banner(widget: QWidget, kind: str | None) -> None:
    """Frame *widget* as an ``ok`` / ``error`` / ``warn`` / ``idle`` / ``info`` message; None for plain."""
    if kind is not None and kind not in BANNERS:
        raise ValueError(f"unknown banner {kind!r}; expected one of {BANNERS}")
    set_property(widget, "banner", kind)


def set_heading(widget: QWidget) -> None:
    """Bold title text."""
    set_property(widget, "heading", "true")


def set_primary(widget: QWidget) -> None:
    """The pane's main action button."""
    set_property(widget, "primary", "true")
