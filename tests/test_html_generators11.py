"""Round 11 of issue 10 (html11): Haddock (``optparse-applicative``, round 10's held-out corpus) as
development set. Pages are reduced from Haddock 2.25's real markup (libghc-optparse-applicative-doc:
``Options-Applicative-Builder-Completer.html``, ``Options-Applicative-Types.html``,
``doc-index-Z.html``); the rules are general: a table row whose only cell spans the table and
holds blocks is a box of paragraphs, a block its generator marks as source code (``class="src"``)
is a one-line code block, and a page's package header and A–Z letter bar are navigation."""

from test_html_blocks import sections


def test_signatures_marked_src_are_code_lines_not_prose_run_together():
    # Options-Applicative-Builder-Completer.html: one <p class="src"> per declaration
    body = ("<div id='interface'><h1>Documentation</h1>"
            "<div class='top'><p class='src'><a id='v:listIOCompleter' class='def'>listIOCompleter</a> :: "
            "<a href='#t:IO'>IO</a> [<a href='#t:String'>String</a>] -&gt; <a href='#t:Completer'>Completer</a> "
            "<a href='src/X.html#listIOCompleter' class='link'>Source</a> "
            "<a href='#v:listIOCompleter' class='selflink'>#</a></p>"
            "<div class='doc'><p>Create a <code><a href='#t:Completer'>Completer</a></code> from an IO action</p></div></div>"
            "<div class='top'><p class='src'><a id='v:listCompleter' class='def'>listCompleter</a> :: "
            "[<a href='#t:String'>String</a>] -&gt; <a href='#t:Completer'>Completer</a> "
            "<a href='src/X.html#listCompleter' class='link'>Source</a> "
            "<a href='#v:listCompleter' class='selflink'>#</a></p></div>"
            "<div class='top'><p class='src'><a id='v:bashCompleter' class='def'>bashCompleter</a> :: "
            "<a href='#t:String'>String</a> -&gt; <a href='#t:Completer'>Completer</a> "
            "<a href='src/X.html#bashCompleter' class='link'>Source</a></p></div></div>")
    assert sections(body) == [(["Documentation"],
                               "```\nlistIOCompleter :: IO [String] -> Completer Source\n```\n\n"
                               "Create a Completer from an IO action\n\n"
                               "```\nlistCompleter :: [String] -> Completer Source\n```\n\n"
                               "```\nbashCompleter :: String -> Completer Source\n```")]


def test_a_src_block_holding_other_blocks_or_in_a_table_row_is_not_fenced():
    body = ("<h1>Doc</h1><div class='src'><p>A paragraph inside a box with a source class.</p></div>"
            "<table><tr><td class='src'>UnknownError</td><td class='doc'>the error</td></tr>"
            "<tr><td class='src'>MissingError</td><td class='doc'>a missing argument</td></tr></table>")
    assert sections(body) == [(["Doc"], "A paragraph inside a box with a source class.\n\n"
                                        "UnknownError | the error\nMissingError | a missing argument")]


def test_a_row_whose_only_cell_spans_the_table_and_holds_blocks_is_read_as_blocks():
    # Options-Applicative-Types.html: the instance table, each instance's details in a colspan=2 row
    body = ("<h1>Documentation</h1><div class='subs instances'><details id='i:ParseError' open='open'>"
            "<summary class='hide-when-js-enabled'>Instances details</summary><table>"
            "<tr><td class='src clearfix'><span class='inst-left'><a href='#t:Monoid'>Monoid</a> "
            "<a href='#t:ParseError'>ParseError</a></span> <a href='src/T.html#line-80' class='link'>Source</a> "
            "<a href='#t:ParseError' class='selflink'>#</a></td><td class='doc empty'>&nbsp;</td></tr>"
            "<tr><td colspan='2'><details id='i:id:ParseError:Monoid:1'><summary class='hide-when-js-enabled'>"
            "Instance details</summary><p>Defined in <a href='T.html'>Options.Applicative.Types</a></p> "
            "<div class='subs methods'><p class='caption'>Methods</p>"
            "<p class='src'><a href='#v:mempty'>mempty</a> :: <a href='#t:ParseError'>ParseError</a> "
            "<a href='src' class='link'>Source</a> <a href='#v:mempty' class='selflink'>#</a></p>"
            "<p class='src'><a href='#v:mconcat'>mconcat</a> :: [<a href='#t:ParseError'>ParseError</a>] -&gt; "
            "<a href='#t:ParseError'>ParseError</a> <a href='src' class='link'>Source</a></p></div></details></td></tr>"
            "<tr><td class='src clearfix'><span class='inst-left'><a href='#t:Semigroup'>Semigroup</a> "
            "<a href='#t:ParseError'>ParseError</a></span> <a href='src/T.html#line-84' class='link'>Source</a></td>"
            "<td class='doc'><p>Since: 0.13.0.0</p></td></tr></table></details></div>")
    assert sections(body) == [(["Documentation"],
                               "Instances details\n\nMonoid ParseError Source | \n\n"
                               "Instance details\n\nDefined in Options.Applicative.Types\n\nMethods\n\n"
                               "```\nmempty :: ParseError Source\n```\n\n"
                               "```\nmconcat :: [ParseError] -> ParseError Source\n```\n\n"
                               "Semigroup ParseError Source | Since: 0.13.0.0")]


def test_a_full_width_row_of_inline_text_stays_a_row():
    body = ("<h1>Data</h1><table><tr><th>Name</th><th>Value</th></tr><tr><td colspan='2'>Group one</td></tr>"
            "<tr><td>alpha</td><td>1</td></tr></table>")
    assert sections(body) == [(["Data"], "Name | Value\nGroup one\nalpha | 1")]


