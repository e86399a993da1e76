"""bench/doc_metrics.py: the chunk-text metrics of the documentation benchmark (issue 10)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from doc_metrics import fidelity, has_break_in_sentence, has_torn_fragment, ngram_set, words  # noqa: E402


def test_numbered_list_markers_are_not_page_text():
    # <ol> items: the browser draws the numbers, the page's text has none (SQLite, round 5)
    page = words("The OS layer was reworked. The switch interface has been removed from the library.")
    chunk = "1. The OS layer was reworked.\n2. The switch interface has been removed from the library."
    assert fidelity(chunk, ngram_set(page), set(page)) == 1.0
    printed = words("Steps: 1. Define the file object now. 2. Register the new object there.")
    assert fidelity("Steps:\n\n1. Define the file object now.\n2. Register the new object there.",
                    ngram_set(printed), set(printed)) == 1.0


def test_a_one_cell_row_between_table_rows_is_no_torn_fragment():
    rows = "ptrdiff_t | getOffsetLimit () const\ntemplate<>\nbool | as () const"
    assert not has_torn_fragment(rows)
    assert has_torn_fragment("more akin to varchar(\n\nn\n\n)char(.")


def test_a_line_between_code_blocks_is_no_torn_fragment():
    # printed so (gnuplot.pdf, round 5): the sentence runs through two displayed commands
    chunk = ("To use gamma correction, instead of\n\n```\nset palette defined ( 0 0 0 0, 1 1 1 1 )\n```\n\n"
             "use e.g.\n\n```\nset palette defined ( 0 0 0 0, 0.5 .73 .73 .73, 1 1 1 1 )\n```\n\n"
             "or even more intermediate points until the interpolation fits.")
    assert not has_torn_fragment(chunk)
    assert has_torn_fragment(chunk.replace("```\nset palette defined ( 0 0 0 0, 1 1 1 1 )\n```", "varchar("))


def test_one_cell_rows_of_a_table_block_are_no_torn_fragments():
    # Haskell 98 Prelude index: a two-column table whose second cell most rows leave out (round 6)
    rows = ("pred :: Enum a => a -> a | pred True = False\nor :: [Bool] -> Bool\notherwise :: Bool\n"
            "pi :: Floating a => a\nprint :: Show a => a -> IO () | adds a newline")
    assert not has_torn_fragment(rows)
    assert has_torn_fragment("see the x | y table or\notherwise\nfor details")


def test_a_column_of_names_and_a_finished_label_are_no_torn_fragments():
    # Sphinx ipaddress.html: attributes listed as separate <dl>s without definitions (round 6)
    names = "see the documentation of the IPv4Address class:\n\npacked\n\nreverse_pointer\n\nversion\n\nis_private"
    assert not has_torn_fragment(names)
    # texinfo @table of file names without text, inside the sentence (gnu-maintain)
    files = "upload the three files:\n\nfoo-1.0.tar.gz\nfoo-1.0.tar.gz.sig\nfoo.asc\n\nto the host ftp-upload.gnu.org."
    assert not has_torn_fragment(files)
    # javadoc: <span class="deprecated-label">Deprecated.</span><div class="deprecation-comment">as of 3.6…
    assert not has_torn_fragment("public class WordUtils extends Object\n\nDeprecated.\n\nas of 3.6, use WordUtils.")
    # the column of pieces is still torn: "_" is no name and breaks the column
    assert has_torn_fragment("CREATE SEQUENCE\n\ntablename\n\n_\n\ncolname\n\n_seq and more")
    assert has_torn_fragment("use the\n\nfoo\n\nbar and more")


def test_a_numbered_display_and_text_between_two_displays_are_no_torn_fragments():
    # round 7 (glpk's graphs manual, crc-doc): a linear program's objective set on its own line
    # with its equation number, and "where" between two displayed formulas, as printed
    lp = "The problem can be formulated as the following LP problem: maximize\nF (4)\nsubject to\nx ≥ 0 (5)"
    assert not has_torn_fragment(lp)
    assert not has_torn_fragment("When D ≥ W, v(x) may be represented as\nv(x) = vL(x) + vH(x) · xD\nwhere\n"
                                 "vH(x) = v(x) mod xD, deg vH(x) < W.")
    # a fragment torn out of a sentence is still one: no number, no display on both sides
    assert has_torn_fragment("more akin to varchar(\nn\n)char(. than to text")
    assert has_torn_fragment("the value x = 1 is set by\nCREATE\nwhen the table is made")


def test_a_display_formula_inside_its_paragraph_is_no_torn_fragment():
    # round 8 (R-intro.pdf): the LD50 formula displayed inside its sentence, kept on its own line
    display = ("where F(z) = Φ(z) in the probit case. In both cases the LD50 is\nLD50 = −β0/β1\n"
               "that is, the point at which the argument of the distribution function is zero.")
    assert not has_torn_fragment(display)
    # the same line set apart by blank lines (an HTML fragment torn out) still counts
    assert has_torn_fragment("In both cases the LD50 is\n\nLD50 = −β0/β1\n\nthat is, the point at which")


def test_a_column_of_short_lines_that_start_alike_is_no_torn_fragment():
    # round 9 (gnuplot.pdf's X resources, octave.pdf's signatures of one function): a list set
    # line by line, read so from the PDF, no blank line between
    resources = ("Color resources (default values):\ngnuplot*background: white\ngnuplot*textColor: black\n"
                 "gnuplot*borderColor: black\ngnuplot*axisColor: black\nThe command-line syntax is as follows.")
    assert not has_torn_fragment(resources)
    assert not has_torn_fragment("See also: [mesh].\nhidden\nhidden on\nhidden off\nmode = hidden (…)\n: Control it.")
    # an example's output, one result a line (chemformula's manual)
    assert not has_torn_fragment("The bonds are printed as\nsingle: CH3 CH3\ndouble: CH2 CH2\ntriple: CH CH\nand so on")
    # a piece between the longer lines of its sentence, or set apart by blank lines, counts as before
    assert has_torn_fragment("more akin to varchar(\nn\n)char(. than to text")
    assert has_torn_fragment("use the\n\nfoo\n\nbar and more")
    assert has_torn_fragment("list the\n\nhidden on\n\nhidden off\n\nhidden and more")


def test_accented_letters_decomposed_in_the_reference_are_the_same_words():
    # pdftotext writes "é" as "e" + U+0301 (round 13, mecaso.pdf): read apart, every accented
    # French word of the chunk lost its 4-grams
    page = words("L\u2019expression inte\u0301grale de la quantite\u0301 peut e\u0302tre obtenue en utilisant")
    chunk = "L\u2019expression intégrale de la quantité peut être obtenue en utilisant"
    assert fidelity(chunk, ngram_set(page), set(page)) == 1.0


def test_a_column_of_names_begun_by_a_definition_line_is_no_torn_fragment():
    # the libxml2 site's API index (round 13): a word, then the names of the functions that use it,
    # one linked name per <br> line of the <dd>; the column's first name carries the ": "
    index = "format\n: xsltFormatNumberConversion\nxsltNumberFormat\nxsltTransformError"
    assert not has_torn_fragment(index)
    # a one-letter piece between a definition line and a lower-case line is still torn
    assert has_torn_fragment("type\n: is more akin to varchar(\nn\n)char(. than to text")


def test_a_label_paragraph_ending_with_a_colon_is_no_torn_fragment():
    # pydoc (round 13): "Methods defined here:" after an <hr>, above the class's signatures
    chunk = ("Method resolution order:\n: ChainMap\n\n: builtins.object\n\nMethods defined here:\n\n"
             "__bool__(self)\n__contains__(self, key)")
    assert not has_torn_fragment(chunk)
    # the same words inside a paragraph, between the parts of a sentence, still count
    assert has_torn_fragment("the methods that the class defines are\nMethods defined here:\n"
                             "listed below in the order of their names")


def test_a_lead_in_line_ending_its_paragraph_or_a_label_opening_one_is_no_torn_fragment():
    # pydoc -w hashlib and difflib (round 18): a wrapped lead-in whose last line ends with the colon
    # and its paragraph; a label line opening the paragraph of the lines it heads
    assert not has_torn_fragment("Named constructor functions are also available, these are faster\n"
                                 "than using new(name):\n\nmd5(), sha1(), sha224(), sha256()")
    assert not has_torn_fragment("__init__(self, tabsize=8)\n: HtmlDiff instance initializer\n\n"
                                 "Arguments:\ntabsize -- tab stop spacing, defaults to 8.")
    # a colon inside the paragraph, the sentence going on on the next line, still counts
    assert has_torn_fragment("Named constructor functions are also available, these are faster\n"
                             "than using new(name):\nmd5(), sha1(), sha224(), sha256()")


def test_a_name_dash_description_entry_ends_no_sentence():
    # RDoc's pages of asciidoctor (round 16): TomDoc's argument lines, each a paragraph of its own
    chunk = ("Public: Associate this Block with a new parent Block\n\n"
             "parent - The Block to set as the parent of this Block\n\n"
             "return a Boolean indicating whether the option has been specified")
    assert not has_break_in_sentence(chunk)
    # a sentence broken between two plain paragraphs still counts
    assert has_break_in_sentence("Associate this Block with a new parent Block and\n\n"
                                 "return a Boolean indicating whether it changed")


def test_words_read_latin_ligatures_as_their_letters():
    # round 18: pdftotext writes the ligature glyphs of glpk.pdf's fonts as U+FB00-FB06
    # ("coeﬃcient"); the parser (PDFium) writes their letters: one word, not a lost 4-gram
    page = words("the constraint coeﬃcients are diﬀerent from the ﬁrst row")
    assert page == words("the constraint coefficients are different from the first row")
    assert fidelity("constraint coefficients are different", ngram_set(page), set(page)) == 1.0


def test_the_reference_also_reads_a_sentence_across_a_page_break():
    # round 18 (nauty's nug28.pdf): "… essential that exactly the" / 27 / (next page) running header
    # / "same value of active …": the parser drops the page's furniture, pdftotext keeps it
    from doc_metrics import without_page_edges
    words_of = ["alpha beta gamma", "delta epsilon zeta", "eta theta iota", "kappa lambda mu"]
    pages = [f"{words_of[n]} goes on here with more words than a header\nand ends with a sentence about {words_of[n]} that runs on\n{n + 1}"
             for n in range(3)]
    pages = [pages[0]] + [f"nauty and Traces User's Guide (Version 2.8.6)\n{words_of[n + 1]} starts the next page.\n" + p
                          for n, p in enumerate(pages[1:])] + ["nauty and Traces User's Guide (Version 2.8.6)\nthe end."]
    text = without_page_edges("\f".join(pages))
    assert "alpha beta gamma that runs on\ndelta epsilon zeta starts the next page." in text
    assert "Guide (Version 2.8.6)" not in text


def test_tex_angle_brackets_are_also_read_as_pdftotext_reads_them():
    # round 18: the parser writes "⟨label⟩" for CMSY's angle brackets; pdftotext writes the codes,
    # "hlabeli" or, after an italic correction, "hlabel i"
    for page_text in ("the syntax is begin hsender i hreceiver i and the rest",
                      "the syntax is begin hsenderi hreceiveri and the rest"):
        page = words(page_text)
        assert fidelity("the syntax is begin ⟨sender⟩ ⟨receiver⟩ and the rest", ngram_set(page), set(page)) == 1.0


def test_a_sentence_end_after_a_closing_bracket_a_doctest_line_or_parallel_forms_are_no_torn_fragment():
    # round 19: pydoc -w difflib's wrapped docstring, its doctest, man2html's ln(1) SYNOPSIS
    assert not has_torn_fragment("word is a sequence for which close matches are desired (typically a\n"
                                 "string).\n\npossibilities is a list of sequences against which to match word")
    assert not has_torn_fragment(">>> for line in unified_diff('one two three four'.split(),\n"
                                 "... 'zero one tree four'.split(), 'Original', 'Current',\n"
                                 "... lineterm=''):\n... print(line) # doctest: +NORMALIZE_WHITESPACE")
    assert not has_torn_fragment("ln [,OPTION/]... [,-T/] ,TARGET LINK_NAME/\nln [,OPTION/]... ,TARGET/\n"
                                 "ln [,OPTION/]... ,TARGET/... ,DIRECTORY/")
    # a piece torn out of its sentence still counts, also one that opens with "... " outside a doctest
    assert has_torn_fragment("word is a sequence for which close matches are desired (typically a\n"
                             "string\nis the text to match")
    assert has_torn_fragment("the result is printed as\n... lineterm\nand the rest goes on")


def test_a_line_opening_with_a_dot_before_a_letter_continues_no_sentence():
    # Python-Markdown's Bootstrap grid page (round 19): one <div> per column, each holding its class
    chunk = "{{< example class=\"bd-example-row\" >}}\n\n.col-md-8\n\n.col-6 .col-md-4\n\n.col-6 .col-md-4"
    assert not has_torn_fragment(chunk)
    # a piece torn out of its sentence, the next line going on after it, still counts
    assert has_torn_fragment("more akin to varchar( than to\n\nn\n\n). char is shorter")


def test_a_page_without_a_declared_charset_is_read_as_utf8_when_it_is(tmp_path):
    # texlive's readme.ja.html (round 20): a fragment with no <head>; libxml2 read it as Latin-1,
    # so every Japanese chunk scored 0-3% against mojibake
    import bench_ingest_docs as b

    page = tmp_path / "readme.ja.html"
    page.write_bytes("<h1>TeX Live へようこそ</h1><p>TeX Live ディストリビューションは，完全な TeX システムを提供するものです．</p>"
                     .encode())
    grams, vocab = b.page_reference(page)
    assert fidelity("TeX Live ディストリビューションは，完全な TeX システムを提供するものです．", grams, vocab) == 1.0
