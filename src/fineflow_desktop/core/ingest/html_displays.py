"""Code set without ``<pre>`` (round 6 of issue 10): monospace inline elements holding ``<br>``
line breaks, as hand-written and converted HTML of the 1990s writes listings (the Haskell 98
report: ``<tt><br>&nbsp;&nbsp;f x = ...<br>&nbsp;&nbsp;&nbsp;&nbsp;where<br></tt>``), and their
lines laid out as a browser draws them (HTML 4.01 §9.1: ASCII white space collapses, ``&nbsp;``
does not); ``display_run`` decides which siblings continue a display, ``html_set_off`` fences it.
Round 7: displays set off by indentation in the body font (groff's grohtml), see
``is_set_off`` / ``is_display_block`` below. Round 10: a block is also set off when its class names
an indent or its content opens with ``<br>`` (mandoc), and monospace elements set line by line
between ``<br>`` siblings are a listing (``mono_line_run``).
"""

from __future__ import annotations

import re

from lxml import etree

from fineflow_desktop.core.ingest.html_chrome import SKIP_TAGS
from fineflow_desktop.core.ingest.html_structure import STRUCTURE, has_blocks

_LINE_END = "\x0b"  # a <br> among the display's text pieces (source newlines are plain white space)


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


MONO_TAGS = frozenset(("tt", "code", "samp", "kbd"))
MIN_DISPLAY_BREAKS = 2
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")  # HTML's ASCII whitespace; U+00A0 (&nbsp;) does not collapse


def is_code_display(el, tag: str) -> bool:
    """Is *el* a code listing written without ``pre``: a monospace inline element (``tt``, ``code``,
    ``samp``, ``kbd``) holding at least ``MIN_DISPLAY_BREAKS`` ``<br>``, as hand-written and
    converted HTML of the 1990s set code (the Haskell 98 report: ``<tt><br>&nbsp;&nbsp;f x =
    ...<br>&nbsp;&nbsp;&nbsp;&nbsp;where<br></tt>``)? A browser draws it as lines of monospace text
    on their own, indented by the ``&nbsp;`` runs that HTML never collapses (round 6)."""
    if tag not in MONO_TAGS:
        return False
    breaks = 0
    for _ in el.iter("br"):
        breaks += 1
        if breaks >= MIN_DISPLAY_BREAKS:
            return True
    return False


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
        if is_code_display(nxt, ntag) or (line_open(run[-1]) and ntag not in STRUCTURE and not has_blocks(nxt)):
            run.append(nxt)
        else:
            break
    return run


def mono_line_run(siblings: list, i: int) -> list:
    """Lines each written wholly in monospace elements and separated by ``<br>`` siblings, from
    ``siblings[i]`` on, when they make the whole paragraph — at least ``MIN_DISPLAY_BREAKS``
    lines with text, nothing but white space between the elements, and after the last only the
    end of the parent or a block; else ``[]``. Round 10: hand-written HTML sets a listing line by
    line as ``<samp>line</samp><br><samp>line</samp>`` (docutils' reStructuredText quick
    reference shows its source examples so); a browser draws monospace lines on their own, as
    for the ``<br>`` inside one element (``is_code_display``). The caller checks that the
    paragraph holds no text before ``siblings[i]``."""
    run: list = []
    k = i
    while k < len(siblings):
        el, tag = siblings[k], _tag(siblings[k])
        if not (tag in MONO_TAGS and _breaks_only(el) or tag == "br" and run):
            break
        run.append(el)
        if (el.tail or "").strip():
            return []  # body-font text goes on after it: prose with inline code
        k += 1
    if k < len(siblings) and _tag(siblings[k]) and not (_tag(siblings[k]) in STRUCTURE or has_blocks(siblings[k])):
        return []  # an inline element of the body font follows
    filled = [ln for ln in display_text(run).split("\n") if ln.strip()] if run else []
    return run if len(filled) >= MIN_DISPLAY_BREAKS else []


def _breaks_only(el) -> bool:
    """Does *el* hold no block-level structure but ``<br>`` (``html_structure.STRUCTURE``)?"""
    return not any(_tag(d) in STRUCTURE and _tag(d) != "br" for d in el.iterdescendants())


