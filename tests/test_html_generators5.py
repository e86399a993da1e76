"""core.ingest.html_blocks on the shapes of round 5's development generators (issue 10):
Doxygen (jsoncpp), rustdoc (Rust std), hand-written HTML (SQLite). Each snippet is modelled on a
real page of ``bench_ingest_docs.py --round5`` and fails on the walker before round 5."""

from test_html_blocks import sections


def test_heading_adornments_in_the_headings_wrapper_are_not_text():
    # rustdoc: <section><span class="rightside">1.0.0 · <a>source</a></span><a class="anchor"></a><h4>…</h4></section>
    method = ("<details open><summary><section id='method.{0}' class='method'><span class='rightside'>"
              "<span class='since'>1.0.0</span> · <a class='srclink' href='../src/x.rs.html#1'>source</a></span>"
              "<a href='#method.{0}' class='anchor'></a><h4 class='code-header'>fn {0}(&amp;self)</h4></section>"
              "</summary><div class='docblock'><p>{1} <a href='../t.html'>Read more</a></p></div></details>")
    got = sections("<h1>Struct IntoIter</h1>" + method.format("clone", "Returns a copy of the value.")
                   + method.format("fmt", "Formats the value."))
    assert got == [(["Struct IntoIter", "fn clone(&self)"], "Returns a copy of the value. Read more"),
                   (["Struct IntoIter", "fn fmt(&self)"], "Formats the value. Read more")]


def test_a_wrapper_with_a_heading_and_real_text_keeps_the_text():
    got = sections("<div><h2>Usage</h2><span>Run it daily.</span> It is cheap.</div>")
    assert got == [(["Usage"], "Run it daily. It is cheap.")]


def test_headings_inside_table_rows_open_sections():
    # Doxygen member summary: <table class="memberdecls"><tr class="heading"><td colspan="2"><h2 …>
    got = sections(
        "<table class='memberdecls'><tr class='heading'><td colspan='2'><h2 class='groupheader'>"
        "<a name='pub-methods'></a>Public Member Functions</h2></td></tr>"
        "<tr><td class='memItemLeft'>bool </td><td class='memItemRight'>isNull () const</td></tr>"
        "<tr><td class='memItemLeft'>void </td><td class='memItemRight'>clear ()</td></tr></table>"
        "<table class='memberdecls'><tr class='heading'><td colspan='2'><h2 class='groupheader'>"
        "Friends</h2></td></tr><tr><td>class </td><td>ValueIteratorBase</td></tr></table>")
    assert got == [(["Public Member Functions"], "bool | isNull () const\nvoid | clear ()"),
                   (["Friends"], "class | ValueIteratorBase")]


def test_doxygen_page_header_title_heads_the_page():
    # Doxygen: the page title is <div class="title"> inside <div class="header"> (no h1); this
    # project's custom header has no <title> either
    got = sections("<div class='header'><div class='summary'><a href='#pub-types'>Public Types</a> |</div>"
                   "<div class='headertitle'><div class='title'>Json::Value Class Reference</div></div></div>"
                   "<div class='contents'><p>Represents a JSON value.</p>"
                   "<h2 class='groupheader'>Detailed Description</h2><p>A union.</p></div>", title=None)
    assert got == [(["Json::Value Class Reference"], "Represents a JSON value."),
                   (["Json::Value Class Reference", "Detailed Description"], "A union.")]


def test_code_lines_as_sibling_blocks_stay_verbatim():
    # Doxygen fragments: one <div class="line"> per source line, no <pre>
    got = sections(
        "<h2>Examples</h2><p>Examples:</p><div class='fragment'>"
        "<div class='line'><a class='code' href='v.html'>Json::Value</a> null_value; <span class='comment'>// null</span></div>\n"
        "<div class='line'>if (x) {</div>\n<div class='line'>&#160;&#160;&#160;&#160;y();</div>\n"
        "<div class='line'>}</div>\n<div class='ttc'><div class='ttname'>Json::Value</div>"
        "<div class='ttdoc'>Represents a JSON value.</div></div></div><p>Done.</p>")
    assert got == [(["Examples"], "Examples:\n\n```\nJson::Value null_value; // null\nif (x) {\n    y();\n}\n```"
                                  "\n\nDone.")]


def test_prose_blocks_are_not_mistaken_for_code_lines():
    got = sections("<h2>About</h2><div class='para'>First paragraph,\nwrapped.</div>"
                   "<div class='para'>Second.</div><div class='para'><p>Third.</p></div>")
    assert got == [(["About"], "First paragraph, wrapped.\n\nSecond.\n\nThird.")]


