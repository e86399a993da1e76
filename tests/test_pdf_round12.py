"""Issue 10, round 12 (round 10's held-out LaTeX package PDFs — mathcommand, mathfixs,
mathpartir, mathsemantics — plus liboctave.pdf and pari-develop.pdf were the development set).
Real PDFs built here (content streams placed by hand, read by PDFium via ``parse_pdf``) or
``Line`` objects as PDFium's reader gives them."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams
from test_pdf_diagrams import tj

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_headings import style
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing
from fineflow_desktop.core.ingest.pdf_tables import merge_row_wraps

# LaTeX's T1 fonts when lmodern is not loaded (cm-super): roman, typewriter, the roman that
# numbers a listing's lines, the text italic and the variable-width typewriter
CM_SUPER = {"R": "SFRM1000", "T": "SFTT0900", "N": "SFRM0700", "I": "SFTI1000", "V": "SFVT1000"}


def prose(first_words: str, y: float, font: str = "R") -> str:
    out = ""
    for k in range(3):
        end = "." if k == 2 else ""
        out += tj(72, y, f"{first_words} line {k} of this paragraph goes on with some more words{end}", font)
        y -= 12
    return out


def listing(numbers_font: str = "N") -> str:
    """ltxdoc's ``macrocode``: each line numbered in a small roman in the margin, the code in
    typewriter; the closing brace and an empty line numbered too."""
    page = prose("Before", 720)
    y = 680
    for number, code in [(46, "\\cs_new:Npn\\absorb:nw#1{"), (47, "\\tl_set:Nn\\finished_tl{#1}"), (48, "}"),
                         (49, ""), (50, "\\cs_new:Nn\\absorb_finished:{")]:
        page += tj(72, y, str(number), numbers_font, 7)
        if code:
            page += tj(86, y, code, "T", 9)
        y -= 11
    return page + prose("After", y - 12)


def test_a_numbered_listing_in_cm_super_typewriter_is_one_code_block():
    # mathcommand.pdf: SFTT had no FixedPitch flag and a name no rule knew, so its listings were
    # prose ("52 } When the parsing is finished, …"); the "48 }" line sampled a roman digit in
    # three characters and the empty "49" line ended the block
    text = parse_pdf(Path("mathcommand.pdf"), pdf_from_streams([listing()], CM_SUPER)).text
    blocks = text.split("\n\n")
    assert len(blocks) == 3, blocks
    assert blocks[0].startswith("Before line 0") and blocks[2].startswith("After line 0")
    code = blocks[1].split("\n")
    assert code[0] == code[-1] == "```"
    assert [c.split()[0] for c in code[1:-1]] == ["46", "47", "48", "49", "50"]
    assert code[3].split() == ["48", "}"] and code[4].strip() == "49"


def test_text_italic_and_variable_width_typewriter_stay_prose():
    # SFTI is cm-super's text italic and SFVT its variable-width typewriter: no code fonts
    for font in ("I", "V"):
        page = prose("Before", 720) + prose("Slanted", 670, font) + prose("After", 620)
        text = parse_pdf(Path("italic.pdf"), pdf_from_streams([page], CM_SUPER)).text
        assert "```" not in text and "Slanted line 1" in text


def test_a_number_alone_after_code_that_does_not_go_on_from_it_stays_text():
    # only the next number of a listing joins it: "2024" under a code line numbered 50 is no
    # empty line of that listing
    page = prose("Before", 720) + tj(72, 680, "50", "N", 7) + tj(86, 680, "\\cs_new:Nn\\f:{", "T", 9)
    page += tj(86, 669, "\\g:", "T", 9) + tj(72, 658, "2024", "R") + prose("After", 630)
    text = parse_pdf(Path("mathcommand.pdf"), pdf_from_streams([page], CM_SUPER)).text
    assert "2024" not in text.split("```")[1]


def cell_line(text: str, y: float, cells: list[tuple[float, str]], x1: float, page: int = 3, math: float = 0.0) -> Line:
    return Line(text, cells[0][0] if cells else 186.5, x1, y, 10.9, False, y, cells=cells, page=page, math=math)


def symbol_table(row_right: float) -> list[Line]:
    """mathsemantics.pdf's table of letters (geometry copied from it): name | description and a
    flush-right example, the example of the third row pushed under the description's start."""
    intro = cell_line("The package defines the following letters for use in mathematics, each with its short "
                      "name and an example", 330.0, [], 521.0)
    intro.x0 = 74.4
    return [intro,
            cell_line("vA. . . vZ upper-case letters with a vector accent Ð \\vA,\\vB 4 A, B", 300.0,
                      [(74.4, "vA. . . vZ"), (186.0, "upper-case letters with a vector accent Ð \\vA,\\vB"),
                       (437.0, "4 A, B")], 469.9),
            cell_line("valpha. . . vomega lower-case Greek letters with a vector accent Ð \\valpha,\\vbeta 4", 271.8,
                      [(74.4, "valpha. . . vomega"), (186.0, "lower-case Greek letters with a vector accent Ð "
                                                            "\\valpha,\\vbeta"), (509.0, "4")], row_right),
            cell_line("𝛼, 𝛽", 255.6, [], 202.2, math=1.0),
            cell_line("vnull vector zero Ð \\vnull 4 0", 234.1, [(74.4, "vnull"), (186.0, "vector zero Ð \\vnull"),
                                                               (309.0, "4 0")], 329.5),
            cell_line("vone vector one Ð \\vone 4 1", 205.3, [(74.4, "vone"), (186.0, "vector one Ð \\vone"),
                                                           (301.0, "4 1")], 320.2)]


