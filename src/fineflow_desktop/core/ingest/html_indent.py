"""Tables used only to indent text (round 7 of issue 10): what a browser draws for them.

Old-style HTML indents with tables: groff's grohtml sets troff's indented paragraphs (``.IP tag``,
hanging indents, numbered references) as ``<table width="100%" border="0" rules="none"
frame="void">`` rows of a blank spacer cell, the tag, another blank cell and the text::

    <tr><td width="10%"></td><td width="6%"><p>INT</p></td><td width="4%"></td>
        <td width="38%"><p>A positive integer.</p></td><td width="42%"></td></tr>

A browser shows "INT" beside its text, indented; the blank cells are only space. Read as a data
table, every row gained empty cells (" | INT |  | A positive integer. | "). ``is_spacer_table``
tells such tables apart by structure (no header cells or rules, at most a tag and a text a row,
spacer cells before the text) and ``row_entry`` reads a row as what it shows: a list item ("1." +
text), a definition entry (a tag + its text: the definition-list convention of
docs/DEVELOPING.md), a lone tag, a paragraph, or a data row (cells that are neither).
"""

from __future__ import annotations

import re

_LIST_MARK = re.compile(r"^(?:(\d{1,3}|[a-zA-Z])[.)]|[•◦▪‣·*–—-])$")  # "1.", "a)", "•", "-"
MAX_TAG_CHARS = 40  # a hanging tag is a word or a short phrase; a longer first cell is text
MAX_FILLED = 2  # an indented row shows a tag and its text at most; more filled cells make a data row


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def is_blank_cell(cell) -> bool:
    """Does table cell *cell* show nothing: no text, no image (a spacer)?"""
    return not "".join(cell.itertext()).strip() and cell.find(".//img") is None


def is_spacer_table(el) -> bool:
    """Is the table *el* a layout of indents: no header cell, caption or ``thead`` (a data table
    names its columns), no rules drawn (``border``, ``rules``: a ruled grid shows columns), no
    nested table or heading, at most ``MAX_FILLED`` filled cells in a row (Doxygen's signature
    tables, "name | ( | type | param | )", are data), and every row (at least one) either holding
    a blank cell (no text, no image) *before* a filled one — a spacer a browser draws as
    indentation or as the gap between a tag and its text — or one filled cell and blanks (a tag
    whose text follows the table)? A blank cell only after the filled ones is an unused column of
    a data table (gtk-doc's parameter annotations) and does not count."""
    if el.find(".//th") is not None or el.find(".//thead") is not None or el.find("caption") is not None:
        return False
    if _ruled(el):
        return False  # a grid the browser rules shows its columns: a data table
    if el.find(".//table") is not None or el.xpath(".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 "
                                                     "or self::h6 or @role='heading']"):
        return False  # nested tables: a layout of blocks; headings open sections (``html_blocks._table``)
    rows = [tr for tr in el.iter("tr")]
    if not rows:
        return False
    for tr in rows:
        cells = [c for c in tr if _tag(c) == "td"]
        blank = [is_blank_cell(c) for c in cells]
        filled = [k for k, b in enumerate(blank) if not b]
        if not filled or len(filled) == len(cells) or len(filled) > MAX_FILLED:
            return False
        if len(filled) > 1 and not any(blank[:filled[-1]]):
            return False
    return True


def _ruled(el) -> bool:
    """Does the browser draw rules around *el*'s cells: a ``border`` attribute other than 0 (a bare
    ``border`` is 1), or ``rules`` other than ``none`` (HTML 4.01 §11.3.1)?"""
    border = el.get("border")
    if border is not None:
        try:
            if int(border.strip() or "1") > 0:
                return True
        except ValueError:
            return True
    return (el.get("rules") or "none").strip().lower() != "none"


def row_entry(cells: list[str], indented: bool, trailing_blank: bool) -> tuple[str, str]:
    """How a browser shows one row of a spacer table whose filled cells read *cells* (each cell's
    paragraphs joined by a blank line; blank cells left out; *indented*: a blank cell comes first,
    the row is set in from the margin; *trailing_blank*: a blank cell follows the last filled one):
    ``(kind, text)`` with kind

    - ``"item"``: a list marker ("1.", "a)", "•") and its text: ``"1. text"`` / ``"- text"``;
    - ``"entry"``: an indented row of a short tag (one line, at most ``MAX_TAG_CHARS``) and its
      text, words (``MIN_ENTRY_WORDS`` words of letters or a sentence end) — a hanging indent (troff's ``.IP
      tag``) — as ``"tag\n: text"``, a definition entry (the definition-list convention of
      docs/DEVELOPING.md); a formula's cells ("pat | True" beside "-> exp", the Haskell 98
      report) stay a row;
    - ``"term"``: such a tag alone, a blank cell where its text would stand, and no sentence end
      (grohtml writes a tag wider than its column so and sets the text after the table);
    - ``"text"``: one cell of prose (``MIN_PROSE_WORDS`` words or a sentence end, or several
      paragraphs): a paragraph set at an indent;
    - ``"cell"``: one short cell of no prose: a cell of a table column, which the caller keeps as
      a data row (its blank cells too: they hold the column);
    - ``"row"``: any other two cells (a two-column table with a gap column between, starting at
      the margin), joined with `` | `` as a data row; a cell's paragraphs with `` — ``.
    """
    if len(cells) == 2:
        tag, text = cells
        m = _LIST_MARK.match(tag.strip())
        if m:
            marker = f"{m.group(1)}. " if m.group(1) and m.group(1).isdigit() else "- "
            return "item", marker + text.replace("\n\n", "\n  ")
        if indented and _is_tag(tag) and _is_words(text):
            return "entry", f"{tag}\n: {text}"
    if len(cells) >= 2:
        return "row", " | ".join(" — ".join(" ".join(p.split()) for p in c.split("\n\n")) for c in cells)
    text = cells[0] if cells else ""
    if trailing_blank and is_lone_tag(text):
        return "term", text
    if "\n" in text or _is_prose(text):
        return "text", text
    return "cell", text


_SENTENCE_END = re.compile(r"[.!?][\"')\]’”]*$")


MIN_PROSE_WORDS = 6
MIN_ENTRY_WORDS = 3  # "print this help and exit" is a tag's text; "-> exp" (a formula's cell) is not
_WORD = re.compile(r"[^\W\d_]{2,}")


def _is_words(text: str) -> bool:
    """Does *text* read as words: ``MIN_ENTRY_WORDS`` words of letters, or a sentence end?"""
    return len(_WORD.findall(text)) >= MIN_ENTRY_WORDS or bool(_SENTENCE_END.search(text.strip()))


def _is_prose(text: str) -> bool:
    return len(text.split()) >= MIN_PROSE_WORDS or bool(_SENTENCE_END.search(text.strip()))


def _is_tag(text: str) -> bool:
    return bool(text.strip()) and "\n" not in text and len(text) <= MAX_TAG_CHARS


def is_lone_tag(text: str) -> bool:
    """Can *text* be a hanging tag standing on its own: one line of at most ``MAX_TAG_CHARS``
    characters that ends no sentence ("VARIABLE", "\\fR, \\f1", "NUMBER")?"""
    return _is_tag(text) and not _SENTENCE_END.search(text.strip())
