"""Issue 10, round 18 (glpk-doc's PDFs and ``--math``, messagepassing and mismath were the
development set): text set in the margin is read before the line it stands beside
(``pdf_lines._margin_cuts``, ``pdf_runs.margin_first``); a header set lower than the page's edge
that carries the page's number is furniture (``pdf_furniture._folio_band_lines``)."""

from __future__ import annotations

from pathlib import Path

from pdf_objects import pdf_file
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


def test_a_product_of_subscripted_symbols_is_two_words():
    # glpk.pdf: "∑ a_j x_j" set in CMMI with the subscripts 7 pt and lowered read "∑ajxj" (one word;
    # pdftotext: "aj xj"); a subscript followed by a symbol back on the baseline ends a word
    def sub(base: str, script: str) -> str:
        return f"/M 10 Tf 0 Ts ({base}) Tj /M 7 Tf -1.5 Ts ({script}) Tj "
    formula = ("BT /M 10 Tf 200 640 Td " + sub("a", "j") + sub("x", "j") + "/M 10 Tf 0 Ts ( + ) Tj "
               + sub("c", "i") + sub("y", "i") + "/M 10 Tf 0 Ts ( = ) Tj " + sub("b", "k") + "ET\n")
    page = prose("Before", 72, 720) + formula + prose("After", 72, 600)
    text = parse_pdf(Path("glpk.pdf"), pdf_from_streams([page], {"R": "Times-Roman", "M": "CMMI10"})).text
    assert "aj xj + ci yi = bk" in text


# Times-Roman advance widths (1/1000 em) of the letters the listing below uses
_WIDTH = {"n": 500, "e": 444, "w": 722, "p": 500, "r": 333, "o": 500, "c": 444, "s": 389, "i": 278, "t": 278,
          "h": 500, "l": 278, "g": 500, "a": 444, "d": 500, "m": 778}


def letter_by_letter(x: float, y: float, word: str, gap: float = 1.5, size: float = 10) -> str:
    """*word* as LaTeX's ``listings`` sets it in a proportional font: each letter placed on its
    own, *gap* pt after the one before."""
    out = f"BT /R {size} Tf {x:.2f} {y:.2f} Td "
    for ch in word:
        out += f"({ch}) Tj {_WIDTH[ch] * size / 1000 + gap:.2f} 0 Td "
    return out + "ET\n"


