"""Document-level helpers of the offline extractive generator: sections grouped by document
(``by_document``), the document's title as instructions name it (``document_title``) and the
paragraphs repeated across documents (``furniture_of``: a site's banner or footer)."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Iterable, Iterator

from fineflow_desktop.core.extractive.api_entries import api_item
from fineflow_desktop.core.extractive.records import SectionInput
from fineflow_desktop.core.extractive.sentences import heading_topic, names_topic
from fineflow_desktop.core.extractive.structures import reference_name, repeated_paragraphs


# separators framing a title, set off by spaces ("- mecaso - Package pour …", a PDF's title page;
# not the "-" of "Function operator-"), and a label's colon ("Purpose:")
_FRAME = re.compile(r"^(?:[-–—|·]+\s+)+|(?:\s+[-–—|·]+)+$|(?<=[\w)])\s*:$")


def document_title(section: SectionInput, sections: list[SectionInput] | None = None) -> str:
    """The document's title: its first heading, else its own title (HTML ``<title>``, PDF
    metadata), else the one top heading every headed section of the document (*sections*, in
    document order) shares — a page title after an untitled preamble —, else the file stem.
    An index's letter group ("- c -") titles nothing (``names_topic``)."""
    # the page's first heading names it best; <title> often carries the site name too
    title = heading_topic(section.heading_path[0]) if section.heading_path else ""
    if not names_topic(title):
        title = heading_topic(section.document_title or "")
    title = _FRAME.sub("", title).strip()
    if not title and sections:
        roots = {heading_topic(s.heading_path[0]) for s in sections if s.heading_path}
        title = roots.pop() if len(roots) == 1 else ""
        title = title if names_topic(title) else ""
    if ":" in title and section.document_title and heading_topic(section.document_title) == title:
        title = title.split(":", 1)[1].strip() or title  # "GNU gettext utilities: 11. The Programmer's View"
        title = heading_topic(title)
    if not title:
        name = PurePath(section.document_name or "").name
        title = re.sub(r"(\.[A-Za-z0-9]+)+$", "", name).replace("_", " ").replace("-", " ").strip()
    rn = reference_name(title)
    item = api_item(title)
    if item:  # "Struct std::iter::Zip" → "the std::iter::Zip struct"
        return f"the {item[0]} {item[1]}"
    return rn[0] if rn else title


def furniture_of(documents: Iterable[list[SectionInput]]) -> set[str]:
    """The paragraphs repeated on most of *documents* (lists of one document's sections, as
    ``by_document`` yields them): a site's banner or footer (``repeated_paragraphs``)."""
    return repeated_paragraphs([[t for sec in doc for _cid, t in sec.chunks] for doc in documents])


def by_document(sections: Iterable[SectionInput]) -> Iterator[list[SectionInput]]:
    """Consecutive sections of one document, as lists (document order is kept)."""
    group: list[SectionInput] = []
    for s in sections:
        if group and group[-1].document_id != s.document_id:
            yield group
            group = []
        group.append(s)
    if group:
        yield group
