"""Line-end hyphenation of PDF text, decided over the whole document — split out of ``pdf_lines``.

PDFium joins a word hyphenated at a line end into one line, the hyphen marked U+FFFE;
``pdf_lines.page_lines`` keeps a soft hyphen there (``HYPHEN_MARK``) and ``resolve_hyphens``
decides: the hyphen stays where the document spells the compound with one elsewhere and never
without ("floating-point", "non-zero"), else the word is joined ("docu-ment").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (pdf_lines imports this module)
    from fineflow_desktop.core.ingest.pdf_lines import Line

HYPHEN_MARK = "\u00ad"  # soft hyphen: where PDFium joined a word hyphenated at a line end
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")  # a compound spelled with hyphens on one line
_SOLID = re.compile(r"[^\W\d_]+")
_AT_MARK = re.compile(rf"([^\W\d_]*){HYPHEN_MARK}([^\W\d_]*)")


def resolve_hyphens(pages: list[list[Line]]) -> None:
    """Replace every ``HYPHEN_MARK`` in the lines (and cells) of *pages*: a hyphen where the
    document spells that compound with a hyphen inside a line ("floating-point") and never as one
    word, else nothing ("docu" + "ment"). Line-end hyphenation cannot tell "non-zero" from
    "docu-ment" by itself; the document's own spelling can (TeX only hyphenates at line ends)."""
    hyphenated: set[str] = set()
    solid: set[str] = set()
    for lines in pages:
        for ln in lines:
            words = [w for w in ln.text.split() if HYPHEN_MARK not in w]
            for w in words:
                hyphenated.update(m.lower() for m in _HYPHENATED.findall(w))
                solid.update(m.lower() for m in _SOLID.findall(w))

    def fix(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        keep = f"{left}-{right}".lower() in hyphenated and (left + right).lower() not in solid
        return f"{left}-{right}" if keep else left + right

    for lines in pages:
        for ln in lines:
            if HYPHEN_MARK in ln.text:
                ln.text = _AT_MARK.sub(fix, ln.text).replace(HYPHEN_MARK, "")
                ln.cells = [(x, _AT_MARK.sub(fix, t).replace(HYPHEN_MARK, "")) for x, t in ln.cells]
