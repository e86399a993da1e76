"""Re-rank norm per indexed item (issue 14): the L2 norm of the item's hashed TF-IDF row under
the workspace's fineflow-lsa model, so a search re-ranks its candidates without hashing every
word of them (``core.lsa.LsaEmbedder.rerank``).

Revision ID: 0014
Revises: 0013

``op.add_column`` (plain ``ALTER TABLE ADD COLUMN``): nullable; existing rows keep ``NULL``
and the next embed run fills them (``services.retrieval.vector_store.open_index``). Other
embedders leave it ``NULL``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("embedded_items", sa.Column("rerank_norm", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("embedded_items") as batch:
        batch.drop_column("rerank_norm")
