"""Round 20 of issue 10 (html20): development set = the spent HTML lists still off a goal, and the
"rep" chunk measure (page furniture repeated on many pages): man2html, pod2html through
Pod::Simple::HTMLBatch (lintian's API), Apache httpd, libxslt's API pages, MathJax's test pages.
Pages are reduced from the generators' real markup; the rules are general structure (a table of
contents of the page, a link bar, a side menu, a trailer after the last rule, MathML), not one
site's words."""

from test_html_blocks import sections


def test_a_paragraph_without_a_letter_or_digit_is_no_text():
    # lintian's api.html (Pod::Simple::HTMLBatch): a <script> tag written inside another's src
    # leaves '">' as text at the top of every page, and a "<<" back link ends every page
    body = ('<p>"&gt;</p><h1 id="NAME">NAME</h1><p>Lintian::Data - a module</p>'
            '<h1 id="SEE-ALSO">SEE ALSO</h1><p>lintian(1)</p>'
            '<p class="backlinkbottom"><b><a name="___bottom" href="../index.html">&lt;&lt;</a></b></p>')
    assert sections(body) == [(["NAME"], "Lintian::Data - a module"), (["SEE ALSO"], "lintian(1)")]


def test_a_definition_term_without_letters_stays():
    # Apache's mod_proxy_html: the flags "^" and "$" are terms of a <dl>
    body = "<h2>Flags</h2><dl><dt>^</dt><dd>Match at start only.</dd><dt>$</dt><dd>Match at end only.</dd></dl>"
    assert sections(body) == [(["Flags"], "^\n: Match at start only.\n\n$\n: Match at end only.")]


def test_the_page_table_of_contents_is_navigation_anywhere_on_the_page():
    # man2html: an "Index" section at the end, a <DL> of links to the page's own sections
    body = ('<h1>TAIL</h1><h2>NAME</h2>tail - output the last part of files'
            '<h2>SEE ALSO</h2><b><a href="/cgi-bin/man/man2html?1+head">head</a></b>(1)'
            '<hr><a name="index">&nbsp;</a><h2>Index</h2><dl><dt><a href="#lbAB">NAME</a><dd>'
            '<dt><a href="#lbAH">SEE ALSO</a><dd></dl>')
    assert sections(body, title="Man page of TAIL") == [
        (["TAIL", "NAME"], "tail - output the last part of files"), (["TAIL", "SEE ALSO"], "head(1)")]
    # Apache httpd: the "Topics" box of a module page
    body = ('<h1>Apache Module mod_sed</h1><p>Filter input using sed syntax</p><h3>Topics</h3><ul id="topics">'
            '<li><img alt="" src="down.gif"> <a href="#sampleconf">Sample Configuration</a></li>'
            '<li><img alt="" src="down.gif"> <a href="#sedcommands">Sed Commands</a></li></ul>'
            '<h2><a name="sampleconf" id="sampleconf">Sample Configuration</a></h2><p>A filter.</p>'
            '<h2><a name="sedcommands" id="sedcommands">Sed Commands</a></h2><p>Commands.</p>')
    assert sections(body) == [(["Apache Module mod_sed"], "Filter input using sed syntax"),
                              (["Apache Module mod_sed", "Sample Configuration"], "A filter."),
                              (["Apache Module mod_sed", "Sed Commands"], "Commands.")]


def test_a_list_of_fragment_links_that_are_no_headings_is_content():
    # Python's os.preadv: "… one or more of the following flags:" and links to the flags' <dt>s
    body = ('<h2>Files</h2><p>The flags argument contains zero or more of the following flags:</p>'
            '<ul><li><a href="#os.RWF_HIPRI">RWF_HIPRI</a></li><li><a href="#os.RWF_NOWAIT">RWF_NOWAIT</a></li></ul>'
            '<dl><dt id="os.RWF_HIPRI">os.RWF_HIPRI</dt><dd>High priority.</dd></dl>')
    assert sections(body)[0][1].startswith("The flags argument contains zero or more of the following flags:\n\n"
                                           "- RWF_HIPRI\n- RWF_NOWAIT")


