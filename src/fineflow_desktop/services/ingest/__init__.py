"""Import files and folders into a workspace: parse → chunk → exact-dedup → store.

Public API: ``ingest_paths`` (the pipeline, ``pipeline``), ``collect_files``, ``ingest_workers``,
``IngestReport`` and ``failure_groups`` (``report``). Worker processes: ``pool``.
"""

from fineflow_desktop.services.ingest.pipeline import collect_files, ingest_paths, ingest_workers  # noqa: F401
from fineflow_desktop.services.ingest.report import IngestReport, failure_groups  # noqa: F401
