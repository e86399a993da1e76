"""The page banner: the block at the top of a page that holds the site's navigation.

A hand-written site puts its logo, a tagline and the main menu in one block above the page's
first heading (SQLite: ``<div class=nosearch>`` holds the logo link, ``div.tagline`` "Small. Fast.
Reliable. / Choose any three." and ``div.menu``). The menu is dropped as chrome
(``html_chrome.chrome_kind``); the tagline beside it is no text of the page either, but its
markup names nothing (``tagline`` is one site's word). The structure is general: a block before
the first heading that holds a navigation block, no heading and, besides the navigation, only a
few short lines — what ``html_chrome.without_link_bars`` drops around a bar of links written
inline (a site name, a date), here around a navigation block.
"""

from __future__ import annotations

from fineflow_desktop.core.ingest.html_chrome import MAX_BAR_COMPANION_WORDS, SKIP_TAGS, chrome_kind
from fineflow_desktop.core.ingest.html_headings import heading_level
from fineflow_desktop.core.ingest.html_structure import STRUCTURE, tag_of

BANNER_TAGS = frozenset(("div", "center", "section", "table"))
MAX_BANNER_LINES = 3  # lines of text beside the navigation: a site name, a tagline, a date
MAX_BANNER_ELEMENTS = 300  # a larger block is a page's wrapper, not its banner


class _NotBanner(Exception):
    pass


def is_page_banner(el, tag: str) -> bool:
    """Is *el* (with lower-case *tag*) a page banner: a block (``BANNER_TAGS``) holding a
    navigation block (an element ``chrome_kind`` drops that holds a link), no heading and no title
    block (class token ``title``), and besides the navigation at most ``MAX_BANNER_LINES`` lines of
    text, each of at most ``MAX_BAR_COMPANION_WORDS`` words? Only meaningful above the page's first
    heading (the caller's test)."""
    if tag not in BANNER_TAGS:
        return False
    lines: list[list[str]] = [[]]
    seen = [0, False]  # elements visited, navigation found

    def visit(node) -> None:
        for child in node:
            t = tag_of(child)
            if t:
                seen[0] += 1
                if seen[0] > MAX_BANNER_ELEMENTS or heading_level(child, t) is not None \
                        or "title" in (child.get("class") or "").lower().split():
                    raise _NotBanner
                if chrome_kind(child, t) == "drop":
                    seen[1] = seen[1] or (t not in SKIP_TAGS and any(a.get("href") for a in child.iter("a")))
                    lines.append([])
                else:
                    if t in STRUCTURE:
                        lines.append([])
                    lines[-1].append(child.text or "")
                    visit(child)
                    if t in STRUCTURE:
                        lines.append([])
            lines[-1].append(child.tail or "")

    try:
        lines[-1].append(el.text or "")
        visit(el)
    except _NotBanner:
        return False
    words = [" ".join(line).split() for line in lines]
    words = [w for w in words if w]
    return seen[1] and len(words) <= MAX_BANNER_LINES and all(len(w) <= MAX_BAR_COMPANION_WORDS for w in words)


MIN_MENU_LISTS = 2  # one list of links beside a caption may be a "See also"; two or more boxes are a menu


def is_menu_cell(cell) -> bool:
    """Is the layout-table cell *cell* a side menu: at least ``MIN_MENU_LISTS`` lists (``ul``/``ol``)
    whose every word is in a link, no heading, and besides those lists at most one short caption
    per list (each at most ``MAX_BAR_COMPANION_WORDS`` words, text outside links)? The libxml2
    site's pages (libxslt's API pages, round 20) lay out their "Main Menu", "Related links" and "API
    Indexes" boxes in a 200-pixel column beside the text; a cell of prose with a list of links
    stays content (its sentences are longer than captions)."""
    if any(heading_level(h, tag_of(h)) is not None for h in cell.iter() if tag_of(h)):
        return False
    lists = [el for el in cell.iter("ul", "ol") if not any(a.tag in ("ul", "ol") for a in el.iterancestors())]
    if len(lists) < MIN_MENU_LISTS:
        return False
    for el in lists:
        if el.find(".//a") is None or any(
                w.isalnum() for t in el.xpath(".//text()[not(ancestor::a)]") for w in t.split()):
            return False
    captions = [t.split() for t in cell.xpath(".//text()[not(ancestor::ul) and not(ancestor::ol) "
                                              "and not(ancestor::script) and not(ancestor::style)]")]
    captions = [c for c in captions if c]
    return len(captions) <= len(lists) and all(len(c) <= MAX_BAR_COMPANION_WORDS for c in captions)


