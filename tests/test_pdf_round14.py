"""Issue 10, round 14 (round 13's held-out PDFs were the development set): justified prose whose
widened sentence spaces look like cell gaps is prose, not a table, and a line of text displayed
inside a sentence stays in it (plain TeX, pari's INSTALL.pdf); a display fraction's denominator
set under its numerator is a word of its own (maximabook.pdf's 4/9, read "49" since round 13)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_runs import join_offset_runs

SIZE = 9.96


def line(text, x0, y, x1=539.5, cells=None):
    return Line(text, x0, x1, y, SIZE, False, y, cells or [])


def test_justified_lines_of_short_sentences_are_prose_not_table_rows():
    # plain TeX widens the space after a period; justified, it passed a cell gap twice a line on
    # two consecutive lines of three cells each: they were read as two rows of a centred table
    lines = [
        line("4.3. The GPRC file. Copy the file misc/gprc.dft (or gprc.dos if you are using GP.EXE) to", 72.3, 508.3,
             cells=[(72.3, "4.3."), (102.2, "The GPRC file."),
                    (186.4, "Copy the file misc/gprc.dft (or gprc.dos if you are using GP.EXE) to")]),
        line("$HOME/.gprc. Modify it to your liking. For instance, if you are not using an ANSI terminal,", 72.6, 495.2,
             x1=538.8, cells=[(72.6, "$HOME/.gprc."), (147.3, "Modify it to your liking."),
                              (277.6, "For instance, if you are not using an ANSI terminal,")]),
        line("remove control characters from the prompt variable. You can also enable colors.", 72.4, 482.1, x1=410.0),
    ]
    assert paragraphs(lines) == [
        "4.3. The GPRC file. Copy the file misc/gprc.dft (or gprc.dos if you are using GP.EXE) to $HOME/.gprc. "
        "Modify it to your liking. For instance, if you are not using an ANSI terminal, remove control characters "
        "from the prompt variable. You can also enable colors."]


def test_rows_of_centred_columns_whose_cells_are_not_sentences_stay_a_table():
    # the same positions with cells that end no clause: a table of centred columns
    lines = [
        line("Kernel Level Default", 72.3, 508.3, cells=[(72.3, "Kernel"), (102.2, "Level"), (186.4, "Default")]),
        line("gmp 1 auto.", 72.6, 495.2, cells=[(72.6, "gmp"), (147.3, "1"), (277.6, "auto.")]),
    ]
    assert paragraphs(lines) == ["Kernel | Level | Default\ngmp | 1 | auto."]


def test_a_line_of_text_displayed_inside_a_sentence_stays_in_it():
    # plain TeX's $$\hbox{…}$$: an indented line set apart above and below, no math font; the
    # sentence before it is not over and goes on in lower case after it
    lines = [
        line("You can build a special purpose binary in the .dbg or .prf directory and type make gp there.", 72.5, 590.5),
        line("3.4. Multiprecision kernel. The kernel can be specified via the", 72.5, 578.5, x1=387.9),
        line("--kernel=fully qualified kernel name", 94.4, 556.6, x1=271.1),
        line("switch. The PARI kernel consists of two levels: Level 0 (operation on words) and Level 1", 72.4, 534.7),
        line("(operation on multi-precision integers and reals), which can take the following values,", 72.4, 522.7),
        line("with or without the assembler kernel.", 72.4, 510.7, x1=300.0),
    ]
    assert paragraphs(lines) == [
        "You can build a special purpose binary in the .dbg or .prf directory and type make gp there. "
        "3.4. Multiprecision kernel. The kernel can be specified via the\n--kernel=fully qualified kernel name\n"
        "switch. The PARI kernel consists of two levels: Level 0 (operation on words) and Level 1 (operation on "
        "multi-precision integers and reals), which can take the following values, with or without the assembler kernel."]


def test_an_indented_line_after_a_finished_sentence_is_a_paragraph_of_its_own():
    # the sentence before it ended: the indented line is no display inside a sentence
    lines = [
        line("You can build a special purpose binary in the .dbg or .prf directory and type make gp there.", 72.5, 590.5),
        line("3.4. Multiprecision kernel. The kernel can be specified as follows.", 72.5, 578.5, x1=387.9),
        line("fully qualified kernel name", 94.4, 556.6, x1=271.1),
        line("switch. The PARI kernel consists of two levels: Level 0 (operation on words) and Level 1", 72.4, 534.7),
        line("(operation on multi-precision integers and reals), which can take the following values,", 72.4, 522.7),
        line("with or without the assembler kernel.", 72.4, 510.7, x1=300.0),
    ]
    out = paragraphs(lines)
    assert "fully qualified kernel name" in out and not any("kernel name\nswitch" in p for p in out)


def test_a_display_fraction_under_its_numerator_is_a_word_of_its_own():
    # maximabook's (%o17): "… x2 +" then the fraction 4/9 in text size, "9" right under "4"
    # (1.36 em lower, starting 0.44 em left of the 4's end): it read "x2 + 49"
    # (PDFium's runs of "5x − 8/27 d/dx x² + 4/9", the line's main run spanning 8/27 and d/dx)
    runs = [Line("5 x −", 249.8, 269.8, 617.7, 10.0, False, 617.7), Line("8", 277.1, 281.1, 624.5, 10.0, False, 624.5),
            Line("27 d", 274.3, 312.3, 610.9, 10.0, False, 624.5), Line("d x", 304.1, 315.6, 610.9, 10.0, False, 610.9),
            Line("x", 326.7, 331.4, 617.7, 10.0, False, 617.7), Line("2 +", 331.7, 345.0, 621.9, 10.0, False, 617.7),
            Line("4", 349.1, 353.7, 624.5, 10.0, False, 624.5), Line("9", 349.3, 353.6, 610.9, 10.0, False, 610.9)]
    assert [ln.text for ln in join_offset_runs(runs)] == ["5 x −", "8", "27 d d x x2 + 4 9"]


def test_a_subscript_set_back_under_a_prime_stays_joined():
    # v′₂: the subscript (script size) starts back under the prime, 0.55 em lower: no word of its own
    v = Line("v", 100.0, 105.0, 500.0, 10.0, False, 500.0)
    prime = Line("′", 105.2, 108.0, 503.6, 7.0, False, 503.6)
    sub = Line("2", 105.4, 109.0, 498.5, 7.0, False, 498.5)
    assert [ln.text for ln in join_offset_runs([v, prime, sub])] == ["v′2"]


def tj(x: float, y: float, text: str, font: str = "R", size: int = 10) -> str:
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def prose(first_words: str, y: float) -> str:
    return "".join(tj(72, y - 12 * k, f"{first_words} line {k} of this paragraph goes on with some more words"
                      + ("." if k == 3 else "")) for k in range(4))


def test_rules_and_boxes_without_curves_or_slants_make_no_drawing():
    # a table's rules and shaded cells are axis-parallel: its cells stay text
    page = prose("Before", 720) + "0.4 w 72 650 m 400 650 l S\n72 600 m 400 600 l S\n"
    for k in range(5):
        page += f"0.9 g {72 + 60 * k} 610 50 30 re f\n0 g\n" + tj(80 + 60 * k, 620, f"c{k}")
    text = parse_pdf(Path("table.pdf"), pdf_from_streams([page], {"R": "Helvetica"})).text
    assert all(f"c{k}" in text for k in range(5))


def test_a_label_over_its_indented_text_is_no_sentence_running_into_a_display():
    # Doxygen's "Returns" over its indented text, a function's signature after it (in lower case):
    # the label is no sentence going on, so its text is a definition, not a display inside it
    lines = [line(f"Line {k} of the description of a test function with a long name and several arguments,", 72.0, 636.0 - 12 * k)
             for k in range(4)]
    lines += [
        line("all of them documented here.", 72.0, 588.0, x1=250.0),
        line("Returns", 72.0, 566.0, x1=110.0),
        line("The test results", 95.0, 544.0, x1=170.0),
        line("testMeToo() virtual void QTstyle_Test::testMeToo (char c1, char c2)", 72.0, 522.0, x1=400.0),
        line("Another line of the entry that goes on for a while with words and words and more words", 72.0, 510.0),
        line("and the entry ends here.", 72.0, 498.0, x1=300.0),
    ]
    assert not any("Returns\nThe test results" in p for p in paragraphs(lines))


def test_a_line_of_a_definition_at_its_indent_is_no_display():
    # Debian policy's entries: text at the definition's indent, the next line at that indent too
    lines = [line(f"Line {k} of the introduction to the targets that a source package must provide,", 72.0, 636.0 - 12 * k)
             for k in range(4)]
    lines += [
        line("and the introduction ends with this line of many words in the", 72.0, 588.0, x1=400.0),
        line("build-arch and build-indep targets must not", 95.0, 566.0, x1=300.0),
        line("require root privilege; binary targets build the binary packages", 95.0, 544.0, x1=420.0),
        line("produced from this source package and end here.", 95.0, 532.0, x1=380.0),
    ]
    assert not any("in the\nbuild-arch and build-indep targets must not\nrequire" in p for p in paragraphs(lines))


def test_footnotes_inside_a_sentence_that_goes_on_on_the_next_page_come_after_it():
    # messagepassing.pdf: the page ends inside a sentence, its footnotes (8 pt under 10 pt text)
    # follow at the foot, and the sentence goes on at the next page's top
    def at(text, x0, y, page, size=10.0, x1=507.0, page_start=False):
        return Line(text, x0, x1, y, size, False, y, [], page, page_start)

    lines = [at(f"Line {k} of the package options, drawn with time going from top to bottom instead", 154.0,
                200.0 - 12 * k, 1) for k in range(3)]
    lines += [
        at("of from left to right. Doing so, almost all labels are rotated as well. If, in addition,", 154.0, 164.0, 1),
        at("∗This document corresponds to messagepassing v1.0, dated 2022/02/18.", 165.0, 137.0, 1, 8.0, 430.0),
        at("1Annotations are not rotated, unless explicitly asked.", 166.0, 128.0, 1, 8.0, 362.0),
        at("annotatevertical is set, then annotations (including named coloured boxes) are", 154.0, 700.0, 2,
           page_start=True),
        at("rotated as well.", 154.0, 688.0, 2, x1=236.0),
    ]
    notes = ["∗This document corresponds to messagepassing v1.0, dated 2022/02/18.",
             "1Annotations are not rotated, unless explicitly asked."]
    # a sentence ended by a note mark ("Sweden.2", glpk's cnfsat.pdf) is over: nothing is moved
    ended = [*lines[:3], replace(lines[3], text="of from left to right, by Niklas Sörensson, Sweden.2"), *lines[4:]]
    out = paragraphs(ended)
    assert out.index(notes[0]) < len(out) - 1 and out[-1].startswith("annotatevertical is set")
    assert paragraphs(lines) == [
        " ".join(f"Line {k} of the package options, drawn with time going from top to bottom instead" for k in range(3))
        + " of from left to right. Doing so, almost all labels are rotated as well. If, in addition, annotatevertical"
        " is set, then annotations (including named coloured boxes) are rotated as well.", *notes]
