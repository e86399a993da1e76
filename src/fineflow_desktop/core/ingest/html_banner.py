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
