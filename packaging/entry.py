"""Frozen entry point of both commands: ``fineflow-desktop`` (GUI) and ``fineflow`` (CLI).

The bundle holds ONE frozen program (one PYZ archive of the pure-Python modules);
``fineflow`` is a symlink to ``fineflow-desktop`` (on Windows a second copy of the small
executable) and the program picks what to run from the name it was started under
(``sys.argv[0]``: the name as typed or as linked, e.g. ``/usr/bin/fineflow``; ``sys.executable``
is the resolved file, so it cannot tell). Any other name starts the GUI.
"""

import os
import sys

CLI_NAME = "fineflow"


def invoked_command(argv0: str) -> str:
    """``"cli"`` if *argv0* (a path or a bare name, any case, ``.exe`` allowed) names
    ``fineflow``, else ``"gui"``."""
    name = os.path.basename(argv0).lower()
    if name.endswith(".exe"):
        name = name[: -len(".exe")]
    return "cli" if name == CLI_NAME else "gui"


def run() -> int:
    """Run the command named by ``sys.argv[0]``; returns its exit code."""
    import multiprocessing

    # First, whatever the name: a spawn child (ingest workers, the job poll process) re-runs
    # sys.executable, i.e. the GUI name even when the CLI started it.
    multiprocessing.freeze_support()
    if invoked_command(sys.argv[0] if sys.argv else "") == "cli":
        from fineflow_desktop.cli import main
    else:
        from fineflow_desktop.app import main
    return main()


if __name__ == "__main__":
    sys.exit(run())
