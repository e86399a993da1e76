"""Round 19: the page banner (``html_banner``) — the block above the first heading that holds the
site's menu — is dropped with the short lines beside the menu (SQLite's tagline)."""

from __future__ import annotations

from test_html_blocks import sections

SQLITE_TOP = """<div class=nosearch>
<a href="index.html"><img class="logo" src="images/sqlite370_banner.gif" alt="SQLite" border="0"></a>
<div><!-- IE hack to prevent disappearing logo --></div>
<div class="tagline desktoponly">
Small. Fast. Reliable.<br>Choose any three.
</div>
<div class="menu mainmenu">
<ul>
<li><a href="index.html">Home</a>
<li class='wideonly'><a href='about.html'>About</a>
<li class='desktoponly'><a href="docs.html">Documentation</a>
</ul>
</div>
<div class="searchmenu" id="searchmenu">
<form method="GET" action="search"><input type="text" name="q" id="searchbox" value=""></form>
</div>
</div>"""


def test_the_tagline_beside_the_site_menu_is_no_text():
    body = SQLITE_TOP + "<h1>1. Overview</h1><p>UPSERT is a clause added to INSERT.</p>"
    got = sections(body, "UPSERT")
    assert all("Choose any three" not in text for _, text in got), got
    assert any("UPSERT is a clause" in text for _, text in got)


def test_a_block_beside_a_menu_with_a_paragraph_of_text_is_kept():
    intro = "<p>This page describes the UPSERT clause, which was added to SQLite in version 3.24.0, and how it works.</p>"
    body = SQLITE_TOP.replace("</div>\n<div class=\"menu", "</div>" + intro + "<div class=\"menu", 1)
    got = sections(body + "<h1>1. Overview</h1><p>Text.</p>", "UPSERT")
    assert any("added to SQLite in version 3.24.0" in text for _, text in got), got


def test_short_lines_without_a_menu_are_kept():
    body = "<div><p>Small. Fast. Reliable.<br>Choose any three.</p></div><h1>Overview</h1><p>Text.</p>"
    got = sections(body, "Page")
    assert any("Choose any three" in text for _, text in got), got


def test_a_page_without_headings_keeps_a_short_text_beside_its_menu():
    # Haddock's index pages: no h1-h6, the A-Z bar (dropped) and one short entry are the whole page
    body = ("<div id='content'><div id='alphabet'><ul><li><a href='doc-index-A.html'>A</a></li>"
            "<li><a href='doc-index-B.html'>B</a></li></ul></div><div id='index'><p class='caption'>Index - K</p>"
            "<table><tr><td class='src'>killThread</td><td class='module'><a href='P.html'>Prelude</a></td></tr>"
            "</table></div></div>")
    got = sections(body, "Index - K")
    assert any("killThread" in text for _, text in got), got


def test_a_page_without_headings_loses_its_banner_when_text_is_left():
    # lang_dropview.html: no h1-h6 at all, the text under the banner is the page's one section
    got = sections(SQLITE_TOP + "<p>The DROP VIEW statement removes a view created by the CREATE VIEW statement.</p>",
                   "DROP VIEW")
    assert got == [(["DROP VIEW"], "The DROP VIEW statement removes a view created by the CREATE VIEW statement.")], got


def test_the_title_block_above_the_first_heading_roots_the_page():
    # SQLite: <div class=fancy_title>ALTER TABLE</div> under the banner, then <h1>1. Overview</h1>, …: with
    # the tagline gone the title must still head the page (the pair generator names a page by its first heading)
    body = (SQLITE_TOP + "<div class=fancy><div class=nosearch><div class='fancy_title'>ALTER TABLE</div></div></div>"
            "<h1>1. Overview</h1><p>SQLite supports a limited subset of ALTER TABLE.</p>"
            "<h1>2. ALTER TABLE RENAME</h1><p>The RENAME TO syntax changes the name of table-name.</p>")
    got = sections(body, "ALTER TABLE")
    assert [path for path, _ in got] == [["ALTER TABLE", "1. Overview"], ["ALTER TABLE", "2. ALTER TABLE RENAME"]], got
