"""Prompt templates, immutable template versions and the prompt execution audit.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "templates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(128), nullable=False, unique=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("output_format", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(32), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("is_builtin", sa.Boolean, nullable=False),
        sa.Column("published_version_id", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_templates_mode", "templates", ["mode"])
    op.create_table(
        "template_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("templates.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("output_format", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column(
            "parent_version_id",
            sa.Integer,
            sa.ForeignKey("template_versions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("template_id", "number", name="uq_template_versions_number"),
    )
    op.create_table(
        "prompt_executions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("templates.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "template_version_id",
            sa.Integer,
            sa.ForeignKey("template_versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("context", sa.JSON, nullable=False),
        sa.Column("rendered_prompt", sa.Text, nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("credential_name", sa.String(128), nullable=True),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("output", sa.Text, nullable=True),
        sa.Column("input_tokens", sa.Integer, nullable=True),
        sa.Column("output_tokens", sa.Integer, nullable=True),
        sa.Column("duration_ms", sa.Integer, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("error_context", sa.JSON, nullable=False),
        sa.Column("is_preview", sa.Boolean, nullable=False),
        sa.Column("feedback", sa.Integer, nullable=False),
        sa.Column(
            "rerun_of_id", sa.Integer, sa.ForeignKey("prompt_executions.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column(
            "regenerated_from_id",
            sa.Integer,
            sa.ForeignKey("prompt_executions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("run_id", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=True),
        sa.Column("finished_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_prompt_executions_template", "prompt_executions", ["template_id", "created_at"])
    op.create_index("ix_prompt_executions_version", "prompt_executions", ["template_version_id"])
    op.create_index("ix_prompt_executions_status", "prompt_executions", ["template_id", "status"])
    op.create_index("ix_prompt_executions_model", "prompt_executions", ["template_id", "model"])
    op.create_index("ix_prompt_executions_run", "prompt_executions", ["run_id"])


def downgrade() -> None:
    op.drop_table("prompt_executions")
    op.drop_table("template_versions")
    op.drop_index("ix_templates_mode", table_name="templates")
    op.drop_table("templates")
