"""Definition lists as chunk text: each entry is the term line(s), then the definition on the next
line starting ``: `` (Pandoc / PHP-Markdown-Extra; docs/DEVELOPING.md, "Chunk text").

Covers ``<dl>`` (with HTML 5.2's ``<div>`` groups), definitions that old HTML writes without
``<dd>`` (``dl_items``), and dt/dd written outside any ``<dl>`` (gtk-doc's indexes;
``definition_run``).
"""

from __future__ import annotations

import copy

from lxml import etree

from fineflow_desktop.core.ingest.html_sections import Blocks, lines_or_blocks
from fineflow_desktop.core.ingest.html_structure import HEADINGS, tag_of

_DL_PARTS = frozenset(("dt", "dd", "div"))


def definition_run(siblings: list, i: int) -> list:
    """The dt/dd elements from ``siblings[i]`` on (comments between them included) that stand
    outside a ``<dl>``: read as one definition list."""
    j = i
    while j < len(siblings) and (tag_of(siblings[j]) in ("dt", "dd") or not tag_of(siblings[j])):
        j += 1
    return siblings[i:j]


def definition_list(items: list, out: Blocks, depth: int, outline: bool = False) -> None:
    """The entries of a definition list (*items*: its dt/dd/div children) as blocks of *out*;
    entries without a definition (an index of names) are lines of one block, or list items
    (``- ``) when *outline* (the list sits inside a definition: ``in_definition``) and at least
    ``MIN_OUTLINE_TERMS`` of its term lines have no definition."""
    _entries_as_blocks(_dl_entries(items, out, depth), out, outline)


MIN_OUTLINE_TERMS = 2  # one lone term in a definition is a signature or a name, not an outline


def in_definition(dl) -> bool:
    """Is the ``<dl>`` *dl* inside a ``<dd>`` — a level of an outline under that entry's term?
    Round 13: pod2html writes perltoc, the table of contents of every Perl manual, as a ``<dl>`` of
    section titles whose ``<dd>`` holds a ``<dl>`` of the subsection titles, most without a
    definition (``DESCRIPTION`` / ``An Object is Simply a Data Structure`` / ``A Class is Simply a
    Package`` / …). Read as lines of one block, the first subsection read as the definition of
    "DESCRIPTION" and the others as its hard-wrapped lines; a browser indents them under their
    term, one entry a line: items of a nested list."""
    return any(tag_of(a) == "dd" for a in dl.iterancestors())


def dl_run(siblings: list, i: int, out: Blocks) -> list:
    """The ``<dl>`` at ``siblings[i]`` and the ``<dl>``s right after it (only white space and
    comments between), each neither page chrome nor holding a heading: one run of lists."""
    j = i
    while j < len(siblings):
        el = siblings[j]
        if not tag_of(el):  # a comment between
            j += 1
            continue
        if tag_of(el) != "dl" or out.chrome(el, "dl") or any(tag_of(d) in HEADINGS for d in el.iterdescendants()):
            break
        j += 1
        if (el.tail or "").strip():
            break
    while j > i and not tag_of(siblings[j - 1]):
        j -= 1
    return siblings[i:j]


def definition_lists(dls: list, out: Blocks, depth: int) -> None:
    """Consecutive ``<dl>`` elements *dls* (``dl_run``) read as one definition list: each keeps its
    own entries (a term alone in one list is not a term of the next list's definition), and
    entries without a definition in a row are the lines of one block whichever list holds them.
    Round 12: pydoc writes every attribute as its own ``<dl><dt>name = value</dt></dl>`` (a
    column of names, each a paragraph before), as one ``<dl>`` of lone terms is read (round 5).
    Never an outline: Sphinx writes a term that shares the next list's definition as a list of its
    own with an empty ``<dd>`` ("max_length" / "min_length" / ": If provided, these arguments…")."""
    _entries_as_blocks([e for dl in dls if tag_of(dl) for e in _dl_entries(dl_items(dl), out, depth)], out)


def _entries_as_blocks(entries: list[str], out: Blocks, outline: bool = False) -> None:
    """Definition-list *entries* as blocks of *out*: an entry with a definition is a block of its
    own, entries without one in a row are the lines of one block (an index of names); with
    *outline* each of their term lines is a list item (``- ``)."""
    out.flush()
    defined_at = [any(line.startswith(": ") for line in entry.split("\n")) for entry in entries]
    lone = sum(entry.count("\n") + 1 for entry, defined in zip(entries, defined_at) if not defined)
    outline = outline and lone >= MIN_OUTLINE_TERMS
    items = []
    for entry, defined in zip(entries, defined_at):
        if outline and not defined:
            entry = "\n".join("- " + line for line in entry.split("\n"))
        items.append((defined, entry))
    lines_or_blocks(out, items)


def dl_items(dl) -> list:
    """The entries of a ``<dl>`` (its dt/dd/div children), with the definitions that old HTML
    writes without ``<dd>`` — text and elements straight after a ``<dt>`` (the Haskell 98 report:
    ``<DL><DT>Rule 1.</DT>We say that … <I>unrestricted</I> if and only if: <DL>…</DL>…<DT>Rule
    2.</DT>Any …</DL>``), which a browser shows below the term — gathered into a ``<dd>`` built
    for them (copies: the page's tree is not changed). Loose content after a ``<dd>`` joins it."""
    items: list = []
    loose = None  # the dd built for the loose content after the last dt (or the copy of the last dd)
    for child in dl:
        tag = tag_of(child)
        if tag in _DL_PARTS:
            loose = None
            items.append(child)
            if tag in ("dt", "dd") and (child.tail or "").strip():
                loose = _loose_definition(items, child)
                loose.text = (loose.text or "") + child.tail
            continue
        if not tag or not items or tag_of(items[-1]) not in ("dt", "dd"):
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
    if tag_of(after) == "dd":
        dd = copy.deepcopy(after)
        dd.tail = None
        items[-1] = dd
        return dd
    dd = etree.Element("dd")
    items.append(dd)
    return dd


def _dl_entries(items, out: Blocks, depth: int) -> list[str]:
    """One string per entry of the dt/dd/div elements *items*: term line(s), then ``: definition``
    (its later blocks follow)."""
    entries: list[str] = []
    terms: list[str] = []
    for child in items:
        ctag = tag_of(child)
        if ctag == "dt":
            terms.append(" ".join(out.sub_blocks(child, depth + 1)).replace("\n", " "))
        elif ctag == "dd":
            blocks = out.sub_blocks(child, depth + 1)
            head = "\n".join(t for t in terms if t)
            terms = []
            if not blocks:
                if head:
                    entries.append(head)
                continue
            first = ": " + blocks[0]
            entries.append((head + "\n" if head else "") + first + "".join("\n\n" + b for b in blocks[1:]))
        elif ctag == "div":  # HTML 5.2 allows <div> wrapping dt/dd groups
            entries.extend(_dl_entries(child, out, depth + 1))
    if terms:
        entries.append("\n".join(t for t in terms if t))
    return [e for e in entries if e]
