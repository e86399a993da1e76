"""Structural HTML → sections walker (lxml): block elements make the breaks, inline elements stay inline.

Output follows the chunk-text convention (docs/DEVELOPING.md, "Chunk text"):

- headings (h1–h6, ``role="heading"`` with ``aria-level``; ``html_headings``) are not in the
  text; they open a section and form its heading path (``html_sections.Blocks``); text before the
  first heading gets the page title; the title of an admonition box (``div.note``/``tip``/
  ``warning``…) is a label paragraph instead;
- inline elements (``code``, ``em``, ``span``, ``a``, ``kbd``, ``var``, unknown tags…, nested at
  any depth) contribute their text in document order; whitespace runs collapse to one space;
- block elements (``p``, ``div``, ``section``, ``blockquote``…; ``html_structure``) end a
  paragraph; paragraphs are separated by one blank line; ``br`` is a line break;
- list items are lines starting ``- `` (``1. `` in ``ol``), nested lists indented two spaces
  (``html_lists``);
- a definition-list entry is the term line then the definition starting ``: `` (Pandoc), also for
  definitions old HTML writes without ``<dd>`` and dt/dd outside a ``<dl>`` (``html_definitions``);
- ``pre`` is verbatim, fenced with ``` lines (a ``pre`` of only digits — line-number gutters — is dropped);
  so is code set without ``pre``: monospace lines with ``<br>`` (``html_displays``, round 6),
  blocks set off by indentation (``html_set_off``, round 7), one ``div`` per line (``html_lines``);
- table rows are lines with cells joined by `` | `` (paragraphs inside a cell by `` — ``), also for
  CSS-grid tables (``html_tables``); a layout table (one holding ``pre`` or another table) or a
  table that only indents is walked as blocks instead (``html_layout_tables``);
- page chrome (``html_chrome``) is skipped, keeping headings inside page headers; so are inline
  link bars ("top | back | next", ``html_chrome.without_link_bars``).

This module dispatches each element to the module that reads it. Nesting deeper than
``html_repair.MAX_TREE_DEPTH`` levels is flattened to its lines of text before the walk, so the
recursive walk stays inside Python's recursion limit on any markup.
"""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.base import Section
from fineflow_desktop.core.ingest.html_banner import drop_page_trailer, drop_title_masthead, is_page_banner
from fineflow_desktop.core.ingest.html_chrome import LINK_END, LINK_START, MAX_BAR_COMPANION_WORDS, MIN_BAR_LINKS, is_permalink
from fineflow_desktop.core.ingest.html_labels import is_drawing_label
from fineflow_desktop.core.ingest.html_definitions import (
    definition_list,
    definition_lists,
    definition_run,
    dl_items,
    dl_run,
    in_definition,
)
from fineflow_desktop.core.ingest.html_displays import (
    MONO_TAGS,
    display_run,
    is_code_display,
    is_set_off,
    is_source_line,
    mono_line_run,
)
from fineflow_desktop.core.ingest.html_headings import (
    adorned_heading,
    bold_section_names,
    has_headings,
    header_title,
    heading_level,
    heading_text,
    in_admonition,
    titles_details,
)
from fineflow_desktop.core.ingest.html_indent import is_spacer_table
from fineflow_desktop.core.ingest.html_layout_tables import is_layout_table, layout_table, spacer_table
from fineflow_desktop.core.ingest.html_lines import line_block, line_blocks
from fineflow_desktop.core.ingest.html_math import is_display_math, math_text
from fineflow_desktop.core.ingest.html_lists import list_text
from fineflow_desktop.core.ingest.html_repair import flatten_deep
from fineflow_desktop.core.ingest.html_sections import Blocks
from fineflow_desktop.core.ingest.html_set_off import (
    code_display,
    define_tag,
    define_term,
    fence_set_off,
    mono_display,
    set_off_display,
    tag_waits,
    term_waits,
)
from fineflow_desktop.core.ingest.html_structure import BLOCK_TAGS, LIST_TAGS, tag_of
from fineflow_desktop.core.ingest.html_tables import data_table, grid_columns, grid_text


