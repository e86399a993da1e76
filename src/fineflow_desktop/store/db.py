"""Engine and session factory for a workspace's SQLite database.

WAL journal (readers never block the writer), ``busy_timeout`` so a second writer waits instead
of failing, foreign keys on. Pass ids/values between threads, never ORM objects; open one
session per unit of work (``with ws.session() as s``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 30_000


def make_engine(db_path: Path) -> Engine:
    """Create an SQLAlchemy engine for *db_path* with WAL, busy timeout and foreign keys."""
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001 - DBAPI types
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed txn
        cur.close()

    return engine
