"""Markdown → sections: rendered to HTML by markdown-it-py, then read by the HTML walker.

Markdown and HTML share one path (``html_blocks.walk_sections``), so Markdown sections follow
the chunk-text convention (docs/DEVELOPING.md, "Chunk text"): headings only in the heading
path (``#``/setext, and raw ``<h1>``… in a README), inline markup (code spans, emphasis, links,
autolinks, raw inline HTML) as plain text in order, a hard-wrapped paragraph as one paragraph,
list items ``- ``/``1. ``, fenced and indented code verbatim between ``` lines, table rows with
`` | ``. Before (issue 10, md7) sections were cut by a regex heading splitter and kept the raw
source: hard wraps, backticks, ``**``, ``[text](url)``, and raw HTML even in heading paths.

Parser: markdown-it-py (CommonMark 0.31) with raw HTML on and the GFM tables and strikethrough
extensions that READMEs use (its ``gfm-like`` preset also turns on linkify, which needs the extra
``linkify-it-py`` package; a bare URL stays the same text without it). YAML front matter
(Jekyll/Hugo ``---`` … ``---`` at the top) is dropped from the text; its ``title:`` names the
document. Each section's ``meta["line"]`` is the
1-based source line where its text starts: markdown-it block tokens carry ``.map`` line ranges,
written into the HTML as ``data-md-line`` and matched to the walker's sections heading by heading.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from fineflow_desktop.core.ingest.base import Section
from fineflow_desktop.core.ingest.html_blocks import walk_sections
from fineflow_desktop.core.ingest.html_headings import heading_level, heading_text
from fineflow_desktop.core.ingest.html_text import parse_html_tree

LINE_ATTR = "data-md-line"  # a block's first source line (1-based)
TEXT_LINE_ATTR = "data-md-text-line"  # on a heading: the line of the first block after it


def markdown_parser() -> MarkdownIt:
    """The Markdown parser: CommonMark with raw HTML, GFM tables and strikethrough."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


_MD = markdown_parser()


def front_matter_end(lines: list[str]) -> int:
    """Index after a leading ``---`` … ``---`` (or ``...``) YAML block (Jekyll/Hugo front
    matter) within the first 200 lines, else 0."""
    if not lines or lines[0].strip() != "---":
        return 0
    for j in range(1, min(len(lines), 200)):
        if lines[j].strip() in ("---", "..."):
            return j + 1
    return 0


def front_matter_title(lines: list[str]) -> str | None:
    """The ``title:`` of the front matter at the top of *lines* (YAML, PyYAML's safe loader), or
    None when there is none or it is not valid YAML."""
    end = front_matter_end(lines)
    if not end:
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end - 1]))
    except yaml.YAMLError:
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return " ".join(title.split()) or None if isinstance(title, str) else None


def markdown_to_html(text: str) -> tuple[str, int | None]:
    """(*text* rendered as an HTML fragment with source lines on its blocks, first block's line).

    Front matter is blanked first (line numbers stay). Every block element gets ``data-md-line``;
    every heading also gets ``data-md-text-line``, the line of the next block (raw HTML included).
    """
    lines = text.split("\n")
    lines[: front_matter_end(lines)] = [""] * front_matter_end(lines)
    tokens = _MD.parse("\n".join(lines))
    starts = [(i, t.map[0] + 1) for i, t in enumerate(tokens) if t.map is not None and t.nesting >= 0]
    for k, (i, line) in enumerate(starts):
        tok = tokens[i]
        if tok.type in ("inline", "html_block"):
            continue
        tok.attrSet(LINE_ATTR, str(line))
        if tok.type == "heading_open":
            after = next((ln for j, ln in starts[k + 1:] if _shows_text(tokens, j)), None)
            if after is not None:
                tok.attrSet(TEXT_LINE_ATTR, str(after))
    first = next((ln for j, ln in starts if _shows_text(tokens, j)), None)
    return _MD.renderer.render(tokens, _MD.options, {}), first


def _shows_text(tokens: list, j: int) -> bool:
    """Does block token *j* start a block with text? Not an inline token, nor a paragraph of only
    images and links around them (a README's row of badges)."""
    if tokens[j].type == "inline":
        return False
    if tokens[j].type == "paragraph_open" and j + 1 < len(tokens):
        return any(c.type in ("text", "code_inline") and c.content.strip()
                   for c in tokens[j + 1].children or [])
    return True


def markdown_sections(text: str, path: Path | str = "<markdown>") -> tuple[list[Section], str | None]:
    """Split Markdown *text* into sections; returns (sections, document title).

    The document title is the front matter's ``title:`` (Jekyll/Hugo pages), else the first
    heading. Text before the first heading has the front matter title as its path, else ``[]``. ``meta["line"]`` as in the module
    docstring. Raises ``ParseError`` (naming *path*) only if lxml cannot read the rendered HTML.
    """
    matter_title = front_matter_title(text.split("\n", 200)[:200])
    html, first_line = markdown_to_html(text)
    if not html.strip():
        return [], None
    root = parse_html_tree(path, f"<html><body>{html}</body></html>")
    body = root.find("body")
    top = body if body is not None else root
    heads = []
    for el in list(top.iter()):
        if isinstance(el.tag, str) and heading_level(el, el.tag.lower()) is not None:
            if not heading_text(el):  # nothing a reader sees (``#`` alone, raw ``<h1></h1>``): no section
                el.drop_tree()
            else:
                heads.append((heading_text(el), _heading_line(el)))
    sections = walk_sections(top, None)
    cursor = 0
    line = first_line
    for sec in sections:
        if sec.heading_path:  # the heading that opened it: the next one with its title
            k = next((k for k in range(cursor, len(heads)) if heads[k][0] == sec.heading_path[-1]), None)
            if k is not None:
                cursor = k + 1
                line = heads[k][1] or line
        sec.meta["line"] = line
        if not sec.heading_path and matter_title:  # like an HTML page's <title> (html_blocks)
            sec.heading_path = [matter_title]
    return sections, matter_title or (heads[0][0] if heads else None)


def _heading_line(el) -> int | None:
    """Line where the text after heading *el* starts: its ``data-md-text-line``, else (a raw
    HTML heading) the next element with a source line and text."""
    value = el.get(TEXT_LINE_ATTR)
    if value is None:
        nxt = el.xpath(f"following::*[@{LINE_ATTR}][normalize-space(.)][1]")
        value = nxt[0].get(LINE_ATTR) if nxt else None
    return int(value) if value else None
