"""Issue 10, round 8 (round 7's held-out math PDFs were the development set): text after a
dropped figure goes on with the sentence that ran into the figure; a line that PDFium joined
over a line end keeps its first baseline when scripts join it; letters outside the BMP (math
italic) stay. Real PDFs built here (content
streams placed by hand, read by PDFium via ``parse_pdf``)."""

from __future__ import annotations

from pathlib import Path

from test_importers_samples import pdf_from_streams
from test_pdf_diagrams import FONTS, prose, tj, xy_graph

from fineflow_desktop.core.ingest.pdf import parse_pdf
from fineflow_desktop.core.ingest.pdf_layout import paragraphs
from fineflow_desktop.core.ingest.pdf_accents import compose_accents
from fineflow_desktop.core.ingest.pdf_lines import Line
from fineflow_desktop.core.ingest.pdf_runs import join_offset_runs


def parse(page: str) -> str:
    return parse_pdf(Path("graphs.pdf"), pdf_from_streams([page], FONTS)).text


def test_a_sentence_that_runs_into_a_dropped_diagram_goes_on_after_it():
    page = (prose("Before", 720) + tj(72, 660, "Example. The following undirected graph")
            + xy_graph(600)
            + tj(72, 480, "might be coded in a text format as follows, one line per edge.")
            + prose("After", 450))
    text = parse(page)
    assert "v1" not in text.split()
    assert ("Example. The following undirected graph\n"
            "might be coded in a text format as follows, one line per edge.") in text


def test_a_new_sentence_after_a_dropped_diagram_is_a_new_paragraph():
    # the text before ended its sentence, or the text after starts one: no sentence runs on
    page = (tj(72, 660, "Example. The following undirected graph is shown below.") + xy_graph(600)
            + tj(72, 480, "might be coded in a text format as follows, one line per edge."))
    assert "shown below.\n\nmight be coded" in parse(page)
    page = (tj(72, 660, "Example. The following undirected graph") + xy_graph(600)
            + tj(72, 480, "The graph might be coded in a text format as follows."))
    assert "undirected graph\n\nThe graph might" in parse(page)


def test_a_line_that_pdfium_joined_at_a_hyphen_keeps_its_first_baseline_when_scripts_join_it():
    # PDFium joins "as-" / "sume …" into one run over two baselines (700.2 → 687.1); a superscript
    # on the second line joins that run: the line still starts at 700.2, one spacing under the
    # line above, so the paragraph goes on (it had taken the baseline 687.1: a gap of two spacings)
    above = Line("Although vectors and matrices can be entered manually, by typing explicitly their elements,",
                 94.2, 538.7, 713.3, 10.0, False, 713.3)
    spanning = Line("very often the elements satisfy a simple law and one uses a different syntax. For example, "
                    "as\u00adsume that you want a vector whose i-th coordinate is equal to i", 72.2, 520.0, 700.2, 10.0,
                    False, 687.1)
    script = Line("2", 521.0, 525.0, 691.0, 7.0, False, 691.0, math=1.0)
    rest = Line(". No problem, type for example", 526.0, 539.5, 687.1, 10.0, False, 687.1)
    below = Line("vector(10,i, i^2) if you want a vector of length 10.", 72.3, 436.1, 674.0, 10.0, False, 674.0)
    lines = join_offset_runs([above, spanning, script, rest, below])
    assert len(lines) == 3
    assert (lines[1].y, lines[1].y_end) == (700.2, 687.1)
    assert len(paragraphs(lines)) == 1
    # a radical's run ends above where it starts (its glyph hangs from its top): no line end
    radical = Line("√2, and is the basic method", 72.5, 539.4, 292.1, 10.0, False, 301.1)
    tail = Line("x", 540.0, 545.0, 292.1, 10.0, False, 292.1)
    assert join_offset_runs([radical, tail])[0].y == 292.1


def test_math_italic_letters_outside_the_bmp_stay_in_the_text():
    # Sphinx's LaTeX sets math as Unicode math italic (U+1D434 𝐴 …): PDFium gives each such
    # character two text indices (a UTF-16 surrogate pair); both halves were dropped as unmapped
    fonts = {"R": "Helvetica", "I": "CMMI10"}
    page = (tj(72, 700, "Sets ") + tj(100, 700, "B", "I") + tj(108, 700, " to ") + tj(128, 700, "AT", "I")
            + tj(145, 700, ", the transpose of ") + tj(240, 700, "A", "I") + tj(248, 700, ". Dimensions must agree."))
    data = pdf_from_streams([page], fonts, to_unicode={"I": {0x41: "\U0001d434", 0x42: "\U0001d435", 0x54: "\U0001d447"}})
    text = parse_pdf(Path("flint.pdf"), data).text
    assert text.startswith("Sets 𝐵 to 𝐴𝑇") and "the transpose of 𝐴" in text and "\ufdd0" not in text


