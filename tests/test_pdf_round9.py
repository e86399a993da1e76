"""Issue 10, round 9 (round 8's held-out math PDFs — liboctave, octave, maximabook — were the
development set). Real PDFs built here (content streams placed by hand, read by PDFium via
``parse_pdf``) or ``Line`` objects as PDFium's reader gives them."""

from __future__ import annotations

from pathlib import Path

from pdf_objects import pdf_file
from test_importers_samples import pdf_from_streams
from test_pdf_diagrams import FONTS, prose, tj

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_cells import rejoin_late_cells
from fineflow_desktop.core.ingest.pdf_displays import display_spans
from fineflow_desktop.core.ingest.pdf_layout import paragraphs, text_right
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_spacing import LineSpacing


def parse(page: str) -> str:
    return parse_pdf(Path("octave.pdf"), pdf_from_streams([page], FONTS)).text


def wrapped_table(late_drop: float = 0.0) -> str:
    """Three rows of a texinfo ``@multitable`` whose middle cell wraps, drawn cell by cell as
    TeX does: the last cell comes after the middle cell's wrapped line (``late_drop`` points
    below the row's baseline)."""
    page, y = prose("Before", 720), 660
    for name, new in [("beta_cdf", "betacdf"), ("beta_inv", "betainv"), ("gamma_rnd", "gamrnd")]:
        page += (tj(72, y, name) + tj(180, y, f"{new} in Octave Forge") + tj(180, y - 12, "statistics pkg")
                 + tj(400, y - late_drop, "3.4.0"))
        y -= 30
    return page + prose("After", y - 10)


def test_a_cell_set_after_the_wrapped_lines_of_the_cell_before_it_goes_back_into_its_row():
    text = parse(wrapped_table())
    assert ("beta_cdf | betacdf in Octave Forge statistics pkg | 3.4.0\n"
            "beta_inv | betainv in Octave Forge statistics pkg | 3.4.0\n"
            "gamma_rnd | gamrnd in Octave Forge statistics pkg | 3.4.0") in text
    assert "\n3.4.0" not in text and "words.\n\nbeta_cdf" in text


def test_a_line_below_the_row_is_no_late_cell():
    # the number one line lower is a line of its own: the order PDFium gave is kept
    text = parse(wrapped_table(late_drop=12))
    assert "| 3.4.0" not in text
    assert text.index("betacdf in Octave Forge") < text.index("statistics pkg") < text.index("3.4.0")


def row(y: float = 600.0) -> Line:
    return Line("uniform_cdf unifcdf in Octave", 72.0, 260.0, y, 10.0, False, y,
                cells=[(72.0, "uniform_cdf"), (180.0, "unifcdf in Octave")])


def test_the_wrapped_lines_join_the_cell_they_start_under_and_a_hyphenated_word_is_joined():
    wraps = [Line("Forge statis\u00ad", 180.0, 250.0, 588.0, 10.0, False, 588.0),
             Line("tics pkg", 180.5, 220.0, 576.0, 10.0, False, 576.0)]
    late = Line("3.4.0", 400.0, 421.0, 600.0, 10.0, False, 600.0)
    after = Line("The next paragraph starts here.", 72.0, 300.0, 550.0, 10.0, False, 550.0)
    out = rejoin_late_cells([row(), *wraps, late, after])
    assert [ln.text for ln in out] == ["uniform_cdf unifcdf in Octave Forge statistics pkg 3.4.0",
                                       "The next paragraph starts here."]
    assert out[0].cells == [(72.0, "uniform_cdf"), (180.0, "unifcdf in Octave Forge statistics pkg"),
                            (400.0, "3.4.0")]
    assert out[0].x1 == 421.0


