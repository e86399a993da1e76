"""The .html/.htm/.xhtml parser: main content of a page as sections with heading paths.

Chosen by measurement (``bench/bench_ingest_docs.py``, table in docs/DEVELOPING.md): a
structural walker over lxml (``html_blocks``) with generator-independent chrome removal
(``html_chrome``) keeps sentences whole and headings as paths on DocBook, Sphinx, texinfo,
AsciiDoc, gtk-doc, javadoc and MkDocs pages, where trafilatura (``bench/html_trafilatura.py``, the
benchmark's comparison point) tore inline markup out of sentences and dropped most headings (issue 10).

When the page marks its main region (``<main>`` or ``role="main"``, one of them, holding at least
``MIN_MAIN_CHARS`` of text) only that region is walked; otherwise the whole ``<body>``.
"""

from __future__ import annotations

from pathlib import Path

from fineflow_desktop.core.ingest.base import ParsedDocument, register_parser
from fineflow_desktop.core.ingest.html_blocks import walk_sections
from fineflow_desktop.core.ingest.html_text import html_title, parse_html_tree
from fineflow_desktop.core.ingest.textdecode import decode_bytes

MIN_MAIN_CHARS = 200


def main_region(root):
    """The page's one marked main region (``<main>`` / ``role="main"``), else ``<body>`` (or *root*)."""
    found = root.xpath("//main | //*[@role='main']")
    if len(found) == 1 and len(" ".join(found[0].itertext()).strip()) >= MIN_MAIN_CHARS:
        return found[0]
    body = root.find("body")
    return body if body is not None else root


def html_document_sections(path: Path | str, text: str):
    """``(sections, title)`` of an HTML page's main content; raises ``ParseError`` when unparseable."""
    root = parse_html_tree(path, text)
    title = html_title(root)
    return walk_sections(main_region(root), title), title


def parse_html_main(path: Path, data: bytes) -> ParsedDocument:
    """Parse an HTML page (see the module docstring)."""
    text, enc = decode_bytes(path, data)
    sections, title = html_document_sections(path, text)
    return ParsedDocument("html", sections, encoding=enc, title=title, meta={"extractor": "structure"})


register_parser([".html", ".htm", ".xhtml"], parse_html_main)
