"""Round 13 of issue 10 (html13): development set = round 12's held-out half (the libxml2 site's
libxslt API pages, man2html), pod2html's perltoc and pydoc (``bench_ingest_docs.py
--round12-held-out --round9``). Pages are reduced from the generators' real markup; the rules are
general HTML structure (an outline nested in a definition, a monospace line inside a sentence)."""

from test_html_blocks import sections


def test_lone_terms_of_a_list_nested_in_a_definition_are_outline_items():
    # pod2html, perltoc: a manual's sections, each <dd> holding the <dl> of its subsections
    body = ("<h2>perlobj - Perl object reference</h2><dl>\n<dt>DESCRIPTION</dt>\n<dd>\n<dl>\n"
            "<dt>An Object is Simply a Data Structure </dt>\n<dd>\n</dd>\n"
            "<dt>Method Call Variations </dt>\n<dd>\n</dd>\n"
            "<dt><code>bless</code>, <code>blessed</code>, and <code>ref</code></dt>\n<dd>\n</dd>\n"
            "<dt>The UNIVERSAL Class </dt>\n<dd>\n<p>isa($class) , can($method) </p>\n</dd>\n"
            "<dt>AUTOLOAD </dt>\n<dd>\n</dd>\n<dt>Destructors</dt><dd></dd>\n</dl>\n</dd>\n"
            "<dt>SEE ALSO</dt>\n<dd>\n</dd>\n<dt>AUTHOR</dt>\n<dd>\n</dd>\n</dl>")
    assert sections(body) == [(["perlobj - Perl object reference"],
                               "DESCRIPTION\n: - An Object is Simply a Data Structure\n- Method Call Variations\n"
                               "- bless, blessed, and ref\n\nThe UNIVERSAL Class\n: isa($class) , can($method)\n\n"
                               "- AUTOLOAD\n- Destructors\n\n"
                               "SEE ALSO\nAUTHOR")]


def test_lone_terms_of_a_top_level_list_stay_lines():
    # an index of names at the top level (texinfo's @table without text): lines, as before
    body = "<h1>Files</h1><dl><dt>alpha.c</dt><dt>beta.c</dt><dd></dd><dt>gamma.c</dt></dl>"
    assert sections(body) == [(["Files"], "alpha.c\nbeta.c\ngamma.c")]


def test_a_paragraph_wholly_in_code_inside_a_sentence_is_a_display():
    # the libxml2 site's FAQ (libxslt xslt.html): commands set as paragraphs between the sentence's parts
    body = ("<h1>FAQ</h1><ol><li><em>Troubles compiling</em>\n<p>There is a small shell script\n"
            "<code>xslt-config</code> which provides those flags. Use</p>\n"
            "<p><code>xslt-config --cflags</code></p>\n<p>to get the compilation flags and</p>\n"
            "<p><code>xslt-config --libs</code></p>\n<p>to get the linker flags, from the Makefile as:</p>\n"
            "<p><code>CFLAGS=`xslt-config --cflags`</code></p>\n<p><code>LIBS=`xslt-config --libs`</code></p>\n"
            "<p>Note also that you should prepend <code>-lexslt</code> to the LIBS options</p></li></ol>")
    assert sections(body) == [(["FAQ"],
                               "1. Troubles compiling\n"
                               "  There is a small shell script xslt-config which provides those flags. Use\n"
                               "  ```\n  xslt-config --cflags\n  ```\n  to get the compilation flags and\n"
                               "  ```\n  xslt-config --libs\n  ```\n  to get the linker flags, from the Makefile as:\n"
                               "  ```\n  CFLAGS=`xslt-config --cflags`\n  LIBS=`xslt-config --libs`\n  ```\n"
                               "  Note also that you should prepend -lexslt to the LIBS options")]


def test_a_paragraph_wholly_in_code_after_a_finished_sentence_stays_a_paragraph():
    # a name set alone after a full stop (a heading-like label) or with words beside it: prose
    body = ("<h1>API</h1><p>The function returns a handle.</p><p><code>open_file</code></p>"
            "<p>The call</p><p><code>run</code> starts it.</p><p>Then</p><p><tt>a</tt><br><tt>b</tt> c</p>")
    assert sections(body) == [(["API"], "The function returns a handle.\n\nopen_file\n\nThe call\n\nrun starts it."
                                        "\n\nThen\n\na\nb c")]


def test_a_lone_term_in_a_definition_stays_a_term_not_an_outline():
    # Sphinx (Django's forms.CharField): a term that shares the next list's definition is a <dl>
    # of its own with an empty <dd>; one lone term is no outline
    body = ("<h1>CharField</h1><dl class='py class'><dt>class CharField</dt><dd><p>Has optional arguments:</p>"
            "<dl class='py attribute'><dt>max_length</dt><dd></dd></dl>\n"
            "<dl class='py attribute'><dt>min_length</dt><dd><p>If provided, these limit the length.</p></dd></dl>"
            "<dl class='py method'><dt>clean(value)</dt><dd></dd></dl></dd></dl>")
    assert sections(body) == [(["CharField"], "class CharField\n: Has optional arguments:\n\nmax_length\n\n"
                                              "min_length\n: If provided, these limit the length.\n\nclean(value)")]


def test_paragraphs_wholly_in_code_in_a_row_are_one_listing():
    # GAPDoc (gap-ref chap2): two usage lines after a finished sentence, described by the next paragraph
    body = ("<h1>Help</h1><p>You can use the described functions.</p>\n"
            "<p><code class='code'>?[<var class='Arg'>book</var>:]sections</code></p>\n\n"
            "<p><code class='code'>?[<var class='Arg'>book</var>:][chapters]</code></p>\n"
            "<p>These commands show tables of contents.</p>")
    assert sections(body) == [(["Help"], "You can use the described functions.\n\n"
                                         "```\n?[book:]sections\n?[book:][chapters]\n```\n\n"
                                         "These commands show tables of contents.")]
