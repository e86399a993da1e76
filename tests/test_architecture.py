"""Layer rules from shared/design/ARCHITECTURE.md, enforced."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "fineflow_desktop"
QT_FREE = ["core", "store", "providers", "services"]
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module


@pytest.mark.parametrize("package", QT_FREE + ["cli"])
def test_qt_free_layers_never_import_qt(package):
    target = SRC / package
    files = [target] if target.is_file() else sorted(target.rglob("*.py"))
    offenders = [
        f"{f.relative_to(SRC)}:{line} imports {mod}"
        for f in files
        for line, mod in _imports(f)
        if mod.split(".")[0] in QT_MODULES
    ]
    assert not offenders, offenders


def test_core_does_not_import_store_or_ui():
    offenders = [
        f"{f.relative_to(SRC)}:{line} imports {mod}"
        for f in sorted((SRC / "core").rglob("*.py"))
        for line, mod in _imports(f)
        if mod.startswith(("fineflow_desktop.store", "fineflow_desktop.ui", "fineflow_desktop.workers", "fineflow_desktop.services"))
    ]
    assert not offenders, offenders


def test_headless_cli_runs_without_loading_qt():
    code = "import sys, fineflow_desktop.cli; assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