_DIGITS_ONLY = re.compile(r"^[\d\s]+$")
_NO_WORDS = re.compile(r"^\W*$")


def walk_sections(top, title: str | None = None, index_pages: bool = True) -> list[Section]:
    """Sections of the element tree *top* (see the module docstring). With *index_pages*, a page
    that is all chrome (a generator's chapter index: only a table of contents) is walked again
    keeping its chrome blocks, so its list of "Topic — purpose" entries is not lost (EPUB turns
    this off: its navigation document only repeats the chapters). Subtrees deeper than
    ``html_repair.MAX_TREE_DEPTH`` below *top* are flattened in place first (``flatten_deep``)."""
    flatten_deep(top)
    drop_page_trailer(top)  # man2html's "This document was created by man2html … Time: …" (round 20)
    drop_title_masthead(top)  # man2html's "Section: User Commands (1) … Return to Main Contents" (round 20)
    for p in bold_section_names(top):  # groff -Thtml's mdoc section names (round 19)
        p.tag = "h2"
    headed = has_headings(top)
    # (keep chrome?, drop the page banner?): a banner is no index, so both passes of a page with
    # headings drop it; a page without headings may be as short as a banner (Haddock's "Index - K" /
    # "killThread | …" beside its A–Z bar), so when nothing is left it is walked again with it (round 19)
    passes = [(False, True), (True, True)] if headed else [(False, True), (False, False), (True, False)]
    for keep, banner in passes if index_pages else [p for p in passes if not p[0]]:
        out = Blocks(_walk, _walk_children, splits=True, title=title, keep_chrome=keep)
        out.leading_links = not keep and headed
        out.banner_first = banner
        _walk_children(top, out, 0)
        out.close_section()
        if out.sections:
            break
    if not out.sections and out.title_repeated:  # a stub whose only text is its title ("Redirecting...")
        return [Section([title], title)]
    return out.sections


def links_only(el) -> bool:
    """Is every word of *el* inside a link (``a``), with at least one link? Separators such as
    ``|``, ``»`` or ``·`` between the links may stand outside them."""
    if not any("".join(a.itertext()).strip() for a in el.iter("a")):
        return False
    return bool(_NO_WORDS.match("".join(el.xpath(".//text()[not(ancestor::a)]"))))


