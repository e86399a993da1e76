"""Round 19: a label above a drawing that is never text (``html_labels``) is dropped with it."""

from __future__ import annotations

from test_html_blocks import sections

SVG = "<div style='max-width:600px'><svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><text x='1' y='1'>ON</text></svg></div>"


def _diagram(name: str, nested: str = "") -> str:
    return (f"<p><b><a href='syntax/{name}.html'>{name}:</a></b>\n<button onclick='hideorshow()'>show</button></p>\n"
            f" <div style='display:none;' class='imgcontainer'>{SVG}{nested}</div>\n")


def test_the_labels_of_svg_syntax_diagrams_are_no_text():
    # lang_select.html: select-stmt's diagram holds the diagrams of its sub-rules, each with its label
    body = ("<h1>1. Overview</h1>" + _diagram("select-stmt", _diagram("expr", _diagram("over-clause")) + _diagram("type-name"))
            + "<p>The SELECT statement is used to query the database.</p>")
    got = sections(body, "SELECT")
    assert got == [(["1. Overview"], "The SELECT statement is used to query the database.")], got


def test_a_lead_in_before_text_or_a_labelled_image_with_alt_text_is_kept():
    body = ("<h1>Overview</h1><p>For example:</p><div><pre>SELECT 1;</pre></div>"
            "<p>Syntax:</p><div><img src='a.png' alt='diagram'> The clause is optional.</div>")
    text = " ".join(t for _, t in sections(body, "Page"))
    assert "For example:" in text and "Syntax:" in text
