"""PDF, DOCX, XLSX, EPUB and main-content HTML importers on generated and real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from fineflow_desktop.core.ingest import ParseError, parse_file
from fineflow_desktop.core.ingest.xlsx import parse_xlsx
from test_importers_samples import make_pdf, sample_docx, sample_epub, sample_pdf, sample_xlsx

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
FIX = Path(__file__).parent / "fixtures" / "pydocs"
DEBIAN_PDF = Path("/usr/share/debian-reference/debian-reference.en.pdf")


def test_pdf_pages_and_outline_headings():
    doc = parse_file(Path("manual.pdf"), sample_pdf())
    assert doc.kind == "pdf" and doc.meta["pages"] == 4
    assert [(s.heading_path, s.meta["page"]) for s in doc.sections] == [
        (["Manual"], 1), (["Manual", "Install"], 2), (["Manual", "Configure"], 3), (["Help"], 4),
    ]
    # a line that ends a sentence well short of the text width ends its paragraph (pdf_layout)
    assert doc.sections[1].text == "Installing the tool is simple.\n\nRun the installer and follow the steps."
    assert doc.sections[2].text == "Configuration lives in a text file. Each option has a default value."


def test_pdf_without_outline_and_broken_pdfs():
    doc = parse_file(Path("plain.pdf"), make_pdf([["Hello (world) \\ back"], []]))
    assert [(s.heading_path, s.text) for s in doc.sections] == [([], "Hello (world) \\ back")]
    with pytest.raises(ParseError, match="missing %PDF header") as err:
        parse_file(Path("fake.pdf"), b"<html>not a pdf</html>")
    assert "fake.pdf" in str(err.value)
    with pytest.raises(ParseError, match="x.pdf"):
        parse_file(Path("x.pdf"), b"%PDF-1.4\n1 0 obj\n<<")


def test_pdf_real_debian_reference_first_pages():
    if not DEBIAN_PDF.exists():
        pytest.skip("debian-reference-en not installed")
    import io

    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(DEBIAN_PDF)
    writer = PdfWriter()
    for i in (22, 23, 24):
        writer.add_page(reader.pages[i])
    buf = io.BytesIO()
    writer.write(buf)
    doc = parse_file(Path("debian-reference.pdf"), buf.getvalue())
    assert sorted({s.meta["page"] for s in doc.sections}) == [1, 2, 3]
    # no outline in the extract: headings come from the typography, levels from their style
    # (pdf_headings; before round 3 of issue 10 every heading was one flat level)
    preface = next(s for s in doc.sections if s.heading_path == ["Preface"])
    assert preface.meta["page"] == 2 and preface.text.startswith("This Debian Reference (version")
    about = ["Preface", "About this document"]
    assert [s.heading_path for s in doc.sections if s.meta["page"] == 3] == [
        [*about, "Guiding rules"], [*about, "Guiding rules", "Tip"],
        [*about, "Prerequisites", "Warning"], [*about, "Prerequisites", "Note"]]


def test_docx_headings_lists_tables():
    doc = parse_file(Path("report.docx"), sample_docx())
    assert doc.kind == "docx" and doc.title == "Field Report"
    paths = [s.heading_path for s in doc.sections]
    assert paths == [["Report", "Introduction"], ["Report", "Introduction", "Method"], ["Report", "Results"]]
    intro = doc.sections[0].text
    assert "- North region\n  - Coastal towns\n- South region" in intro
    assert "Region | Sites\nNorth | 12\nSouth | 7" in intro


def test_docx_real_files_and_garbage():
    doc = parse_file(REAL / "docx" / "par-known-paragraphs.docx")
    assert [(s.heading_path, s.text) for s in doc.sections] == [(["Heading Paragraph"], "Normal paragraph")]
    sections = parse_file(REAL / "docx" / "doc-access-sections.docx").sections
    assert "Section two paragraph." in sections[0].text
    for name in ("having-images.docx", "tbl-having-tables.docx", "test.docx"):
        parse_file(REAL / "docx" / name)  # parses without error (some hold no text)
    with pytest.raises(ParseError, match="broken zip") as err:
        parse_file(Path("w.docx"), b"PK\x03\x04 not really a zip")
    assert "w.docx" in str(err.value)
    xlsx_bytes = sample_xlsx()
    with pytest.raises(ParseError, match="w.docx"):
        parse_file(Path("w.docx"), xlsx_bytes)  # a zip, but no Word document inside


def test_xlsx_default_rows_and_text_column():
    data = sample_xlsx()
    doc = parse_file(Path("faq.xlsx"), data)
    assert [(s.heading_path, s.meta["row"], s.text) for s in doc.sections] == [
        (["FAQ"], 2, "question: How do I reset my password?\nanswer: Use the link on the login page.\nvotes: 12"),
        (["FAQ"], 4, "question: Can I export data?\nanswer: Yes, as CSV or JSON.\nvotes: 3"),
        (["Notes"], 2, "Remember to back up weekly."),
    ]
    by_name = parse_xlsx(Path("faq.xlsx"), data, text_column="Answer")
    assert [s.text for s in by_name.sections] == ["Use the link on the login page.", "Yes, as CSV or JSON."]
    by_letter = parse_xlsx(Path("faq.xlsx"), data, text_column="A")
    assert by_letter.sections[0].text == "How do I reset my password?"
    assert by_letter.sections[-1].text == "Remember to back up weekly."
    with pytest.raises(ParseError, match="headers: question, answer, votes, text") as err:
        parse_xlsx(Path("faq.xlsx"), data, text_column="body")
    assert err.value.field == "body"


def test_epub_chapters_in_spine_order():
    doc = parse_file(Path("book.epub"), sample_epub())
    assert doc.kind == "epub" and doc.title == "Small Book"
    assert [(s.heading_path, s.text) for s in doc.sections] == [
        (["Chapter One"], "It was a quiet morning."),
        (["Chapter One", "The Walk"], "They walked to the river."),
        (["Chapter Two"], "Rain began at noon."),
    ]
    assert doc.sections[2].meta["href"] == "ch2.xhtml"
    with pytest.raises(ParseError, match="book.epub"):
        parse_file(Path("book.epub"), sample_docx())


def test_html_main_content_drops_boilerplate_keeps_headings():
    nav = "".join(f"<li><a href='/p{i}'>Menu item {i}</a></li>" for i in range(30))
    article = "".join(
        f"<h2>Step {i}</h2><p>This is the detailed explanation of step {i}, which tells the reader what to do "
        f"and why it matters for the overall result of the procedure.</p>"
        for i in range(1, 5)
    )
    page = (
        f"<html><head><title>Guide</title></head><body><div class='menu'><ul>{nav}</ul></div>"
        f"<div class='cookie'>We use cookies. Accept all cookies.</div>"
        f"<article><h1>The Guide</h1><p>An introduction that explains the purpose of this guide in some detail "
        f"so that readers know what to expect.</p>{article}</article>"
        f"<footer>Copyright 2024 Example Corp. All rights reserved. Privacy. Terms.</footer></body></html>"
    )
    doc = parse_file(Path("guide.html"), page.encode())
    assert doc.meta["extractor"] == "structure" and doc.title == "Guide"
    assert "Menu item 7" not in doc.text and "Copyright 2024" not in doc.text
    paths = [s.heading_path for s in doc.sections]
    assert ["The Guide", "Step 3"] in paths


def test_html_main_real_page_and_page_without_main_region():
    doc = parse_file(FIX / "textwrap.html")
    assert doc.sections and doc.sections[0].heading_path[0].startswith("textwrap")
    assert "\u00b6" not in doc.text and "Navigation" not in doc.text
    tiny = parse_file(Path("t.htm"), b"<html><body><h1>Hi</h1><p>Short.</p></body></html>")
    assert tiny.sections[0].heading_path == ["Hi"] and tiny.sections[0].text == "Short."


def test_ingest_folder_of_binary_formats_with_one_broken_file(workspace, tmp_path):
    from fineflow_desktop.services.documents import list_chunks, list_documents
    from fineflow_desktop.services.ingest import ingest_paths

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "manual.pdf").write_bytes(sample_pdf())
    (folder / "report.docx").write_bytes(sample_docx())
    (folder / "faq.xlsx").write_bytes(sample_xlsx())
    (folder / "book.epub").write_bytes(sample_epub())
    (folder / "broken.pdf").write_bytes(sample_pdf()[:300])
    report = ingest_paths(workspace, [folder])
    assert report.imported == 4 and len(report.errors) == 1
    assert report.errors[0][0].endswith("broken.pdf") and "broken.pdf" in report.errors[0][1]
    docs = {d["name"]: d for d in list_documents(workspace)}
    assert docs["broken.pdf"]["status"] == "error"
    assert {docs[n]["kind"] for n in ("manual.pdf", "report.docx", "faq.xlsx", "book.epub")} == {"pdf", "docx", "xlsx", "epub"}
    pdf_chunks = list_chunks(workspace, docs["manual.pdf"]["id"])
    # round 20: the three one-line pages under "Manual" are one chunk (pages 1–3), "Help" its own
    assert [(c["meta"]["page"], c["meta"].get("page_end")) for c in pdf_chunks] == [(1, 3), (4, None)]
    assert pdf_chunks[0]["heading_path"] == ["Manual"]
    assert [m["heading_path"] for m in pdf_chunks[0]["meta"]["combined"]][1] == ["Manual", "Install"]


BASHREF_PDF = Path("/usr/share/doc/bash/bashref.pdf")


@pytest.mark.slow
def test_pdf_real_bash_manual_paragraphs_headings_and_no_running_headers():
    if not BASHREF_PDF.exists():
        pytest.skip("bash-doc not installed")
    doc = parse_file(BASHREF_PDF)
    by_path = {}
    for s in doc.sections:
        by_path.setdefault(tuple(s.heading_path[-1:]), []).append(s)
    looping = by_path[("Looping Constructs",)][0]
    assert looping.text.startswith("Bash supports the following looping constructs.")
    assert "```\nfor name [ [in [words ...] ] ; ] do commands; done\n```" in doc.text  # code stays verbatim
    assert "matched accordingly (using the posix regcomp" in doc.text  # hyphenation undone, lines joined
    assert "Chapter 3: Basic Shell Features" not in doc.text  # running header
    assert not any(line.strip().isdigit() for s in doc.sections for line in s.text.split("\n")[:1] + s.text.split("\n")[-1:])
    assert "Looping Constructs" not in looping.text  # the heading is in the path, not the text


@pytest.mark.slow
def test_pdf_paragraph_goes_on_over_a_page_break_into_the_same_chunk():
    if not BASHREF_PDF.exists():
        pytest.skip("bash-doc not installed")
    from fineflow_desktop.core.chunking import chunk_sections

    doc = parse_file(BASHREF_PDF)
    crossings = 0
    for s in doc.sections:
        for offset, page in s.meta.get("page_starts", []):
            before = s.text[:offset].rstrip()
            if before and before[-1].isalpha() and before[-1].islower():  # the page ended mid-sentence
                crossings += 1
                assert not s.text[:offset].endswith("\n\n"), (page, s.text[offset - 80:offset + 40])
    assert crossings >= 20  # the manual has many paragraphs cut by a page break
    assert "Chapter 3: Basic Shell Features" not in doc.text  # running headers still dropped
    chunks = chunk_sections(doc.sections, 512, 64)
    spanning = [c for c in chunks if c.meta.get("page_end")]
    assert spanning and all(c.meta["page_end"] > c.meta["page"] for c in spanning)
    assert not any("page_starts" in c.meta for c in chunks)
    # a chunk's page is where its text starts: every chunk of a section is on or after its first page
    pages = [c.meta["page"] for c in chunks]
    assert pages == sorted(pages)


def test_pdf_side_by_side_definitions_and_table_rows():
    if not BASHREF_PDF.exists():
        pytest.skip("bash-doc not installed")
    doc = parse_file(BASHREF_PDF)
    set_builtin = next(s for s in doc.sections if s.heading_path[-1] == "The Set Builtin")
    assert "\n\n-a\n: Each variable or function that is created or modified is given the export attribute" in set_builtin.text
    mime = Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")
    if mime.exists():  # a monospace table of a program listing keeps its columns, verbatim in a fence
        assert "\n2   CARD16  MAJOR_VERSION 1\n2   CARD16  MINOR_VERSION 2\n" in parse_file(mime).text
    libtasn1 = Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf")
    if libtasn1.exists():  # a signature over two lines with its [Function] label, its text below it
        assert ("int asn1_delete_structure2 (asn1 node * structure, unsigned int flags) [Function]\n"
                ": structure: pointer to the structure that you want to delete.") in parse_file(libtasn1).text
