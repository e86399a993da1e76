"""Issue 10, round 10 (round 9's held-out PDFs — physics, derivative, mhchem, clrscode3e,
gap-tutorial — were the development set). ``Line`` objects as PDFium's reader gives them for
physics.pdf's tables of commands (geometry copied from that PDF: columns at x 79 / 200 / 354,
fractions set 0.68 em above and below the row's baseline)."""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_cells import rejoin_late_cells
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line


def ln(text: str, x0: float, x1: float, y: float, cells=(), mono: bool = False, y_end: float | None = None,
       page: int = 5) -> Line:
    return Line(text, x0, x1, y, 10.0, mono, y if y_end is None else y_end,
                cells=[(x, t) for x, t in cells], page=page)


def test_a_fraction_inside_a_cell_and_the_rest_of_the_row_go_back_into_the_row():
    # "\derivative  \dv{x} → d/dx  one argument": PDFium gives the row up to the fraction, its
    # numerator and denominator, then the last cell on the row's baseline
    row = ln("\\derivative \\dv{x} →", 78.6, 243.9, 277.6, [(78.6, "\\derivative"), (200.3, "\\dv{x} →")], mono=True)
    num, den = ln("d", 251.6, 256.5, 284.3), ln("dx", 248.7, 259.2, 270.7)
    rest = ln("one argument", 354.1, 412.8, 277.6)
    out = rejoin_late_cells([row, num, den, rest])
    assert len(out) == 1
    assert out[0].cells == [(78.6, "\\derivative"), (200.3, "\\dv{x} → d dx"), (354.1, "one argument")]
    assert not out[0].mono  # a command in typewriter beside its result in text: no code line
    # a row of one part: its fraction's denominator, then the comment
    one = ln("\\dv{f}{x} → df", 200.3, 275.1, 257.1, mono=True)
    out = rejoin_late_cells([one, ln("dx", 264.6, 275.0, 250.2), ln("two arguments", 354.0, 417.5, 257.1)])
    assert [c[1] for c in out[0].cells] == ["\\dv{f}{x} → df dx", "two arguments"]
    # the denominator and the comment in one PDFium line that ends on the row's baseline
    part = ln("\\pdv{x} → ∂", 200.3, 262.1, 159.7, mono=True)
    tail = ln("∂x shorthand name", 254.0, 423.9, 152.9, [(254.0, "∂x"), (354.0, "shorthand name")], y_end=159.7)
    out = rejoin_late_cells([part, tail])
    assert [c[1] for c in out[0].cells] == ["\\pdv{x} → ∂ ∂x", "shorthand name"]
    # a cell right after a row of cells on its baseline (a big delimiter without text between)
    out = rejoin_late_cells([ln("\\trace or \\tr \\tr(\\tall) → tr", 78.6, 334.8, 174.0,
                                [(78.6, "\\trace or \\tr"), (169.0, "\\tr(\\tall) → tr")]),
                             ln("trace; same bracing as trig functions", 368.8, 527.0, 174.0)])
    assert len(out) == 1 and out[0].cells[-1] == (368.8, "trace; same bracing as trig functions")


def test_lines_that_are_no_formula_pieces_stay_lines():
    row = ln("\\derivative \\dv{x} →", 78.6, 243.9, 277.6, [(78.6, "\\derivative"), (200.3, "\\dv{x} →")], mono=True)
    # the next line of text, a whole line spacing (1.2 em) lower: no piece
    below = ln("dx", 248.7, 259.2, 265.6)
    assert len(rejoin_late_cells([row, below, ln("one argument", 354.1, 412.8, 277.6)])) == 3
    # a "rest" in a code font, or off the row's baseline, or without a cell gap: left alone
    num = ln("d", 251.6, 256.5, 284.3)
    assert len(rejoin_late_cells([row, num, ln("one argument", 354.1, 412.8, 277.6, mono=True)])) == 3
    assert len(rejoin_late_cells([row, num, ln("one argument", 354.1, 412.8, 271.6)])) == 3
    assert len(rejoin_late_cells([row, num, ln("one argument", 262.0, 320.0, 277.6)])) == 3
    # two lines one after the other on a baseline, the first of one part: two lines
    assert len(rejoin_late_cells([ln("left column text", 72.0, 250.0, 500.0),
                                  ln("right column text", 320.0, 500.0, 500.0)])) == 2


