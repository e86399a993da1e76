"""pdf_layout.paragraphs on lines built by hand: the structures it recovers from positions and fonts."""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_spacing import align_margins

SIZE = 10.0


def line(text, x0, y, x1=500.0, cells=None, mono=False, size=SIZE, page=1, page_start=False):
    return Line(text, x0, x1, y, size, mono, y, cells or [], page, page_start)


def test_aligned_cells_are_table_rows_and_justified_prose_is_not():
    lines = [
        line("Intro to the table of sizes:", 72, 700, 300),
        line("2 CARD16 MAJOR", 72, 688, 260, [(72, "2"), (120, "CARD16"), (200, "MAJOR")]),
        line("4 CARD32 ALIAS", 72, 676, 260, [(72, "4"), (120, "CARD32"), (200, "ALIAS")]),
        # one wide gap in a justified line: no neighbour lines up with it, so it stays prose
        line("A justified line with one wide gap in it that", 72, 652, 500, [(72, "A justified line with"), (230, "one wide gap in it that")]),
        line("goes on here.", 72, 640, 200),
    ]
    assert paragraphs(lines) == [
        "Intro to the table of sizes:",
        "2 | CARD16 | MAJOR\n4 | CARD32 | ALIAS",
        "A justified line with one wide gap in it that goes on here.",
    ]


def test_side_by_side_terms_and_hanging_definitions_become_definition_entries():
    lines = [
        line("Options have these meanings:", 72, 700, 300),
        line("-a Mark each variable for export", 90, 688, 500, [(90, "-a"), (126, "Mark each variable for export")]),
        line("to the environment.", 126, 676, 250),
        line("-b Report the status of jobs.", 90, 664, 400, [(90, "-b"), (126, "Report the status of jobs.")]),
        # a signature with a flush-right label, wrapped; its text below at another indent
        line("int f (const char * name, [Function]", 72, 640, 500, [(72, "int f (const char * name,"), (450, "[Function]")]),
        line("int flags)", 110, 628, 160),
        line("Deletes the thing called name.", 95, 616, 300),
    ]
    assert paragraphs(lines) == [
        "Options have these meanings:",
        "-a\n: Mark each variable for export to the environment.",
        "-b\n: Report the status of jobs.",
        "int f (const char * name, int flags) [Function]\n: Deletes the thing called name.",
    ]


def test_a_paragraph_goes_on_over_a_page_break_and_a_finished_one_does_not():
    page1 = [line("The first paragraph runs to the foot of the", 72, 100, 500, page=1),
             *[line(f"Filler {k} of the odd page.", 72, 90 - 12 * k, 300) for k in range(3)]]
    # even pages: the text block 8 pt further right (both its edges)
    page2 = [line("page and ends on the next one.", 80, 700, 308, page=2),
             line("Another paragraph starts here and", 80, 676, 508, page=2),
             line("wraps once.", 80, 664, 208, page=2)]
    page3 = [line("A new paragraph on a new page.", 72, 700, 300, page=3),
             *[line(f"Filler {k} of the odd page.", 72, 690 - 12 * k, 300) for k in range(2)]]
    pages = [page1, page2, page3]
    align_margins(pages)
    assert page2[0].page_start and page2[0].x0 == 72 and page2[1].page == 2
    pages = [page1[:1], page2, page3[:1]]
    assert paragraphs([ln for p in pages for ln in p]) == [
        "The first paragraph runs to the foot of the page and ends on the next one.",
        "Another paragraph starts here and wraps once.",
        "A new paragraph on a new page.",
    ]


def test_a_one_sided_layout_does_not_move():
    # a man page: section names at the margin on some pages only, the right edge the same on all
    odd = [line("NAME", 72, 700, 110), *[line(f"Text {k} of the page.", 108, 690 - 12 * k, 540) for k in range(4)],
           line("SYNOPSIS", 72, 600, 120), line("OPTIONS", 72, 560, 120)]
    even = [line(f"Text {k} of the even page.", 108, 700 - 12 * k, 540, page=2) for k in range(5)]
    align_margins([odd, even])
    assert [ln.x0 for ln in even] == [108] * 5


def test_monospace_lines_are_code_with_their_columns():
    lines = [
        line("Example:", 72, 700, 120),
        line("2 CARD16 MAJOR", 72, 688, 260, [(72, "2"), (96, "CARD16"), (144, "MAJOR")], mono=True),
        line("10 X Y", 72, 676, 260, [(72, "10"), (96, "X"), (144, "Y")], mono=True),
    ]
    assert paragraphs(lines) == ["Example:", "```\n2   CARD16  MAJOR\n10  X       Y\n```"]


def test_a_term_in_a_code_font_with_its_text_indented_below():
    lines = [
        line("Variables:", 72, 700, 150),
        line("HISTTIMEFORMAT", 72, 688, 160, mono=True),
        line("If set, its value is a format for the time stamp of each", 126, 676, 500),
        # a stretched sentence space wider than CELL_GAP: still one line of the definition
        line("entry. The history file keeps it.", 126, 664, 400, [(126, "entry."), (170, "The history file keeps it.")]),
        line("• Recommends", 72, 640, 160, mono=True),
        line("Use this for packages that help.", 126, 628, 400),
        line("make all", 90, 604, 140, mono=True),  # two code lines: a code block
        line("make install", 90, 592, 160, mono=True),
    ]
    assert paragraphs(lines) == [
        "Variables:",
        "HISTTIMEFORMAT\n: If set, its value is a format for the time stamp of each entry. The history file keeps it.",
        "Recommends\n: Use this for packages that help.",
        "```\nmake all\nmake install\n```",
    ]
