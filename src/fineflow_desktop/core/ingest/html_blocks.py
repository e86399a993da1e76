"""Structural HTML → sections walker (lxml): block elements make the breaks, inline elements stay inline.

Output follows the chunk-text convention (docs/DEVELOPING.md, "Chunk text"):

- headings (h1–h6, ``role="heading"`` with ``aria-level``) are not in the text; they open a
  section and form its heading path; text before the first heading gets the page title; the
  title of an admonition box (``div.note``/``tip``/``warning``…) is a label paragraph instead;
- inline elements (``code``, ``em``, ``span``, ``a``, ``kbd``, ``var``, unknown tags…, nested at
  any depth) contribute their text in document order; whitespace runs collapse to one space;
- block elements (``p``, ``div``, ``section``, ``blockquote``…) end a paragraph; paragraphs are
  separated by one blank line; ``br`` is a line break;
- list items are lines starting ``- `` (``1. `` in ``ol``), nested lists indented two spaces;
- a definition-list entry is the term line then the definition starting ``: `` (Pandoc);
- ``pre`` is verbatim, fenced with ``` lines (a ``pre`` of only digits — line-number gutters — is dropped);
  so is code set without ``pre`` as monospace lines with ``<br>`` (``html_displays``, round 6);
- table rows are lines with cells joined by `` | `` (paragraphs inside a cell by `` — ``), also for
  CSS-grid tables whose leading children are column headers (``grid_columns``); a layout table (one holding ``pre`` or
  another table) is walked as blocks instead;
- page chrome (``html_chrome``) is skipped, keeping headings inside page headers; so are inline
  link bars ("top | back | next", ``html_chrome.without_link_bars``);
- definitions that old HTML writes without ``<dd>`` (text right after a ``<dt>``) are the term's
  definition (``dl_items``).

Nesting deeper than ``MAX_DEPTH`` is flattened to its text (no recursion limit on hostile markup).
"""

from __future__ import annotations

import copy
import re
from contextvars import ContextVar

from lxml import etree

from fineflow_desktop.core.ingest.base import Section
from fineflow_desktop.core.ingest.html_chrome import (
    LINK_END,
    LINK_START,
    SKIP_TAGS,
    chrome_kind,
    is_permalink,
    without_link_bars,
)
from fineflow_desktop.core.ingest.html_displays import (
    MONO_TAGS,
    display_text,
    is_code_display,
    is_display_block,
    indented_further,
    is_set_off,
    line_open,
    set_off_indent,
    set_off_lines,
)
from fineflow_desktop.core.ingest.html_indent import is_blank_cell, is_lone_tag, is_spacer_table, row_entry
from fineflow_desktop.core.ingest.markup import clean_title

HEADINGS = {f"h{i}": i for i in range(1, 7)}
BLOCK_TAGS = frozenset(
    "p div section article main header footer blockquote figure figcaption form hr address details summary "
    "fieldset center body html legend caption noframes frameset dir menu".split()
)
LIST_TAGS = frozenset(("ul", "ol", "dir", "menu"))
MAX_DEPTH = 200  # libxml2 itself stops nesting at 256 levels (XML_PARSER_MAX_DEPTH without huge_tree)
_WS = re.compile(r"\s+")
_KEEP_CHROME: ContextVar[bool] = ContextVar("keep_chrome", default=False)  # second pass of walk_sections
_BR = "\x0b"  # a <br> inside inline text (source newlines are plain whitespace)
_DIGITS_ONLY = re.compile(r"^[\d\s]+$")


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


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
        tag = _tag(node)
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


