"""`python -m fineflow_desktop` starts the GUI."""

from fineflow_desktop.app import main

raise SystemExit(main())
