"""Display formulas among a section's PDF lines (``pdf_layout`` keeps each as one line).

A display formula is set on lines of its own: indented or centred, with characters in math
fonts (``pdf_lines.Line.math``: TeX's CMMI/CMSY/CMEX, OpenType "Math" fonts), its rows (a
multi-line equation) close together, the limits of a sum and an equation number on lines of
their own under it. ``display_spans`` finds them so that ``pdf_layout.paragraphs`` can keep the
sentence that runs through a display in one paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fineflow_desktop.core.ingest.pdf_lines import GAP_FACTOR, WORD, Line
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing

DISPLAY_INDENT = 1.5  # em from the left edge of the text
DISPLAY_MATH = 0.2  # share of a line's sampled characters in a math font (pdf_lines.Line.math)
DISPLAY_APART_MATH = 0.35  # ... for a display set apart by a gap but hardly indented (a wide equation)
STACK_DROP = 0.95  # line spacings: the lines of a stacked display are closer together than lines of text
STEP_IN = 1.0  # em: a line set in this far under a display's row, as the row under the one before it,
STEP_SAME = 0.3  # em (the same step within this): is part of the display (an algorithm's body, ``_steps_in``)
DISPLAY_REACH = 3.0  # line spacings: rows of one display (a multi-line equation) are this close at most
_EQUATION_NO = re.compile(r"\(\d{1,3}(?:\.\d{1,3})*[a-z]?\)$")  # "(3)", "(2.14)" at a display's end
_WORDS = re.compile(r"[a-z]{4,}")  # a word of prose (limits and indices have none)
LEAD_WORDS = 3  # the line before a text display has more words (a label "See also", "Returns" has fewer)
_OPEN_END = re.compile(r"[^.!?:;\"'’”)\]]$")  # a line whose sentence is not over
_GOES_ON = re.compile(r"^(?:[a-z]|[,.;)\]])")  # a line that carries on a sentence


def display_spans(lines: list[Line], left: float, right: float, spacing: LineSpacing,
                  is_item: Callable[[str], bool]) -> dict[int, int]:
    """``{first index: end index}`` of the display formulas among *lines* (one section's, in
    reading order; *left*/*right*: its text edges in points; *is_item*: is a line's text a list
    item). A display starts at a line with ``DISPLAY_MATH`` of math-font characters that is
    either indented ``DISPLAY_INDENT`` em and short of the right edge (or ends in an equation
    number), or set apart from the line above by a paragraph gap and off the left edge with
    ``DISPLAY_APART_MATH`` math; it goes on over lines off the left edge with ``DISPLAY_MATH``
    math (``DISPLAY_APART_MATH`` if they reach the right edge) no further apart than
    ``DISPLAY_REACH`` line spacings (the rows of a multi-line equation), over the indented lines
    right under it (no paragraph gap) that hold no word of four letters or more (limits of a sum,
    an equation number on its own line), and back over such a line just before it (the formula's
    start, when the sum's upper limit came first in the page's order). A display may also be
    *stacked* without math fonts (round 9, maximabook's "force = product of charges / distance²
    ,"): two or more consecutive indented lines short of the right edge, each less than
    ``STACK_DROP`` line spacings above or below one before it, one of them *above* the line
    before it (a fraction's halves around the baseline of the text beside them; lines of text
    are a spacing apart and go down the page)."""
    def em(ln: Line) -> float:
        return ln.size or 10.0

    def mathy(ln: Line, share: float = DISPLAY_MATH) -> bool:
        return not ln.mono and ln.math >= share and not is_item(ln.text) and ln.x0 - left >= 0.2 * em(ln)

    def starts(ln: Line, above: Line | None) -> bool:
        if not mathy(ln):
            return False
        numbered = bool(_EQUATION_NO.search(ln.text.strip()))
        if ln.x0 - left >= DISPLAY_INDENT * em(ln) and (ln.x1 < right - 2 * em(ln) or numbered):
            return True
        apart = above is None or ln.page_start or above.y_end - ln.y > GAP_FACTOR * spacing.of(above, ln)
        return apart and mathy(ln, DISPLAY_APART_MATH)

    def set_in(ln: Line) -> bool:  # indented, short of the right edge: a display's line
        return (not ln.mono and ln.x0 - left >= DISPLAY_INDENT * em(ln) and ln.x1 < right - 2 * em(ln)
                and not is_item(ln.text))

    out: dict[int, int] = {}
    i = 0
    while i < len(lines):
        end = i + 1
        while (end < len(lines) and set_in(lines[i]) and set_in(lines[end]) and not lines[end].page_start
               and any(abs(lines[end].y - lines[k].y) < STACK_DROP * spacing.usual for k in range(i, end))):
            end += 1
        # (a stacked display goes up at least once: text lines only go down, in reading order)
        # (the lines just before a formula in math fonts are left to the rules below: its limits)
        stacked = (end - i >= 2 and any(lines[k + 1].y > lines[k].y for k in range(i, end - 1))
                   and not (end < len(lines) and starts(lines[end], lines[end - 1])))
        if not stacked and not starts(lines[i], lines[i - 1] if i else None):
            i += 1
            continue
        if not stacked:
            end = i + 1
        while end < len(lines) and not lines[end].page_start and not stacked:
            ln, above = lines[end], lines[end - 1]
            drop = above.y_end - ln.y
            # a row of a multi-line equation; a prose line starting at the paragraph indent under
            # a display fills the measure and has less math
            if (mathy(ln) and drop <= DISPLAY_REACH * spacing.usual
                    and (ln.math >= DISPLAY_APART_MATH or ln.x1 < right - 2 * em(ln))):
                end += 1
            elif (not ln.mono and ln.x0 - left >= DISPLAY_INDENT * em(ln) and drop <= GAP_FACTOR * spacing.of(above, ln)
                  and (_EQUATION_NO.search(ln.text.strip()) or not _WORDS.search(ln.text))):
                end += 1
            elif (end - i >= 2 and set_in(ln) and 0 < drop <= GAP_FACTOR * spacing.of(above, ln)
                  and _steps_in(lines[end - 2], above, ln)):
                # the body of a loop set in under its row, as each row was under the one before
                # (an algorithm displayed in a sentence: "for all l ∈ C do" / "action;", gmpl.pdf)
                end += 1
            else:
                break
        # the line a display's limits and indices stand over ("crc(x) =" beside a sum whose
        # upper limit came first): indented, short of words, just before it
        while (i > 0 and i - 1 not in out and not any(i - 1 < e and i - 1 >= b for b, e in out.items())
               and not lines[i].page_start and not lines[i - 1].mono
               and lines[i - 1].x0 - left >= DISPLAY_INDENT * em(lines[i - 1])
               and lines[i - 1].y_end - lines[i].y <= GAP_FACTOR * spacing.of(lines[i - 1], lines[i])
               and not _WORDS.search(lines[i - 1].text) and not is_item(lines[i - 1].text)):
            i -= 1
        out[i] = end
        i = end
    return out


def _steps_in(before: Line, above: Line, ln: Line) -> bool:
    """Is *ln* set in under *above* by the step *above* was set in under *before* (``STEP_IN`` em
    or more, the same within ``STEP_SAME`` em), starting within *above*: the next level of a
    displayed algorithm's staircase ("for all i ∈ A do" / "for all (j, k) ∈ B do" / …)."""
    em = ln.size or 10.0
    step, last = ln.x0 - above.x0, above.x0 - before.x0
    return step >= STEP_IN * em and abs(step - last) <= STEP_SAME * em and ln.x0 < above.x1


def text_displays(lines: list[Line], left: float, right: float, spacing: LineSpacing,
                  is_item: Callable[[str], bool]) -> dict[int, int]:
    """``{index: index + 1}`` of the one-line displays of text inside a sentence among *lines*
    (round 14, pari's INSTALL.pdf: "The kernel can be specified via the" / "--kernel=fully
    qualified kernel name" / "switch. The PARI kernel …", plain TeX's ``$$\\hbox{…}$$``): a
    proportional line, no list item, indented ``DISPLAY_INDENT`` em from the text's edge and
    from both its neighbours (a definition's text is at its own indent: doxygen's and Debian
    policy's entries lost their ": " when a line of theirs was read as a display) and short of
    the right edge by 2 em, set apart by a paragraph gap (``GAP_FACTOR``) from the line above and the line
    below on its page, the line above a line of more than ``LEAD_WORDS`` words (``WORD``; a
    listing's last line "21 }" over its caption is none, nor is Doxygen's "See also" label over
    its indented text) not ending its sentence and the line below carrying it
    on (lower case, or a comma/period). Without math fonts ``display_spans`` does not see it, and
    the sentence was cut in three paragraphs around it."""
    out: dict[int, int] = {}
    for i in range(1, len(lines) - 1):
        above, ln, below = lines[i - 1], lines[i], lines[i + 1]
        em = ln.size or 10.0
        if (ln.mono or below.mono or above.mono or ln.page_start or below.page_start or is_item(ln.text)
                or ln.x0 - left < DISPLAY_INDENT * em or ln.x1 >= right - 2 * em
                or min(ln.x0 - above.x0, ln.x0 - below.x0) < DISPLAY_INDENT * em):
            continue
        if (above.y_end - ln.y > GAP_FACTOR * spacing.of(above, ln) and ln.y_end - below.y > GAP_FACTOR * spacing.of(ln, below)
                and WORD.search(above.text) and len(above.text.split()) > LEAD_WORDS and _OPEN_END.search(above.text.rstrip()) and _GOES_ON.match(below.text.strip())):
            out[i] = i + 1
    return out
