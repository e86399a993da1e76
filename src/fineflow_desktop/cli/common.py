"""What every command group shares: the ``command`` decorator, ``UsageError``, ``emit``, the
common options and the one place where a workspace is opened and closed (``dispatch``).

Handler shape (see the package docstring)::

    @command                      # opens the workspace, passes it, closes it afterwards
    def cmd_stats(ws, args) -> int: ...

    @command(workspace=False)     # no workspace: ws is None
    def cmd_check(ws, args) -> int: ...

    @command(workspace=lambda args: args.dataset is not None)  # only when the arguments need one
    def cmd_validate(ws, args) -> int: ...
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORKSPACE_ENV = "FINEFLOW_WORKSPACE"

Handler = Callable[[Any, argparse.Namespace], int]


class UsageError(Exception):
    """Bad arguments or input the user must fix; printed without a traceback, exit 2."""


def command(fn: Handler | None = None, *, workspace: bool | Callable[[argparse.Namespace], bool] = True):
    """Mark *fn* ``(ws, args) -> int`` as a command handler.

    *workspace*: True (default) opens the workspace of ``--workspace`` / ``$FINEFLOW_WORKSPACE`` /
    the default one before the call and closes it after (even on errors); False passes ``None``;
    a callable decides from the parsed arguments. The returned handler takes ``args`` only, as
    ``dispatch`` calls it.
    """
    if fn is None:
        return lambda f: command(f, workspace=workspace)

    @functools.wraps(fn)
    def handler(args: argparse.Namespace) -> int:
        needs = workspace(args) if callable(workspace) else workspace
        if not needs:
            return int(fn(None, args) or 0)
        from fineflow_desktop.store.workspace import Workspace

        ws = Workspace.open(workspace_path(args))
        try:
            return int(fn(ws, args) or 0)
        finally:
            ws.close()

    handler.needs_workspace = workspace  # type: ignore[attr-defined]
    return handler


def workspace_path(args: argparse.Namespace) -> Path:
    """The workspace folder: ``--workspace`` (before or after the command), else
    ``$FINEFLOW_WORKSPACE``, else ``store.workspace.default_workspace_path()``."""
    if getattr(args, "workspace", None):
        return Path(args.workspace)
    if os.environ.get(WORKSPACE_ENV):
        return Path(os.environ[WORKSPACE_ENV]).expanduser()
    from fineflow_desktop.store.workspace import default_workspace_path

    return default_workspace_path()


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """``--workspace`` and ``--json``. Defaults are SUPPRESSed so that the option given on the
    top-level parser (``fineflow --workspace DIR ingest``) is not overwritten by the leaf's default;
    ``dispatch`` fills the missing ones in."""
    parser.add_argument("--workspace", type=Path, default=argparse.SUPPRESS,
                        help=f"workspace folder (default: ${WORKSPACE_ENV}, else the default workspace)")
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable JSON output")


def common_parser() -> argparse.ArgumentParser:
    """Parent parser holding the options every command accepts (pass as ``parents=[common]``)."""
    common = argparse.ArgumentParser(add_help=False)
    add_common_options(common)
    return common


def emit(args: argparse.Namespace, payload: Any, text: str) -> None:
    """Print *payload* as JSON with ``--json``, else the human-readable *text*."""
    if getattr(args, "json", False):
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    elif text:
        print(text)


def progress(args: argparse.Namespace):
    """A ``core.progress.TaskState`` printing one updating ``done/total message`` line on
    stderr when stderr is a terminal and ``--json`` is off (silent otherwise); pair it with
    ``end_progress(args)`` in a ``finally``."""
    from fineflow_desktop.core.progress import TaskState

    tty = sys.stderr.isatty() and not getattr(args, "json", False)

    def show(done: int, total: int, message: str) -> None:
        if tty:
            print(f"\r{done}/{total} {message[:70]:<70}", end="", file=sys.stderr, flush=True)

    return TaskState(on_progress=show)


def end_progress(args: argparse.Namespace) -> None:
    """End the progress line of ``progress(args)`` (a newline on a terminal)."""
    if sys.stderr.isatty() and not getattr(args, "json", False):
        print(file=sys.stderr)
