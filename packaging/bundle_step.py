"""One command-line shape for the post-build steps over the onedir bundle (``strip_bundle``,
``share_blas``, ``slim_icu``, ``dedupe_bundle``): ``python packaging/<step>.py BUNDLE_DIR`` runs
the step and prints its one-line report; a wrong argument count prints the step's summary line
and exits 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable


def run_step(doc: str | None, step: Callable[[Path], str], argv: list[str] | None = None) -> int:
    """Run ``step(bundle_dir)`` for the single argument in *argv* (default ``sys.argv[1:]``) and
    print the report line it returns. Returns the process exit status (0, or 2 on usage error)."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print((doc or "").strip().splitlines()[0], file=sys.stderr)
        return 2
    print(step(Path(argv[0])))
    return 0
