"""Use cases joining core and store: plain, Qt-free functions that workers and the CLI call.

Each takes a ``Workspace`` and, when long, a ``core.progress.TaskState``; it passes ids and plain
values, never ORM objects, across its boundary.
"""
