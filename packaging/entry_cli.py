"""Frozen entry point of ``fineflow`` (the CLI); see ``fineflow_desktop.cli.main``."""

import sys

from fineflow_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
