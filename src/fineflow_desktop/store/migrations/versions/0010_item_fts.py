"""Keyword (BM25) index of retrieval: the ``item_fts`` FTS5 table over embedded items, kept in
step by triggers (``store/keyword_index.py``), filled from the items already indexed.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

from fineflow_desktop.store.keyword_index import drop_sql, install_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for sql in install_sql():
        op.execute(sql)


def downgrade() -> None:
    for sql in drop_sql():
        op.execute(sql)