class _Blocks:
    """Collects the blocks (paragraph strings) of one container; ``sections`` when headings split."""

    def __init__(self, splits: bool, title: str | None = None):
        self.splits = splits
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.sections: list[Section] = []
        self.stack: list[tuple[int, str]] = []
        self.title = title
        self.leading_links = False  # drop link-only lists/tables before the first heading (walk_sections)
        self.title_repeated = False
        self.display_end = -1  # len(blocks) right after a set-off display (``_set_off_display``)
        self.display_indent = ""  # that display's indent (``set_off_indent``): a listing goes on only at the same
        self.tag_indent = ""  # that tag's indent (``set_off_indent``)
        self.tag_at = -1  # len(blocks) after a set-off one-line tag paragraph (its text may follow in a spacer table)
        self.term_at = -1  # len(blocks) after a spacer table whose last line is a tag alone (its text may follow)

    # -- inline text
    def text(self, s: str | None) -> None:
        if s:
            self.inline.append(_WS.sub(" ", s))

    def line_break(self) -> None:
        self.inline.append(_BR)

    def flush(self) -> None:
        """End the current paragraph."""
        if self.inline:
            lines = "".join(self.inline).split(_BR)
            self.inline.clear()
            lines = without_link_bars(lines)
            para = "\n".join(p for p in (_WS.sub(" ", line).strip() for line in lines) if p)
            if para and not self.stack and para == self.title:
                self.title_repeated = True
                return  # the page title repeated before the first heading (SQLite's title <div>): already the path
            if para:
                self.blocks.append(para)

    def block(self, text: str) -> None:
        self.flush()
        if text.strip():
            self.blocks.append(text)

    # -- sections
    def heading(self, level: int, title: str) -> None:
        if not self.splits:  # a heading inside a list item or cell: plain text of its own paragraph
            self.block(title)
            return
        self.close_section()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title or "(untitled)"))

    def close_section(self) -> None:
        self.flush()
        if self.blocks:
            path = [t for _, t in self.stack] or ([self.title] if self.title else [])
            self.sections.append(Section(path, "\n\n".join(self.blocks)))
        self.blocks = []
        self.display_end = self.term_at = self.tag_at = -1  # they index this section's blocks


def walk_sections(top, title: str | None = None, index_pages: bool = True) -> list[Section]:
    """Sections of the element tree *top* (see the module docstring). With *index_pages*, a page
    that is all chrome (a generator's chapter index: only a table of contents) is walked again
    keeping its chrome blocks, so its list of "Topic — purpose" entries is not lost (EPUB turns
    this off: its navigation document only repeats the chapters)."""
    for keep in (False, True) if index_pages else (False,):
        token = _KEEP_CHROME.set(keep)
        try:
            out = _Blocks(splits=True, title=title)
            out.leading_links = not keep and has_headings(top)
            _walk_children(top, out, 0)
            out.close_section()
        finally:
            _KEEP_CHROME.reset(token)
        if out.sections:
            break
    if not out.sections and out.title_repeated:  # a stub whose only text is its title ("Redirecting...")
        return [Section([title], title)]
    return out.sections


def has_headings(top) -> bool:
    """Does the tree hold a heading (h1–h6, ``role="heading"``) or a title block (``header_title``)?"""
    return any(isinstance(el.tag, str) and (heading_level(el, _tag(el)) is not None
                                            or "title" in (el.get("class") or "").lower().split())
               for el in top.iter())


_NO_WORDS = re.compile(r"^\W*$")


def links_only(el) -> bool:
    """Is every word of *el* inside a link (``a``), with at least one link? Separators such as
    ``|``, ``»`` or ``·`` between the links may stand outside them."""
    if not any("".join(a.itertext()).strip() for a in el.iter("a")):
        return False
    return bool(_NO_WORDS.match("".join(el.xpath(".//text()[not(ancestor::a)]"))))


def _chrome(el, tag: str) -> str | None:
    kind = chrome_kind(el, tag)
    if kind and _KEEP_CHROME.get() and tag not in SKIP_TAGS:
        return None
    return kind


def _walk_children(el, out: _Blocks, depth: int) -> None:
    out.text(el.text)
    children = list(el)
    i = 0
    while i < len(children):
        child = children[i]
        if _tag(child) in ("dt", "dd"):  # dt/dd outside a <dl> (gtk-doc's indexes): read as one
            j = i
            while j < len(children) and (_tag(children[j]) in ("dt", "dd") or not _tag(children[j])):
                j += 1
            _definition_list(children[i:j], out, depth + 1)
            out.text(children[j - 1].tail)
            i = j
            continue
        if is_code_display(child, _tag(child)):
            run = display_run(children, i)
            _display(run, out)
            out.text(run[-1].tail)
            i += len(run)
            continue
        _walk(child, out, depth + 1)
        out.text(child.tail)
        i += 1


def _definition_list(items: list, out: _Blocks, depth: int) -> None:
    """The entries of a definition list (*items*: its dt/dd/div children) as blocks; entries
    without a definition (an index of names) are lines of one block."""
    out.flush()
    _lines_or_blocks(out, [(any(line.startswith(": ") for line in entry.split("\n")), entry)
                           for entry in _dl_entries(items, depth)])


