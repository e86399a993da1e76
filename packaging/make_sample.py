"""Build the bundled sample documents (``resources/sample/``): one small file per supported format.

The text is real, openly licensed documentation: excerpts of the Python 3.11 documentation
(Debian package ``python3.11-doc``, © Python Software Foundation, PSF License Version 2 —
``resources/licenses/PSF-LICENSE.txt``). Each file takes a different page, so the sample reads
like a small documentation set. Text formats are written directly; the binary ones with each
format's own writer library: PDF with Qt's ``QPdfWriter`` (real text, not images), DOCX with
python-docx, XLSX with openpyxl, EPUB with ebooklib. Run from the repository root with the dev
venv and commit the results (the app and the bundle ship them; nothing is generated at run time):

    .venv/bin/python packaging/make_sample.py [--docs /usr/share/doc/python3.11/html]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

OUT = Path(__file__).resolve().parent.parent / "src" / "fineflow_desktop" / "resources" / "sample"
DOCS = Path("/usr/share/doc/python3.11/html")
LICENCE = "PSF License Version 2 (Python documentation, © Python Software Foundation)"
MAX_BLOCKS = 28  # keeps each file to a few KB: the smoke test and "Try it" stay fast


@dataclass
class Block:
    """One block of a page: ``kind`` is ``h1``/``h2``/``h3``, ``p``, ``li`` or ``pre``."""

    kind: str
    text: str


def page_blocks(path: Path, limit: int = MAX_BLOCKS) -> tuple[str, list[Block]]:
    """Title and the first *limit* blocks of a Sphinx HTML page's ``div.body``."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    body = soup.select_one("div.body") or soup.body
    for junk in body.select("a.headerlink, div.admonition, span.linenos"):
        junk.decompose()
    blocks: list[Block] = []
    for el in body.find_all(["h1", "h2", "h3", "p", "li", "pre"]):
        if el.find_parent(["pre"]) or (el.name == "p" and el.find_parent("li")):
            continue
        text = el.get_text() if el.name == "pre" else " ".join(el.get_text(" ").split())
        text = text.replace(" ,", ",").replace(" .", ".").replace("( ", "(").replace(" )", ")")
        text = text.replace("[ ", "[").replace(" ]", "]")
        if text.strip():
            blocks.append(Block(el.name, text.rstrip()))
        if len(blocks) >= limit:
            break
    title = blocks[0].text if blocks and blocks[0].kind == "h1" else path.stem
    return title, blocks


def to_markdown(blocks: list[Block]) -> str:
    """CommonMark text of *blocks*."""
    out = []
    for b in blocks:
        if b.kind.startswith("h"):
            out.append("#" * int(b.kind[1]) + " " + b.text)
        elif b.kind == "li":
            out.append("- " + b.text)
        elif b.kind == "pre":
            out.append("```\n" + b.text + "\n```")
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def to_rst(blocks: list[Block]) -> str:
    """reStructuredText of *blocks* (section underlines ``=``, ``-``, ``~``)."""
    marks = {"h1": "=", "h2": "-", "h3": "~"}
    out = []
    for b in blocks:
        if b.kind in marks:
            out.append(b.text + "\n" + marks[b.kind] * len(b.text))
        elif b.kind == "li":
            out.append("* " + b.text)
        elif b.kind == "pre":
            out.append("::\n\n" + "\n".join("   " + ln for ln in b.text.splitlines()))
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def to_plain(blocks: list[Block]) -> str:
    """Plain text: headings as their own paragraphs, code indented."""
    out = []
    for b in blocks:
        if b.kind == "pre":
            out.append("\n".join("    " + ln for ln in b.text.splitlines()))
        elif b.kind == "li":
            out.append("* " + b.text)
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def to_html(title: str, blocks: list[Block]) -> str:
    """A small XHTML document of *blocks* (for PDF and EPUB)."""
    from html import escape

    parts = []
    for b in blocks:
        if b.kind == "li":
            parts.append(f"<ul><li>{escape(b.text)}</li></ul>")
        elif b.kind == "pre":
            parts.append(f"<pre>{escape(b.text)}</pre>")
        else:
            parts.append(f"<{b.kind}>{escape(b.text)}</{b.kind}>")
    return f"<html><head><title>{escape(title)}</title></head><body>{''.join(parts)}</body></html>"


def definitions(path: Path, limit: int) -> list[dict]:
    """``{"term", "definition"}`` records of a Sphinx glossary page (``dl.glossary``)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    out = []
    for dt in soup.select("dl.glossary > dt"):
        dd = dt.find_next_sibling("dd")
        for junk in dt.select("a.headerlink"):
            junk.decompose()
        out.append({"term": " ".join(dt.get_text(" ").split()),
                    "definition": " ".join(dd.get_text(" ").split()) if dd else ""})
        if len(out) >= limit:
            break
    return out


def questions(path: Path, limit: int) -> list[dict]:
    """``{"question", "answer"}`` records of a Sphinx FAQ page (h3 question, following paragraphs)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    out = []
    for h in soup.select("div.body section > h3"):
        for junk in h.select("a.headerlink"):
            junk.decompose()
        answer = [" ".join(p.get_text(" ").split()) for p in h.find_next_siblings("p")[:3]]
        out.append({"question": " ".join(h.get_text(" ").split()), "answer": "\n\n".join(answer),
                    "source": f"Python 3.11 documentation, {path.parent.name}/{path.name}"})
        if len(out) >= limit:
            break
    return out


