"""HTML main-content extraction with trafilatura — the .html parser until issue 10, kept as a
comparison point for ``bench/bench_ingest_docs.py --compare``. It lives in ``bench/`` since
session 11: the app never runs it, so trafilatura (and jusText, htmldate, dateparser, courlan,
babel, lxml_html_clean under it) is a ``dev`` dependency, not a runtime one (issue 13).

trafilatura (Barbaresi 2021, ACL demo) drops navigation, headers/footers, cookie banners and
other boilerplate and returns the main content as XML (``head``/``p``/``list``/``table``/
``code`` elements). That XML is mapped back to HTML tags and split by the same walker as the
plain parser (``html_text.tree_sections``), so headings still become heading paths. When
trafilatura finds nothing (or fails), the plain parser's result is used instead
(``ParsedDocument.meta["extractor"]`` says which one ran).
"""

from __future__ import annotations

import logging
from pathlib import Path

from lxml import etree

from fineflow_desktop.core.ingest.base import ParsedDocument
from fineflow_desktop.core.ingest.html_text import html_sections, html_title, parse_html_tree, tree_sections
from fineflow_desktop.core.ingest.textdecode import decode_bytes

# Below this many characters of extracted text, trafilatura is taken to have missed the page.
MIN_MAIN_CHARS = 200
# trafilatura XML tag → HTML tag understood by tree_sections.
_TAGS = {"list": "ul", "item": "li", "row": "tr", "cell": "td", "quote": "blockquote", "lb": "br",
         "hi": "span", "ref": "span", "del": "span", "main": "div", "doc": "div", "comments": "div"}


def extract_main(text: str):
    """trafilatura's main content of an HTML page as an lxml tree with HTML tags, or None."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every odd page
    try:
        xml = trafilatura.extract(
            text, output_format="xml", include_tables=True, include_comments=False, include_formatting=True,
            include_links=False, include_images=False, with_metadata=False, deduplicate=False, favor_recall=True,
        )
    except Exception:  # noqa: BLE001 - any failure means "use the plain parser"
        return None
    if not xml:
        return None
    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=False))
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "head":
            rend = (el.get("rend") or "h2").lower()
            el.tag = rend if rend in ("h1", "h2", "h3", "h4", "h5", "h6") else "h2"
        elif el.tag == "code":
            parent = el.getparent()
            el.tag = "span" if parent is not None and parent.tag in ("p", "head", "hi", "cell", "item", "h1", "h2", "h3") else "pre"
        elif el.tag == "graphic":
            el.tag = "span"
        else:
            el.tag = _TAGS.get(el.tag, el.tag)
    return root


def parse_html_trafilatura(path: Path, data: bytes) -> ParsedDocument:
    """Parse an HTML page keeping only its main content; falls back to ``html_text``."""
    text, enc = decode_bytes(path, data)
    root = extract_main(text)
    if root is not None:
        sections = tree_sections(root)
        if sum(len(s.text) for s in sections) >= MIN_MAIN_CHARS:
            title = html_title(parse_html_tree(path, text))
            return ParsedDocument("html", sections, encoding=enc, title=title, meta={"extractor": "trafilatura"})
    sections, title = html_sections(path, text)
    return ParsedDocument("html", sections, encoding=enc, title=title, meta={"extractor": "structure"})

