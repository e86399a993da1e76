"""Pairs can be rejected: kept and shown, excluded from export, reversible (issue 9).

Revision ID: 0012
Revises: 0011

``op.add_column`` (a plain ``ALTER TABLE ADD COLUMN`` on SQLite), not ``batch_alter_table``:
a table copy would drop the FTS5 and ``pair_keys`` triggers of migration 0004.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pairs", sa.Column("rejected", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("pairs") as batch:
        batch.drop_column("rejected")