def test_other_orders_are_left_alone():
    late = Line("3.4.0", 400.0, 421.0, 600.0, 10.0, False, 600.0)
    # a line between that starts under no cell of the row (a paragraph, not the cell's wrap)
    stray = Line("statistics pkg", 120.0, 190.0, 588.0, 10.0, False, 588.0)
    assert len(rejoin_late_cells([row(), stray, late])) == 3
    # a line between that reaches past the late cell's left edge
    wide = Line("statistics pkg and more words", 180.0, 410.0, 588.0, 10.0, False, 588.0)
    assert len(rejoin_late_cells([row(), wide, late])) == 3
    # a code line between, or a row of one part, or too far below: nothing moves
    code = Line("statistics pkg", 180.0, 250.0, 588.0, 10.0, True, 588.0)
    assert len(rejoin_late_cells([row(), code, late])) == 3
    single = Line("uniform_cdf", 72.0, 130.0, 600.0, 10.0, False, 600.0)
    wrap = Line("statistics pkg", 72.0, 140.0, 588.0, 10.0, False, 588.0)
    assert len(rejoin_late_cells([single, wrap, late])) == 3
    far = Line("statistics pkg", 180.0, 250.0, 570.0, 10.0, False, 570.0)
    assert len(rejoin_late_cells([row(), far, late])) == 3
    # a late cell right next to the row (no cell gap) is the row's own text, not a further cell
    near = Line("3.4.0", 262.0, 280.0, 600.0, 10.0, False, 600.0)
    wrap = Line("statistics pkg", 180.0, 250.0, 588.0, 10.0, False, 588.0)
    assert len(rejoin_late_cells([row(), wrap, near])) == 3


def sig(text: str, y: float, x0: float = 90.0, size: float = 10.0, mono: bool = False) -> Line:
    """A texinfo definition line: starts at the margin, as long as its text (≈ 5 pt a character)."""
    return Line(text, x0, x0 + 5.0 * len(text), y, size, mono, y)


def body(text: str, y: float, x0: float = 119.0, x1: float = 520.0) -> Line:
    return Line(text, x0, x1, y, 10.0, False, y)


def test_lines_set_one_under_the_other_by_hand_keep_their_own_lines():
    # liboctave.pdf: @deftypefn/@deftypefnx lines without a text, far short of the right edge
    # (the document's, from its justified lines: ``text_right``), where the next line's first
    # word would have fitted: each is a line of its own, not one sentence of signatures
    lines = [sig("double base (void) const", 600), sig("double limit (void) const", 587),
             sig("double inc (void) const", 574), sig("ostream& operator << (ostream &os, const Range &r)", 561)]
    assert paragraphs(lines, 520.0) == ["double base (void) const\ndouble limit (void) const\ndouble inc (void) const\n"
                                        "ostream& operator << (ostream &os, const Range &r)"]
    # the same lines in a section of justified text measure the edge themselves
    prose = [body(f"A justified line of prose number {k} that ends at the right edge", 660 - 13 * k, 90.0)
             for k in range(3)]
    blocks = paragraphs([*prose[:2], Line(prose[2].text + ".", 90.0, 520.0, 634, 10.0, False, 634), *lines])
    assert blocks[-1].endswith("double base (void) const\ndouble limit (void) const\ndouble inc (void) const\n"
                               "ostream& operator << (ostream &os, const Range &r)")
    # ... but the next word must also fit under the longest line starting at that x on the page:
    # a ragged column of a two-column page (a change history) wraps at its own edge
    ragged = [sig("fixed bug in the IUPAC command that", 600), sig("was not getting translated when", 587),
              sig("written to a file", 574)]
    assert paragraphs(ragged, 520.0) == ["fixed bug in the IUPAC command that was not getting translated when "
                                         "written to a file"]


