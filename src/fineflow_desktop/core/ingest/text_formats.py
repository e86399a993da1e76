"""Parsers for text formats: .txt .md .markdown .rst .rst.txt .html .htm .json .jsonl .csv.

Each decodes the bytes (``textdecode.decode_bytes``: BOM, UTF-8, then charset-normalizer) and
splits the text into sections with heading paths (``markdown_html``, ``markup``, ``html_text``,
``records``).
Registered on import; ``core.ingest.base`` imports this module lazily.
"""

from __future__ import annotations

from pathlib import Path

from fineflow_desktop.core.ingest.base import ParsedDocument, Section, register_parser
from fineflow_desktop.core.ingest.html_text import html_sections
from fineflow_desktop.core.ingest.markdown_html import markdown_sections
from fineflow_desktop.core.ingest.markup import rst_sections
from fineflow_desktop.core.ingest.records import csv_sections, json_sections, jsonl_sections
from fineflow_desktop.core.ingest.textdecode import decode_bytes


def parse_txt(path: Path, data: bytes) -> ParsedDocument:
    """Plain text: one section without headings (paragraphs are split later by the chunker)."""
    text, enc = decode_bytes(path, data)
    body = text.strip("\n").rstrip()
    sections = [Section([], body, {"line": 1})] if body.strip() else []
    return ParsedDocument("txt", sections, encoding=enc)


def parse_markdown(path: Path, data: bytes) -> ParsedDocument:
    """Markdown: rendered by markdown-it-py, sections by its headings (``markdown_html``)."""
    text, enc = decode_bytes(path, data)
    sections, title = markdown_sections(text, path)
    return ParsedDocument("md", sections, encoding=enc, title=title)


def parse_rst(path: Path, data: bytes) -> ParsedDocument:
    """reStructuredText (also Sphinx ``_sources/*.rst.txt``): sections by adorned titles."""
    text, enc = decode_bytes(path, data)
    sections, title = rst_sections(text)
    return ParsedDocument("rst", sections, encoding=enc, title=title)


def parse_html(path: Path, data: bytes) -> ParsedDocument:
    """HTML: sections by h1–h6, without script/style/nav (``html_text.html_sections``)."""
    text, enc = decode_bytes(path, data)
    sections, title = html_sections(path, text)
    return ParsedDocument("html", sections, encoding=enc, title=title)


def parse_json(path: Path, data: bytes) -> ParsedDocument:
    """JSON: one section per top-level array element (``records.json_sections``)."""
    text, enc = decode_bytes(path, data)
    return ParsedDocument("json", json_sections(path, text), encoding=enc)


def parse_jsonl(path: Path, data: bytes) -> ParsedDocument:
    """JSON Lines: one section per line (``records.jsonl_sections``)."""
    text, enc = decode_bytes(path, data)
    return ParsedDocument("jsonl", jsonl_sections(path, text), encoding=enc)


def parse_csv(path: Path, data: bytes) -> ParsedDocument:
    """CSV with a header row: one section per row (``records.csv_sections``)."""
    text, enc = decode_bytes(path, data)
    return ParsedDocument("csv", csv_sections(path, text), encoding=enc)


register_parser([".txt", ".text"], parse_txt)
register_parser([".md", ".markdown"], parse_markdown)
register_parser([".rst", ".rst.txt", ".rest"], parse_rst)
register_parser([".html", ".htm", ".xhtml"], parse_html)
register_parser([".json"], parse_json)
register_parser([".jsonl", ".ndjson"], parse_jsonl)
register_parser([".csv"], parse_csv)
