"""Structured logs for the app and the CLI: JSON Lines in the platform's log folder, keys scrubbed.

One JSON object per line (python-json-logger's ``JsonFormatter``), rotated by size
(``MAX_BYTES`` × ``BACKUPS``). Keys of every line: ``time`` (ISO 8601, UTC), ``level``,
``logger``, ``event`` (the message), ``thread``; plus whatever the call site passes in
``extra=`` — by convention ``workspace``, ``task_id``, ``job_id``, ``run_id``, ``provider``,
``model``, ``duration_ms`` and counts (``documents``, ``chunks``, ``pairs``…) — and the fields
of ``log_context(...)`` active on that thread; ``traceback`` when an exception is logged.

Folder: ``platformdirs.user_log_dir("FineFlow Desktop")`` (``~/.local/state/FineFlow
Desktop/log`` on Linux); ``FINEFLOW_LOG_DIR`` overrides it, and with ``FINEFLOW_DATA_DIR`` set
(tests, the smoke test) it is ``<data dir>/logs``.

API keys must never reach a log (issue 4): every handler gets ``providers.keys.ScrubFilter``,
which masks keys in the message, the traceback and every text field before any formatter runs.
"""

from __future__ import annotations

import contextvars
import logging
import os
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path

MAX_BYTES = 2_000_000
BACKUPS = 5
LOG_NAME = "fineflow.log"

# Fields added to every record logged while a log_context(...) is active (per thread / task).
_context: contextvars.ContextVar[dict] = contextvars.ContextVar("fineflow_log_context", default={})


def log_dir() -> Path:
    """Folder of the log files (see the module docstring for the rule)."""
    from fineflow_desktop import APP_NAME
    from fineflow_desktop.store.workspace import data_dir

    if os.environ.get("FINEFLOW_LOG_DIR"):
        return Path(os.environ["FINEFLOW_LOG_DIR"])
    if os.environ.get("FINEFLOW_DATA_DIR"):
        return data_dir() / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_path() -> Path:
    """The current log file."""
    return log_dir() / LOG_NAME


@contextmanager
def log_context(**fields):
    """Add *fields* (e.g. ``workspace=…, run_id=…``) to every record logged inside the block."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Copies the active ``log_context`` fields onto each record (call-site ``extra`` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: A003 - logging API name
        for key, value in _context.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def json_formatter() -> logging.Formatter:
    """The JSON Lines formatter (field names in the module docstring)."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        ["levelname", "name", "message", "threadName"],
        rename_fields={"levelname": "level", "name": "logger", "message": "event", "threadName": "thread",
                       "exc_info": "traceback", "stack_info": "stack"},
        timestamp="time",
        json_ensure_ascii=False,
    )


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to the rotating JSON log file (once per process); return its path."""
    from fineflow_desktop.providers.keys import install_log_scrubber

    path = log_path()
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        handler.setFormatter(json_formatter())
        handler.addFilter(ContextFilter())
        root.addHandler(handler)
    root.setLevel(level)
    install_log_scrubber(root)
    return path