def test_rows_of_a_table_with_empty_first_cells_are_table_rows_not_definitions():
    # physics.pdf "Derivatives": a command's first row has three cells, the rows below it leave
    # the first empty; they read as "term / : definition" entries and code lines before
    lines = [
        ln("\\differential \\dd → d", 78.6, 236.8, 342.6, [(78.6, "\\differential"), (200.3, "\\dd → d")], mono=True),
        ln("\\dd x → dx no spacing (not recommended)", 200.3, 487.3, 330.7,
           [(200.3, "\\dd x → dx"), (354.1, "no spacing (not recommended)")]),
        ln("\\dd[3]{x} → d3x optional power", 200.3, 418.0, 318.7, [(200.3, "\\dd[3]{x} → d3x"), (354.1, "optional power")]),
        ln("\\derivative \\dv{x} → d dx one argument", 78.6, 412.8, 306.8,
           [(78.6, "\\derivative"), (200.3, "\\dv{x} → d dx"), (354.1, "one argument")]),
        ln("\\dv{f}{x} → df dx two arguments", 200.3, 417.5, 294.8, [(200.3, "\\dv{f}{x} → df dx"), (354.0, "two arguments")]),
    ]
    assert paragraphs(lines, 539.0) == ["\\differential | \\dd → d\n"
                                        "\\dd x → dx | no spacing (not recommended)\n"
                                        "\\dd[3]{x} → d3x | optional power\n"
                                        "\\derivative | \\dv{x} → d dx | one argument\n"
                                        "\\dv{f}{x} → df dx | two arguments"]


def test_a_justified_cell_wraps_inside_its_row():
    # "order symbol;   automatic sizing and" / "space handling": the stretched space is no column
    # (no other row has a cell there) and the wrapped line continues the cell
    lines = [
        ln("\\order \\order{x^2} → O x2 order symbol; automatic sizing and", 78.6, 519.4, 601.8,
           [(78.6, "\\order"), (169.0, "\\order{x^2} → O x2"), (350.1, "order symbol;"), (422.0, "automatic sizing and")]),
        ln("space handling", 350.1, 413.8, 589.8),
        ln("\\order*{x} → O(x) star for no resize", 169.0, 422.4, 577.8, [(169.0, "\\order*{x} → O(x)"), (350.1, "star for no resize")]),
        ln("\\comm \\comm{A}{B} → [A, B] automatic sizing", 78.6, 440.0, 565.8,
           [(78.6, "\\comm"), (169.0, "\\comm{A}{B} → [A, B]"), (350.1, "automatic sizing")]),
    ]
    assert paragraphs(lines, 539.0) == ["\\order | \\order{x^2} → O x2 | order symbol; automatic sizing and space handling\n"
                                        "\\order*{x} → O(x) | star for no resize\n"
                                        "\\comm | \\comm{A}{B} → [A, B] | automatic sizing"]


def test_a_matrix_beside_a_cell_sets_no_grid():
    # two shared columns only ("a b" over "c d groups …"): no table of three columns
    lines = [ln("Some text before the matrix that ends here.", 72.0, 300.0, 730.0),
             ln("a b", 320.3, 339.7, 711.6, [(320.3, "a"), (336.0, "b")]),
             ln("c d groups a set of matrix elements", 320.8, 569.7, 699.7, [(320.8, "c"), (335.0, "d"), (400.0, "groups a set of matrix elements")])]
    assert "d groups" not in "\n".join(paragraphs(lines, 539.0)).replace("|", "")


