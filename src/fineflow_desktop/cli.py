"""``fineflow``: the headless command line over the same core/service functions as the GUI.

Every command takes ``--workspace DIR`` (default: the default workspace) and ``--json``.
Exit codes: 0 success, 1 the command ran and found problems (e.g. validation errors),
2 bad usage or input. Command groups live in ``cli_*.py`` modules listed in
``COMMAND_MODULES``; each defines ``register(subparsers, common)`` where ``common`` is the
parent parser holding the shared options, and handlers ``fn(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

COMMAND_MODULES = [
    "fineflow_desktop.cli_core",
    "fineflow_desktop.cli_formats",
    "fineflow_desktop.cli_quality",
    "fineflow_desktop.cli_templates",
    "fineflow_desktop.cli_credentials",
    "fineflow_desktop.cli_generate",
    "fineflow_desktop.cli_retrieval",
    "fineflow_desktop.cli_jobs",
]


class UsageError(Exception):
    """Bad arguments or input the user must fix; printed without a traceback, exit 2."""


def common_parser() -> argparse.ArgumentParser:
    """Options every command accepts."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", type=Path, default=None, help="workspace folder (default: the default workspace)")
    common.add_argument("--json", action="store_true", help="machine-readable JSON output")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every registered command group."""
    from fineflow_desktop import APP_NAME, __version__

    parser = argparse.ArgumentParser(prog="fineflow", description="FineFlow Desktop, headless.")
    parser.add_argument("--version", action="version", version=f"fineflow ({APP_NAME}) {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_parser()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def open_workspace(args: argparse.Namespace):
    """Open the workspace named by ``--workspace`` (or the default one)."""
    from fineflow_desktop.store.workspace import Workspace, default_workspace_path

    return Workspace.open(args.workspace or default_workspace_path())


def emit(args: argparse.Namespace, payload: Any, text: str) -> None:
    """Print *payload* as JSON with ``--json``, else the human-readable *text*."""
    if getattr(args, "json", False):
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    elif text:
        print(text)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``fineflow`` console script."""
    import multiprocessing

    multiprocessing.freeze_support()  # ingest worker processes in a frozen (PyInstaller) build
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    from fineflow_desktop.logs import setup_logging
    from fineflow_desktop.providers.base import ProviderError
    from fineflow_desktop.store.workspace import WorkspaceError

    setup_logging()
    try:
        return int(args.handler(args) or 0)
    except (UsageError, WorkspaceError) as exc:
        print(f"fineflow: error: {exc}", file=sys.stderr)
        return 2
    except ProviderError as exc:  # the provider refused or was unreachable: says where, never the key
        print(f"fineflow: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fineflow: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
