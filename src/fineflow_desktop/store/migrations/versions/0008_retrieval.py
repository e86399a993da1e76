"""Retrieval: near-duplicate groups, embedding sources, embedded items, vector index state, AI config.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "near_dup_groups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("representative_chunk_id", sa.Integer, nullable=True),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_near_dup_groups_representative_chunk_id", "near_dup_groups", ["representative_chunk_id"])
    op.create_table(
        "embedding_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("last_refresh", sa.DateTime, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("n_items", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "embedded_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("embedding_sources.id", ondelete="CASCADE"), nullable=False),
        sa.Column("chunk_id", sa.Integer, sa.ForeignKey("chunks.id", ondelete="CASCADE"), nullable=True, unique=True),
        sa.Column("pair_id", sa.Integer, sa.ForeignKey("pairs.id", ondelete="CASCADE"), nullable=True),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_embedded_items_source_id", "embedded_items", ["source_id"])
    op.create_index("ix_embedded_items_pair_id", "embedded_items", ["pair_id"])
    op.create_table(
        "vector_index_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("embedder", sa.String(128), nullable=False),
        sa.Column("embedder_version", sa.String(128), nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(256), nullable=False),
        sa.Column("n_vectors", sa.Integer, nullable=False),
        sa.Column("n_tombstones", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "ai_config",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("instructions", sa.Text, nullable=False),
        sa.Column("chat_model", sa.String(128), nullable=False),
        sa.Column("embedding_model", sa.String(128), nullable=False),
        sa.Column("embedding_base_url", sa.String(512), nullable=False),
        sa.Column("temperature", sa.Float, nullable=False),
        sa.Column("max_tokens", sa.Integer, nullable=False),
        sa.Column("frequency_penalty", sa.Float, nullable=False),
        sa.Column("presence_penalty", sa.Float, nullable=False),
        sa.Column("rag_enabled", sa.Boolean, nullable=False),
        sa.Column("semantic_search_threshold", sa.Float, nullable=False),
        sa.Column("max_context_chunks", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ai_config")
    op.drop_table("vector_index_state")
    op.drop_index("ix_embedded_items_pair_id", table_name="embedded_items")
    op.drop_index("ix_embedded_items_source_id", table_name="embedded_items")
    op.drop_table("embedded_items")
    op.drop_table("embedding_sources")
    op.drop_index("ix_near_dup_groups_representative_chunk_id", table_name="near_dup_groups")
    op.drop_table("near_dup_groups")
