"""DiffView widget: formats in the built documents, wrapping alignment, scroll sync, palettes."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from fineflow_desktop.core.diff import clip_spans, diff_texts, Span, wrap_points
from fineflow_desktop.ui.widgets.diff_style import DiffStyle, build_diff_documents, contrast_ratio
from fineflow_desktop.ui.widgets.diff_view import DiffView


def palette(base: str, text: str) -> QPalette:
    p = QPalette()
    for role, c in ((QPalette.ColorRole.Base, base), (QPalette.ColorRole.Text, text),
                    (QPalette.ColorRole.Window, base), (QPalette.ColorRole.WindowText, text)):
        p.setColor(role, QColor(c))
    return p


LIGHT, DARK = palette("#ffffff", "#1f2328"), palette("#1e1f22", "#dfe1e5")


def fragments(doc, block_no):
    block, out = doc.findBlockByNumber(block_no), []
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        out.append((frag.position() - block.position(), frag.length(), frag.charFormat().background()))
        it += 1
    return out


def test_wrap_points_and_clip_spans():
    assert wrap_points("", 10) == [(0, 0)]
    assert wrap_points("short", 10) == [(0, 5)]
    assert wrap_points("aaaa bbbb cccc", 10) == [(0, 10), (10, 14)]  # break after the space
    assert wrap_points("aaaa bbbbbb cc", 10) == [(0, 5), (5, 14)]
    assert wrap_points("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]
    assert clip_spans((Span(2, 8), Span(12, 14)), 5, 13) == (Span(0, 3), Span(7, 8))


@pytest.mark.parametrize("pal", [LIGHT, DARK], ids=["light", "dark"])
def test_colours_keep_text_readable(qapp, pal):
    style = DiffStyle.from_palette(pal)
    for bg in (style.added, style.removed, style.modified, style.added_word, style.removed_word):
        assert contrast_ratio(style.text, bg) >= 4.5, bg.name()
    # tints must be visible against the plain background
    for bg in (style.added, style.removed, style.modified):
        assert bg != style.base
    assert style.dark == (pal is DARK)


def test_word_highlights_use_utf16_positions_for_emoji(qapp):
    model = diff_texts("smile 😀 wide\n", "smile 😀 narrow\n")
    style = DiffStyle.from_palette(LIGHT)
    docs = build_diff_documents(model, style)
    frags = fragments(docs.right, 0)
    highlighted = [(pos, length) for pos, length, bg in frags if bg.style() != Qt.BrushStyle.NoBrush]
    # "smile " (6) + emoji (2 UTF-16 units) + " " (1) -> "narrow" starts at 9 in Qt positions
    assert highlighted == [(9, 6)]
    assert docs.right.findBlockByNumber(0).text()[9 - 1:] == "narrow"  # text() is a Python str


def test_wrapping_keeps_rows_aligned(qapp):
    left = "short\n" + "word " * 30 + "\nend\n"
    right = "short\n" + "word " * 10 + "\nend\nextra\n"
    model = diff_texts(left, right)
    docs = build_diff_documents(model, DiffStyle.from_palette(LIGHT), wrap_columns=40)
    assert docs.left.blockCount() == docs.right.blockCount()
    assert docs.row_block[:2] == [0, 1]
    long_rows = docs.row_block[2] - docs.row_block[1]
    assert long_rows == len(wrap_points("word " * 30, 40)) == 4
    assert docs.left_numbers[1:5] == [2, None, None, None] and docs.right_numbers[1:5] == [2, None, None, None]
    # the changed-word highlight continues on the continuation lines of the left side
    assert any(bg.style() != Qt.BrushStyle.NoBrush for _p, _l, bg in fragments(docs.left, 3))


def test_view_navigation_sync_and_unified(qtbot):
    left = "\n".join(f"line {i}" for i in range(300)) + "\n"
    right = left.replace("line 10\n", "line ten\n").replace("line 250\n", "").replace("line 299\n", "line 299\nnew\n")
    view = DiffView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_texts(left, right, left_title="a", right_title="b", metadata=["tags +x"])
    assert view.count_label.text() == "3 changes · +1 −1 ~1 lines"
    assert view.meta_label.isVisible() and "tags +x" in view.meta_label.text()
    assert not view.prev_button.isEnabled() and view.next_button.isEnabled()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.current_change == 1 and view.count_label.text().endswith("at change 2 of 3")
    assert view.left_edit.textCursor().blockNumber() == view.row_block[view.model.hunks[1].first_row]
    lv, rv = view.left_edit.verticalScrollBar(), view.right_edit.verticalScrollBar()
    assert lv.value() == rv.value() > 0
    # scrolling the right pane (the user's pane) drives the left one
    view._set_driver(view.right_edit)
    rv.setValue(5)
    assert lv.value() == 5
    # while the right pane drives, programmatic changes on the left do not fight back
    lv.setValue(40)
    assert rv.value() == 5
    qtbot.mouseClick(view.unified_toggle, Qt.MouseButton.LeftButton)
    assert view.stack.currentIndex() == 1 and not view.next_button.isEnabled()
    assert view.unified_edit.toPlainText().startswith("--- a\n+++ b\n@@")


def test_identical_texts_and_palette_switch(qtbot):
    view = DiffView()
    qtbot.addWidget(view)
    view.set_texts("same\n", "same\n")
    assert view.count_label.text() == "No differences in the text" and not view.next_button.isEnabled()
    assert view.unified_edit.toPlainText() == ""  # built lazily, when first shown
    view.unified_toggle.setChecked(True)
    assert view.unified_edit.toPlainText() == "(no differences)"
    view.unified_toggle.setChecked(False)
    view.set_texts("a\n", "b\n")
    view.setPalette(DARK)
    assert view.style_in_use.dark
    block = view.right_edit.document().findBlockByNumber(0)
    assert block.blockFormat().background().color() == view.style_in_use.modified


def test_rebuild_on_resize_rewraps(qtbot):
    view = DiffView()
    qtbot.addWidget(view)
    view.resize(1200, 300)
    view.show()
    qtbot.waitExposed(view)
    long = "alpha beta gamma delta " * 8
    view.set_texts(long + "\n", long + "x\n")
    wide_blocks = view.left_edit.document().blockCount()
    view.resize(500, 300)
    qtbot.waitUntil(lambda: view.left_edit.document().blockCount() > wide_blocks, timeout=20_000)
    assert view.left_edit.document().blockCount() == view.right_edit.document().blockCount()
    view.wrap_toggle.setChecked(False)
    assert view.left_edit.document().blockCount() == 1


def test_current_change_is_marked_in_both_gutters(qtbot):
    view = DiffView()
    qtbot.addWidget(view)
    view.set_texts("a\nb\nc\nd\n", "a\nB\nB2\nc\nd\nE\n")
    view.next_change()
    assert view.left_edit.current_blocks == view.right_edit.current_blocks == range(1, 3)
    view.next_change()
    assert view.right_edit.current_blocks == range(5, 6)  # rows: a, b~B, +B2, c, d, +E
    view.set_texts("x\n", "y\n")
    assert view.left_edit.current_blocks == range(0)
