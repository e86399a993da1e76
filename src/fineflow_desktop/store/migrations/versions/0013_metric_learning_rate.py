"""Learning rate per metric step (issue 12): LLaMA-Factory ``trainer_log.jsonl`` ``lr``, HF
Trainer ``log_history`` ``learning_rate``, Together ``/metrics`` ``train/learning_rate``.

Revision ID: 0013
Revises: 0012

``op.add_column`` (plain ``ALTER TABLE ADD COLUMN``): nullable, existing rows keep ``NULL``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("finetune_metrics", sa.Column("learning_rate", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("finetune_metrics") as batch:
        batch.drop_column("learning_rate")
