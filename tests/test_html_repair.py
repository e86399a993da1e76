"""core.ingest.html_repair / html_soup: omitted end tags and deep trees (issue 10, html9).

gnuplot's LaTeX2HTML index (node649.html) leaves ``<DT>`` unclosed; libxml2 nested each next
``<dt>`` in the open one and the recursive walker raised RecursionError. The pages here are
generated in the test, shaped like that one.
"""

import re
from pathlib import Path

import pytest
from lxml import etree

from fineflow_desktop.core.ingest import parse_file
from fineflow_desktop.core.ingest.html_repair import MAX_TREE_DEPTH, close_implied_ends, flatten_deep
from fineflow_desktop.core.ingest.html_text import tree_sections


def page_sections(body: str, title: str = "Index"):
    page = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return [(s.heading_path, s.text) for s in parse_file(Path("index.html"), page.encode()).sections]


def test_300_unclosed_dt_become_sibling_entries_with_their_definitions_in_order():
    # an index as LaTeX2HTML writes it: <DT> never closed, a <DD> now and then (also unclosed)
    body, want = "<h1>Index</h1><DL COMPACT>", []
    for i in range(300):
        body += f"\n<DT><A HREF='node{i}.html'><STRONG>term{i}</STRONG></A> <B>x{i}</B>"
        if i % 7 == 3:
            body += f"\n<DD>Definition of <I>term{i}</I>, see <A HREF='#'>node {i}</A>."
            want.append((f"term{i} x{i}", f": Definition of term{i}, see node {i}."))
        else:
            want.append((f"term{i} x{i}", None))
    body += "\n</DL><P>After the index."
    [(path, text)] = page_sections(body)
    assert path == ["Index"]
    # terms without a definition are lines of one block; each defined term keeps its definition
    expected, lines = [], []
    for term, definition in want:
        if definition is None:
            lines.append(term)
        else:
            expected.append("\n".join([*lines, term, definition]))
            lines = []
    expected.append("\n".join(lines))
    assert text == "\n\n".join(expected + ["After the index."])


def test_unclosed_dd_followed_by_dd_and_dt_are_siblings():
    got = page_sections("<h2>Options</h2><dl><dt>-a<dd>All files.<dd>Also hidden ones.<dt>-b<dd>Brief.</dl>")
    assert got == [(["Options"], "-a\n: All files.\n\n: Also hidden ones.\n\n-b\n: Brief.")]


def test_close_implied_ends_hoists_li_p_dt_out_of_their_own_kind_keeping_tails_in_order():
    # libxml2 closes li and p itself; a tree built by hand (or by another parser) may nest them
    root = etree.fromstring("<body><ul><li>a<li>b<ul><li>nested</li></ul><li>c</li></li></li></ul>"
                            "<p>one<p>two</p>mid</p>end<dl><dt>t1<dt>t2<dd>d</dd></dt>tail2</dt>tail1</dl></body>")
    assert close_implied_ends(root) == 5
    assert etree.tostring(root, encoding="unicode") == (
        "<body><ul><li>a</li><li>b<ul><li>nested</li></ul></li><li>c</li></ul>"
        "<p>one</p><p>two</p>midend<dl><dt>t1</dt><dt>t2</dt><dd>d</dd>tail2tail1</dl></body>")


def test_3000_nested_divs_keep_all_their_text_in_order():
    # past libxml2's 2,048 levels the page is parsed again by html.parser (html_soup): nothing lost
    body = "<h1>Deep</h1>" + "".join(f"<div>word{i} <b>bold{i}</b>\n" for i in range(3000)) + "</div>" * 3000
    body += "<p>After the divs.</p>"
    [(path, text)] = page_sections(body)
    assert path == ["Deep"]
    assert re.findall(r"(?:word|bold)(\d+)", text) == [str(i) for i in range(3000) for _ in (0, 1)]
    assert text.startswith("word0 bold0\n\nword1 bold1\n\n")  # blocks above the flattening depth
    assert "word2999 bold2999" in text  # a flattened line keeps its inline text together
    assert text.endswith("\n\nAfter the divs.")


@pytest.mark.parametrize("kind", ["div", "ul/li", "dl/dt", "dl/dd", "table/tr/td", "table/tbody/tr/th",
                                  "blockquote/p", "span", "ol/li/p/dl/dd/table/tr/td/b"])
def test_walker_flattens_any_tree_deeper_than_its_limit_without_losing_text(kind):
    # trees built directly (EPUB chapters and Markdown give the walker their own trees)
    body = etree.Element("body")
    cur = body
    for i in range(3000):
        for tag in kind.split("/"):
            cur = etree.SubElement(cur, tag)
        cur.text = f"w{i} "
    text = "\n".join(s.text for s in tree_sections(body, "T"))
    assert re.findall(r"w(\d+)", text) == [str(i) for i in range(3000)]


def test_flatten_deep_turns_deep_containers_into_lines_and_keeps_pre_verbatim():
    root = etree.fromstring("<body><div><table><tr><td>cell <i>one</i></td></tr><tr><td>two</td></tr></table>"
                            "<pre>x  = 1\n<b>y</b> = 2</pre><script>var s;</script>after</div></body>")
    assert flatten_deep(root, 2) == 2  # the table and the pre, two levels below <body>
    assert etree.tostring(root, encoding="unicode") == (
        "<body><div><div>cell one<br/>two</div><pre>x  = 1\ny = 2</pre><script>var s;</script>after</div></body>")
    assert MAX_TREE_DEPTH >= 50  # real pages nest a few dozen levels and must not be flattened


def test_an_index_of_2500_unclosed_dt_past_libxml2s_depth_limit_keeps_every_entry():
    # libxml2 nests each <dt> in the open one and stops at 2,048 levels: html.parser takes over
    body = "<h1>Index</h1><dl>" + "".join(f"\n<dt><a href='n{i}.html'>entry{i}</a>" for i in range(2500)) + "</dl>"
    [(path, text)] = page_sections(body)
    assert path == ["Index"]
    assert text.split("\n") == [f"entry{i}" for i in range(2500)]
