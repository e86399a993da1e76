"""Round 18 of issue 10 (html18): development set = pydoc and pod2html (``bench_ingest_docs.py
--round9``), still over the torn goal. Pages are reduced from the generators' real markup; the
rules are general HTML structure (``&nbsp;``-indented ``<br>`` lines), not one generator's names."""

from test_html_blocks import sections

NB = "&nbsp;"


def _lines(*lines: str) -> str:
    """``<br>`` lines with their spaces written as ``&nbsp;`` (pydoc's docstrings)."""
    return "<br>\n".join(line.replace(" ", NB) for line in lines)


def test_a_term_line_followed_by_indented_lines_is_a_definition():
    # pydoc -w enum: int.to_bytes's docstring in a <dd><span class="code">
    body = ("<h1>IntEnum</h1><dl><dt><strong>to_bytes</strong>(self, /, length=1)</dt><dd><span class='code'>"
            + _lines("Return an array of bytes representing an integer.", " ", "length",
                     "  Length of bytes object to use.  An OverflowError is raised if the",
                     "  integer is not representable with the given number of bytes.  Default",
                     "  is length 1.", "byteorder",
                     "  The byte order used to represent the integer.")
            + "</span></dd></dl>")
    assert sections(body) == [(["IntEnum"], "to_bytes(self, /, length=1)\n"
                                            ": Return an array of bytes representing an integer.\n\n"
                                            "length\n"
                                            ": Length of bytes object to use. An OverflowError is raised if the\n"
                                            "integer is not representable with the given number of bytes. Default\n"
                                            "is length 1.\n\n"
                                            "byteorder\n"
                                            ": The byte order used to represent the integer.")]


def test_a_hanging_indent_after_a_line_of_words_stays_prose():
    # a wrapped line's continuation (pydoc itertools: "islice(seq, [start,] stop [, step]) --> elements
    # from" / indented "seq[start:stop:step]"), a one-word line ending a sentence, and a
    # "name -- text" line: none of them is a term alone
    body = ("<h1>M</h1><p>"
            + _lines("islice(seq, [start,] stop [, step]) --> elements from", "       seq[start:stop:step]",
                     "pairwise(s) --> (s[0],s[1]), ...", " ", "Returns:", "done.", "   the rest", " ",
                     "wrapcolumn -- column number where lines are broken,", "    defaults to None.")
            + "</p>")
    assert sections(body) == [(["M"], "islice(seq, [start,] stop [, step]) --> elements from\n"
                                      "seq[start:stop:step]\npairwise(s) --> (s[0],s[1]), ...\n\n"
                                      "Returns:\ndone.\nthe rest\n\n"
                                      "wrapcolumn -- column number where lines are broken,\ndefaults to None.")]


def test_a_word_of_a_sentence_before_an_indented_example_is_no_term():
    # the Lynx users guide (lynx-common): "or" between two indented KEYMAP lines, the sentence going on
    body = ("<h1>TEXTAREA</h1><p>Two variants exist,<br>\n&nbsp;&nbsp;KEYMAP:e:EDITTEXTAREA<br>\nor<br>\n"
            "&nbsp;&nbsp;KEYMAP:e:DWIMEDIT<br>\n(the first is only functional for TEXTAREA editing).</p>")
    assert sections(body) == [(["TEXTAREA"], "Two variants exist,\nKEYMAP:e:EDITTEXTAREA\nor\nKEYMAP:e:DWIMEDIT\n"
                                             "(the first is only functional for TEXTAREA editing).")]


def test_one_indented_line_after_a_paragraph_ending_with_a_colon_is_a_display():
    # pydoc -w statistics: linear_regression's docstring
    body = ("<h1>F</h1><dl><dt>linear_regression(x, y, /, *, proportional=False)</dt><dd><span class='code'>"
            + _lines("Since the *intercept* will always be 0.0, the underlying linear",
                     "function simplifies to:", " ", "    y = slope * x + noise", " ", "Next paragraph.")
            + "</span></dd></dl>")
    assert sections(body) == [(["F"], "linear_regression(x, y, /, *, proportional=False)\n"
                                      ": Since the *intercept* will always be 0.0, the underlying linear\n"
                                      "function simplifies to:\n\n"
                                      "```\ny = slope * x + noise\n```\n\n"
                                      "Next paragraph.")]


def test_one_indented_line_without_a_lead_in_stays_a_paragraph():
    # a typographic indent: the paragraph before does not end with a colon
    body = "<h1>F</h1><p>" + _lines("First paragraph.", " ", "    An indented paragraph.") + "</p>"
    assert sections(body) == [(["F"], "First paragraph.\n\nAn indented paragraph.")]
