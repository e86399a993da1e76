"""Issue 10, round 19 (the PDF rows above the torn-fragment and paragraph-break goals were the
development set): a character's size includes its text matrix's scale (``pdf_chars.font_size``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf


def scaled_line(x: float, y: float, words: list[str]) -> str:
    """One line as Acrobat Distiller 3 wrote dvips' output: set at ``1 Tf`` under a text matrix
    scaled to 10 pt, its word spaces stretched a little (``Tw``, in the unscaled text space)."""
    return f"BT /R 1 Tf 0.08 Tw 10 0 0 10 {x:.2f} {y:.2f} Tm ({' '.join(words)}) Tj ET\n"


def test_words_set_at_one_point_under_a_scaled_matrix_are_prose_not_table_cells():
    # amsguide.pdf (Acrobat Distiller 3.02 from dvips): PDFium's size of each character was the
    # 1 of "1 Tf", so every word space (3-4 pt) was wider than a 1-em cell gap; each line became
    # a table row of one-word cells ("Version | 2.0 | of | AMS-TEX | …") and each paragraph broke
    # where the rows ended. At 10 pt the spaces are word spaces again.
    text = ("Version two of the macros was released in the year of the second edition of the book and "
            "it contained numerous minor improvements and bug fixes as well as some major changes "
            "involving additional fonts that the users had asked for over the years since the first "
            "release was made and then the present version was released in August of that year.")
    words, lines, line = text.split(), [], []
    for w in words:
        if sum(len(v) + 1 for v in line) + len(w) > 70:
            lines.append(line)
            line = []
        line.append(w)
    lines.append(line)
    page = "".join(scaled_line(72, 700 - 12 * k, ln) for k, ln in enumerate(lines))
    parsed = parse_pdf(Path("amsguide.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert " | " not in parsed
    assert "the book and it contained numerous minor improvements" in " ".join(parsed.split())
    assert "\n\n" not in parsed.strip()


def tj(x: float, y: float, text: str, font: str = "R", size: float = 10.9) -> str:
    text = text.replace("\\", "\\\\")
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def test_a_txfonts_typewriter_is_a_code_font():
    # moderncv_userguide.pdf: the example is set in txfonts' typewriter "t1xtt", whose FixedPitch
    # flag is unset and whose name carried no known code-font word, so "% moderncv themes" /
    # "\moderncvtheme[blue]{classic}" read as prose between two sentences (a torn fragment)
    page = (tj(89, 700, "in the preamble, you will substitute the line that describes the theme of the document")
            + tj(89, 686, "with the following two lines, the first of them a comment:")
            + tj(89, 663, "% moderncv themes", "T") + tj(89, 649, "\\moderncvtheme[blue]{classic}", "T")
            + tj(89, 626, "to obtain a classic moderncv in blue, as shown in figure 2."))
    text = parse_pdf(Path("moderncv.pdf"), pdf_from_streams([page], {"R": "Times-Roman", "T": "ENAOOG+t1xtt"})).text
    assert "```\n% moderncv themes\n\\moderncvtheme[blue]{classic}\n```" in text


def test_a_stretched_sentence_space_on_a_hanging_entry_line_is_no_label():
    # btxdoc.pdf's list of fields (term, then its text with a hanging indent): justification
    # stretched the space after "reader." past a cell gap, so "The first word" read as a label set
    # flush right and went before the entry, its sentence's end "should be capitalized." left
    # behind (a paragraph break inside a sentence)
    page = (tj(135, 700, "month The month in which the work was published or, for an")
            + tj(160, 688, "unpublished work, in which it was written, as in the book.")
            + tj(135, 668, "note Any additional information that can help the reader.")
            + tj(440, 668, "The first word")
            + tj(160, 656, "should be capitalized.")
            + tj(135, 636, "number The number of a journal, magazine, technical report, or")
            + tj(160, 624, "of a work in a series of the publisher."))
    text = parse_pdf(Path("btxdoc.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "help the reader. The first word should be capitalized." in text


def item(x: float, y: float, label: str, text: str, font: str = "B") -> str:
    """A LaTeX ``description`` item's first line: *label* in *font*, then *text* in roman."""
    label = label.replace("\\", "\\\\")
    return f"BT /{font} 10 Tf {x:.2f} {y:.2f} Td ({label} ) Tj /R 10 Tf ({text}) Tj ET\n"


