"""core.ingest.html_blocks on the shapes of round 6's development corpus (issue 10): the Haskell 98
report, hand-written HTML of the 1990s (``bench_ingest_docs.py --round5-held-out --only
haskell98``, read in round 6). Each snippet is modelled on a real page and fails on the walker
of round 5."""

from test_html_blocks import sections

NB = "&nbsp;"


def test_monospace_lines_with_br_and_nbsp_indentation_are_a_code_block():
    # basic.html: <LI>… thus: <tt><br>\n\n<br>\n&nbsp;&nbsp;enumFrom …<br>…</tt></UL>
    got = sections(
        "<h3>6.3.4 The Enum Class</h3><UL><LI><tt>enumFrom</tt> should be defined with\nan implicit bound, thus:\n"
        f"<tt><br>\n\n<br>\n{NB*2}enumFromThen{NB}x{NB}y{NB}={NB}enumFromThenTo{NB}x{NB}y{NB}bound<br>\n"
        f"{NB*4}where<br>\n{NB*6}bound{NB}|{NB}fromEnum{NB}y{NB}&gt;={NB}fromEnum{NB}x{NB}={NB}maxBound<br>\n"
        f"{NB*12}|{NB}otherwise{NB*4}={NB}minBound<br>\n\n<br>\n\n</tt></UL><p>\nThe following types are instances:")
    assert got == [(["6.3.4 The Enum Class"],
                     "- enumFrom should be defined with an implicit bound, thus:\n"
                     "  ```\n"
                     "    enumFromThen x y = enumFromThenTo x y bound\n"
                     "      where\n"
                     "        bound | fromEnum y >= fromEnum x = maxBound\n"
                     "              | otherwise    = minBound\n"
                     "  ```\n\n"
                     "The following types are instances:")]


def test_a_code_display_between_sentence_parts_keeps_the_prose_around_it():
    # exps.html: "For example, the expression <tt><br><br>…<br><br></tt>cannot possibly mean <tt>…"
    got = sections(
        "<h3>3 Expressions</h3><p>\nFor example, the expression\n"
        f"<tt><br>\n\n<br>\n{NB*2}let{NB}x{NB}={NB}True{NB}in{NB}x{NB}=={NB}True<br>\n\n<br>\n\n</tt>"
        "cannot possibly mean\n"
        f"<tt><br>\n\n<br>\n{NB*2}let{NB}x{NB}={NB}True{NB}in{NB}(x{NB}=={NB}True)<br>\n\n<br>\n\n</tt>"
        "because (==) is non-associative.<p>")
    assert got == [(["3 Expressions"],
                     "For example, the expression\n\n```\n  let x = True in x == True\n```\n\n"
                     "cannot possibly mean\n\n```\n  let x = True in (x == True)\n```\n\n"
                     "because (==) is non-associative.")]


def test_a_one_cell_framed_table_of_monospace_lines_is_a_code_block():
    # array.html: <table border=2 cellpadding=3><tr><td><tt><br>module&nbsp;&nbsp;Array&nbsp;(…<br>…</tt></td></tr></table>
    got = sections(
        "<h2>16 Arrays</h2><p>\n<table border=2 cellpadding=3>\n<tr><td>\n<tt><br>\n"
        f"module{NB*2}Array{NB}({NB}<br>\n{NB*8}Array,{NB}array,{NB}bounds{NB})</tt><tt>{NB}where<br>\n<br>\n"
        f"import{NB}Ix<br>\n<br>\n</tt></td></tr></table>\n<p>\nArrays are functions whose domains are indices.")
    assert got == [(["16 Arrays"],
                     "```\nmodule  Array ( \n        Array, array, bounds ) where\n\nimport Ix\n```\n\n"
                     "Arrays are functions whose domains are indices.".replace("( \n", "(\n"))]


def test_inline_code_with_a_single_br_stays_inline():
    got = sections("<h2>Notes</h2><p>Call <tt>f<br>x</tt> and <code>g y</code> then.</p>")
    assert got == [(["Notes"], "Call f\nx and g y then.")]


def test_a_display_of_only_line_breaks_is_a_paragraph_break():
    got = sections("<h2>Notes</h2><p>First part<tt><br>\n<br>\n</tt>second part.</p>")
    assert got == [(["Notes"], "First part\n\nsecond part.")]


