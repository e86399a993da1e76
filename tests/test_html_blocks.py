"""core.ingest.html_blocks / html_chrome: the chunk-text convention on generator-shaped HTML (issue 10)."""

from pathlib import Path

from fineflow_desktop.core.ingest import parse_file


def sections(body: str, title: str | None = "Page"):
    """(heading path, text) of each section of a page with this body (and ``<title>``, unless None)."""
    head = f"<head><title>{title}</title></head>" if title else ""
    page = f"<html>{head}<body>{body}</body></html>"
    return [(s.heading_path, s.text) for s in parse_file(Path("p.html"), page.encode()).sections]


def test_nested_inline_markup_stays_in_the_sentence_in_order():
    # PostgreSQL 15 datatype-character.html and functions-sequence.html (issue 10's examples)
    got = sections("<h1>Types</h1><p>more akin to <code class='type'>varchar(<em class='replaceable'><code>n"
                   "</code></em>)</code> than to <code>char(<em><code>n</code></em>)</code>.</p>"
                   "<p><code>CREATE SEQUENCE <em><code>tablename</code></em>_<em><code>colname</code></em>_seq</code>"
                   " and <kbd>Ctrl</kbd>+<kbd>C</kbd>, <var>x</var><span><a href='#'>link</a></span>.</p>")
    assert got == [(["Types"], "more akin to varchar(n) than to char(n).\n\n"
                               "CREATE SEQUENCE tablename_colname_seq and Ctrl+C, xlink.")]


def test_definition_lists_keep_term_and_definition_together():
    got = sections("<h2>Options</h2><div class='variablelist'><dl class='variablelist'>"
                   "<dt><span class='term'><code class='option'>-c</code></span></dt>"
                   "<dd><p>Read commands from the\n string.</p><pre>bash -c 'echo'</pre></dd>"
                   "<dt>-i</dt><dt>--interactive</dt><dd><p>Interactive.</p></dd></dl></div>")
    assert got == [(["Options"], "-c\n: Read commands from the string.\n\n```\nbash -c 'echo'\n```\n\n"
                                 "-i\n--interactive\n: Interactive.")]


def test_generator_chrome_is_dropped_but_page_header_headings_are_kept():
    got = sections(
        "<div class='navheader'><table><tr><th>8.3. Character Types</th></tr><tr><td>Prev</td></tr></table></div>"
        "<div class='header'><h1 class='title'>Class StringUtils</h1><div class='sub-nav'>Summary</div></div>"
        "<div class='sphinxsidebar'><h3>Table of Contents</h3><ul><li>x</li></ul></div>"
        "<div class='related'>next | previous</div>"
        "<p>Operations on strings.</p><div role='heading' aria-level='2'>Method Summary</div><p>Static methods.</p>"
        "<div class='navfooter'>Next: Chapter 9</div><footer>Copyright</footer>")
    assert got == [(["Class StringUtils"], "Operations on strings."),
                   (["Class StringUtils", "Method Summary"], "Static methods.")]


def test_lists_tables_and_layout_tables():
    got = sections("<ol><li><p>first</p><ul><li>nested</li></ul></li><li>second<br>line</li></ol>"
                   "<table><caption>Table 1. Sizes</caption><tr><th>Name</th><th>Size</th></tr>"
                   "<tr><td><p>oid oid</p><p>Row identifier</p></td><td>4</td></tr></table>"
                   "<table class='listing_frame'><tr><td><pre>1\n2</pre></td><td><pre>int x;\nint y;</pre></td></tr></table>")
    assert got == [(["Page"], "1. first\n  - nested\n2. second\n  line\n\n"
                              "Table 1. Sizes\nName | Size\noid oid — Row identifier | 4\n\n```\nint x;\nint y;\n```")]


def test_deeply_nested_markup_does_not_exhaust_recursion():
    body = "<div>" * 250 + "<p>deep <b>text</b></p>" + "</div>" * 250
    assert "deep text" in sections(body)[0][1]
    hostile = "<ul><li>" * 3000 + "x" + "</li></ul>" * 3000
    [(_path, text)] = sections(hostile)  # past libxml2's 2,048 levels: html.parser, flattened (html9)
    assert text.split() == ["-"] * 50 + ["x"]  # 50 list levels above the flattening depth