def test_wrapped_and_justified_lines_are_joined_as_before():
    # a wrapped paragraph: the next word would not have fitted (the line reaches the edge)
    wrapped = [body("The value of the option is read when the program starts and", 600, 90.0, 520.0),
               body("again whenever the file changes.", 587, 90.0, 260.0)]
    assert paragraphs(wrapped, 520.0) == ["The value of the option is read when the program starts and again whenever "
                                          "the file changes."]
    # a two-column page: every line of a column ends at the column's edge (three or more full
    # lines there), so none is taken for a line set by hand
    column = [Line(f"words of the left column wrapped at its edge line {k} more", 72.0, 290.0, 600 - 12 * k,
                   10.0, False, 600 - 12 * k) for k in range(4)]
    assert len(paragraphs(column, 540.0)) == 1 and "\n" not in paragraphs(column, 540.0)[0]
    # the halves of a fraction ("length" over "time") do not start at one x: no lines by hand
    frac = [body("so the unit is", 600, 90.0, 160.0), Line("length", 200.0, 230.0, 590, 10.0, False, 590),
            Line("time", 205.0, 225.0, 580, 10.0, False, 580)]
    assert "length\ntime" not in "\n\n".join(paragraphs(frac, 520.0))


def test_several_definition_lines_over_one_text_are_the_terms_of_one_entry():
    # octave.pdf: "quit" in a code font, the other @deftypefnx lines in code and italic, then the
    # text indented under them: one definition entry with seven term lines
    terms = ["quit", "quit cancel", "quit force", 'quit ("cancel")', "quit (status)", 'quit (status, "force")']
    lines = [body("Additional functions may be registered with atexit.", 660, 90.0, 360.0)]
    lines += [sig(t, 636 - 13 * k, mono=(t == "quit")) for k, t in enumerate(terms)]
    lines += [body("Quit the current Octave session.", 558, 119.0, 272.0),
              body("The exit function is an alias for quit.", 545, 119.0, 303.0)]
    blocks = paragraphs(lines, 520.0)
    # (a short line ending a sentence ends a paragraph of the definition, as before)
    assert blocks[-1] == "\n".join(terms) + "\n: Quit the current Octave session.\n: The exit function is an alias for quit."
    assert not any(b.startswith("```") for b in blocks)
    # a code block with text indented under it stays code (no line in a text font)
    code = [sig("x = 1;", 636, mono=True), sig("y = 2;", 623, mono=True), body("Then x is one.", 610, 119.0, 200.0)]
    assert paragraphs([lines[0], *code], 520.0)[1].startswith("```")


def test_a_display_inside_a_definition_stays_in_its_sentence():
    # octave.pdf's schur: "… is defined as" / display "S = UTAU" / "where U is …", inside the
    # definition of a term: before, the display closed the entry (blank lines around it)
    lines = [sig("S = schur (A)", 700), sig("[U, S] = schur (. . .)", 687),
             body("The Schur decomposition of a square matrix A is defined as", 674, 119.0, 400.0),
             Line("S = U A U", 240.0, 290.0, 655, 10.0, False, 655, math=0.6),
             body("where U is a unitary matrix and S is upper triangular.", 636, 119.0, 390.0)]
    assert paragraphs(lines, 520.0) == ["S = schur (A)\n[U, S] = schur (. . .)\n"
                                        ": The Schur decomposition of a square matrix A is defined as\n"
                                        "S = U A U\nwhere U is a unitary matrix and S is upper triangular."]


def test_the_text_edge_of_a_document_is_where_its_justified_lines_end():
    full = [Line("one two three four five six seven eight nine", 72.0, 520.2, 700 - 12 * k, 10.0, False)
            for k in range(3)]
    short = [Line("double base (void) const", 72.0, 200.0, 600, 10.0, False)]
    assert text_right([full, short]) == 520.0
    assert text_right([short]) == 0.0


def test_a_fraction_set_in_text_fonts_is_one_display_inside_its_sentence():
    # maximabook.pdf: "force = (product of charges) / distance²," in roman, between "Coulomb's law
    # is" and "we have": numerator above the baseline of "force =", denominator below; before,
    # "force =" became a term and the rest fragments ("distance2" / "," torn out)
    def ln(text: str, x0: float, x1: float, y: float) -> Line:
        return Line(text, x0, x1, y, 10.0, False, y)

    lines = [ln("Here is a more complex example of the units that the package works out for us all.", 72, 520, 402),
             ln("Assuming a system of units where Coulomb's law is", 72, 281, 378),
             ln("force =", 248, 281, 351.4), ln("product of charges", 286, 359, 358.1),
             ln("distance2", 305, 341, 343.6), ln(",", 362, 363, 351.4), ln("we have", 72, 104, 325.8)]
    assert paragraphs(lines, 520.0)[-1].endswith("Assuming a system of units where Coulomb's law is\n"
                                                  "force = product of charges distance2 ,\nwe have")
    # lines a spacing apart going down the page are no stacked display
    column = [ln("first cell", 150, 200, 380), ln("second", 150, 190, 368), ln("third", 150, 185, 356)]
    assert display_spans([lines[0], *column], 72, 520, LineSpacing([lines[0], *column]), lambda t: False) == {}


