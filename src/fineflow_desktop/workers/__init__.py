"""QThreadPool worker layer (QtCore only): tasks that run plain core functions."""

from fineflow_desktop.workers.task import Task, TaskManager

__all__ = ["Task", "TaskManager"]
