"""PySide6 6.12.0 on Python 3.11 aborts after a few hundred repaints of a widget with a Python
paintEvent (shared/design, verified). The pinned version must survive thousands; the check runs
in a subprocess because the failure is a hard abort, not an exception."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QPainter, QColor
    from PySide6.QtWidgets import QApplication, QWidget

    class Canvas(QWidget):
        painted = 0
        def paintEvent(self, event):
            p = QPainter(self)
            p.fillRect(self.rect(), QColor(self.painted % 255, 80, 120))
            p.drawText(10, 20, str(self.painted))
            p.end()
            Canvas.painted += 1

    app = QApplication([])
    w = Canvas(); w.resize(200, 100); w.show()
    for _ in range(3000):
        w.grab()  # renders through paintEvent, also offscreen
    print("painted", Canvas.painted)
    """
)


def test_thousands_of_python_repaints_do_not_abort():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    painted = int(proc.stdout.split()[-1])
    assert painted >= 3000
