"""Issue 10: sub/superscripts, inline and display formulas and a page foot's number in real PDFs
built here (content streams placed by hand, read by PDFium through ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_runs import join_offset_runs

FONTS = {"R": "Helvetica", "M": "CMMI10"}


def text_of(streams: list[str]) -> str:
    data = pdf_from_streams(streams, FONTS)
    return parse_pdf(Path("formulas.pdf"), data).text


def test_a_sentence_with_a_superscript_and_a_subscript_stays_one_paragraph_in_order():
    # text rise (Ts): PDFium starts a new line at the raised "2", so the rest of the line used to
    # hang under it as a "definition" (": and water is H2O, ...")
    stream = (
        "BT /R 11 Tf 72 700 Td (The area of a square of side a is a) Tj /R 7 Tf 5 Ts (2) Tj "
        "/R 11 Tf 0 Ts ( and water is H) Tj /R 7 Tf -3 Ts (2) Tj /R 11 Tf 0 Ts (O, which every reader) Tj ET\n"
        "BT /R 11 Tf 72 686 Td (knows from school and from the kitchen.) Tj ET\n"
        "BT /R 11 Tf 72 660 Td (A second paragraph starts here.) Tj ET\n"
    )
    assert text_of([stream]) == (
        "The area of a square of side a is a2 and water is H2O, which every reader knows from school "
        "and from the kitchen.\n\nA second paragraph starts here.")


def test_runs_at_another_baseline_join_their_line_in_x_order():
    # LaTeX sets each run on its own: "x" then the raised "k" then the rest, three PDFium lines
    base = Line("incrementally. If a message M(x) = M1(x) · x", 134.1, 336.9, 402.8, 10.0, False, 402.8)
    sup = Line("|M2|", 338.4, 352.0, 406.4, 7.0, False, 406.4)
    rest = Line("+ M2(x) is a concatenation", 354.0, 477.2, 402.8, 10.0, False, 402.8)
    below = Line("of messages M1 and M2, its CRC may be computed", 134.0, 460.9, 390.8, 10.0, False, 390.8)
    lines = join_offset_runs([base, sup, rest, below])
    assert [ln.text for ln in lines] == [
        "incrementally. If a message M(x) = M1(x) · x|M2| + M2(x) is a concatenation",
        "of messages M1 and M2, its CRC may be computed",
    ]
    assert lines[0].y == 402.8 and lines[0].x0 == 134.1 and lines[0].x1 == 477.2


def test_a_display_formula_is_one_line_inside_the_sentence_around_it():
    stream = (
        "BT /R 11 Tf 72 700 Td (A message of N bits is a sequence of zeros and ones which may be viewed) Tj ET\n"
        "BT /R 11 Tf 72 686 Td (either as a numeric value) Tj ET\n"
        # centred, in a math font, set apart above and below; the sum's lower limit on its own line
        "BT /M 11 Tf 250 655 Td (M = m) Tj /M 7 Tf -2 Ts (k) Tj /M 11 Tf 0 Ts ( 2) Tj /M 7 Tf 5 Ts (k) Tj ET\n"
        "BT /M 7 Tf 256 641 Td (k=0) Tj ET\n"
        "BT /R 11 Tf 72 615 Td (or as a polynomial of a single variable of degree N minus one.) Tj ET\n"
        "BT /R 11 Tf 72 590 Td (Another paragraph follows the formula and its sentence.) Tj ET\n"
    )
    paras = text_of([stream]).split("\n\n")
    assert len(paras) == 2, paras
    sentence = paras[0].split("\n")
    assert sentence[0] == "A message of N bits is a sequence of zeros and ones which may be viewed either as a numeric value"
    assert sentence[1].startswith("M = mk 2k") and "k=0" in sentence[1]
    assert sentence[2] == "or as a polynomial of a single variable of degree N minus one."
    assert paras[1] == "Another paragraph follows the formula and its sentence."


def test_a_display_after_a_finished_sentence_is_a_block_and_a_capital_starts_the_next():
    prose = [Line("The classic formula is well known.", 72, 500, 700, 10.0, False, 700),
             Line("u(x) = x + 1", 250, 320, 676, 10.0, False, 676, math=0.6),
             Line("The next paragraph starts with a capital.", 72, 400, 652, 10.0, False, 652)]
    assert paragraphs(prose) == ["The classic formula is well known.", "u(x) = x + 1",
                                 "The next paragraph starts with a capital."]


def test_prose_with_inline_math_at_the_text_edge_is_no_display():
    lines = [Line("Let v(x) be the value and u(x) the offset of the", 72, 500, 700, 10.0, False, 700, math=0.3),
             Line("message, then the sum is taken modulo two.", 72, 400, 688, 10.0, False, 688, math=0.25)]
    assert paragraphs(lines) == ["Let v(x) be the value and u(x) the offset of the message, then the sum is taken modulo two."]


def test_a_page_number_at_the_foot_above_the_margin_is_dropped():
    # LaTeX's page foot sits ~90 pt up: above the bottom 9 % where running footers are looked for
    page1 = ("BT /R 11 Tf 72 700 Td (The first paragraph runs to the foot of the page and) Tj ET\n"
             "BT /R 11 Tf 72 686 Td (its sentence goes) Tj ET\n"
             "BT /R 11 Tf 300 90 Td (1) Tj ET\n")
    page2 = ("BT /R 11 Tf 72 700 Td (on at the top of the next page.) Tj ET\n"
             "BT /R 11 Tf 300 90 Td (2) Tj ET\n")
    assert text_of([page1, page2]) == (
        "The first paragraph runs to the foot of the page and its sentence goes on at the top of the next page.")


def test_a_larger_symbol_run_does_not_make_its_line_larger():
    # groff sets "ˆ" at 12 pt, lowered, between 10 pt words: the line stays a 10 pt term line
    runs = [Line("ˆ", 108.0, 112.0, 438.5, 12.0, False, 438.5, bold=True),
            Line("string1", 112.2, 139.4, 443.5, 10.0, False, 443.5),
            Line("ˆ", 140.3, 144.4, 438.5, 12.0, False, 438.5, bold=True),
            Line("string2", 144.5, 172.2, 443.5, 10.0, False, 443.5),
            Line("ˆ", 172.7, 176.7, 438.5, 12.0, False, 438.5, bold=True)]
    [joined] = join_offset_runs(runs)
    assert (joined.text, joined.size, joined.y, joined.bold) == ("ˆstring1ˆstring2ˆ", 10.0, 443.5, False)


def test_footnote_numbers_start_footnotes_and_a_note_mark_in_the_text_stays_in_its_sentence():
    lines = join_offset_runs([
        Line("System programs are kept in /sbin, in addition to those in /bin.", 72, 500, 700, 10.0, False, 700),
        Line("18", 500.5, 508, 704, 7.0, False, 704),
        # (a wrapped line reaches the right edge: "into" would have fitted after x = 400)
        Line("Programs run after /usr is mounted go", 72, 500, 688, 10.0, False, 688),
        Line("into /usr/sbin.", 72, 150, 676, 10.0, False, 676),
        Line("1", 72, 76, 124, 6.0, False, 124),
        Line("Miscellaneous files must be placed in /usr/share.", 77, 320, 120, 9.0, False, 120),
        Line("2", 72, 76, 113, 6.0, False, 113),
        Line("See below, in the /usr/libexec section.", 77, 300, 109, 9.0, False, 109),
    ])
    assert paragraphs(lines) == [
        "System programs are kept in /sbin, in addition to those in /bin.18 Programs run after /usr is mounted go "
        "into /usr/sbin.",
        "1 Miscellaneous files must be placed in /usr/share.",
        "2 See below, in the /usr/libexec section.",
    ]


def test_a_small_listing_that_outnumbers_the_prose_does_not_cut_every_prose_line():
    # 8 pt listing lines 9 pt apart are most of the section; the prose is 10 pt on 13.5 pt
    listing = [Line(f"{k} x = f ( y ) ;", 120, 300, 600 - 9 * k, 8.0, False, 600 - 9 * k) for k in range(10)]
    words = ["The value of the first word must be added to the value", "of the second word, as shown in the",
             "listing above, and the sum is then shifted by the", "width of one word in bits."]
    prose = [Line(text, 134, 477, 500 - 13.5 * k, 10.0, False, 500 - 13.5 * k) for k, text in enumerate(words)]
    assert paragraphs(listing + prose)[-1] == " ".join(words)
