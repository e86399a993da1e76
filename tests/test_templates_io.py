"""Template import/export as JSON with every version, between workspaces."""

import json

import pytest

from fineflow_desktop.services import templates as T
from fineflow_desktop.services.templates import TemplateImportError
from fineflow_desktop.store.workspace import Workspace


@pytest.fixture
def source(workspace):
    T.create_template(workspace, "greet", "Hello {{name}}\n", tags=["demo"], mode="qa")
    T.edit_template(workspace, "greet", body="Hello {{name}}!\n", note="bang")
    T.publish(workspace, "greet", 2)
    T.edit_template(workspace, "greet", body="Hey {{name}}\n", note="casual")
    return workspace


def test_round_trip_keeps_versions_statuses_and_pointer(source, tmp_path):
    path = tmp_path / "t.json"
    assert T.write_export(source, path, ["greet"]) == 1
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [v["number"] for v in data["templates"][0]["versions"]] == [1, 2, 3]
    other = Workspace.open(tmp_path / "other")
    try:
        report = T.import_templates(other, path)
        assert report.created == ["greet"] and report.versions_added == 3
        assert [(v.number, v.status, v.note, v.parent_number) for v in T.list_versions(other, "greet")] == [
            (1, "draft", "created", None), (2, "published", "bang", 1), (3, "draft", "casual", 2)]
        assert T.published_version(other, "greet").number == 2
        assert T.get_template(other, "greet").mode == "qa"
        # importing again changes nothing
        again = T.import_templates(other, path)
        assert (again.created, again.versions_added, again.versions_skipped) == ([], 0, 3)
    finally:
        other.close()


def test_import_into_existing_appends_new_versions_as_drafts(source, tmp_path):
    data = T.export_templates(source, ["greet"])
    data["templates"][0]["versions"].append(dict(data["templates"][0]["versions"][-1], number=4, body="New {{name}}\n",
                                                 note="theirs", status="published"))
    report = T.import_templates(source, data)
    assert (report.versions_added, report.versions_skipped) == (1, 3)
    v = T.version(source, "greet")
    assert (v.number, v.status, v.body, v.parent_number) == (4, "draft", "New {{name}}\n", 3)
    assert v.note == "imported v4 from import: theirs"
    assert T.published_version(source, "greet").number == 2  # existing pointer untouched


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d.update(format="other"), "format"),
    (lambda d: d["templates"][0].update(slug="Bad Slug"), "templates[0].slug"),
    (lambda d: d["templates"][0]["versions"][1].update(body=42), "templates[0].versions[1].body: expected str"),
    (lambda d: d["templates"][0]["versions"][0].pop("name"), "templates[0].versions[0].name: missing"),
    (lambda d: d["templates"][0]["versions"][0].update(status="live"), "templates[0].versions[0].status"),
    (lambda d: d["templates"][0]["versions"][2].update(number=1), "templates[0].versions[2].number"),
    (lambda d: d["templates"][0].update(published_number=3), "templates[0].published_number: version 3 is not published"),
])
def test_malformed_files_name_the_field_and_write_nothing(source, tmp_path, mutate, where):
    data = T.export_templates(source, ["greet"])
    data["templates"][0]["slug"] = "copy"
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(TemplateImportError) as err:
        T.import_templates(source, path)
    assert str(err.value).startswith(str(path)) and where in str(err.value)
    assert [t.slug for t in T.list_templates(source)] == ["greet"]


def test_invalid_json_reports_line_and_column(workspace, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "fineflow-templates",\n  "templates": [,]}', encoding="utf-8")
    with pytest.raises(TemplateImportError, match=r"broken.json: not valid JSON at line 2, column 17"):
        T.import_templates(workspace, path)


def test_export_all_includes_builtins(workspace):
    T.ensure_builtin_templates(workspace)
    slugs = [t["slug"] for t in T.export_templates(workspace)["templates"]]
    assert "builtin-qa" in slugs and len(slugs) == 4
