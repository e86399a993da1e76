"""Test isolation: offscreen Qt, temp data/config dirs, in-memory keyring, leak checks."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One BLAS/OpenMP thread per test process (inherited by the processes tests start): `make test` runs
# two pytest-xdist workers on two shared cores, and OpenBLAS's own threads then spin against each
# other - one 231 x 125 QR took 0.6 s instead of 3 ms under load, an LSA fit on three doc pages
# 8.5 s instead of 0.5 s (same weights). Set before numpy loads; an explicit setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# PYTHONDONTWRITEBYTECODE=1 (set on the CI machine) made each xdist worker rewrite every test
# module and every process the tests start (CLI, app, ingest workers, poll process) compile src/
# again: the test run writes its bytecode caches (git-ignored __pycache__/), children included.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
os.environ.pop("OPENAI_BASE_URL", None)

from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

# The suite (and so CI) draws the same Hypothesis examples on every run: a fuzz test must not
# fail one CI run in three. `HYPOTHESIS_PROFILE=explore make test` draws new ones to hunt bugs
# (it found the zip-version NotImplementedError fixed in core/ingest/limits.py).
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytest_plugins = ["pytester"]

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_DATA = SHARED / "data" / "real"
PYDOC_SOURCES = Path("/usr/share/doc/python3.11/html/_sources")


class MemoryKeyring(KeyringBackend):
    """In-memory keyring backend so tests never touch the OS keyring."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Every test gets its own user-data and config folders and an in-memory keyring."""
    monkeypatch.setenv("FINEFLOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FINEFLOW_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    previous = keyring.get_keyring()
    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    yield mem
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_logging():
    """Each test starts from the root logger's handlers and level as they were: ``setup_logging``
    (every ``cli.main`` call, the app) attaches a rotating file handler in that test's temp data
    folder with the key-scrubbing filter, which formats tracebacks into ``exc_text`` and clears
    ``exc_info`` on the shared record — left attached, it changed what later tests' ``caplog`` saw."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {h: list(h.filters) for h in handlers}  # pytest's own handlers gain the scrubber too
    yield
    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    for h, kept in filters.items():
        h.filters[:] = kept
    root.setLevel(level)


@pytest.fixture(scope="session")
def migrated_workspace_template(tmp_path_factory):
    """A new workspace folder, migrated to head once per test process (``workspace`` copies it).

    Creating a workspace runs every Alembic migration (~0.1 s of CPU); the ``workspace`` fixture
    is used by hundreds of tests. Made with the data/config folders pointed at this session's temp
    dir, so the recent-workspaces list of the real user is never touched."""
    from fineflow_desktop.store.workspace import Workspace

    root = tmp_path_factory.mktemp("workspace-template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FINEFLOW_DATA_DIR", str(root / "data"))
        mp.setenv("FINEFLOW_CONFIG_DIR", str(root / "config"))
        Workspace.open(root / "ws").close()  # dispose checkpoints the WAL into workspace.db
    return root / "ws"


@pytest.fixture
def workspace(tmp_path, migrated_workspace_template):
    """A fresh, migrated workspace in a temp folder (a copy of the session's new migrated one;
    ``Workspace.open`` on it finds the schema at head, exactly as on a just-created workspace)."""
    import shutil

    from fineflow_desktop.store.workspace import Workspace

    shutil.copytree(migrated_workspace_template, tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def ctx(workspace, qtbot):
    """An ``AppContext`` on the ``workspace`` fixture with a synchronous ``TaskManager``."""
    from PySide6.QtGui import QUndoStack

    from fineflow_desktop.ui.context import AppContext, Events
    from fineflow_desktop.workers import TaskManager

    tasks = TaskManager(synchronous=True)
    c = AppContext(workspace=workspace, tasks=tasks, undo_stack=QUndoStack(), events=Events())
    yield c
    tasks.shutdown()


@pytest.fixture
def pydoc_sources():
    """The Python 3.11 docs reStructuredText sources (Debian python3.11-doc)."""
    if not PYDOC_SOURCES.is_dir():
        pytest.skip("python3.11-doc not installed (apt-get install python3.11-doc)")
    return PYDOC_SOURCES


@pytest.fixture(scope="session")
def qapp(qapp_args, qapp_cls, pytestconfig):
    """pytest-qt's ``QApplication``, with garbage collection on the GUI thread as in the app.

    ``ui.main_thread_gc``: without it, a collection triggered on a worker thread can run a Qt
    widget's destructor there and deadlock the GUI thread (a CI run hung so in session 8).
    """
    from PySide6.QtWidgets import QApplication

    from fineflow_desktop.ui.main_thread_gc import install_main_thread_gc

    app = QApplication.instance() or qapp_cls(qapp_args)
    app.setApplicationName(pytestconfig.getini("qt_qapp_name"))
    install_main_thread_gc(app)
    global _QAPP  # keep the instance alive for the session (pytest-qt does the same)
    _QAPP = app
    return app


_QAPP = None


@pytest.fixture(autouse=True)
def no_leaked_qt_work(request, monkeypatch):
    """Fail a test that leaves thread-pool work or timers running (napari ``conftest.py`` pattern).

    ``QThreadPool.start`` and ``QTimer.start`` / ``QTimer.singleShot`` are patched at class level
    for the test, so every pool (``TaskManager``'s private one included) and every timer started
    from Python is recorded. At teardown — after pytest-qt has closed and deleted the widgets
    registered with ``qtbot`` — a pool with active threads or a started timer that is still active
    on a live object fails the test, naming where the timer was started. Mark a test
    ``@pytest.mark.allow_leaks`` only when leaking is what it checks.
    """
    from leaks import LeakRecorder

    recorder = LeakRecorder()
    recorder.install(monkeypatch)
    yield recorder
    problems = recorder.problems()
    monkeypatch.undo()
    if problems:
        recorder.stop_all()
    if problems and not request.node.get_closest_marker("allow_leaks"):
        pytest.fail("\n".join(problems), pytrace=False)


def pytest_configure(config):
    """Under pytest-xdist's ``load`` scheduling hand tests out one at a time (``--maxschedchunk 1``,
    unless given): otherwise each worker first gets a contiguous chunk (~140 tests), and the one
    holding the ``slow`` tests collected first ran all of them while the other ran none."""
    if config.pluginmanager.hasplugin("xdist") and config.getoption("maxschedchunk", None) is None:
        config.option.maxschedchunk = 1


def pytest_collection_modifyitems(config, items):
    """Run the ``slow``-marked tests first (stable order otherwise).

    ``make test`` spreads tests over two pytest-xdist workers in collection order; a test of a
    minute that happens to start last keeps one worker busy alone at the end of the run. Started
    first, the long tests overlap with each other and with the short ones."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