def write_pdf(path: Path, title: str, blocks: list[Block]) -> None:
    """A text PDF of *blocks* with Qt's PDF writer (QTextDocument laid out on A4 pages)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("FineFlow Desktop packaging/make_sample.py")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.setHtml(to_html(title, blocks))
    doc.print_(writer)
    del writer, app


def write_docx(path: Path, title: str, blocks: list[Block]) -> None:
    """A Word document of *blocks* (headings as Heading 1–3, lists as List Bullet)."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for b in blocks:
        if b.kind.startswith("h"):
            document.add_heading(b.text, level=int(b.kind[1]))
        elif b.kind == "li":
            document.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "pre":
            para = document.add_paragraph()
            run = para.add_run(b.text)
            run.font.name = "Courier New"
        else:
            document.add_paragraph(b.text)
    document.save(str(path))


def write_xlsx(path: Path, rows: list[dict]) -> None:
    """A workbook with one sheet: a header row and one row per record."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "FAQ"
    keys = list(rows[0])
    ws.append(keys)
    for row in rows:
        ws.append([row[k] for k in keys])
    wb.save(str(path))


def write_epub(path: Path, pages: list[tuple[str, list[Block]]]) -> None:
    """An EPUB 3 book with one chapter per page."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("fineflow-sample-python-tutorial")
    book.set_title("Python Tutorial (excerpts)")
    book.set_language("en")
    book.add_author("Python Software Foundation")
    chapters = []
    for i, (title, blocks) in enumerate(pages, 1):
        ch = epub.EpubHtml(title=title, file_name=f"chapter{i}.xhtml", lang="en")
        ch.content = to_html(title, blocks)
        book.add_item(ch)
        chapters.append(ch)
    book.toc = chapters
    book.spine = ["nav", *chapters]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    epub.write_epub(str(path), book)


def build(docs: Path, out: Path) -> list[tuple[str, str]]:
    """Write every sample file into *out*; returns ``(file name, source page)`` pairs."""
    out.mkdir(parents=True, exist_ok=True)
    made: list[tuple[str, str]] = []

    def page(rel: str, limit: int = MAX_BLOCKS):
        return page_blocks(docs / rel, limit)

    title, blocks = page("tutorial/appetite.html")
    (out / "whetting-your-appetite.txt").write_text(to_plain(blocks), encoding="utf-8")
    made.append(("whetting-your-appetite.txt", "tutorial/appetite.html"))

    title, blocks = page("tutorial/interpreter.html")
    (out / "using-the-interpreter.md").write_text(to_markdown(blocks), encoding="utf-8")
    made.append(("using-the-interpreter.md", "tutorial/interpreter.html"))

    title, blocks = page("tutorial/controlflow.html", 24)
    (out / "control-flow.rst").write_text(to_rst(blocks), encoding="utf-8")
    made.append(("control-flow.rst", "tutorial/controlflow.html"))

    # HTML: the real page, trimmed to its first sections (navigation and scripts dropped).
    soup = BeautifulSoup((docs / "tutorial/errors.html").read_text(encoding="utf-8"), "lxml")
    body = soup.select_one("div.body")
    for sec in body.select("section > section")[5:]:
        sec.decompose()
    html = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{soup.title.get_text()}"
            f"</title></head><body>{body}</body></html>\n")
    (out / "errors-and-exceptions.html").write_text(html, encoding="utf-8")
    made.append(("errors-and-exceptions.html", "tutorial/errors.html"))

    terms = definitions(docs / "glossary.html", 40)
    (out / "glossary.json").write_text(json.dumps(terms[:20], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    made.append(("glossary.json", "glossary.html (first 20 terms)"))
    with (out / "glossary-more.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["term", "definition"])
        writer.writeheader()
        writer.writerows(terms[20:40])
    made.append(("glossary-more.csv", "glossary.html (terms 21–40)"))

    faq = questions(docs / "faq/general.html", 12)
    with (out / "general-faq.jsonl").open("w", encoding="utf-8") as fh:
        for rec in faq:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    made.append(("general-faq.jsonl", "faq/general.html"))
    write_xlsx(out / "programming-faq.xlsx", questions(docs / "faq/programming.html", 12))
    made.append(("programming-faq.xlsx", "faq/programming.html"))

    title, blocks = page("tutorial/datastructures.html")
    write_pdf(out / "data-structures.pdf", title, blocks)
    made.append(("data-structures.pdf", "tutorial/datastructures.html"))

    title, blocks = page("tutorial/modules.html")
    write_docx(out / "modules.docx", title, blocks)
    made.append(("modules.docx", "tutorial/modules.html"))

    write_epub(out / "python-tutorial-excerpts.epub",
               [page("tutorial/classes.html", 16), page("tutorial/inputoutput.html", 16)])
    made.append(("python-tutorial-excerpts.epub", "tutorial/classes.html, tutorial/inputoutput.html"))

    lines = [
        "Sample documents bundled with FineFlow Desktop (\"Try it with sample documents\", --smoke-test).",
        "",
        "All are excerpts of the Python 3.11 documentation, Copyright © 2001-2023 Python Software",
        f"Foundation, licensed under the {LICENCE}; full text in ../licenses/PSF-LICENSE.txt.",
        "Built by packaging/make_sample.py from Debian's python3.11-doc package (HTML pages named below).",
        "",
    ]
    lines += [f"{name}: {source}" for name, source in made]
    (out / "SOURCES.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return made


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--docs`` (Python HTML docs folder), ``--out`` (default ``resources/sample``)."""
    parser = argparse.ArgumentParser(description="Build the bundled sample documents.")
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for name, source in build(args.docs, args.out):
        print(f"{name:36} {(args.out / name).stat().st_size:>7} bytes  <- {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
