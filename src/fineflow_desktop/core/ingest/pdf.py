"""PDF importer (pypdfium2): sections per outline entry and page, ``meta={"page": n}`` (1-based).

Chosen over pypdf and pdfminer.six by measurement (``bench/bench_ingest_docs.py --pdf-compare``,
table in docs/DEVELOPING.md): PDFium's text is as faithful as pdfminer's, an order of magnitude
faster, and it gives the character boxes and font flags that ``pdf_layout`` needs to rebuild
paragraphs, code blocks and lists and to drop running headers/footers and TOC dot leaders.

A section runs over page breaks until the next heading: a paragraph cut by a page break goes on
in the same paragraph (``pdf_layout.paragraphs``), so it lands in the same chunk; the section's
``meta`` has its first ``page`` and the offsets where later pages start (``page_meta``), from
which each chunk gets its own ``page`` (and ``page_end``).

Headings come from the PDF outline (bookmarks): an entry's destination (page and, for ``/XYZ``
destinations, the y of its top) splits its page, so the lines below it get that entry's heading
path and the lines above stay with the previous entry; the heading's own line is dropped from
the text (it is in the path). Without an outline the path is the document title, if any. Lines
set notably larger than the body text that the outline lacks (function titles of a reference
chapter) add one level below the outline entry. Without an outline, headings come from the
typography (``pdf_headings``: size, bold, outdent, capitals, numbering; levels by style).
Text inside vector figures (Form XObjects that draw: graphs, diagrams) is left out
(``pdf_figures``). Encrypted PDFs that open with an empty password are read; others give a ``ParseError``. A page
whose text cannot be extracted is skipped and listed in ``ParsedDocument.meta["pages_failed"]``;
a PDF with no text at all (e.g. scanned images) yields no sections ("no text found").
"""

from __future__ import annotations

from pathlib import Path

from fineflow_desktop.core.ingest.base import ParsedDocument, ParseError, Section, register_parser
from fineflow_desktop.core.ingest.pdf_cells import rejoin_late_cells
from fineflow_desktop.core.ingest.pdf_figures import figure_boxes, outside_figures
from fineflow_desktop.core.ingest.pdf_headings import HEADING_SIZE, MAX_WORDS, norm_title, split_runs
from fineflow_desktop.core.ingest.pdf_furniture import content_lines, folio_offset, running_edges, running_lines, upright_lines
from fineflow_desktop.core.ingest.pdf_layout import paragraphs, text_right
from fineflow_desktop.core.ingest.pdf_hyphens import resolve_hyphens
from fineflow_desktop.core.ingest.pdf_lines import page_lines
from fineflow_desktop.core.ingest.pdf_spacing import align_margins
from fineflow_desktop.core.ingest.pdf_marks import note_marks
from fineflow_desktop.core.ingest.pdf_runs import join_offset_runs, margin_first

MAX_OUTLINE_ITEMS = 5000
SPACE_PROBE = 8  # pages checked for missing word spaces before the check stops if none were found
_XYZ = 1  # PDFDEST_VIEW_XYZ: view = [left, top, zoom]


