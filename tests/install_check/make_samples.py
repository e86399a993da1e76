"""Write one small sample of every supported ingest format into a folder (argv[1]).

Run by ``clean_install.sh`` with the clean venv's interpreter, so the binary formats are built
with the very writers that ``pip install .`` installed (python-docx, openpyxl, ebooklib): a sample
that cannot be written means a runtime dependency is missing too. The PDF is assembled byte by
byte (``tests/pdf_objects.py``): the app reads PDFs with pypdfium2 and ships no PDF writer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PARA = ("FineFlow turns documents into fine-tuning datasets. This sample checks that a clean "
        "install can read the {fmt} format end to end, from the command line.")


def write_text_formats(out: Path) -> None:
    """txt, md, rst, html, json, jsonl and csv: written as text."""
    (out / "sample.txt").write_text(PARA.format(fmt="plain text") + "\n", encoding="utf-8")
    (out / "sample.md").write_text("# Sample\n\n" + PARA.format(fmt="Markdown") + "\n", encoding="utf-8")
    (out / "sample.rst").write_text("Sample\n======\n\n" + PARA.format(fmt="reStructuredText") + "\n", encoding="utf-8")
    # Nested inline markup and page furniture (nav, footer) for the HTML parser to sort out.
    body = "".join(f"<p>{PARA.format(fmt='<code>HTML</code>')} Paragraph <em>{i}</em>.</p>" for i in range(6))
    (out / "sample.html").write_text(
        f"<html><head><title>Sample</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<main><h1>Sample</h1>{body}</main><footer>Footer</footer></body></html>", encoding="utf-8")
    rows = [{"question": "What does this sample check?", "answer": PARA.format(fmt=f"JSON {i}")} for i in range(2)]
    (out / "sample.json").write_text(json.dumps(rows), encoding="utf-8")
    (out / "sample.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (out / "sample.csv").write_text('question,answer\n"What is it?","' + PARA.format(fmt="CSV") + '"\n', encoding="utf-8")


def write_docx(path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("Sample", level=1)
    doc.add_paragraph(PARA.format(fmt="Word"))
    doc.save(path)


def write_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["question", "answer"])
    ws.append(["What is it?", PARA.format(fmt="Excel")])
    wb.save(path)


def write_epub(path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("fineflow-sample")
    book.set_title("Sample")
    book.set_language("en")
    chapter = epub.EpubHtml(title="Chapter", file_name="chapter.xhtml", lang="en")
    chapter.content = f"<html><body><h1>Chapter</h1><p>{PARA.format(fmt='EPUB')}</p></body></html>"
    book.add_item(chapter)
    book.toc = (chapter,)
    book.spine = ["nav", chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    epub.write_epub(str(path), book)


def write_pdf(path: Path) -> None:
    """A one-page PDF with a text content stream in the standard Helvetica font."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for pdf_objects
    from pdf_objects import pdf_file

    lines = ["FineFlow turns documents into fine-tuning datasets.", "This sample checks the PDF format."]
    ops = ("BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET").encode("latin-1")
    path.write_bytes(pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_text_formats(out)
    write_docx(out / "sample.docx")
    write_xlsx(out / "sample.xlsx")
    write_epub(out / "sample.epub")
    write_pdf(out / "sample.pdf")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
