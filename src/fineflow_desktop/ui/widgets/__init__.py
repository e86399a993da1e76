"""Reusable widgets (diff view, ...)."""
