"""Issue 10, round 13 (round 12's held-out PDFs were the development set): an accent that TeX's
OT1 fonts set as a glyph of its own joins its letter wherever the word starts ("`a", "ˆetre",
"l’´evaluation"), by the boxes: the accent lies over (a cedilla under) the letter. Real PDFs
built here (content streams placed by hand, read by PDFium via ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams
from test_pdf_diagrams import FONTS

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_furniture import index_lines
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_runs import join_offset_runs


def parse(page: str) -> str:
    return parse_pdf(Path("mecaso.pdf"), pdf_from_streams([page], FONTS)).text


def test_an_accent_placed_on_the_first_letter_of_a_word_joins_it():
    # \accent: the accent glyph, its advance taken back by a kern (333/1000 em, Helvetica's accent
    # width), then the letter under it; at a word start there is no letter before the accent
    page = ("BT /R 10 Tf 72 700 Td [(Par rapport \x60) 333 (a un rep\x60) 333 (ere, l\u2019\xb4) 333 "
            "(evaluation peut \u02c6) 333 (etre fran\xb8) 333 (caise.)] TJ ET\n")
    assert "Par rapport à un repère, l’évaluation peut être française." in parse(page)


def test_a_quote_mark_before_a_letter_stays_a_mark():
    # the grave set with its own advance (no kern back): an opening quote, not an accent
    page = "BT /R 10 Tf 72 700 Td (Give the \x60a' option and the \xb4e\xb4 mark.) Tj ET\n"
    assert "Give the `a' option and the ´e´ mark." in parse(page)


def test_a_subscript_stacked_under_a_superscript_stays_in_its_line():
    # membranecomputing's [ ]^{α1}_h: PDFium ends the run at the raised "α1" (baseline 369.4 →
    # 372.1) and starts the next at the "h" set under it, 7 pt back (0.9 em): that "h → [ b ]"
    # was a line of its own, a new paragraph in the middle of the formula
    row = Line("\\sendinT a [ ]α1", 140.2, 432.4, 369.4, 8.0, False, 372.1)
    sub = Line("h → [ b ]", 425.4, 457.4, 366.5, 8.0, False, 369.4)
    sup = Line("α2", 458.8, 466.1, 373.3, 6.0, False, 372.1, math=0.5)
    sub2 = Line("h", 458.9, 462.3, 366.5, 6.0, False, 366.5, math=1.0)
    joined = join_offset_runs([row, sub, sup, sub2])
    assert [ln.text for ln in joined] == ["\\sendinT a [ ]α1 h → [ b ] α2 h"]
    # the next line of a paragraph, a line spacing lower and back at the left, is not a subscript
    below = Line("The next line of the paragraph.", 72.0, 300.0, 357.4, 8.0, False, 357.4)
    assert len(join_offset_runs([row, below])) == 2


BOLD_FONTS = {"R": "Helvetica", "B": "Helvetica-Bold"}


def sections_of(pages: list[str]):
    return parse_pdf(Path("mecaso.pdf"), pdf_from_streams(pages, BOLD_FONTS)).sections


def body(y: float, words: str, n: int = 3) -> str:
    out = ""
    for k in range(n):
        out += f"BT /R 12 Tf 72 {y - 14.4 * k:.1f} Td (Body text of {words}, line {k} of the paragraph goes on here.) Tj ET\n"
    return out


def test_a_watermark_set_at_an_angle_on_every_page_is_no_heading_and_no_text():
    # mecaso.pdf: the author's name at 45 degrees across every page, 24.8 pt: it was the first
    # heading of every page, so every chunk's heading path started with "Y.Derrazi"
    mark = "BT /R 24.8 Tf 0.7071 0.7071 -0.7071 0.7071 104 192 Tm (Y.Derrazi) Tj ET\n"
    pages = [mark + f"BT /B 14 Tf 72 700 Td ({k} Section number {k}) Tj ET\n" + body(670, f"section {k}")
             for k in range(1, 4)]
    sections = sections_of(pages)
    assert [s.heading_path for s in sections] == [[f"{k} Section number {k}"] for k in range(1, 4)]
    assert all("Derrazi" not in s.text for s in sections)


def test_a_numbered_heading_wrapped_under_its_title_is_one_heading():
    # LaTeX's \@hangfrom: the second line of a long numbered title starts where the title does,
    # after the number ("gravité" under "Moment", 40 pt right of "7.2.3"); it had become the
    # section's first paragraph
    page = ("BT /B 12 Tf 72 700 Td (7.2.2 Moment dynamique, expression complete) Tj ET\n" + body(678, "the first")
            + "BT /B 12 Tf 72 620 Td (7.2.3 Moment dynamique, cas d'un point fixe ou du centre de) Tj ET\n"
            + "BT /B 12 Tf 112.7 605.6 Td (gravite) Tj ET\n" + body(584, "the second"))
    sections = sections_of([page])
    assert [s.heading_path[-1] for s in sections] == [
        "7.2.2 Moment dynamique, expression complete",
        "7.2.3 Moment dynamique, cas d'un point fixe ou du centre de gravite"]
    assert sections[1].text.startswith("Body text of the second")


def test_an_index_of_macro_names_in_a_code_font_is_an_index():
    # ltxdoc's index (every LaTeX package's documentation): the names in typewriter, short
    # leaders before the code-line numbers, ranges, and lists that wrap after a comma
    texts = ["\\addedToPostOutput@mlpr . . . 315, 336", "\\blkLvl@mlpr . . . . . . . . . . . 97, 113,",
             "168, 181, 182, 192, 203", "\\lstoptcheck@mlpr . . . . . . . . 1, 14–16",
             "\\keywordStyle@mlpr . . . . . . . . 169,", "174, 183, 188, 193, 209, 223, 355"]
    texts += [f"\\macro{k}@mlpr . . . {100 + k}, {200 + k}" for k in range(8)]
    lines = [Line(t, 72.0, 280.0, 700.0 - 11 * k, 9.0, not t[0].isdigit(), 700.0 - 11 * k) for k, t in enumerate(texts)]
    assert index_lines(lines) == set(range(len(texts)))
    # code lines that end in numbers are no index
    code = [Line(f"x{k} = f({k}, {k + 1},", 72.0, 200.0, 700.0 - 11 * k, 9.0, True, 700.0 - 11 * k) for k in range(12)]
    assert index_lines(code) == set()


def test_a_contents_page_is_no_index_page():
    # bzip2's manual: a chapter's contents (long leaders, one page number each), then the chapter's
    # first paragraphs; the page counted as an index and its last line went with the page number
    toc = [Line(f"3.{k}. Section title number {k} . . . . . . . . . . . . . . . . {20 + k}", 72.0, 540.0,
                700.0 - 12 * k, 10.0, False, 700.0 - 12 * k) for k in range(30)]
    text = [Line("All externally visible symbols have names beginning BZ2_. The intention is to minimise",
                 72.0, 540.0, 87.0, 10.0, False, 87.0),
            Line("pollution of the namespaces of library clients.", 72.0, 300.0, 75.0, 10.0, False, 75.0),
            Line("8", 300.0, 306.0, 40.0, 10.0, False, 40.0)]
    assert index_lines(toc + text) == set()


def test_a_listing_set_sideways_on_its_page_is_kept():
    # glpk.pdf sets a 60-line report sideways (turned 90 degrees): many lines at an angle are a
    # landscape page's text, not a watermark
    rows = "".join(f"BT /R 9 Tf 0 1 -1 0 {100 + 11 * k} 72 Tm (Report row {k} with its values) Tj ET\n" for k in range(12))
    text = "\n".join(s.text for s in sections_of([rows]))
    assert all(f"Report row {k} with its values" in text for k in range(12)), text
