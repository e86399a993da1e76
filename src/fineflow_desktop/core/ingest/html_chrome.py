"""Page chrome of generated HTML documentation: what is navigation, not content.

General structure, not one site's wording: HTML5 sectioning tags (``nav``, ``aside``,
``footer``, ``header``), WAI-ARIA 1.2 landmark roles, and class/id tokens that documentation
generators give their navigation (DocBook ``navheader``/``navfooter``, texinfo ``header`` and
``nav-panel``, Sphinx ``sphinxsidebar``/``related``/``footer``, gtk-doc ``navigation``, MkDocs
and Bootstrap ``navbar``/``sidebar``, javadoc ``header``/``sub-nav``, tables of contents ``toc``).

Two kinds (``chrome_kind``): ``"drop"`` — skip the element and everything in it; ``"headings"``
— a page header: skip its text but keep the h1–h6 inside it (javadoc and some themes put the
page's title heading in a header block), so boilerplate removal never costs a heading.
"""

from __future__ import annotations

import re

# Never text: scripts, styling, embedded objects and form controls.
SKIP_TAGS = frozenset(
    "script style noscript template head iframe svg math object embed canvas button select option textarea "
    "input label".split()
)
DROP_TAGS = frozenset(("nav", "aside", "footer"))
HEADER_TAGS = frozenset(("header",))
# ARIA landmark roles that are page chrome (WAI-ARIA 1.2 §5.3.4).
DROP_ROLES = frozenset(("navigation", "search", "contentinfo", "complementary", "tooltip"))
HEADER_ROLES = frozenset(("banner",))
# class/id tokens (lower-case) of navigation blocks, whole-token matches.
DROP_TOKENS = frozenset(
    "nav navigation navbar navheader navfooter nav-panel subnav sub-nav top-nav topnav bottom-nav sidenav "
    "sidebar related footer breadcrumb breadcrumbs toc menu skip skiplink skip-nav pager pagination "
    "prev-next prevnext alphabet".split()
)
HEADER_TOKENS = frozenset(("header", "banner", "masthead", "top-bar", "topbar", "package-header"))
# Round 11 (Haddock): ``div#package-header`` repeats the package's name and a Contents/Index menu
# above every page; the index pages' ``div#alphabet`` is the A–Z bar of links to the other letters.
# token parts that mark navigation inside longer tokens ("sphinxsidebarwrapper", "bs-sidebar", "toctree-wrapper").
# Web-page chrome too: cookie/consent banners; hover-only boxes ("tooltip", ARIA's role too), such as
# rustdoc's "Notable traits" box inside a method's heading (round 5).
# RDoc's darkfish template (round 9) shows "click to toggle source" beside each method heading on
# hover (``method-click-advice``): an instruction for the mouse, not text of the page.
DROP_PARTS = ("sidebar", "navbar", "breadcrumb", "navheader", "navfooter", "toctree", "footer", "cookie", "consent",
              "tooltip", "click-advice")
_SPLIT = re.compile(r"[\s]+")


def _tokens(el, ids: bool = True) -> list[str]:
    return [t.lower() for t in _SPLIT.split(f"{el.get('class') or ''} {(el.get('id') or '') if ids else ''}") if t]


def chrome_kind(el, tag: str) -> str | None:
    """``"drop"``, ``"headings"`` or None (content) for element *el* with lower-case *tag*."""
    if tag in SKIP_TAGS or tag in DROP_TAGS:
        return "drop"
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return "drop"
    role = (get("role") or "").lower()
    if role in DROP_ROLES:
        return "drop"
    if tag in HEADER_TAGS or role in HEADER_ROLES:
        return "headings"
    # an anchor's id names the documented item it marks, not a navigation block: Haddock's
    # ``<a id="v:helpFooter" class="def">`` (a record field) was dropped for its "footer" (round 11)
    tokens = _tokens(el, ids=tag != "a")
    if not tokens:
        return None
    for t in tokens:
        if t in DROP_TOKENS or any(p in t for p in DROP_PARTS):
            return "drop"
    if any(t in HEADER_TOKENS for t in tokens):
        return "headings"
    return None


PERMALINK_MARKS = frozenset("¶#§🔗")


def is_permalink(el, tag: str) -> bool:
    """Permalink anchors after headings, signatures and definition terms: Sphinx/MkDocs
    ``headerlink``, texinfo ``copiable-anchor``/``copiable-link``, or any link to a fragment of
    the page whose whole text is a mark such as "¶", "#", "§" or "◆" (one character, not a
    letter or digit)."""
    if tag != "a":
        return False
    cls = el.get("class") or ""
    if "headerlink" in cls or "copiable" in cls:
        return True
    href = el.get("href") or ""
    if not href.startswith("#") or len(el):
        return False
    mark = (el.text or "").strip()
    # any short mark without letters or digits, e.g. Doxygen's "◆" before member headings (round 5)
    return mark in PERMALINK_MARKS or (len(mark) == 1 and not re.search(r"\w", mark))


LINK_START, LINK_END = "\x01", "\x02"  # the walker writes them around the text of each link
_LINK_MARKS = re.compile("[\x01\x02]")
# Round 20: ">" and "›" are breadcrumb separators (Apache httpd's "Apache > HTTP Server > Documentation")
_BAR_SEPARATORS = re.compile(r"^[\s|\[\]·•»«>›]*[|\[\]·•»«>›][\s|\[\]·•»«>›]*$")
MIN_BAR_LINKS = 2
MAX_BAR_COMPANION_WORDS = 6


def is_link_bar(line: str) -> bool:
    """Is this line of inline text (links marked ``LINK_START``/``LINK_END``) a bar of links: at
    least ``MIN_BAR_LINKS`` links and, outside them, only separators such as ``|``, ``[ ]``, ``·``
    or ``»`` ("top | back | next | contents") or ``>`` ("Apache > HTTP Server")? Links with only
    spaces between are no bar: Haddock's "Monoid ParseError" is a signature (round 20). Commas do
    not count: "see foo, bar" is a sentence."""
    depth, links, outside = 0, 0, []
    for ch in line:
        if ch == LINK_START:
            depth += 1
            links += depth == 1
        elif ch == LINK_END:
            depth = max(0, depth - 1)
        elif depth == 0:
            outside.append(ch)
    return links >= MIN_BAR_LINKS and bool(_BAR_SEPARATORS.match("".join(outside)))


def without_link_bars(lines: list[str]) -> list[str]:
    """The lines of one paragraph (``<br>``-separated) without their link bars (``is_link_bar``):
    page navigation written inline, as hand-written pages put it above the first heading and
    below the last paragraph (the Haskell 98 report: "<i>The Haskell 98 Report</i><br><a>top</a> |
    <a>back</a> | …<br><font size=2>December 2002</font>"). A paragraph whose other lines are all
    short (at most ``MAX_BAR_COMPANION_WORDS`` words: a site name, a date) goes with its bar, as
    a navigation block; link marks are removed."""
    bars = [is_link_bar(line) for line in lines]
    lines = [_LINK_MARKS.sub("", line) for line in lines]
    if not any(bars):
        return lines
    if all(bar or len(line.split()) <= MAX_BAR_COMPANION_WORDS for line, bar in zip(lines, bars)):
        return []
    return [line for line, bar in zip(lines, bars) if not bar]
