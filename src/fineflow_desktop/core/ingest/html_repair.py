"""Tree repairs between lxml's HTML parser and the structural walker (``html_blocks``).

1. **Implied end tags** (``close_implied_ends``). HTML lets a page omit ``</dt>``, ``</dd>``,
   ``</li>``, ``</p>`` and ``</option>`` when the next element of the same family follows (HTML
   Living Standard §13.1.2.4 "Optional tags"; the tree-construction rules for a ``dt``/``dd``,
   ``li``, ``p`` or ``option`` start tag close the open one). Browsers build siblings. libxml2's
   HTML parser (2.14) does so for ``li``, ``p`` and ``option`` but nests each following ``<dt>``
   or ``<dd>`` inside the unclosed one: gnuplot's LaTeX2HTML index (``node649.html``) came out as
   ``dt>dt>dt…`` 749 levels deep, terms no longer siblings and the walker out of stack. The
   repair hoists such a child, with everything after it, out of its parent to follow it, as a
   browser would have; li/p/option get the same rule in case another libxml2 nests them.
2. **Depth** (``flatten_deep``). The walker is recursive (a few Python frames per element level),
   so a subtree nested deeper than ``MAX_TREE_DEPTH`` levels below the walked element is
   flattened into its text, one line per block (``<br>`` between them): nothing is lost and no
   ``RecursionError`` can occur, whatever the markup. Real documentation pages nest a few dozen
   levels at most.
"""

from __future__ import annotations

from lxml import etree

from fineflow_desktop.core.ingest.html_chrome import SKIP_TAGS
from fineflow_desktop.core.ingest.html_structure import HEADINGS, STRUCTURE, tag_of

# parent tag -> child tags whose start tag ends the parent (HTML Living Standard §13.2.6.4.7,
# "in body": a start tag "li", "dd"/"dt", "p" (via "close a p element"), "option")
IMPLIED_END_BY = {
    "dt": frozenset(("dt", "dd")),
    "dd": frozenset(("dt", "dd")),
    "li": frozenset(("li",)),
    "p": frozenset(("p",)),
    "option": frozenset(("option", "optgroup")),
}
_KEEP_TAG = frozenset(("li", "dt", "dd", "td", "th", "br", *HEADINGS))
MAX_TREE_DEPTH = 100  # ≤ ~7 Python frames per level in the walker, inside the default limit of 1000


def close_implied_ends(root) -> int:
    """Give *root*'s tree the structure a browser builds for omitted end tags (see the module
    docstring): a child whose tag ends its parent (``IMPLIED_END_BY``) becomes, with the siblings
    after it, the parent's following siblings, in order; the parent's tail follows the last of
    them. Iterative (any depth), in place; returns how many elements were hoisted."""
    hoisted = 0
    todo = [root]
    while todo:
        parent = todo.pop()
        child = next(iter(parent), None)
        while child is not None:  # getnext, not parent[i]: lxml indexes children in O(i)
            closers = IMPLIED_END_BY.get(tag_of(child))
            if closers:
                hoisted += _hoist(child, closers)  # hoisted nodes follow *child*: visited next
            todo.append(child)
            child = child.getnext()
    return hoisted


def _hoist(el, closers: frozenset) -> int:
    """Move the first child of *el* whose tag is in *closers*, and every child after it, to follow
    *el*; returns how many children moved."""
    start = next((k for k, c in enumerate(el) if tag_of(c) in closers), None)
    if start is None:
        return 0
    moved = list(el)[start:]
    tail, el.tail = el.tail, None
    anchor = el
    for node in moved:  # addnext moves each node with its tail (the text after it)
        anchor.addnext(node)
        anchor = node
    if tail:
        anchor.tail = (anchor.tail or "") + tail
    return 1


def flatten_deep(top, max_depth: int = MAX_TREE_DEPTH) -> int:
    """Flatten, in place, every element ``max_depth`` levels below *top* that still has children:
    its subtree becomes its text, a ``<br>`` between blocks (``html_structure.STRUCTURE`` tags
    start and end a line; script/style and the like, ``SKIP_TAGS``, are left out), so the walker
    never recurses deeper than *max_depth* levels. Iterative; returns how many were flattened."""
    flattened = 0
    todo = [(top, 0)]
    while todo:
        el, depth = todo.pop()
        if depth >= max_depth and len(el):
            _flatten(el)
            flattened += 1
            continue
        todo.extend((c, depth + 1) for c in el)
    return flattened


def _flatten(el) -> None:
    """Replace *el*'s subtree by its text: verbatim in a ``pre``; else lines with a ``<br>``
    between blocks, and a block-level *el* becomes a ``div`` (a ``table``, list or ``dl`` reads
    only its rows or items, so loose text in it would be lost; a ``blockquote`` of short lines would
    read as a display). Items and cells (``li``, ``dt``, ``dd``, ``td``, ``th``) and headings keep
    their tag: their container reads them by it."""
    tag = tag_of(el)
    if tag == "pre":
        text = "".join(el.itertext())
        for child in list(el):
            el.remove(child)
        el.text = text
        return
    if tag in STRUCTURE and tag not in _KEEP_TAG:
        el.tag = "div"
    lines: list[str] = [el.text or ""]
    skipping = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if node is el:
            continue
        tag = tag_of(node)
        if not tag:  # a comment or processing instruction: only the text after it
            if event == "end" and not skipping:
                lines[-1] += node.tail or ""
            continue
        if event == "start":
            if tag in SKIP_TAGS:
                skipping += 1
            if not skipping:
                if tag in STRUCTURE:
                    lines.append("")
                lines[-1] += node.text or ""
        else:
            if tag in SKIP_TAGS:
                skipping -= 1
            if not skipping:
                if tag in STRUCTURE:
                    lines.append("")
                lines[-1] += node.tail or ""
    for child in list(el):
        el.remove(child)
    lines = [line for line in lines if line.strip()]
    el.text = lines[0] if lines else None
    for line in lines[1:]:
        etree.SubElement(el, "br").tail = line