def _lines_or_blocks(out: _Blocks, items: list[tuple[bool, str]]) -> None:
    """Emit *items* ``(own block?, text)`` in order: each own-block item as a block, runs of the
    others as the lines of one block (an index of names, one-line table rows)."""
    lines: list[str] = []
    for own_block, text in items:
        if own_block:
            out.block("\n".join(lines))
            lines = []
            out.block(text)
        else:
            lines.append(text)
    out.block("\n".join(lines))


def _walk(el, out: _Blocks, depth: int) -> None:
    tag = _tag(el)
    if not tag:
        return  # comment or processing instruction (its tail is added by the caller)
    if depth > MAX_DEPTH:
        out.text(" ".join(el.itertext()))  # flattened: deeper nesting is not real documentation
        return
    level = heading_level(el, tag)
    if level is not None:
        if _in_admonition(el):  # DocBook <div class="tip"><h3>Tip</h3>: a label, not a section
            out.block(heading_text(el))
        else:
            out.heading(level, heading_text(el))
        return
    kind = _chrome(el, tag)
    if kind == "drop" or is_permalink(el, tag):
        if tag not in ("a", "span", "input", "label", "button"):
            out.flush()
        return
    if kind == "headings":
        out.flush()
        found = False
        for h in el.iter():
            lv = heading_level(h, _tag(h))
            if lv is not None:
                out.heading(lv, heading_text(h))
                found = True
        if not found and (title := header_title(el)):
            out.heading(1, title)
        return
    if (tag in LIST_TAGS or tag == "table") and out.leading_links and not out.stack and links_only(el):
        out.flush()  # a bar or breadcrumb of links above the page's first heading: navigation
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
        _display([el], out)
    elif is_set_off(el, tag) and _term_waits(out):  # the text of a tag set alone in a spacer table
        rest, _, term = out.blocks.pop().rpartition("\n")
        if rest:
            out.blocks.append(rest)
        blocks = _sub_blocks(el, depth + 1)
        out.block(term + "".join(("\n: " if k == 0 else "\n\n") + b for k, b in enumerate(blocks)))
    elif is_set_off(el, tag) and _tag_waits(el, tag, out):  # a hanging tag's text, indented further
        blocks = _sub_blocks(el, depth + 1)
        lead, _, term = out.blocks.pop().rpartition("\n")  # the tag is the last line; lines above it stand apart
        out.blocks += [lead] if lead else []
        out.blocks.append(term + "".join(("\n: " if k == 0 else "\n\n") + b for k, b in enumerate(blocks)))
        out.tag_at = -1
    elif is_set_off(el, tag) and (lines := _set_off_display(el, out)) is not None:
        code = "\n".join(lines).strip("\n")
        if _display_goes_on(el, out):  # the listing goes on after a blank line
            out.blocks[-1] = out.blocks[-1].removesuffix("\n```") + f"\n\n{code}\n```"
        else:
            out.block(f"```\n{code}\n```")
        out.display_end, out.display_indent = len(out.blocks), set_off_indent(el, tag)
    elif tag in LIST_TAGS:
        out.block(_list_text(el, tag, depth))
    elif tag == "dl":
        _definition_list(dl_items(el), out, depth)
    elif tag == "table":
        if el.find(".//pre") is not None or el.find(".//table") is not None or _holds_display(el):
            _layout_table(el, out, depth)
        elif is_spacer_table(el):
            _spacer_table(el, out, depth)
        else:
            _table(el, out, depth)
    elif tag == "div" and grid_columns(el) >= 2:
        out.block(_grid_text(el, grid_columns(el), depth))
    elif lines := line_blocks(el):
        raw = ["".join(line.itertext()).replace("\xa0", " ").rstrip() for line in lines]
        if is_code(raw):
            # the listing's own container holds nothing else to read: what follows the lines in it
            # is annotation (Doxygen's hover boxes for the names used, hidden by its stylesheet)
            out.block("```\n" + "\n".join(raw).strip("\n") + "\n```")
        else:  # a line block (reST's, Sphinx ``div.line-block``): one paragraph, its lines kept
            out.block("\n".join(b for line in lines for b in _sub_blocks(line, depth + 1)))
            for child in el[len(lines):]:
                _walk(child, out, depth + 1)
                out.text(child.tail)
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


