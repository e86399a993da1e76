"""Round 12 of issue 10 (html12): development set = pandoc ``-s`` from man pages and YARD (round
10's held-out half), pydoc (round 9) and round 12's new development half (DocBook DSSSL, lynx's
hand-written help; ``bench_ingest_docs.py --round10-held-out --round9 --round12``). Pages are
reduced from the generators' real markup; the rules are general HTML structure."""

from test_html_blocks import sections


def test_a_block_quote_holding_one_paragraph_is_a_display_inside_the_sentence():
    # pandoc -f man -s, diff(1) SEE ALSO: roff's .RS/.RE around one line, as pandoc writes it
    body = ("<h1>SEE ALSO</h1><p>If the <strong>info</strong> and <strong>diff</strong> programs are properly "
            "installed at your site, the command</p>\n<blockquote>\n<p><strong>info diff</strong></p>\n"
            "</blockquote>\n<p>should give you access to the complete manual.</p>")
    assert sections(body) == [(["SEE ALSO"], "If the info and diff programs are properly installed at your site, "
                                             "the command\n\n```\ninfo diff\n```\n\n"
                                             "should give you access to the complete manual.")]


def test_a_quoted_sentence_in_a_paragraph_stays_prose():
    # a Markdown block quote after a lead-in: a sentence of its own, not a display
    body = ("<h1>Quote</h1><p>The manual says:</p><blockquote><p>Every option may be given twice.</p>"
            "</blockquote><p>and then</p><blockquote><p>first line</p><p>second paragraph</p></blockquote>")
    assert sections(body) == [(["Quote"], "The manual says:\n\nEvery option may be given twice.\n\nand then\n\n"
                                          "first line\n\nsecond paragraph")]


def test_consecutive_definition_lists_of_lone_terms_are_the_lines_of_one_block():
    # pydoc -w, abc.ABCMeta: every attribute is a <dl> of its own, some with a definition
    body = ("<h1>class ABCMeta</h1>Data and other attributes inherited from builtins.type:<br>\n"
            "<dl><dt><strong>__base__</strong> = &lt;class 'type'&gt;<dd><span class='code'>type(object)</span></dl>\n"
            "<dl><dt><strong>__bases__</strong> = (&lt;class 'type'&gt;,)</dl>\n"
            "<dl><dt><strong>__basicsize__</strong> = 904</dl>\n<!-- a comment -->\n"
            "<dl><dt><strong>__flags__</strong> = 2148029952</dl>\n"
            "<dl><dt><strong>mro</strong>(self, /)</dt><dd>Return a type's method resolution order.</dd></dl>\n"
            "<dl><dt>a</dt></dl>after text<dl><dt>b</dt></dl>")
    assert sections(body) == [(["class ABCMeta"],
                               "Data and other attributes inherited from builtins.type:\n\n"
                               "__base__ = <class 'type'>\n: type(object)\n\n"
                               "__bases__ = (<class 'type'>,)\n__basicsize__ = 904\n__flags__ = 2148029952\n\n"
                               "mro(self, /)\n: Return a type's method resolution order.\n\n"
                               "a\n\nafter text\n\nb")]


def test_a_lone_term_is_not_taken_as_a_term_of_the_next_lists_definition():
    body = ("<h1>Attrs</h1><dl><dt>first</dt></dl><dl><dt>second</dt><dd>its text</dd></dl>"
            "<dl><dt>third</dt><dt>third too</dt><dd>shared text</dd></dl>")
    assert sections(body) == [(["Attrs"], "first\n\nsecond\n: its text\n\nthird\nthird too\n: shared text")]


def test_a_block_quote_paragraph_outside_a_sentence_stays_a_paragraph():
    # Node.js: a stability note after the "Added in" line, above the parameter list
    body = ("<h1>Static method: bind(fn)</h1><div class='api_metadata'><span>Added in: v18.16.0</span></div>"
            "<blockquote>\n<p>Stability: 1 - Experimental</p>\n</blockquote><ul><li>fn The function</li></ul>"
            "<p>It is available from</p><blockquote><p><a href='x'>http://example.org/blatj/</a></p></blockquote>"
            "<p> (caution - the page is in Japanese).</p><p>Blat is available from</p>"
            "<blockquote><p><a href='y'>http://www.blat.net</a></p></blockquote><p>See also BLAT_MAIL.</p>"
            "<p>The manual says:</p><blockquote><p>Never twice</p></blockquote>"
            "<p>Use the form</p><blockquote><p>a<br>b</p></blockquote><p>Then more.</p>")
    assert sections(body) == [(["Static method: bind(fn)"],
                               "Added in: v18.16.0\n\nStability: 1 - Experimental\n\n- fn The function\n\n"
                               "It is available from\n\n```\nhttp://example.org/blatj/\n```\n\n"
                               "(caution - the page is in Japanese).\n\nBlat is available from\n\n"
                               "```\nhttp://www.blat.net\n```\n\nSee also BLAT_MAIL.\n\n"
                               "The manual says:\n\nNever twice\n\nUse the form\n\na\nb\n\nThen more.")]


def test_heading_text_keeps_asterisks_hashes_and_backslashes():
    # YARD's method headings; HTML text is not reStructuredText/Markdown source
    body = ("<h2>Instance Method Details</h2><h3 class='signature' id='safe_ln-instance_method'>\n"
            "  #<strong>safe_ln</strong>(*args, **options)  &#x21d2; <tt>Object</tt>\n</h3><p>Attempt a link.</p>"
            "<h3>Using C# with \\newcommand</h3><p>Text.</p><h3>Permalinks<a class='headerlink' href='#p'>¶</a></h3>"
            "<p>More.</p>")
    assert sections(body) == [(["Instance Method Details", "#safe_ln(*args, **options) ⇒ Object"], "Attempt a link."),
                              (["Instance Method Details", "Using C# with \\newcommand"], "Text."),
                              (["Instance Method Details", "Permalinks"], "More.")]


def test_a_toggle_link_beside_a_heading_title_is_a_control_not_a_word():
    # YARD: a script's "collapse" toggle inside the summary heading; rustdoc: self-links to '#' are the name
    body = ("<h1>Class: Rake::FileList</h1><h2>Instance Method Summary\n  <small><a href='#' class='summary_toggle'>"
            "collapse</a></small>\n</h2><ul><li>#clear_exclude</li></ul>"
            "<h2 class='location'><a href='#'>TestId</a></h2><p>Text.</p>"
            "<h2>Function std::<wbr><a href='index.html'>alloc</a>::<wbr><a class='fn' href='#'>alloc</a></h2><p>Fn.</p>"
            "<h2>Usage <a href='#usage-notes'>notes</a></h2><p>More.</p>")
    assert sections(body) == [(["Class: Rake::FileList", "Instance Method Summary"], "- #clear_exclude"),
                              (["Class: Rake::FileList", "TestId"], "Text."),
                              (["Class: Rake::FileList", "Function std::alloc::alloc"], "Fn."),
                              (["Class: Rake::FileList", "Usage notes"], "More.")]
