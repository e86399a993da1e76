"""PDF round 16 (issue 10): numbered titles closed by a period, from plain TeX without an outline."""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_headings import follows, split_runs
from fineflow_desktop.core.ingest.pdf_lines import Line

BODY = 10.0


def line(text, x0, y, size=BODY, bold=False, x1=540.0, page=1, page_start=False):
    return Line(text, x0, x1, y, size, False, y, [], page, page_start, bold)


def paths(runs):
    return [(run[0], [ln.text for ln in run[1]]) for run in runs if run[1]]


def body(y, n, prefix="Body line"):
    return [line(f"{prefix} {k} of the text, which runs on to the right margin of", 72, y - 13 * k) for k in range(n)]


def test_numbered_titles_ending_in_a_period_are_headings_with_their_levels():
    # pari tutorial.pdf (plain TeX, no outline): "5. Performing Linear Algebra." bold 12 pt after a
    # gap of ~3 line spacings; "12.1. Elements." bold at body size; "13.1.1." nests under "13.1."
    page = [
        *body(760, 3),
        line("1. Performing Linear Algebra.", 72, 680, size=12, bold=True, x1=266),
        *body(660, 3, "Algebra"),
        line("2. Working in General Number Fields.", 72, 580, size=12, bold=True, x1=327),
        line("2.1. Elements.", 72, 550, bold=True, x1=156),
        *body(530, 3, "Elements"),
        line("2.1.1. Properties.", 72, 470, bold=True, x1=172),
        *body(450, 3, "Properties"),
    ]
    assert [p for p, _ in paths(split_runs([page], BODY, []))] == [
        [],
        ["1. Performing Linear Algebra"],
        ["2. Working in General Number Fields", "2.1. Elements"],
        ["2. Working in General Number Fields", "2.1. Elements", "2.1.1. Properties"],
    ]


def test_a_bold_numbered_sentence_or_item_out_of_sequence_stays_text():
    page = [
        line("1. Greetings!.", 72, 800, size=12, bold=True, x1=180),
        *body(780, 2, "Hello"),
        line("2. Warming up.", 72, 730, size=12, bold=True, x1=180),
        *body(710, 2),
        # a bold numbered item after a gap, but "1." does not continue "2."
        line("1. Install the package.", 72, 680, bold=True, x1=200),
        *body(660, 2, "Item"),
        # the next number, but no gap above it: a line of the paragraph
        line("3. Elementary Arithmetic Functions.", 72, 634, bold=True, x1=300),
        *body(621, 2, "Tail"),
        # not bold: a sentence that starts with a number
        line("5. We now compute the fixed field.", 72, 560, x1=300),
    ]
    runs = paths(split_runs([page], BODY, []))
    assert [p for p, _ in runs] == [["1. Greetings!"], ["2. Warming up"]]
    assert "1. Install the package." in runs[1][1] and "5. We now compute the fixed field." in runs[1][1]


def test_numbering_sequence():
    assert follows((1,), None) and follows((1, 1), None) and not follows((5,), None)
    assert follows((3, 3), (3, 2)) and follows((4,), (3, 2)) and follows((3, 2, 1), (3, 2))
    assert follows((3, 5), (3, 2))  # a heading missed between
    assert not follows((1,), (3,)) and not follows((3, 2), (3, 2)) and not follows((3, 1), (3, 2))
    assert not follows((3, 2, 1, 1), (3, 2)) and follows((4, 1), (3, 2))  # "4." missed


def test_a_number_nests_only_under_its_own_parent_number():
    # "3.1" set like "2." while "3." was missed: not a child of "2."
    page = [
        line("1. Greetings.", 72, 800, bold=True, x1=180),
        *body(780, 2, "Hello"),
        line("2. Warming up.", 72, 730, bold=True, x1=180),
        *body(710, 2),
        line("3.1. Types.", 72, 650, bold=True, x1=180),
        *body(630, 2, "Types"),
    ]
    assert [p for p, _ in paths(split_runs([page], BODY, []))] == [["1. Greetings"], ["2. Warming up"], ["3.1. Types"]]


def test_a_big_bars_limits_stay_in_their_table_row():
    # physics.pdf's command table: "\eval(x|_0^\infty → x" with its limits "∞" (1.2 em above) and
    # "0" (1.0 em below) set in script size as lines of their own, then the row's last cell
    from fineflow_desktop.core.ingest.pdf_cells import rejoin_late_cells

    def ln(text, x0, x1, y, size, mono=False):
        return Line(text, x0, x1, y, size, mono, y, [], 1, False, False)

    rows = rejoin_late_cells([
        ln("\\eval(x|_0^\\infty → x", 169.0, 285.9, 705.0, 9.96, mono=True),
        ln("∞", 290.2, 297.1, 717.0, 6.97),
        ln("0", 290.1, 293.3, 695.1, 6.97),
        ln("alternate form", 350.2, 411.8, 705.0, 9.96),
        ln("\\eval[x|_0^\\infty → x", 169.0, 283.9, 680.1, 9.96, mono=True),
    ])
    assert [r.text for r in rows][:1] == ["\\eval(x|_0^\\infty → x ∞ 0 alternate form"]
    assert len(rows) == 2 and [t for _, t in rows[0].cells][-1] == "alternate form"


def test_a_lone_raised_exponent_is_no_limit():
    # mismath.pdf: "(1 + a/n)^n may be better than …": the exponent "n" in script size above, nothing
    # stacked under it: the display stays as it was (no row of cells)
    from fineflow_desktop.core.ingest.pdf_cells import rejoin_late_cells

    def ln(text, x0, x1, y, size, cells=()):
        return Line(text, x0, x1, y, size, False, y, list(cells), 1, False, False)

    lines = [
        ln("ea ∼ 1 + a", 219.7, 267.7, 438.4, 9.56),
        ln("n", 263.3, 267.9, 431.3, 9.56),
        ln("n", 274.3, 277.6, 447.6, 6.69),
        ln("may be better than ea ∼ 1 +", 289.5, 417.7, 438.4, 9.56,
           cells=[(289.5, "may be better than"), (370.0, "ea ∼ 1 +")]),
    ]
    assert [r.text for r in rejoin_late_cells(lines)] == [r.text for r in lines]