def _set_off_display(el, out: _Blocks) -> list[str] | None:
    """The lines of *el* when it is a display set off by indentation (``html_displays.is_display_block``:
    groff's no-fill ``<p style="margin-left:10%">.PS<br>box<br>.PE</p>``, or one indented line
    inside a sentence), else None."""
    lines = set_off_lines(el, _STRUCTURE)
    if lines is None:
        return None
    out.flush()
    last = out.blocks[-1].rsplit("\n", 1)[-1] if out.blocks else ""
    before = (last.removeprefix(": ") if last.strip() and not _NOT_PROSE.match(last) and " | " not in last
              else None)  # a definition's text is prose too
    filled = [ln.strip() for ln in lines if ln.strip()]
    lone_tag = is_lone_tag(filled[-1])  # the block's last line could be a hanging tag
    nxt = el.getnext()
    while nxt is not None and not _tag(nxt):  # comments between
        nxt = nxt.getnext()
    indent = set_off_indent(el, _tag(el))
    if lone_tag and nxt is not None and (len(filled) == 1 and _tag(nxt) == "table" and is_spacer_table(nxt)
                                         or indented_further(indent, set_off_indent(nxt, _tag(nxt)))):
        # a hanging tag (troff's .TP as grohtml writes it, after a label line such as "Operation
        # mode:" when the block has several): its text follows in a block indented further, or,
        # for a one-line block, in a spacer table (after a listing, such a table goes on with
        # it); this becomes a paragraph of its own first
        out.tag_at, out.tag_indent = len(out.blocks) + 1, indent
        return None
    return lines if is_display_block(lines, before, _display_goes_on(el, out)) else None


def _display_goes_on(el, out: _Blocks) -> bool:
    """Does *el* (set off) come right after a set-off display at the same indentation?"""
    return out.display_end == len(out.blocks) and out.display_indent == set_off_indent(el, _tag(el))


def _tag_waits(el, tag: str, out: _Blocks) -> bool:
    """Is the last block a hanging tag (``_set_off_display``) whose text *el* is, indented further
    than the tag and right after it?"""
    if out.tag_at != len(out.blocks) or not indented_further(out.tag_indent, set_off_indent(el, tag)):
        return False
    out.flush()  # text between: the tag stays alone
    return out.tag_at == len(out.blocks)


def _term_waits(out: _Blocks) -> bool:
    """Does the last block end with a tag set alone in a spacer table, nothing shown since?"""
    if out.term_at != len(out.blocks):
        return False
    out.flush()  # text between the table and this block: the tag stays alone
    return out.term_at == len(out.blocks)


_NOT_PROSE = re.compile(r"^\s*(?:[-*+] |\d{1,3}[.)] |```)")  # a list item or fence line


def _spacer_table(el, out: _Blocks, depth: int) -> None:
    """A table that only indents (``html_indent.is_spacer_table``), row by row as the browser shows
    it (``html_indent.row_entry``): one-line rows (list items, data rows, lone tags, lines of
    text) as lines of one block, tag + text as a definition entry, a lone tag in the last row
    waiting for the set-off text after the table. Right after a
    set-off display its one-line rows go on with the listing, indented (grohtml sets a tab stop
    inside a no-fill display so)."""
    out.flush()
    goes_on = bool(out.blocks) and out.display_end == len(out.blocks)
    entries: list[tuple[str, str]] = []
    for tr in el.iter("tr"):
        if _nearest_table(tr) is not el:
            continue
        cells = [c for c in tr if _tag(c) == "td"]
        filled = [k for k, c in enumerate(cells) if not is_blank_cell(c)]
        texts = [t for t in ("\n\n".join(_sub_blocks(cells[k], depth + 1)) for k in filled) if t.strip()]
        if not texts:
            continue  # images only (a navigation row of icons)
        if goes_on and all("\n" not in t for t in texts):
            out.blocks[-1] = out.blocks[-1].removesuffix("\n```") + "\n    " + " ".join(texts) + "\n```"
            continue
        goes_on = False
        kind, text = row_entry(texts, filled[0] > 0, filled[-1] < len(cells) - 1)
        entries.append((kind, _row_text(tr, depth) if kind == "cell" else text))
    if entries and entries[0][0] == "text" and out.tag_at == len(out.blocks):
        # a tag set as an indented paragraph of its own (wider than the tag column) and its text
        # in the table's first row: one definition entry, as the browser shows tag above text
        out.blocks[-1] += "\n: " + entries.pop(0)[1]
    _lines_or_blocks(out, [(kind == "entry" or "\n" in text, text) for kind, text in entries])
    if goes_on:
        out.display_end = len(out.blocks)
    elif entries and entries[-1][0] == "term":
        out.term_at = len(out.blocks)  # its text may follow as a set-off block (``_term_waits``)


