"""Pair editor at 100k rows: full-text search (SQLite FTS5), the ``pair_keys`` side table and indexes.

``pairs_fts`` is an *external-content* FTS5 table (https://sqlite.org/fts5.html, section 4.4.3):
it stores only the index, reads text from ``pairs`` by rowid, and three triggers keep it in sync
on insert / update of the text columns / delete (the pattern given in the SQLite docs).

``pair_keys`` (``store/models_pairs.py``) holds small trigger-maintained review keys (duplicate
key, text sort keys, validity bitmask, injection flag, tags) so filters and sorts over 100k pairs
are index scans instead of reads of every long pair row.

Trap: an Alembic ``batch_alter_table("pairs")`` copies and drops the table, which drops all these
triggers. ``fineflow_desktop.services.pairs.ensure_review_index`` re-creates them (rebuilding the
FTS index and backfilling ``pair_keys``) when they are missing or outdated; later migrations that
batch-alter ``pairs`` should call ``install()`` below at their end.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from fineflow_desktop.store.models_pairs import backfill_sql, trigger_sql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FTS_TABLE = "pairs_fts"

# unicode61 with diacritics folded: "café" matches "cafe" (FTS5 docs, 4.3.1).
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "system, user, assistant, content='pairs', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)

# The three triggers from the SQLite FTS5 docs for external-content tables.
TRIGGERS = {
    "pairs_fts_ai": (
        "CREATE TRIGGER IF NOT EXISTS pairs_fts_ai AFTER INSERT ON pairs BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, system, user, assistant) "
        "VALUES (new.id, new.system, new.user, new.assistant); END"
    ),
    "pairs_fts_ad": (
        "CREATE TRIGGER IF NOT EXISTS pairs_fts_ad AFTER DELETE ON pairs BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, system, user, assistant) "
        "VALUES ('delete', old.id, old.system, old.user, old.assistant); END"
    ),
    "pairs_fts_au": (
        "CREATE TRIGGER IF NOT EXISTS pairs_fts_au AFTER UPDATE OF system, user, assistant ON pairs BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, system, user, assistant) "
        "VALUES ('delete', old.id, old.system, old.user, old.assistant); "
        f"INSERT INTO {FTS_TABLE}(rowid, system, user, assistant) "
        "VALUES (new.id, new.system, new.user, new.assistant); END"
    ),
}

# Filters on source / document / template version and the injection join on chunk.
PLAIN_INDEXES = {
    "ix_pairs_dataset_source": ["dataset_id", "source"],
    "ix_pairs_dataset_document": ["dataset_id", "document_id"],
    "ix_pairs_dataset_template": ["dataset_id", "template_version_id"],
    "ix_pairs_chunk_id": ["chunk_id"],
}
PAIR_KEYS_INDEXES = {
    "ix_pair_keys_user": ["dataset_id", "user_key"],
    "ix_pair_keys_problems": ["dataset_id", "problems"],
}


def create_pairs_fts_triggers() -> None:
    """(Re-)create the sync triggers; safe to call when they exist."""
    for sql in TRIGGERS.values():
        op.execute(sql)


def install() -> None:
    """(Re-)install the FTS and pair_keys triggers and rebuild both derived tables."""
    create_pairs_fts_triggers()
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    for name, sql in trigger_sql().items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(sql)
    op.execute(backfill_sql())


def upgrade() -> None:
    op.execute(CREATE_FTS)
    op.create_table(
        "pair_keys",
        sa.Column("pair_id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, nullable=False),
        sa.Column("user_key", sa.Text, nullable=False),
        sa.Column("system_key", sa.Text, nullable=False),
        sa.Column("assistant_key", sa.Text, nullable=False),
        sa.Column("problems", sa.Integer, nullable=False),
        sa.Column("injection", sa.Integer, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
    )
    for name, cols in PAIR_KEYS_INDEXES.items():
        op.create_index(name, "pair_keys", cols)
    for name, cols in PLAIN_INDEXES.items():
        op.create_index(name, "pairs", cols)
    install()


def downgrade() -> None:
    for name in PLAIN_INDEXES:
        op.drop_index(name, table_name="pairs")
    for name in (*TRIGGERS, *trigger_sql()):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("pair_keys")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