MAX_TRAILER_LINES = 3  # a colophon: who made the page, when
MAX_TRAILER_WORDS = 20


def _loose_words(lead, between: list) -> list[str] | None:
    """The words of the loose inline text after element *lead* (its tail) and in the elements
    *between*; None when one of them is or holds a block, list, table or heading (``STRUCTURE``
    other than ``<br>``), or when the text is empty or longer than ``MAX_TRAILER_LINES`` lines
    (``<br>``) or ``MAX_TRAILER_WORDS`` words."""
    if any(tag_of(d) in STRUCTURE and tag_of(d) != "br" for el in between for d in el.iter()):
        return None
    texts = [lead.tail or ""] + ["".join(el.itertext()) + (el.tail or "") for el in between if tag_of(el)]
    words = " ".join(texts).split()
    lines = 1 + sum(tag_of(el) == "br" for el in between)
    return words if words and len(words) <= MAX_TRAILER_WORDS and lines <= MAX_TRAILER_LINES else None


def drop_page_trailer(top) -> bool:
    """Remove the page's trailer from *top* (the walked element, in place): loose inline text after
    its last child ``<hr>``, with no block, list, table or heading after that rule, at most
    ``MAX_TRAILER_LINES`` lines (``<br>``) and ``MAX_TRAILER_WORDS`` words. man2html ends every page
    so ("<HR>This document was created by <A>man2html</A>, using the manual pages.<BR>Time: …"):
    a colophon below the content, not its text. A footnote after a rule is a ``<p>`` (a block)
    and stays. True when something was removed."""
    kids = list(top)
    rules = [k for k, el in enumerate(kids) if tag_of(el) == "hr"]
    if not rules:
        return False
    hr, after = kids[rules[-1]], kids[rules[-1] + 1:]
    if _loose_words(hr, after) is None:
        return False
    hr.tail = None
    for el in after:
        top.remove(el)
    return True


def drop_title_masthead(top) -> bool:
    """Remove the masthead under the page's title from *top* (in place): loose inline text between
    its first child ``<h1>`` and the next child ``<hr>``, holding a link, with no block, list,
    table or heading in between, at most ``MAX_TRAILER_LINES`` lines and ``MAX_TRAILER_WORDS``
    words. man2html heads every page so ("<H1>TAIL</H1>Section: User Commands (1)<BR>Updated:
    September 2022<BR><A>Index</A> <A>Return to Main Contents</A><HR>"): the page's file data and
    its way back, set off from the text by the rule — ``drop_page_trailer``'s shape at the top.
    Only when more text follows the rule than stands above it. True when something was removed."""
    kids = list(top)
    h1 = next((k for k, el in enumerate(kids) if tag_of(el) == "h1"), None)
    if h1 is None:
        return False
    rule = next((k for k in range(h1 + 1, len(kids)) if tag_of(kids[k]) == "hr"), None)
    if rule is None:
        return False
    between = kids[h1 + 1:rule]
    words = _loose_words(kids[h1], between)
    if words is None or not any(d.get("href") for el in between for d in el.iter() if tag_of(d) == "a"):
        return False
    # the text goes on below the rule: a page whose only text sits between its title and a closing
    # rule (LaTeX2HTML's one-line nodes: "Rgbalpha" / "See image (p. )." / <HR>) is that text
    below = (kids[rule].tail or "") + " ".join("".join(el.itertext()) + (el.tail or "") for el in kids[rule + 1:] if tag_of(el))
    if len(below.split()) <= len(words):
        return False
    kids[h1].tail = None
    for el in between:
        top.remove(el)
    return True
