"""``fineflow`` entry point: builds the parser from ``COMMAND_MODULES`` and runs the handler."""

from __future__ import annotations

import argparse
import importlib
import sys

from fineflow_desktop.cli.common import UsageError, add_common_options, common_parser

# One module per command group, each with ``register(subparsers, common)``; see the package docstring.
COMMAND_MODULES = [
    "fineflow_desktop.cli.core",
    "fineflow_desktop.cli.formats",
    "fineflow_desktop.cli.quality",
    "fineflow_desktop.cli.templates",
    "fineflow_desktop.cli.credentials",
    "fineflow_desktop.cli.generate",
    "fineflow_desktop.cli.retrieval",
    "fineflow_desktop.cli.jobs",
    "fineflow_desktop.cli.models",
]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every registered command group."""
    from fineflow_desktop import APP_NAME, __version__

    parser = argparse.ArgumentParser(prog="fineflow", description="FineFlow Desktop, headless.")
    parser.add_argument("--version", action="version", version=f"fineflow ({APP_NAME}) {__version__}")
    add_common_options(parser)  # git-style: fineflow --workspace DIR COMMAND …
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_parser()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``fineflow`` console script; returns the exit code (0 ok, 1 the command
    found problems or a provider failed, 2 bad usage or input, 130 interrupted, 141 the output pipe was closed)."""
    import multiprocessing

    multiprocessing.freeze_support()  # ingest worker processes in a frozen (PyInstaller) build
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    args.workspace = getattr(args, "workspace", None)
    args.json = getattr(args, "json", False)
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
    except BrokenPipeError:  # the reader closed the pipe (`fineflow … | head`): stop quietly
        # Python docs, "Note on SIGPIPE": point stdout at devnull so the flush at exit cannot fail again
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a process the pipe ended