def test_a_display_split_over_monospace_and_italic_pieces_stays_one_line():
    # exps.html: <tt><br><br>let&nbsp;(x,y)&nbsp;=&nbsp;undefined&nbsp;in&nbsp;</tt><I>e</I><tt><br><br></tt>does not…
    got = sections(
        "<h3>3.12 Let Expressions</h3><p>For example, \n<tt><br>\n\n<br>\n"
        f"let{NB}(x,y){NB}={NB}undefined{NB}in{NB}</tt><I>e</I><tt><br>\n\n<br>\n\n</tt>"
        "does not cause an execution-time error until <tt>x</tt> is evaluated.<p>")
    assert got == [(["3.12 Let Expressions"],
                     "For example,\n\n```\nlet (x,y) = undefined in e\n```\n\n"
                     "does not cause an execution-time error until x is evaluated.")]


def test_inline_link_bars_and_their_short_lines_are_navigation():
    # every page of the report: "<i>The Haskell 98 Report</i><br> <a>top</a> | <a>back</a> | … <br><hr>"
    # above the first heading, and the same bar with the date below the last paragraph
    bar = ("<i>The Haskell 98 Report</i><br> <a href='index.html'>top</a> | <a href='ix.html'>back</a> | "
           "<a href='list.html'>next</a> | <a href='index98.html'>contents</a> <br>")
    got = sections(f"{bar}<hr><h2>16 Arrays</h2><p>Arrays are functions.<hr>{bar}<font size=2>December 2002</font>")
    assert got == [(["16 Arrays"], "Arrays are functions.")]
    # Django's Sphinx theme: a bar of links without a site name
    got = sections("<div><a href='/'>Home</a> | <a href='c.html'>Table of contents</a> | <a href='i.html'>Index</a>"
                   "</div><h1>Aggregation</h1><p>Text.</p>")
    assert got == [(["Aggregation"], "Text.")]


def test_links_in_sentences_and_comma_separated_links_are_text():
    got = sections("<h2>See also</h2><p><a href='a.html'>foldr</a>, <a href='b.html'>foldl</a></p>"
                   "<p>Use <a href='a.html'>top</a> | <a href='b.html'>back</a> to move between the pages "
                   "of this long report.<br><a href='c.html'>next</a> | <a href='d.html'>up</a></p>")
    assert got == [(["See also"], "foldr, foldl\n\nUse top | back to move between the pages of this long report.")]


def test_definitions_written_without_dd_are_kept_under_their_term():
    # decls.html: <DL><DT>Rule 1.</DT>We say … <I>unrestricted</I> if and only if:<DL><DT>(a):</DT>every …
    # </DL>The usual …<p><DT>Rule 2.</DT>Any monomorphic …</DL> — the text was dropped
    got = sections(
        "<h3>The monomorphism restriction</h3><p>\n<DL><DT>\nRule 1.\n</DT>\n\nWe say that a group is <I>unrestricted"
        "</I> if and only if:\n<DL><DT>\n(a):\n</DT>\n\nevery variable is bound by a function binding, <I>and\n</I>"
        "<DT>\n(b):\n</DT>\n\nan explicit type signature is given.\n</DL>\nThe usual restriction applies.<p>\n"
        "<DT>\nRule 2.\n</DT>\n\nAny monomorphic type variables are <I>ambiguous</I>.\n</DL>"
        "<DL><DT>x</DT><DD>the first</DD> and more.<DT>y</DT></DL>")
    assert got == [(["The monomorphism restriction"],
                     "Rule 1.\n: We say that a group is unrestricted if and only if:\n\n"
                     "(a):\n: every variable is bound by a function binding, and\n\n"
                     "(b):\n: an explicit type signature is given.\n\n"
                     "The usual restriction applies.\n\n"
                     "Rule 2.\n: Any monomorphic type variables are ambiguous.\n\n"
                     "x\n: the first and more.\n\ny")]


def test_ordered_lists_number_from_their_start_and_item_values():
    # index.html: Part II's libraries continue the chapter numbers in another column, <ol start=12>
    got = sections("<h3>Part II: Libraries</h3><ol start=12><li><a href='ratio.html'>Ratio</a>"
                   "<li><a href='complex.html'>Complex</a></ol><ol><li>a<li value='7'>b<li>c<li value='x'>d</ol>")
    assert got == [(["Part II: Libraries"], "12. Ratio\n13. Complex\n\n1. a\n7. b\n8. c\n9. d")]
