"""Log files for the app and the CLI: ``<user data>/logs/fineflow.log``, rotated, keys scrubbed.

API keys must never reach a log (issue 4): every handler gets ``providers.keys.ScrubFilter``,
which masks anything shaped like a key before the record is written.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from fineflow_desktop.store.workspace import data_dir

MAX_BYTES = 2_000_000
BACKUPS = 3


def log_dir() -> Path:
    """Folder of the log files (inside the user-data folder)."""
    return data_dir() / "logs"


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to a rotating file (once per process); return the file's path."""
    from fineflow_desktop.providers.keys import install_log_scrubber

    path = log_dir() / "fineflow.log"
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    install_log_scrubber(root)
    return path
