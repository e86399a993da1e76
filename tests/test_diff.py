"""core.diff: aligned rows with fillers, word spans, hunks and navigation, unified diff."""

import difflib

from hypothesis import given, strategies as st

from fineflow_desktop.core.diff import Span, diff_texts, split_lines, unified_diff, word_spans


def kinds(model):
    return [r.kind for r in model.rows]


def test_split_lines_handles_terminators():
    assert split_lines("") == []
    assert split_lines("a") == ["a"]
    assert split_lines("a\n") == ["a"]
    assert split_lines("a\r\nb\rc\n\n") == ["a", "b", "c", ""]


def test_equal_texts_have_no_hunks():
    m = diff_texts("a\nb\n", "a\nb\n")
    assert kinds(m) == ["equal", "equal"] and m.change_count == 0 and m.identical


def test_insert_delete_replace_rows_with_fillers():
    left = "one\ntwo\nthree\nfour\n"
    right = "one\nTWO!\nthree\nfour\nfive\n"
    m = diff_texts(left, right)
    assert kinds(m) == ["equal", "replace", "equal", "equal", "insert"]
    ins = m.rows[-1]
    assert ins.left_no is None and ins.left_text == "" and ins.right_no == 5 and ins.right_text == "five"
    assert (m.added, m.removed, m.modified) == (1, 0, 1)
    assert m.change_count == 2
    assert [r.hunk for r in m.rows] == [-1, 0, -1, -1, 1]


def test_unequal_replace_block_pairs_then_fills():
    m = diff_texts("a\nx1\nx2\nx3\nb\n", "a\ny1\nb\n")
    assert kinds(m) == ["equal", "replace", "delete", "delete", "equal"]
    assert m.rows[2].right_no is None and m.rows[3].left_no == 4
    assert m.change_count == 1 and m.hunks[0].first_row == 1 and m.hunks[0].end_row == 4


def test_word_spans_mark_changed_words_only():
    left, right = "The quick brown fox jumps", "The slow brown fox leaps high"
    ls, rs = word_spans(left, right)
    assert [left[s.start:s.end] for s in ls] == ["quick", "jumps"]
    assert [right[s.start:s.end] for s in rs] == ["slow", "leaps high"]


def test_word_spans_unicode_offsets_are_code_points():
    ls, rs = word_spans("café 😀 noir", "café 😀 crème")
    assert rs == (Span(7, 12),)
    assert "café 😀 crème"[7:12] == "crème"


def test_replace_rows_carry_spans():
    m = diff_texts("Answer in {{language}}.\n", "Answer only in {{language}}!\n")
    row = m.rows[0]
    assert row.kind == "replace"
    assert [row.right_text[s.start:s.end] for s in row.right_spans] == [" only", "!"]
    assert [row.left_text[s.start:s.end] for s in row.left_spans] == ["."]


def test_hunk_navigation():
    left = "\n".join(f"line {i}" for i in range(30))
    right = left.replace("line 3\n", "line three\n").replace("line 20\n", "").replace("line 29", "line 29\nextra")
    m = diff_texts(left, right)
    starts = [h.first_row for h in m.hunks]
    assert len(starts) == 3
    assert m.next_hunk(-1).first_row == starts[0]
    assert m.next_hunk(starts[0]).first_row == starts[1]
    assert m.next_hunk(starts[2]) is None
    assert m.previous_hunk(starts[2]).first_row == starts[1]
    assert m.previous_hunk(starts[0]) is None
    assert m.hunk_at(starts[1]).index == 1 and m.hunk_at(0) is None


def test_unified_diff_matches_difflib_and_is_empty_when_equal():
    a, b = "x\ny\nz\n", "x\nY\nz\n"
    text = unified_diff(a, b, "v1", "v3")
    assert text.splitlines()[:3] == ["--- v1", "+++ v3", "@@ -1,3 +1,3 @@"]
    assert "-y" in text.splitlines() and "+Y" in text.splitlines()
    assert unified_diff(a, a) == ""


lines = st.lists(st.sampled_from(["a", "b", "c", "", "d e", "f g h"]), max_size=25)


@given(lines, lines)
def test_rows_reconstruct_both_sides(a, b):
    m = diff_texts("\n".join(a) + "\n" if a else "", "\n".join(b) + "\n" if b else "")
    left = [r.left_text for r in m.rows if r.left_no is not None]
    right = [r.right_text for r in m.rows if r.right_no is not None]
    assert left == a and right == b
    assert [r.left_no for r in m.rows if r.left_no] == list(range(1, len(a) + 1))
    changed = sum(1 for r in m.rows if r.kind != "equal")
    assert changed == m.added + m.removed + m.modified
    ratio_equal = difflib.SequenceMatcher(None, a, b).get_matching_blocks()
    assert sum(x.size for x in ratio_equal) == sum(1 for r in m.rows if r.kind == "equal")
