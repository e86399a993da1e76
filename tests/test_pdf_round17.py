"""Issue 10, round 17 (maint-guide.pdf, glpk-doc's PDFs and fhs-3.0.pdf were the development set):
footnote marks are set apart from the words they were glued to — the reference reads
``crashing.[2] Note``, the note is a paragraph of its own, ``[2] This term is …``
(``pdf_marks``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_marks import note_marks


def tj(x: float, y: float, text: str, font: str = "R", size: float = 10) -> str:
    return f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET\n"


def prose(first_words: str, y: float, end: str = ".") -> str:
    return "".join(tj(72, y - 12 * k, f"{first_words} line {k} of this paragraph goes on with some more words"
                      + (end if k == 3 else "")) for k in range(4))


def raised(x: float, y: float, before: str, mark: str, after: str, size: float = 10) -> str:
    """One line with a footnote mark raised 0.4 em in a 0.7 smaller size between *before* and *after*."""
    return (f"BT /R {size} Tf {x:.2f} {y:.2f} Td ({before}) Tj /R {size * 0.7:.1f} Tf {size * 0.4:.1f} Ts ({mark}) Tj "
            f"/R {size} Tf 0 Ts ({after}) Tj ET\n")


def test_a_raised_mark_and_its_note_are_set_apart():
    # glpk.pdf (LaTeX): "… called crashing.²  Note that …" and at the page's foot, in 9 of 10.9 pt,
    # "²This term is from early …": read as "crashing.2 Note" and "2This term"
    page = (prose("Before", 720)
            + raised(72, 660, "way to construct an initial basis is to use API routines, which implement so called crashing.",
                     "2", " Note that on normal exit")
            + tj(72, 648, "the simplex solver remains the basis valid, so there is no need to construct a basis.")
            + prose("After", 620)
            + raised(85, 80, "", "2", "This term is from early linear programming systems and means a heuristic.", size=8)
            + tj(300, 42, "35"))
    text = parse_pdf(Path("glpk.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "so called crashing.[2] Note that on normal exit" in text
    assert "\n\n[2] This term is from early linear programming systems" in text
    assert "2This term" not in text and "crashing.2" not in text


def test_a_mark_set_on_the_baseline_pairs_with_the_note_that_starts_with_it():
    # maint-guide.pdf (DBLaTeX via xdvipdfmx): the reference is a full-size "1" after a space and
    # the note, 8 pt under the text, starts with its number set against the first word
    page = (tj(57, 700, "This document is made available for the Debian Buster release since this offers many")
            + tj(57, 688, "translations. This document will be dropped since contents are getting outdated. 1")
            + prose("After", 660)
            + tj(57, 136, "1The document assumes you are using a jessie or newer system. If you need to follow", size=8)
            + tj(57, 127, "this text in an older system, you must install backported packages, at least.", size=8))
    text = parse_pdf(Path("maint-guide.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "contents are getting outdated.[1]" in text
    assert "\n\n[1] The document assumes you are using a jessie" in text


def test_a_superscript_without_a_note_is_left_alone():
    # a raised digit that no note on the page starts with is a power, not a reference
    page = (prose("Before", 720) + raised(72, 660, "The area of the circle is pi r", "2", " for a radius r.")
            + prose("After", 630))
    text = parse_pdf(Path("area.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "[2]" not in text
    assert "pi r2 for a radius r." in text


def test_a_note_after_a_note_that_ends_without_a_period_is_a_paragraph_of_its_own():
    # fhs-3.0.pdf (FOP): note 1 ends with a URL; note 2 ran into it ("… ctan.tug.org/tex/ 2 For example")
    page = (prose("Before", 720) + raised(72, 660, "The TeX fonts go into subdirectories of the fonts directory.", "1", "")
            + raised(72, 648, "Formatted man pages are written to the cache directory, see the example.", "2", "")
            + prose("After", 620)
            + raised(72, 104, "", "1", " This standard does not currently incorporate the TeX Directory Structure, which", size=8)
            + tj(72, 94, "may be useful reading. It is located at ftp://ctan.tug.org/tex/", size=8)
            + raised(72, 84, "", "2", " For example, /usr/share/man/man1/ls.1 is formatted into /var/cache/man/cat1/ls.1.", size=8))
    text = parse_pdf(Path("fhs.pdf"), pdf_from_streams([page], {"R": "Times-Roman"})).text
    assert "subdirectories of the fonts directory.[1]" in text
    assert "see the example.[2]" in text
    assert "It is located at ftp://ctan.tug.org/tex/\n\n[2] For example" in text


def test_a_mark_on_a_line_of_its_own_goes_back_to_the_line_it_ends():
    # fhs-3.0.pdf: PDFium gave the raised "2" after "(… may be missing.)" as a line of its own
    lines = [Line("usr and/or trailing share pathname components. (Note that the component may be missing.)",
                  120.3, 520.0, 184.2, 10.0, False, 184.2),
             Line("2", 120.2, 123.0, 176.7, 7.5, False, 176.7),
             Line("Man pages written to /var/cache/man may eventually be transferred to the directories", 120.1, 520.0, 150.1,
                  10.0, False, 150.1),
             Line("hierarchy may be expired if they are not accessed for a period of time.", 120.1, 400.0, 138.1, 10.0,
                  False, 138.1),
             Line("2 For example, /usr/share/man/man1/ls.1 is formatted into /var/cache/man/cat1/ls.1.", 72.2, 500.0, 84.5,
                  8.0, False, 84.5, note=True)]
    out = note_marks(lines)
    assert [ln.text for ln in out] == [
        "usr and/or trailing share pathname components. (Note that the component may be missing.)[2]",
        lines[2].text, lines[3].text,
        "[2] For example, /usr/share/man/man1/ls.1 is formatted into /var/cache/man/cat1/ls.1."]


def test_a_title_loses_its_mark():
    # mnotes.pdf, nauty's nug28.pdf: LaTeX's \thanks sets "∗" after the title (17 pt) and its note
    # at the foot; "comments[∗]" would stand in every heading path of the document
    lines = [Line("mnotes — annotate documents with margin comments∗", 150.0, 460.0, 700.0, 17.0, False, 700.0,
                  marks=[("∗", 0, False)]),
             *[Line(f"Body line {k} of the first paragraph of the package documentation, which goes on.", 72.0, 520.0,
                    640.0 - 12 * k, 10.0, False, 640.0 - 12 * k) for k in range(6)],
             Line("∗This document corresponds to mnotes v0.9, dated 2022/25/05.", 84.0, 400.0, 90.0, 8.0, False, 90.0,
                  marks=[("∗", 0, True)])]
    out = note_marks(lines)
    assert out[0].text == "mnotes — annotate documents with margin comments"
    assert out[-1].text == "[∗] This document corresponds to mnotes v0.9, dated 2022/25/05."


def test_a_section_number_is_no_loose_reference():
    # maint-guide.pdf p. 59: note 1's reference stands after "grep SONAME 1" (no punctuation: not
    # taken); the one other "1" after a letter and a period is the section number of "A.1 Shared
    # libraries", which lost its "1" (a typography-only heading "A. Shared libraries")
    lines = [Line("A.1 Shared libraries", 57.1, 200.0, 441.5, 14.3, False, 441.5, bold=True),
             *[Line(f"Line {k} of the text about shared libraries, which you should read in detail before packaging.",
                    57.0, 566.0, 411.6 - 12 * k, 10.0, False, 411.6 - 12 * k) for k in range(6)],
             Line("• The SONAME of a shared library libfoo.so.1: objdump -p libfoo.so.1 | grep SONAME 1", 57.3, 520.0,
                  177.8, 10.0, False, 177.8),
             Line("1Alternatively: readelf -d libfoo.so.1 | grep SONAME", 71.3, 300.0, 100.5, 8.0, False, 100.5)]
    out = note_marks(lines)
    assert out[0].text == "A.1 Shared libraries"
    assert out[-1].text == "[1] Alternatively: readelf -d libfoo.so.1 | grep SONAME"
