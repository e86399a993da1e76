"""Code displays and hanging tags as blocks of the structural walker (``html_blocks``).

What a display is lives in ``html_displays`` (monospace lines with ``<br>``; blocks set off by
indentation, groff's grohtml) and ``html_indent`` (spacer tables). This module decides, with the
state ``Blocks`` keeps between blocks (``display_end``, ``tag_at``, ``term_at``), what a set-off
block becomes:

- a fenced listing (``fence_set_off``), or the continuation of the listing just before it;
- the text of a hanging tag (troff's ``.TP``: ``tag_waits`` / ``define_tag``), or of a tag set
  alone in the last row of a spacer table (``term_waits`` / ``define_term``), as one definition
  entry ``tag`` / ``: text`` (docs/DEVELOPING.md, "Chunk text").
"""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.html_displays import (
    display_text,
    indented_further,
    is_display_block,
    mono_paragraph,
    quote_in_sentence,
    quoted_paragraph,
    set_off_indent,
    set_off_lines,
)
from fineflow_desktop.core.ingest.html_indent import is_lone_tag, is_spacer_table
from fineflow_desktop.core.ingest.html_sections import Blocks
from fineflow_desktop.core.ingest.html_structure import STRUCTURE, tag_of

_NOT_PROSE = re.compile(r"^\s*(?:[-*+] |\d{1,3}[.)] |```)")  # a list item or fence line


def code_display(run: list, out: Blocks) -> None:
    """Fence the code display *run* (``html_displays.display_run``) as a block of *out*."""
    code = display_text(run)
    if code.strip():
        out.block(f"```\n{code}\n```")
    else:
        out.flush()  # only line breaks: a paragraph break, as the browser draws it


def set_off_display(el, out: Blocks) -> list[str] | None:
    """The lines of *el* when it is a display set off by indentation (``html_displays.is_display_block``:
    groff's no-fill ``<p style="margin-left:10%">.PS<br>box<br>.PE</p>``, or one indented line
    inside a sentence), else None. Ends *out*'s paragraph; a block ending with a hanging tag
    whose text follows is marked in *out* (``tag_at``) and is not a display."""
    lines = set_off_lines(el, STRUCTURE)
    if lines is None:
        return None
    out.flush()
    before = prose_before(out)
    filled = [ln.strip() for ln in lines if ln.strip()]
    lone_tag = is_lone_tag(filled[-1])  # the block's last line could be a hanging tag
    nxt = el.getnext()
    while nxt is not None and not tag_of(nxt):  # comments between
        nxt = nxt.getnext()
    indent = set_off_indent(el, tag_of(el))
    if lone_tag and nxt is not None and (len(filled) == 1 and tag_of(nxt) == "table" and is_spacer_table(nxt)
                                         or indented_further(indent, set_off_indent(nxt, tag_of(nxt)))):
        # a hanging tag (troff's .TP as grohtml writes it, after a label line such as "Operation
        # mode:" when the block has several): its text follows in a block indented further, or,
        # for a one-line block, in a spacer table (after a listing, such a table goes on with
        # it); this becomes a paragraph of its own first
        out.tag_at, out.tag_indent = len(out.blocks) + 1, indent
        return None
    if quoted_paragraph(el) is not el and not quote_in_sentence(before):
        return None  # a block quote's one paragraph: a display only inside a sentence
    return lines if is_display_block(lines, before, display_goes_on(el, out)) else None


def prose_before(out: Blocks) -> str | None:
    """The last line of *out*'s last block when it is prose (a definition's text counts, without
    its ``: ``), else None (no block, a list item, a code fence or a table row). Call after
    ``out.flush()``."""
    last = out.blocks[-1].rsplit("\n", 1)[-1] if out.blocks else ""
    return last.removeprefix(": ") if last.strip() and not _NOT_PROSE.match(last) and " | " not in last else None


