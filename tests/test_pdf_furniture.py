"""Issue 10, round 5: page furniture of LaTeX-made manuals (Doxygen's, gnuplot's) in real PDFs
built here (content streams placed by hand, read by PDFium through ``parse_pdf``), and a label
set apart above its indented text (Doxygen's "Note", "See also", "Returns"), and line-end hyphens."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_furniture import folio_offset, index_lines, toc_lines
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line

FONTS = {"R": "Helvetica", "B": "Helvetica-Bold"}
DIGIT = 5.56  # Helvetica's digit advance at 10 pt (556/1000 em)
RIGHT = 540.0  # the text block's right edge


def tj(x: float, y: float, text: str, font: str = "R", size: int = 10) -> str:
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def flush_right(y: float, number: int, font: str = "R") -> str:
    return tj(RIGHT - DIGIT * len(str(number)), y, str(number), font)


def parse(streams: list[str]) -> str:
    return parse_pdf(Path("manual.pdf"), pdf_from_streams(streams, FONTS)).text


def body(first_words: str) -> str:
    """A page of prose: two paragraphs of wrapped lines at 12 pt spacing."""
    out, y = "", 700
    for para in range(2):
        for k in range(4):
            end = "." if k == 3 else ""
            out += tj(72, y, f"{first_words} paragraph {para} line {k} of this page goes on with more words{end}")
            y -= 12
        y -= 12
    return out


def test_a_header_that_carries_the_page_number_is_dropped_on_every_page():
    # LaTeX's "headings" style: the current section's title beside the printed page number
    # (here page index + 10), on the left of even pages and on the right of odd ones. Each
    # title heads one page only, so no header text recurs; the page numbers give them away.
    titles = ["Installing the tool", "Member Groups Example", "Compiling from source", "Relates Example"]
    streams = []
    for index, title in enumerate(titles, 1):
        folio = index + 10
        if index % 2:
            header = tj(72, 760, title, "B") + flush_right(760, folio, "B")
        else:
            header = tj(72, 760, str(folio), "B") + tj(400, 760, title, "B")
        streams.append(header + body(f"Section{index}"))
    text = parse(streams)
    for index, title in enumerate(titles, 1):
        assert title not in text
        assert str(index + 10) not in text
    assert "Section1 paragraph 0 line 0 of this page" in text
    assert "Section4 paragraph 1 line 3 of this page goes on with more words." in text


def test_a_number_at_a_header_s_end_is_a_page_number_only_at_one_offset_through_the_document():
    def header(text: str, y: float = 760.0) -> Line:
        return Line(text, 72, 540, y, 10.0, False, y)

    def page(head: str) -> list[Line]:
        return [header(head), header("Some prose line of the page body.", 600)]

    heights = [792.0] * 4
    # printed numbers 11..14 on pages 1..4: offset -10
    assert folio_offset([page(f"{n} Title {n}") for n in range(11, 15)], heights) == -10
    # numbers that do not follow the pages (a version in every header, chapter numbers) are no folios
    assert folio_offset([page(f"Chapter {n} Version 3") for n in (3, 3, 7, 9)], heights) is None


def test_a_contents_page_loses_its_entries_with_and_without_leaders_and_its_wrapped_entries():
    leaders = " ." * 40
    toc = (
        tj(72, 700, "Contents", "B", 18)
        + tj(72, 660, "1 Introduction", "B") + flush_right(660, 3, "B")
        + tj(86, 643, f"1.1 First steps{leaders}") + flush_right(643, 3)
        + tj(86, 626, f"1.2 Where the files go{leaders}") + flush_right(626, 4)
        # an entry too long for one line: its first line has no leaders, the wrapped rest has
        + tj(86, 609, "1.3 Doxygen automatically generates a link to the class somewhere; how do I")
        + tj(110, 597, f"prevent that at a certain place?{leaders[:30]}") + flush_right(597, 5)
        + tj(72, 570, "2 Configuration", "B") + flush_right(570, 7, "B")
        # a dotted section number as the target (an index of options)
        + tj(86, 553, f"ALIASES{leaders}") + tj(RIGHT - 4 * DIGIT, 553, "23.2")
    )
    text = parse([toc, body("Chapter")])
    for gone in ("Introduction", "First steps", "Where the files go", "automatically generates",
                 "prevent that", "Configuration", "ALIASES"):
        assert gone not in text, gone
    assert "Chapter paragraph 0 line 0 of this page" in text


def test_a_few_dot_leaders_in_prose_do_not_make_a_contents_page():
    lines = [Line("Step one . . . . . . . 2", 72, 540, 700, 10.0, False, 700),
             Line("A table row 12", 72, 540, 688, 10.0, False, 688, [(72, "A table row"), (530, "12")]),
             Line("Prose of the page.", 72, 300, 676, 10.0, False, 676)]
    assert toc_lines(lines) == {0}


def line(text, x0, y, x1=500.0):
    return Line(text, x0, x1, y, 9.0, False, y)


def test_a_label_set_apart_above_its_indented_text_is_a_definition_entry():
    # Doxygen's LaTeX \note / \sa / \return: the label alone, a little space, the text indented
    lines = [
        line("To tweak things like fonts or colors, margins, or other look & feel aspects of the HTML", 71, 576, 524),
        line("output in detail, you can create a different cascading style sheet. You can also let", 71, 564, 524),
        line("doxygen use a custom header and footer for each HTML page it generates, for instance to", 71, 552, 524),
        line("make the output conform to the style used on the rest of your web site.", 71, 540, 380),
        line("You should edit these files and then reference them from the configuration file.", 71, 514, 379),
        line("Note", 71.5, 430, 89),
        line("it is not longer recommended to use HTML_STYLESHEET, as it make it difficult to upgrade to", 94, 412, 524),
        line("a newer version of doxygen. Use HTML_EXTRA_STYLESHEET instead.", 94, 400, 317),
        line("See the documentation of the HTML_HEADER tag for more information about the possible", 71, 372, 524),
        line("meta commands you can use inside your custom header.", 71, 360, 211),
        line("See also", 71.3, 267, 105),
        line("section \\dot.", 93.4, 249, 153),
    ]
    assert paragraphs(lines)[1:] == [
        "You should edit these files and then reference them from the configuration file.",
        "Note\n: it is not longer recommended to use HTML_STYLESHEET, as it make it difficult to upgrade to "
        "a newer version of doxygen. Use HTML_EXTRA_STYLESHEET instead.",
        "See the documentation of the HTML_HEADER tag for more information about the possible "
        "meta commands you can use inside your custom header.",
        "See also\n: section \\dot.",
    ]


def test_a_short_line_far_above_indented_text_or_a_finished_sentence_stays_a_paragraph():
    prose = [line(f"A paragraph of prose at the usual spacing, line {k} of four, goes on", 71, 600 - 12 * k, 524)
             for k in range(4)]
    lines = prose + [
        line("Overview", 71, 500, 120),  # four line spacings above the indented text: no label
        line("an indented block quote that follows much further down the page.", 94, 452, 400),
        line("It ended.", 71, 400, 120),  # a finished sentence is no label
        line("the indented text under it goes on here.", 94, 382, 400),
        # a short heading-like line, then a paragraph whose first line only is indented (texinfo)
        line("Usage notes", 71, 340, 130),
        line("the first line of this paragraph is indented as books set it, and the", 94, 322, 524),
        line("second line goes back to the left edge of the text.", 71, 310, 400),
        # the last line of a numbered listing set in a text font, its caption centred under it
        line("21 }", 71, 270, 90),
        line("Listing 1: Multiplication of normalized polynomials", 180, 252, 420),
    ]
    assert paragraphs(lines)[1:] == [
        "Overview",
        "an indented block quote that follows much further down the page.",
        "It ended.",
        "the indented text under it goes on here.",
        "Usage notes",
        "the first line of this paragraph is indented as books set it, and the second line goes back "
        "to the left edge of the text.",
        "21 }",
        "Listing 1: Multiplication of normalized polynomials",
    ]


def test_an_index_page_loses_its_entries_headwords_and_group_letters():
    entries = ["start, 56", "start up, 56", "startup, 36, 56", "statistics, 232", "steps, 71, 81",
               "strftime, 39, 57, 152", "string, 57", "strings, 57, 163", "strptime, 39, 57, 152, 221",
               "style, 116, 119, 120, 125, 164,"]
    index, y = tj(72, 700, "S"), 682.0
    for entry in entries:
        index += tj(72, y, entry)
        y -= 12
    index += tj(72, y, "119, 200, 201")  # the wrapped rest of the entry above
    index += tj(72, y - 12, "AnotherEnum")  # a headword: its page numbers are on the subentries
    index += tj(92, y - 24, "ABS, 243") + tj(92, y - 36, "Val1, 243")
    text = parse([body("Chapter"), index])
    assert text.endswith("Chapter paragraph 1 line 3 of this page goes on with more words.")
    for gone in ("strftime", "119, 200", "AnotherEnum", "ABS"):
        assert gone not in text, gone


def test_prose_with_a_few_numbers_after_commas_is_no_index():
    lines = [Line(f"Line {k} of a page whose price list reads tea, 5, 10", 72, 540, 700 - 12 * k, 10.0, False,
                  700 - 12 * k) for k in range(8)]
    lines += [Line(f"and prose line {k} that says something else.", 72, 540, 600 - 12 * k, 10.0, False,
                   600 - 12 * k) for k in range(6)]
    assert index_lines(lines) == set()  # 8 of 14 lines: under the share and the count an index has


def test_a_url_broken_at_a_justified_line_end_stays_in_place():
    # the stretched space before an unbreakable URL is as wide as the gap before texinfo's
    # flush-right "[Function]" label; a part ending in a break mark goes on in the next line
    lines = [
        line("At the moment only the community version of Visual Studio 2019 is tested, but other", 71, 600, 524),
        line("version might also work, as the next step shows.", 71, 588, 300),
        Line("The next step is to install modern versions of bison and flex (see https://sourceforge.←-",
             71, 524, 576, 9.0, False, 576, [(71, "The next step is to install modern versions of bison and flex (see"),
                                             (397, "https://sourceforge.←-")]),
        line("net/projects/winflexbison/. After installation and adding them to your path rename them.", 71, 564, 524),
    ]
    assert paragraphs(lines)[-1] == (
        "The next step is to install modern versions of bison and flex (see https://sourceforge.←- "
        "net/projects/winflexbison/. After installation and adding them to your path rename them.")


def test_a_line_end_hyphen_stays_where_the_document_spells_the_compound_with_one():
    # PDFium joins a word hyphenated at a line end and marks the hyphen (U+FFFE); whether it was a
    # compound's own hyphen only the document's spelling elsewhere can tell
    stream = (tj(72, 700, "Every number here is a floating-point value, as the docu-")
              + tj(72, 688, "ment says; the unit for floating-")
              + tj(72, 676, "point values is a non-")
              + tj(72, 664, "zero number in every case."))
    assert parse([stream]) == ("Every number here is a floating-point value, as the document says; the unit for "
                               "floating-point values is a nonzero number in every case.")
