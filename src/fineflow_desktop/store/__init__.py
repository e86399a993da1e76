"""Persistence: SQLAlchemy models, Alembic migrations, workspace folders, repositories."""
