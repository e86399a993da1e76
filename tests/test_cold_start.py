"""Heavy libraries load where they are first needed, not when the main window is imported
(cold start, issue 9; bench/bench_startup.py measures the time to the first paint)."""

import json
import os
import subprocess
import sys

HEAVY = ["openai", "anthropic", "faiss", "scipy", "rensa", "together", "fireworks", "pypdfium2",
         "docx", "model2vec", "wordllama"]

# A module set up by core.lazy.lazy_module (importlib.util.LazyLoader) is in sys.modules but has
# not run until first used: its class is importlib's _LazyModule until then.
CODE = """
import json, sys
import fineflow_desktop.ui.main_window
loaded = sorted(n for n in %r if n in sys.modules and type(sys.modules[n]).__name__ != "_LazyModule")
print(json.dumps(loaded))
""" % (HEAVY,)


def test_importing_the_main_window_loads_no_heavy_library():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_a_lazy_module_loads_on_first_use():
    code = ("import sys; from fineflow_desktop.store import vector_index as v; "
            "assert type(sys.modules['faiss']).__name__ == '_LazyModule'; "
            "v.VectorIndex('/nonexistent/x.faiss', 8); assert type(sys.modules['faiss']).__name__ == 'module'; "
            "assert sys.modules['faiss'].omp_get_max_threads() == 1")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def test_deferred_start_imports_no_pane_module_it_does_not_show(tmp_path):
    """What the first paint needs is imported; the job monitor (pyqtgraph curves, SDK types),
    Models, Templates and Settings modules are not, until their panes are built."""
    code = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from fineflow_desktop.store.workspace import Workspace;"
        "from fineflow_desktop.ui.main_window import MainWindow;"
        f"w = MainWindow(Workspace.open({str(tmp_path / 'ws')!r}), defer_panes=True);"
        "print(sorted(m for m in ('fineflow_desktop.ui.jobs', 'fineflow_desktop.ui.models', "
        "'fineflow_desktop.ui.templates.pane', 'fineflow_desktop.ui.settings.pane', 'alembic.command') "
        "if m in sys.modules))"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    from fineflow_desktop.store.workspace import Workspace

    Workspace.open(tmp_path / "ws").close()  # migrated already, as on every start but the first
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