def mono_display(el, tag: str, out: Blocks) -> bool:
    """Fence *el* as a one-line code block when it is a paragraph wholly in one monospace element
    (``html_displays.mono_paragraph``) that stands inside a sentence or after a lead-in colon
    (``is_display_block``: "… Use" / ``xslt-config --cflags`` / "to get …"), or that another
    such paragraph follows or precedes (a listing of two lines or more); else return False
    (*out*'s paragraph is ended)."""
    line = mono_paragraph(el, tag)
    if line is None:
        return False
    out.flush()
    goes_on = out.display_end == len(out.blocks) and out.display_indent == _MONO
    lines = [line] + [nxt] if (nxt := _next_mono_line(el)) else [line]
    if not is_display_block(lines, prose_before(out), goes_on):
        return False
    if goes_on:  # the paragraph right before was such a line: one listing ("CFLAGS=…" / "LIBS=…")
        out.blocks[-1] = out.blocks[-1].removesuffix("\n```") + f"\n{line}\n```"
    else:
        out.block(f"```\n{line}\n```")
    out.display_end, out.display_indent = len(out.blocks), _MONO
    return True


_MONO = "mono"  # ``Blocks.display_indent`` of a monospace paragraph display (no set-off indent)


def _next_mono_line(el) -> str | None:
    """The line of the paragraph right after *el* (only white space and comments between) when it
    too is wholly monospace (``mono_paragraph``): two such lines in a row are a listing wherever
    they stand (GAPDoc: "?[book:]sections" / "?[book:][chapters]" after a finished sentence)."""
    if (el.tail or "").strip():
        return None
    nxt = el.getnext()
    while nxt is not None and not tag_of(nxt) and not (nxt.tail or "").strip():
        nxt = nxt.getnext()
    return mono_paragraph(nxt, tag_of(nxt)) if nxt is not None and tag_of(nxt) else None


def fence_set_off(el, lines: list[str], out: Blocks) -> None:
    """Fence the set-off display *el* with *lines* (``set_off_display``), or append them after a
    blank line to the listing just before it at the same indentation (``display_goes_on``)."""
    code = "\n".join(lines).strip("\n")
    if display_goes_on(el, out):  # the listing goes on after a blank line
        out.blocks[-1] = out.blocks[-1].removesuffix("\n```") + f"\n\n{code}\n```"
    else:
        out.block(f"```\n{code}\n```")
    out.display_end, out.display_indent = len(out.blocks), set_off_indent(el, tag_of(el))


def display_goes_on(el, out: Blocks) -> bool:
    """Does *el* (set off) come right after a set-off display at the same indentation?"""
    return out.display_end == len(out.blocks) and out.display_indent == set_off_indent(el, tag_of(el))


def tag_waits(el, tag: str, out: Blocks) -> bool:
    """Is the last block a hanging tag (``set_off_display``) whose text *el* is, indented further
    than the tag and right after it? Ends *out*'s paragraph."""
    if out.tag_at != len(out.blocks) or not indented_further(out.tag_indent, set_off_indent(el, tag)):
        return False
    out.flush()  # text between: the tag stays alone
    return out.tag_at == len(out.blocks)


def term_waits(out: Blocks) -> bool:
    """Does the last block end with a tag set alone in a spacer table, nothing shown since? Ends
    *out*'s paragraph."""
    if out.term_at != len(out.blocks):
        return False
    out.flush()  # text between the table and this block: the tag stays alone
    return out.term_at == len(out.blocks)


def define_term(el, out: Blocks, depth: int) -> None:
    """*el* is the text of the tag on the last line of the last block (``term_waits``): that line
    and *el*'s blocks become one definition entry; lines above it stay a block of their own."""
    rest, _, term = out.blocks.pop().rpartition("\n")
    if rest:
        out.blocks.append(rest)
    out.block(_entry(term, out.sub_blocks(el, depth + 1)))


def define_tag(el, out: Blocks, depth: int) -> None:
    """*el* is the text of the hanging tag ending the last block (``tag_waits``): that line and
    *el*'s blocks become one definition entry; lines above it stay a block of their own."""
    blocks = out.sub_blocks(el, depth + 1)
    lead, _, term = out.blocks.pop().rpartition("\n")  # the tag is the last line; lines above it stand apart
    out.blocks += [lead] if lead else []
    out.blocks.append(_entry(term, blocks))
    out.tag_at = -1


def _entry(term: str, blocks: list[str]) -> str:
    """A definition entry: *term*, then ``: `` and the first block, later blocks after blank lines."""
    return term + "".join(("\n: " if k == 0 else "\n\n") + b for k, b in enumerate(blocks))