def _holds_display(el) -> bool:
    return any(is_code_display(d, _tag(d)) for d in el.iter(*MONO_TAGS))


def display_run(siblings: list, i: int) -> list:
    """The code display ``siblings[i]`` and the siblings that continue it: with only whitespace
    between, another display (``</tt><tt><br>``), or — while its last line is still open (no
    ``<br>`` after its last text) — inline elements without blocks, such as the ``<I>e</I>`` in
    the Haskell report's ``<tt><br>let (x,y) = undefined in </tt><I>e</I><tt><br></tt>``."""
    run = [siblings[i]]
    for nxt in siblings[i + 1:]:
        ntag = _tag(nxt)
        if not ntag or (run[-1].tail or "").strip():
            break
        if is_code_display(nxt, ntag) or (line_open(run[-1]) and ntag not in _STRUCTURE and not _has_blocks(nxt)):
            run.append(nxt)
        else:
            break
    return run


def _display(run: list, out: _Blocks) -> None:
    code = display_text(run)
    if code.strip():
        out.block(f"```\n{code}\n```")
    else:
        out.flush()  # only line breaks: a paragraph break, as the browser draws it


def grid_columns(el) -> int:
    """Columns of a CSS-grid table (javadoc's ``summary-table``): the number of leading children
    that are column headers (class token ``table-header`` or ARIA ``role="columnheader"``), else 0."""
    n = 0
    for child in el:
        if not isinstance(child.tag, str):
            continue
        classes = (child.get("class") or "").split()
        if "table-header" in classes or child.get("role") == "columnheader":
            n += 1
        else:
            break
    return n


def _grid_text(el, columns: int, depth: int) -> str:
    cells = [" — ".join(" ".join(b.split()) for b in _sub_blocks(c, depth + 1)) for c in el if isinstance(c.tag, str)]
    return "\n".join(" | ".join(cells[i:i + columns]) for i in range(0, len(cells), columns))


ADMONITIONS = frozenset("note tip warning caution important admonition hint attention danger error".split())


def _in_admonition(el) -> bool:
    """Is *el* the title of an admonition box (class token ``note``, ``tip``, ``warning``…)?"""
    parent = el.getparent()
    for _ in range(3):  # the title sits at most a couple of wrappers inside the box
        if parent is None:
            return False
        if ADMONITIONS.intersection((parent.get("class") or "").lower().split()):
            return True
        parent = parent.getparent()
    return False


def _nearest_table(cell):
    p = cell.getparent()
    while p is not None and _tag(p) != "table":
        p = p.getparent()
    return p


def _sub_blocks(el, depth: int) -> list[str]:
    """The blocks of a list item, definition or cell (headings inside become plain paragraphs)."""
    sub = _Blocks(splits=False)
    _walk_children(el, sub, depth)
    sub.flush()
    return sub.blocks


def _list_text(el, tag: str, depth: int) -> str:
    """A list's items as lines (``- `` or ``N. ``); an ``<ol>`` numbers from its ``start`` and an
    item's ``value`` resets the count, as a browser draws them (HTML 4.01 §10.2; the Haskell 98
    report's contents continue a list in another column with ``<ol start=12>``)."""
    lines: list[str] = []
    n = _html_int(el.get("start"), 1) - 1
    for child in el:
        ctag = _tag(child)
        if ctag != "li":
            if ctag and _chrome(child, ctag) is None:  # stray content directly in the list
                lines.extend(_sub_blocks(child, depth + 1))
            continue
        n = _html_int(child.get("value"), n + 1)
        marker = f"{n}. " if tag == "ol" else "- "
        blocks = _sub_blocks(child, depth + 1)
        if not blocks:
            continue
        first, *rest = blocks
        item = [marker + first.replace("\n", "\n  ")]
        item += ["  " + b.replace("\n", "\n  ") for b in rest]
        lines.append("\n".join(item))
    return "\n".join(lines)


def _html_int(value: str | None, default: int) -> int:
    """An integer attribute (``start``, ``value``), else *default* (missing or not a number)."""
    try:
        return int((value or "").strip())
    except ValueError:
        return default


