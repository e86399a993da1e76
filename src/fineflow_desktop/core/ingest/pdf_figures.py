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

Diagrams drawn with glyphs (round 7): xy-pic (LaTeX's usual package for graphs and commutative
diagrams) sets its arrow tips, dashes and slanted line pieces as characters of its own fonts
(``XYDASH``, ``XYATIP``, ``XYBTIP``, ``XYBSQL``, ``XYCMAT``…), LaTeX's ``picture`` environment
its slanted lines and circles in ``line10``/``lcircle10``, and draws straight lines as rules
(path objects). No form wraps them, so PDFium read them as lines of dingbats between the node
labels ("v1 0,14,$0 qq qq q q8", "⑤⑤⑤ v3"): glpk's graphs manual lost 8 points of fidelity and
had torn fragments in 5% of its chunks. ``figure_boxes`` also returns the extent of each group
of such glyphs (``DRAWING_FONT``) together with the rules and paths that touch it
(``GROUP_GAP``), grown by ``LABEL_MARGIN`` em for node labels at an arrow's open end.

Diagrams drawn with paths on the page itself (round 14): TikZ/PGF (LaTeX's usual drawing
package) writes its lines, curves and arrow tips into the page's content, no form around them,
and sets its labels as ordinary text: messagepassing.pdf's timelines read "0 1 2 3 4 5 6 7 8 p q
r c0 p c0q …" inside the paragraph around the figure. ``figure_boxes`` also returns the extent of
each group of ``PATH_DRAWN`` or more *drawn* paths (a curve, or a straight segment at a slant:
table rules, frames and cell shading are axis-parallel) within ``GROUP_GAP`` of each other, with
the paths touching them, grown by ``LABEL_MARGIN`` em; inside it ``outside_figures`` drops the
lines that are no sentence and not code (a listing in a rounded frame keeps its lines).
"""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.pdf_lines import Line

FIGURE_PATHS = 1  # path or image objects that make a form a drawing
FIGURE_AREA = 0.6  # share of the page area above which a form is the page's content, not a figure
FIGURE_DEPTH = 4  # nested forms looked into
LABEL_WORDS = 5  # "Do something", "sediment depth (cm)", "A m_self": a sentence has more words
TEXT_LINES = 2  # sentences that make a figure's text set text (half of its lines at least)
SLACK = 1.0  # points: a line's box may stick out of the figure's by this much (glyph boxes vs form bounds)

Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF points)

# fonts whose glyphs draw (pieces of lines, arrow tips, circles), not text: xy-pic's (XYDASH,
# XYATIP, XYBTIP, XYBSQL, XYCMAT, XYCMBT, XYCIRC, XYEUAT…; xy-pic's own docs, "xyfonts"), and
# LaTeX picture mode's line10/linew10/lcircle10/lcirclew10 (LaTeX2e source, ltpictur.dtx)
DRAWING_FONT = re.compile(r"^(?:[A-Z]{6}\+)?(?:XY[A-Z]{4}\b|l(?:ine|circle)w?10\b)", re.I)
GROUP_GAP = 24.0  # points: drawing glyphs and paths this close belong to one diagram
LABEL_MARGIN = 1.5  # em (of the diagram's glyphs): node labels sit just past a line's end
MIN_GLYPHS = 3  # drawing glyphs that make a diagram (a lone arrow tip may be inline math)
PATH_DRAWN = 4  # drawn paths (curves, slanted segments) that make a diagram drawn with paths
RISE = 1.0  # em: a label placed above the one before it (text lines go down the page)
DRAWN_MIN = 0.5  # points: a path whose box is thinner than this either way is a rule, not read


def figure_boxes(page) -> tuple[list[Box], list[Box], list[Box]]:
    """``(forms, diagrams, drawings)``: bounds of the drawing Form XObjects of a pypdfium2
    ``PdfPage``, of its diagrams drawn with glyphs (``diagram_boxes``) and of its diagrams drawn
    with paths (``drawing_boxes``; see the module docstring).
    Reads the page's objects through the raw API: a text page has thousands of text objects, and
    a helper object per page object cost 5% of the parse."""
    import ctypes

    import pypdfium2.raw as raw

    width, height = page.get_size()
    boxes: list[Box] = []
    glyphs: list[tuple[Box, float]] = []  # drawing-font text objects: (box, font size)
    paths: list[Box] = []
    drawn: list[Box] = []  # paths with a curve or a slanted segment
    drawing: dict[int, bool] = {}  # font handle → a drawing font (a page has a handful of fonts)
    name = ctypes.create_string_buffer(128)
    size = ctypes.c_float()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            font = raw.FPDFTextObj_GetFont(obj)
            key = ctypes.cast(font, ctypes.c_void_p).value or 0
            if key not in drawing:
                raw.FPDFFont_GetBaseFontName(font, name, len(name))
                drawing[key] = bool(DRAWING_FONT.match(name.value.decode("latin-1")))
            if not drawing[key]:
                continue
        elif kind not in (raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH):
            continue
        if not raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top))):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
            glyphs.append((box, size.value or 10.0))
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            paths.append(box)
            if box[2] - box[0] > DRAWN_MIN and box[3] - box[1] > DRAWN_MIN and _drawn(raw, obj):
                drawn.append(box)
        elif (box[2] - box[0]) * (box[3] - box[1]) <= FIGURE_AREA * width * height \
                and _drawing_objects(raw, obj, FIGURE_DEPTH) >= FIGURE_PATHS:
            boxes.append(box)
    return boxes, diagram_boxes(glyphs, paths), drawing_boxes(drawn, paths)


def _drawn(raw, path) -> bool:
    """Does the path object *path* (raw handle) hold a Bézier curve or a straight segment at a
    slant (both coordinates change), as a drawing's lines and arrow tips do (rectangles, rules
    and frames are axis-parallel)."""
    import ctypes

    x, y = ctypes.c_float(), ctypes.c_float()
    last = None
    for k in range(raw.FPDFPath_CountSegments(path)):
        seg = raw.FPDFPath_GetPathSegment(path, k)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            return True
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        if (kind == raw.FPDF_SEGMENT_LINETO and last is not None
                and abs(x.value - last[0]) > DRAWN_MIN and abs(y.value - last[1]) > DRAWN_MIN):
            return True
        last = (x.value, y.value)
    return False


def drawing_boxes(drawn: list[Box], paths: list[Box], em: float = 10.0) -> list[Box]:
    """Extents of the diagrams drawn with paths (see the module docstring): *drawn* are the boxes
    of the page's curved or slanted paths, *paths* those of all its path objects. Drawn paths
    within ``GROUP_GAP`` of a group join it; a group of ``PATH_DRAWN`` or more is a diagram, with
    the paths touching it (its straight lines), grown by ``LABEL_MARGIN`` × *em* points."""
    return diagram_boxes([(box, em) for box in drawn], paths, PATH_DRAWN, GROUP_GAP)


def diagram_boxes(glyphs: list[tuple[Box, float]], paths: list[Box], least: int = MIN_GLYPHS,
                  reach: float = GROUP_GAP / 4) -> list[Box]:
    """Extents of the diagrams drawn with glyphs (see the module docstring): *glyphs* are the
    ``(box, font size)`` of drawing-font text objects, *paths* the boxes of the page's path
    objects. Glyphs and paths within ``GROUP_GAP`` of a group join it (a diagram's straight lines
    are rules); a group of *least* (``MIN_GLYPHS``) or more glyphs is a diagram, its box grown by
    ``LABEL_MARGIN`` em on every side (the labels at its ends); diagrams that then overlap are one."""
    groups: list[list] = []  # [box, glyph count, em]
    for box, em in glyphs:
        groups.append([box, 1, em])
    merged = True
    while merged:  # join overlapping groups until none change (a handful of groups per page)
        merged = False
        out: list[list] = []
        for g in groups:
            for h in out:
                if _near(g[0], h[0], GROUP_GAP):
                    h[0], h[1], h[2] = _union(g[0], h[0]), h[1] + g[1], max(g[2], h[2])
                    merged = True
                    break
            else:
                out.append(g)
        groups = out
    result: list[Box] = []
    for box, count, em in groups:
        if count < least:
            continue
        for _ in range(2):  # rules touching the diagram, then rules touching those
            for p in paths:
                if _near(p, box, reach):
                    box = _union(p, box)
        d = LABEL_MARGIN * em
        box = (box[0] - d, box[1] - d, box[2] + d, box[3] + d)
        for k, other in enumerate(result):
            if _near(box, other, 0):
                box = _union(box, result.pop(k))
                break
        result.append(box)
    return result


def _near(a: Box, b: Box, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


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


def outside_figures(lines: list[Line], boxes: list[Box], diagrams: list[Box] = (), drawings: list[Box] = ()) -> list[Line]:
    """*lines* without those that lie inside one of the figure *boxes* (left to right, baseline to
    0.7 font size above it, ``SLACK`` points of tolerance), unless that figure is set text: at
    least ``TEXT_LINES`` of its lines and half of them are sentences (``_sentence``), as a typeset
    page shown as an example is. Inside a diagram drawn with glyphs (*diagrams*, whose box is
    grown by a margin for its labels) a sentence always stays: a caption or the prose just above
    may reach into the margin. Inside a diagram drawn with paths (*drawings*) a code line stays
    too (a listing in a rounded frame). The first line kept after dropped ones is marked
    ``Line.after_figure``: ``pdf_layout`` lets a sentence that ran into the figure go on there."""
    if not boxes and not diagrams and not drawings:
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
    for box in diagrams:  # a node label wider than the margin may stick out at a side: half in is in
        drop.update(id(ln) for ln in lines if not _sentence(ln) and _mostly_inside(ln, box, inside))
    for box in drawings:
        held = [ln for ln in lines if not ln.mono and not _sentence(ln) and _mostly_inside(ln, box, inside)]
        if _placed(held):
            drop.update(id(ln) for ln in held)
    kept: list[Line] = []
    for k, ln in enumerate(lines):
        if id(ln) in drop:
            continue
        # the text after a figure may go on with the sentence that ran into it (``pdf_layout``)
        ln.after_figure = k > 0 and id(lines[k - 1]) in drop
        kept.append(ln)
    return kept


def _placed(held: list[Line]) -> bool:
    """Are the lines *held* by a drawing (in PDFium's order) labels placed one by one rather than
    lines of text: a baseline goes back up the page by more than ``RISE`` em after the line before
    it. TikZ writes each node where the picture's code names it ("Protocol", then "p", "q", "r"
    down the left, then "c0p" back at the top); a legend or the operands of an arrow ("A" / "B"
    of mhchem's arrow samples) are set in reading order."""
    return any(b.y - a.y > RISE * max(a.size, b.size, 1.0) for a, b in zip(held, held[1:]))


def _mostly_inside(ln: Line, box: Box, inside) -> bool:
    """*ln* lies inside *box* (``inside``) once its x extent is cut to the box, and at least half
    of its width lies in the box (a line of glyphs may end left of where it starts)."""
    x0, x1 = min(ln.x0, ln.x1), max(ln.x0, ln.x1)
    left, right = max(x0, box[0]), min(x1, box[2])
    if 2 * (right - left) < x1 - x0:
        return False
    return inside(Line(ln.text, left, right, ln.y, ln.size, ln.mono, ln.y_end), box)


def _sentence(ln: Line) -> bool:
    """A line of running text rather than a label: more than ``LABEL_WORDS`` words, set as one
    run (no wide gaps: ``Line.cells``), most of them words of letters (not a row of tick values)."""
    words = ln.text.split()
    return (len(words) > LABEL_WORDS and not ln.cells
            and sum(any(ch.isalpha() for ch in w) for w in words) * 2 > len(words))
