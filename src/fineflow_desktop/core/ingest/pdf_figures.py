"""Text inside a PDF page's vector figures: labels of a drawing, not lines of prose.

A figure that a document includes as a PDF of its own (Asymptote's and MetaPost's graphs in
texinfo/LaTeX manuals, Doxygen's class and dependency diagrams, any ``\\includegraphics`` of a
PDF) is placed on the page as a Form XObject (ISO 32000-1 §8.10): its tick labels, node names
and legends are text objects inside the form, between its paths. PDFium reads them as lines
like any other, so "1994 1992 1990 1988", "z0 c0 c1" or "B m_a" ended up in paragraphs as torn
fragments. ``figure_boxes`` finds the page's forms that draw (at least ``FIGURE_PATHS`` path or
image objects, nested forms included) and ``outside_figures`` drops the lines that lie inside
one: labels, tick values ("1994 1992 1990 1988 …", one line for PDFium), axis titles. A figure
whose lines are mostly sentences (``TEXT_LINES`` or more) is set text, such as a typeset page
shown as an example, and stays. A form holding only text (a formula typeset apart and placed as a form) is no figure; nor
is a form covering more than ``FIGURE_AREA`` of the page (some producers wrap a whole page's
content in one form).
"""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_lines import Line

FIGURE_PATHS = 1  # path or image objects that make a form a drawing
FIGURE_AREA = 0.6  # share of the page area above which a form is the page's content, not a figure
FIGURE_DEPTH = 4  # nested forms looked into
LABEL_WORDS = 5  # "Do something", "sediment depth (cm)", "A m_self": a sentence has more words
TEXT_LINES = 2  # sentences that make a figure's text set text (half of its lines at least)
SLACK = 1.0  # points: a line's box may stick out of the figure's by this much (glyph boxes vs form bounds)

Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF points)


def figure_boxes(page) -> list[Box]:
    """Bounds of the drawing Form XObjects of a pypdfium2 ``PdfPage`` (see the module docstring).
    Reads the page's objects through the raw API: a text page has thousands of text objects, and
    a helper object per page object cost 5% of the parse."""
    import ctypes

    import pypdfium2.raw as raw

    width, height = page.get_size()
    boxes: list[Box] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_FORM:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top))):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        if (box[2] - box[0]) * (box[3] - box[1]) > FIGURE_AREA * width * height:
            continue
        if _drawing_objects(raw, obj, FIGURE_DEPTH) >= FIGURE_PATHS:
            boxes.append(box)
    return boxes


def _drawing_objects(raw, form, depth: int) -> int:
    """Path and image objects inside the form object *form* (raw handle), nested forms included."""
    count = 0
    for k in range(raw.FPDFFormObj_CountObjects(form)):
        child = raw.FPDFFormObj_GetObject(form, k)
        kind = raw.FPDFPageObj_GetType(child)
        if kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_SHADING):
            count += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth > 1:
            count += _drawing_objects(raw, child, depth - 1)
    return count


def outside_figures(lines: list[Line], boxes: list[Box]) -> list[Line]:
    """*lines* without those that lie inside one of the figure *boxes* (left to right, baseline to
    0.7 font size above it, ``SLACK`` points of tolerance), unless that figure is set text: at
    least ``TEXT_LINES`` of its lines and half of them are sentences (``_sentence``), as a typeset
    page shown as an example is."""
    if not boxes:
        return lines

    def inside(ln: Line, box: Box) -> bool:
        left, bottom, right, top = box
        low, high = min(ln.y, ln.y_end or ln.y), max(ln.y, ln.y_end or ln.y) + 0.7 * ln.size
        return left - SLACK <= ln.x0 and ln.x1 <= right + SLACK and bottom - SLACK <= low and high <= top + SLACK

    drop: set[int] = set()
    for box in boxes:
        held = [ln for ln in lines if inside(ln, box)]
        sentences = sum(_sentence(ln) for ln in held)
        if not (sentences >= TEXT_LINES and 2 * sentences >= len(held)):
            drop.update(id(ln) for ln in held)
    return [ln for ln in lines if id(ln) not in drop]


def _sentence(ln: Line) -> bool:
    """A line of running text rather than a label: more than ``LABEL_WORDS`` words, set as one
    run (no wide gaps: ``Line.cells``), most of them words of letters (not a row of tick values)."""
    words = ln.text.split()
    return (len(words) > LABEL_WORDS and not ln.cells
            and sum(any(ch.isalpha() for ch in w) for w in words) * 2 > len(words))
