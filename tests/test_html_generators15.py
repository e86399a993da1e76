"""Round 15 of issue 10 (html15): development set = the generators still over the torn goal
(Halibut, pydoc, grohtml, pandoc from man, man2html, pod2html, Haddock; ``bench_ingest_docs.py
--round9-held-out --round9 --grohtml-man --round10-held-out --round12-held-out --haddock-ghc``).
Pages are reduced from the generators' real markup; the rules are general HTML structure."""

from test_html_blocks import sections


def test_br_lines_each_ending_with_a_link_are_index_entries():
    # Halibut (PuTTY's manual), its back-of-book index: one <p>, one <br> line per entry
    body = ("<h1><a name='Index'></a>Index</h1><p>\n"
            "<code>-4</code>: <a href='Chapter3.html#i192'>Section 3.11.3.17</a><br>\n"
            "accented characters: <a href='Chapter3.html#i86'>Section 3.3</a>, "
            "<a href='Chapter4.html#i77'>Section 4.4.8</a><br>\n"
            "accessibility: <a href='Chapter4.html#i148'>Section 4.9.4</a><br>\n"
            "access to files, changing: <a href='Chapter6.html#i27'>Section 6.2.14</a>\n</p>")
    assert sections(body) == [(["Index"], "- -4: Section 3.11.3.17\n"
                                          "- accented characters: Section 3.3, Section 4.4.8\n"
                                          "- accessibility: Section 4.9.4\n"
                                          "- access to files, changing: Section 6.2.14")]


def test_br_lines_of_a_sentence_or_of_links_only_stay_lines():
    # a wrapped sentence with a link at one line's end, and a column of links (a module list): lines
    body = ("<h1>Notes</h1><p>See the <a href='a.html'>manual</a><br>for the details of the<br>"
            "options it takes.</p><p><a href='x.html'>abc</a><br><a href='y.html'>argparse</a><br>"
            "<a href='z.html'>base64</a></p><p>two: <a href='a.html'>A</a><br>entries: <a href='b.html'>B</a></p>")
    assert sections(body) == [(["Notes"], "See the manual\nfor the details of the\noptions it takes.\n\n"
                                          "abc\nargparse\nbase64\n\ntwo: A\nentries: B")]


def test_link_entries_inside_a_list_item_stay_lines_of_the_item():
    # inside a list item, definition or cell a "- " line would read as nested under the item's marker
    body = ("<h1>See</h1><ul><li>one: <a href='a.html'>A</a><br>two: <a href='b.html'>B</a><br>"
            "three: <a href='c.html'>C</a></li></ul>")
    assert sections(body) == [(["See"], "- one: A\n  two: B\n  three: C")]