def parse_pdf(path: Path, data: bytes, use_outline: bool = True) -> ParsedDocument:
    """Parse a PDF (see the module docstring); raises ``ParseError`` for broken or locked files.
    ``use_outline=False`` reads headings from the typography even when the PDF has an outline
    (the benchmark measures the layout headings against the outline that way)."""
    import pypdfium2 as pdfium

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseError(path, "not a PDF file (missing %PDF header)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = "the PDF is password-protected" if "password" in str(exc).lower() else f"not a readable PDF ({exc})"
        raise ParseError(path, reason) from exc
    try:
        n_pages = len(doc)
        pages, heights, failed = [], [], []
        check_spaces = True
        for index in range(n_pages):
            try:
                page = doc[index]
                heights.append(page.get_height())
                # labels inside a drawn figure are no lines of the text (``pdf_figures``)
                lines = upright_lines(page_lines(page, check_spaces))
                pages.append(rejoin_late_cells(note_marks(join_offset_runs(margin_first(outside_figures(lines, *figure_boxes(page)))))))
                # a PDF either sets words without space glyphs or not: after SPACE_PROBE pages
                # with none missing, the per-character gap check (a third of the parse) stops
                if check_spaces and index + 1 >= SPACE_PROBE and not any(ln.spaced for lines in pages for ln in lines):
                    check_spaces = False
                page.close()
            except Exception:  # noqa: BLE001 - one damaged page must not lose the others
                failed.append(index + 1)
                pages.append([])
                heights.append(0.0)
        title = _title(doc)
        starts = outline_starts(doc) if use_outline else {}
    finally:
        doc.close()
    resolve_hyphens(pages)
    running = running_lines(pages, heights)
    edges = running_edges(pages)
    offset = folio_offset(pages, heights)
    body = body_size(pages)
    pages = [content_lines(lines, height, running, None if offset is None else number - offset, edges)
             for number, (lines, height) in enumerate(zip(pages, heights), 1)]
    align_margins(pages)
    measure = text_right(pages)
    # runs of lines under one heading path, across page breaks: [path, lines, first page]
    runs: list[list] = [] if starts else split_runs(pages, body, [title] if title else [])
    path_now: list[str] = [title] if title else []
    sub: str | None = None  # a heading line below the deepest outline entry (not in the outline)
    for index, lines in enumerate(pages if starts else []):
        first_part = True
        for seg_path, seg_lines in _segments(lines, starts.get(index, []), path_now):
            if seg_path is not path_now:
                sub = None
            continues = seg_path is path_now  # no outline entry between the previous page and here
            path_now = seg_path
            for heading, part in _split_heading_lines(seg_lines, body):
                sub = heading or sub
                key = list(seg_path) + ([sub] if sub else [])
                if first_part and continues and heading is None and runs and runs[-1][0] == key:
                    runs[-1][1].extend(part)  # the section goes on over the page break
                elif part or heading is not None or not continues:
                    runs.append([key, list(part), index + 1])
                first_part = False
    sections: list[Section] = []
    for key, lines, first_page in runs:
        text = "\n\n".join(paragraphs(lines, measure))
        if text.strip():
            sections.append(Section(key, text, page_meta(text, lines, first_page)))
    if failed and not sections:
        raise ParseError(path, f"no page could be read ({len(failed)} damaged pages)")
    meta = {"pages": n_pages}
    if failed:
        meta["pages_failed"] = failed
    first = next(iter(starts.get(0, [])), None)
    return ParsedDocument("pdf", sections, title=title or (first[1][0] if first else None), meta=meta)


def page_meta(text: str, lines, first_page: int) -> dict:
    """``{"page": first page}`` plus, for a section that goes on over page breaks,
    ``"page_starts": [[char offset in text, page], ...]`` for each later page: where the text of
    that page's first line is found (``core.chunking`` turns it into each chunk's page)."""
    meta: dict = {"page": first_page}
    starts, pos, seen = [], 0, {first_page}
    for ln in lines:
        if ln.page in seen:
            continue
        seen.add(ln.page)
        probe = " ".join(ln.text.split())[:24]
        at = text.find(probe, pos) if probe else -1
        if at >= 0:
            pos = at
        starts.append([pos, ln.page])
    if starts:
        meta["page_starts"] = starts
    return meta


def _segments(lines, entries, path_now):
    """Split a page's *lines* at its outline *entries* (``(top or None, path)``, top first)."""
    segments: list[tuple[list[str], list]] = [(path_now, [])]
    pending = list(entries)
    for ln in lines:
        while pending and (pending[0][0] is None or ln.y <= pending[0][0] + 2):
            segments.append((pending.pop(0)[1], []))
        segments[-1][1].append(ln)
    for _, entry_path in pending:  # entries below the last line (an empty section) still set the path
        segments.append((entry_path, []))
    out = []
    for seg_path, seg_lines in segments:
        if seg_path is not path_now and seg_path:
            seg_lines = _drop_heading_lines(seg_lines, seg_path[-1])
        out.append((seg_path, seg_lines))
    return out


def body_size(pages) -> float:
    """The body-text font size: the most common size of the document's proportional lines
    (points; all lines when there are none). Code may outnumber prose in a reference manual
    (fontconfig-user.pdf: 9 pt examples, 10 pt text)."""
    counts: dict[float, int] = {}
    for mono in (False, None):
        for lines in pages:
            for ln in lines:
                if ln.size and (mono is None or ln.mono == mono):
                    counts[round(ln.size, 1)] = counts.get(round(ln.size, 1), 0) + 1
        if counts:
            break
    return max(counts, key=counts.get) if counts else 0.0


def _split_heading_lines(lines, body: float):
    """``[(heading or None, lines)]``: *lines* split at heading lines that the outline lacks (a
    proportional-font line at least ``pdf_headings.HEADING_SIZE`` × the body size (texinfo
    ``@deftypefun`` titles), at most ``MAX_WORDS`` words, not ending in ``. , ;``: the size rule of
    ``pdf_headings`` alone, since the outline gives the structure); the heading line leaves the text."""
    parts: list[tuple[str | None, list]] = [(None, [])]
    for ln in lines:
        words = ln.text.split()
        if (body and not ln.mono and ln.size >= body * HEADING_SIZE and 0 < len(words) <= MAX_WORDS
                and not ln.text.rstrip().endswith((".", ",", ";"))):
            parts.append((" ".join(words), []))
        else:
            parts[-1][1].append(ln)
    return parts


def _drop_heading_lines(lines, title: str):
    """Drop the heading's own line(s) at the start of its section: lines whose letters and digits
    spell the outline title (a section number of up to 10 characters before it is allowed). A
    title of symbols only (Doxygen's ``\\&``, ``\\::`` commands) is compared on all its
    characters but spaces: it has no letters, and its line stayed as a heading of its own."""
    symbols = not norm_title(title)

    def key(text: str) -> str:
        return "".join(text.lower().split()) if symbols else norm_title(text)

    want = key(title)
    got = ""
    for i, ln in enumerate(lines[:3]):
        got += key(ln.text)
        if want and (got == want or (got.endswith(want) and len(got) - len(want) <= 10)):
            return lines[i + 1:]
        if not got or got not in want:
            break
    return lines


def _title(doc) -> str | None:
    try:
        title = doc.get_metadata_dict().get("Title") or ""
    except Exception:  # noqa: BLE001 - metadata is optional and often malformed
        return None
    return " ".join(str(title).split()) or None


def outline_starts(doc) -> dict[int, list[tuple[float | None, list[str]]]]:
    """Map 0-based page index → ``[(top y or None, heading path)]`` of the outline entries there,
    top of the page first (entries without a y position first)."""
    starts: dict[int, list[tuple[float | None, list[str]]]] = {}
    try:
        chain: list[str] = []
        for n, item in enumerate(doc.get_toc(max_depth=16)):
            if n >= MAX_OUTLINE_ITEMS:
                break
            title = " ".join((item.get_title() or "").split())
            del chain[item.level:]
            chain.append(title)
            dest = item.get_dest()
            if dest is None:
                continue
            page = dest.get_index()
            if page is None or page < 0:
                continue
            mode, view = dest.get_view()
            top = float(view[1]) if mode == _XYZ and len(view) > 1 and view[1] else None
            starts.setdefault(page, []).append((top, list(chain)))
    except Exception:  # noqa: BLE001 - a broken outline just means no headings
        return starts
    for entries in starts.values():
        entries.sort(key=lambda e: -(e[0] if e[0] is not None else 1e9))
    return starts


register_parser([".pdf"], parse_pdf)