def test_package_header_and_letter_bar_of_an_index_page_are_navigation():
    # doc-index-Z.html
    body = ("<div id='package-header'><span class='caption'>optparse-applicative-0.16.1.0: Utilities and "
            "combinators for parsing command line options</span><ul class='links' id='page-menu'>"
            "<li><a href='index.html'>Contents</a></li><li><a href='doc-index.html'>Index</a></li></ul></div>"
            "<div id='content'><div id='alphabet'><ul><li><a href='doc-index-A.html'>A</a></li>"
            "<li><a href='doc-index-Z.html'>Z</a></li><li><a href='doc-index-All.html'>All</a></li></ul></div>"
            "<div id='index'><p class='caption'>Index - Z</p><table>"
            "<tr><td class='src'>zeroArrow</td><td class='module'>Options.Applicative.Arrows</td></tr>"
            "<tr><td class='src'>ZipList</td><td>&nbsp;</td></tr>"
            "<tr><td class='alt'>1 (Data Constructor)</td><td class='module'>Options.Applicative</td></tr></table>"
            "</div></div><div id='footer'><p>Produced by <a href='http://www.haskell.org/haddock/'>Haddock</a>"
            " version 2.25.1</p></div>")
    assert sections(body, "optparse (Index - Z)") == [
        (["optparse (Index - Z)"], "Index - Z\n\nzeroArrow | Options.Applicative.Arrows\nZipList | \n"
                                   "1 (Data Constructor) | Options.Applicative")]


def test_a_heading_that_titles_the_details_box_after_it_is_a_label_not_a_section():
    # Options-Applicative-Types.html: "Instances" toggles the <details> after it; the next
    # declaration (data ParserResult) is not inside it
    body = ("<h1>Documentation</h1><div class='top'><p class='src'><span class='keyword'>data</span> "
            "<a id='t:ParseError' class='def'>ParseError</a> <a href='src/T.html' class='link'>Source</a></p>"
            "<div class='subs instances'><h4 class='instances details-toggle-control details-toggle' "
            "data-details-id='i:ParseError'>Instances</h4><details id='i:ParseError' open='open'>"
            "<summary class='hide-when-js-enabled'>Instances details</summary><table>"
            "<tr><td class='src clearfix'><span class='inst-left'><a href='#t:Monoid'>Monoid</a> "
            "<a href='#t:ParseError'>ParseError</a></span></td><td class='doc empty'>&nbsp;</td></tr>"
            "</table></details></div></div>"
            "<div class='top'><p class='src'><span class='keyword'>data</span> "
            "<a id='t:ParserResult' class='def'>ParserResult</a> a</p>"
            "<div class='doc'><p>Result of <code>execParserPure</code>.</p></div></div>"
            "<h2>FAQ</h2><details><summary>Why?</summary><p>Because.</p></details>"
            "<details><summary>How?</summary><p>So.</p></details>")
    assert sections(body) == [
        (["Documentation"], "```\ndata ParseError Source\n```\n\nInstances\n\nInstances details\n\nMonoid ParseError\n\n"
                            "```\ndata ParserResult a\n```\n\nResult of execParserPure."),
        (["Documentation", "FAQ"], "Why?\n\nBecause.\n\nHow?\n\nSo.")]


def test_an_anchor_whose_id_names_a_footer_field_is_text_not_page_chrome():
    # Options-Applicative-Help-Types.html: the record field helpFooter
    body = ("<h1>Documentation</h1><div class='subs fields'><p class='caption'>Fields</p><ul>"
            "<li><dfn class='src'><a id='v:helpBody' class='def'>helpBody</a> :: <a href='#t:Chunk'>Chunk</a> "
            "<a href='#t:Doc'>Doc</a></dfn><div class='doc empty'>&nbsp;</div></li>"
            "<li><dfn class='src'><a id='v:helpFooter' class='def'>helpFooter</a> :: <a href='#t:Chunk'>Chunk</a> "
            "<a href='#t:Doc'>Doc</a></dfn><div class='doc empty'>&nbsp;</div></li></ul></div>"
            "<div id='footer'><p>Produced by Haddock version 2.25.1</p></div>")
    assert sections(body) == [(["Documentation"], "Fields\n\n- helpBody :: Chunk Doc\n- helpFooter :: Chunk Doc")]


def test_a_full_width_row_holding_only_a_rule_does_not_split_the_table():
    # bashref.html's index (texinfo): <td colspan="4"><hr></td> between the letters
    body = ("<h1>Index</h1><table class='index-bt'><tr><td></td><th>Index Entry</th><td>&nbsp;</td><th>Section</th></tr>"
            "<tr><td colspan='4'><hr></td></tr><tr><th id='E'>E</th></tr>"
            "<tr><td></td><td><a href='#echo'><code>echo</code>:</a></td><td>&nbsp;</td><td>Bash Builtins</td></tr>"
            "<tr><td colspan='4'><hr></td></tr><tr><th id='F'>F</th></tr>"
            "<tr><td></td><td><a href='#fc'><code>fc</code>:</a></td><td>&nbsp;</td><td>Bash History Builtins</td></tr>"
            "</table>")
    assert "\n\n" not in sections(body)[0][1]


def test_a_full_width_cell_of_paragraphs_without_a_details_box_stays_a_row():
    body = ("<h1>Data</h1><table><tr><td>alpha</td><td>1</td></tr>"
            "<tr><td colspan='2'><p>First note.</p><p>Second note.</p></td></tr><tr><td>beta</td><td>2</td></tr></table>")
    assert sections(body) == [(["Data"], "alpha | 1\nFirst note. — Second note.\nbeta | 2")]
