"""Issue 10, round 9 (round 8's held-out math PDFs — liboctave, octave, maximabook — were the
development set). Real PDFs built here (content streams placed by hand, read by PDFium via
``parse_pdf``) or ``Line`` objects as PDFium's reader gives them."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams
from test_pdf_diagrams import FONTS, prose, tj

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_cells import rejoin_late_cells
from fineflow_desktop.core.ingest.pdf_lines import Line


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