def test_a_description_item_with_a_bold_label_and_hanging_text_is_a_definition():
    # diffcoeff.pdf's keys (LMRoman10-Bold label, text hanging 25 pt under it): read as
    # paragraphs, "… default 0 mu" ran into the next key "derivand-sep horizontal space …", a
    # paragraph break inside a sentence to the metric and no term to the reader
    page = ("".join(tj(134, 780 - 12 * k, f"Line {k} of a paragraph before the list of keys, set at twelve points.",
                       size=10) for k in range(5))
            + item(134, 700, "slash-tok", "token or tokens used for the slash fraction; see the next")
            + tj(159, 688, "section for a different assignment; default /", size=10)
            + item(134, 668, "slash-sep", "space inserted on either side of the slash-tok; default 0 mu")
            + item(134, 648, "derivand-sep", "horizontal space added before the differentiand if the spaced")
            + tj(159, 636, "package option is set to 1; default 3mu plus 1mu minus 2mu", size=10))
    text = parse_pdf(Path("diffcoeff.pdf"), pdf_from_streams([page], {"R": "Times-Roman", "B": "Times-Bold"})).text
    assert "slash-tok\n: token or tokens used for the slash fraction; see the next section" in text
    assert "slash-sep\n: space inserted on either side of the slash-tok; default 0 mu" in text  # one line: same list
    assert "derivand-sep\n: horizontal space added" in text


def test_a_bold_run_in_heading_over_its_paragraph_is_no_definition():
    # a run-in heading ("Proof. …", LaTeX's \paragraph) has its paragraph under it at its own x
    page = (item(72, 700, "Proof.", "the first step of the argument goes on over a line or two and")
            + tj(72, 688, "then ends here with the last words of the paragraph.", size=10))
    text = parse_pdf(Path("proof.pdf"), pdf_from_streams([page], {"R": "Times-Roman", "B": "Times-Bold"})).text
    assert "\n: " not in text
    assert "Proof. the first step of the argument goes on over a line or two and then ends here" in text


def test_signature_lines_set_by_hand_stay_apart_over_a_page_break():
    # liboctave.pdf (texinfo): definition lines without a text, one under the other; the last on
    # a page stops short with room for the next page's first word, so the break was set by hand,
    # but over the page break they were joined: "SCHUR& operator = (const SCHUR &a) Matrix
    # schur_matrix (void) const"
    body = "".join(tj(90, 720 - 12 * k, f"Line {k} of the text before the definitions goes on here with"
                      " more words to fill the measure" + ("." if k == 3 else ""), size=10) for k in range(4))
    first = body + "".join(tj(90, 660 - 12 * k, s, size=10) for k, s in enumerate(
        ["SCHUR (const Matrix &a, const char *ord)", "SCHUR (const SCHUR &a, const char *ord)",
         "SCHUR& operator = (const SCHUR &a)"]))
    second = "".join(tj(90, 720 - 12 * k, s, size=10) for k, s in enumerate(
        ["Matrix schur_matrix (void) const", "Matrix unitary_matrix (void) const"])) + body.replace("Line", "Row").replace("720 -", "670 -")
    text = parse_pdf(Path("liboctave.pdf"), pdf_from_streams([first, second], {"R": "Times-Roman"})).text
    assert "SCHUR& operator = (const SCHUR &a)\nMatrix schur_matrix (void) const" in text


def test_a_texinfo_term_with_slanted_arguments_is_no_description_label():
    # zsh.pdf: "let arg ..." — the command in typewriter, its argument in slanted roman, then the
    # text; the run in a code font is followed by the term's argument, not by the body's text
    line = ("BT /C 10 Tf 90 700 Td (let ) Tj /I 10 Tf (arg ... ) Tj /R 10 Tf "
            "(Evaluate each arg as an arithmetic expression. See the chapter on the evaluation) Tj ET\n")
    page = (line + tj(126, 688, "of arithmetic expressions for a description of them and of their exit status.", size=10)
            + tj(90, 668, "The next paragraph of the manual starts here and is not part of the entry above.", size=10))
    text = parse_pdf(Path("zsh.pdf"), pdf_from_streams(
        [page], {"R": "Times-Roman", "C": "Courier", "I": "Times-Italic"})).text
    assert "let\n: " not in text


def test_a_description_label_of_two_runs_joined_by_a_connective_is_one_term():
    # nauty's dreadnaut commands: "Ad or An" — two bold names and "or" in roman — then the text,
    # hanging under it; the term is the whole label, not "Ad" with "or An Change …" as its text
    first = ("BT /B 10 Tf 72 700 Td (Ad ) Tj /R 10 Tf (or ) Tj /B 10 Tf (An ) Tj /R 10 Tf "
             "(Change the mode to dense. The dense adjacency matrix data structure will be used) Tj ET\n")
    page = (first + tj(102, 688, "for g and the dense version of nauty will be used for the x command.", size=10)
            + "".join(tj(72, 660 - 12 * k, f"Line {k} of the paragraph after the list of commands goes on here.",
                         size=10) for k in range(4)))
    text = parse_pdf(Path("nug28.pdf"), pdf_from_streams([page], {"R": "Times-Roman", "B": "Times-Bold"})).text
    assert "Ad or An\n: Change the mode to dense." in text