def test_inline_code_that_ends_a_wrapped_sentence_keeps_the_word_before_it():
    # a justified line's stretched space before its last word ("Use") is no flush-right label
    # when the next line, in a code font at the same x, ends the sentence
    lines = [
        Line("void localprec(long p) trivial wrapper around push localprec (sanity checks and convert from",
             72.3, 539.6, 304.5, 10.0, False, 304.5),
        Line("decimal digits to a number of codewords). Use push localprec.", 72.4, 379.3, 291.4, 10.0, False, 291.4),
        Line("void localbitprec(long p) trivial wrapper around push localbitprec (sanity checks). Use",
             72.3, 539.6, 269.6, 10.0, False, 269.6,
             [(72.3, "void localbitprec(long p) trivial wrapper around push localbitprec (sanity checks)."),
              (520.0, "Use")]),
        Line("push_localbitprec.", 72.1, 169.9, 256.5, 10.0, True, 256.5),
        Line("These two functions are used to implement getlocalprec for the GP interpreter.",
             94.2, 539.3, 234.6, 10.0, False, 234.6),
    ]
    blocks = paragraphs(lines)
    assert blocks[0].endswith("Use push localprec.")
    assert "void localbitprec(long p) trivial wrapper around push localbitprec (sanity checks). Use push_localbitprec." in blocks
    # a code block under such a line stays a code block, and a real label stays a label
    code = [lines[2], Line("push_localbitprec(p)", 72.1, 169.9, 256.5, 10.0, True, 256.5),
            Line("pop_localprec()", 72.1, 169.9, 244.5, 10.0, True, 244.5)]
    assert paragraphs(code)[-1] == "```\npush_localbitprec(p)\npop_localprec()\n```"


def test_an_inline_fraction_s_lower_half_and_its_ceiling_join_their_line():
    # texinfo's "m = 1 + ⌈p log 2 / log b⌉" inline: "log b" (7 pt) centred under "p log 2", set back
    # left of its end, and the ceiling's glyph hanging from a baseline 1.13 em up; both read as
    # lines of their own ("log b" / "m" torn out of the sentence)
    line = Line("rounding to nearest. More precisely, we have m = 1 + lp log 2", 86.5, 374.2, 629.8, 10.9, False, 629.8)
    lower = Line("log b", 359.4, 374.6, 626.1, 7.0, False, 626.1)
    ceiling = Line("m", 376.1, 378.9, 641.1, 10.0, False, 641.1, math=1.0)
    rest = Line(", with p replaced by p − 1 if b", 382.1, 525.4, 629.8, 10.9, False, 629.8)
    nxt = Line("is a power of 2.", 86.5, 158.0, 614.9, 10.9, False, 614.9)
    joined = join_offset_runs([line, lower, ceiling, rest, nxt])
    assert [ln.text for ln in joined] == [
        "rounding to nearest. More precisely, we have m = 1 + lp log 2 log bm , with p replaced by p − 1 if b",
        "is a power of 2."]
    # a smaller line that starts back at the left edge is the next line (a footnote), not a denominator
    note = Line("1 See the GMP manual for the details of this function.", 86.5, 300.0, 622.0, 8.0, False, 622.0)
    assert len(join_offset_runs([line, note])) == 2


def test_an_accent_set_as_its_own_glyph_joins_its_letter():
    # plain TeX's \accent: the accent glyph, then the letter ("Math´ematiques" from PDFium)
    # (the accent's advance taken back by a kern, so the letter sits under it)
    page = "BT /R 10 Tf 72 700 Td [(Institut de Math\xb4) 333 (ematiques de Bordeaux, Teichm\xa8) 333 (uller character.)] TJ ET\n"
    text = parse(page)
    assert "Mathématiques" in text and "Teichmüller" in text, text
    # a spacing accent after a space (a quoted mark) stays as it is
    assert compose_accents("the mark ´ alone and x ´e") == "the mark ´ alone and x ´e"


def test_a_code_line_with_its_comment_in_roman_is_a_code_line():
    # PARI's examples: "ellorder(E, q) \\ simpler", the comment set in a text font, so the line
    # is not monospace as a whole; it was read as prose between two parts of the sentence
    lines = [
        Line("you will see that the height is exactly zero, hence q must be a torsion point. Indeed, typing",
             72.2, 539.4, 700.2, 10.0, False, 700.2),
        Line("for(k=1, 5, print(ellmul(E, q,k)))", 105.7, 298.1, 687.1, 10.0, True, 687.1),
        Line("ellorder(E, q) \\\\ simpler", 105.9, 253.4, 674.0, 10.0, False, 674.0,
             [(105.9, "ellorder(E, q)"), (190.0, "\\\\ simpler")], lead_mono=True),
        Line("we see in two different ways that q is a point of order 5.", 72.2, 425.3, 654.4, 10.0, False, 654.4),
    ]
    assert paragraphs(lines)[1] == "```\nfor(k=1, 5, print(ellmul(E, q,k)))\nellorder(E, q) \\\\ simpler\n```"
    # a code term beside its definition (a word starts it) is no code line
    term = Line("-c string   Read commands from string.", 105.9, 330.0, 674.0, 10.0, False, 674.0,
                [(105.9, "-c string"), (190.0, "Read commands from string.")], lead_mono=True)
    assert not any(b.startswith("```") for b in paragraphs([lines[0], term, lines[3]]))
    # nor a code name and its meaning after a dash (glpk's "GLP_DUAL — use two-phase dual simplex;")
    dash = Line("GLP_DUAL — use two-phase dual simplex;", 105.9, 330.0, 674.0, 10.0, False, 674.0,
                [(105.9, "GLP_DUAL"), (160.0, "— use two-phase dual simplex;")], lead_mono=True)
    assert not any(b.startswith("```") for b in paragraphs([lines[0], dash, lines[3]]))
