"""A second HTML parser for pages nested deeper than libxml2 can hold.

libxml2 stops building the tree at 2,048 open elements even with ``huge_tree`` (its
``xmlParserMaxDepth`` for ``XML_PARSE_HUGE``) and drops everything after that point: a page that
leaves thousands of ``<dt>`` unclosed (each next one nests in the open one) or hostile markup
would be stored cut short. Python's own ``html.parser``, driven by BeautifulSoup (already a
runtime dependency), has no depth limit; ``soup_tree`` converts its tree, without recursion, into
an ``lxml.html`` tree the structural walker reads like any other. Slower than libxml2, so it is only
the fallback (``html_text.parse_html_tree``).
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from lxml import html as lxml_html

_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)


def soup_tree(text: str):
    """The ``<html>`` element of an ``lxml.html`` tree for page *text*, parsed by ``html.parser``
    through BeautifulSoup (any depth; comments, doctype and processing instructions left out).
    Attributes lxml cannot hold (names that are not XML names) are dropped, elements with such
    a name become ``span``. Raises nothing for malformed markup: html.parser recovers."""
    soup = BeautifulSoup(text, "html.parser")
    make = lxml_html.html_parser.makeelement
    root = make("html")
    todo = [(soup, root)]  # (bs4 node whose children to convert, lxml element they go into)
    while todo:
        node, into = todo.pop()
        last = None  # the last lxml child made so far in *into* (text after it is its tail)
        for child in node.children:
            if isinstance(child, _NOT_TEXT):
                continue
            if isinstance(child, NavigableString):
                if last is None:
                    into.text = (into.text or "") + str(child)
                else:
                    last.tail = (last.tail or "") + str(child)
            elif isinstance(child, Tag):
                if child.name == "html" and into is root:
                    todo.append((child, root))  # the page's own <html>: its children go into ours
                    continue
                last = _element(make, child)
                into.append(last)
                todo.append((child, last))
    if root.find("body") is None:  # html.parser adds no body: wrap the page's content in one
        body = make("body")
        head = root.find("head")
        for child in list(root):
            if child is not head:
                body.append(child)
        body.text, root.text = root.text, None
        root.append(body)
    return root


def _element(make, tag: Tag):
    attrs = {}
    for name, value in tag.attrs.items():
        attrs[name] = " ".join(value) if isinstance(value, list) else str(value)
    try:
        return make(tag.name, attrs)
    except ValueError:  # a name that is not an XML name
        try:
            return make(tag.name)
        except ValueError:
            return make("span")
