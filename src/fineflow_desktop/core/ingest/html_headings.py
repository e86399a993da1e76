"""Headings and heading-like elements of an HTML page, for the structural walker (``html_blocks``).

- ``heading_level``: h1–h6, or ARIA ``role="heading"`` with ``aria-level`` (WAI-ARIA 1.2, default 2),
  or a one-line block a generator marks as a heading by class (``class_heading``, level 6);
- ``heading_text``: a heading's title without permalink anchors and dropped chrome;
- ``header_title``: the title of a page header that has no h1–h6 (class token ``title``);
- ``adorned_heading``: a heading behind short inline decoration (rustdoc's "1.0.0 · source");
- ``in_admonition``: the title of a note/tip/warning box, which is a label, not a section;
- ``bold_section_names``: a man page's section names drawn as bold paragraphs on a page without headings.
"""

from __future__ import annotations

import re

from lxml import etree

from fineflow_desktop.core.ingest.html_chrome import chrome_kind, is_permalink
from fineflow_desktop.core.ingest.html_structure import HEADINGS, STRUCTURE, has_blocks, tag_of

ADMONITIONS = frozenset("note tip warning caution important admonition hint attention danger error".split())
MAX_ADORNMENT = 40  # rustdoc's longest, "const: unstable · 1.0.0 · source", is 33
CLASS_HEADING_TAGS = frozenset(("div", "p", "tr", "td", "th", "dt"))
CLASS_HEADING_LEVEL = 6  # below every h1–h6 around it: a member of the section it stands in
MAX_CLASS_HEADING = 200  # characters: a signature line, not a paragraph
_INSIDE_CLASS_HEADING = frozenset(("br", "td", "th"))


def heading_level(el, tag: str) -> int | None:
    """1–6 for h1–h6 or an element with ``role="heading"`` (``aria-level``, default 2);
    ``CLASS_HEADING_LEVEL`` for a ``class_heading``; else None."""
    if tag in HEADINGS:
        return HEADINGS[tag]
    if (el.get("role") or "").lower() == "heading":
        try:
            return min(6, max(1, int(el.get("aria-level") or 2)))
        except ValueError:
            return 2
    if tag in CLASS_HEADING_TAGS and "heading" in (el.get("class") or "").lower() and class_heading(el, tag):
        return CLASS_HEADING_LEVEL
    return None


def class_heading(el, tag: str) -> bool:
    """Is *el* a block that its generator marks as a heading by a class token containing
    "heading" — RDoc's ``<div class="method-heading">`` over each method's description, pydoc's
    ``<tr class="heading-text">`` title rows — while holding one line of text (at most
    ``MAX_CLASS_HEADING`` characters; only inline elements, ``<br>`` and, in a row, one filled
    cell) and no h1–h6 (Doxygen's ``<tr class="heading">`` and rustdoc's ``main-heading`` only
    wrap a real heading, which stays the heading)? A block-level tag (``CLASS_HEADING_TAGS``) only:
    an inline ``span`` so marked is styling inside a line."""
    if tag not in CLASS_HEADING_TAGS or not any("heading" in t for t in (el.get("class") or "").lower().split()):
        return False
    for d in el.iterdescendants():
        dtag = tag_of(d)
        if dtag in HEADINGS or (d.get("role") or "").lower() == "heading":
            return False
        if dtag in STRUCTURE and dtag not in _INSIDE_CLASS_HEADING:
            return False
    if tag == "tr" and sum(1 for c in el if tag_of(c) in ("td", "th") and "".join(c.itertext()).strip()) != 1:
        return False  # a row of several filled cells is data (pydoc's page title beside its links)
    text = " ".join("".join(el.itertext()).split())
    return 0 < len(text) <= MAX_CLASS_HEADING


def heading_text(el) -> str:
    """A heading's text without permalink anchors and dropped chrome such as tooltips (iterative:
    no recursion on deep markup). Labels set beside the title (``is_label``) come in parentheses:
    Doxygen writes ``Json::Writer Class Reference<span class="mlabels"><span class="mlabel">abstract``
    with no space (its style sheet floats the label right), which read "Class Referenceabstract"."""
    parts: list[str] = []
    skipping = None  # the permalink anchor whose subtree is being skipped
    label = None  # the outermost label element being read
    labelled = False
    controls = script_controls(el)
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = tag_of(node)
        if event == "start":
            if skipping is None and node is not el and (is_permalink(node, tag) or tag in ("script", "style")
                                                        or chrome_kind(node, tag) == "drop" or node in controls):
                skipping = node
            if skipping is None and node is not el and is_label(node):
                if label is None:
                    label, labelled = node, True
                    parts.append(" (")
                elif parts and parts[-1][-1:].isalnum():
                    parts.append(" ")  # one label after another ("static inline")
            if skipping is None and node.text:
                parts.append(node.text)
        else:
            if node is skipping:
                skipping = None
            if node is label:
                parts.append(")")
                label = None
            if skipping is None and node is not el and node.tail:
                parts.append(node.tail)
    text = title_text("".join(parts))
    return text.replace("( ", "(").replace(" )", ")").replace(" ()", "") if labelled else text


