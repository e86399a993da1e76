"""core.ingest.html_blocks on the shapes of round 7's development corpus (issue 10): the HTML that
groff's own grohtml device writes (``/usr/share/doc/groff-base/html/pic-*.html``,
``bench_ingest_docs.py --round6-held-out --only groff-pic``, read in round 7): displays set off
by indentation and tables that only indent. Each snippet is modelled on a real page and fails on
the walker of round 6, except the three guards (prose after a finished sentence or as a
quotation stays prose; indented lines of prose are no code; ruled, headed and signature tables
stay data tables), which pass on both. The last two page shapes are gettext's man pages through
grohtml (a development corpus of earlier rounds)."""

import sys
from pathlib import Path

from test_html_blocks import sections

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from doc_metrics import has_break_in_sentence, has_torn_fragment  # noqa: E402

SPACER = '<table width="100%" border="0" rules="none" frame="void" cellspacing="0" cellpadding="0">'


def test_a_no_fill_display_set_off_by_margin_left_is_a_code_block():
    # pic-10.html: "For example, the following program <p style=margin-left>.PS<br>box "from"<br>…"
    got = sections(
        '<h3>10.4. Using Locations</h3><p style="margin-top: 1em"><font color="#000000">For example, the '
        'following program</font></p>\n\n<p style="margin-left:10%; margin-top: 1em"><font color="#000000">.PS\n'
        '<br>\nbox &quot;from&quot; <br>\nmove 0.75; <br>\narc cw from 1/3 of the way \\ <br>\nbetween last box '
        '.n and last box .ne to last ellipse .n;\n<br>\n.PE</font></p>\n\n<p style="margin-top: 1em">'
        '<font color="#000000">yields:</font></p>')
    text = ("For example, the following program\n\n```\n.PS\nbox \"from\"\nmove 0.75;\n"
            "arc cw from 1/3 of the way \\\nbetween last box .n and last box .ne to last ellipse .n;\n.PE\n```"
            "\n\nyields:")
    assert got == [(["10.4. Using Locations"], text)]
    assert not has_torn_fragment(text)


def test_a_one_line_display_inside_a_sentence_is_a_code_block():
    # pic-15.html: "The statement <p style=margin-left>copy filename</p> inserts the contents of …"
    got = sections(
        '<h3>15.1. File and Table Insertion</h3><p style="margin-top: 1em">The statement</p>\n'
        '<p style="margin-left:10%; margin-top: 1em"><font color="#000000">copy <i>filename</i></font></p>\n'
        '<p style="margin-top: 1em">inserts the contents of <i>filename</i> in the <b>pic</b> input stream.</p>')
    text = "The statement\n\n```\ncopy filename\n```\n\ninserts the contents of filename in the pic input stream."
    assert got == [(["15.1. File and Table Insertion"], text)]
    assert not has_torn_fragment(text) and not has_break_in_sentence(text)


def test_an_indented_paragraph_after_a_finished_sentence_stays_prose():
    got = sections(
        '<h3>21.1. Lexical Items</h3><p>An end-of-line backslash is ignored.</p>\n'
        '<p style="margin-left:10%; margin-top: 1em">Here are the grammar terminals:</p>'
        '<blockquote>A quotation of one line after a lead-in.</blockquote>')
    assert got == [(["21.1. Lexical Items"], "An end-of-line backslash is ignored.\n\n"
                    "Here are the grammar terminals:\n\nA quotation of one line after a lead-in.")]


def test_a_listing_split_at_its_blank_lines_is_one_code_block():
    # pic-14.html: the macro example is several <p style=margin-left> paragraphs, one per blank-line group
    got = sections(
        '<h2>14. Macros</h2><p>As an example of macro use, consider this:</p>'
        '<p style="margin-left:10%; margin-top: 1em">.PS<br>define jumper { [<br>Outer: box invis;</p>'
        '<p style="margin-left:10%; margin-top: 1em">jwidth = last [].Outer.wid;</p>'
        '<p style="margin-left:10%; margin-top: 1em">] }<br>.PE</p><p>It yields the following:</p>')
    assert got == [(["14. Macros"], "As an example of macro use, consider this:\n\n```\n.PS\ndefine jumper { [\n"
                    "Outer: box invis;\n\njwidth = last [].Outer.wid;\n\n] }\n.PE\n```\n\nIt yields the following:")]


