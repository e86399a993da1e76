"""``python -m fineflow_desktop.cli``."""

from fineflow_desktop.cli.entry import main

raise SystemExit(main())
