"""Alembic migration scripts, shipped as package data and run when a workspace opens."""