_CLASS_PARTS = re.compile(r"[-_\s]+")


def script_controls(el) -> list:
    """The toggles in heading *el*: links that go nowhere (``href="#"`` or ``javascript:``) with a
    class part "toggle", which a script turns into a show/hide control beside the title (YARD's
    ``<h2>Instance Method Summary <small><a href="#" class="summary_toggle">collapse</a></small>
    </h2>`` read "Instance Method Summary collapse"). Not every ``href="#"`` link: rustdoc links the
    item's own name so (``std::alloc::<a class="fn" href="#">alloc</a>``)."""
    return [a for a in el.iter("a")
            if ((a.get("href") or "").strip() == "#" or (a.get("href") or "").strip().lower().startswith("javascript:"))
            and "toggle" in _CLASS_PARTS.split((a.get("class") or "").lower())]


def title_text(text: str) -> str:
    """A heading's words as the page shows them: white space collapsed, Sphinx's "¶" permalink
    mark dropped. Not ``markup.clean_title``, which reads reStructuredText/Markdown source: in an
    HTML page's text ``*``, ``#`` and ``\\`` are characters, not markup (round 12: YARD's
    ``#safe_ln(*args, **options)`` had read "safe_ln(args, *options)"; "C#" read "C")."""
    return " ".join(text.replace("¶", "").split())


LABEL_CLASSES = frozenset(("mlabel", "mlabels", "badge"))  # Doxygen's member labels; Bootstrap's badges


def is_label(el) -> bool:
    """Is *el* a label set beside a title by its class (``LABEL_CLASSES``: Doxygen's ``mlabels`` /
    ``mlabel``, Bootstrap's ``badge``), not part of the title's words?"""
    return bool(LABEL_CLASSES.intersection((el.get("class") or "").lower().split()))


def has_headings(top) -> bool:
    """Does the tree hold a heading (h1–h6, ``role="heading"``) or a title block (``header_title``)?"""
    return any(isinstance(el.tag, str) and (heading_level(el, tag_of(el)) is not None
                                            or "title" in (el.get("class") or "").lower().split())
               for el in top.iter())


# A man page's section name: words in capitals ("NAME", "SEE ALSO", "X11 FORWARDING"), man(7)'s .SH
_SECTION_NAME = re.compile(r"^[A-Z][A-Z0-9]+(?: [A-Z][A-Z0-9]+)*$")
_BOLD_TAGS = frozenset(("b", "strong"))
MIN_BOLD_SECTIONS = 2  # a man page has NAME and at least one more; one bold "NOTE" is a label


def bold_section_names(top) -> list:
    """The paragraphs of *top* that are a section name drawn in bold (``_SECTION_NAME``, the whole
    ``<p>`` one ``<b>``/``<strong>``), when the page has no heading (``has_headings``) and at least
    ``MIN_BOLD_SECTIONS`` of them, else []: groff -Thtml sets an mdoc page's ``.Sh`` so, flush left
    above the indented text (ssh(1): ``<p style="margin-top: 1em"><b>DESCRIPTION</b></p>``), where
    man(7) pages get ``<h2>``. Each is a level-2 heading, as the other man → HTML converters set it
    (round 19; before, every chunk of such a page had the page's empty title for its path)."""
    if has_headings(top):
        return []
    found = []
    for p in top.iter("p"):
        kids = [c for c in p if isinstance(c.tag, str)]
        if ((p.text or "").strip() or len(kids) != 1 or tag_of(kids[0]) not in _BOLD_TAGS
                or (kids[0].tail or "").strip() or len(kids[0])):
            continue
        if _SECTION_NAME.match(" ".join((kids[0].text or "").split())):
            found.append(p)
    return found if len(found) >= MIN_BOLD_SECTIONS else []


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


def titles_details(el) -> bool:
    """Is heading *el* the title of the collapsible block right after it (its next element sibling
    is a ``<details>``, the last element of their parent: a box of title and details)? Haddock writes each type's instance list as ``<h4 class="instances
    details-toggle-control" data-details-id="i:X">Instances</h4><details id="i:X">…</details>``
    inside the declaration's box: the heading toggles that box, the declarations after it are not
    in it, so it is a label (like an admonition's title), not a section (round 11; before, every
    later declaration of the page had "Instances" in its heading path). A heading over several
    ``details`` (an FAQ of collapsible answers) stays a section."""
    nxt = _next_element(el)
    return nxt is not None and nxt.tag.lower() == "details" and _next_element(nxt) is None


def _next_element(el):
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    return nxt
