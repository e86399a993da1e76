"""Headings and heading-like elements of an HTML page, for the structural walker (``html_blocks``).

- ``heading_level``: h1–h6, or ARIA ``role="heading"`` with ``aria-level`` (WAI-ARIA 1.2, default 2);
- ``heading_text``: a heading's title without permalink anchors and dropped chrome;
- ``header_title``: the title of a page header that has no h1–h6 (class token ``title``);
- ``adorned_heading``: a heading behind short inline decoration (rustdoc's "1.0.0 · source");
- ``in_admonition``: the title of a note/tip/warning box, which is a label, not a section.
"""

from __future__ import annotations

from lxml import etree

from fineflow_desktop.core.ingest.html_chrome import chrome_kind, is_permalink
from fineflow_desktop.core.ingest.html_structure import HEADINGS, STRUCTURE, has_blocks, tag_of
from fineflow_desktop.core.ingest.markup import clean_title

ADMONITIONS = frozenset("note tip warning caution important admonition hint attention danger error".split())
MAX_ADORNMENT = 40  # rustdoc's longest, "const: unstable · 1.0.0 · source", is 33


def heading_level(el, tag: str) -> int | None:
    """1–6 for h1–h6 or an element with ``role="heading"`` (``aria-level``, default 2), else None."""
    if tag in HEADINGS:
        return HEADINGS[tag]
    if (el.get("role") or "").lower() == "heading":
        try:
            return min(6, max(1, int(el.get("aria-level") or 2)))
        except ValueError:
            return 2
    return None


def heading_text(el) -> str:
    """A heading's text without permalink anchors and dropped chrome such as tooltips (iterative:
    no recursion on deep markup)."""
    parts: list[str] = []
    skipping = None  # the permalink anchor whose subtree is being skipped
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = tag_of(node)
        if event == "start":
            if skipping is None and node is not el and (is_permalink(node, tag) or tag in ("script", "style")
                                                        or chrome_kind(node, tag) == "drop"):
                skipping = node
            if skipping is None and node.text:
                parts.append(node.text)
        else:
            if node is skipping:
                skipping = None
            if skipping is None and node is not el and node.tail:
                parts.append(node.tail)
    return clean_title("".join(parts))


def has_headings(top) -> bool:
    """Does the tree hold a heading (h1–h6, ``role="heading"``) or a title block (``header_title``)?"""
    return any(isinstance(el.tag, str) and (heading_level(el, tag_of(el)) is not None
                                            or "title" in (el.get("class") or "").lower().split())
               for el in top.iter())


def in_admonition(el) -> bool:
    """Is *el* the title of an admonition box (class token ``note``, ``tip``, ``warning``…)?"""
    parent = el.getparent()
    for _ in range(3):  # the title sits at most a couple of wrappers inside the box
        if parent is None:
            return False
        if ADMONITIONS.intersection((parent.get("class") or "").lower().split()):
            return True
        parent = parent.getparent()
    return False


def adorned_heading(el):
    """The heading of a wrapper that holds one heading preceded only by short inline decoration (at
    most ``MAX_ADORNMENT`` characters in inline elements, no text of its own, no blocks): rustdoc's
    ``<section><span>1.0.0 · <a>source</a></span><a class=anchor></a><h4>fn clone</h4></section>``,
    like a permalink beside a heading; else None."""
    heading = None
    adornment = 0
    if (el.text or "").strip() or not any(heading_level(c, tag_of(c)) is not None for c in el if tag_of(c)):
        return None  # (the cheap test first: this runs for every element)
    for child in el:
        ctag = tag_of(child)
        if not ctag:
            continue
        if (child.tail or "").strip():
            return None
        if heading_level(child, ctag) is not None:
            if heading is not None:
                return None
            heading = child
        elif heading is not None or ctag in STRUCTURE or has_blocks(child):
            return None  # anything after the heading is the section's text ("See Also" + its links)
        else:
            adornment += len(" ".join(child.itertext()).strip())
    return heading if heading is not None and adornment <= MAX_ADORNMENT else None


def header_title(el) -> str | None:
    """The page title in a page header without h1–h6: its element whose class token is ``title``
    (Doxygen's ``<div class="header"><div class="headertitle"><div class="title">``; DocBook and
    AsciiDoc use the same token on their title elements), else None."""
    for d in el.iterdescendants():
        if isinstance(d.tag, str) and "title" in (d.get("class") or "").lower().split():
            text = heading_text(d)
            if text:
                return text
    return None