def test_a_matrix_in_a_cell_is_a_formula_piece_of_its_row():
    # "\mqty(a & b \\ c & d) →" then the matrix's rows "a b" / "c d" (0.6 em above and below the
    # row's baseline), then "parentheses" on the row's baseline: one row, no "c | d" / "parentheses"
    row = ln("\\mqty(a & b \\\\ c & d) →", 195.1, 316.5, 675.6, mono=True, page=8)
    top = ln("a b", 327.6, 347.0, 681.6, [(327.6, "a"), (343.0, "b")], page=8)
    low = ln("c d", 328.1, 347.6, 669.7, [(328.1, "c"), (343.0, "d")], page=8)
    out = rejoin_late_cells([row, top, low, ln("parentheses", 400.1, 449.7, 675.6, page=8)])
    assert [c[1] for c in out[0].cells] == ["\\mqty(a & b \\\\ c & d) → a b c d", "parentheses"]
    # the matrix's last row and the comment in one PDFium line: its columns are pieces, the
    # comment (a cell gap further) the next cell
    first = ln("\\matrixquantity \\mqty{a & b \\\\ c & d} →", 78.6, 316.5, 705.6,
               [(78.6, "\\matrixquantity"), (195.1, "\\mqty{a & b \\\\ c & d} →")], mono=True, page=8)
    top = ln("a b", 320.3, 339.7, 711.6, [(320.3, "a"), (336.0, "b")], page=8)
    tail = ln("c d groups a set of matrix elements into a", 320.8, 569.7, 699.7,
              [(320.8, "c"), (335.0, "d"), (400.0, "groups a set of matrix elements into a")], y_end=705.6, page=8)
    out = rejoin_late_cells([first, top, tail])
    assert [c[1] for c in out[0].cells] == ["\\matrixquantity", "\\mqty{a & b \\\\ c & d} → a b c d",
                                            "groups a set of matrix elements into a"]


def test_no_table_from_stretched_prose_an_example_output_or_a_spanned_number():
    # flint.pdf: a justified line whose every space is stretched past a cell gap, the same
    # sentence three lines lower: prose, not two rows of a twelve-column table
    words = "Clean up resources used by precomputed powers which have been computed by".split()
    cells = [(97.5 + 35 * k, w) for k, w in enumerate(words)]
    stretched = [ln(" ".join(words), 97.5, 522.8, y, cells, page=137) for y in (272.7, 227.9)]
    lines = [stretched[0], ln("_fmpz_poly_powers_precompute.", 97.5, 245.3, 260.7, mono=True, page=137),
             ln("void fmpz_poly_powers_clear(fmpz_poly_powers_precomp_t pinv)", 72.2, 380.3, 242.8, page=137),
             stretched[1]]
    assert not any(" | " in b for b in paragraphs(lines, 523.0))
    # octave.pdf: "⇒ 1 0 0" (a math arrow: proportional) over "0 1 0" / "0 0 1" in a code font
    out = [ln("⇒ 1 0 0", 141.3, 202.9, 280.4, [(141.3, "⇒"), (165.0, "1"), (181.0, "0"), (198.0, "0")], page=27),
           ln("0 1 0", 163.9, 202.9, 267.0, [(164.0, "0"), (182.0, "1"), (198.0, "0")], mono=True, page=27),
           ln("0 0 1", 163.9, 202.5, 253.9, [(164.0, "0"), (181.0, "0"), (199.0, "1")], mono=True, page=27)]
    assert not any("0 | 1 | 0" in b for b in paragraphs(out, 523.0))
    # doxygen: a number spanning columns under a row of numbers is no wrapped cell of that row
    rows = [ln("Right Center Left", 250.4, 346.8, 692.7, [(250.9, "Right"), (288.0, "Center"), (332.0, "Left")], page=53),
            ln("10 10 10", 264.0, 338.2, 678.7, [(264.0, "10"), (297.0, "10"), (330.0, "10")], page=53),
            ln("1000", 328.6, 347.2, 665.8, page=53)]
    assert "10 | 10 | 10 1000" not in "\n".join(paragraphs(rows, 523.0))


def test_a_stretched_line_whose_sentence_goes_on_sets_no_grid():
    # octave.pdf: the same "See also:" line (five parts: its spaces stretched) twice on a page,
    # each ending with a comma, the list going on in the next line: prose, not a table
    def see(y: float) -> Line:
        parts = [(119.4, "See also:"), (183.0, "[base64 encode],"), (271.0, "page 971,"),
                 (334.0, "[matlab.net.base64decode],"), (471.0, "page 972,")]
        return ln(" ".join(t for _, t in parts), 119.4, 521.2, y, parts, page=987)
    lines = [see(300.0), ln("[matlab.net.base64encode], page 971.", 120.1, 294.0, 287.0, page=987),
             ln("A sentence about the next function that is long enough.", 119.2, 457.9, 260.0, page=987),
             see(183.5), ln("[matlab.net.base64encode], page 971.", 120.1, 294.0, 170.4, page=987)]
    assert not any(" | " in b for b in paragraphs(lines, 522.0))