def test_a_label_beside_a_title_reads_as_a_label_not_a_glued_word():
    # Doxygen 1.9 (jsoncpp, fltk): the title's labels follow it with no space; its CSS floats them
    got = sections('<div class="header"><div class="headertitle"><div class="title">Json::Writer Class '
                   'Reference<span class="mlabels"><span class="mlabel">abstract</span><span class="mlabel">final'
                   '</span></span></div></div></div><div class="contents"><p>Abstract class for writers.</p></div>',
                   title=None)
    assert got == [(["Json::Writer Class Reference (abstract final)"], "Abstract class for writers.")]


def test_a_first_heading_repeating_the_title_roots_the_headings_of_its_level():
    # DocBook refentry (PostgreSQL's app-pgdump.html): the refname and "Synopsis", "Description"…
    # are all <h2>; the page title names the page, so the sections go under it
    body = ("<div class='refnamediv'><h2>pg_dump</h2><p>pg_dump — extract a PostgreSQL database into a "
            "script file</p></div><div class='refsynopsisdiv'><h2>Synopsis</h2><p>pg_dump [option...] [dbname]</p>"
            "</div><div class='refsect1'><h2>Description</h2><p>pg_dump is a utility.</p><h3>Notes</h3>"
            "<p>Some notes.</p></div><div class='refsect1'><h2>Options</h2><p>-a dumps only the data.</p></div>")
    assert [p for p, _ in sections(body, title="pg_dump")] == [
        ["pg_dump"], ["pg_dump", "Synopsis"], ["pg_dump", "Description"], ["pg_dump", "Description", "Notes"],
        ["pg_dump", "Options"]]
    # another title: siblings stay siblings; a heading repeating the title replaces it (texinfo's Top)
    assert [p for p, _ in sections(body, title="pg_dump(1) manual")][:3] == [["pg_dump"], ["Synopsis"], ["Description"]]
    texinfo = "<h1>GNU Coding Standards</h1><p>Edition 1.</p><h1>GNU Coding Standards</h1><p>The Top node.</p><h1>Preface</h1><p>Text.</p>"
    assert [p for p, _ in sections(texinfo, title="GNU Coding Standards")] == [
        ["GNU Coding Standards"], ["GNU Coding Standards"], ["GNU Coding Standards", "Preface"]]


def test_a_page_header_that_goes_on_into_a_section_keeps_that_section():
    # AsciiDoc's manual pages (Debian git-doc, git-svn.html): div#header holds the title, then the
    # NAME section with the command's one-line purpose; before session 9 that line was lost.
    got = sections(
        "<div id='header'><h1>git-svn(1) Manual Page</h1><h2>NAME</h2><div class='sectionbody'>"
        "<p>git-svn -\n   Bidirectional operation between a Subversion repository and Git\n</p>"
        "<div class='navbar'>Prev | Next</div></div></div>"
        "<div id='content'><div class='sect1'><h2 id='_synopsis'>SYNOPSIS</h2><div class='sectionbody'>"
        "<p>git svn is a simple conduit.</p></div></div></div>", title="git-svn(1)")
    assert got == [(["git-svn(1) Manual Page", "NAME"],
                    "git-svn - Bidirectional operation between a Subversion repository and Git"),
                   (["git-svn(1) Manual Page", "SYNOPSIS"], "git svn is a simple conduit.")]


def test_a_page_header_with_only_its_title_and_links_stays_chrome():
    got = sections("<div id='header'><h1>Manual</h1><p>Home | <a href='a.html'>Up</a></p><h1>Again</h1>"
                   "<p>Version 2.1 menu</p></div><p>Body text of the page.</p>", title="Manual")
    assert [t for _, t in got] == ["Body text of the page."]


def test_text_loose_in_a_page_header_section_is_kept():
    got = sections("<div id='header'><h1>tool(1)</h1><h2>NAME</h2>tool - does one thing well"
                   "<p>More about it.</p> and a tail.</div><h2>SYNOPSIS</h2><p>tool [x]</p>", title="tool(1)")
    assert got[0] == (["tool(1)", "NAME"], "tool - does one thing well\n\nMore about it.\n\nand a tail.")
