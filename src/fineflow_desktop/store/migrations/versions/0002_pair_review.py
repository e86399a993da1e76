"""Pair review fields: validated, quality, tags, content hash, template version, run.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pairs") as batch:
        batch.add_column(sa.Column("validated", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("quality", sa.Float, nullable=True))
        batch.add_column(sa.Column("quality_signals", sa.JSON, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("tags", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("content_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("template_version_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("run_id", sa.Integer, nullable=True))
    op.create_index("ix_pairs_dataset_hash", "pairs", ["dataset_id", "content_hash"])
    op.create_index("ix_pairs_dataset_quality", "pairs", ["dataset_id", "quality"])
    op.create_index("ix_pairs_dataset_validated", "pairs", ["dataset_id", "validated"])
    op.create_index("ix_pairs_run_chunk", "pairs", ["run_id", "chunk_id"])


def downgrade() -> None:
    for name in ("ix_pairs_run_chunk", "ix_pairs_dataset_validated", "ix_pairs_dataset_quality", "ix_pairs_dataset_hash"):
        op.drop_index(name, table_name="pairs")
    with op.batch_alter_table("pairs") as batch:
        for col in ("run_id", "template_version_id", "content_hash", "tags", "quality_signals", "quality", "validated"):
            batch.drop_column(col)
