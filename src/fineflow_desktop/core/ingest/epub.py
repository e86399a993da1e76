"""EPUB importer (ebooklib): chapters in spine (reading) order, headings from their HTML.

Each spine document is XHTML; it is split by ``h1``–``h6`` with the same walker as plain HTML
(``html_text.tree_sections``), so a chapter's headings form the heading path. Sections carry
``meta={"chapter": n, "href": name}`` (n is the 1-based position in the spine).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from fineflow_desktop.core.ingest.base import ParsedDocument, ParseError, Section, register_parser
from fineflow_desktop.core.ingest.html_text import parse_html_tree, tree_sections
from fineflow_desktop.core.ingest.limits import check_zip
from fineflow_desktop.core.ingest.textdecode import decode_bytes


def parse_epub(path: Path, data: bytes) -> ParsedDocument:
    """Parse an EPUB 2/3 book; raises ``ParseError`` for broken containers or packages."""
    import ebooklib
    from ebooklib import epub

    check_zip(path, data, "EPUB", required=("META-INF/container.xml",))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about future defaults
            book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except Exception as exc:  # noqa: BLE001 - EpubException, KeyError, lxml errors from damaged parts
        raise ParseError(path, f"not a readable EPUB book ({type(exc).__name__}: {exc})") from exc

    title = None
    try:
        found = book.get_metadata("DC", "title")
        title = " ".join(str(found[0][0]).split()) if found else None
    except Exception:  # noqa: BLE001 - metadata is optional
        title = None

    sections: list[Section] = []
    order = [item_id for item_id, *_ in (s if isinstance(s, tuple) else (s,) for s in book.spine)]
    documents = [book.get_item_with_id(i) for i in order]
    documents = [d for d in documents if d is not None and d.get_type() == ebooklib.ITEM_DOCUMENT]
    if not documents:  # no usable spine: fall back to every XHTML item in package order
        documents = list(book.get_items_of_type(ebooklib.ITEM_DOCUMENT))
    for number, item in enumerate(documents, 1):
        try:
            raw = item.get_content()
        except Exception as exc:  # noqa: BLE001
            raise ParseError(path, f"chapter {item.get_name()} cannot be read ({exc})") from exc
        if not raw or not raw.strip():
            continue
        text, _ = decode_bytes(f"{path}!{item.get_name()}", raw)
        try:
            root = parse_html_tree(f"{path}!{item.get_name()}", text)
        except ParseError:
            continue  # an empty or unparseable chapter: keep the rest of the book
        body = root.find("body")
        for s in tree_sections(body if body is not None else root, index_pages=False):
            s.meta.update(chapter=number, href=item.get_name())
            sections.append(s)
    return ParsedDocument("epub", sections, title=title, meta={"chapters": len(documents)})


register_parser([".epub"], parse_epub)
