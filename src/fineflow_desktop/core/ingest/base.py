"""The importer contract: ``ParsedDocument``, ``Section``, ``ParseError`` and the parser registry.

A parser is ``fn(path: Path, data: bytes) -> ParsedDocument``. It must not crash or hang on
malformed input: it raises ``ParseError`` naming the file and, where known, the line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class Section:
    """A run of text under one heading path, e.g. ``["Library", "json", "Basic usage"]``.

    ``meta`` carries format-specific provenance (e.g. ``{"page": 3}`` for PDFs, ``{"line": 120}``).
    """

    heading_path: list[str]
    text: str
    meta: dict = field(default_factory=dict)


@dataclass
class ParsedDocument:
    """A parsed file: its kind (extension without dot), detected encoding and sections."""

    kind: str
    sections: list[Section]
    encoding: str | None = None
    title: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


class ParseError(ValueError):
    """A file could not be parsed. ``str()`` names the file, line and field when known."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None, field: str | None = None):
        self.path, self.reason, self.line, self.field = str(path), reason, line, field
        where = self.path + (f":{line}" if line else "") + (f" [{field}]" if field else "")
        super().__init__(f"{where}: {reason}")


Parser = Callable[[Path, bytes], ParsedDocument]
_PARSERS: dict[str, Parser] = {}


def register_parser(extensions: list[str], parser: Parser) -> None:
    """Register *parser* for file names ending in any of *extensions* (e.g. ``[".rst.txt", ".rst"]``).

    The longest matching suffix wins, so ``.rst.txt`` beats ``.txt``.
    """
    for ext in extensions:
        _PARSERS[ext.lower()] = parser


def supported_extensions() -> list[str]:
    """Registered extensions, longest first."""
    _load_builtin_parsers()
    return sorted(_PARSERS, key=len, reverse=True)


def parser_for(path: Path) -> Parser | None:
    """The registered parser for *path*, or None when the type is not supported."""
    name = path.name.lower()
    for ext in supported_extensions():
        if name.endswith(ext):
            return _PARSERS[ext]
    return None


def parse_file(path: Path, data: bytes | None = None, options: dict | None = None) -> ParsedDocument:
    """Parse *path* (its bytes may be passed in). *options* are keyword arguments for the
    format's parser (e.g. ``{"text_column": "answer"}`` for ``.xlsx``). Raises ``ParseError``
    for bad or unsupported files."""
    parser = parser_for(path)
    if parser is None:
        raise ParseError(path, f"unsupported file type (supported: {', '.join(sorted(_PARSERS))})")
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ParseError(path, f"cannot read file: {exc.strerror or exc}") from exc
    return parser(path, data, **options) if options else parser(path, data)


_loaded = False


def _load_builtin_parsers() -> None:
    """Import the parser modules once; each registers itself on import."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for module in BUILTIN_PARSER_MODULES:
        importlib.import_module(module)


# Each importer module registers its extensions when imported. Add new formats here.
BUILTIN_PARSER_MODULES: list[str] = [
    "fineflow_desktop.core.ingest.text_formats",
    "fineflow_desktop.core.ingest.html_main",  # replaces the plain .html parser (falls back to it)
    "fineflow_desktop.core.ingest.pdf",
    "fineflow_desktop.core.ingest.docx",
    "fineflow_desktop.core.ingest.xlsx",
    "fineflow_desktop.core.ingest.epub",
]
