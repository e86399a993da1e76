"""Word .docx importer (python-docx): heading styles → heading path, lists, tables as rows.

Body paragraphs and tables are read in document order (``Document.iter_inner_content``).
A paragraph styled ``Title`` or ``Heading N`` (Word's built-in styles, also when localized
names keep the English style id) starts a section at level N (Title = 0). List paragraphs
(``List …`` styles or numbering properties) become ``- item`` lines, indented by list level.
Tables become one line per row with cells joined by `` | `` (merged cells are reported once).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from fineflow_desktop.core.ingest.base import ParsedDocument, ParseError, Section, register_parser
from fineflow_desktop.core.ingest.limits import check_zip

_HEADING = re.compile(r"^(?:heading|überschrift|titre|titolo|encabezado|kop)\s*(\d)$", re.I)


def parse_docx(path: Path, data: bytes) -> ParsedDocument:
    """Parse a .docx into sections; raises ``ParseError`` for broken or non-Word files."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    check_zip(path, data, "Word (.docx)", required=("[Content_Types].xml",))
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except PackageNotFoundError as exc:
        raise ParseError(path, "not a Word .docx document (no main document part)") from exc
    except Exception as exc:  # noqa: BLE001 - lxml/zip/KeyError from damaged parts
        raise ParseError(path, f"not a readable Word document ({type(exc).__name__}: {exc})") from exc

    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    lines: list[str] = []
    title = None

    def close() -> None:
        body = "\n".join(lines).strip("\n")
        lines.clear()
        if body.strip():
            sections.append(Section([t for _, t in stack], body))

    for block in blocks:
        if isinstance(block, Table):
            rows = _table_rows(block)
            if rows:
                if lines and lines[-1]:
                    lines.append("")
                lines.extend(rows)
                lines.append("")
            continue
        text = block.text.strip()
        level = _heading_level(block)
        if level is not None and text:
            close()
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, " ".join(text.split())))
            title = title or stack[0][1]
            continue
        if not text:
            if lines and lines[-1]:
                lines.append("")  # empty paragraph = paragraph break
            continue
        depth = _list_depth(block)
        if depth is not None:
            lines.append("  " * depth + "- " + text)
        else:
            if lines and lines[-1] and not lines[-1].lstrip().startswith("- "):
                lines.append("")
            elif lines and lines[-1].lstrip().startswith("- "):
                lines.append("")
            lines.append(text)
    close()
    core = _core_title(document)
    return ParsedDocument("docx", sections, title=core or title)


def _style_names(paragraph) -> tuple[str, str]:
    try:
        style = paragraph.style
        return (style.name or ""), (style.style_id or "")
    except Exception:  # noqa: BLE001 - a dangling style reference
        return "", ""


def _heading_level(paragraph) -> int | None:
    name, style_id = _style_names(paragraph)
    for candidate in (name, style_id):
        if candidate.lower() == "title":
            return 0
        m = _HEADING.match(candidate.replace("Heading", "Heading ").strip()) or _HEADING.match(candidate)
        if m:
            return int(m.group(1))
    return None


def _list_depth(paragraph) -> int | None:
    """0-based list level for list paragraphs, else None."""
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    if numpr is not None:
        ilvl = numpr.ilvl
        try:
            return int(ilvl.val) if ilvl is not None else 0
        except (TypeError, ValueError):
            return 0
    name, _ = _style_names(paragraph)
    if name.lower().startswith("list"):
        m = re.search(r"(\d)$", name)
        return int(m.group(1)) - 1 if m else 0
    return None


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell repeats for each grid column it spans
                continue
            last = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _core_title(document) -> str | None:
    try:
        title = document.core_properties.title
    except Exception:  # noqa: BLE001
        return None
    return " ".join(title.split()) or None if title else None


register_parser([".docx"], parse_docx)
