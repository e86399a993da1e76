"""Round 10 of issue 10 (html10): round 9's held-out generators as development set (docutils,
mandoc, Halibut; ``bench_ingest_docs.py --round9-held-out``). Pages are reduced from mandoc's real
markup (``mandoc -Thtml`` of gzip(1), tar(1), ssh(1)); the rules are general: a block whose class
names an indent is set off, and a block whose content opens with a line break holds lines set one
by one — both are displays when ``is_display_block`` says so (short lines, not prose)."""

from test_html_blocks import sections


def test_paragraphs_opening_with_a_line_break_are_displays_inside_the_sentence():
    # gzip(1), ADVANCED USAGE: roff's indented lines, written by mandoc as <p><br/> line</p>
    body = ("<section class='Sh'><h1 class='Sh'>ADVANCED USAGE</h1>"
            "<p class='Pp'>Multiple compressed files can be concatenated. For example:</p>"
            "<p class='Pp'>\n  <br/>\n   gzip -c file1 &gt; foo.gz\n  <br/>\n   gzip -c file2 &gt;&gt; foo.gz</p>"
            "<p class='Pp'>Then</p>"
            "<p class='Pp'>\n  <br/>\n   gunzip -c foo</p>"
            "<p class='Pp'>is equivalent to</p>"
            "<p class='Pp'>\n  <br/>\n   cat file1 file2</p>"
            "<p class='Pp'>In case of damage to one member of a .gz file, other members can still be recovered.</p>"
            "</section>")
    assert sections(body) == [(["ADVANCED USAGE"],
                               "Multiple compressed files can be concatenated. For example:\n\n"
                               "```\ngzip -c file1 > foo.gz\ngzip -c file2 >> foo.gz\n```\n\n"
                               "Then\n\n```\ngunzip -c foo\n```\n\nis equivalent to\n\n```\ncat file1 file2\n```\n\n"
                               "In case of damage to one member of a .gz file, other members can still be recovered.")]


def test_a_paragraph_opening_with_a_break_that_holds_prose_stays_a_paragraph():
    body = ("<h1>Notes</h1><p>The options are:</p>"
            "<p><br>This paragraph starts with a line break but is an ordinary sentence of prose text.</p>"
            "<p>Then <br>a line.</p>")
    assert sections(body) == [(["Notes"], "The options are:\n\nThis paragraph starts with a line break but is an "
                                          "ordinary sentence of prose text.\n\nThen\na line.")]


def test_a_block_whose_class_names_an_indent_is_a_display_inside_the_sentence():
    # tar(1), NOTE: .Bd -offset indent -> <div class="Bd-indent">, the indent in a stylesheet not shipped
    body = ("<section class='Sh'><h1 class='Sh'>NOTE</h1>"
            "<p class='Pp'>If the info reader is installed on your system, the command</p><p class='Pp'></p>"
            "<div class='Bd-indent'><b>info tar</b></div>"
            "<p class='Pp'>should give you access to the complete manual.</p>"
            "<p class='Pp'>Fingerprints can be determined using ssh-keygen(1):</p>"
            "<div class='Bd Bd-indent'><code class='Li'>$ ssh-keygen -l -f\n  /etc/ssh/ssh_host_rsa_key</code></div>"
            "<p class='Pp'>If the fingerprint is already known, it can be matched.</p></section>")
    assert sections(body) == [(["NOTE"],
                               "If the info reader is installed on your system, the command\n\n```\ninfo tar\n```\n\n"
                               "should give you access to the complete manual.\n\n"
                               "Fingerprints can be determined using ssh-keygen(1):\n\n"
                               "```\n$ ssh-keygen -l -f /etc/ssh/ssh_host_rsa_key\n```\n\n"
                               "If the fingerprint is already known, it can be matched.")]


def test_noindent_and_text_indent_classes_do_not_set_a_block_off():
    # texinfo's <p class="noindent">, a first-line indent class: ordinary paragraphs
    body = ("<h1>Intro</h1><p>The command</p><p class='noindent'>info tar</p>"
            "<p>and</p><div class='text-indent'>more words</div>")
    assert sections(body) == [(["Intro"], "The command\n\ninfo tar\n\nand\n\nmore words")]


def test_lines_each_wholly_in_monospace_separated_by_br_are_a_code_block():
    # docutils' quickref.html: the reST source shown line by line, <samp>line</samp><br><samp>line</samp>
    body = ("<h1>Footnotes</h1><table><tr><td>"
            "<samp>Autonumbered&nbsp;footnotes&nbsp;are</samp>\n<br><samp>possible,&nbsp;like&nbsp;[#]_.</samp>"
            "<p><samp>They&nbsp;may&nbsp;be&nbsp;assigned&nbsp;'autonumber</samp>\n<br><samp>labels'&nbsp;-&nbsp;for"
            "&nbsp;instance,\n<br>[#fourth]_&nbsp;and&nbsp;[#third]_.</samp>\n</p>"
            "<td>Autonumbered footnotes are possible.<p><table><tr><td>[1]<td>This is the first one.</table>"
            "</table>")
    assert sections(body) == [(["Footnotes"],
                               "```\nAutonumbered footnotes are\npossible, like [#]_.\n```\n\n"
                               "```\nThey may be assigned 'autonumber\nlabels' - for instance,\n"
                               "[#fourth]_ and [#third]_.\n```\n\n"
                               "Autonumbered footnotes are possible.\n\n[1] | This is the first one.")]


def test_monospace_words_inside_prose_lines_stay_prose():
    # text in the body font before, between or after the code words: lines of a sentence, no listing
    body = ("<h1>Options</h1><p>Use <code>-a</code><br><code>-b</code> for both.</p>"
            "<p><code>-c</code> counts<br><code>-d</code> deletes</p>"
            "<p><code>-e</code><br><code>-f</code> <em>fast</em></p>")
    assert sections(body) == [(["Options"], "Use -a\n-b for both.\n\n-c counts\n-d deletes\n\n-e\n-f fast")]
