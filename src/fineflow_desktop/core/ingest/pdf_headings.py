"""Headings of a PDF that has no outline (bookmarks), from its typography alone.

A line is a heading when it looks like one in general typographic terms, never by its wording:

- **stands alone**: one proportional-font line part (or a section number and a title), at most
  ``MAX_WORDS`` words, at least two letters, starting with a capital letter or a section number
  (any start when set ``HEADING_SIZE`` larger), not ending like a sentence or a clause (``. , ; :``);
- and is **set apart** from the body text (the most common line size, and the most common left
  edge of body-size lines) by one of:
  - a size at least ``HEADING_SIZE`` × the body size (chapter and section titles of LaTeX,
    DocBook/FOP, texinfo);
  - bold with a size at least ``BOLD_SIZE`` × the body size, or bold and outdented left of the
    body edge (groff ``man``: ``.SH`` at the page margin, ``.SS`` half-way, text indented), or
    bold and numbered (``2.3 Title``; ``9.6.1 base units``: a number of two levels or more may
    head a title in lower case);
  - all capitals and outdented (``.SH`` names of man pages set without a bold font);
  - bold, at body size, after a vertical gap or at a page top, with a non-bold prose line after
    it that starts at the same x (a title on a line of its own; text indented under a bold line
    is the definition of a term, left to ``pdf_layout``); such a line may be set in a bold code
    font (``<selectfont>``, an element name as a heading) and start in lower case.

A bold numbered title closed by a period ("5. Performing Linear Algebra.", "12.1. Elements.": plain
TeX's sections in PARI's manuals) is a heading too when it is set apart by a gap (or starts a page)
and its number continues the document's numbering (``closed_title``); the period is dropped.

Levels come from the style, not from the order of appearance: a larger size is a higher level;
at one size, a line further out to the left is higher, then all capitals, then bold; at one
style, a deeper section number is lower ("13.1." › "13.1.1."). Consecutive
heading lines of one style with no gap between them are one wrapped heading (its second line
may start in lower case).
"""

from __future__ import annotations

import re
from collections import Counter

from fineflow_desktop.core.ingest.pdf_lines import GAP_FACTOR
from fineflow_desktop.core.ingest.pdf_spacing import line_spacing

HEADING_SIZE = 1.15  # a line this much larger than the body text is a heading (texinfo/LaTeX titles)
BOLD_SIZE = 1.05  # a bold line this much larger (groff .SH is set at 10.9 pt over 10 pt text)
OUTDENT = 4.0  # points left of the body edge
MAX_WORDS = 12
EDGE_SHARE = 0.2
APART_FACTOR = 1.25  # a gap above a bold line: groff's paragraph space is 1.4 line spacings
WRAP_FACTOR = 1.5  # baseline distance / size of the lines of one wrapped heading (leading ~1.2)
HANG_CHAR = 0.6  # em per character of a section number (digits are 0.5 em wide, periods less)
HANG_QUAD = 1.5  # em: the space after the number (LaTeX: a quad, 1 em)
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,3})*\.?|[A-Z]\.\d{1,3}(?:\.\d{1,3})*\.?)$")
_CLAUSE_END = re.compile(r"[.,;:]$")
_DECIMAL = re.compile(r"^\d{1,2}(?:\.\d{1,3})*\.?$")  # a section number of digits only ("12.3.")


def body_edge(pages, body: float) -> float:
    """The left edge (points) of the body text: the leftmost ``x0`` where at least ``EDGE_SHARE``
    as many body-size proportional lines start (within ``OUTDENT / 2``: gropdf sets one margin at
    102.2 and 102.7) as at the most common one (a man page's definitions, indented under their
    terms, can outnumber its plain paragraphs)."""
    xs = Counter(round(ln.x0) for lines in pages for ln in lines
                 if not ln.mono and body and abs(ln.size - body) <= 0.05 * body)
    near = {x: sum(c for o, c in xs.items() if abs(o - x) <= OUTDENT / 2) for x in xs}
    if not near:
        return 0.0
    top = max(near.values())
    return float(min(x for x, c in near.items() if c >= EDGE_SHARE * top))


