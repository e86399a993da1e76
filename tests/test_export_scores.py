"""``export --min-quality`` scores stale and unscored pairs before it filters (issue 10):
``services.export.export_dataset`` (the CLI and the export dialog both call it) runs
``services.pairs.ensure_scores`` first, with progress."""

from __future__ import annotations

import json

from test_pairs_data import build_dataset

from fineflow_desktop.cli import main
from fineflow_desktop.core.pair_quality import SCORER_VERSION
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services import pairs as svc
from fineflow_desktop.services.export import export_dataset
from fineflow_desktop.services.pairs.scoring import SETTING
from fineflow_desktop.store.models import Pair, Setting


def _exported_ids(path) -> list[str]:
    return [json.loads(line)["messages"][-1]["content"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_edited_pair_is_scored_before_the_quality_filter(workspace, tmp_path):
    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    edited = ids[0]
    new_answer = "Eat a balanced diet with plenty of fruit and vegetables, exercise regularly and sleep well."
    svc.update_pair(workspace, edited, assistant=new_answer)  # clears the pair's score
    assert svc.get_pair(workspace, edited)["quality"] is None
    messages = []
    out = tmp_path / "q.jsonl"
    res = export_dataset(workspace, ds, out, "openai", min_quality=0.0,
                         state=TaskState(on_progress=lambda d, t, m: messages.append(m)))
    assert new_answer in _exported_ids(out)  # before: the unscored edit was left out silently
    assert res["scored_first"]["scored"] == 1 and res["scored_first"]["reason"] == "not scored"
    assert svc.get_pair(workspace, edited)["quality"] is not None
    assert any("pairs scored" in m for m in messages)


def test_scores_of_an_older_scorer_are_refreshed_first(workspace, tmp_path):
    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    good = ids[0]
    real = svc.get_pair(workspace, good)["quality"]
    assert real >= 0.5
    with workspace.session() as s:  # scores stored by an older scorer, one of them now wrong
        s.get(Setting, SETTING).value = {str(ds): SCORER_VERSION - 1}
        s.get(Pair, good).quality = 0.0
    out = tmp_path / "q.jsonl"
    res = export_dataset(workspace, ds, out, "openai", min_quality=0.5)
    assert svc.get_pair(workspace, good)["assistant"] in _exported_ids(out)
    assert svc.get_pair(workspace, good)["quality"] == real
    assert res["scored_first"]["reason"] == "scorer changed" and res["scored_first"]["scored"] == len(ids)


def test_cli_export_min_quality_scores_a_never_scored_dataset(workspace, tmp_path, capsys):
    ds, ids = build_dataset(workspace, name="fresh")
    path = str(workspace.path)
    workspace.close()
    out = tmp_path / "fresh.jsonl"
    code = main(["export", "--workspace", path, "--dataset", "fresh", "--out", str(out), "--min-quality", "0.5"])
    printed = capsys.readouterr().out
    assert code == 0, printed  # before: exit 1, "none of the pairs passes the filters"
    assert f"scored {len(ids)} pairs first (the dataset was never scored)" in printed
    assert len(_exported_ids(out)) > 0