_DL_PARTS = frozenset(("dt", "dd", "div"))


def dl_items(dl) -> list:
    """The entries of a ``<dl>`` (its dt/dd/div children), with the definitions that old HTML
    writes without ``<dd>`` — text and elements straight after a ``<dt>`` (the Haskell 98 report:
    ``<DL><DT>Rule 1.</DT>We say that … <I>unrestricted</I> if and only if: <DL>…</DL>…<DT>Rule
    2.</DT>Any …</DL>``), which a browser shows below the term — gathered into a ``<dd>`` built
    for them (copies: the page's tree is not changed). Loose content after a ``<dd>`` joins it."""
    items: list = []
    loose = None  # the dd built for the loose content after the last dt (or the copy of the last dd)
    for child in dl:
        tag = _tag(child)
        if tag in _DL_PARTS:
            loose = None
            items.append(child)
            if tag in ("dt", "dd") and (child.tail or "").strip():
                loose = _loose_definition(items, child)
                loose.text = (loose.text or "") + child.tail
            continue
        if not tag or not items or _tag(items[-1]) not in ("dt", "dd"):
            if tag and not items:
                items.append(child)  # content before the first term: read as it comes
            continue
        if loose is None:
            loose = _loose_definition(items, items[-1])
        loose.append(copy.deepcopy(child))
    return items


def _loose_definition(items: list, after):
    """A ``dd`` for loose content after *after* (the last of *items*): a new one after a dt, a
    copy of *after* (replacing it in *items*) after a dd; its tail is not text of the dd."""
    if _tag(after) == "dd":
        dd = copy.deepcopy(after)
        dd.tail = None
        items[-1] = dd
        return dd
    dd = etree.Element("dd")
    items.append(dd)
    return dd


def _dl_entries(items, depth: int) -> list[str]:
    """One string per entry of the dt/dd/div elements *items*: term line(s), then ``: definition``
    (its later blocks follow)."""
    entries: list[str] = []
    terms: list[str] = []
    for child in items:
        ctag = _tag(child)
        if ctag == "dt":
            terms.append(" ".join(_sub_blocks(child, depth + 1)).replace("\n", " "))
        elif ctag == "dd":
            blocks = _sub_blocks(child, depth + 1)
            head = "\n".join(t for t in terms if t)
            terms = []
            if not blocks:
                if head:
                    entries.append(head)
                continue
            first = ": " + blocks[0]
            entries.append((head + "\n" if head else "") + first + "".join("\n\n" + b for b in blocks[1:]))
        elif ctag == "div":  # HTML 5.2 allows <div> wrapping dt/dd groups
            entries.extend(_dl_entries(child, depth + 1))
    if terms:
        entries.append("\n".join(t for t in terms if t))
    return [e for e in entries if e]


def _table(el, out: _Blocks, depth: int) -> None:
    """A data table: rows as lines; a row that holds a heading (Doxygen's member summaries put
    ``<h2>Public Member Functions</h2>`` in a ``<tr>``) ends the rows before it, opens a section,
    and its other cells follow as blocks (gtk-doc: ``<h2>GtkFrame</h2><p>GtkFrame — A bin…</p>``)."""
    rows: list[str] = []
    caption = el.find("caption")
    if caption is not None:
        text = " ".join(" ".join(caption.itertext()).split())
        if text:
            rows.append(text)
    for tr in el.iter("tr"):
        if _nearest_table(tr) is not el:
            continue
        if any(heading_level(h, _tag(h)) is not None for h in tr.iter()):
            out.block("\n".join(rows))
            rows = []
            for cell in tr:  # the heading, and whatever else the row holds, as blocks
                if _tag(cell) in ("td", "th"):
                    _walk_children(cell, out, depth + 1)
                    out.flush()
            continue
        if row := _row_text(tr, depth):
            rows.append(row)
    out.block("\n".join(rows))


def _row_text(tr, depth: int) -> str:
    """A data-table row: its cells joined with `` | `` (empty cells kept: they hold a column), ""
    when all are empty."""
    cells = []
    for cell in tr:
        if _tag(cell) in ("td", "th"):
            # a cell's paragraphs (DocBook stacks "name type" over "description") stay apart
            cells.append(" — ".join(" ".join(b.split()) for b in _sub_blocks(cell, depth + 1)))
    return " | ".join(cells) if any(cells) else ""


