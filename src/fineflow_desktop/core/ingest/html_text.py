"""Plain HTML → sections by ``h1``–``h6`` headings (lxml), dropping script/style/navigation.

The walk is iterative (``lxml.etree.iterwalk``), so deeply nested or hostile markup cannot
exhaust Python's recursion limit. Block elements become paragraph breaks, list items and
table rows line breaks, table cells are joined with `` | ``; ``<pre>`` keeps its whitespace.
Main-content extraction (boilerplate removal) lives in ``html_main``; this parser is its
fallback and the reference for headings.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from fineflow_desktop.core.ingest.base import ParseError, Section
from fineflow_desktop.core.ingest.markup import clean_title

# Never text: code, styling, navigation chrome, embedded objects and form controls.
SKIP_TAGS = frozenset(
    "script style nav noscript template head iframe svg math object embed canvas button select option textarea".split()
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_PARAGRAPH = frozenset(
    "p div section article main aside header footer ul ol dl table thead tbody tfoot blockquote pre figure "
    "figcaption form hr address details summary fieldset center body".split()
)
_LINE = frozenset("li dt dd tr br caption legend".split())
_CELL = frozenset(("td", "th"))
_INLINE_SKIPS = frozenset(("a", "button", "script", "style", "select", "option", "textarea"))
_SPACES = re.compile(r"\s+")
# ARIA landmark roles that are page chrome, not content (WAI-ARIA 1.2 landmark roles).
_SKIP_ROLES = frozenset(("navigation", "search", "banner", "contentinfo"))


def _skipped(el, tag: str) -> bool:
    if tag in SKIP_TAGS:
        return True
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    if get("role") in _SKIP_ROLES:
        return True
    # Sphinx permalink anchors ("¶") after headings and signatures.
    return tag == "a" and "headerlink" in (get("class") or "")


def parse_html_tree(path: Path | str, text: str):
    """Parse HTML *text* with lxml; raises ``ParseError`` when nothing parseable is left."""
    if not text.strip():
        raise ParseError(path, "empty HTML document")
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(path, f"not parseable as HTML: {exc}") from exc
    if root is None:
        raise ParseError(path, "not parseable as HTML")
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
    return tree_sections(body if body is not None else root), title


def tree_sections(top) -> list[Section]:
    """Sections of an lxml element tree (iterative walk; see module docstring)."""
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    out: list[str] = []  # finished blocks and separators of the current section
    buf: list[str] = []  # inline text of the current block
    pre = 0
    cell = 0  # depth inside td/th: paragraphs inside a cell stay on the row's line

    def flush(sep: str) -> None:
        if buf:
            raw = "".join(buf).replace("\u00b6", "")  # Sphinx/MkDocs permalink marks
            block = raw.strip("\n") if pre else _SPACES.sub(" ", raw).strip()
            buf.clear()
            if block:
                out.append(block)
        if out and out[-1] not in ("\n", "\n\n"):
            out.append(sep)
        elif out and sep == "\n\n":
            out[-1] = sep

    def block_break(tag: str) -> None:
        # Opening or closing a block: inside a table cell only a space (the row stays one line).
        if cell and (tag in _PARAGRAPH or tag in _LINE) and tag != "table":
            buf.append(" ")
        elif tag in _PARAGRAPH:
            flush("\n\n")
        elif tag in _LINE:
            flush("\n")

    def close_section() -> None:
        flush("\n\n")
        body = "".join(out).strip("\n").rstrip()
        out.clear()
        if body:
            sections.append(Section([t for _, t in stack], re.sub(r"\n{3,}", "\n\n", body)))

    walker = etree.iterwalk(top, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _HEADINGS or _skipped(el, tag):
                if tag in _HEADINGS:
                    close_section()
                    level = _HEADINGS[tag]
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    stack.append((level, clean_title("".join(el.itertext())) or f"(untitled {tag})"))
                elif tag not in _INLINE_SKIPS:
                    flush("\n\n")
                walker.skip_subtree()
                continue
            if tag in _CELL:
                if cell == 0 and buf and "".join(buf).strip():
                    buf.append(" | ")
                cell += 1
            else:
                block_break(tag)
            if tag == "pre":
                pre += 1
            if el.text:
                buf.append(el.text)
        else:
            if tag in _CELL:
                cell = max(0, cell - 1)
            else:
                block_break(tag)
            if tag == "pre":
                pre = max(0, pre - 1)
            if el.tail:
                buf.append(el.tail)
    close_section()
    return sections