def test_a_spacer_table_of_numbered_rows_is_a_numbered_list():
    # pic-21.html / pic-23.html: <td width=4%>1.</td><td width=6%></td><td width=90%><p>…</p></td>
    rows = "".join(f'<tr valign="top" align="left"><td width="4%"><p>{n}.</p></td><td width="6%"></td>'
                   f'<td width="90%"><p><b>{a}</b> {b}</p></td></tr>'
                   for n, a, b in ((1, "\\n", "is a newline."), (2, "Three dots", "is a suffix.")))
    got = sections(f"<h3>21.2. Semi-Formal Grammar</h3><p>Tokens are literals, except:</p>{SPACER}{rows}</table>")
    assert got == [(["21.2. Semi-Formal Grammar"],
                    "Tokens are literals, except:\n\n1. \\n is a newline.\n2. Three dots is a suffix.")]


def test_a_spacer_table_of_tag_and_text_is_a_definition_entry():
    # pic-21.html: <td width=10%></td><td width=6%><p>INT</p></td><td width=4%></td><td width=38%><p>A positive integer.</p></td><td width=42%></td>
    got = sections(
        f'<h3>21.1. Lexical Items</h3>{SPACER}<tr valign="top" align="left"><td width="10%"></td><td width="6%">'
        '<p><font color="#000000"><small>INT</small></font></p></td><td width="4%"></td><td width="38%"><p>'
        '<font color="#000000">A positive integer.</font></p></td><td width="42%"></td></tr></table>')
    assert got == [(["21.1. Lexical Items"], "INT\n: A positive integer.")]


def test_a_tag_alone_in_a_spacer_table_takes_the_indented_text_after_it():
    # pic-6.html: <table><tr><td width=16%><p>\fR, \f1</p></td><td width=84%></td></tr></table><p style=margin-left>Set Roman…
    got = sections(
        '<h3>6.1. Text Special Effects</h3><p>All pic implementations support these escapes:</p>'
        f'{SPACER}<tr valign="top" align="left"><td width="16%"><p>\\fR, \\f1</p></td><td width="84%"></td></tr></table>'
        '<p style="margin-left:10%;">Set Roman style (the default)</p>'
        f'{SPACER}<tr valign="top" align="left"><td width="16%"><p>\\fI, \\f2</p></td><td width="84%"></td></tr></table>'
        '<p style="margin-left:10%;">Set Italic style</p>')
    assert got == [(["6.1. Text Special Effects"], "All pic implementations support these escapes:\n\n"
                    "\\fR, \\f1\n: Set Roman style (the default)\n\n\\fI, \\f2\n: Set Italic style")]


def test_a_spacer_table_right_after_a_display_goes_on_with_the_listing():
    # pic-11.html: a tab inside a no-fill display: grohtml sets the tabbed lines as a spacer table
    got = sections(
        '<h3>11.2. Block Composites</h3><p>a program that looks like</p>'
        '<p style="margin-left:10%; margin-top: 1em">.PS<br>P: [box "foo"; ellipse "bar"];<br>Q: [</p>'
        f'{SPACER}<tr valign="top" align="left"><td width="10%"></td><td width="90%"><p>[box "baz"]</p></td></tr>'
        '<tr valign="top" align="left"><td width="10%"></td><td width="90%"><p>"random text";</p></td></tr></table>'
        '<p style="margin-left:10%;">]<br>.PE</p><p>the arrow is attached to P.</p>')
    assert got == [(["11.2. Block Composites"], 'a program that looks like\n\n```\n.PS\nP: [box "foo"; ellipse "bar"];\n'
                    'Q: [\n    [box "baz"]\n    "random text";\n\n]\n.PE\n```\n\nthe arrow is attached to P.')]


