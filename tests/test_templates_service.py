"""services.templates: versions, lifecycle, publish pointer, restore/branch, history, generation."""

import pytest
from sqlalchemy import event

from fineflow_desktop.core.templates.builtin import BUILTIN_TEMPLATES, GENERATION_VARIABLES
from fineflow_desktop.core.templates.render import variable_names
from fineflow_desktop.services import templates as T


@pytest.fixture
def greet(workspace):
    T.create_template(workspace, "greet", "Hello {{name}}\nBye\n", name="Greeting", tags=["demo"])
    return workspace


def test_create_makes_draft_v1(greet):
    v = T.version(greet, "greet")
    assert (v.number, v.status, v.parent_version_id, v.name, v.tags) == (1, "draft", None, "Greeting", ["demo"])
    assert T.published_version(greet, "greet") is None
    assert T.get_template(greet, "greet").latest_number == 1


@pytest.mark.parametrize("slug", ["", "Has Caps", "-x", "a" * 200, "sp ace"])
def test_bad_slug_rejected(workspace, slug):
    with pytest.raises(T.InvalidTemplate, match="bad slug"):
        T.create_template(workspace, slug, "x")


def test_duplicate_slug_and_bad_format(greet):
    with pytest.raises(T.DuplicateSlug):
        T.create_template(greet, "greet", "x")
    with pytest.raises(T.InvalidTemplate, match="output format"):
        T.create_template(greet, "other", "x", output_format="yaml")


def test_every_edit_is_a_new_immutable_version(greet):
    v1 = T.version(greet, "greet", 1)
    v2 = T.edit_template(greet, "greet", body="Hello {{name}}!\nBye\n", note="punctuation")
    v3 = T.edit_template(greet, "greet", tags=["demo", "polite"], output_format="markdown")
    assert (v2.number, v2.parent_version_id, v2.note) == (2, v1.id, "punctuation")
    assert (v3.number, v3.parent_number, v3.body, v3.output_format) == (3, 2, v2.body, "markdown")
    assert T.version(greet, "greet", 1).body == "Hello {{name}}\nBye\n"  # untouched
    assert T.get_template(greet, "greet").tags == ["demo", "polite"]
    with pytest.raises(T.NothingToSave):
        T.edit_template(greet, "greet", body=v3.body)


def test_lifecycle_and_publish_pointer(greet):
    v1 = T.version(greet, "greet")
    assert T.set_status(greet, v1.id, "preview").status == "preview"
    pub = T.set_status(greet, v1.id, "published")
    assert pub.status == "published" and pub.published_at is not None and pub.is_active
    v2 = T.edit_template(greet, "greet", body="Hi {{name}}\n")
    assert T.published_version(greet, "greet").number == 1  # drafts never drive generation
    T.publish(greet, "greet", 2)
    assert T.published_version(greet, "greet").id == v2.id
    assert T.version(greet, "greet", 1).status == "published" and not T.version(greet, "greet", 1).is_active
    with pytest.raises(T.InvalidTransition):
        T.set_status(greet, v2.id, "draft")
    T.publish(greet, "greet", 1)  # re-activating an older published version only moves the pointer
    assert T.published_version(greet, "greet").number == 1


def test_publish_refuses_syntax_errors(greet):
    v = T.edit_template(greet, "greet", body="Hello {{name\n")
    with pytest.raises(T.InvalidTransition, match="line 1, column 7"):
        T.publish(greet, "greet", v.number)


def test_published_version_found_without_scanning_history(greet):
    for i in range(5):
        T.edit_template(greet, "greet", body=f"v{i} {{{{name}}}}\n")
    T.publish(greet, "greet", 3)
    statements = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(greet.engine, "before_cursor_execute", listener)
    try:
        assert T.published_version(greet, "greet").number == 3
    finally:
        event.remove(greet.engine, "before_cursor_execute", listener)
    assert not any("ORDER BY" in s or "max(" in s.lower() for s in statements)
    assert any("template_versions.id = ?" in s for s in statements)


def test_restore_creates_new_version_equal_to_old(greet):
    T.edit_template(greet, "greet", body="two\n", name="Renamed")
    T.edit_template(greet, "greet", body="three\n")
    v4 = T.restore(greet, "greet", 1)
    v1 = T.version(greet, "greet", 1)
    assert v4.number == 4 and v4.snapshot() == v1.snapshot() and v4.status == "draft"
    assert v4.parent_number == 3 and v4.note == "restored from v1"
    assert T.get_template(greet, "greet").name == "Greeting"
    with pytest.raises(T.NothingToSave):
        T.restore(greet, "greet", 1)


def test_branch_starts_draft_from_any_version(greet):
    T.edit_template(greet, "greet", body="two\n")
    b = T.branch(greet, "greet", 1)
    assert b.number == 3 and b.parent_number == 1 and b.body == "Hello {{name}}\nBye\n"
    v = T.edit_template(greet, "greet", body="from branch\n", base_number=3)
    assert v.parent_number == 3


def test_history_newest_first_with_changesets(greet):
    T.edit_template(greet, "greet", body="Hello {{name}}!\nBye\nSee you\n", note="more")
    T.edit_template(greet, "greet", name="Hi")
    hist = T.history(greet, "greet")
    assert [h.version.number for h in hist] == [3, 2, 1]
    assert hist[0].changeset.summary() == "name"
    assert hist[1].changeset.summary() == "body +1 −0 ~1 lines"
    assert hist[2].changeset.initial


