"""Fine-tuned model catalog and model comparisons (issue 12).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("model_id", sa.String(512), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("credential_name", sa.String(128), nullable=False),
        sa.Column("base_model", sa.String(256), nullable=True),
        sa.Column("job_id", sa.Integer, nullable=True),
        sa.Column("dataset_id", sa.Integer, nullable=True),
        sa.Column("dataset_name", sa.String(256), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("checkpoint_step", sa.Integer, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("archived_at", sa.DateTime, nullable=True),
        sa.Column("last_comparison_id", sa.Integer, nullable=True),
        sa.UniqueConstraint("provider", "model_id", name="uq_catalog_models_provider_model"),
    )
    op.create_index("ix_catalog_models_job_id", "catalog_models", ["job_id"])
    op.create_index("ix_catalog_models_status", "catalog_models", ["status"])
    op.create_table(
        "model_comparisons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("model_a", sa.String(512), nullable=False),
        sa.Column("model_b", sa.String(512), nullable=False),
        sa.Column("credential_a", sa.String(128), nullable=False),
        sa.Column("credential_b", sa.String(128), nullable=False),
        sa.Column("prompt_source", sa.String(512), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "comparison_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("comparison_id", sa.Integer, sa.ForeignKey("model_comparisons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("prompt", sa.JSON, nullable=False),
        sa.Column("reference", sa.Text, nullable=True),
        sa.Column("answer_a", sa.Text, nullable=True),
        sa.Column("answer_b", sa.Text, nullable=True),
        sa.Column("error_a", sa.Text, nullable=True),
        sa.Column("error_b", sa.Text, nullable=True),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("vote", sa.String(8), nullable=True),
        sa.UniqueConstraint("comparison_id", "idx", name="uq_comparison_rows_idx"),
    )
    op.create_index("ix_comparison_rows_comparison_id", "comparison_rows", ["comparison_id"])


def downgrade() -> None:
    op.drop_table("comparison_rows")
    op.drop_table("model_comparisons")
    op.drop_table("catalog_models")
