"""Round 9 of issue 10 (html9): HTML of generators no earlier round measured — RDoc 6 (darkfish),
pydoc, pod2html, GAPDoc (development half of ``bench_ingest_docs.py --round9``). Pages are
reduced from the real markup of those generators; the rules are general (class-marked heading
blocks, lists indented by a spacer cell, blank lines and &nbsp; indentation between ``<br>``)."""

from test_html_blocks import sections


def test_rdoc_method_headings_open_sections_under_the_real_headings_without_hover_advice():
    # RDoc 6 darkfish: <h1> class, <h3> in a section header, one div.method-heading per method
    body = ("<main><h1 class='class'>class Asciidoctor::AbstractNode</h1><p>Public: An abstract base class.</p>"
            "<section class='attribute-method-details method-section'><header><h3>Attributes</h3></header>"
            "<div id='attribute-i-context' class='method-detail'><div class='method-heading attribute-method-heading'>"
            "<span class='method-name'>context</span><span class='attribute-access-type'>[R]</span></div>"
            "<div class='method-description'><p>Public: Get the Symbol context for this node</p></div></div>"
            "<div id='attribute-i-id' class='method-detail'><div class='method-heading attribute-method-heading'>"
            "<span class='method-name'>id</span><span class='attribute-access-type'>[RW]</span></div>"
            "<div class='method-description'><p>Public: Get/Set the String id of this node</p></div></div></section>"
            "<section class='method-section'><header><h3>Public Instance Methods</h3></header>"
            "<div id='method-i-option-3F' class='method-detail'><div class='method-heading'>"
            "<span class='method-name'>option?</span><span class='method-args'>(name)</span>"
            "<span class='method-click-advice'>click to toggle source</span></div>"
            "<div class='method-description'><p>Public: A convenience method.</p>"
            "<div class='method-source-code'><pre>def option? name\n  true\nend</pre></div></div></div></section></main>")
    assert sections(body) == [
        (["class Asciidoctor::AbstractNode"], "Public: An abstract base class."),
        (["class Asciidoctor::AbstractNode", "Attributes", "context[R]"], "Public: Get the Symbol context for this node"),
        (["class Asciidoctor::AbstractNode", "Attributes", "id[RW]"], "Public: Get/Set the String id of this node"),
        (["class Asciidoctor::AbstractNode", "Public Instance Methods", "option?(name)"],
         "Public: A convenience method.\n\n```\ndef option? name\n  true\nend\n```"),
    ]


def test_a_class_marked_block_wrapping_a_real_heading_or_holding_blocks_is_no_heading():
    # Doxygen's <tr class="heading"> and rustdoc's div.main-heading wrap a real heading; a "heading"
    # div holding paragraphs is a container; a span so marked is styling inside a line
    body = ("<div class='main-heading'><h1>Struct Vec</h1><span>1.0.0</span></div><p>A vector.</p>"
            "<div class='section-heading'><p>First paragraph.</p><p>Second.</p></div>"
            "<p>Text <span class='heading-text'>from builtins</span> goes on.</p>")
    assert sections(body) == [(["Struct Vec"], "1.0.0\n\nA vector.\n\nFirst paragraph.\n\nSecond.\n\n"
                                               "Text from builtins goes on.")]


