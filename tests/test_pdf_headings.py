"""pdf_headings on lines built by hand: headings of a PDF without an outline, from typography."""

from __future__ import annotations

from pathlib import Path

import pytest

from fineflow_desktop.core.ingest.pdf_headings import body_edge, split_runs
from fineflow_desktop.core.ingest.pdf_lines import Line

BODY = 10.0


def line(text, x0, y, size=BODY, bold=False, x1=500.0, page=1, page_start=False, cells=None):
    return Line(text, x0, x1, y, size, False, y, cells or [], page, page_start, bold)


def paths(runs):
    return [(run[0], [ln.text for ln in run[1]]) for run in runs if run[1]]


def test_man_page_sections_subsections_and_terms():
    # groff -man: .SH bold capitals at the page margin, .SS bold half-way in, text indented;
    # a bold term with its definition indented under it is not a heading
    page = [
        line("NAME", 72, 760, bold=True, x1=105),
        line("bash - GNU Bourne-Again SHell", 108, 748),
        line("SHELL GRAMMAR", 72, 724, bold=True, x1=150),
        line("Simple Commands", 87, 700, bold=True, x1=165),
        line("A simple command is a sequence of words.", 108, 688),
        line("Shell Variables", 87, 664, bold=True, x1=150),
        line("The following variables are set by the shell:", 108, 652),
        line("BASHOPTS", 108, 628, bold=True, x1=160),
        line("A colon-separated list of enabled shell options.", 144, 616),
        line("Another paragraph of body text at the edge.", 108, 592),
        line("Yet another one at the body edge.", 108, 580),
        *[line(f"Filler line {k} of the body.", 108, 560 - 12 * k) for k in range(8)],
    ]
    assert body_edge([page], BODY) == 108
    assert paths(split_runs([page], BODY, [])) == [
        (["NAME"], ["bash - GNU Bourne-Again SHell"]),
        (["SHELL GRAMMAR", "Simple Commands"], ["A simple command is a sequence of words."]),
        (["SHELL GRAMMAR", "Shell Variables"], ["The following variables are set by the shell:", "BASHOPTS",
                                                "A colon-separated list of enabled shell options.",
                                                "Another paragraph of body text at the edge.",
                                                "Yet another one at the body edge.",
                                                *[f"Filler line {k} of the body." for k in range(8)]]),
    ]


def test_sizes_set_levels_numbering_and_a_wrapped_title():
    page = [
        line("2. How to use it", 72, 760, size=24.8, bold=True, x1=300),
        line("2.1. NAME", 72, 730, size=20.7, bold=True, x1=200),
        line("The name of the tool.", 72, 710),
        line("2.6. RECOVERING DATA FROM DAMAGED", 72, 680, size=20.7, bold=True, x1=450),
        line("files", 72, 656, size=20.7, bold=True, x1=130),  # the title's second line
        line("How to get data back.", 72, 636),
        line("3. Programming with it", 72, 600, size=24.8, bold=True, x1=300),
        line("3.1.1. Low-level summary", 72, 570, size=17.2, bold=True, x1=300),
        line("Functions for the low level. See below:", 72, 550),
        # a sentence in a larger font is not a heading, nor a line ending a clause
        line("Note that this is important.", 72, 520, size=14, x1=300),
    ]
    assert paths(split_runs([page], BODY, ["Manual"])) == [
        (["Manual", "2. How to use it", "2.1. NAME"], ["The name of the tool."]),
        (["Manual", "2. How to use it", "2.6. RECOVERING DATA FROM DAMAGED files"], ["How to get data back."]),
        (["Manual", "3. Programming with it", "3.1.1. Low-level summary"],
         ["Functions for the low level. See below:", "Note that this is important."]),
    ]


def test_a_bold_sentence_start_at_body_size_is_not_a_heading():
    page = [
        line("Intro text at the edge that runs on.", 72, 760),
        line("Bash is an sh-compatible command", 72, 736, bold=True),  # a bold paragraph's first line
        line("language interpreter.", 72, 724, bold=True),
        line("More text.", 72, 712),
    ]
    assert paths(split_runs([page], BODY, [])) == [([], [ln.text for ln in page])]


BASH_PDF = Path("/usr/share/doc/bash/bash.pdf")


