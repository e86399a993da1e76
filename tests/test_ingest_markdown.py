"""Markdown follows the chunk-text convention (issue 10, md7): rendered by markdown-it-py and read
by the HTML walker, so text is what a renderer shows, headings are only in the heading path."""

from __future__ import annotations

from pathlib import Path

from fineflow_desktop.core.ingest import parse_file


def parse(text: str, name: str = "README.md"):
    return parse_file(Path(name), text.encode("utf-8"))


def test_inline_markup_is_plain_text_in_order():
    doc = parse(
        "Call `json.loads(s)` with **strict** *mode*, see the [docs](https://x.org/docs) or\n"
        "<https://x.org/faq>; ~~old~~ &amp; <kbd>Ctrl</kbd>+<kbd>C</kbd> stops it.\n"
    )
    assert [s.text for s in doc.sections] == [
        "Call json.loads(s) with strict mode, see the docs or https://x.org/faq; old & Ctrl+C stops it."
    ]


def test_heading_with_badge_image_and_raw_html_heading_give_clean_paths():
    doc = parse(
        '<h1 align="center">MathJax</h1>\n\n'
        "[![CI](https://ci.org/x.svg)](https://ci.org/x) <img src=\"https://img.shields.io/npm/dm/x.svg\">\n\n"
        "Beautiful math.\n\n"
        '## Install <img alt="GitHub release" src="https://img.shields.io/github/release/x.svg"> '
        "[![npm](https://img.shields.io/npm/v/x.svg)](https://npmjs.com/x)\n\n"
        "Run `npm i mathjax`.\n\n"
        "## The **`tex`** _input_\n\nText.\n"
    )
    assert [(s.heading_path, s.text) for s in doc.sections] == [
        (["MathJax"], "Beautiful math."),
        (["MathJax", "Install"], "Run npm i mathjax."),
        (["MathJax", "The tex input"], "Text."),
    ]
    assert doc.title == "MathJax"
    assert [s.meta["line"] for s in doc.sections] == [5, 9, 13]  # the badge row is no text


def test_hard_wrapped_paragraph_is_one_paragraph():
    doc = parse("# T\n\nA sentence that the author\nwrapped at seventy-two columns\n  and indented.\n\nNext one.\n")
    assert doc.sections[0].text == "A sentence that the author wrapped at seventy-two columns and indented.\n\nNext one."


def test_lists_tables_and_code_follow_the_convention():
    doc = parse(
        "# Use\n\n"
        "* first `a`\n* second\n  continued\n    * nested\n\n"
        "3. three\n4. four\n\n"
        "| Option | Meaning |\n|:--|--:|\n| `-v` | verbose **output** |\n| `-q` | quiet |\n\n"
        "```python\n# not a heading\ndef f():\n    return  1\n```\n\n"
        "    indented code\n      keeps   spaces\n"
    )
    assert doc.sections[0].text == (
        "- first a\n- second continued\n  - nested\n\n"
        "3. three\n4. four\n\n"
        "Option | Meaning\n-v | verbose output\n-q | quiet\n\n"
        "```\n# not a heading\ndef f():\n    return  1\n```\n\n"
        "```\nindented code\n  keeps   spaces\n```"
    )
    assert [s.heading_path for s in doc.sections] == [["Use"]]


def test_section_lines_front_matter_and_setext_headings():
    text = (
        "---\ntitle: Guide\nlayout: docs\n---\n"  # 1-4
        "\n"  # 5
        "Intro\ntext.\n"  # 6-7
        "\n"  # 8
        "Guide\n=====\n"  # 9-10
        "\n"  # 11
        "<p>Raw block.</p>\n"  # 12
        "\n"  # 13
        "## Empty\n"  # 14
        "## Install\n"  # 15
        "\n\n"  # 16-17
        "- pip\n"  # 18
        "#\n"  # 19: an empty heading makes no section
        "Last.\n"  # 20
    )
    doc = parse(text, "guide.markdown")
    assert [(s.heading_path, s.meta["line"], s.text) for s in doc.sections] == [
        (["Guide"], 6, "Intro text."),  # the front matter's title, as an HTML page's <title>
        (["Guide"], 12, "Raw block."),
        (["Guide", "Install"], 18, "- pip\n\nLast."),
    ]
    assert doc.title == "Guide"
    assert all("layout" not in s.text for s in doc.sections)


def test_front_matter_without_title_or_not_yaml_leaves_the_first_heading_as_title():
    doc = parse("---\nlayout: [docs\n---\nLead.\n\n# Real\n\nBody.\n")
    assert [(s.heading_path, s.text) for s in doc.sections] == [([], "Lead."), (["Real"], "Body.")]
    assert doc.title == "Real"


def test_front_matter_only_and_empty_files_have_no_sections():
    assert parse("---\ntitle: x\n---\n").sections == []
    assert parse("\n\n").sections == []
