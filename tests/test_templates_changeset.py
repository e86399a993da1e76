"""Changesets between template versions: fields changed and the body line summary."""

from fineflow_desktop.core.templates.changeset import compute_changeset


def snap(body="a\nb\nc\n", **meta):
    base = {"name": "T", "description": "", "tags": ["x"], "output_format": "text"}
    base.update(meta)
    return {"body": body, **base}


def test_first_version_is_initial_with_all_lines_added():
    cs = compute_changeset(None, snap("one\ntwo\n"))
    assert cs.initial and cs.lines_added == 2 and cs.fields == []
    assert cs.summary() == "created (2 lines)"


def test_identical_snapshots_are_empty():
    cs = compute_changeset(snap(), snap())
    assert cs.is_empty and cs.summary() == "no changes"


def test_metadata_fields_listed_in_fixed_order():
    cs = compute_changeset(snap(), snap(output_format="json", name="New", tags=["x", "y"]))
    assert cs.changed_fields == ["name", "tags", "output_format"]
    assert not cs.body_changed
    assert cs.fields[0].describe() == "name: 'T' → 'New'"
    assert cs.fields[1].describe() == "tags +y"
    assert cs.summary() == "name, tags, output_format"


def test_body_lines_added_removed_modified():
    old = "keep\nchange me\ndrop 1\ndrop 2\nkeep too\n"
    new = "keep\nchanged me\nkeep too\nappended\n"
    cs = compute_changeset(snap(old), snap(new))
    assert cs.body_changed
    # "change me"/"drop 1"/"drop 2" -> "changed me": one modified, two removed; one appended
    assert (cs.lines_added, cs.lines_removed, cs.lines_modified) == (1, 2, 1)
    assert cs.summary() == "body +1 −2 ~1 lines"
    assert cs.as_dict()["body"] == {"changed": True, "lines_added": 1, "lines_removed": 2, "lines_modified": 1}


def test_fields_and_body_together():
    cs = compute_changeset(snap(description="old"), snap("a\nB\nc\n", description="new"))
    assert cs.summary() == "description; body +0 −0 ~1 lines"


def test_missing_tags_equal_empty_list():
    a = snap()
    a["tags"] = None
    assert compute_changeset(a, snap(tags=[])).is_empty