@pytest.mark.skipif(not BASH_PDF.is_file(), reason="Debian's bash package ships bash.pdf (groff man page, no outline)")
def test_real_man_page_pdf_gets_section_headings_and_its_word_spaces():
    from fineflow_desktop.core.ingest import parse_file

    doc = parse_file(BASH_PDF)
    found = {tuple(s.heading_path) for s in doc.sections}
    assert ("OPTIONS",) in found and ("PARAMETERS", "Shell Variables") in found
    assert ("EXPANSION", "Pathname Expansion", "Pattern Matching") in found
    text = "\n".join(s.text for s in doc.sections)
    # Ghostscript placed these words without a space glyph; the glyph gap gives the space back
    assert "theyare" not in text and "they are read" in text


def test_a_bold_code_font_name_heads_its_prose_but_a_bold_command_over_output_does_not():
    def mono(text, y, bold=True):
        ln = line(text, 144, y, bold=bold, x1=220)
        ln.mono = True
        return ln

    page = [
        line("Elements of the configuration file are these.", 144, 780),
        mono("<selectfont>", 756),
        line("This element is used to list fonts from being matched.", 144, 740),
        mono("$ fc-list", 716),  # a command typed in bold, its output in the code font below
        mono("DejaVu Sans", 704, bold=False),
        *[line(f"Filler line {k} of the body.", 144, 680 - 12 * k) for k in range(6)],
    ]
    runs = paths(split_runs([page], BODY, []))
    assert runs[0] == ([], ["Elements of the configuration file are these."])
    assert runs[1][0] == ["<selectfont>"] and "$ fc-list" in runs[1][1]


def test_body_size_is_the_prose_size_even_when_code_lines_outnumber_it():
    from fineflow_desktop.core.ingest.pdf import body_size

    prose = [line(f"Prose {k}.", 72, 700 - 12 * k, size=10.0) for k in range(3)]
    code = [line(f"code {k}", 72, 600 - 10 * k, size=9.0) for k in range(5)]
    for ln in code:
        ln.mono = True
    assert body_size([prose + code]) == 10.0


def test_a_bold_term_right_under_a_subsection_heading_is_not_part_of_its_title():
    page = [
        line("READLINE", 72, 780, bold=True, x1=120),
        line("Commands for Manipulating the History", 87.5, 756, bold=True, x1=262.1),
        line("accept-line (Newline, Return)", 108.3, 744, bold=True, x1=235.0),  # centre 6 pt off
        line("Accept the line regardless of where the cursor is.", 144, 732),
        *[line(f"Filler line {k} of the body.", 108, 708 - 12 * k) for k in range(8)],
    ]
    runs = paths(split_runs([page], BODY, []))
    assert runs[0][0] == ["READLINE", "Commands for Manipulating the History"]
    assert runs[0][1][0] == "accept-line (Newline, Return)"


def test_an_outline_title_of_symbols_only_drops_its_heading_line():
    """Doxygen's manual: the outline entry "\\&" heads a section whose printed title is
    "24.186 \\&"; with no letters to compare, the printed line stayed as a second heading level."""
    import io

    from pypdf import PdfReader, PdfWriter
    from test_importers_samples import pdf_from_streams

    from fineflow_desktop.core.ingest.pdf import parse_pdf

    def page(number: str, title: str, text: str) -> str:
        return (f"BT /B 14 Tf 72 700 Td ({number} {title}) Tj ET\n"
                f"BT /R 10 Tf 72 676 Td ({text}) Tj ET\nBT /R 10 Tf 72 664 Td (It has one more line.) Tj ET\n")

    data = pdf_from_streams([page("24.186", "\\\\&", "This command writes the & character to the output."),
                             page("24.187", "Dollar sign", "This command writes the $ character to the output.")],
                            {"R": "Helvetica", "B": "Helvetica-Bold"})
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_outline_item(title="\\&", page_number=0)
    writer.add_outline_item(title="Dollar sign", page_number=1)
    buf = io.BytesIO()
    writer.write(buf)
    sections = parse_pdf(Path("doxygen.pdf"), buf.getvalue()).sections
    assert [s.heading_path for s in sections] == [["\\&"], ["Dollar sign"]]
    assert sections[0].text == "This command writes the & character to the output. It has one more line."
