"""Export options: split by document, seed, validated-only, min quality, system prompt, sidecar."""

import json

import pytest

from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.services import export as export_mod
from fineflow_desktop.services.export import ExportError, export_dataset, sidecar_path, split_paths
from fineflow_desktop.services.import_dataset import import_file
from fineflow_desktop.core.pair_quality import SCORER_VERSION
from fineflow_desktop.services.pairs.scoring import SETTING
from fineflow_desktop.store.models import Chunk, Dataset, Document, Pair, Setting

from conftest import FIXTURES, REAL_DATA

FMT = FIXTURES / "formats"


@pytest.fixture
def doc_dataset(workspace):
    """A dataset of real GSM8K Q/A pairs spread over 12 documents of 1..12 pairs, plus 20 loose pairs."""
    records = json.loads((REAL_DATA / "gsm8k_train_alpaca_format.json").read_text())
    it = iter(records)
    with workspace.session() as s:
        ds = Dataset(name="docs", system_prompt="You solve math word problems.")
        s.add(ds)
        s.flush()
        for d in range(12):
            doc = Document(source_path=f"/x/doc{d}.md", name=f"doc{d}.md", kind="md", content_hash=f"h{d}")
            s.add(doc)
            s.flush()
            chunk = Chunk(document_id=doc.id, ordinal=0, text="t", n_tokens=1, norm_hash=f"n{d}")
            s.add(chunk)
            s.flush()
            for _ in range(d + 1):
                r = next(it)
                s.add(Pair(dataset_id=ds.id, user=r["instruction"], assistant=r["output"], source="extractive",
                           document_id=doc.id, chunk_id=chunk.id, template_version_id=7, meta={"model": "extractive"},
                           quality=0.1 * (d % 10), validated=d % 2 == 0))
        for _ in range(20):
            r = next(it)
            s.add(Pair(dataset_id=ds.id, user=r["instruction"], assistant=r["output"], source="manual"))
        return ds.id


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_split_never_leaks_a_document_and_is_seeded(workspace, tmp_path, doc_dataset):
    out = tmp_path / "data.jsonl"
    res = export_dataset(workspace, doc_dataset, out, "openai", split=0.8, seed=3, provenance_sidecar=True)
    train, val = split_paths(out)
    assert res["files"] == {"train": str(train), "validation": str(val)}
    total = 78 + 20
    assert res["counts"]["train"] + res["counts"]["validation"] == total
    assert abs(res["counts"]["validation"] - round(0.2 * total)) <= 12  # whole documents only
    side = _lines(sidecar_path(out))
    docs_by_file = {}
    for entry in side:
        if entry["document_id"] is not None:
            docs_by_file.setdefault(entry["file"], set()).add(entry["document_id"])
    assert not docs_by_file["data.train.jsonl"] & docs_by_file.get("data.validation.jsonl", set())
    first = (train.read_text(), val.read_text())
    export_dataset(workspace, doc_dataset, out, "openai", split=0.8, seed=3)
    assert (train.read_text(), val.read_text()) == first
    export_dataset(workspace, doc_dataset, out, "openai", split=0.8, seed=4)
    assert (train.read_text(), val.read_text()) != first


def test_provenance_sidecar_lines_match_the_export(workspace, tmp_path, doc_dataset):
    out = tmp_path / "p.jsonl"
    res = export_dataset(workspace, doc_dataset, out, "alpaca", provenance_sidecar=True)
    side = _lines(sidecar_path(out))
    rows = _lines(out)
    assert len(side) == len(rows) == res["written"] and res["provenance"] == str(sidecar_path(out))
    first = side[0]
    assert first["file"] == "p.jsonl" and first["line"] == 1 and first["document"] == "doc0.md"
    assert first["template_version_id"] == 7 and first["model"] == "extractive" and first["chunk_id"]
    assert side[-1]["document_id"] is None and side[-1]["source"] == "manual"


def test_filters_and_system_prompt(workspace, tmp_path, doc_dataset):
    out = tmp_path / "f.jsonl"
    res = export_dataset(workspace, doc_dataset, out, "openai", validated_only=True)
    assert res["written"] == sum(d + 1 for d in range(12) if d % 2 == 0)
    with workspace.session() as s:  # the stored scores are current: this scorer wrote them
        s.add(Setting(key=SETTING, value={str(doc_dataset): SCORER_VERSION}))
    res = export_dataset(workspace, doc_dataset, out, "openai", min_quality=0.5)
    # the 20 unscored pairs are scored first (not left out); the stored scores are kept
    assert res["scored_first"]["reason"] == "not scored" and res["scored_first"]["scored"] == 20
    with workspace.session() as s:
        passing_manual = s.query(Pair).filter(Pair.dataset_id == doc_dataset, Pair.source == "manual",
                                              Pair.quality >= 0.5).count()
        assert s.query(Pair).filter(Pair.dataset_id == doc_dataset, Pair.quality.is_(None)).count() == 0
    assert res["written"] == sum(d + 1 for d in range(12) if d % 10 >= 5) + passing_manual
    rows = _lines(out)
    assert rows[0]["messages"][0] == {"role": "system", "content": "You solve math word problems."}
    export_dataset(workspace, doc_dataset, out, "openai", include_system=False)
    assert all(m["role"] != "system" for r in _lines(out) for m in r["messages"])


def test_dpo_needs_preferences(workspace, tmp_path, doc_dataset):
    with pytest.raises(ExportError, match="no preference pairs"):
        export_dataset(workspace, doc_dataset, tmp_path / "d.jsonl", "openai-dpo")
    assert not (tmp_path / "d.jsonl").exists()


def test_bad_arguments(workspace, tmp_path, doc_dataset):
    with pytest.raises(ExportError, match="unknown export format"):
        export_dataset(workspace, doc_dataset, tmp_path / "x.jsonl", "csv")
    with pytest.raises(ExportError, match="between 0 and 1"):
        export_dataset(workspace, doc_dataset, tmp_path / "x.jsonl", "openai", split=90)
    with pytest.raises(ExportError, match="no dataset"):
        export_dataset(workspace, 999, tmp_path / "x.jsonl", "openai")


def test_cancelled_export_leaves_the_previous_file(workspace, tmp_path, monkeypatch, doc_dataset):
    monkeypatch.setattr(export_mod, "PAGE_ROWS", 10)
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / "c.jsonl"
    out.write_text("previous export\n")
    state = TaskState()
    state.on_progress = lambda done, total, msg: state.cancel() if done >= 30 else None
    with pytest.raises(Cancelled):
        export_dataset(workspace, doc_dataset, out, "openai", state=state)
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["c.jsonl"]  # no temp file left


def test_edited_preferred_answer_is_exported(workspace, tmp_path):
    report = import_file(workspace, FMT / "llamafactory_dpo_sample.json", dataset_name="dpo")
    with workspace.session() as s:
        first_id = min(p.id for p in s.query(Pair).filter(Pair.dataset_id == report.dataset_id))
        pair = s.get(Pair, first_id)
        if pair.messages:
            msgs = [dict(m) for m in pair.messages]
            msgs[-1]["content"] = "edited answer"
            pair.messages = msgs
        pair.assistant = "edited answer"
    out = tmp_path / "dpo.jsonl"
    export_dataset(workspace, report.dataset_id, out, "openai-dpo")
    assert _lines(out)[0]["preferred_output"] == [{"role": "assistant", "content": "edited answer"}]
