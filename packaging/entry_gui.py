"""Frozen entry point of ``fineflow-desktop`` (the GUI); see ``fineflow_desktop.app.main``."""

import sys

from fineflow_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
