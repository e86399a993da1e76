"""Sample binary documents built with the formats' own writers (shared by importer + fuzz tests).

PDF: a minimal hand-written PDF 1.4 (Helvetica text pages) plus outline entries added with
pypdf's writer; DOCX: python-docx; XLSX: openpyxl; EPUB: ebooklib.
"""

from __future__ import annotations

import io

from pdf_objects import pdf_file


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], outline: list[tuple[str, int, str | None]] | None = None) -> bytes:
    """A PDF with one page per entry of *pages* (each a list of text lines).

    *outline*: ``(title, page_index, parent_title_or_None)`` bookmarks added with pypdf.
    """
    objects: list[bytes] = []
    n = len(pages)
    page_ids = [4 + 2 * i for i in range(n)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        body = "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(f"({_pdf_escape(line)}) Tj T*" for line in lines) + " ET"
        stream = body.encode("cp1252")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_ids[i] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    data = pdf_file(objects)
    if not outline:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    made = {}
    for title, page, parent in outline:
        made[title] = writer.add_outline_item(title=title, page_number=page, parent=made.get(parent) if parent else None)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_from_streams(streams: list[str], fonts: dict[str, str], forms: dict[str, tuple[tuple, str]] | None = None,
                     to_unicode: dict[str, dict[int, str]] | None = None) -> bytes:
    """A PDF with one page (612 × 792 pt) per content stream of *streams*, written as is (text
    placed with ``Td``/``Ts``/``Tf`` by the test); *fonts* maps resource names to base-14 or other
    Type 1 font names (not embedded: PDFium substitutes glyphs but reports the name, e.g. CMMI10).
    *forms* maps XObject names to ``(bbox, content stream)`` of Form XObjects (an included figure)
    that every page may place with ``/Name Do``. *to_unicode* maps a font's resource name to
    {character code: text} for a ToUnicode CMap (text outside the BMP, as Sphinx's math italic)."""
    forms = forms or {}
    to_unicode = to_unicode or {}
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    first_page = 3 + len(fonts) + len(forms)
    page_ids = [first_page + 2 * i for i in range(len(streams))]
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {len(streams)} >>".encode())
    cmap_ids = {name: first_page + 2 * len(streams) + k for k, name in enumerate(to_unicode)}
    for name, base in fonts.items():
        cmap = f" /ToUnicode {cmap_ids[name]} 0 R" if name in cmap_ids else ""
        objects.append(f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding{cmap} >>".encode())
    resources = " ".join(f"/{name} {3 + i} 0 R" for i, name in enumerate(fonts))
    for bbox, body in forms.values():
        stream = body.encode("cp1252")
        objects.append(f"<< /Type /XObject /Subtype /Form /BBox [{' '.join(map(str, bbox))}] "
                       f"/Resources << /Font << {resources} >> >> /Length {len(stream)} >>\nstream\n".encode()
                       + stream + b"\nendstream")
    xobjects = " ".join(f"/{name} {3 + len(fonts) + i} 0 R" for i, name in enumerate(forms))
    for page_id, body in zip(page_ids, streams):
        stream = body.encode("cp1252")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << {resources} >> "
                       f"/XObject << {xobjects} >> >> /Contents {page_id + 1} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    for mapping in to_unicode.values():
        pairs = "".join(f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>\n" for code, text in mapping.items())
        cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def /CMapType 2 def\n"
                "1 begincodespacerange <00> <FF> endcodespacerange\n"
                f"{len(mapping)} beginbfchar\n{pairs}endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end").encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    return pdf_file(objects)




def sample_pdf() -> bytes:
    return make_pdf(
        [
            ["Cover page of the manual."],
            ["Installing the tool is simple.", "Run the installer and follow the steps."],
            ["Configuration lives in a text file.", "Each option has a default value."],
            ["Troubleshooting starts with the log file."],
        ],
        outline=[("Manual", 0, None), ("Install", 1, "Manual"), ("Configure", 2, "Manual"), ("Help", 3, None)],
    )


def sample_docx() -> bytes:
    import docx

    doc = docx.Document()
    doc.core_properties.title = "Field Report"
    doc.add_heading("Report", 0)
    doc.add_heading("Introduction", 1)
    doc.add_paragraph("The survey covered three regions.")
    doc.add_paragraph("North region", style="List Bullet")
    doc.add_paragraph("Coastal towns", style="List Bullet 2")
    doc.add_paragraph("South region", style="List Number")
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Region", "Sites"), ("North", "12"), ("South", "7")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    doc.add_heading("Method", 2)
    doc.add_paragraph("Each site was visited twice.")
    doc.add_heading("Results", 1)
    doc.add_paragraph("Most sites were in good condition.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def sample_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "FAQ"
    ws.append(["question", "answer", "votes"])
    ws.append(["How do I reset my password?", "Use the link on the login page.", 12])
    ws.append([None, None, None])
    ws.append(["Can I export data?", "Yes, as CSV or JSON.", 3.0])
    notes = wb.create_sheet("Notes")
    notes.append(["text"])
    notes.append(["Remember to back up weekly."])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sample_epub() -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("fineflow-test-book")
    book.set_title("Small Book")
    book.set_language("en")
    c1 = epub.EpubHtml(title="One", file_name="ch1.xhtml", lang="en")
    c1.content = "<h1>Chapter One</h1><p>It was a quiet morning.</p><h2>The Walk</h2><p>They walked to the river.</p>"
    c2 = epub.EpubHtml(title="Two", file_name="ch2.xhtml", lang="en")
    c2.content = "<h1>Chapter Two</h1><p>Rain began at noon.</p>"
    for c in (c1, c2):
        book.add_item(c)
    book.toc = (c1, c2)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", c1, c2]
    buf = io.BytesIO()
    epub.write_epub(buf, book)
    return buf.getvalue()