def test_a_table_row_that_wrapped_under_one_of_its_cells_is_one_row():
    # the example went to the next line under the description's start: read apart it was a
    # display formula that ended the table, and the rows after it lost their cells
    blocks = paragraphs(symbol_table(520.9), 521.0)
    assert blocks[1].split("\n") == [
        "vA. . . vZ | upper-case letters with a vector accent Ð \\vA,\\vB | 4 A, B",
        "valpha. . . vomega | lower-case Greek letters with a vector accent Ð \\valpha,\\vbeta | 4 𝛼, 𝛽",
        "vnull | vector zero Ð \\vnull | 4 0",
        "vone | vector one Ð \\vone | 4 1"]


def test_a_line_under_a_row_that_stopped_short_is_no_wrap_of_it():
    # the row had room left on its line: what stands under it is not its text going on
    blocks = paragraphs(symbol_table(480.0), 521.0)
    assert not any("\\vbeta | 4 𝛼, 𝛽" in b for b in blocks)


def test_a_bold_title_numbered_on_two_levels_may_start_in_lower_case():
    # unitsdef.pdf (no outline): "9.6.1 base units" over a listing. It was a heading only while
    # the listing's lines, not known as code (SFTT), made the body size 9 pt and the 10 pt bold
    # line larger than it; at the true body size it needs its number to count
    def bold(text: str) -> Line:
        return Line(text, 128.0, 220.0, 663.4, 10.0, False, 663.4, bold=True)

    assert style(bold("9.6.1 base units"), 10.0, 124.0, strong_only=True) is not None
    assert style(bold("9.6.1 Base units"), 10.0, 124.0, strong_only=True) is not None
    assert style(bold("3 apples and pears"), 10.0, 124.0, strong_only=True) is None


def test_a_justified_entry_whose_sentence_spaces_look_like_cells_is_no_row_that_wraps():
    # maximabook.pdf's bibliography: TeX stretches the spaces after a sentence past a cell gap,
    # and the entry's next line starts under its hanging indent, where its second "cell" starts
    def entry(label: str, y: float) -> Line:
        cells = [(72.0, label), (110.0, "B. Kutzler."), (170.0, "muMATH-algebra facilities on microcomputers."),
                 (380.0, "Mini Micro Magazin,")]
        return Line(" ".join(t for _, t in cells), 72.0, 521.0, y, 10.0, False, y, cells=cells, page=2)

    def wrap(y: float) -> Line:
        return Line("4(9):40–43, September 1988.", 110.0, 230.0, y, 10.0, False, y, page=2)

    lines = [entry("[Kut87]", 600.0), wrap(588.0), entry("[Kut88]", 570.0), wrap(558.0)]
    assert len(merge_row_wraps(lines, 521.0, LineSpacing(lines))) == 4
    # the same lines with a cell that is no sentence's end: a row that wrapped
    for ln in lines[::2]:
        ln.cells[1] = (110.0, "B. Kutzler")
    assert len(merge_row_wraps(lines, 521.0, LineSpacing(lines))) == 2


def test_a_justified_line_stretched_into_one_word_cells_does_not_take_its_next_line():
    # octave.pdf's list of image formats: "tiffn   TIFF   image   with   LZW   compression …" is
    # a term beside its definition, stretched past the cell gap; the definition wraps under it
    words = "tiffn TIFF image with LZW compression (tif, tiff) or".split()
    xs = [177.0, 234.0, 272.0, 312.0, 345.0, 381.0, 451.0, 482.0, 512.0]
    stretched_row = Line(" ".join(words), 177.0, 521.5, 657.8, 10.9, False, 657.8,
                         cells=list(zip(xs, words)), page=432)
    lines = [Line("jpeg JPEG image", 177.0, 294.0, 677.0, 10.9, False, 677.0, cells=[(177.0, "jpeg"), (234.0, "JPEG image")],
                  page=432), stretched_row,
             Line("uncompressed (tiffn).", 234.3, 334.0, 644.7, 10.9, False, 644.7, page=432),
             Line("gif GIF image", 177.0, 284.8, 625.1, 10.9, False, 625.1, cells=[(177.0, "gif"), (235.0, "GIF image")],
                  page=432)]
    assert len(merge_row_wraps(lines, 521.5, LineSpacing(lines))) == 4


def test_a_title_set_large_in_a_code_font_is_a_heading_and_code_at_body_size_is_not():
    # principia.pdf (no outline) titles itself "principia.sty" in 20 pt typewriter: a heading
    # while SFTT was not known as a code font, and again now that a large code-font line may be
    def tt(text: str, size: float) -> Line:
        return Line(text, 72.0, 300.0, 700.0, size, True, 700.0)

    assert style(tt("principia.sty", 20.7), 10.0, 72.0, strong_only=True) is not None
    assert style(tt("principia.sty", 10.0), 10.0, 72.0) is None
