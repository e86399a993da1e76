"""Fine-tuning jobs: jobs, state transitions, events (unique per job+event id), metrics (unique per job+step).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finetune_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("marker", sa.String(64), nullable=False, unique=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("credential_name", sa.String(128), nullable=False),
        sa.Column("base_url", sa.Text, nullable=False),
        sa.Column("model", sa.String(256), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("dataset_id", sa.Integer, nullable=True),
        sa.Column("dataset_name", sa.String(256), nullable=True),
        sa.Column("provider_job_id", sa.String(256), nullable=True, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider_status", sa.String(64), nullable=True),
        sa.Column("launch_stage", sa.String(16), nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("hyperparameters", sa.JSON, nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("suffix", sa.String(64), nullable=True),
        sa.Column("seed", sa.Integer, nullable=True),
        sa.Column("examples", sa.Integer, nullable=True),
        sa.Column("validation_examples", sa.Integer, nullable=True),
        sa.Column("training_tokens", sa.Integer, nullable=True),
        sa.Column("epochs", sa.Integer, nullable=True),
        sa.Column("trained_tokens", sa.Integer, nullable=True),
        sa.Column("fine_tuned_model", sa.String(256), nullable=True),
        sa.Column("error_code", sa.String(128), nullable=True),
        sa.Column("error_message", sa.Text, nullable=True),
        sa.Column("error_param", sa.String(128), nullable=True),
        sa.Column("progress", sa.JSON, nullable=False),
        sa.Column("estimated_finish", sa.DateTime, nullable=True),
        sa.Column("cost_estimate_usd", sa.Float, nullable=True),
        sa.Column("cost_actual_usd", sa.Float, nullable=True),
        sa.Column("price_per_million", sa.Float, nullable=True),
        sa.Column("deleted_at_provider", sa.Boolean, nullable=False),
        sa.Column("last_event_id", sa.String(256), nullable=True),
        sa.Column("last_polled_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_finetune_jobs_provider", "finetune_jobs", ["provider"])
    op.create_index("ix_finetune_jobs_dataset_id", "finetune_jobs", ["dataset_id"])
    op.create_index("ix_finetune_jobs_status", "finetune_jobs", ["status"])
    op.create_index("ix_finetune_jobs_created_at", "finetune_jobs", ["created_at"])
    op.create_table(
        "finetune_transitions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("finetune_jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("provider_status", sa.String(64), nullable=True),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_finetune_transitions_job_id", "finetune_transitions", ["job_id"])
    op.create_table(
        "finetune_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("finetune_jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("provider_event_id", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=True),
        sa.UniqueConstraint("job_id", "provider_event_id", name="uq_finetune_events_job_event"),
    )
    op.create_table(
        "finetune_metrics",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("finetune_jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("train_loss", sa.Float, nullable=True),
        sa.Column("valid_loss", sa.Float, nullable=True),
        sa.Column("train_mean_token_accuracy", sa.Float, nullable=True),
        sa.Column("valid_mean_token_accuracy", sa.Float, nullable=True),
        sa.Column("full_valid_loss", sa.Float, nullable=True),
        sa.Column("full_valid_mean_token_accuracy", sa.Float, nullable=True),
        sa.Column("epoch", sa.Float, nullable=True),
        sa.UniqueConstraint("job_id", "step", name="uq_finetune_metrics_job_step"),
    )


def downgrade() -> None:
    op.drop_table("finetune_metrics")
    op.drop_table("finetune_events")
    op.drop_table("finetune_transitions")
    op.drop_table("finetune_jobs")
