"""The HTML element vocabulary the structural walker (``html_blocks``) sorts elements by.

Which tags are headings, block containers or lists, and whether an element holds any block-level
structure. Sources: HTML 4.01 §7.5.3 (block vs inline) and the HTML Living Standard's flow content;
tags a browser still draws as blocks (``center``, ``dir``, ``menu``, ``noframes``) are kept for old
pages (the Haskell 98 report, grohtml).
"""

from __future__ import annotations

HEADINGS = {f"h{i}": i for i in range(1, 7)}
BLOCK_TAGS = frozenset(
    "p div section article main header footer blockquote figure figcaption form hr address details summary "
    "fieldset center body html legend caption noframes frameset dir menu".split()
)
LIST_TAGS = frozenset(("ul", "ol", "dir", "menu"))
# everything that ends a line of inline text: blocks, lists, tables and their parts, headings, br
STRUCTURE = BLOCK_TAGS | LIST_TAGS | {"table", "pre", "dl", "li", "dd", "dt", "tr", "td", "th", "br", *HEADINGS}


def tag_of(el) -> str:
    """The lower-case tag name of lxml element *el*; "" for a comment or processing instruction."""
    return el.tag.lower() if isinstance(el.tag, str) else ""


def has_blocks(el) -> bool:
    """Does *el* hold any block-level element (or a heading, list, table, pre, br; ``STRUCTURE``)?"""
    return any(tag_of(d) in STRUCTURE for d in el.iterdescendants())
