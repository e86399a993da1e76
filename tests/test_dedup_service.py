"""services.dedup: groups, representative choice, keep/drop, re-runs keep the user's choice."""

import pytest
from sqlalchemy import func, select

from curation_helpers import add_document, edit_words, paragraphs
from fineflow_desktop.core.neardup import jaccard_shingles
from fineflow_desktop.services.dedup import dedup_summary, find_near_duplicates, get_group, list_groups, set_group_keep
from fineflow_desktop.store.models import Chunk


@pytest.fixture
def texts(pydoc_sources):
    # the longest paragraphs (one edited word keeps the 5-gram Jaccard well above 0.7), minus
    # the docs' own near-repeats so that only planted copies group
    picked = []
    for t in sorted(dict.fromkeys(paragraphs("library/textwrap.rst.txt", min_chars=150)), key=len, reverse=True):
        if all(jaccard_shingles(t, p) < 0.3 for p in picked):
            picked.append(t)
    return picked[:12]


def chunk(ws, cid):
    with ws.session() as s:
        c = s.get(Chunk, cid)
        return c.is_duplicate, c.near_dup_group_id


def test_groups_keep_longest_when_quality_unknown(workspace, texts):
    base = add_document(workspace, "/docs/a.rst", texts)
    longer = texts[2] + " This sentence was appended."
    copy = add_document(workspace, "/docs/b.rst", [edit_words(texts[2], 0.03, 1), longer])
    groups = find_near_duplicates(workspace)
    g = [g for g in groups if base[2] in [m["chunk_id"] for m in g["members"]]][0]
    assert {m["chunk_id"] for m in g["members"]} == {base[2], copy[0], copy[1]}
    assert g["representative_chunk_id"] == copy[1]  # the longest text
    assert g["method"] == "minhash" and g["size"] == 3
    assert chunk(workspace, copy[1]) == (False, g["id"])
    assert chunk(workspace, base[2]) == (True, g["id"])
    members = {m["chunk_id"]: m for m in g["members"]}
    assert members[copy[1]]["is_representative"] and members[copy[1]]["similarity"] == 1.0
    assert members[base[2]]["document_path"] == "/docs/a.rst"
    # nothing deleted, unrelated chunks untouched
    with workspace.session() as s:
        assert s.scalar(select(func.count(Chunk.id))) == len(texts) + 2
    assert chunk(workspace, base[5]) == (False, None)


def test_highest_quality_wins_when_known(workspace, texts):
    a = add_document(workspace, "/docs/a.rst", [texts[0] + " extra words make this longer"], qualities=[0.4])
    b = add_document(workspace, "/docs/b.rst", [edit_words(texts[0], 0.03, 2)], qualities=[0.9])
    c = add_document(workspace, "/docs/c.rst", [edit_words(texts[0], 0.02, 3)], qualities=[None])
    (g,) = find_near_duplicates(workspace)
    assert g["representative_chunk_id"] == b[0]
    assert {m["chunk_id"] for m in g["members"]} == {a[0], b[0], c[0]}


def test_keep_drop_and_rerun_keeps_user_choice(workspace, texts):
    a = add_document(workspace, "/docs/a.rst", [texts[1]])
    b = add_document(workspace, "/docs/b.rst", [edit_words(texts[1], 0.03, 4)])
    (g,) = find_near_duplicates(workspace)
    dropped = [m["chunk_id"] for m in g["members"] if not m["keep"]][0]
    kept = g["representative_chunk_id"]
    g2 = set_group_keep(workspace, g["id"], dropped, True)
    assert all(m["keep"] for m in g2["members"])
    assert chunk(workspace, dropped)[0] is False
    set_group_keep(workspace, g["id"], kept, False)
    assert chunk(workspace, kept)[0] is True
    # a second run recomputes the groups but remembers both choices
    (g3,) = find_near_duplicates(workspace)
    choice = {m["chunk_id"]: m["keep"] for m in g3["members"]}
    assert choice == {dropped: True, kept: False}
    assert chunk(workspace, kept)[0] is True and chunk(workspace, dropped)[0] is False
    assert sorted([a[0], b[0]]) == sorted(choice)
    with pytest.raises(LookupError):
        set_group_keep(workspace, g3["id"], 999_999, True)
    with pytest.raises(LookupError):
        set_group_keep(workspace, 999_999, kept, True)


def test_exact_duplicates_are_left_to_exact_dedup(workspace, texts):
    a = add_document(workspace, "/docs/a.rst", [texts[3]])
    b = add_document(workspace, "/docs/b.rst", [texts[3]])
    with workspace.session() as s:  # what ingest's exact dedup does
        c = s.get(Chunk, b[0])
        c.is_duplicate, c.duplicate_of_id = True, a[0]
    assert find_near_duplicates(workspace) == []
    assert chunk(workspace, b[0]) == (True, None)  # still an exact duplicate after the reset


def test_rerun_clears_groups_that_no_longer_exist(workspace, texts):
    add_document(workspace, "/docs/a.rst", [texts[4]])
    b = add_document(workspace, "/docs/b.rst", [edit_words(texts[4], 0.03, 5)])
    assert len(find_near_duplicates(workspace)) == 1
    assert find_near_duplicates(workspace, threshold=1.0) == []
    assert chunk(workspace, b[0]) == (False, None)
    assert dedup_summary(workspace) == {"groups": 0, "grouped_chunks": 0, "dropped": 0}
    assert list_groups(workspace) == []


def test_get_group_has_texts(workspace, texts):
    add_document(workspace, "/docs/a.rst", [texts[6]])
    add_document(workspace, "/docs/b.rst", [edit_words(texts[6], 0.03, 6)])
    (g,) = find_near_duplicates(workspace)
    full = get_group(workspace, g["id"])
    assert all(m["text"] for m in full["members"])
    with pytest.raises(LookupError):
        get_group(workspace, 12345)


def test_bad_threshold(workspace):
    with pytest.raises(ValueError, match="threshold"):
        find_near_duplicates(workspace, threshold=1.5)