def test_label_cells_of_a_layout_table_stay_on_the_row():
    # Doxygen memitem: <table class="mlabels"><tr><td><table class="memname">…</table></td><td>inline</td>
    got = sections("<h2>as()</h2><table class='mlabels'><tr><td class='mlabels-left'><table class='memname'>"
                   "<tr><td>bool Json::Value::as</td><td>(</td><td></td><td>)</td><td>const</td></tr></table></td>"
                   "<td class='mlabels-right'><span class='mlabels'><span class='mlabel'>inline</span></span>"
                   "</td></tr></table><p>Converts.</p>")
    assert got == [(["as()"], "bool Json::Value::as | ( |  | ) | const | inline\n\nConverts.")]


def test_the_page_title_repeated_as_text_is_not_a_paragraph():
    # SQLite: <div class="fancy_title">The SQLite Amalgamation</div> before the first <h1>
    got = sections("<div class='fancy_title'>\nThe SQLite Amalgamation\n</div>"
                   "<h1><span>1. </span>Executive Summary</h1><p>Over 100 files.</p>",
                   title="The SQLite Amalgamation")
    # round 19: not a paragraph, but the root of the page's paths (the title block heads the page)
    assert got == [(["The SQLite Amalgamation", "1. Executive Summary"], "Over 100 files.")]


def test_link_bars_above_the_first_heading_are_navigation():
    # jsoncpp's custom Doxygen header (a table of links) and Doxygen's breadcrumb list
    got = sections("<table><tr><td><a href='https://x'>Project page</a></td><td><a href='h.html'>Classes</a></td>"
                   "</tr></table><hr><div id='nav-path' class='navpath'><ul><li class='navelem'>"
                   "<a href='n.html'>Json</a></li><li>» <a href='v.html'>Value</a></li></ul></div>"
                   "<h1>Json::Value</h1><p>See:</p><ul><li><a href='a.html'>asInt</a></li></ul>", title=None)
    assert got == [(["Json::Value"], "See:\n\n- asInt")]


def test_a_page_of_links_without_headings_keeps_them():
    got = sections("<p>Pages:</p><ul><li><a href='a.html'>Alpha</a></li><li><a href='b.html'>Beta</a></li></ul>")
    assert got == [(["Page"], "Pages:\n\n- Alpha\n- Beta")]


def test_symbol_permalinks_before_member_headings_are_not_heading_text():
    # Doxygen: <h2 class="memtitle"><span class="permalink"><a href="#a0cf…">&#9670;&nbsp;</a></span>ArrayIndex</h2>
    got = sections("<h2 class='memtitle'><span class='permalink'><a href='#a0cf'>&#9670;&nbsp;</a></span>ArrayIndex</h2>"
                   "<p>An index. See <a href='#top'>top</a> or <a href='#n'>1</a>.</p>")
    assert got == [(["ArrayIndex"], "An index. See top or 1.")]


def test_a_tooltip_inside_a_heading_is_not_heading_text():
    # rustdoc: the "Notable traits" hover box sits inside the method's <h4>
    got = sections("<h4 class='code-header'>fn clone(&amp;self) -&gt; IntoIter&lt;T&gt;<span class='notable-traits'>"
                   "<span class='notable-traits-tooltip'>ⓘ<span class='notable-traits-tooltiptext'>Notable traits for "
                   "IntoIter</span></span></span></h4><p>Returns a copy.</p><span role='tooltip'>Copy</span>")
    assert got == [(["fn clone(&self) -> IntoIter<T>"], "Returns a copy.")]


def test_a_page_whose_only_text_is_its_title_keeps_it():
    # MkDocs redirect stubs: <title>Redirecting...</title> … <body>Redirecting...</body>
    assert sections("Redirecting...", title="Redirecting...") == [(["Redirecting..."], "Redirecting...")]


def test_a_heading_row_keeps_the_rest_of_its_row():
    # gtk-doc refnamediv: <table><tr><td><h2>GtkFrame</h2><p>GtkFrame — A bin…</p></td><td><img></td></tr></table>
    got = sections("<div class='refnamediv'><table width='100%'><tr><td valign='top'><h2><span class='refentrytitle'>"
                   "GtkFrame</span></h2><p>GtkFrame — A bin with a decorative frame</p></td>"
                   "<td class='gallery_image'><img src='frame.png'></td></tr></table></div>"
                   "<h2>Functions</h2><p>None.</p>")
    assert got == [(["GtkFrame"], "GtkFrame — A bin with a decorative frame"), (["Functions"], "None.")]


