"""Section assembly for the structural HTML walker (``html_blocks``): ``Blocks`` collects inline
text into paragraphs and paragraphs into sections under a heading path.

Output shape (docs/DEVELOPING.md, "Chunk text"): paragraphs are separated by one blank line, a
``<br>`` is a line break inside one, whitespace runs collapse to one space, inline link bars
("top | back | next", ``html_chrome.without_link_bars``) are dropped; each heading closes the
section before it and its title joins the heading path (text before the first heading gets the
page title).

The walk itself is passed in (``walk`` and ``walk_children``, both ``(element, Blocks, depth) ->
None``), so that the modules for tables, lists and line blocks can walk a cell or an item as
blocks (``Blocks.sub_blocks``) without importing the walker.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fineflow_desktop.core.ingest.base import Section
from fineflow_desktop.core.ingest.html_chrome import LINK_END, LINK_START, SKIP_TAGS, chrome_kind, without_link_bars

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w")
_ASCII_WS = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses; &nbsp; (U+00A0) stays until a line is laid out
NBSP = "\xa0"
MIN_NBSP_INDENT = 2  # leading &nbsp; a line needs to count as indented (one is a typographic space)
_BR = "\x0b"  # a <br> inside inline text (source newlines are plain whitespace)
_OUTSIDE_LINKS = re.compile(f"{LINK_START}[^{LINK_END}]*{LINK_END}?|[{_BR}\\s]")  # link text and white space

WalkFn = Callable[..., None]  # (element, Blocks, depth) -> None


class Blocks:
    """Collects the blocks (paragraph strings) of one container; ``sections`` when headings split
    (*splits*; False inside a list item, definition or cell, where a heading is a plain paragraph).
    *walk* / *walk_children* walk one element / the children of one into a ``Blocks``; with
    *keep_chrome* (the second pass of ``html_blocks.walk_sections``) page chrome is read too."""

    def __init__(self, walk: WalkFn, walk_children: WalkFn, splits: bool, title: str | None = None,
                 keep_chrome: bool = False, displays: bool = True):
        self._walk = walk
        self.displays = displays  # may &nbsp;-indented lines be fenced (``_indented_runs``)? not in a data cell
        self._walk_children = walk_children
        self.splits = splits
        self.keep_chrome = keep_chrome
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.sections: list[Section] = []
        self.stack: list[tuple[int, str]] = []
        self.title = title
        self.leading_links = False  # drop link-only lists/tables before the first heading (walk_sections)
        self.banner_first = False  # drop a page banner before the first heading (``html_banner``, walk_sections)
        self.title_repeated = False
        self.headings_seen = 0
        # the page's first heading repeats its <title>: it is the root of the later headings of its
        # own level (DocBook refentry sets the refname and "Synopsis", "Description"… all as <h2>)
        self.title_root = False
        self.display_end = -1  # len(blocks) right after a set-off display (``html_set_off.set_off_display``)
        self.display_indent = ""  # that display's indent (``set_off_indent``): a listing goes on only at the same
        self.tag_indent = ""  # that tag's indent (``set_off_indent``)
        self.tag_at = -1  # len(blocks) after a set-off one-line tag paragraph (its text may follow in a spacer table)
        self.term_at = -1  # len(blocks) after a spacer table whose last line is a tag alone (its text may follow)

    # -- walking
    def walk(self, el, depth: int) -> None:
        """Walk element *el* (at nesting *depth*) into these blocks."""
        self._walk(el, self, depth)

    def walk_children(self, el, depth: int) -> None:
        """Walk the text and children of *el* (not its tail) into these blocks."""
        self._walk_children(el, self, depth)

    def sub_blocks(self, el, depth: int, displays: bool = True) -> list[str]:
        """The blocks of a list item, definition or cell *el* (headings inside become plain
        paragraphs); *displays* False for a data-table cell, whose blocks are joined into its row."""
        sub = Blocks(self._walk, self._walk_children, splits=False, keep_chrome=self.keep_chrome,
                     displays=displays and self.displays)
        sub.walk_children(el, depth)
        sub.flush()
        return sub.blocks

    def chrome(self, el, tag: str) -> str | None:
        """``html_chrome.chrome_kind`` of *el*, or None when this pass keeps chrome (tags that never
        hold text, ``SKIP_TAGS``, are skipped still)."""
        kind = chrome_kind(el, tag)
        if kind and self.keep_chrome and tag not in SKIP_TAGS:
            return None
        return kind

    # -- inline text
    def text(self, s: str | None) -> None:
        """Add inline text *s* (whitespace runs collapse to one space)."""
        if s:
            self.inline.append(_ASCII_WS.sub(" ", s))

    def has_text(self) -> bool:
        """Does the current paragraph hold any text yet (line breaks and white space aside)?"""
        return bool("".join(self.inline).replace(_BR, "").strip())

    def line_break(self) -> None:
        """A ``<br>``: the current paragraph goes on on a new line."""
        self.inline.append(_BR)

    def flush(self) -> None:
        """End the current paragraph. A blank line inside it (``<br>``, nothing but white space,
        ``<br>``: the browser shows an empty line) splits it into two paragraphs."""
        if self.inline:
            lines = _mended_breaks("".join(self.inline).split(_BR))
            self.inline.clear()
            lead_in = False  # does the paragraph before end with a lead-in colon?
            for group in _blank_line_groups(lines):
                self._paragraph(group, lead_in)
                lead_in = _ends_lead_in(group[-1])

    def _paragraph(self, lines: list[str], lead_in: bool = False) -> None:
        if (start := script_start(lines)) is not None:  # "lessopen.sh:" / "#! /bin/sh" / … (round 19)
            if start:
                self._paragraph(lines[:start], lead_in)
            code = [_LINK_MARKS.sub("", line).lstrip(" ").replace(NBSP, " ").rstrip() for line in lines[start:]]
            self.blocks.append("```\n" + "\n".join(code) + "\n```")
            return
        for kind, run in _indented_runs(lines, self.displays, lead_in):
            if kind == DISPLAY:
                self.blocks.append("```\n" + "\n".join(_LINK_MARKS.sub("", line) for line in run) + "\n```")
                continue
            if kind == DEFINITION:
                term, *text = [_WS.sub(" ", line).strip() for line in without_link_bars(run)] or [""]
                if term and text:
                    self.blocks.append(term + "\n: " + "\n".join(text))
                    continue  # (a link bar took the term or its text: the lines stay prose)
            # top level only: inside a list item, definition or cell a ``- `` line would read as nested in its marker
            entries = self.splits and link_entries(run)
            linked = not _OUTSIDE_LINKS.sub("", "".join(run)).strip()  # every character inside a link
            run = without_link_bars(run)
            para = "\n".join(("- " if entries else "") + p for p in (_WS.sub(" ", line).strip() for line in run) if p)
            if para and self.splits and not _WORD.search(para) and (linked or not self.stack):
                # no letter or digit, above the first heading or all in a link: a stray mark ('">' of a
                # <script> tag written inside another's src) or a back link ("<<"); round 20. Marks in the
                # text stay: a code line "};", a variadic "..." cell, a term "^" (in a definition)
                continue
            if para and not self.stack and para == self.title:
                self.title_repeated = True
                continue  # the page title repeated before the first heading (SQLite's title <div>): already the path
            if para:
                self.blocks.append(para)

    def block(self, text: str) -> None:
        """End the current paragraph and add *text* as a block of its own (nothing when blank)."""
        self.flush()
        if text.strip():
            self.blocks.append(text)

    # -- sections
    def heading(self, level: int, title: str) -> None:
        """A heading of *level* 1–6: closes the section before it and opens one under *title*."""
        if not self.splits:  # a heading inside a list item or cell: plain text of its own paragraph
            self.block(title)
            return
        self.close_section()
        if not self.headings_seen and self.title_repeated and not same_title(title, self.title or ""):
            # the page title drawn as a block above the first heading (SQLite's title <div>, then
            # "1. Overview"…) heads the page: the root of every path (round 19; level 0 is never popped)
            self.stack.append((0, self.title))
        while self.stack and self.stack[-1][0] >= level:
            if self.title_root and len(self.stack) == 1 and self.stack[0][0] == level and not same_title(title, self.title):
                break  # (a heading repeating the title again, texinfo's Top node, replaces it as before)
            self.stack.pop()
        self.stack.append((level, title or "(untitled)"))
        self.headings_seen += 1
        if self.headings_seen == 1 and self.title and same_title(title, self.title):
            self.title_root = True

    def close_section(self) -> None:
        """End the current section: its blocks become a ``Section`` under the heading path."""
        self.flush()
        if self.blocks:
            path = [t for _, t in self.stack] or ([self.title] if self.title else [])
            self.sections.append(Section(path, "\n\n".join(self.blocks)))
        self.blocks = []
        self.display_end = self.term_at = self.tag_at = -1  # they index this section's blocks


def same_title(heading: str, title: str) -> bool:
    """Does *heading* repeat the page title *title* (case and whitespace aside)?"""
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return bool(heading.strip()) and norm(heading) == norm(title)


_LINK_MARKS = re.compile("[" + LINK_START + LINK_END + "]")
_LINK_TEXT = re.compile(LINK_START + "[^" + LINK_START + LINK_END + "]*" + LINK_END)


def _link_only(line: str) -> bool:
    """Is *line* (with link marks) one or more links and nothing else but white space?"""
    return LINK_START in line and not _LINK_TEXT.sub("", line).strip(" " + NBSP)


MIN_LINK_ENTRIES = 3
_ENDS_WITH_LINK = re.compile(LINK_END + "[" + LINK_END + r"\s" + NBSP + "]*$")


def link_entries(lines: list[str]) -> bool:
    """Are the ``<br>`` lines *lines* (one paragraph, link marks kept) the entries of an index: at
    least ``MIN_LINK_ENTRIES`` lines, each ending with a link and holding words outside its links
    ("accessibility: <a>Section 4.9.4</a><br>", Halibut's back-of-book index, one ``<p>`` of 986
    such lines)? Each is an entry of its own (a list item), not the wrapped line of a sentence: a
    sentence that goes on past a line does not end every line with a link (round 15)."""
    if len(lines) < MIN_LINK_ENTRIES:
        return False
    return all(_ENDS_WITH_LINK.search(line) and re.search(r"\w", _LINK_TEXT.sub("", line)) for line in lines)


def _nbsp_indent(line: str) -> int:
    """How many ``&nbsp;`` start *line* (after the collapsible white space a ``<br>`` leaves)."""
    rest = _LINK_MARKS.sub("", line).lstrip(" ")
    return len(rest) - len(rest.lstrip(NBSP))


def _shown(line: str) -> str:
    """*line* without link marks and its outer spaces and ``&nbsp;`` indent: what it reads as."""
    return _LINK_MARKS.sub("", line).strip(" " + NBSP)


def _ends_lead_in(line: str) -> bool:
    """Does *line* end with the colon of a lead-in ("For example:")?"""
    return _shown(line).endswith(":")


# A script's first line: "#!" and the interpreter's path (the kernel's shebang, in any page)
_SHEBANG = re.compile(r"^#! ?/\S")


def script_start(lines: list[str]) -> int | None:
    """The index in *lines* (of one paragraph, split at ``<br>``) of a script's shebang line
    ("#! /bin/sh") that opens the paragraph or follows a lead-in ending with a colon ("lessopen.sh:")
    and has lines after it, else None: from there to the paragraph's end the lines are the script,
    fenced as code. Pages converted from man pages set a ``.nf`` example as ``<br>`` lines of a
    ``<p>`` (pandoc's less(1)); the shebang is what says code (round 19)."""
    for i, line in enumerate(lines[:-1]):
        if _SHEBANG.match(_shown(line)) and (i == 0 or _ends_lead_in(lines[i - 1])):
            return i
    return None


PROSE, DISPLAY, DEFINITION = "prose", "display", "definition"  # the kinds of ``_indented_runs``
# A term alone on its line: one token holding a letter, not ending a sentence or a clause
_TERM_LINE = re.compile(r"^(?=[^\s]*[A-Za-z])[^\s]{1,40}(?<![.!?:;,])$")


def _indented_runs(lines: list[str], self_displays: bool = True,
                   lead_in: bool = False) -> list[tuple[str, list[str]]]:
    """*lines* of one paragraph as runs ``(kind, lines)``, kind ``PROSE``, ``DISPLAY`` or ``DEFINITION``.

    Display: ≥ 2 consecutive lines indented by ``&nbsp;`` (at least ``MIN_NBSP_INDENT``) that open
    the paragraph or follow a lead-in ending ``:`` are a display the browser shows indented line by
    line (pydoc's docstring examples, PostgreSQL's "Values:" lists), verbatim with their common
    indent removed and every ``&nbsp;`` a space; so is one indented line that is the whole paragraph
    when the paragraph before (*lead_in*) ends with ``:`` (pydoc: "… the underlying linear function
    simplifies to:" / blank / "&nbsp;&nbsp;&nbsp;&nbsp;y = slope * x + noise", round 18).

    Definition (round 18): a line that is one term alone (``_TERM_LINE``: one token, no sentence or
    clause punctuation at its end) followed by indented lines of at least 3 words is a term and its
    description, drawn as a hanging list (pydoc's docstrings of parameters: "length<br>&nbsp;&nbsp;Length
    of bytes object to use. …<br>&nbsp;&nbsp;is length 1.<br>byteorder<br>&nbsp;&nbsp;The byte order
    …"): the run is the term line, then its indented lines. Only where the entry is one of a list or
    ends the paragraph: the next line is another such term, or the entry before was one, or the
    paragraph ends; a one-word line of a sentence before an indented example goes on after it (the
    Lynx guide: "Two variants exist," / "&nbsp;&nbsp;KEYMAP:e:EDITTEXTAREA" / "or" /
    "&nbsp;&nbsp;KEYMAP:e:DWIMEDIT" / "(the first is only functional …").

    The other lines stay prose: indented lines after any other line are its hanging indent
    (gtk-doc's CSS grammar rules wrap so); a lone indented line is a typographic indent. Without
    *self_displays* (a data-table cell, read as one line of its row) there are no displays and no
    definitions; nor are indented lines that are each one link (GAPDoc's chapter contents, indented
    by ``&nbsp;`` its stylesheet hides). *lines* still carry the link marks (``html_chrome``)."""
    runs: list[tuple[str, list[str]]] = []

    def indented_from(k: int) -> int:
        j = k
        while j < len(lines) and _nbsp_indent(lines[j]) >= MIN_NBSP_INDENT:
            j += 1
        return j

    def term_end(k: int) -> int:
        """The end of the indented description after a term line at *k*, or -1 (no term there)."""
        if not _TERM_LINE.match(_shown(lines[k])):
            return -1
        end = indented_from(k + 1)
        text = [_LINK_MARKS.sub("", lines[m]) for m in range(k + 1, end)]
        if end == k + 1 or all(_link_only(lines[m]) for m in range(k + 1, end)) or len(" ".join(text).split()) < 3:
            return -1
        return end

    i = 0
    while i < len(lines):
        j = indented_from(i)
        block = j - i >= 2 or (j - i == 1 and i == 0 and j == len(lines) and lead_in)
        if (block and self_displays and (i == 0 or _ends_lead_in(lines[i - 1]))
                and not all(_link_only(lines[k]) for k in range(i, j))):
            shown = [_LINK_MARKS.sub("", lines[k]).strip(" ").replace(NBSP, " ").rstrip() for k in range(i, j)]
            cut = min(len(x) - len(x.lstrip(" ")) for x in shown)
            runs.append((DISPLAY, [x[cut:] for x in shown]))
            i = j
            continue
        end = term_end(i) if j == i and self_displays else -1
        if end > 0 and (end == len(lines) or term_end(end) > 0 or (runs and runs[-1][0] == DEFINITION)):
            runs.append((DEFINITION, lines[i:end]))
            i = end
            continue
        if not runs or runs[-1][0] != PROSE:
            runs.append((PROSE, []))
        runs[-1][1].append(lines[i])
        i += 1
    return runs


# A line break no line ends at: after an opening square bracket alone, or between an option flag
# alone and its one-token argument. groff -Thtml sets a <br> at each source line of an mdoc ``Xo`` …
# ``Xc`` tag with ``Sm off`` (ssh(1): "-D" / "[" / "bind_address:]port", "-L" /
# "local_socket:host:hostport"); nroff and mandoc draw "-D [bind_address:]port" on one line (round 19).
# Only "[" (mdoc's ``Oo``, an optional part): a "(" or "{" alone is a code line in ``<br>`` layout
# (a brace on its own line), where the break is drawn on purpose (the first version took all three
# and changed 90 fltk pages, the whole-list diff).
_OPEN_ALONE = re.compile(r"^\[$")
_FLAG_ALONE = re.compile(r"^--?[A-Za-z0-9][\w-]*$")
# an option's argument: one token opening with a letter, digit, "[" or "<" (not a diff's "+"/"-" line),
# a letter in it, no sentence punctuation before its first letter or at its end
_ARGUMENT = re.compile(r"^(?=[\[<\w])[^\s.!?,;]*[A-Za-z][^\s]*(?<![.!?:;,])$")


def _mended_breaks(lines: list[str]) -> list[str]:
    """*lines* (of one paragraph, split at ``<br>``) with the breaks that end no line joined: a
    line that is only an opening "[" goes on with the next ("[" + "bind_address:]port"); an
    option flag alone goes on with a next line that is its argument (``_ARGUMENT``: "-L" +
    " local_socket:host:hostport"). Lines indented by ``&nbsp;`` keep their breaks (pydoc's
    unified diff "-three" / "+tree" / "&nbsp;four"); blank lines stay (they split the paragraph)."""
    for joins, space in ((lambda prev, shown: bool(_OPEN_ALONE.match(prev)), ""),
                         (lambda prev, shown: bool(_FLAG_ALONE.match(prev) and _ARGUMENT.match(shown)), " ")):
        out: list[str] = []
        for line in lines:
            shown = _shown(line)
            # an &nbsp;-indented line is laid out on purpose (a diff's context line " one")
            if (out and shown and (prev := _shown(out[-1])) and joins(prev, shown)
                    and not line.lstrip(" ").startswith(NBSP) and not out[-1].lstrip(" ").startswith(NBSP)):
                out[-1] = out[-1].rstrip(" " + NBSP) + space + line.lstrip(" " + NBSP)
            else:
                out.append(line)
        lines = out
    return lines


def _blank_line_groups(lines: list[str]) -> list[list[str]]:
    """*lines* (of one paragraph, split at ``<br>``) in runs between blank lines; a blank line
    before the first or after the last text line only ends a line (pydoc's ``&nbsp;<br>`` above a
    title, a ``<br>`` closing a paragraph)."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def lines_or_blocks(out: Blocks, items: list[tuple[bool, str]]) -> None:
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