def _layout_table(el, out: _Blocks, depth: int) -> None:
    """A layout table (holding ``pre`` or another table): each cell is walked as blocks; a cell of
    only inline text after another in the same row (Doxygen's ``inline``/``static`` labels beside a
    signature) joins the row's last line with `` | `` instead of standing as a paragraph."""
    out.flush()
    row, row_start = None, 0
    for cell in el.iter("td", "th"):
        if cell.getparent() is None or _nearest_table(cell) is not el:
            continue
        if cell.getparent() is not row:
            row, row_start = cell.getparent(), len(out.blocks)
        label = " ".join(" ".join(cell.itertext()).split())
        if (label and len(out.blocks) > row_start and not _has_blocks(cell)
                and not out.blocks[-1].endswith("```")):
            out.blocks[-1] += " | " + label  # a label beside what this row already showed
            continue
        _walk_children(cell, out, depth + 1)
        out.flush()


_STRUCTURE = BLOCK_TAGS | LIST_TAGS | {"table", "pre", "dl", "li", "dd", "dt", "tr", "td", "th", "br", *HEADINGS}


def _has_blocks(el) -> bool:
    """Does *el* hold any block-level element (or a heading, list, table, pre, br)?"""
    return any(_tag(d) in _STRUCTURE for d in el.iterdescendants())


def adorned_heading(el):
    """The heading of a wrapper that holds one heading preceded only by short inline decoration (at
    most ``MAX_ADORNMENT`` characters in inline elements, no text of its own, no blocks): rustdoc's
    ``<section><span>1.0.0 · <a>source</a></span><a class=anchor></a><h4>fn clone</h4></section>``,
    like a permalink beside a heading; else None."""
    heading = None
    adornment = 0
    if (el.text or "").strip() or not any(heading_level(c, _tag(c)) is not None for c in el if _tag(c)):
        return None  # (the cheap test first: this runs for every element)
    for child in el:
        ctag = _tag(child)
        if not ctag:
            continue
        if (child.tail or "").strip():
            return None
        if heading_level(child, ctag) is not None:
            if heading is not None:
                return None
            heading = child
        elif heading is not None or ctag in _STRUCTURE or _has_blocks(child):
            return None  # anything after the heading is the section's text ("See Also" + its links)
        else:
            adornment += len(" ".join(child.itertext()).strip())
    return heading if heading is not None and adornment <= MAX_ADORNMENT else None


MAX_ADORNMENT = 40  # rustdoc's longest, "const: unstable · 1.0.0 · source", is 33


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


MIN_LINES = 3
# a C-family statement end: ";", "{" or "}" at the end of the line, a // or /* comment may follow
_STATEMENT_END = re.compile(r"[;{}]\s*(?://.*|/\*.*)?$")


def is_code(lines: list[str]) -> bool:
    """Are these lines (of ``line_blocks``) code: one is indented (leading spaces matter), or at
    least half end like a C-family statement (``_STATEMENT_END``)? Else they are a line block of
    prose (reST's, for verse or addresses)."""
    filled = [t for t in lines if t.strip()]
    if any(t[:1] == " " for t in filled):
        return True
    return 2 * sum(bool(_STATEMENT_END.search(t)) for t in filled) >= len(filled) > 0


def line_blocks(el) -> list:
    """The leading run of at least ``MIN_LINES`` children of *el* that are all ``div`` with the same
    non-empty class, each one source line (no newline inside, no block inside, nothing between
    them), else []: a listing written without ``pre`` — Doxygen's ``<div class="fragment"><div
    class="line">``, highlighters that emit a block per line, reST line blocks. ``_walk`` fences
    the run as code when a line is indented (leading spaces), else keeps it as one paragraph of
    lines."""
    if (el.text or "").strip() or not len(el) or not isinstance(el[0].tag, str):
        return []
    cls = el[0].get("class")
    if not cls:
        return []
    run = []
    for c in el:  # the cheap tests first: this runs for every element
        if not isinstance(c.tag, str) or _tag(c) != "div" or c.get("class") != cls:
            break
        run.append(c)
        if (c.tail or "").strip():
            break
    if len(run) < MIN_LINES:
        return []
    for k, c in enumerate(run):
        if "\n" in "".join(c.itertext()) or _has_blocks(c):
            run = run[:k]
            break
    return run if len(run) >= MIN_LINES else []
