"""Page furniture among a PDF page's lines (``pdf_lines.Line``): what a reader skips.

- **running headers/footers** (``running_lines``): a line in the top or bottom ``EDGE`` of the
  page whose text, digits replaced by ``#``, recurs in that margin on 3 or more pages (chapter
  headers change per chapter, so a share of all pages would miss them); lone page numbers
  (arabic or roman) there too, and a lone arabic page number as the page's lowest line above
  that margin;
- **running headers set lower** (``running_edges``, round 7): a page's top or bottom line whose
  shape recurs as the top (bottom) line at the same height (``EDGE_ALIGN``) on 3 or more pages and
  stands apart from the text (more than ``EDGE_APART`` line spacings). A LaTeX page with wide
  margins (4ti2's manual: A4 text on letter paper) sets its header 100 pt down, 12.6% of the
  page, outside ``EDGE``: "Chapter 1. Beginner's guide 9" stayed, its page number read as a
  flush-right label after the next paragraph. A code line at the top of several pages sits
  where the text starts, not apart from it; a chapter's opening title is set larger than the text;
- **headers that carry the page number** (``folio_offset``): LaTeX's ``headings`` page style
  (book class, Doxygen, Sphinx) sets the current section's title beside the page number
  ("2.3 Compiling from source on Windows 9", "264 Member Groups Example"). A section of one or
  two pages never recurs, so the shape rule misses it; but its number is the page's printed
  number, which differs from the page's index by the same offset all through the document.
  The offset seen on the most pages (at least ``FOLIO_PAGES``) is the document's; the page's
  first or last line in the margin starting or ending with that number is dropped, and so is
  the page's top or bottom line in the outer ``FOLIO_BAND`` set apart from the text (round 18:
  4ti2's header 100 pt down, "4.3. Example program: qsolve 42", a lone "54" over an empty page);
- **table-of-contents lines** (``toc_lines``): lines with dot leaders (``Section ...... 12``, also
  a dotted section number as the target: ``ALIASES . . . . 23.2``); on a page with at least
  ``TOC_LEADERS`` of them (a contents page) also the entries set without leaders (LaTeX sets
  chapters and parts so: "10 Graphs and diagrams 53", the page number flush right) and the
  first line of an entry whose leader line wraps under it. A texinfo index is set so too
  (leaders before each entry's list of pages, "arc . . . . 31, 140"): its group letters (one
  character, bold or larger than the entries) go with it.

- **back-of-book index pages** (``index_lines``): a page where at least ``INDEX_SHARE`` of the
  lines (and ``INDEX_LINES`` or more) are entries ending in page numbers ("strftime, 39, 57,
  152", LaTeX's makeidx and Doxygen's index; texinfo's have dot leaders) loses those entries,
  the headwords over indented subentries and the one-letter group headings: page references
  without their pages are no text.

- **text set at an angle** (``upright_lines``, round 13): a line whose characters are turned
  (``Line.slanted``) is no line of the text: a watermark across the page (mecaso.pdf sets
  "Y.Derrazi" at 45° on every page, which became every chunk's top heading), an arXiv stamp up
  the margin; at most ``SLANT_LINES`` a page (more is a page set sideways, a landscape table or
  listing). (Not a line whose baselines climb: a display's sum limits and matrix rows do.)

``content_lines`` applies all of them to one page.
"""

from __future__ import annotations

import re
from collections import Counter

from fineflow_desktop.core.ingest.pdf_lines import CELL_ALIGN, Line
from fineflow_desktop.core.ingest.pdf_spacing import line_spacing

