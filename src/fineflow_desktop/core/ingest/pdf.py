"""PDF importer (pypdf): one section per page, ``meta={"page": n}`` (1-based), headings from
the PDF outline (bookmarks) when it has one.

A page belongs to the deepest outline entry that starts on or before it, so its heading path
is that entry's chain of titles. Text comes from ``PageObject.extract_text`` page by page
(memory stays at one page's text plus pypdf's object table). Encrypted PDFs that open with an
empty password are read; others give a ``ParseError``. A page whose text cannot be extracted
is skipped and listed in ``ParsedDocument.meta["pages_failed"]``; a PDF with no extractable
text at all (e.g. scanned images) yields no sections, which ingest reports as "no text found".
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from fineflow_desktop.core.ingest.base import ParsedDocument, ParseError, Section, register_parser

MAX_OUTLINE_ITEMS = 5000
_NOISY_LOGGERS = ("pypdf", "pypdf._reader", "pypdf.generic", "pypdf._page")


def parse_pdf(path: Path, data: bytes) -> ParsedDocument:
    """Parse a PDF into page sections; raises ``ParseError`` for broken or locked files."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseError(path, "not a PDF file (missing %PDF header)")
    # pypdf logs recoverable damage as warnings; the user sees our summary instead.
    levels = [(logging.getLogger(n), logging.getLogger(n).level) for n in _NOISY_LOGGERS]
    for logger, _ in levels:
        logger.setLevel(logging.ERROR)
    try:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ParseError(path, "the PDF is password-protected")
            n_pages = len(reader.pages)
        except ParseError:
            raise
        except FileNotDecryptedError as exc:
            raise ParseError(path, "the PDF is password-protected") from exc
        except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError, RecursionError,
                AssertionError, ZeroDivisionError, OverflowError, NotImplementedError) as exc:
            raise ParseError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc

        starts = _outline_starts(reader)
        title = _title(reader)
        sections: list[Section] = []
        failed: list[int] = []
        heading: list[str] = []
        for index in range(n_pages):
            if index in starts:
                heading = starts[index]
            try:
                text = reader.pages[index].extract_text() or ""
            except Exception:  # noqa: BLE001 - one damaged page must not lose the others
                failed.append(index + 1)
                continue
            text = _tidy(text)
            if text:
                sections.append(Section(list(heading), text, {"page": index + 1}))
        if failed and not sections:
            raise ParseError(path, f"no page could be read ({len(failed)} damaged pages)")
        meta = {"pages": n_pages}
        if failed:
            meta["pages_failed"] = failed
        return ParsedDocument("pdf", sections, title=title or (starts.get(0) or [None])[0], meta=meta)
    finally:
        for logger, level in levels:
            logger.setLevel(level)


def _title(reader) -> str | None:
    try:
        meta = reader.metadata
        title = meta.title if meta else None
    except Exception:  # noqa: BLE001 - metadata is optional and often malformed
        return None
    return " ".join(str(title).split()) or None if title else None


def _outline_starts(reader) -> dict[int, list[str]]:
    """Map 0-based page index → heading path of the deepest outline entry starting there."""
    starts: dict[int, list[str]] = {}
    try:
        outline = reader.outline
    except Exception:  # noqa: BLE001 - a broken outline just means no headings
        return starts
    # Iterative walk: pypdf gives nested lists (children follow their parent entry).
    stack: list[tuple[list, list[str]]] = [(outline, [])]
    seen = 0
    entries: list[tuple[int, list[str]]] = []
    while stack and seen < MAX_OUTLINE_ITEMS:
        items, parents = stack.pop()
        last_path = parents
        pending = []
        for item in items:
            seen += 1
            if isinstance(item, list):
                pending.append((item, last_path))
                continue
            try:
                title = " ".join(str(item.title).split())
                page = reader.get_destination_page_number(item)
            except Exception:  # noqa: BLE001
                continue
            last_path = parents + [title]
            if page is not None and page >= 0:
                entries.append((page, last_path))
        stack.extend(reversed(pending))
    # Deeper entries on the same page win; then later pages inherit until the next entry.
    for page, path in sorted(entries, key=lambda e: (e[0], len(e[1]))):
        starts[page] = path
    return starts


_HYPHEN_BREAK = re.compile(r"([a-z])-\n([a-z])")  # "exam-\nple" → "example"


def _tidy(text: str) -> str:
    """Join words hyphenated across lines and drop trailing spaces on lines."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


register_parser([".pdf"], parse_pdf)