def test_a_list_of_links_to_other_pages_or_of_signatures_stays():
    body = ('<h2>Chapters</h2><ul><li><a href="intro.html">Introduction</a></li>'
            '<li><a href="usage.html">Usage</a></li></ul>'
            "<h2>Fields</h2><ul><li><a id='v:helpBody' class='def'>helpBody</a> :: <a href='#t:Chunk'>Chunk</a></li>"
            "<li><a id='v:helpFooter' class='def'>helpFooter</a> :: <a href='#t:Chunk'>Chunk</a></li></ul>")
    assert sections(body) == [(["Chapters"], "- Introduction\n- Usage"),
                              (["Fields"], "- helpBody :: Chunk\n- helpFooter :: Chunk")]


def test_a_breadcrumb_with_greater_than_signs_is_a_link_bar():
    # Apache httpd's div#path above every page's title
    body = ('<div id="path"><a href="https://www.apache.org/">Apache</a> &gt; <a href="https://httpd.apache.org/">'
            'HTTP Server</a> &gt; <a href="../index.html">Version 2.4</a></div>'
            '<div id="page-content"><h1>HTTP/2 guide</h1><p>This is the guide.</p></div>')
    assert sections(body) == [(["HTTP/2 guide"], "This is the guide.")]
    # a comparison in a sentence is no bar
    assert sections("<h1>T</h1><p>Use <a href='a'>x</a> &gt; <a href='b'>y</a> when sorting.</p>") == [
        (["T"], "Use x > y when sorting.")]


def test_a_layout_cell_of_link_boxes_is_a_side_menu():
    # libxslt's API pages (the libxml2 site's XSL): a 200-pixel column of "Main Menu", "API Indexes"
    menu = ('<td valign="top" width="200"><table><tr><td><center><b>Main Menu</b></center></td></tr>'
            '<tr><td><form action="search.php"><input name="query" type="text"></form>'
            '<ul><li><a href="index.html">Home</a></li><li><a href="FAQ.html">FAQ</a></li></ul></td></tr></table>'
            '<table><tr><td><center><b>API Indexes</b></center></td></tr>'
            '<tr><td><ul><li><a href="APIchunk0.html">Alphabetic</a></li>'
            '<li><a href="APIfiles.html">Modules</a></li></ul></td></tr></table></td>')
    body = (f'<h1>The XSLT C library</h1><table><tr>{menu}<td>'
            "<p>The xsltproc tool applies a stylesheet.</p><ul><li><a href='a.html'>one</a></li></ul>"
            "</td></tr></table>")
    assert sections(body) == [(["The XSLT C library"], "The xsltproc tool applies a stylesheet.\n\n- one")]


def test_loose_text_after_the_last_rule_is_the_page_trailer():
    # man2html's colophon under every page
    body = ("<h1>LN</h1><h2>NAME</h2>ln - make links between files<p>Full documentation.</p>"
            '<hr>This document was created by\n<a href="/cgi-bin/man/man2html">man2html</a>,\n'
            "using the manual pages.<br>\nTime: 17:03:02 GMT, December 07, 2026\n")
    assert sections(body) == [(["LN", "NAME"], "ln - make links between files\n\nFull documentation.")]
    # a footnote after a rule is a paragraph, and stays
    body = "<h1>T</h1><p>Text.</p><hr><p>1. The note.</p>"
    assert sections(body) == [(["T"], "Text.\n\n1. The note.")]