def test_diff_versions(greet):
    T.edit_template(greet, "greet", body="Hello {{name}}\nBye now\n", tags=["demo", "x"])
    d = T.diff_versions(greet, "greet", 1, 2)
    assert [r.kind for r in d.model.rows] == ["equal", "replace"]
    assert d.changeset.changed_fields == ["tags"]


def test_list_search_tags_active(greet):
    T.ensure_builtin_templates(greet)
    T.create_template(greet, "other", "x", name="Other", tags=["misc"])
    assert [t.slug for t in T.list_templates(greet, search="GREET")] == ["greet"]
    assert {t.slug for t in T.list_templates(greet, tag="generation")} == set(BUILTIN_TEMPLATES)
    assert "misc" in T.all_tags(greet) and "demo" in T.all_tags(greet)
    T.set_active(greet, "other", False)
    assert "other" not in [t.slug for t in T.list_templates(greet, active_only=True)]


def test_builtins_seeded_once_as_published_v1(workspace):
    assert set(T.ensure_builtin_templates(workspace)) == set(BUILTIN_TEMPLATES)
    assert T.ensure_builtin_templates(workspace) == []
    for slug, spec in BUILTIN_TEMPLATES.items():
        v = T.published_version(workspace, slug)
        assert v.number == 1 and v.status == "published" and v.body == spec["body"]
        assert set(variable_names(v.body)) == set(GENERATION_VARIABLES)
        assert 'Reply with JSON only' in v.body and '{"pairs": [' in v.body
        assert T.get_template(workspace, slug).mode == spec["mode"]


def test_builtin_is_editable_and_edit_survives_reseeding(workspace):
    T.ensure_builtin_templates(workspace)
    T.edit_template(workspace, "builtin-qa", body=BUILTIN_TEMPLATES["builtin-qa"]["body"] + "\nBe brief.\n")
    assert T.ensure_builtin_templates(workspace) == []
    assert T.version(workspace, "builtin-qa").number == 2


def test_generation_template_for_uses_published_versions(workspace):
    vid, body = T.generation_template_for(workspace, "qa")  # seeds on first use
    assert body == BUILTIN_TEMPLATES["builtin-qa"]["body"]
    assert vid == T.published_version(workspace, "builtin-qa").id
    # An edited built-in drives generation only once published.
    v2 = T.edit_template(workspace, "builtin-qa", body=body + "\nExtra rule.\n")
    assert T.generation_template_for(workspace, "qa")[0] == vid
    T.publish(workspace, "builtin-qa", v2.number)
    assert T.generation_template_for(workspace, "qa") == (v2.id, v2.body)
    # A user template for the mode wins once published; a draft one does not.
    mine = T.create_template(workspace, "my-qa", "Q&A on {{chunk_text}}", mode="qa")
    assert T.generation_template_for(workspace, "qa")[0] == v2.id
    T.publish(workspace, "my-qa", 1)
    assert T.generation_template_for(workspace, "qa") == (mine.id, "Q&A on {{chunk_text}}")
    T.set_active(workspace, "my-qa", False)
    assert T.generation_template_for(workspace, "qa")[0] == v2.id
    # Explicit slug; unpublished -> clear error.
    T.create_template(workspace, "draft-only", "x")
    with pytest.raises(T.TemplateNotFound, match="no published version"):
        T.generation_template_for(workspace, "qa", slug="draft-only")
    with pytest.raises(T.InvalidTemplate):
        T.generation_template_for(workspace, "poetry")


def test_generation_run_records_the_published_version(workspace):
    """What the generation engine does per chunk: render the published body and audit the call."""
    from fineflow_desktop.core.templates.render import render

    vid, body = T.generation_template_for(workspace, "instruction")
    ctx = {"chunk_text": "Tea is brewed at 80 °C.", "heading_path": "Guide > Tea", "document_name": "tea.md",
           "pairs_per_chunk": 2, "language": "English", "mode": "instruction"}
    prompt = render(body, ctx)
    eid = T.record_execution(workspace, vid, ctx, prompt, provider="openai", model="gpt-4o-mini", run_id=7)
    T.update_execution(workspace, eid, status="completed", output='{"pairs": []}', input_tokens=300, output_tokens=5)
    e = T.get_execution(workspace, eid)
    assert (e.template_version_id, e.template_slug, e.version_number) == (vid, "builtin-instruction", 1)
    assert not e.is_preview and e.run_id == 7 and "80 °C" in e.rendered_prompt


def test_render_version_defaults_to_published(greet):
    T.edit_template(greet, "greet", body="Yo {{name}}\n")
    assert T.render_version(greet, "greet", {"name": "A"}) == "Yo A\n"  # no published: latest
    T.publish(greet, "greet", 1)
    assert T.render_version(greet, "greet", {"name": "A"}) == "Hello A\nBye\n"
    assert T.render_version(greet, "greet", {"name": "A"}, number=2) == "Yo A\n"


def test_not_found_errors(workspace):
    with pytest.raises(T.TemplateNotFound, match="no template with slug 'nope'"):
        T.version(workspace, "nope")
    T.create_template(workspace, "one", "x")
    with pytest.raises(T.TemplateNotFound, match="no version 9"):
        T.version(workspace, "one", 9)
