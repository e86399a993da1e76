"""The import-linter contracts in pyproject.toml hold, and each one fails when violated.

Each violation is planted in a temporary copy of the package; ``lint-imports`` then runs there
with the same configuration (the copy comes first on PYTHONPATH, so grimp analyses it, not the
installed package).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed in this venv")


def _lint(src_root: Path, config: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(src_root))
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(config)],
                          capture_output=True, text=True, env=env, cwd=src_root)


def test_contracts_hold_on_the_real_package():
    proc = _lint(ROOT / "src", ROOT / "pyproject.toml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


# (contract name as printed, files to plant: path under the package -> text)
PLANTS = {
    "qt-in-core": ("never import Qt", {"core/planted_qt.py": "import PySide6.QtCore\n"}),
    "qt-in-services": ("never import Qt", {"services/planted_qt.py": "from PySide6 import QtWidgets\n"}),
    "qt-in-cli": ("never import Qt", {"cli/planted.py": "import pyqtgraph\n"}),
    "store-imports-providers": ("layers point one way", {"store/planted_up.py": "from fineflow_desktop.providers import retry\n"}),
    "core-imports-services": ("layers point one way", {"core/planted_up.py": "import fineflow_desktop.services.datasets\n"}),
    "services-cycle": ("no import cycles inside services", {
        "services/planted_a.py": "from fineflow_desktop.services import planted_b\n",
        "services/planted_b.py": "def f():\n    from fineflow_desktop.services import planted_a  # hidden in a function\n",
    }),
}


@pytest.mark.parametrize("case", sorted(PLANTS))
def test_each_contract_fails_when_violated(case, tmp_path):
    contract, files = PLANTS[case]
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "fineflow_desktop", src / "fineflow_desktop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for rel, text in files.items():
        (src / "fineflow_desktop" / rel).write_text(text, encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    shutil.copy(ROOT / "pyproject.toml", config)
    proc = _lint(src, config)
    assert proc.returncode != 0, proc.stdout
    broken = [line for line in proc.stdout.splitlines() if " BROKEN" in line]
    assert len(broken) == 1 and contract in broken[0], proc.stdout
    assert "planted" in proc.stdout
