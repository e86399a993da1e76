"""Issue 10, round 7 (the round-4 ``--math`` PDFs were the development set): diagrams drawn with
glyphs — xy-pic's arrow tips and dashes (fonts ``XYDASH``, ``XYATIP``…) and rules between node
labels, no Form XObject around them. Real PDFs built here (content streams placed by hand, read by
PDFium via ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_figures import diagram_boxes
from fineflow_desktop.core.ingest.pdf_furniture import content_lines, running_edges
from fineflow_desktop.core.ingest.pdf_lines import Line

FONTS = {"R": "Helvetica", "D": "XYDASH-Medium", "A": "XYATIP-Medium", "M": "CMMI10"}


def tj(x: float, y: float, text: str, font: str = "R", size: int = 10) -> str:
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def prose(first_words: str, y: float) -> str:
    out = ""
    for k in range(4):
        end = "." if k == 3 else ""
        out += tj(72, y, f"{first_words} line {k} of this paragraph goes on with some more words{end}")
        y -= 12
    return out


def xy_graph(top: float) -> str:
    """Four nodes v1..v4: a rule v1 → v2 with an arrow tip, slanted dashed arcs drawn as rows of
    XYDASH glyphs (one text object per glyph, as xy-pic sets them), a label on an arc."""
    out = tj(150, top, "v1") + tj(330, top, "v2") + tj(150, top - 80, "v3") + tj(330, top - 80, "v4")
    out += f"0.4 w 165 {top + 3} m 322 {top + 3} l S\n"  # the straight arc is a rule
    out += tj(318, top, "b", "A")
    for k in range(8):  # a slanted arc v1 → v4 and v2 → v3, dash by dash
        out += tj(170 + 19 * k, top - 8 - 9 * k, "a", "D")
        out += tj(320 - 19 * k, top - 8 - 9 * k, "a", "D")
    out += tj(235, top - 30, "0,10,$2", size=8)  # an arc's label: capacity and cost
    return out


def test_labels_and_glyphs_of_a_diagram_drawn_with_a_font_are_no_lines_of_the_text():
    page = (prose("Before", 720) + xy_graph(640)
            + tj(150, 520, "Fig. 1. An example of the minimum cost flow problem shown above.")
            + prose("After", 490))
    text = parse_pdf(Path("graphs.pdf"), pdf_from_streams([page], FONTS)).text
    for gone in ("v1", "v2", "v3", "v4", "0,10,$2"):
        assert gone not in text.split(), gone
    assert "a a" not in text and "b" not in text.split()
    assert "Before line 3 of this paragraph goes on with some more words." in text
    assert "Fig. 1. An example of the minimum cost flow problem shown above." in text  # a sentence stays
    assert "After line 0 of this paragraph goes on" in text


def test_a_lone_drawing_glyph_and_far_apart_glyphs_make_no_diagram():
    # one arrow tip inline (below MIN_GLYPHS) is no diagram; two groups far apart are two
    assert diagram_boxes([((100, 100, 105, 105), 10.0)], []) == []
    glyphs = [((100 + 5 * k, 100, 105 + 5 * k, 105), 10.0) for k in range(3)]
    glyphs += [((400 + 5 * k, 600, 405 + 5 * k, 605), 10.0) for k in range(3)]
    boxes = diagram_boxes(glyphs, [(50, 300, 550, 301)])  # a rule far from both: not theirs
    assert boxes == [(85.0, 85.0, 130.0, 120.0), (385.0, 585.0, 430.0, 620.0)]


def test_a_rule_touching_the_glyphs_extends_the_diagram_to_its_end_label():
    glyphs = [((300 + 5 * k, 500, 305 + 5 * k, 505), 10.0) for k in range(3)]
    (box,) = diagram_boxes(glyphs, [(150, 502, 300, 503)])  # v1 ——→ v2: the rule reaches left
    assert box[0] == 135.0 and box[2] == 330.0


def test_a_running_header_set_below_the_top_margin_is_dropped_with_its_page_number():
    # LaTeX with wide margins: the header ("Chapter 1. Guide" + page number flush right) sits
    # 100 pt down (12.6% of the page), outside the 9% margin
    pages = []
    for k in range(6):
        number = 7 + k
        head = tj(93, 692, "Chapter 1. Guide" if k % 2 else "1.2. Brief tutorial") + tj(510, 692, str(number))
        pages.append(head + prose(f"Page{k}", 656))
    doc = parse_pdf(Path("manual.pdf"), pdf_from_streams(pages, FONTS))
    text = doc.text
    assert "Guide" not in text and "Brief tutorial" not in text
    assert not any(str(n) in text.split() for n in range(7, 13))
    assert "Page0 line 3 of this paragraph goes on with some more words.\n\nPage1 line 0" in text


def test_a_chapter_title_at_the_same_height_on_several_pages_is_no_running_header():
    # "Chapter 1", "Chapter 2", … open their chapters at one height, apart from the text, but set
    # larger than it; a code line at the top of several pages is not apart from the text below
    def page(top: Line) -> list[Line]:
        body = [Line(f"Text line {k} of the chapter goes on", 93, 500, 600 - 14 * k, 12.0, False) for k in range(5)]
        return [top, *body]

    chapters = [page(Line(f"Chapter {k}", 93, 200, 680, 24.8, False)) for k in range(1, 5)]
    code = [page(Line("}", 93, 100, 614, 12.0, True)) for _ in range(4)]
    edges = running_edges(chapters + code)
    assert edges == set()
    for lines in chapters + code:
        assert content_lines(lines, 792.0, set(), None, edges)[0] is lines[0]


def test_short_indented_lines_of_a_format_block_keep_their_lines_inside_the_sentence():
    # cddlib's file formats: a LaTeX tabular of short rows shown inside a sentence ("... for P is"
    # / rows / "where numbertype ..."); joined, they read as "begin m d + 1 numbertype end"
    full = "The Polyhedra format of the system of m inequalities in d variables is given here and it"
    page = prose("Every", 756) + tj(72, 700, full) + tj(72, 686, "is written as")
    for k, row in enumerate(["various comments", "H-representation", "begin", "m d + 1 numbertype", "end"]):
        page += tj(95, 660 - 14 * k, row)
    page += tj(72, 580, "where numbertype can be one of integer, rational or real, as the rest of this page explains")
    page += tj(72, 566, "in a few more words of prose to end this paragraph.")
    text = parse_pdf(Path("cdd.pdf"), pdf_from_streams([page], FONTS)).text
    assert text.split("\n\n")[1] == (f"{full} is written as\nvarious comments\nH-representation\nbegin\nm d + 1 numbertype\nend\n"
                    "where numbertype can be one of integer, rational or real, as the rest of this page explains "
                    "in a few more words of prose to end this paragraph.")
