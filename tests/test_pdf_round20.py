"""Round 20 (issue 10, PDF text fidelity): rules on lines built by hand, each failing on the code before."""

from __future__ import annotations

from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_lines import Line

SIZE = 10.0


def line(text, x0, y, x1=500.0, cells=None, mono=False, size=SIZE, page=1):
    return Line(text, x0, x1, y, size, mono, y, cells or [], page)


def test_a_flush_right_label_goes_with_the_block_its_line_starts():
    # gap-hpc.pdf (GAPDoc): "▷ RunAsyncTask(func[, arg1, ..., argn])" with "(function)" flush right,
    # a gap above it: the label went to the end of the paragraph before ("1.2.4 RunAsyncTask (function)")
    lines = [
        line("1.2.4 RunAsyncTask", 72, 700, 190),
        line("▷ RunAsyncTask(func[, arg1, ..., argn]) (function)", 72, 676, 500,
             [(72, "▷ RunAsyncTask(func[, arg1, ..., argn])"), (455, "(function)")]),
        line("RunAsyncTask creates an asynchronous task. It works like RunTask (1.2.1), except", 72, 652, 500),
        line("that its result will be ignored: the task runs in the background and nobody waits", 72, 640, 500),
        line("for it to finish, as a task started for its side effects needs no result and no", 72, 628, 500),
        line("waiting.", 72, 616, 120),
    ]
    assert paragraphs(lines) == [
        "1.2.4 RunAsyncTask",
        "▷ RunAsyncTask(func[, arg1, ..., argn]) (function)",
        "RunAsyncTask creates an asynchronous task. It works like RunTask (1.2.1), except that its result will "
        "be ignored: the task runs in the background and nobody waits for it to finish, as a task started for "
        "its side effects needs no result and no waiting.",
    ]


def test_a_definition_lines_label_after_a_paragraph_stays_with_its_term():
    # mpfr.pdf (texinfo): a paragraph, then "int mpfr_init2 (mpfr t x, mpfr prec t prec)" with "[Function]"
    # flush right after a gap, its text hanging under it: "[Function]" ended the paragraph before
    lines = [
        line("The functions mpfr_init and mpfr_init2 are used for that purpose.", 72, 700, 400),
        line("void mpfr_init2 (mpfr t x, mpfr prec t prec) [Function]", 72, 676, 500,
             [(72, "void mpfr_init2 (mpfr t x, mpfr prec t prec)"), (450, "[Function]")]),
        line("Initialize x, set its precision to be exactly prec bits and its value to NaN.", 100, 664, 500),
    ]
    assert paragraphs(lines) == [
        "The functions mpfr_init and mpfr_init2 are used for that purpose.",
        "void mpfr_init2 (mpfr t x, mpfr prec t prec) [Function]\n: Initialize x, set its precision to be exactly "
        "prec bits and its value to NaN.",
    ]


def test_a_thin_space_where_the_font_changes_is_a_space():
    # maximabook.pdf: TeX sets "sin x" with a thin space between the roman operator and the italic
    # argument (0.085-0.11 em between the letters' boxes there, under ``_missing_spaces``' gap); PDFium
    # read "sinx", "logx" (pdftotext: "sin x"). A font change without a gap (an italic stem, a roman
    # ending) stays one word.
    from pathlib import Path

    from test_importers_samples import pdf_from_streams

    from fineflow_desktop.core.ingest.pdf import parse_pdf

    def prose(words: str, y: float) -> str:
        return "".join(f"BT /R 10 Tf 72 {y - 12 * k} Td ({words} line {k} of this paragraph goes on with more words"
                       f"{'.' if k == 3 else ''}) Tj ET\n" for k in range(4))

    formula = ("BT /R 10 Tf 200 640 Td [(2 sin)] TJ /I 10 Tf [-120 (x)] TJ /R 10 Tf [( + log)] TJ /I 10 Tf "
               "[-120 (y)] TJ /R 10 Tf [( + )] TJ /I 10 Tf [(Max)] TJ /R 10 Tf [(ima)] TJ ET\n")
    page = prose("Before", 720) + formula + prose("After", 600)
    text = parse_pdf(Path("maximabook.pdf"), pdf_from_streams([page], {"R": "Times-Roman", "I": "Times-Italic"})).text
    assert "2 sin x + log y + Maxima" in text


def test_a_flush_right_part_with_an_open_bracket_or_a_comma_is_no_label():
    # bashref.pdf: a justified line's stretched last space set "(see" apart at the right edge; read as
    # a label it went to the paragraph's end ("… page 23). (see"); zsh.pdf: "… as sh or ksh: NO_BAD_PATTERN,"
    lines = [
        line("The exit status of the last command is available in the special parameter $? (see", 72, 700, 500,
             [(72, "The exit status of the last command is available in the special parameter $?"), (478, "(see")]),
        line("Section 3.4.2 [Special Parameters], page 23). The following options are set if the", 72, 688, 500),
        line("shell is invoked as sh or ksh, or as anything else that starts with an s: NO_BAD_PATTERN,", 72, 676, 500,
             [(72, "shell is invoked as sh or ksh, or as anything else that starts with an s:"), (420, "NO_BAD_PATTERN,")]),
        line("NO_BANG_HIST and NO_BG_NICE.", 72, 664, 220),
    ]
    assert paragraphs(lines) == [
        "The exit status of the last command is available in the special parameter $? (see Section 3.4.2 [Special "
        "Parameters], page 23). The following options are set if the shell is invoked as sh or ksh, or as anything "
        "else that starts with an s: NO_BAD_PATTERN, NO_BANG_HIST and NO_BG_NICE.",
    ]
