"""Render ``resources/icons/fineflow.svg`` to the PNG sizes the app and the .deb ship.

Run once after editing the SVG (``python packaging/make_icons.py``) and commit the PNGs: the
bundle does not carry Qt's SVG module, so the window icon is a PNG.
"""

from __future__ import annotations

import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "src" / "fineflow_desktop" / "resources" / "icons"
SIZES = (32, 64, 256)


def main() -> int:
    """Write ``fineflow-<size>.png`` for every size in ``SIZES``; returns 0."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1] + ["-platform", "offscreen"])
    renderer = QSvgRenderer(str(ICONS / "fineflow.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"fineflow-{size}.png"))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