def _title_text(ln, body: float, closed: bool = False) -> str | None:
    """The heading text of *ln* if its shape allows a heading (see the module docstring). With
    *closed*, a title that starts with a section number may end in one period, which is dropped
    (plain TeX's ``\\section`` of PARI's manuals: "5. Performing Linear Algebra.")."""
    parts = [t for _, t in ln.cells] if ln.cells else [ln.text]
    if len(parts) > 2 or (len(parts) == 2 and not _NUMBERING.match(parts[0].strip())):
        return None  # cells: a table row or a term beside its definition, unless "2.3   Title"
    words = " ".join(parts).split()
    text = " ".join(words)
    if closed:
        if not (len(words) > 1 and _DECIMAL.match(words[0]) and text.endswith(".") and not text.endswith("..")):
            return None
        text = text[:-1].rstrip()
    # (a code-font line is no title unless bold or set large: "principia.sty" in 20 pt typewriter)
    if ((ln.mono and not ln.bold and ln.size < body * HEADING_SIZE) or not words or len(words) > MAX_WORDS
            or _CLAUSE_END.search(text)):
        return None
    if sum(c.isalpha() for c in text) < 2:
        return None
    if not (text[0].isupper() or _NUMBERING.match(words[0]) or ln.mono or ln.size >= body * HEADING_SIZE):
        return None  # (a bold code-font name such as "<selectfont>", a title set large such as
    return text      # "bzip2 and libbzip2, version 1.0.8" may start in lower case)


def style(ln, body: float, edge: float, strong_only: bool = False, closed: bool = False) -> tuple | None:
    """The heading style of line *ln* (a key that orders levels: smaller is higher), or ``None``
    when it is not a heading on its own typography. With *strong_only* the weak case (bold at
    body size and edge, which also needs its neighbours: ``split_runs``) gives ``None``; with
    *closed* only a numbered title ending in a period counts (see ``closed_title``)."""
    text = _title_text(ln, body, closed) if body else None
    if text is None:
        return None
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 3 and all(c.isupper() for c in letters)
    outdent = ln.x0 < edge - OUTDENT
    words = text.split()
    # (a number of two levels or more may head a title in lower case, "9.6.1 base units"; a bare
    # "3 apples" is no title)
    numbered = (bool(_NUMBERING.match(words[0])) and len(words) > 1
                and (words[1][0].isupper() or "." in words[0].rstrip(".")))
    strong = ln.size >= body * HEADING_SIZE or not ln.mono and (
        (ln.bold and (ln.size >= body * BOLD_SIZE or outdent or numbered)) or (caps and outdent))
    if not strong and (strong_only or not ln.bold):
        return None
    # order: larger size first; at one size further left (only outdented lines differ), then bold
    # (capitals do not rank: DocBook sets "2.1. NAME" and "3.1. Top-level structure" alike)
    return (-round(ln.size * 2) / 2, round(ln.x0 / OUTDENT) * OUTDENT if outdent else edge, not ln.bold)


def split_runs(pages, body: float, root: list[str]) -> list[list]:
    """``[[heading path, lines, first page]]``: all *pages*' lines in reading order, cut at
    heading lines (which leave the text); *root* (the document title, if any) starts each path."""
    edge = body_edge(pages, body)
    flat = [ln for lines in pages for ln in lines]
    spacing = line_spacing(flat)
    runs: list[list] = [[list(root), [], 1]]
    stack: list[tuple[tuple, str]] = []  # (style key + numbering depth, title) of the open headings
    last_key = None  # the style of the heading line just before (a wrapped heading goes on)
    number: tuple[int, ...] | None = None  # the section number of the last numbered heading
    for i, ln in enumerate(flat):
        prev = flat[i - 1] if i else None
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        key = style(ln, body, edge, strong_only=True)
        if key is None:
            key = style(ln, body, edge)
            apart = prev is None or ln.page_start or (prev.y_end - ln.y) > spacing * APART_FACTOR
            # ... with its text below it at its own edge (text indented under a bold line is a
            # definition: a term of a definition list)
            if key is not None and not (apart and nxt is not None and not nxt.bold and not nxt.mono
                                        and abs(nxt.x0 - ln.x0) <= OUTDENT):
                key = None
        title = " ".join(ln.text.split())
        if key is None and ln.bold and not ln.mono:
            # a numbered title closed by a period (see ``closed_title``)
            closed = closed_title(ln, body, edge, prev, spacing, number)
            if closed is not None:
                key, title = closed
        gap = prev is None or ln.page_start or (prev.y_end - ln.y) > spacing * GAP_FACTOR
        # a wrapped heading's lines are as far apart as its (large) size sets them
        wraps = (last_key is not None and prev is not None and not ln.page_start and not ln.mono
                 and 0 < prev.y_end - ln.y <= WRAP_FACTOR * prev.size and not ln.cells
                 # at the heading's left edge, centred under it, or a large title's hanging indent
                 # ("Appendix B Major Differences From The Bourne" / "Shell" under "Major");
                 # a bold term indented under a body-size heading is no part of it
                 and (abs(ln.x0 - prev.x0) <= OUTDENT or abs((ln.x0 + ln.x1) - (prev.x0 + prev.x1)) <= OUTDENT
                      or (prev.size >= body * HEADING_SIZE and prev.x0 < ln.x0 < prev.x1)
                      or _under_title(prev, ln))
                 and ln.bold == prev.bold and abs(ln.size - prev.size) < 0.05 * body
                 and len(ln.text.split()) <= MAX_WORDS and not _CLAUSE_END.search(ln.text.strip()))
        if stack and (wraps or (key is not None and key == last_key and not gap)):
            stack[-1] = (stack[-1][0], f"{stack[-1][1]} {' '.join(ln.text.split())}")  # a wrapped heading
            runs[-1][0] = list(root) + [t for _, t in stack]
            last_key = stack[-1][0][:-1]
            continue
        last_key = key
        if key is None:
            if not runs[-1][1]:
                runs[-1][2] = ln.page
            runs[-1][1].append(ln)
            continue
        # at one style, a section number under an open heading's number is a lower level ("13.1."
        # › "13.1.1.", both bold); a number under none (its parent missed) or no number: level 1
        numbered = section_number(title)
        parent = numbered is not None and any(
            k[:-1] == key and (n := section_number(t)) is not None and numbered[:len(n)] == n
            and len(n) < len(numbered) for k, t in stack)
        level = key + (len(numbered) if parent else 1,)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        number = numbered or number
        path = list(root) + [t for _, t in stack]
        if root and stack and len(stack) == 1 and norm_title(stack[0][1]) == norm_title(root[-1]):
            path = list(root)  # the title page repeats the document title
        runs.append([path, [], ln.page])
    return runs


