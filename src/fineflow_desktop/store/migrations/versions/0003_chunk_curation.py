"""Chunk curation fields: quality score + signals, injection flags, near-dup group, language.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chunks") as batch:
        batch.add_column(sa.Column("quality", sa.Float, nullable=True))
        batch.add_column(sa.Column("quality_signals", sa.JSON, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("injection_flags", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("is_flagged", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("near_dup_group_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))
    op.create_index("ix_chunks_quality", "chunks", ["quality"])
    op.create_index("ix_chunks_is_flagged", "chunks", ["is_flagged"])
    op.create_index("ix_chunks_near_dup_group_id", "chunks", ["near_dup_group_id"])


def downgrade() -> None:
    for name in ("ix_chunks_near_dup_group_id", "ix_chunks_is_flagged", "ix_chunks_quality"):
        op.drop_index(name, table_name="chunks")
    with op.batch_alter_table("chunks") as batch:
        for col in ("language", "near_dup_group_id", "is_flagged", "injection_flags", "quality_signals", "quality"):
            batch.drop_column(col)
