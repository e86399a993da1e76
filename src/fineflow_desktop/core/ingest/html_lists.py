"""Ordered and unordered HTML lists (``ul``, ``ol``, ``dir``, ``menu``) as lines of chunk text.

Each item is a line starting ``- `` (``N. `` in an ``ol``); an item's later blocks and nested lists
are indented two spaces (docs/DEVELOPING.md, "Chunk text"). Numbering follows HTML 4.01 §10.2.
"""

from __future__ import annotations

from fineflow_desktop.core.ingest.html_sections import Blocks
from fineflow_desktop.core.ingest.html_structure import tag_of


def list_text(el, tag: str, out: Blocks, depth: int) -> str:
    """A list's items as lines (``- `` or ``N. ``); an ``<ol>`` numbers from its ``start`` and an
    item's ``value`` resets the count, as a browser draws them (HTML 4.01 §10.2; the Haskell 98
    report's contents continue a list in another column with ``<ol start=12>``). *out* walks the
    items (``Blocks.sub_blocks``) and says which children are chrome."""
    lines: list[str] = []
    n = html_int(el.get("start"), 1) - 1
    for child in el:
        ctag = tag_of(child)
        if ctag != "li":
            if ctag and out.chrome(child, ctag) is None:  # stray content directly in the list
                lines.extend(out.sub_blocks(child, depth + 1))
            continue
        n = html_int(child.get("value"), n + 1)
        marker = f"{n}. " if tag == "ol" else "- "
        blocks = out.sub_blocks(child, depth + 1)
        if not blocks:
            continue
        first, *rest = blocks
        item = [marker + first.replace("\n", "\n  ")]
        item += ["  " + b.replace("\n", "\n  ") for b in rest]
        lines.append("\n".join(item))
    return "\n".join(lines)


def html_int(value: str | None, default: int) -> int:
    """An integer attribute (``start``, ``value``), else *default* (missing or not a number)."""
    try:
        return int((value or "").strip())
    except ValueError:
        return default
