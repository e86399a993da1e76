"""HTML parsing helpers (lxml): parse a page, its ``<title>``, and its sections by headings.

The text rules (block vs inline elements, lists, definition lists, tables, code) are in
``html_blocks``; the main-region choice for .html files in ``html_main``; EPUB chapters use
``tree_sections`` directly.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from fineflow_desktop.core.ingest.base import ParseError, Section
from fineflow_desktop.core.ingest.html_blocks import walk_sections
from fineflow_desktop.core.ingest.html_repair import close_implied_ends
from fineflow_desktop.core.ingest.html_soup import soup_tree


def parse_html_tree(path: Path | str, text: str):
    """Parse HTML *text* into an lxml tree shaped as a browser would build it for omitted end tags
    (``html_repair.close_implied_ends``); raises ``ParseError`` when nothing parseable is left.

    libxml2 parses (``huge_tree``: its default limit of 256 levels is reached by real pages that
    leave ``<dt>`` unclosed, since libxml2 nests each next ``<dt>`` in the open one; gnuplot's
    LaTeX2HTML index lost 497 of its 749 entries there). A page nested deeper than even that
    allows (2,048 levels; libxml2 reports a resource limit and drops the rest) is parsed again
    by ``html_soup.soup_tree``, which has no depth limit, so no text is lost."""
    if not text.strip():
        raise ParseError(path, "empty HTML document")
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(path, f"not parseable as HTML: {exc}") from exc
    if root is None:
        raise ParseError(path, "not parseable as HTML")
    if any(err.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for err in parser.error_log):
        root = soup_tree(text)
    close_implied_ends(root)
    return root


def html_title(root) -> str | None:
    """The ``<title>`` text, whitespace-collapsed, or None."""
    el = root.find(".//title")
    if el is None:
        return None
    title = " ".join(el.text_content().split())
    return title or None


def html_sections(path: Path | str, text: str) -> tuple[list[Section], str | None]:
    """Split an HTML page into sections by headings; returns (sections, ``<title>``)."""
    root = parse_html_tree(path, text)
    title = html_title(root)
    body = root.find("body")
    return tree_sections(body if body is not None else root, title), title


def tree_sections(top, title: str | None = None, index_pages: bool = True) -> list[Section]:
    """Sections of an lxml element tree (``html_blocks.walk_sections``)."""
    return walk_sections(top, title, index_pages)