def line_open(el) -> bool:
    """Is the last line of *el* still open: does text follow its last ``<br>`` (or has it text and
    no ``<br>``)?"""
    return bool("".join(display_parts(el)).rsplit(_LINE_END, 1)[-1].replace("\xa0", " ").strip())


def display_parts(el) -> list[str]:
    """*el*'s text pieces in document order (not its own tail), ``_LINE_END`` for each ``<br>``."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if _tag(node) == "br":
                parts.append(_LINE_END)
            elif node.text and _tag(node) not in SKIP_TAGS:
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    return parts


def display_text(run: list) -> str:
    """The lines of a code display (``is_code_display``; *run*: it and the siblings that
    continue it, ``display_run``) as a browser
    lays them out: ``<br>`` ends a line, ASCII whitespace runs collapse to one space and vanish at
    a line's start, ``&nbsp;`` is kept as a space (the indentation), blank lines at both ends
    dropped, inner ones kept."""
    parts: list[str] = []
    for k, el in enumerate(run):
        parts += display_parts(el)
        if k + 1 < len(run):
            parts.append(el.tail or "")
    # source newlines are collapsible whitespace, not line ends: only the <br> marks split lines
    lines = [_COLLAPSIBLE.sub(" ", line).lstrip(" ").replace("\xa0", " ").rstrip()
             for line in "".join(parts).split(_LINE_END)]
    return "\n".join(lines).strip("\n")


# --- displays set off by indentation (round 7 of issue 10) ---------------------------------------
# groff's grohtml writes troff's no-fill displays (``.DS``/``.nf``: program text, grammars, error
# messages) as an indented paragraph whose every line ends with <br>, in the body font:
# ``<p style="margin-left:10%; margin-top: 1em">.PS<br>box "from"<br>move 0.75;<br>.PE</p>``, and
# a one-line display inside a sentence as such a paragraph without <br> ("The statement <p
# style=margin-left>copy filename</p> inserts …"). A browser draws each as lines of their own,
# set off from the text column.

SET_OFF_TAGS = frozenset(("p", "div", "blockquote"))
_INDENT = re.compile(r"(?:^|;)\s*(?:margin|padding)-left\s*:\s*\+?([0-9]*\.?[0-9]+)\s*([a-z%]*)", re.I)
MAX_DISPLAY_LINE = 100  # characters: a line written line by line fits a terminal; wrapped prose does not
_OPEN_SENTENCE = re.compile(r"[\w,;:]$")  # a paragraph ending so has not finished its sentence (":": a lead-in)


def set_off_indent(el, tag: str) -> str:
    """How far *el* is indented from the text column: ``"blockquote"``, the positive
    ``margin-left``/``padding-left`` of a ``p``/``div``'s inline style (CSS 2.1 §8.3, §8.4) as
    written ("10%"), the class token naming an indent (``indent_class``: mandoc's ``Bd-indent``),
    ``"br"`` for a block whose content opens with a line break (``opens_with_break``), or "" when
    it is not set off. Only lengths compare (``indented_further``)."""
    if tag == "blockquote":
        return tag
    if tag not in SET_OFF_TAGS:
        return ""
    m = _INDENT.search(el.get("style") or "")
    if m and float(m.group(1)) > 0:
        return m.group(1) + m.group(2).lower()
    return indent_class(el) or ("br" if opens_with_break(el) else "")


_CLASS_PARTS = re.compile(r"[-_]")
INDENT_WORDS = frozenset(("indent", "indented"))


def indent_class(el) -> str:
    """The first class token of *el* one of whose ``-``/``_``-separated parts is "indent" or
    "indented" (round 10: mandoc's ``.Bd -offset indent`` is ``<div class="Bd Bd-indent">``, its
    stylesheet — often not shipped with the page — indents it; the class names the set-off, as
    round 9's "heading" classes name a heading), else "". ``noindent``/``text-indent`` (a first
    line's indent) are not: the part must be the whole word and no part may be "text"."""
    for token in (el.get("class") or "").split():
        parts = {p.lower() for p in _CLASS_PARTS.split(token)}
        if parts & INDENT_WORDS and "text" not in parts:
            return token
    return ""


def opens_with_break(el) -> bool:
    """Does *el*'s content open with a ``<br>`` (only white space and comments before it)?
    Round 10: a block whose first line is empty holds lines the author set one by one — mandoc
    writes roff's indented no-fill lines (``␣␣gzip -c file1 > foo.gz``) as ``<p><br/> line<br/>
    line</p>``, with no indent in the HTML; a browser draws each line on its own below a blank
    line. Read as a set-off block (``is_display_block`` still decides: short lines, not prose)."""
    if (el.text or "").strip():
        return False
    for child in el:
        if not isinstance(child.tag, str):  # a comment
            if (child.tail or "").strip():
                return False
            continue
        return child.tag.lower() == "br"
    return False


def indented_further(outer: str, inner: str) -> bool:
    """Is indent *inner* (``set_off_indent``) deeper than *outer*, both lengths in one unit
    ("11%" < "22%")?"""
    a, b = _LENGTH.match(outer), _LENGTH.match(inner)
    return bool(a and b and a.group(2) == b.group(2) and float(a.group(1)) < float(b.group(1)))


_LENGTH = re.compile(r"^([0-9]*\.?[0-9]+)([a-z%]*)$")


def is_set_off(el, tag: str) -> bool:
    """Is *el* a block indented from the text column (``set_off_indent``)?"""
    return bool(set_off_indent(el, tag))


def set_off_lines(el, structure: frozenset) -> list[str] | None:
    """The lines of a set-off block (``is_set_off``) that holds only inline text and ``<br>``
    (no element of *structure* but ``br``), as a browser lays them out (``display_text``), each
    at most ``MAX_DISPLAY_LINE`` characters; else None. A ``blockquote`` holding one ``<p>`` and
    nothing else is read as that paragraph's content (``quoted_paragraph``)."""
    el = quoted_paragraph(el)
    for d in el.iterdescendants():
        tag = _tag(d)
        if tag != "br" and (tag in structure or tag in SKIP_TAGS):
            return None
    lines = display_text([el]).split("\n") if len(el) or el.text else []
    filled = [ln for ln in lines if ln.strip()]
    if not filled or any(len(ln.strip()) > MAX_DISPLAY_LINE for ln in filled):
        return None
    return lines


def quoted_paragraph(el):
    """The one ``<p>`` a ``blockquote`` *el* holds when it holds nothing else (no text outside it,
    no other element; comments aside) and that paragraph is one line (no ``<br>``), else *el*.
    Round 12: pandoc writes roff's ``.RS``/``.RE`` around one line as a block quote holding a
    ``<p>`` (``<blockquote><p><strong>info diff</strong></p></blockquote>`` between "the command"
    and "should give you…"), as lynx's help does for a URL inside "It is available from … (caution
    …)"; the browser draws the same indented line as ``<blockquote>info diff</blockquote>``, which
    round 7's rule reads. Being a paragraph, it is a display only inside a sentence
    (``quote_in_sentence``)."""
    if _tag(el) != "blockquote" or (el.text or "").strip():
        return el
    inner = [c for c in el if isinstance(c.tag, str)]
    if len(inner) != 1 or _tag(inner[0]) != "p" or any((c.tail or "").strip() for c in el):
        return el
    return el if any(_tag(d) == "br" for d in inner[0].iterdescendants()) else inner[0]


_OPEN_BEFORE = re.compile(r"(?:[^\W\d_]|,)$")  # a letter or a comma last: the sentence goes on ("the command")


def quote_in_sentence(before: str | None) -> bool:
    """Does the block *before* a quoted paragraph (``quoted_paragraph``) end with a letter or a
    comma, so that the quoted line goes on with its sentence ("the command / info diff / should
    give you…", "Blat is available from / http://www.blat.net")? Stricter than round 7's
    ``_OPEN_SENTENCE`` (no digit, no colon): Node.js sets ``<blockquote><p>Stability: 1 -
    Experimental</p></blockquote>`` after "Added in: v18.16.0", a note, not a display, and a
    quotation after a lead-in colon is a quotation."""
    return before is not None and bool(_OPEN_BEFORE.search(before.rstrip()))


def is_display_block(lines: list[str], before: str | None, after_display: bool = False) -> bool:
    """Are *lines* (``set_off_lines``) a display: at least two lines (a no-fill block: the author
    ended every line with ``<br>``), or one line standing inside a sentence — the paragraph
    *before* it ends without finishing its sentence (a word character, comma or semicolon last, as in "The
    statement / copy filename / inserts the contents …") or with a lead-in colon ("with the
    following program: / line; arc; arc cw; line / which yields:")? Lines of which more than half
    are sentences (``MIN_SENTENCE_WORDS`` words or more ending with ``.!?``) or labels ("Note:")
    are prose (a one-line quotation, a man page's copyright lines, javadoc's "Note: / …"), no display. With *after_display*, the
    block right before was such a display: this one goes on with the listing (grohtml splits a
    display at its blank lines into several paragraphs). *before*: the text of the block just
    before in the same container, None when it is no prose paragraph (a list, table or code)."""
    filled = [ln.strip() for ln in lines if ln.strip()]
    if after_display:
        return True
    sentences = sum(len(ln.split()) >= MIN_SENTENCE_WORDS and bool(_ENDS_SENTENCE.search(ln))
                    or bool(_LABEL.match(ln)) for ln in filled)
    if 2 * sentences > len(filled):
        return False  # lines of prose (a man page's copyright lines, a one-line quotation), not a display
    if len(filled) >= 2:
        return True
    return before is not None and bool(_OPEN_SENTENCE.search(before.rstrip()))


_LABEL = re.compile(r"^[^\W\d_][\w ]{0,30}:$")  # "Note:", "Operation mode:" — a label line of prose
MIN_SENTENCE_WORDS = 4  # "x is 14." (a program's output) is a display; a quoted sentence is longer
_ENDS_SENTENCE = re.compile(r"[.!?][\"')\]’”]*$")


def mono_paragraph(el, tag: str) -> str | None:
    """The line of a ``<p>`` written wholly in one monospace element (``MONO_TAGS``: no text
    outside it, no other element, no ``<br>`` or block inside, at most ``MAX_DISPLAY_LINE``
    characters), else None. Round 13: the libxml2 site's pages set a command inside a sentence
    as a paragraph of its own: "There is a small shell script … which provides those flags. Use"
    / ``<p><code>xslt-config --cflags</code></p>`` / "to get the compilation flags and"; the
    browser draws it as a monospace line of its own. Whether it is a display depends on the
    paragraph before (``is_display_block``, as for an indented line, round 7)."""
    if tag != "p" or (el.text or "").strip():
        return None
    inner = [c for c in el if isinstance(c.tag, str)]
    if len(inner) != 1 or _tag(inner[0]) not in MONO_TAGS or (inner[0].tail or "").strip():
        return None
    if any(isinstance(d.tag, str) and _tag(d) in STRUCTURE for d in inner[0].iterdescendants()):
        return None
    line = " ".join("".join(inner[0].itertext()).split())
    return line if line and len(line) <= MAX_DISPLAY_LINE else None


# Class tokens generators give a block that holds one line of source code (Haddock's signatures,
# ``<p class="src">``, documented by Haddock's stylesheets as ``pre, code, kbd, samp, tt, .src``
# in monospace; round 11).
SOURCE_CLASSES = frozenset(("src",))


def is_source_line(el, tag: str) -> bool:
    """Is *el* a ``p``/``div`` its generator marks as source code (a class token in
    ``SOURCE_CLASSES``) holding only inline text, no ``<br>`` and no other block? Haddock writes each
    declaration's signature so (``<p class="src">name :: Type -> Type <a class="link">Source</a></p>``);
    read as a paragraph, signatures in a row ran together as prose ("… -> Completer Source" /
    "mkCompleter :: …"), which is code the page sets in monospace: a one-line code block."""
    if tag not in ("p", "div") or not SOURCE_CLASSES & set((el.get("class") or "").split()):
        return False
    return bool("".join(el.itertext()).strip()) and not any(isinstance(d.tag, str) and d.tag.lower() in STRUCTURE
                                                            for d in el.iterdescendants())
