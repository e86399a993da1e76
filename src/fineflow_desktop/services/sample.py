"""The bundled sample documents (``resources/sample``): one small file per supported format.

Real, openly licensed text (Python documentation excerpts, PSF License Version 2; sources in
``resources/sample/SOURCES.txt``, built by ``packaging/make_sample.py``). They back the Dataset
Builder's **Try it with sample documents** action and ``fineflow-desktop --smoke-test``.
"""

from __future__ import annotations

from pathlib import Path

from fineflow_desktop.core.ingest import supported_extensions
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.resources import RESOURCES_DIR

SAMPLE_DIR = RESOURCES_DIR / "sample"
SOURCES_FILE = SAMPLE_DIR / "SOURCES.txt"  # provenance and licence, not a sample document


def sample_files() -> list[Path]:
    """The sample documents, sorted by name (``SOURCES.txt`` excluded)."""
    exts = set(supported_extensions())
    return sorted(p for p in SAMPLE_DIR.iterdir() if p.is_file() and p != SOURCES_FILE and p.suffix.lower() in exts)


def ingest_sample(ws, state: TaskState | None = None):
    """Import every sample document into workspace *ws*; returns the ``IngestReport``.

    Re-running is safe: unchanged files are skipped (``unchanged_skipped``).
    """
    from fineflow_desktop.services.ingest import ingest_paths

    return ingest_paths(ws, sample_files(), state)
