"""Alembic environment: migrations always run on a connection handed in by ``store.workspace``."""

from alembic import context

from fineflow_desktop.store.models_all import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