def test_line_blocks_without_indentation_are_one_paragraph_of_lines():
    # Sphinx/reST line block (Python docs codecs.html); the nested block after the run is still read
    got = sections("<h2>Encodings</h2><p>would map to</p><div class='line-block'><div class='line'>LATIN SMALL LETTER I</div>\n"
                   "<div class='line'>RIGHT-POINTING <em>DOUBLE</em> ANGLE</div>\n<div class='line'>INVERTED QUESTION MARK</div>\n"
                   "<div class='line-block'><div class='line'>nested line</div></div></div><p>in iso-8859-1.</p>")
    assert got == [(["Encodings"], "would map to\n\nLATIN SMALL LETTER I\nRIGHT-POINTING DOUBLE ANGLE\n"
                                   "INVERTED QUESTION MARK\n\nnested line\n\nin iso-8859-1.")]


def test_text_after_a_heading_in_its_wrapper_is_kept():
    # PostgreSQL refsect1 "See Also"; javadoc "Methods inherited from class …" + a list of links
    got = sections("<div class='refsect1'><h2>See Also</h2><span class='simplelist'><a href='t.html'>CREATE TYPE</a>, "
                   "<a href='d.html'>DROP TYPE</a></span></div>")
    assert got == [(["See Also"], "CREATE TYPE, DROP TYPE")]


def test_a_layout_table_label_joins_only_its_own_row():
    # DocBook admonition table after a paragraph: <tr><td rowspan=2><img></td><th>Tip</th></tr><tr><td>…</td></tr>
    got = sections("<p>I recommend you to read these</p><div class='tip'><table><tr><td rowspan='2'><img src='tip.png'></td>"
                   "<th>Tip</th></tr><tr><td><pre>ls</pre><p>Use it.</p></td></tr></table></div>")
    assert got == [(["Page"], "I recommend you to read these\n\nTip\n\n```\nls\n```\n\nUse it.")]


def test_unindented_code_lines_are_code_by_their_statement_ends():
    # Doxygen "Examples:" fragment of jsoncpp's Json::Value(ValueType): no indentation, C++ statements
    got = sections("<p>Examples:</p><div class='fragment'><div class='line'>Json::Value null_value; // null</div>\n"
                   "<div class='line'>Json::Value arr_value(Json::arrayValue); // []</div>\n"
                   "<div class='line'>Json::Value obj_value(Json::objectValue); // {}</div>\n"
                   "<div class='ttc'><div class='ttname'>Json::Value</div><div class='ttdoc'>A value.</div></div></div>")
    assert got == [(["Page"], "Examples:\n\n```\nJson::Value null_value; // null\n"
                              "Json::Value arr_value(Json::arrayValue); // []\nJson::Value obj_value(Json::objectValue); // {}\n```")]


def test_definition_terms_without_definitions_are_one_block_of_lines():
    # gtk-doc api-index-full.html: <dt><a>gtk_widget_child_notify</a>, function in <a>GtkWidget</a></dt><dd></dd>
    got = sections("<h2>Index</h2><dl><dt><a href='w.html#a'>gtk_widget_child_focus</a>, function in "
                   "<a href='w.html'>GtkWidget</a></dt><dd></dd><dt><a href='w.html#b'>gtk_widget_child_notify</a>, "
                   "function in <a href='w.html'>GtkWidget</a></dt><dd></dd><dt>-v</dt><dd>Verbose.</dd></dl>")
    assert got == [(["Index"], "gtk_widget_child_focus, function in GtkWidget\n"
                               "gtk_widget_child_notify, function in GtkWidget\n\n-v\n: Verbose.")]


def test_dt_and_dd_outside_a_dl_are_read_as_one():
    # gtk-doc api-index-full.html puts its <dt>/<dd> straight into <div class="index"> (no <dl>)
    got = sections("<div class='index'><h3>G</h3><dt><a href='w.html#a'>gtk_widget_child_focus</a>, function in "
                   "<a href='w.html'>GtkWidget</a></dt>\n<dd></dd>\n<dt>gtk_widget_child_notify, function in GtkWidget</dt>"
                   "<dd></dd><dt>-v</dt><dd>Verbose.</dd><p>End.</p></div>")
    assert got == [(["G"], "gtk_widget_child_focus, function in GtkWidget\n"
                           "gtk_widget_child_notify, function in GtkWidget\n\n-v\n: Verbose.\n\nEnd.")]
