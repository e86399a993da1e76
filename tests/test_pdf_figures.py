"""Issue 10, round 6 (asymptote.pdf, a texinfo PDF with Asymptote figures, was the development
file): a texinfo index (leaders before lists of pages), text inside vector figures, flush-right
"labels" that are only a justified line's stretched space, and example lines under a short line
of prose. Real PDFs built here (content streams placed by hand, read by PDFium via ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_runs import join_offset_runs

FONTS = {"R": "Helvetica", "B": "Helvetica-Bold", "T": "Courier"}


def tj(x: float, y: float, text: str, font: str = "R", size: int = 10) -> str:
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def parse(streams: list[str], **kw) -> str:
    return parse_pdf(Path("manual.pdf"), pdf_from_streams(streams, FONTS, **kw)).text


def prose(first_words: str, y: float = 700) -> str:
    out = ""
    for k in range(4):
        end = "." if k == 3 else ""
        out += tj(72, y, f"{first_words} line {k} of this paragraph goes on with some more words{end}")
        y -= 12
    return out


def test_a_texinfo_index_with_leaders_before_lists_of_pages_is_dropped_with_its_group_letters():
    # texinfo's @printindex: two columns, a leader before every entry's page list, group letters
    entries = [("a4", "5"), ("abs", "25, 26, 69"), ("add", "51, 139"), ("alias", "58, 73"),
               ("animate", "4, 56, 96"), ("antialias", "138, 169"), ("arc", "31, 140")]
    leaders = " ." * 30
    index = tj(72, 720, "A", "B", 12) + tj(320, 720, "B", "B", 12)
    for k, (term, pages) in enumerate(entries):
        y = 700 - 12 * k
        index += tj(72, y, f"{term}{leaders[: 60 - 2 * len(term)]} {pages}")
        index += tj(320, y, f"b{term}{leaders[: 58 - 2 * len(term)]} {pages}")
    text = parse([prose("Chapter"), index])
    assert text == ("Chapter line 0 of this paragraph goes on with some more words Chapter line 1 of this "
                    "paragraph goes on with some more words Chapter line 2 of this paragraph goes on with some "
                    "more words Chapter line 3 of this paragraph goes on with some more words.")


def graph_figure() -> str:
    """An Asymptote-like graph: axes and a curve (paths), tick labels and axis names (text)."""
    draw = "0.5 w 100 420 m 400 420 l S 100 420 m 100 600 l S 100 420 m 200 560 300 480 400 590 c S\n"
    labels = "".join(tj(95 + 60 * k, 405, str(1990 + 2 * k)) for k in range(6))
    labels += "".join(tj(80, 420 + 40 * k, f"{k * 0.5:.1f}") for k in range(5))
    labels += tj(240, 392, "sediment depth (cm)") + tj(300, 560, "A B C")
    labels += tj(150, 590, "Initial no. of mosquitoes per bird (SM0 /NB0)")  # an axis title of 8 words
    return draw + labels


def test_labels_inside_a_drawn_figure_are_no_lines_of_the_text():
    page = (prose("Before", 720)
            + "q 1 0 0 1 0 0 cm /Fm0 Do Q\n"
            + tj(72, 360, "The figure above shows the survival of birds by the initial number of mosquitoes,")
            + tj(72, 348, "as the example westnile.asy draws it from its data."))
    text = parse([page], forms={"Fm0": ((60, 380, 460, 620), graph_figure())})
    assert text.endswith("Before line 3 of this paragraph goes on with some more words.\n\n"
                         "The figure above shows the survival of birds by the initial number of mosquitoes, "
                         "as the example westnile.asy draws it from its data.")
    for gone in ("1990", "0.5", "sediment", "A B C", "mosquitoes per bird"):
        assert gone not in text, gone


def test_a_form_of_text_only_or_a_figure_of_sentences_stays():
    # a formula typeset apart and placed as a form (no paths): text of the page
    formula = tj(200, 560, "(1 - t)3 z0 + 3t(1 - t)2 c0")
    # a typeset page shown as a figure (a frame drawn around it): its sentences stay
    shown = ("0.5 w 80 380 m 460 380 l 460 500 l 80 500 l h S\n"
             + tj(90, 480, "Here is a venn diagram produced with Asymptote, drawn to width 4cm:")
             + tj(200, 440, "A B")
             + tj(90, 400, "Each graph is drawn in its own environment, as this page shows."))
    page = prose("Before", 720) + "q /Fm0 Do Q\nq /Fm1 Do Q\n"
    text = parse([page], forms={"Fm0": ((190, 550, 420, 575), formula), "Fm1": ((70, 370, 470, 510), shown)})
    assert "(1 - t)3 z0 + 3t(1 - t)2 c0" in text
    assert "Here is a venn diagram produced with Asymptote, drawn to width 4cm:" in text
    assert "Each graph is drawn in its own environment, as this page shows." in text


def ln(text: str, x0: float, y: float, x1: float = 521.5, cells=(), y_end: float | None = None) -> Line:
    return Line(text, x0, x1, y, 10.9, False, y if y_end is None else y_end, list(cells))


def test_a_stretched_sentence_space_before_a_justified_line_s_last_words_is_no_label():
    lines = [
        ln("The default color is black; this may be changed with the routine defaultpen(pen).", 112, 270, 521),
        # TeX stretched the space after "pen." past 1 em: two parts, the second flush right
        ln("The function real[] colors(pen) returns the color components of a pen. The", 112, 227,
           cells=[(112, "The function real[] colors(pen) returns the color components of a pen."), (500, "The")]),
        ln("functions pen gray(pen) and pen rgb(pen) return new pens obtained by converting", 112, 214),
        ln("their arguments to the respective color spaces.", 112, 201, 330),
        # PDFium joined this line with the next at a line-end hyphen: "A simple" starts the next line
        ln("This module provides a facility for making slides, including animations. A simple", 90, 665,
           cells=[(90, "This module provides a facility for making slides, including animations."), (480, "A simple")],
           y_end=652),
        ln("example is provided in slidedemo.asy.", 90, 639, 278),
    ]
    assert paragraphs(lines) == [
        "The default color is black; this may be changed with the routine defaultpen(pen).",
        "The function real[] colors(pen) returns the color components of a pen. The functions pen gray(pen) and "
        "pen rgb(pen) return new pens obtained by converting their arguments to the respective color spaces.",
        "This module provides a facility for making slides, including animations. A simple example is provided "
        "in slidedemo.asy.",
    ]


def test_a_flush_right_label_beside_a_definition_line_stays_a_label():
    lines = [
        ln("Function: void bar (int x) [Function]", 90, 600, cells=[(90, "Function: void bar (int x)"), (470, "[Function]")]),
        ln("Bars the value x and returns nothing at all, as the example shows.", 126, 587, 480),
    ]
    assert paragraphs(lines) == ["Function: void bar (int x) [Function]\n: Bars the value x and returns nothing at all, "
                                 "as the example shows."]


def code(text: str, x0: float, y: float) -> Line:
    return Line(text, x0, x0 + 6.5 * len(text), y, 10.9, True, y)


def test_an_example_line_after_a_short_line_of_prose_is_code_not_inline_and_no_term():
    # texinfo: "The command" / @example import graph; @end example / "is a convenient ..." set
    # with the paragraph indent; the example interrupts the sentence
    lines = [
        ln("Often, one wants to use module functions without having to specify the module name,", 90, 600),
        ln("as the next examples show.", 90, 587, 240),
        ln("The command", 105, 571, 173),
        code("import graph;", 91, 554),
        ln("is a convenient abbreviation for the commands", 105, 536, 328),
        code("access graph;", 91, 519),
        code("unravel graph;", 91, 506),
        ln("That is, import graph first loads a module into a structure called graph and then adds", 105, 490),
        ln("its non-private fields and types to the local environment.", 90, 477, 400),
    ]
    assert paragraphs(lines)[1:] == [
        "The command",
        "```\nimport graph;\n```",
        "is a convenient abbreviation for the commands",
        "```\naccess graph;\nunravel graph;\n```",
        "That is, import graph first loads a module into a structure called graph and then adds its non-private "
        "fields and types to the local environment.",
    ]


def test_inline_code_wrapped_after_a_full_line_stays_in_its_sentence_and_a_code_term_stays_a_term():
    lines = [
        ln("A full line of prose that the typesetter wrapped right before an identifier set in", 90, 600),
        code("a_long_function_name(x)", 90, 587),
        ln("goes on with its sentence here.", 90, 574, 300),
        # texinfo "@table @code": a finished sentence, then the term alone, its text indented under it
        code("--output=FILE", 90, 550),
        ln("Write the result to FILE instead of the standard output stream.", 126, 537, 480),
    ]
    assert paragraphs(lines) == [
        "A full line of prose that the typesetter wrapped right before an identifier set in a_long_function_name(x) "
        "goes on with its sentence here.",
        "--output=FILE\n: Write the result to FILE instead of the standard output stream.",
    ]


def test_one_letter_lines_of_a_formula_on_a_contents_page_stay():
    # a paper's contents, then its introduction on the same page: a display formula's pieces
    # ("M =", the sum's limit "N") are one-letter lines too, but set at the text's size
    leaders = " ." * 30
    page = "".join(tj(72, 720 - 12 * k, f"{k + 1} Section number {k + 1}{leaders} {k + 2}") for k in range(4))
    page += tj(72, 640, "A message may be viewed either as a numeric value")
    page += tj(200, 628, "N") + tj(160, 616, "M =") + tj(190, 616, "sum of the bits")
    page += tj(72, 600, "or as a polynomial of a single variable.")
    text = parse([page])
    assert "N" in text.split() and "M" in text.split()


def row(text: str, cells: list[tuple[float, str]], y: float) -> Line:
    return Line(text, cells[0][0], 450, y, 10.0, False, y, cells)


def test_rows_of_centred_columns_are_table_rows():
    # gnuplot's function table (LaTeX "c" columns): every cell starts at another x
    lines = [
        row("Function Arguments Returns", [(113, "Function"), (190, "Arguments"), (300, "Returns")], 158),
        row("abs(x) any absolute value of x", [(120, "abs(x)"), (205, "any"), (280, "absolute value of x")], 145),
        row("acos(x) any cos-1 x (inverse cosine)", [(120, "acos(x)"), (206, "any"), (265, "cos-1 x (inverse cosine)")], 133),
        row("atan2(y,x) int or real tan-1 (y/x)", [(114, "atan2(y,x)"), (190, "int or real"), (270, "tan-1 (y/x)")], 121),
    ]
    assert paragraphs(lines) == ["Function | Arguments | Returns\nabs(x) | any | absolute value of x\n"
                                 "acos(x) | any | cos-1 x (inverse cosine)\natan2(y,x) | int or real | tan-1 (y/x)"]


def test_a_radical_sign_raised_above_its_line_joins_it():
    # TeX's radical (CMEX "p") has its baseline at its top, 8.5 pt above the row it stands in
    base = Line("abs(x) complex length of x,", 118.7, 343.9, 132.5, 10.0, False, 132.5)
    radical = Line("p", 349.0, 358.1, 141.0, 9.96, False, 141.0, math=1.0)
    rest = Line("real(x)2 + imag(x)2", 358.2, 442.1, 132.5, 10.0, False, 132.5)
    nxt = Line("acos(x) any cos-1 x (inverse cosine)", 120.1, 394.8, 120.5, 10.0, False, 120.5)
    assert [ln.text for ln in join_offset_runs([base, radical, rest, nxt])] == [
        "abs(x) complex length of x, preal(x)2 + imag(x)2", "acos(x) any cos-1 x (inverse cosine)"]
    # a raised letter of a text font over the line is no radical: it stays a line of its own
    label = Line("p", 349.0, 358.1, 141.0, 9.96, False, 141.0)
    assert len(join_offset_runs([base, label, rest])) == 3


def test_two_code_lines_after_a_full_prose_line_are_a_code_block():
    lines = [
        ln("While the tool provides many features by default, some applications require specialized", 90, 120),
        # the page's last line stops at 82% of the width: not short enough to end a paragraph
        ln("features contained in external modules. For instance, the lines", 90, 107, 443),
    ]
    top = [code("access graph;", 91, 684), code("graph.axes();", 91, 671),
           ln("draw x and y axes on a two-dimensional graph. Here, the command looks up the module.", 90, 655)]
    top[0].page_start = True
    assert paragraphs(lines + top) == [
        "While the tool provides many features by default, some applications require specialized features "
        "contained in external modules. For instance, the lines",
        "```\naccess graph;\ngraph.axes();\n```",
        "draw x and y axes on a two-dimensional graph. Here, the command looks up the module.",
    ]
