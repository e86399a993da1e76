"""Issue 10, round 18 (glpk-doc's PDFs and ``--math``, messagepassing and mismath were the
development set): text set in the margin is read before the line it stands beside
(``pdf_lines._margin_cuts``, ``pdf_runs.margin_first``); a header set lower than the page's edge
that carries the page's number is furniture (``pdf_furniture._folio_band_lines``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf


def tj(x: float, y: float, text: str, size: float = 10) -> str:
    text = text.replace("\\", "\\\\")
    return f"BT /R {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def prose(first_words: str, x: float, y: float) -> str:
    return "".join(tj(x, y - 12 * k, f"{first_words} line {k} of this paragraph goes on with some more words"
                      + ("." if k == 3 else "")) for k in range(4))


def margin_line(before: str, mark: str, margin: str, after: str, back: float = 52, on: float = 212) -> str:
    """One text object as pdfTeX writes it: *before*, a raised footnote *mark*, then the margin
    note *margin* drawn *back* pt left of the line's start, then *after* *on* pt right of it."""
    esc = [t.replace("\\", "\\\\") for t in (before, margin, after)]
    return (f"BT /R 10 Tf 170 660 Td ({esc[0]}) Tj /R 7 Tf 4 Ts ({mark}) Tj /R 9 Tf 0 Ts -{back} 0 Td ({esc[1]}) Tj "
            f"{on} 0 Td /R 10 Tf ({esc[2]}) Tj ET\n")


def test_a_margin_note_drawn_mid_line_is_read_before_the_line():
    # mismath.pdf (LaTeX, \marginpar): the macro's name in the left margin is drawn where it is
    # called, after "\underbrace¹¹", so PDFium read "… alias for \underbrace11 \unbr , making …"
    page = (prose("Before", 170, 720)
            + margin_line("\\unbr is an alias for \\underbrace", "11", "\\unbr", ", making source code more compact.")
            + prose("After", 170, 630))
    text = parse_pdf(Path("mismath.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "\\unbr ," not in text
    assert "\\underbrace11 , making source code more compact." in text
    assert text.index("\\unbr") < text.index("is an alias for")


def test_a_margin_note_on_a_line_of_its_own_goes_before_the_line_it_stands_beside():
    # mismath.pdf: PDFium split "By default, the \vect command" / "\vect , produces vectors …"
    # (one baseline; the margin name starts the second "line")
    page = (prose("Before", 170, 720)
            + margin_line("By default, the \\vect command", "6", "\\vect",
                          ", produces vectors with arrows (thanks to the esvect package)", on=192)
            + prose("After", 170, 630))
    text = parse_pdf(Path("mismath.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "\n: , produces" not in text
    assert "By default, the \\vect command6 , produces vectors" in text


def test_a_header_set_low_with_the_page_number_is_dropped():
    # 4ti2_manual.pdf (A4 text on letter paper): the header sits 100 pt down, outside the page's
    # edge; a section of one page never repeats its title, so "4.3. Example program: qsolve 4"
    # was read into the text; the page numbers at the foot of the other pages give the offset
    pages = [prose(f"Page {n}", 92, 640) + prose(f"More {n}", 92, 580) + tj(300, 43, str(n)) for n in (1, 2, 3)]
    pages.append(tj(92, 692, "4.3. Example program: qsolve                                      4")
                 + prose("Page 4", 92, 640) + prose("More 4", 92, 580))
    text = parse_pdf(Path("4ti2.pdf"), pdf_from_streams(pages, {"R": "Times-Roman"})).text
    assert "qsolve" not in text
    assert "Page 4 line 0 of this paragraph" in text
