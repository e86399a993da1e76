"""``fineflow``: the headless command line over the same core/service functions as the GUI.

Every command takes ``--workspace DIR`` (before or after the command:
``fineflow --workspace DIR ingest …`` or ``fineflow ingest … --workspace DIR``; default
``$FINEFLOW_WORKSPACE``, else the default workspace) and ``--json``. Exit codes: 0 success,
1 the command ran and found problems (e.g. validation errors) or a provider failed, 2 bad usage
or input, 130 interrupted.

Adding a command group (one module per group):

1. Create ``fineflow_desktop/cli/<group>.py`` with ``register(subparsers, common)``; give every
   leaf parser ``parents=[common]`` (``--workspace``, ``--json``) and
   ``set_defaults(handler=cmd_x)``.
2. Write each handler as ``cmd_x(ws, args) -> int`` decorated with ``@command`` from
   ``fineflow_desktop.cli.common``. The decorator opens the workspace before the call and closes
   it afterwards — handlers never open or close one. ``@command(workspace=False)`` passes
   ``ws=None``; ``@command(workspace=lambda args: …)`` opens one only when the arguments need it.
3. Raise ``UsageError`` for input the user must fix (exit 2, one line, no traceback); print with
   ``emit(args, payload, text)`` (JSON with ``--json``). Import services inside handlers so
   ``fineflow --help`` stays fast; never import Qt (``lint-imports`` checks the whole package).
4. Append ``"fineflow_desktop.cli.<group>"`` to ``COMMAND_MODULES`` in ``cli/entry.py``, and test
   through ``fineflow_desktop.cli.main([...])``.

Example::

    from fineflow_desktop.cli.common import UsageError, command, emit

    def register(sub, common):
        p = sub.add_parser("budget", parents=[common], help="…")
        p.add_argument("--limit", type=float)
        p.set_defaults(handler=cmd_budget)

    @command
    def cmd_budget(ws, args) -> int:
        emit(args, {"limit": args.limit}, f"limit {args.limit}")
        return 0
"""

from fineflow_desktop.cli.common import UsageError, command, emit
from fineflow_desktop.cli.entry import COMMAND_MODULES, build_parser, main

__all__ = ["COMMAND_MODULES", "UsageError", "build_parser", "command", "emit", "main"]
