"""Issue 10, round 15 (derivative, physics, messagepassing, mismath and glpk's gmpl were the
development set): labels of a TikZ drawing placed one by one are no lines of the text (and the
caption after it no part of the sentence it floated into); a footnote that PDFium joined to a
page's last, hyphenated line is a line of its own; an index of options set in typewriter,
grouped under words, is an index; the body of an algorithm displayed in a sentence is part of
the display."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_displays import display_spans
from fineflow_desktop.core.ingest.pdf_furniture import index_lines
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line, page_lines
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing
from fineflow_desktop.core.ingest.pdf_terms import margin_cells, margin_notes


def tj(x: float, y: float, text: str, font: str = "R", size: float = 10) -> str:
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def prose(first_words: str, y: float, end: str = ".") -> str:
    return "".join(tj(72, y - 12 * k, f"{first_words} line {k} of this paragraph goes on with some more words"
                      + (end if k == 3 else "")) for k in range(4))


def timeline(top: float, labels: list[tuple[float, float, str]]) -> str:
    """A TikZ-like drawing in the page's content: two process lines (rules), three messages at a
    slant and a curved arc; *labels* ``(x, y, text)`` set as ordinary text, in the given order."""
    out = "".join(tj(x, y, text) for x, y, text in labels)
    out += f"0.4 w 140 {top + 3} m 450 {top + 3} l S\n140 {top - 37} m 450 {top - 37} l S\n"
    for k in range(3):
        out += f"{170 + 60 * k} {top + 3} m {210 + 60 * k} {top - 37} l S\n"
    return out + f"320 {top + 3} m 330 {top + 20} 350 {top + 20} 360 {top + 3} c S\n"


def test_labels_placed_one_by_one_in_a_drawing_are_no_lines_of_the_text():
    # messagepassing.pdf: TikZ writes each node where the picture's code names it ("p", "q" down
    # the left, then "m1" back up, the axis under it), no form around them; they read as a torn
    # fragment "p q m1 0 1 2 3 4 5" inside the paragraph around the figure
    page = (prose("Before", 720) + timeline(640, [(130, 640, "p"), (130, 600, "q"), (200, 650, "m1"),
                                                  (300, 592, "0 1 2 3 4 5")])
            + tj(150, 560, "Execution 1: An example of message passing between processes.") + prose("After", 530))
    text = parse_pdf(Path("messagepassing.pdf"), pdf_from_streams([page], {"R": "Helvetica"})).text
    for gone in ("p", "q", "m1", "0 1 2 3 4 5"):
        assert gone not in text.split("\n") and f" {gone} " not in f" {text} ", gone
    assert "Before line 3 of this paragraph goes on with some more words." in text
    assert "Execution 1: An example of message passing between processes." in text


def test_labels_of_a_drawing_set_in_reading_order_stay():
    # a legend beside a drawing, the operands of an arrow ("A" / "B" of mhchem's arrow samples):
    # set top to bottom, left to right, as text is; round 14's rule dropped them (erlang's legends)
    page = (prose("Before", 720) + timeline(640, [(130, 650, "Legend"), (130, 636, "worker"), (300, 620, "A"),
                                                  (400, 620, "B")]) + prose("After", 560))
    text = parse_pdf(Path("legend.pdf"), pdf_from_streams([page], {"R": "Helvetica"})).text
    for kept in ("Legend", "worker", "A", "B"):
        assert f" {kept} " in f" {' '.join(text.split())} ", kept


def test_a_caption_after_a_figure_inside_a_sentence_follows_its_paragraph():
    # the float went to the next page's top, inside the sentence "If, in addition," / [figure] /
    # "Execution 1: …" / "annotatevertical is set, …": the caption came in between
    def at(text, x0, y, page, x1=507.0, page_start=False, after_figure=False):
        ln = Line(text, x0, x1, y, 10.0, False, y, [], page, page_start)
        ln.after_figure = after_figure
        return ln

    lines = [at(f"Line {k} of the package options, drawn with time going from top to bottom instead", 154.0,
                200.0 - 12 * k, 1) for k in range(3)]
    lines += [
        at("of from left to right. Doing so, almost all labels are rotated as well. If, in addition,", 154.0, 164.0, 1),
        at("Execution 1: An example of message passing", 233.0, 520.8, 2, 428.0, page_start=True, after_figure=True),
        at("annotatevertical is set, then annotations (including named coloured boxes) are", 154.0, 487.4, 2),
        at("rotated as well.", 154.0, 475.4, 2, x1=236.0),
    ]
    assert paragraphs(lines) == [
        " ".join(f"Line {k} of the package options, drawn with time going from top to bottom instead" for k in range(3))
        + " of from left to right. Doing so, almost all labels are rotated as well. If, in addition, annotatevertical"
        " is set, then annotations (including named coloured boxes) are rotated as well.",
        "Execution 1: An example of message passing"]
    # text after the figure that does not go on with the sentence: the caption stays where it is
    lines[5] = at("Annotations are set, then annotations (including named coloured boxes) are", 154.0, 487.4, 2)
    text = "\n\n".join(paragraphs(lines))
    assert text.index("Execution 1: An example") < text.index("Annotations are set")


def test_a_footnote_joined_to_a_hyphenated_last_line_is_a_line_of_its_own():
    # mismath.pdf: the page's last line ends "thanks to the es-" and PDFium joined the first
    # footnote ("3Due to …", smaller, lower) to it at the hyphen: one line, the note inside the
    # sentence, which goes on on the next page ("vect package of Eddie Saudrais")
    page1 = (prose("Before", 300)
             + tj(72, 242, "By default the command produces vectors with arrows, thanks to the es-")
             + tj(80, 226, "3", size=6) + tj(84, 223, "Due to this command redefinition, there is an incompatibility with", size=8)
             + tj(72, 213, "beamer when using it with accents in beamer titles.", size=8))
    page2 = tj(72, 700, "vect package of Eddie Saudrais, which are more elegant than those produced by") + prose("More", 688)
    data = pdf_from_streams([page1, page2], {"R": "Times-Roman"})
    texts = [ln.text for ln in page_lines(pdfium.PdfDocument(data)[0])]
    assert "By default the command produces vectors with arrows, thanks to the es-" in texts
    assert "3Due to this command redefinition, there is an incompatibility with" in texts
    text = parse_pdf(Path("mismath.pdf"), data).text
    assert "thanks to the esvect package of Eddie Saudrais" in text
    # (round 17: the note's mark is set apart, ``pdf_marks``)
    assert "\n\n[3] Due to this command redefinition" in text


def test_an_index_of_typewriter_entries_grouped_under_words_is_an_index():
    # derivative.pdf's "Index of Options": the options' names in typewriter (no leaders), the
    # entries without a code font set in roman, each group under a word at the entries' x
    def at(text, y, mono=False, x0=112.0):
        return Line(text, x0, x0 + 6 * len(text), y, 9.0, mono, y)

    lines = [at("Numbers in bold refer to the page where the entry is defined.", 705.0)]
    y = 653.0
    for group, entries in (("delims", ["delims-eval, 12", "delims-frac, 13", "delims-var, 13, 20", "delims-var-*, 20"]),
                           ("scale", ["scale-auto, 21", "scale-eval, 12", "scale-fun, 12", "scale-var, 12, 19"]),
                           ("sep", ["sep-begin, 20", "sep-end, 21", "sep-eval-sb, 15", "sep-inf-ord, 14, 20"])):
        lines.append(at(group, y))
        for e in entries:
            y -= 12.0
            lines.append(at(e, y, mono="*" in e or e.count(",") == 1 and not e.startswith("sep-")))
        y -= 23.0
    assert index_lines(lines) == set(range(1, len(lines)))
    # a page of code whose lines are mostly other code is no index
    code = [at(f"call(x{k}, y{k});", 600.0 - 12 * k, True) for k in range(12)] + [at("x, 1", 400.0, True)]
    assert index_lines(code) == set()


def test_the_body_of_an_algorithm_set_in_under_its_rows_is_part_of_the_display():
    # gmpl.pdf: "for all i ∈ A do" / "for all (j, k) ∈ B do" / "for all l ∈ C do" / "action;",
    # each set in under the one before, displayed inside a sentence; "action;" (no math font)
    # ended the display and stood as a torn fragment between "… do" and "where …"
    def at(text, x0, x1, y, math=0.0):
        ln = Line(text, x0, x1, y, 10.9, False, y)
        ln.math = math
        return ln

    lines = [
        at("Although MathProg is not a procedural language, for any indexing expression an equivalent", 88.3, 539.0, 709.0),
        at("algorithmic description can be given. In particular, the algorithmic description of the indexing", 72.5, 539.4, 695.5),
        at("expression above could look like follows:", 72.3, 262.3, 681.9),
        at("for all i ∈ A do", 249.0, 326.4, 664.4, 0.27),
        at("for all (j, k) ∈ B do", 264.9, 363.1, 650.8, 0.33),
        at("for all l ∈ C do", 280.8, 358.4, 637.3, 0.27),
        at("action;", 297.5, 327.7, 623.7),
        at("where the dummy indices i, j, k, l are consecutively assigned corresponding components of n-tuples", 72.2, 539.6, 606.1),
        at("from the basic sets A, B, C.", 72.4, 200.0, 592.5),
    ]
    assert display_spans(lines, 72.3, 539.6, LineSpacing(lines), lambda t: False) == {3: 7}
    assert paragraphs(lines)[0].split("\n")[1:] == [
        "for all i ∈ A do for all (j, k) ∈ B do for all l ∈ C do action;",
        "where the dummy indices i, j, k, l are consecutively assigned corresponding components of n-tuples "
        "from the basic sets A, B, C."]


def test_names_in_the_margin_beside_a_paragraph_are_its_terms():
    # mismath.pdf (ltxdoc's \DescribeMacro): "\inumber", "\jnumber" set flush right in the left
    # margin, on the baselines of the paragraph's second and third lines; PDFium reads them as
    # lines of their own before those lines, and they cut the sentence as a code block
    def at(text, x0, x1, y, mono=False):
        return Line(text, x0, x1, y, 9.6, mono, y)

    lines = [at(f"Line {k} of the text before, which fills the measure of the page with words and words.", 154.0, 507.0,
                640.0 - 12 * k) for k in range(2)]
    lines += [
        at("Nevertheless, it can be tiresome to type a lot of backslashes in a document with", 168.9, 507.2, 604.5),
        at("\\inumber", 103.0, 142.5, 592.5, mono=True),
        at("\\jnumber", 103.0, 142.5, 580.6, mono=True),
        at("many formulas containing e or i. So a way is proposed here to free of it by placing", 154.0, 507.3, 592.5),
        at("the macros in the preamble: e, i or j will then automatically be set in roman.", 154.3, 480.0, 580.6),
    ]
    out = paragraphs(lines)
    assert out[-1] == ("\\inumber\n\\jnumber\n: Nevertheless, it can be tiresome to type a lot of backslashes in a "
                       "document with many formulas containing e or i. So a way is proposed here to free of it by "
                       "placing the macros in the preamble: e, i or j will then automatically be set in roman.")
    # a table's first column inside the text block, and a term over its text on a line of its own,
    # are no margin notes
    assert margin_notes(lines, 154.0, 507.0) == {3: 5, 4: 6}
    assert margin_notes([at("-d", 120.0, 130.0, 600.0), *lines[:2]], 154.0, 507.0) == {}


def test_a_margin_term_beside_an_indented_first_line_goes_on_at_the_edge():
    # "\Par" in the margin beside "The \P command already existed … and" (indented 1.5 em), the
    # sentence going on at the text's edge: one definition, not a definition and a paragraph
    def at(text, x0, x1, y, cells=None):
        return Line(text, x0, x1, y, 9.6, False, y, cells or [])

    lines = [
        at("\\Par The \\P command already existed to refer to the end of paragraph symbol and", 123.2, 507.0, 352.2,
           [(123.2, "\\Par"), (168.8, "The \\P command already existed to refer to the end of paragraph symbol and")]),
        at("has been redefined, but this symbol can still be obtained with \\Par.", 153.9, 436.8, 340.2),
        at("\\probastyle Some authors use blackboard bold font to represent probability, expectation and", 87.8, 507.0,
           324.3, [(87.8, "\\probastyle"),
                   (169.2, "Some authors use blackboard bold font to represent probability, expectation and")]),
        at("variance: P, E, V. The \\probastyle macro sets the appearance of these letters for the whole", 153.7, 506.4, 312.4),
        at("document, which has to be set in the preamble.", 154.1, 408.8, 300.4),
    ]
    assert paragraphs(lines) == [
        "\\Par\n: The \\P command already existed to refer to the end of paragraph symbol and has been redefined, "
        "but this symbol can still be obtained with \\Par.",
        "\\probastyle\n: Some authors use blackboard bold font to represent probability, expectation and variance: "
        "P, E, V. The \\probastyle macro sets the appearance of these letters for the whole document, which has to be "
        "set in the preamble."]


def test_a_margin_name_read_as_the_first_part_of_an_indented_line_starts_its_entry():
    # mismath.pdf: "\enumber" in the margin and "Nevertheless, …" (indented 1.5 em) read by PDFium
    # as one line of two parts; it ran on from the paragraph before, its note inside the text
    def at(text, x0, x1, y, cells=None, mono=False):
        return Line(text, x0, x1, y, 9.6, mono, y, cells or [])

    lines = [at(f"Line {k} of the text before, which fills the measure of the page with words and words.", 154.0, 507.0,
                640.0 - 12 * k) for k in range(2)]
    lines += [
        at("line 〈line〉. Te new definition of \\i and \\j concerns only mathematical mode.", 154.3, 489.4, 621.4),
        at("\\enumber Nevertheless, it can be tiresome to type a lot of backslashes in a document with", 103.0, 507.2,
           604.5, [(103.0, "\\enumber"), (168.9, "Nevertheless, it can be tiresome to type a lot of backslashes in a "
                                                "document with")]),
        at("\\inumber", 103.0, 142.5, 592.5, mono=True),
        at("many formulas containing e or i. So a way is proposed here to free of it by placing", 154.0, 507.3, 592.5),
        at("the macros in the preamble: e, i or j will then automatically be set in roman.", 154.3, 480.0, 580.6),
    ]
    out = paragraphs(lines)
    assert out[-2].endswith("concerns only mathematical mode.")
    assert out[-1].startswith("\\enumber\n\\inumber\n: Nevertheless, it can be tiresome")
    # a man page's option beside its text (no paragraph indent) keeps its own reading
    opts = [at("-d A synonym for -depth, for compatibility with FreeBSD, NetBSD, MacOS X and OpenBSD and", 120.0, 507.0,
               500.0, [(120.0, "-d"), (154.0, "A synonym for -depth, for compatibility with FreeBSD, NetBSD, MacOS X "
                                           "and OpenBSD and")]),
            at("others, set at the text's edge under its first line, which ends here with these words.", 154.0, 507.0, 488.0)]
    assert margin_cells(lines[:2] + opts, 154.0, 507.0)[1] == {}
    assert margin_cells(lines, 154.0, 507.0)[1] == {3: ["\\enumber"]}


def test_a_star_or_hyphen_before_a_word_is_no_bullet():
    # "*" sets off a list item only before a space, like "-": C pointers ("const fmpz" / "*poly2,
    # slong len2)", flint.pdf) and globs ("*_source.changes", developers-reference.pdf) that a
    # wrapped line starts with are the sentence going on, not items
    lines = [
        Line("If possible, the version of a package that is uploaded should be a source-only changes file, typically named",
             72.0, 539.0, 700.0, 10.0, False, 700.0),
        Line("*_source.changes, and reference the source package, but no binary packages.", 72.0, 400.0, 688.0, 10.0,
             False, 688.0),
        Line("* an item of a list set with stars", 72.0, 300.0, 660.0, 10.0, False, 660.0),
    ]
    assert paragraphs(lines) == [
        "If possible, the version of a package that is uploaded should be a source-only changes file, typically named "
        "*_source.changes, and reference the source package, but no binary packages.",
        "- an item of a list set with stars"]


def test_a_definition_run_right_after_a_line_broken_block_does_not_crash(monkeypatch):
    # minibox.pdf, l3news08.pdf, floatrow.pdf (the PDF sweep's 3 crashes of 3,387 files): a
    # line-broken block, then term lines of a definition, then its text starting in lower case
    # read the empty entry's last paragraph: IndexError
    from fineflow_desktop.core.ingest import pdf_layout

    lines = [Line("h", 181, 187, 700, 10.0, False, 700), Line("abcd", 274, 298, 688, 10.0, False, 688),
             Line("efg goes on under its term", 300, 450, 676, 10.0, False, 676),
             Line("and ends its sentence here.", 300, 460, 664, 10.0, False, 664)]
    monkeypatch.setattr(pdf_layout, "broken_blocks", lambda *a, **k: {0})
    monkeypatch.setattr(pdf_layout, "term_runs", lambda *a, **k: {1: 2})
    out = paragraphs(lines)
    assert out[0] == "h" and out[-1].startswith("abcd\n: efg goes on under its term")