_GLYPHS = {" ": "space", "(": "parenleft", ")": "parenright", ";": "semicolon", ">": "greater", ".": "period",
           ",": "comma", **{d: n for d, n in zip("0123456789", ["zero", "one", "two", "three", "four", "five", "six",
                                                             "seven", "eight", "nine"])}}


def type3_pdf(stream: str) -> bytes:
    """A one-page PDF whose two fonts are Type 3 fonts without a name (as GAPDoc's PDFs have):
    /M advances every glyph by 600/1000 em (a code font), /P by widths that differ per letter."""
    codes = range(32, 123)
    names = " ".join("/" + _GLYPHS.get(chr(c), chr(c) if chr(c).isalpha() else "space") for c in codes)

    def font(widths: list[int]) -> bytes:
        procs = " ".join(f"/{n} 3 0 R" for n in sorted({"space", *_GLYPHS.values(),
                                                          *(chr(c) for c in codes if chr(c).isalpha())}))
        return (f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
                f"/CharProcs << {procs} >> /Encoding << /Type /Encoding /Differences [32 {names}] >> "
                f"/FirstChar 32 /LastChar 122 /Widths [{' '.join(map(str, widths))}] /Resources << >> >>").encode()

    proportional = [250 + (c * 37) % 500 for c in codes]  # every letter its own width
    glyph = b"500 0 0 0 400 600 d1 0 0 400 600 re f"
    content = stream.encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
               b"<< /Length %d >>\nstream\n" % len(glyph) + glyph + b"\nendstream",
               font([600] * len(codes)), font(proportional),
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /M 4 0 R /P 5 0 R >> >> "
               b"/Contents 7 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    return pdf_file(objects)


def test_a_code_font_without_a_name_is_told_by_its_even_advances():
    # GAPDoc's examples are set in Type 3 fonts with no name: no FixedPitch flag, no family to
    # read. Every glyph of a code font advances by the same width; letters of a text font do not
    page = "".join(tj(72, 700 - 12 * k, f"Some prose line {k} of the paragraph that tells what the example does", "P")
                   for k in range(3))
    page += tj(90, 650, "gap> Size(g);", "M") + tj(90, 638, "true", "M") + tj(90, 626, "gap> Order(x);", "M")
    page += tj(72, 600, "The paragraph after the example goes on in prose again here.", "P")
    text = parse_pdf(Path("gap.pdf"), type3_pdf(page)).text
    assert "```\ngap> Size(g);\ntrue\ngap> Order(x);\n```" in text
    assert text.startswith("Some prose line 0") and "```" not in text.split("\n\n")[0]


def test_the_numbered_lines_of_a_listing_are_no_definition_terms():
    # ltxdoc: a listing's numbered lines in the margin, the text after it right of the numbers;
    # read as definition lines over a hanging text it became "197 \let…" / ": The other …"
    lines = [sig("195", 612, x0=72.0), sig("196 \\let\\TriangleCircumcenter\\ThreePointCircleCenter", 600, x0=72.0),
             sig("197 \\let\\TriangleCircummcircle\\ThreePointCircle", 588, x0=72.0),
             body("The other center macros are the following; they all consist in finding two of the", 576, 100.0),
             body("specific triangle lines, and finding their intersection.", 564, 100.0, 380.0)]
    assert not any(b.startswith(": ") or "\n: " in b for b in paragraphs(lines, 520.0))
