"""Heavy libraries load where they are first needed, not when the main window is imported
(cold start, issue 9; bench/bench_startup.py measures the time to the first paint)."""

import json
import os
import subprocess
import sys

HEAVY = ["openai", "anthropic", "faiss", "scipy", "datasketch", "together", "fireworks", "trafilatura", "pypdf",
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