def section_number(title: str) -> tuple[int, ...] | None:
    """The digits of the section number that starts *title* ("12.3. Ideals" → ``(12, 3)``)."""
    first = title.split()[0] if title.split() else ""
    return tuple(int(d) for d in first.rstrip(".").split(".")) if _DECIMAL.match(first) else None


def follows(number: tuple[int, ...], before: tuple[int, ...] | None) -> bool:
    """Does section *number* continue the numbering after *before*: a later number (in the
    order of sections) at most one level deeper ("3.2" → "3.3", "3.5", "4", "3.2.1", "4.1"; a
    heading missed on the way must not stop the rest, "3.2.1.1" skips a level); the first
    numbered heading of a document has no part above 1 ("1", "1.1", "0")."""
    if before is None:
        return all(d in (0, 1) for d in number)
    return len(number) <= len(before) + 1 and number > before


def closed_title(ln, body: float, edge: float, prev, spacing: float, before) -> tuple[tuple, str] | None:
    """``(style key, title)`` when bold line *ln* is a numbered title ending in a period (plain
    TeX: PARI's manuals set "5. Performing Linear Algebra." and "12.1. Elements." on their own
    line, bold, after a gap): a strong heading style with the period allowed, set apart from the
    line before (a gap over ``APART_FACTOR`` line spacings, or a page top), and a number that
    continues the numbering so far (``follows``; *before* is the last heading's number), which
    keeps a bold numbered sentence or list item ("1. Install it.") out. ``None`` otherwise."""
    key = style(ln, body, edge, strong_only=True, closed=True)
    if key is None:
        return None
    if not (prev is None or ln.page_start or (prev.y_end - ln.y) > spacing * APART_FACTOR):
        return None
    title = _title_text(ln, body, closed=True)
    number = section_number(title)
    if number is None or not follows(number, before):
        return None
    return key, title


def _under_title(prev, ln) -> bool:
    """Does *ln* hang under the title of the numbered heading line *prev*: LaTeX's sectioning
    (``\\@hangfrom``) sets a wrapped title's next line where the title starts, after the number
    and a quad, at any size ("7.2.3 Moment dynamique, … du centre de" / "gravité", mecaso.pdf:
    "gravité" became the section's first paragraph). Right of *prev*'s start by at most the
    number's width (``HANG_CHAR`` em per character) and ``HANG_QUAD`` em."""
    words = prev.text.split()
    if len(words) < 2 or not _NUMBERING.match(words[0]):
        return False
    return prev.x0 < ln.x0 <= prev.x0 + (HANG_CHAR * len(words[0]) + HANG_QUAD) * prev.size


def norm_title(text: str) -> str:
    """*text*'s letters and digits, lower-cased (to compare a heading with a title)."""
    return re.sub(r"[\W_]+", "", text.lower())
