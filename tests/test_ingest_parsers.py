"""Text-format parsers: headings, encodings, records, errors naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from fineflow_desktop.core.ingest import ParseError, parse_file, supported_extensions

FIX = Path(__file__).parent / "fixtures" / "pydocs"


def parse(name: str, data: bytes):
    return parse_file(Path(name), data)


def test_registered_extensions():
    exts = set(supported_extensions())
    assert {".txt", ".md", ".markdown", ".rst", ".rst.txt", ".html", ".htm", ".json", ".jsonl", ".csv"} <= exts


def test_markdown_atx_and_setext_headings_build_paths():
    md = (
        "Intro text.\n\n"
        "# Guide\n\nTop.\n\n"
        "## Install ##\n\nRun pip.\n\n"
        "```python\n# not a heading\nprint(1)\n```\n\n"
        "Usage\n-----\n\nCall it.\n\n"
        "### Options\n\nFlags.\n\n"
        "Other\n=====\n\nEnd.\n"
    )
    doc = parse("a.md", md.encode())
    paths = [(s.heading_path, s.text.split("\n")[0]) for s in doc.sections]
    assert paths == [
        ([], "Intro text."),
        (["Guide"], "Top."),
        (["Guide", "Install"], "Run pip."),
        (["Guide", "Usage"], "Call it."),
        (["Guide", "Usage", "Options"], "Flags."),
        (["Other"], "End."),
    ]
    install = doc.sections[2].text
    assert "# not a heading" in install  # fenced code stays text
    assert doc.title == "Guide"


def test_markdown_front_matter_and_thematic_break():
    md = "---\ntitle: x\n---\n\nPara one.\n\n---\n\nPara two.\n"
    doc = parse("b.markdown", md.encode())
    assert [s.heading_path for s in doc.sections] == [["x"]]  # the front matter's title names the document
    assert doc.title == "x"
    assert "title: x" not in doc.sections[0].text
    assert "Para two." in doc.sections[0].text


def test_rst_levels_follow_first_appearance_like_docutils():
    rst = (
        "#####\nBook\n#####\n\n"  # overline style first -> level 1
        "Chapter A\n*********\n\nText A.\n\n"
        "Section A1\n==========\n\nText A1.\n\n"
        "Chapter B\n*********\n\nText B.\n\n"
        "Section B1\n==========\n\nText B1 with ``code``.\n\n"
        "Sub B1a\n-------\n\n>>> x = 1\n...\n\nDone.\n"
    )
    doc = parse("c.rst", rst.encode())
    assert [s.heading_path for s in doc.sections] == [
        ["Book", "Chapter A"],
        ["Book", "Chapter A", "Section A1"],
        ["Book", "Chapter B"],
        ["Book", "Chapter B", "Section B1"],
        ["Book", "Chapter B", "Section B1", "Sub B1a"],
    ]
    assert doc.sections[-1].text.startswith(">>> x = 1\n...")  # "..." under code is no title
    assert doc.sections[0].meta["line"] == 8


def test_rst_python_docs_faq_headings():
    doc = parse_file(FIX / "general.rst.txt")
    assert doc.kind == "rst"
    assert doc.title == "General Python FAQ"
    paths = [s.heading_path for s in doc.sections]
    assert ["General Python FAQ", "General Information", "What is Python?"] in paths
    assert all(len(p) <= 3 for p in paths)
    json_doc = parse_file(FIX / "json.rst.txt")
    assert json_doc.title == "json --- JSON encoder and decoder"  # :mod:`json` role cleaned
    assert ["json --- JSON encoder and decoder", "Standard Compliance and Interoperability", "Character Encodings"] in [
        s.heading_path for s in json_doc.sections
    ]


def test_html_headings_and_dropped_chrome():
    page = (
        b"<html><head><title>T</title><style>.x{}</style><script>var a=1</script></head><body>"
        b"<nav><a href='/'>Home</a> | <a href='/x'>Menu</a></nav>"
        b"<h1>Main <a class='headerlink' href='#m'>\xc2\xb6</a></h1><p>Hello <b>bold</b> text.</p>"
        b"<h2>Part</h2><ul><li>one</li><li>two</li></ul><pre>  x = 1\n  y = 2</pre>"
        b"<h1>Next</h1><table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>"
        b"<script>alert('no')</script></body></html>"
    )
    doc = parse("p.html", page)
    assert doc.title == "T"
    assert [s.heading_path for s in doc.sections] == [["Main"], ["Main", "Part"], ["Next"]]
    text = doc.text
    assert "Menu" not in text and "alert" not in text and "var a" not in text and "\u00b6" not in text
    assert doc.sections[0].text == "Hello bold text."
    assert doc.sections[1].text == "- one\n- two\n\n```\n  x = 1\n  y = 2\n```"  # chunk-text convention
    assert doc.sections[2].text == "k | v\na | 1"


def test_html_real_python_docs_page():
    doc = parse_file(FIX / "textwrap.html")
    assert doc.kind == "html"
    assert doc.sections[0].heading_path[0].startswith("textwrap")
    assert "Navigation" not in [p for s in doc.sections for p in s.heading_path]
    assert "wrap(text" in doc.text


def test_encodings_cp1252_utf16_bom_utf8_bom():
    text = "Le café est très chaud, et la crème brûlée est déjà prête à être servie. Où est le garçon?"
    for data, expected in [
        (text.encode("cp1252"), None),
        (b"\xff\xfe" + text.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + text.encode("utf-16-be"), "utf-16-be"),
        (b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8"),
        (text.encode("utf-8"), "utf-8"),
    ]:
        doc = parse("e.txt", data)
        assert doc.sections[0].text == text.strip()
        if expected:
            assert doc.encoding == expected
    assert parse("f.txt", text.encode("cp1252")).encoding.replace("_", "").lower() in ("cp1252", "windows1252")
    german = "Grüße aus Köln: Die Straße ist schön, aber der Bär ist müde."
    assert parse("de.txt", german.encode("cp1252")).sections[0].text == german
    russian = "Привет! Как дела? Всё хорошо, спасибо. Это обычный текст на русском языке."
    assert parse("ru.txt", russian.encode("cp1251")).sections[0].text == russian


def test_crlf_normalized_and_binary_rejected():
    doc = parse("g.md", b"# T\r\n\r\nline one\r\nline two  \r\nline three\r\n")
    assert doc.sections[0].text == "line one line two\nline three"  # soft wrap joined, hard break kept
    with pytest.raises(ParseError) as err:
        parse("bin.txt", b"\x00\x01\x02\xff\xfe\x00garbage" * 10)
    assert "bin.txt" in str(err.value)


def test_jsonl_records_and_bad_line_number():
    good = b'{"q": "What?", "a": "That."}\n\n{"q": "Who?", "tags": ["x", "y"], "n": null}\n"bare string"\n'
    doc = parse("d.jsonl", good)
    assert [s.text for s in doc.sections] == ["q: What?\na: That.", "q: Who?\ntags: x, y", "bare string"]
    assert [s.meta["line"] for s in doc.sections] == [1, 3, 4]
    with pytest.raises(ParseError) as err:
        parse("bad.jsonl", good + b'{"q": "broken",\n{"ok": 1}\n')
    assert err.value.line == 5
    assert str(err.value).startswith("bad.jsonl:5:")


def test_json_array_and_error_line():
    doc = parse("r.json", b'[{"instruction": "Say hi", "output": "hi"}, {"instruction": "Bye"}]')
    assert [s.text for s in doc.sections] == ["instruction: Say hi\noutput: hi", "instruction: Bye"]
    with pytest.raises(ParseError) as err:
        parse("r.json", b'{\n  "a": 1,\n  "b": \n}')
    assert err.value.line == 4 and "r.json:4" in str(err.value)


def test_csv_header_fields_and_delimiter():
    doc = parse("t.csv", b"question,answer\nWhat is 2+2?,4\n,\n\"Quoted, comma\",\"multi\nline\"\n")
    assert [s.text for s in doc.sections] == ["question: What is 2+2?\nanswer: 4", "question: Quoted, comma\nanswer: multi\nline"]
    semi = parse("s.csv", b"name;text\nA;alpha\nB;beta\n")
    assert semi.sections[1].text == "name: B\ntext: beta"
    # fields past the csv module's default 128 KiB are read (app-wide limit: 64 MiB)
    big = parse("n.csv", b"a,b\nx,y\n" + b"w" * 200_000 + b",z\n")
    assert len(big.sections[1].text) > 200_000


def test_real_records_files():
    from conftest import REAL_DATA

    jsonl = REAL_DATA / "llamafactory_c4_demo.jsonl"
    if not jsonl.exists():
        pytest.skip("shared real data missing")
    doc = parse_file(jsonl)
    assert len(doc.sections) == 300
    inj = parse_file(REAL_DATA / "giskard_prompt_injections.csv")
    assert len(inj.sections) == 35


def test_texinfo_copiable_anchors_are_permalinks_not_text(tmp_path):
    from fineflow_desktop.core.ingest import parse_file

    page = tmp_path / "defs.html"
    page.write_text(
        "<html><body><h2>2 Definitions</h2><dl compact='compact'>"
        "<dt id='index-POSIX'><span><code>POSIX</code><a href='#index-POSIX' class='copiable-anchor'> &para;</a></span></dt>"
        "<dd><p>A family of open system standards.</p></dd>"
        "<dt id='x'><code>blank</code><a href='#x'>§</a></dt><dd><p>A space or tab.</p></dd></dl></body></html>",
        encoding="utf-8")
    text = parse_file(page).text
    assert "POSIX\n: A family of open system standards." in text and "blank\n: A space or tab." in text
    assert "¶" not in text and "§" not in text