def test_a_listing_set_letter_by_letter_reads_as_words():
    # messagepassing.pdf: a listing in CMR10, letters 1.2 pt apart: PDFium made up a space between
    # most of them ("\ n ew p r o c e s swi t hl e n g t h {p}{4}")
    page = (prose("Before", 72, 720) + letter_by_letter(90, 650, "newprocesswithlength")
            + letter_by_letter(90, 638, "sendwithname") + prose("After", 72, 600))
    text = parse_pdf(Path("messagepassing.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "newprocesswithlength" in text and "sendwithname" in text


def test_tex_angle_brackets_read_as_angle_brackets():
    # messagepassing.pdf, nauty's nug28.pdf: ltxdoc's \meta{label} and ⟨γ1⟩ set in CMSY10, whose glyph
    # names no glyph list maps: PDFium read the codes, "[hlabeli]", "hγ1i"
    line = ("BT /R 10 Tf 72 660 Td (The syntax of the environment is \\\\begin{messagepassing} [) Tj /S 10 Tf (h) Tj "
            "/I 10 Tf (label) Tj /S 10 Tf (i) Tj /R 10 Tf (] and the group is ) Tj /S 10 Tf (h) Tj /R 10 Tf (g1, g2) Tj "
            "/S 10 Tf (i) Tj /R 10 Tf ( with four orbits in the end.) Tj ET\n")
    page = prose("Before", 72, 720) + line + prose("After", 72, 600)
    text = parse_pdf(Path("messagepassing.pdf"),
                     pdf_from_streams([page], {"R": "Times-Roman", "I": "Times-Italic", "S": "CMSY10"})).text
    assert "[⟨label⟩] and the group is ⟨g1, g2⟩ with four orbits" in text


def tjf(x: float, y: float, text: str, font: str, size: float = 10) -> str:
    text = text.replace("(", "\\(").replace(")", "\\)")
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def test_a_label_over_an_indented_paragraph_keeps_its_sentence_whole():
    # glpk.pdf: a bold label on its own line, the paragraph under it indented on its first line and
    # justified: its stretched sentence space made "(The MPS" a flush-right label, and the lines at
    # the text's edge after the indented first line a paragraph of their own ("… to the" / "specified
    # problem object."); inline code ending the sentence on a line of its own ("NULL.") stays inline
    page = (tjf(72, 720, "Description", "B")
            + tjf(88, 702, "The routine glp_write_mps writes problem data in MPS format to a text file.", "R")
            + tjf(497, 702, "(The MPS", "R")
            + tjf(72, 688, "format is described in Appendix B, page 148.) It is the same routine as used by the", "R")
            + tjf(72, 674, "command line solver, which reads and writes these files in both versions of the format.", "R")
            + tjf(72, 652, "Returns", "B")
            + tjf(88, 634, "The routine glp_get_row_name returns a pointer to an internal character buffer which then holds the", "R")
            + tjf(72, 620, "symbolic name of the row. However, if the row has no assigned name at all in the object, the routine returns", "R")
            + tjf(72, 606, "NULL.", "C")
            + tjf(72, 584, "Comments", "B")
            + tjf(88, 566, "Names are assigned with the routine glp_set_row_name and may be changed at any time while", "R")
            + tjf(72, 552, "the problem object exists; every name is at most 255 characters long in any case at all.", "R"))
    text = parse_pdf(Path("glpk.pdf"), pdf_from_streams([page], {"R": "Times-Roman", "B": "Times-Bold",
                                                                 "C": "Courier"})).text
    assert "to a text file. (The MPS format is described in Appendix B, page 148.)" in text
    assert "which then holds the symbolic name of the row." in text
    assert "the routine returns NULL." in text and "```" not in text
    assert "\nComments\n" in text and "Comments Names" not in text


def type3_code_pdf(stream: str) -> bytes:
    """A one-page PDF with a Type 3 typewriter without a name (/M, every glyph 600/1000 em) and
    Times-Roman (/R) for the text and a listing's line numbers (mismath.pdf's shape)."""
    glyphs = {" ": "space", "\\": "backslash", "{": "braceleft", "}": "braceright", "[": "bracketleft",
              "]": "bracketright", "#": "numbersign", "@": "at",
              **{d: n for d, n in zip("0123456789", ["zero", "one", "two", "three", "four", "five", "six", "seven",
                                                      "eight", "nine"])}}
    codes = range(32, 126)
    names = " ".join("/" + glyphs.get(chr(c), chr(c) if chr(c).isalpha() else "space") for c in codes)
    procs = " ".join(f"/{n} 3 0 R" for n in sorted({"space", *glyphs.values(), *(chr(c) for c in codes if chr(c).isalpha())}))
    font = (f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
            f"/CharProcs << {procs} >> /Encoding << /Type /Encoding /Differences [32 {names}] >> "
            f"/FirstChar 32 /LastChar 125 /Widths [{' '.join(['600'] * len(codes))}] /Resources << >> >>").encode()
    glyph = b"600 0 0 0 400 600 d1 0 0 400 600 re f"
    content = stream.encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
               b"<< /Length %d >>\nstream\n" % len(glyph) + glyph + b"\nendstream", font,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /M 4 0 R /R 5 0 R >> >> "
               b"/Contents 7 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    return pdf_file(objects)


def test_a_numbered_listing_in_a_type3_typewriter_is_one_code_block():
    # mismath.pdf: ltxdoc's macrocode in a Type 3 typewriter (no name, no FixedPitch flag), each line
    # numbered in the text font: the number's font named the line, so the even advances were never
    # read and the listing ran into prose ("21 }{\@mwarning{#1}} 22 } 23 \newcommand …"); a line of
    # a number and a brace ("22 }") is too short to tell its font by
    page = prose("Before", 72, 720)
    y = 670
    for number, code in [(18, "\\\\newcommand\\\\@mmacro[2]{"), (19, "  \\\\@ifundefined{#1}{"),
                         (20, "    \\\\expandafter\\\\def\\\\csname #1\\\\endcsname{#2}"), (21, "  }{\\\\@mwarning{#1}}"),
                         (22, "}"), (23, "\\\\newcommand\\\\@moperator[3][]{")]:
        page += tj(72, y, str(number), size=7) + f"BT /M 9 Tf 86 {y} Td ({code}) Tj ET\n"
        y -= 11
    page += prose("After", 72, y - 14)
    text = parse_pdf(Path("mismath.pdf"), type3_code_pdf(page)).text
    blocks = text.split("\n\n")
    assert len(blocks) == 3, blocks
    code = blocks[1].split("\n")
    assert code[0] == code[-1] == "```"
    assert [c.split()[0] for c in code[1:-1]] == ["18", "19", "20", "21", "22", "23"]
