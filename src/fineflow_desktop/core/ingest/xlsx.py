"""Excel .xlsx importer (openpyxl, read-only streaming): each sheet is a table.

The first non-empty row of a sheet is its header. By default every data row becomes one
section of ``header: value`` lines (the same shape as a CSV row). With ``text_column`` (a
header name, a column letter such as ``"B"``, or a 1-based index) only that column's text is
used, one section per non-empty cell. Sections carry ``heading_path=[sheet name]`` and
``meta={"sheet", "row"}`` (``row`` is the spreadsheet's 1-based row number). Rows stream
from openpyxl's read-only reader, so memory does not grow with the sheet.
"""

from __future__ import annotations

import io
import warnings
from datetime import date, datetime, time
from pathlib import Path

from fineflow_desktop.core.ingest.base import ParsedDocument, ParseError, Section, register_parser
from fineflow_desktop.core.ingest.limits import check_zip

MAX_COLUMNS = 512  # wider rows are cut: a spreadsheet row wider than this is not prose


def parse_xlsx(path: Path, data: bytes, text_column: str | int | None = None) -> ParsedDocument:
    """Parse a workbook; see the module docstring. Raises ``ParseError`` for broken files and
    for a ``text_column`` that no sheet has (naming the available headers)."""
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    check_zip(path, data, "Excel (.xlsx)", required=("[Content_Types].xml",))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip/XML/KeyError from damaged parts
        raise ParseError(path, f"not a readable Excel workbook ({type(exc).__name__}: {exc})") from exc

    sections: list[Section] = []
    headers_seen: list[str] = []
    matched_column = text_column is None
    sheets: list[str] = []
    try:
        for ws in wb.worksheets:
            sheet = ws.title
            sheets.append(sheet)
            header: list[str] | None = None
            col: int | None = None
            for row_no, row in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
                cells = [_cell_text(v) for v in row]
                if not any(cells):
                    continue
                if header is None:
                    while cells and not cells[-1]:  # read-only rows are padded to the sheet width
                        cells.pop()
                    header = [c or f"column {i + 1}" for i, c in enumerate(cells)]
                    headers_seen.extend(h for h in header if h not in headers_seen)
                    if text_column is not None:
                        col = _column_index(text_column, header, column_index_from_string)
                        matched_column = matched_column or col is not None
                    continue
                if text_column is not None:
                    if col is None or col >= len(cells) or not cells[col]:
                        continue
                    body = cells[col]
                else:
                    pairs = [(header[i] if i < len(header) else f"column {i + 1}", c) for i, c in enumerate(cells) if c]
                    single = len(header) == 1 and len(pairs) == 1  # one-column sheet: bare values, as in CSV
                    body = pairs[0][1] if single else "\n".join(f"{k}: {v}" for k, v in pairs)
                sections.append(Section([sheet], body, {"sheet": sheet, "row": row_no}))
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged sheet XML surfaces while streaming
        raise ParseError(path, f"cannot read the workbook's cells ({type(exc).__name__}: {exc})") from exc
    finally:
        wb.close()
    if not matched_column:
        raise ParseError(
            path, f"no sheet has a column {text_column!r} (headers: {', '.join(headers_seen[:30]) or 'none'})",
            field=str(text_column),
        )
    return ParsedDocument("xlsx", sections, meta={"sheets": sheets})


def _column_index(spec: str | int, header: list[str], from_letter) -> int | None:
    """0-based index of *spec*: header name (case-insensitive), column letter, or 1-based int."""
    if isinstance(spec, int):
        return spec - 1 if spec >= 1 else None
    wanted = spec.strip().lower()
    for i, name in enumerate(header):
        if name.strip().lower() == wanted:
            return i
    if spec.isalpha() and len(spec) <= 3:
        try:
            return from_letter(spec.upper()) - 1
        except ValueError:
            return None
    if spec.isdigit():
        return int(spec) - 1 if int(spec) >= 1 else None
    return None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _registry_parser(path: Path, data: bytes, text_column: str | int | None = None) -> ParsedDocument:
    return parse_xlsx(path, data, text_column=text_column)


def xlsx_headers(path: Path, max_sheets: int = 20) -> list[str]:
    """Header cells (first non-empty row) of every sheet, in order, each once — the choices for
    ``text_column``. Raises ``ParseError`` for an unreadable workbook."""
    from openpyxl import load_workbook

    data = path.read_bytes()
    check_zip(path, data, "Excel (.xlsx)", required=("[Content_Types].xml",))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - damaged parts
        raise ParseError(path, f"not a readable Excel workbook ({type(exc).__name__}: {exc})") from exc
    headers: list[str] = []
    try:
        for ws in wb.worksheets[:max_sheets]:
            for row in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                cells = [_cell_text(v) for v in row]
                if any(cells):
                    headers += [c for c in cells if c and c not in headers]
                    break
    finally:
        wb.close()
    return headers


register_parser([".xlsx", ".xlsm"], _registry_parser)