def is_page_contents(el) -> bool:
    """Is list or ``dl`` *el* a table of contents of its own page: at least ``MIN_BAR_LINKS``
    entries (``li``/``dt``), each one link to a fragment of this page (``href="#…"``; as many
    links as entries), no word outside those links, and every link's text the text of a heading
    of the page (case and spacing aside; a heading may carry a number before it)? Its entries
    repeat the page's headings, which are the sections' paths already (man2html's "Index",
    Apache's "Topics"). A list of links to other pages (a chapter index), Haddock's field list
    ("helpBody :: Chunk Doc": the name is an anchor without href) and a list of the items a
    sentence names (Python's "… one or more of the following flags:" / RWF_DSYNC …, which link to
    ``<dt>``s, not headings) are content and stay."""
    links = [a for a in el.iter("a") if a.get("href") is not None]
    entries = sum(1 for _ in el.iter("li", "dt"))
    if len(links) < MIN_BAR_LINKS or len(links) != entries:
        return False
    if not all(a.get("href").startswith("#") and len(a.get("href")) > 1 for a in links):
        return False
    if not _NO_WORDS.match("".join(el.xpath(".//text()[not(ancestor::a[@href])]"))):
        return False
    root = el.getroottree().getroot()
    titles = {_norm(" ".join(h.itertext())) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")}
    titles.discard("")

    def heads(text: str) -> bool:
        return bool(text) and any(t == text or t.endswith(" " + text) for t in titles)
    return all(heads(_norm(" ".join(a.itertext()))) for a in links)


def contents_caption(el) -> str | None:
    """The title of table of contents *el* (``is_page_contents``) when its parent block holds only
    that title (one element before *el*, at most ``MAX_BAR_COMPANION_WORDS`` words) and *el*:
    docutils' ``<div class="contents topic"><p class="topic-title">Contents</p><ul>…``. Else None."""
    parent = el.getparent()
    if parent is None or tag_of(parent) not in ("div", "section", "nav", "aside"):
        return None
    others = [c for c in parent if c is not el and tag_of(c)]
    if len(others) != 1 or others[0].getnext() is not el or (parent.text or "").strip() or (el.tail or "").strip():
        return None
    caption = " ".join(" ".join(others[0].itertext()).split())
    return caption if caption and len(caption.split()) <= MAX_BAR_COMPANION_WORDS else None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _walk_children(el, out: Blocks, depth: int) -> None:
    out.text(el.text)
    children = list(el)
    i = 0
    while i < len(children):
        child = children[i]
        if tag_of(child) in ("dt", "dd"):  # dt/dd outside a <dl> (gtk-doc's indexes): read as one
            run = definition_run(children, i)
            definition_list(run, out, depth + 1)
        elif tag_of(child) == "dl" and len(run := dl_run(children, i, out)) >= 2:  # pydoc's one <dl> per entry
            definition_lists(run, out, depth + 1)
        elif is_code_display(child, tag_of(child)):
            run = display_run(children, i)
            code_display(run, out)
        elif (tag_of(child) in MONO_TAGS and out.displays and not out.has_text()
              and (run := mono_line_run(children, i))):  # <samp>line</samp><br><samp>line</samp>
            code_display(run, out)
        else:
            _walk(child, out, depth + 1)
            out.text(child.tail)
            i += 1
            continue
        out.text(run[-1].tail)
        i += len(run)


def _walk(el, out: Blocks, depth: int) -> None:
    tag = tag_of(el)
    if not tag:
        return  # comment or processing instruction (its tail is added by the caller)
    level = heading_level(el, tag)
    if level is not None:
        if in_admonition(el) or titles_details(el):  # DocBook <div class="tip"><h3>Tip</h3>: a label, not a section
            out.block(heading_text(el))
        else:
            out.heading(level, heading_text(el))
        return
    if tag == "math" or tag.endswith(":math"):  # MathML: the formula as a line of text (round 20)
        display = is_display_math(el)
        if display:
            out.line_break()
        out.text(math_text(el))
        if display:
            out.line_break()
        return
    kind = out.chrome(el, tag)
    if kind == "drop" or is_permalink(el, tag):
        if tag not in ("a", "span", "input", "label", "button"):
            out.flush()
        return
    if kind == "headings":
        _header_headings(el, out, depth)
        return
    if (tag in LIST_TAGS or tag == "table") and out.leading_links and not out.stack and links_only(el):
        out.flush()  # a bar or breadcrumb of links above the page's first heading: navigation
        return
    if (tag in LIST_TAGS or tag == "dl") and not out.keep_chrome and out.splits and is_page_contents(el):
        out.flush()  # the page's own table of contents, anywhere on it (man2html's "Index"; round 20)
        # ... unless a sentence leads into it: javadoc's FlowLayout "The possible values are:" / LEFT,
        # RIGHT … (links to the fields' headings) is the sentence's list
        if not (out.blocks and out.blocks[-1].rstrip().endswith(":")):
            if (caption := contents_caption(el)) and out.blocks and out.blocks[-1] == caption:
                out.blocks.pop()  # its title ("Contents") in the block that holds only the two (docutils)
            return
    if out.banner_first and not out.stack and is_page_banner(el, tag):
        out.flush()  # the site's menu with its logo and tagline above the first heading (round 19)
        return
    if is_drawing_label(el, tag):
        out.flush()  # "expr:" above a syntax diagram drawn in SVG, which is never text (round 19)
        return
    heading = adorned_heading(el)
    if heading is not None:  # rustdoc "1.0.0 · source" beside a method's heading: decoration, not text
        _walk(heading, out, depth + 1)
        return
    if tag == "br":
        out.line_break()
    elif tag == "pre":
        code = "".join(el.itertext()).strip("\n")
        if code.strip() and not _DIGITS_ONLY.match(code):
            out.block(f"```\n{code.rstrip()}\n```")
        else:
            out.flush()
    elif is_code_display(el, tag):
        code_display([el], out)
    elif out.displays and is_source_line(el, tag):  # Haddock's <p class="src"> signatures
        line = " ".join(" ".join(out.sub_blocks(el, depth + 1, displays=False)).split())
        out.block(f"```\n{line}\n```")
    elif out.displays and mono_display(el, tag, out):  # "… Use" / <p><code>xslt-config --cflags</code></p> / "to get …"
        pass
    # the three set-off tests end the paragraph and read state in this order: keep it
    elif is_set_off(el, tag) and term_waits(out):  # the text of a tag set alone in a spacer table
        define_term(el, out, depth)
    elif is_set_off(el, tag) and tag_waits(el, tag, out):  # a hanging tag's text, indented further
        define_tag(el, out, depth)
    elif is_set_off(el, tag) and (lines := set_off_display(el, out)) is not None:
        fence_set_off(el, lines, out)
    elif tag in LIST_TAGS:
        out.block(list_text(el, tag, out, depth))
    elif tag == "dl":
        definition_list(dl_items(el), out, depth, in_definition(el))
    elif tag == "table":
        if is_layout_table(el):
            layout_table(el, out, depth)
        elif is_spacer_table(el):
            spacer_table(el, out, depth)
        else:
            data_table(el, out, depth)
    elif tag == "div" and grid_columns(el) >= 2:
        out.block(grid_text(el, grid_columns(el), out, depth))
    elif lines := line_blocks(el):
        line_block(el, lines, out, depth)
    elif tag in BLOCK_TAGS or tag in ("li", "dd", "dt", "tr", "td", "th", "tbody", "thead", "tfoot"):
        out.flush()
        _walk_children(el, out, depth)
        out.flush()
    elif tag == "a" and el.get("href"):  # marked for ``html_chrome.without_link_bars``
        out.inline.append(LINK_START)
        _walk_children(el, out, depth)
        out.inline.append(LINK_END)
    else:  # inline element, known or not
        _walk_children(el, out, depth)


def _header_headings(el, out: Blocks, depth: int) -> None:
    """A page header (chrome kind "headings"): its headings open sections, its other text is
    dropped; without h1–h6 its title block (``header_title``) is the level-1 heading.

    A header that goes on past its title into a section of the page — a heading below the
    title's level, then text (AsciiDoc's manual pages put ``<h2>NAME</h2>`` and the one-line
    purpose "git-svn - Bidirectional operation …" inside ``div#header``) — holds content from
    that heading on: what follows it is read as the body is (chrome inside it still dropped).
    Before session 9 the NAME line of every AsciiDoc manual page was lost."""
    out.flush()
    title_level = None
    in_section = False
    for child in el:
        tag = tag_of(child)
        if not tag:
            continue
        if in_section:
            _walk(child, out, depth + 1)
            out.text(child.tail)
            continue
        level = heading_level(child, tag)
        # the child itself, or the headings nested in its blocks (javadoc's div.header > h1)
        nested = [child] if level is not None else child.iter()
        for h in nested:
            if (lv := heading_level(h, tag_of(h))) is not None:
                out.heading(lv, heading_text(h))
                title_level = lv if title_level is None else title_level
        # a section heading below the title: the rest of the header is content
        in_section = level is not None and level > title_level
        if in_section:
            out.text(child.tail)  # text right after the section heading, as _walk_children reads it
    if title_level is None and (title := header_title(el)):
        out.heading(1, title)
