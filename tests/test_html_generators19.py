"""Round 19 of issue 10 (html19): development set = the HTML rows still over the torn or brk goal
(grohtml, pandoc and man2html man pages, pydoc, pod2html, Python-Markdown, Haskell 98, Haddock).
Pages are reduced from the generators' real markup; the rules are general structure (a ``<br>``
that ends no line), not one generator's names."""

from test_html_blocks import sections


def test_a_break_after_a_lone_bracket_or_between_a_flag_and_its_argument_ends_no_line():
    # groff -Thtml ssh(1): an mdoc "It Fl D Xo / Sm off / Oo Ar bind_address : Oc / Ar port" tag,
    # a <br> at each source line; nroff and mandoc draw "-D [bind_address:]port"
    body = ("<h2>DESCRIPTION</h2>"
            '<p style="margin-top: 1em"><b>-D</b> <br>\n[ <i><br>\nbind_address</i>:]<i>port</i></p>\n'
            '<p style="margin-left:17%;">Specifies a local dynamic port forwarding.</p>\n'
            '<p style="margin-top: 1em"><b>-L</b> <br>\n[ <i><br>\nbind_address</i>:]<i>port</i>:<i>host</i>'
            "<b><br>\n-L</b> <i><br>\nlocal_socket</i>:<i>remote_socket</i></p>")
    assert sections(body) == [(["DESCRIPTION"], "-D [bind_address:]port\n\n"
                                                "Specifies a local dynamic port forwarding.\n\n"
                                                "-L [bind_address:]port:host\n-L local_socket:remote_socket")]


def test_a_flag_line_before_a_sentence_or_another_flag_keeps_its_break():
    # an option alone above its description, a list of flags one per line, a bracket inside a line
    body = ("<h2>OPTIONS</h2><p><b>-v</b><br>Print more.<br><b>-q</b><br><b>-s</b><br>"
            "either [<br>user@]host</p>")
    assert sections(body) == [(["OPTIONS"], "-v\nPrint more.\n-q\n-s\neither [\nuser@]host")]
    # pydoc -w difflib: a unified diff in a docstring, "-three" then "+tree" and a context line
    body = "<h2>D</h2><p>@@&nbsp;-1,4&nbsp;+1,4&nbsp;@@<br>-two<br>-three<br>+tree<br>-four<br>&nbsp;five</p>"
    got = sections(body)[0][1]
    assert "-three\n+tree" in got and "-four\n" in got and "five" in got and "-four five" not in got


def test_a_paragraph_of_lines_from_a_shebang_on_is_a_script():
    # pandoc -s from less(1): an .nf example as <br> lines of one <p>, its file name as a lead-in
    body = ("<h2>INPUT PREPROCESSOR</h2><p>lessopen.sh:<br />\n#! /bin/sh<br />\ncase \"$1\" in<br />\n"
            "*.Z) TEMPFILE=$(mktemp)<br />\nuncompress -c $1 &gt;$TEMPFILE 2&gt;/dev/null<br />\n;;<br />\nesac</p>"
            "<p>Parsing of the #! line starts<br>where perl is named.</p>")
    assert sections(body) == [(["INPUT PREPROCESSOR"],
                               'lessopen.sh:\n\n```\n#! /bin/sh\ncase "$1" in\n*.Z) TEMPFILE=$(mktemp)\n'
                               "uncompress -c $1 >$TEMPFILE 2>/dev/null\n;;\nesac\n```\n\n"
                               "Parsing of the #! line starts\nwhere perl is named.")]


def test_bold_section_names_of_a_page_without_headings_are_its_headings():
    # groff -Thtml ssh(1) (mdoc): .Sh as a bold paragraph flush left, option tags bold too
    body = ('<hr><p>SSH(1) BSD General Commands Manual SSH(1)</p>'
            '<p style="margin-top: 1em"><b>NAME</b></p><p style="margin-left:6%;"><b>ssh</b> &mdash; OpenSSH client</p>'
            '<p style="margin-top: 1em"><b>DESCRIPTION</b></p><p style="margin-left:6%;">ssh logs in.</p>'
            '<p style="margin-top: 1em"><b>-4</b></p><p>Forces ssh to use IPv4 addresses only.</p>'
            '<p style="margin-top: 1em"><b>SEE ALSO</b></p><p style="margin-left:6%;">scp(1)</p>')
    assert sections(body, title=None) == [([], "SSH(1) BSD General Commands Manual SSH(1)"), (["NAME"], "ssh — OpenSSH client"),
                              (["DESCRIPTION"], "ssh logs in.\n\n-4\n\nForces ssh to use IPv4 addresses only."), (["SEE ALSO"], "scp(1)")]


def test_one_bold_capitals_paragraph_or_a_page_with_headings_keeps_its_paragraphs():
    assert sections("<p><b>NOTE</b></p><p>Read this first.</p>", title=None) == [([], "NOTE\n\nRead this first.")]
    assert sections("<h1>T</h1><p><b>NAME</b></p><p>x</p><p><b>SEE ALSO</b></p><p>y</p>") == [
        (["T"], "NAME\n\nx\n\nSEE ALSO\n\ny")]


def test_a_lone_parenthesis_or_brace_line_keeps_its_break():
    # a code line set in <br> layout: a brace on its own line is drawn so on purpose
    body = "<h2>Example</h2><p>if (x)<br>{<br>draw();<br>}</p>"
    assert sections(body) == [(["Example"], "if (x)\n{\ndraw();\n}")]
