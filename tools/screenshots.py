"""Screenshots of every pane of the main window, for looking at (clipped text, broken splitters).

Run it in a real X server at the size a laptop gives, e.g.::

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/screenshots.py WORKSPACE OUT_DIR \
        [--query "How do I …?"] [--size 1280x800]

Writes ``OUT_DIR/NN-<pane>.png`` (the whole window, menus included) for each pane in sidebar
order; with ``--query`` the RAG Test pane first runs that search (hybrid) and selects the first
hit, so its "found by" columns and highlighted preview show; with ``--document NAME`` the
Dataset Builder selects that document and its chunk ``--chunk N`` (the chunk view: heading path,
text, source page). Settings, data and the keyring are
isolated in a temporary folder, so the user's own are never touched. The workspace is opened
as it is (copy it first if it must stay unchanged: opening migrates it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--query", default="")
    ap.add_argument("--size", default="1280x800")
    ap.add_argument("--document", default="", help="Dataset Builder: select this document (by name) and its chunk --chunk")
    ap.add_argument("--chunk", type=int, default=0, help="row of the document's chunk to select (0 = first)")
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="fineflow-shots-"))
    os.environ.update(FINEFLOW_DATA_DIR=str(home / "data"), FINEFLOW_CONFIG_DIR=str(home / "config"),
                      PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    from PySide6.QtWidgets import QApplication

    from fineflow_desktop.store.workspace import Workspace
    from fineflow_desktop.ui.main_window import PANES, MainWindow
    from fineflow_desktop.ui.style import apply_app_style

    app = QApplication.instance() or QApplication([])
    apply_app_style(app)  # as app.py does: the shots show the window users see
    width, height = (int(v) for v in args.size.split("x"))
    window = MainWindow(Workspace.open(args.workspace), synchronous_tasks=True)
    window.resize(width, height)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    for row, spec in enumerate(PANES):
        window.sidebar.setCurrentRow(row)
        pane = window.pane(spec)
        if spec.title == "Dataset Builder" and args.document:
            names = [r["name"] for r in pane.docs_model.rows()]
            if args.document in names:
                pane.docs_table.selectRow(names.index(args.document))
                app.processEvents()
                pane.chunks_view.table.selectRow(args.chunk)
        if spec.title == "RAG Test" and args.query:
            pane.query.setText(args.query)
            pane.search()
            app.processEvents()
            if pane.hits_model.rowCount():
                pane.hits_view.selectRow(0)
            pane.build_context()
        for _ in range(5):
            app.processEvents()
        name = spec.title.lower().replace(" & ", "-").replace(" ", "-")
        path = args.out / f"{row:02d}-{name}.png"
        window.grab().save(str(path))
        print(path)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