EDGE = 0.09  # top/bottom share of the page height where running headers/footers live
EDGE_ALIGN = 2.0  # points: a running header recurs at the same height
EDGE_APART = 1.5
HEADER_SIZE = 1.05  # ... and is set no larger than the page's usual (median) size  # line spacings between a running header set outside EDGE and the text
FOLIO_APART = 2.0  # line spacings between a lone page number at the page's foot or head and the text
FOLIO_BAND = 0.15  # top/bottom share of the page where a header set lower than EDGE may carry the page number
FOLIO_PAGES = 3  # pages whose header/footer carries the page number at one offset to the page index
TOC_LEADERS = 3  # dot-leader lines that make a page a contents page
TOC_WRAP = 1.6  # font sizes: a wrapped contents entry's lines are at most this far apart
TOC_LETTER = 1.1  # an index's group letters are set larger than its entries (or bold)
TOC_ENTRY_WORDS = 16  # a contents entry without leaders has at most this many words before its number
INDEX_SHARE = 0.6  # share of a page's lines that are index entries on an index page
INDEX_LINES = 10
INDEX_OWN = 5  # index entries of an index's own shape (a list of pages, a range, a short leader) on an index page
_PAGE_REF = r"(?:\d{1,4}(?:\s*[-–]\s*\d{1,4})?|[ivxlc]{1,6})"  # 12, 45–47, xiv
# "term, 12, 45–47" (a wrapped entry's first line ends with a comma, its next line is all numbers)
_INDEX_ENTRY = re.compile(rf"(?:,\s*|^){_PAGE_REF}(?:\s*,\s*{_PAGE_REF})*,?$")
# "Section ...... 12", "ALIASES . . . 23.2", and a back-of-book index entry's list of pages
# ("arc . . . . 31, 140": texinfo's index sets leaders before every entry's page references)
# an index entry whose leader is short (". . . 303, 334": a long name in a two-column index) or
# whose pages wrap (". . . 169,"), in any font: ltxdoc sets the entries' names in typewriter
_INDEX_LEADER = re.compile(rf"(?:\.\s?){{2,}}\s*{_PAGE_REF}(?:\s*,\s*{_PAGE_REF})*,?\s*$")
# an index entry whose name is set in typewriter, one token, then its pages after a comma
# ("delims-eval, 12", "scale-var-*, 19": derivative.pdf's index of options, no leaders); a code line
# of one token, a comma and a number is rare, and the page must still be mostly entries
_CODE_ENTRY = re.compile(rf"[^\s,]+,\s+{_PAGE_REF}(?:\s*,\s*{_PAGE_REF})*")
_GROUP_WORD = re.compile(r"[A-Za-z][\w-]*")
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*[\divxlcIVXLC]+(?:\.\d+)*(?:\s*,\s*\d{1,4})*\s*\.?\s*$")
_PAGE_NO = re.compile(r"^\s*(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)
_ARABIC = re.compile(r"\d{1,4}")


SLANT_LINES = 3  # a page with more lines set at an angle is set sideways (a landscape table or listing)


def upright_lines(lines: list[Line]) -> list[Line]:
    """*lines* without text set at an angle (``Line.slanted``: first and last character turned),
    unless the page has more than ``SLANT_LINES`` of them: glpk.pdf sets a 60-line report
    sideways on its page, which is text to keep."""
    slanted = sum(ln.slanted for ln in lines)
    if not slanted or slanted > SLANT_LINES:
        return lines
    return [ln for ln in lines if not ln.slanted]


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def running_lines(pages: list[list[Line]], heights: list[float]) -> set[str]:
    """Shapes (``_shape``) of lines that recur in the top/bottom margin across pages."""
    counts: Counter = Counter()
    for lines, h in zip(pages, heights):
        seen = {_shape(ln.text) for ln in lines if _in_margin(ln, h)}
        counts.update(seen)
    need = 3 if len(pages) >= 6 else 2
    return {shape for shape, c in counts.items() if c >= need}


def running_edges(pages: list[list[Line]]) -> set[tuple[str, int, int]]:
    """``(shape, end, height)`` of lines that are their page's top (``end`` 1) or bottom (``end``
    -1) line, stand apart from the next line in by more than ``EDGE_APART`` line spacings, and
    recur so at the same height (within ``EDGE_ALIGN`` points, ``height`` rounded to it) on at
    least 3 pages (see the module docstring)."""
    counts: Counter = Counter()
    for lines in pages:
        counts.update({key for key, _ in _apart_edges(lines)})
    found = {key for key, c in counts.items() if c >= 3}
    # a height near a rounding boundary: count the neighbouring cell too
    for (shape, end, y), c in counts.items():
        if (shape, end, y + 1) in counts and c + counts[(shape, end, y + 1)] >= 3:
            found |= {(shape, end, y), (shape, end, y + 1)}
    return found


def _apart_edges(lines: list[Line]) -> list[tuple[tuple[str, int, int], Line]]:
    """``(running_edges key, line)`` of the page's top and bottom lines set apart from the text."""
    if len(lines) < 3:
        return []
    spacing = line_spacing(lines)
    order = sorted(lines, key=lambda ln: -ln.y)
    text_size = sorted(ln.size for ln in lines)[len(lines) // 2]
    out = []
    for end, edge, nxt in ((1, order[0], order[1]), (-1, order[-1], order[-2])):
        # a header is set no larger than the text (a chapter's opening title is)
        if (abs(edge.y - nxt.y) > EDGE_APART * spacing and _shape(edge.text).strip("# ")
                and edge.size <= HEADER_SIZE * text_size):
            out.append(((_shape(edge.text), end, int(edge.y // EDGE_ALIGN)), edge))
    return out


def _in_margin(line: Line, height: float) -> bool:
    return height > 0 and (line.y > height * (1 - EDGE) or line.y < height * EDGE)


def _edge_lines(lines: list[Line], height: float) -> list[Line]:
    """The page's top and bottom line, where they lie in the margin (header and footer)."""
    if not lines:
        return []
    ends = {id(max(lines, key=lambda ln: ln.y)): None, id(min(lines, key=lambda ln: ln.y)): None}
    return [ln for ln in lines if id(ln) in ends and _in_margin(ln, height)]


def _folio_band_lines(lines: list[Line], height: float) -> list[Line]:
    """The page's top and bottom line where it lies in the outer ``FOLIO_BAND`` of the page, set
    apart from the next line in by more than ``EDGE_APART`` line spacings (or alone on its page)
    and no larger than the text (``HEADER_SIZE``): where a header set lower than ``EDGE`` sits
    (4ti2's manual, 100 pt down on letter paper). ``running_edges`` needs the shape on 3 pages;
    a section's header over one page ("4.3. Example program: qsolve 42") or a lone page number
    over a page of its own ("54") never recurs, but carries the page's printed number."""
    if not lines or height <= 0:
        return []
    order = sorted(lines, key=lambda ln: -ln.y)
    spacing = line_spacing(lines) if len(lines) > 2 else 12.0
    text_size = sorted(ln.size for ln in lines)[len(lines) // 2]
    out = []
    for edge, nxt in ((order[0], order[1:2]), (order[-1], order[-2:-1])):
        outer = edge.y > height * (1 - FOLIO_BAND) or edge.y < height * FOLIO_BAND
        if (outer and edge.size <= HEADER_SIZE * text_size
                and (not nxt or abs(edge.y - nxt[0].y) > EDGE_APART * spacing)):
            out.append(edge)
    return out


def _end_numbers(text: str) -> set[int]:
    """The arabic numbers that start or end *text* (a header's page number sits at either end)."""
    words = text.split()
    return {int(w) for w in (words[:1] + words[-1:]) if _ARABIC.fullmatch(w)}


def folio_offset(pages: list[list[Line]], heights: list[float]) -> int | None:
    """Page index (1-based) minus printed page number, as the header or footer lines of at least
    ``FOLIO_PAGES`` pages agree on it (the most common such offset); ``None`` when none does."""
    counts: Counter = Counter()
    for number, (lines, h) in enumerate(zip(pages, heights), 1):
        counts.update({number - n for ln in _edge_lines(lines, h) for n in _end_numbers(ln.text)})
    if not counts:
        return None
    offset, seen = counts.most_common(1)[0]
    return offset if seen >= FOLIO_PAGES else None


def toc_lines(lines: list[Line]) -> set[int]:
    """Indices of table-of-contents lines among one page's *lines* (see the module docstring)."""
    leaders = {k for k, ln in enumerate(lines) if _DOT_LEADER.search(ln.text)}
    if len(leaders) < TOC_LEADERS:
        return leaders
    right = max(lines[k].x1 for k in leaders)
    entry_size = sorted(lines[k].size for k in leaders)[len(leaders) // 2]
    out = set(leaders)
    for k, ln in enumerate(lines):
        if k in leaders:
            continue
        if all(len(w) == 1 for w in ln.text.split()) and (ln.bold or ln.size > TOC_LETTER * entry_size):
            # group letters or symbols of an index set with leaders ("A", "%"; "A  B" side by side),
            # set bold or larger than the entries (a formula's "M =" or "N" on the page is not)
            out.add(k)
            continue
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if (nxt is not None and k + 1 in leaders and nxt.x0 > ln.x0 + CELL_ALIGN
                and 0 < ln.y - nxt.y <= TOC_WRAP * max(ln.size, 1.0)):
            out.add(k)  # an entry too long for one line: its leader line wraps under it
        elif (len(ln.cells) >= 2 and _PAGE_NO.match(ln.cells[-1][1]) and abs(ln.x1 - right) <= CELL_ALIGN
              and len(" ".join(t for _, t in ln.cells[:-1]).split()) <= TOC_ENTRY_WORDS):
            out.add(k)  # an entry set without leaders, its page number flush right
    return out


def index_lines(lines: list[Line]) -> set[int]:
    """Indices of back-of-book index entries and group letters among one page's *lines* (see the
    module docstring); empty on any other page."""
    # (a code line may end in numbers; an index entry in a code font has its leader: ltxdoc's
    # "\\keywordStyle@mlpr . . . . 169," with the macro names in typewriter. A contents line,
    # long leader and one page number, is ``toc_lines``' too: it counts for the share, but a page
    # needs ``INDEX_OWN`` entries of an index's own shape, or a contents page of 30 such lines is an
    # "index" and its last paragraph goes with it, bzip2's manual)
    leaders = {k for k, ln in enumerate(lines) if _DOT_LEADER.search(ln.text)}
    entries = {k for k, ln in enumerate(lines) if k not in leaders
               and ((not ln.mono and _INDEX_ENTRY.search(ln.text.strip())) or _INDEX_LEADER.search(ln.text)
                    or (ln.mono and _CODE_ENTRY.fullmatch(ln.text.strip())))}
    if len(entries) < INDEX_OWN:
        return set()
    entries |= leaders
    if len(entries) < INDEX_LINES or len(entries) < INDEX_SHARE * len(lines):
        return set()
    out = entries | {k for k, ln in enumerate(lines) if len(ln.text.strip()) == 1}
    for k in range(len(lines) - 2, -1, -1):  # a headword whose page numbers are on its subentries
        if k + 1 in out and lines[k + 1].x0 > lines[k].x0 + CELL_ALIGN:
            out.add(k)
        # a group's name over its entries, at their x ("delims" over "delims-eval, 12", …:
        # derivative.pdf's index of options groups them by a word, not a letter)
        elif k + 1 in entries and _GROUP_WORD.fullmatch(lines[k].text.strip()):
            out.add(k)
    return out


def content_lines(lines: list[Line], height: float, running: set[str], folio: int | None = None,
                  edges: set[tuple[str, int, int]] = frozenset()) -> list[Line]:
    """*lines* without running headers/footers, margin page numbers, table-of-contents lines
    (``toc_lines``) and index entries (``index_lines``). A page number (arabic) is also dropped
    outside the margin when it is the page's lowest line, set apart from every other line by more
    than ``FOLIO_APART`` line spacings (LaTeX's default page foot sits above the bottom ``EDGE``).
    *folio*: the page's printed number (``folio_offset``); the header or footer line that starts
    or ends with it is dropped. *edges*: running headers/footers set outside the margin
    (``running_edges``)."""
    gone = {id(edge) for key, edge in _apart_edges(lines) if key in edges} if edges else set()
    lines = [ln for ln in lines if id(ln) not in gone]
    ys = [ln.y for ln in lines]
    spacing = line_spacing(lines) if len(lines) > 1 else 12.0
    toc = toc_lines(lines) | index_lines(lines)
    with_folio = {id(ln) for ln in _edge_lines(lines, height) + _folio_band_lines(lines, height)
                  if folio is not None and folio in _end_numbers(ln.text)}
    out = []
    for k, ln in enumerate(lines):
        if _in_margin(ln, height) and (_shape(ln.text) in running or _PAGE_NO.match(ln.text)):
            continue
        if id(ln) in with_folio or k in toc:
            continue
        others = ys[:k] + ys[k + 1:]
        if (_shape(ln.text) == "#" and others and ln.y < min(others)
                and min(abs(ln.y - y) for y in others) > FOLIO_APART * spacing):
            continue
        out.append(ln)
    return out