def test_tables_that_rule_name_or_hold_more_than_a_tag_and_text_stay_data_tables():
    # a ruled grid, a header row, and Doxygen's signature rows ("name | ( | type | param | )") keep their cells
    ruled = sections('<h2>T</h2><table border="1"><tr><td></td><td>a</td></tr><tr><td></td><td>b</td></tr></table>')
    headed = sections("<h2>T</h2><table><tr><th>k</th><th></th><th>v</th></tr><tr><td>x</td><td></td>"
                      "<td>the value of x.</td></tr></table>")
    signature = sections('<h2>T</h2><table><tr><td>#define M</td><td>(</td><td></td><td>condition,</td></tr>'
                         "<tr><td></td><td></td><td></td><td>message</td></tr></table>")
    assert ruled == [(["T"], " | a\n | b")]
    assert headed == [(["T"], "k |  | v\nx |  | the value of x.")]
    assert signature == [(["T"], "#define M | ( |  | condition,\n |  |  | message")]


def test_a_two_column_table_with_a_gap_column_at_the_margin_keeps_its_rows():
    # SQLite lang_datefunc.html: "date(...) | <gap> | strftime(...)" — not indented: rows, the gap dropped
    got = sections("<h2>T</h2><table><tr><td>date(...)</td><td>&nbsp;&nbsp;</td><td>strftime('%Y-%m-%d', ...)</td></tr>"
                   "<tr><td>time(...)</td><td></td><td>strftime('%H:%M:%S', ...)</td></tr></table>")
    assert got == [(["T"], "date(...) | strftime('%Y-%m-%d', ...)\ntime(...) | strftime('%H:%M:%S', ...)")]


def test_a_tag_wider_than_its_column_stands_above_its_text_as_one_definition():
    # pic-21.html: <p style=margin-left:10%>NUMBER</p><table><tr><td width=10%></td><td width=8%></td><td width=2%></td><td width=80%><p>A floating…
    got = sections(
        '<h3>21.1. Lexical Items</h3><p>Here are the grammar terminals:</p>'
        '<p style="margin-left:10%; margin-top: 1em"><font color="#000000"><small>NUMBER</small></font></p>'
        f'{SPACER}<tr valign="top" align="left"><td width="10%"></td><td width="8%"></td><td width="2%"></td>'
        '<td width="80%"><p>A floating point numeric constant.</p></td></tr></table>')
    assert got == [(["21.1. Lexical Items"], "Here are the grammar terminals:\n\nNUMBER\n: A floating point numeric constant.")]


def test_a_hanging_tag_paragraph_and_its_text_indented_further_are_a_definition_entry():
    # gettext's man pages through grohtml (envsubst.1.html): .TP as <p style=margin-left:11%> tag + <p style=margin-left:22%> text
    got = sections(
        '<h2>DESCRIPTION</h2><p style="margin-top: 1em">Substitutes the values of environment variables.</p>'
        '<p style="margin-left:11%; margin-top: 1em">Operation mode: <br>\n<b>-v</b>, <b>--variables</b></p>'
        '<p style="margin-left:22%;">output the variables occurring in SHELL-FORMAT</p>'
        '<p style="margin-left:11%;"><b>--version</b></p><p style="margin-left:22%;">output version information and\nexit</p>')
    assert got == [(["DESCRIPTION"], "Substitutes the values of environment variables.\n\n"
                    "Operation mode:\n\n-v, --variables\n: output the variables occurring in SHELL-FORMAT\n\n"
                    "--version\n: output version information and exit")]


def test_indented_lines_of_prose_are_a_paragraph_of_lines_not_code():
    # autopoint.1.html: the copyright lines, each ended with <br>, set off at 11%
    got = sections(
        '<h2>REPORTING BUGS</h2><p>Report bugs to the bug tracker.</p>'
        '<p style="margin-left:11%; margin-top: 1em">Uses a versions archive in dirxz format. <br>\n'
        'Copyright &copy; 2002-2020 Free Software Foundation, Inc.\n<br>\nLicense GPLv3+: GNU GPL version 3 or later <br>\n'
        'There is NO WARRANTY, to the extent permitted by law.</p>')
    assert got == [(["REPORTING BUGS"], "Report bugs to the bug tracker.\n\nUses a versions archive in dirxz format.\n"
                    "Copyright © 2002-2020 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later\n"
                    "There is NO WARRANTY, to the extent permitted by law.")]
