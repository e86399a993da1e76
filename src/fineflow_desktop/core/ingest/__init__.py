"""Importers: file → ``ParsedDocument`` (text split into sections with heading paths).

Each format registers a parser with ``register_parser``; ``parse_file`` picks by extension.
"""

from fineflow_desktop.core.ingest.base import (  # noqa: F401
    ParsedDocument,
    ParseError,
    Section,
    parse_file,
    register_parser,
    supported_extensions,
)
