"""The Alembic migrations build exactly the schema the ORM models describe; newer DBs are refused."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from fineflow_desktop.store.models_all import Base
from fineflow_desktop.store.workspace import NewerSchemaError, Workspace, WorkspaceError, head_revision


def _virtual_tables(conn) -> set[str]:
    """FTS5 virtual tables and their shadow tables: SQLite-managed, not ORM models."""
    names: set[str] = set()
    rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
    for (name,) in rows:
        names |= {name} | {f"{name}_{s}" for s in ("data", "idx", "content", "docsize", "config")}
    return names


def test_migrated_schema_matches_models(workspace):
    with workspace.engine.connect() as conn:
        skip = _virtual_tables(conn)
        opts = {"include_name": lambda name, type_, parent: not (type_ == "table" and name in skip)}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    # server defaults and index naming aside, tables and columns must agree
    relevant = [d for d in diff if d[0] in ("add_table", "remove_table", "add_column", "remove_column")]
    assert relevant == []


def test_reopen_is_idempotent_and_healthy(tmp_path):
    ws = Workspace.open(tmp_path / "w")
    ws.close()
    ws = Workspace.open(tmp_path / "w")
    assert ws.integrity_check() == "ok"
    ws.close()


def test_newer_schema_is_refused_with_clear_message(tmp_path):
    ws = Workspace.open(tmp_path / "w")
    ws.close()
    con = sqlite3.connect(tmp_path / "w" / "workspace.db")
    con.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    con.commit()
    con.close()
    with pytest.raises(NewerSchemaError, match="newer version of FineFlow"):
        Workspace.open(tmp_path / "w")


def test_upgrade_from_older_schema_keeps_data_and_backs_up(tmp_path):
    from alembic import command

    from fineflow_desktop.store.workspace import _alembic_config
    from fineflow_desktop.store.db import make_engine

    path = tmp_path / "old"
    path.mkdir()
    engine = make_engine(path / "workspace.db")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.exec_driver_sql("INSERT INTO datasets (name, description, system_prompt, target_model, created_at) VALUES ('kept', '', '', 'gpt-4o-mini', '2026-01-01')")
    engine.dispose()
    ws = Workspace.open(path)
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM datasets").scalar_one() == "kept"
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == head_revision()
    ws.close()
    assert list((path / "backups").glob("workspace-before-upgrade-from-0001.db"))


def test_not_a_database_is_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "workspace.db").write_text("hello, I am a text file")
    with pytest.raises(WorkspaceError, match="not an SQLite database"):
        Workspace.open(tmp_path / "x")


def test_shipped_head_from_file_names_is_alembics_head():
    from fineflow_desktop.store.workspace import shipped_head

    assert shipped_head() == head_revision()


def test_opening_an_up_to_date_workspace_does_not_import_alembic(tmp_path):
    """Cold start: the up-to-date check reads alembic_version with sqlite3 (Alembic costs ~0.3 s)."""
    import subprocess
    import sys

    Workspace.open(tmp_path / "ws").close()
    code = ("import sys; from fineflow_desktop.store.workspace import Workspace; "
            f"Workspace.open({str(tmp_path / 'ws')!r}).close(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
