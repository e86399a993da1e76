"""Issue 10, round 14 (round 13's held-out PDFs were the development set): justified prose whose
widened sentence spaces look like cell gaps is prose, not a table (plain TeX, pari's INSTALL.pdf)."""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line

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