def test_mathml_reads_as_text_inside_its_sentence():
    # MathJax's test/sample-mml.html
    body = ("<h1>T</h1><p>When <math xmlns='http://www.w3.org/1998/Math/MathML'><mi>a</mi><mo>&#x2260;</mo>"
            "<mn>0</mn></math>, there are two solutions to <math><mi>a</mi><msup><mi>x</mi><mn>2</mn></msup>"
            "<mo>+</mo><mi>c</mi><mo>=</mo><mn>0</mn></math> and they are <math display='block'><mi>x</mi>"
            "<mo>=</mo><mfrac><mrow><mo>&#x2212;</mo><mi>b</mi></mrow><mrow><mn>2</mn><mi>a</mi></mrow></mfrac>"
            "</math></p><p><math alttext='E = mc^2'><mi>E</mi></math> is famous.</p>")
    assert sections(body) == [(["T"], "When a ≠ 0, there are two solutions to a x^2 + c = 0 and they are\n"
                                      "x = (− b)/(2 a)\n\nE = mc^2 is famous.")]


def test_a_masthead_between_the_title_and_a_rule_is_furniture():
    # man2html: the page's section and date and its way back, above a rule
    body = ('<h1>TAIL</h1>\nSection: User Commands (1)<br>Updated: September 2022<br><a href="#index">Index</a>\n'
            '<a href="/cgi-bin/man/man2html">Return to Main Contents</a><hr>\n<a name="lbAB">&nbsp;</a>'
            "<h2>NAME</h2>\ntail - output the last part of files<h2>DESCRIPTION</h2>\n"
            "Print the last 10 lines of each FILE to standard output.")
    assert sections(body, title="Man page of TAIL") == [
        (["TAIL", "NAME"], "tail - output the last part of files"),
        (["TAIL", "DESCRIPTION"], "Print the last 10 lines of each FILE to standard output.")]
    # a subtitle without a link stays
    body = "<h1>Guide</h1>\nA short guide for new users<hr><h2>Start</h2><p>Begin here.</p>"
    assert sections(body) == [(["Guide"], "A short guide for new users"), (["Guide", "Start"], "Begin here.")]


def test_the_title_of_a_dropped_table_of_contents_goes_with_it():
    # docutils (rst2html): the ".. contents::" topic, its title a paragraph in the same block
    body = ('<h1>Distributing</h1><p>Author: Lea</p><div class="contents topic" id="contents">'
            '<p class="topic-title">Contents</p><ul class="simple"><li><a href="#dependencies">Dependencies</a></li>'
            '<li><a href="#tests">Tests</a></li></ul></div><p>This document describes packages.</p>'
            '<h2 id="dependencies">Dependencies</h2><p>Python.</p><h2 id="tests">Tests</h2><p>Run them.</p>')
    assert sections(body) == [(["Distributing"], "Author: Lea\n\nThis document describes packages."),
                              (["Distributing", "Dependencies"], "Python."), (["Distributing", "Tests"], "Run them.")]


def test_the_only_text_of_a_page_above_its_closing_rule_is_no_masthead():
    # LaTeX2HTML (gnuplot's node134.html): the node's one line, then <BR><HR> and the end
    body = ('<div class="navigation"><b>Next:</b> <a href="node135.html">Rgbimage</a></div>'
            '<h1><a id="S2">Rgbalpha</a></h1><a id="x"></a>See <b>image (p.&nbsp;<a href="node120.html#image">'
            '<img alt="[*]" src="crossref.png"></a>)</b>.<br><hr>')
    assert sections(body, title="Rgbalpha") == [(["Rgbalpha"], "See image (p. ).")]


def test_a_list_of_heading_links_that_a_sentence_leads_into_is_content():
    # javadoc (openjdk's java.awt.FlowLayout): the values of a field, each linking to its detail heading
    body = ("<h1>Class FlowLayout</h1><p>The line alignment is determined by the align property. The possible "
            "values are:</p><ul><li><a href='#LEFT'>LEFT</a></li><li><a href='#RIGHT'>RIGHT</a></li></ul>"
            "<h3 id='LEFT'>LEFT</h3><p>Left.</p><h3 id='RIGHT'>RIGHT</h3><p>Right.</p>")
    assert sections(body)[0] == (["Class FlowLayout"], "The line alignment is determined by the align property. "
                                                       "The possible values are:\n\n- LEFT\n- RIGHT")