PYDOC_CLASS = (
    "<table class='section'><tr class='decor title-decor heading-text'><td class='section-title' colspan=3>"
    "&nbsp;<br><a name='Queue'>class <strong>Queue</strong></a>(builtins.object)</td></tr>"
    "<tr><td class='decor title-decor' rowspan=2><span class='code'>&nbsp;&nbsp;&nbsp;</span></td>"
    "<td class='decor title-decor' colspan=2><span class='code'>Queue(maxsize=0)<br>\n&nbsp;<br>\n"
    "Create&nbsp;a&nbsp;queue&nbsp;object&nbsp;with&nbsp;a&nbsp;given&nbsp;maximum&nbsp;size.<br>\n&nbsp;<br>\n"
    "For&nbsp;example:<br>\n&nbsp;&nbsp;&nbsp;&nbsp;&gt;&gt;&gt;&nbsp;q&nbsp;=&nbsp;Queue(2)<br>\n"
    "&nbsp;&nbsp;&nbsp;&nbsp;&gt;&gt;&gt;&nbsp;if&nbsp;q.empty():<br>\n"
    "&nbsp;&nbsp;&nbsp;&nbsp;...&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;print('empty')<br>&nbsp;</span></td></tr>"
    "<tr><td>&nbsp;</td><td class='singlecolumn'>Methods defined here:<br>\n"
    "<dl><dt><a name='Queue-empty'><strong>empty</strong></a>(self)</dt><dd><span class='code'>"
    "Return&nbsp;True&nbsp;if&nbsp;the&nbsp;queue&nbsp;is&nbsp;empty.</span></dd></dl>\n"
    "<dl><dt><a name='Queue-qsize'><strong>qsize</strong></a>(self)</dt></dl></td></tr></table>")


def test_pydoc_class_table_reads_as_a_section_with_paragraphs_a_display_and_definitions():
    # pydoc -w: a layout table (a blank colour-bar cell before the members' lists) whose first row
    # is marked as a heading; docstrings are &nbsp;-spaced lines with <br>, blank lines "&nbsp;<br>"
    top = ("<table class='heading'><tr class='heading-text decor'><td class='title'>&nbsp;<br>"
           "<strong class='title'>queue</strong></td><td class='extra'><a href='.'>index</a></td></tr></table>"
           "<p><span class='code'>A&nbsp;multi-producer&nbsp;queue.</span></p>")
    assert sections(top + PYDOC_CLASS, "Python: module queue") == [
        (["Python: module queue"], "queue | index\n\nA multi-producer queue."),
        (["class Queue(builtins.object)"],
         "Queue(maxsize=0)\n\nCreate a queue object with a given maximum size.\n\nFor example:\n\n"
         "```\n>>> q = Queue(2)\n>>> if q.empty():\n...     print('empty')\n```\n\n"
         "Methods defined here:\n\nempty(self)\n: Return True if the queue is empty.\n\nqsize(self)"),
    ]


def test_blank_br_lines_split_paragraphs_and_a_lone_nbsp_indent_stays_prose():
    body = ("<h2>Notes</h2><p>First line<br>second line<br>\n<br>Next paragraph.<br></p>"
            "<p>&nbsp;&nbsp;&nbsp;An indented first line of prose.</p>"
            "<p>See&nbsp;&nbsp;also:<br>&nbsp;&nbsp;one<br>&nbsp;&nbsp;&nbsp;&nbsp;two</p>")
    assert sections(body) == [(["Notes"], "First line\nsecond line\n\nNext paragraph.\n\n"
                                          "An indented first line of prose.\n\nSee also:\n\n```\none\n  two\n```")]


def test_gapdoc_contents_indented_by_nbsp_are_lines_of_links_not_a_display():
    # GAPDoc2HTML: each contents entry is "<br /><span class='nocss'>&nbsp;&nbsp;</span><a>…</a>"
    body = ("<div class='ChapSects'><a href='#s1'>21 <span class='Heading'>Lists</span></a>"
            "<div class='ContSect'><span class='tocline'><span class='nocss'>&nbsp;</span>"
            "<a href='#s2'>21.1 <span class='Heading'>List Categories</span></a></span>"
            "<div class='ContSSBlock'><span class='ContSS'><br /><span class='nocss'>&nbsp;&nbsp;</span>"
            "<a href='#a'>21.1-1 IsList</a></span><span class='ContSS'><br /><span class='nocss'>&nbsp;&nbsp;</span>"
            "<a href='#b'>21.1-2 IsDenseList</a></span></div></div></div>"
            "<h3>21.1 List Categories</h3><p>A list can be written.</p>")
    assert sections(body) == [(["Page"], "21 Lists\n\n21.1 List Categories\n\n21.1-1 IsList\n21.1-2 IsDenseList"),
                              (["21.1 List Categories"], "A list can be written.")]
