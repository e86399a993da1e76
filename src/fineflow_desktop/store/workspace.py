"""Workspace = a folder with ``workspace.db`` (SQLite) and ``index/`` (FAISS files).

Opening a workspace runs the shipped Alembic migrations. A database stamped with a revision
this app does not know was written by a newer FineFlow and is refused (``NewerSchemaError``)
rather than damaged; before upgrading an existing database a copy is kept in ``backups/``
(pattern: Spine-Database-API).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import platformdirs
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from fineflow_desktop import APP_NAME
from fineflow_desktop.store.db import make_engine

DB_NAME = "workspace.db"
INDEX_DIR = "index"
BACKUP_DIR = "backups"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MAX_RECENT = 10


class WorkspaceError(RuntimeError):
    """A workspace folder cannot be opened; the message says why and what to do."""


class NewerSchemaError(WorkspaceError):
    """The database was written by a newer FineFlow version."""


def data_dir() -> Path:
    """User data folder (``FINEFLOW_DATA_DIR`` overrides it, e.g. in tests)."""
    return Path(os.environ.get("FINEFLOW_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """User config folder (``FINEFLOW_CONFIG_DIR`` overrides it, e.g. in tests)."""
    return Path(os.environ.get("FINEFLOW_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_workspace_path() -> Path:
    """Where the default workspace lives: ``<user data>/workspaces/default``."""
    return data_dir() / "workspaces" / "default"


def _alembic_config(connection=None):
    # Alembic (and the PostgreSQL dialect it drags in, ~0.3 s) is imported only when a schema
    # has to change: opening an up-to-date workspace reads alembic_version with sqlite3.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this app ships, as Alembic's script directory computes it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def shipped_head() -> str:
    """The newest shipped revision read from the migration file names, without Alembic.

    The chain is straight and revision ids are the files' 4-digit prefixes
    (``0012_pair_rejected.py`` has ``revision = "0012"``; docs/DEVELOPING.md), so the head is the
    largest prefix. ``tests/test_migrations.py`` checks it equals ``head_revision()``.
    """
    names = (p.name for p in (MIGRATIONS_DIR / "versions").iterdir())
    return max(n[:4] for n in names if n[:4].isdigit() and n.endswith(".py"))


def stamped_revision(db_path: Path) -> str | None:
    """The revision in *db_path*'s ``alembic_version`` table (None: new or unstamped database)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(db_path)  # read-write open: a read-only one fails on a WAL file without -shm
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:  # no such table (never migrated) or damaged: Alembic's path decides
        return None
    finally:
        conn.close()
    return row[0] if row else None


_attached: dict[str, "Workspace"] = {}
_attached_lock = threading.Lock()


class Workspace:
    """An open workspace. Use ``Workspace.open(path)``; close with ``close()``.

    ``session()`` gives a short-lived SQLAlchemy session (one per unit of work); never share
    ORM objects across threads, pass ids.
    """

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def index_dir(self) -> Path:
        return self.path / INDEX_DIR

    @property
    def name(self) -> str:
        return self.path.name

    @classmethod
    def open(cls, path: str | Path, create: bool = True) -> "Workspace":
        """Open (and with *create*, create) the workspace at *path*, migrating its schema.

        Raises ``WorkspaceError`` if the folder is missing and *create* is false, or the file
        is not a FineFlow database; ``NewerSchemaError`` if a newer app wrote it.
        """
        path = Path(path).expanduser().resolve()
        db_path = path / DB_NAME
        if not db_path.exists():
            if not create:
                raise WorkspaceError(f"{path} is not a FineFlow workspace (no {DB_NAME}).")
            path.mkdir(parents=True, exist_ok=True)
        (path / INDEX_DIR).mkdir(exist_ok=True)
        _check_sqlite_file(db_path)
        engine = make_engine(db_path)
        try:
            _migrate(engine, db_path)
        except Exception:
            engine.dispose()
            raise
        remember_recent(path)
        return cls(path, engine)

    @classmethod
    def attach(cls, path: str | Path) -> "Workspace":
        """This process's handle on a workspace another process of the app already opened (and
        migrated): one engine per folder, cached; no migration, no recent-list entry. This is
        what a ``Workspace`` becomes when it is pickled into a helper process (``__reduce__``)."""
        key = str(Path(path).expanduser().resolve())
        with _attached_lock:
            ws = _attached.get(key)
            if ws is None:
                ws = _attached[key] = cls(Path(key), make_engine(Path(key) / DB_NAME))
            return ws

    def __reduce__(self):
        # An engine cannot cross a process boundary; the folder can (workers.process).
        return (Workspace.attach, (str(self.path),))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def close(self) -> None:
        """Dispose the engine (checkpoints WAL when the last connection closes)."""
        self.engine.dispose()

    def integrity_check(self) -> str:
        """Run ``PRAGMA integrity_check``; returns ``"ok"`` for a healthy database."""
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()


def _check_sqlite_file(db_path: Path) -> None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    with open(db_path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise WorkspaceError(f"{db_path} is not an SQLite database; refusing to open it as a workspace.")


def _migrate(engine: Engine, db_path: Path) -> None:
    if stamped_revision(db_path) == shipped_head():
        return  # the common case, decided without importing Alembic
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise NewerSchemaError(
            f"{db_path} was written by a newer version of FineFlow (schema {current}); "
            f"this version knows schemas up to {head}. Update FineFlow to open it."
        )
    if current is not None:
        _backup(db_path, current)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


def _backup(db_path: Path, revision: str) -> Path:
    """Copy the database (consistent, via SQLite's backup API) before a schema upgrade."""
    target_dir = db_path.parent / BACKUP_DIR
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"workspace-before-upgrade-from-{revision}.db"
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _recent_file() -> Path:
    return config_dir() / "recent_workspaces.json"


def recent_workspaces() -> list[Path]:
    """Recently opened workspace folders, newest first (missing ones dropped)."""
    try:
        items = json.loads(_recent_file().read_text())
    except (OSError, ValueError):
        return []
    return [Path(p) for p in items if isinstance(p, str) and (Path(p) / DB_NAME).exists()]


def remember_recent(path: Path) -> None:
    """Put *path* first in the recent-workspaces list (best effort; never raises)."""
    try:
        items = [str(path)] + [str(p) for p in recent_workspaces() if p != path]
        f = _recent_file()
        f.parent.mkdir(parents=True, exist_ok=True)
        tmp = f.with_suffix(".tmp")
        tmp.write_text(json.dumps(items[:MAX_RECENT], indent=1))
        os.replace(tmp, f)
    except OSError:
        pass
