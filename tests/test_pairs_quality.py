"""core.pair_quality signals and services.pairs.scoring over a real dataset (batched, cancellable)."""

from __future__ import annotations

import pytest
from test_pairs_data import alpaca_rows, build_dataset

from fineflow_desktop.core.pair_quality import MAX_SIMILARITY, explain, jaccard, score_pair, shingles
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.services.pairs import scoring as pair_scoring
from fineflow_desktop.services import pairs as svc


def test_signals_have_value_threshold_ok_and_source():
    r = alpaca_rows()[0]
    score, signals = score_pair(r["user"], r["assistant"], source_chunk_text=r["assistant"], neighbours=[])
    assert set(signals) == {"answer_length", "length_ratio", "grounding", "diversity"}
    for s in signals.values():
        assert {"value", "threshold", "ok", "source", "score", "weight"} <= set(s) and s["source"]
    assert score == 1.0 and all(s["ok"] for s in signals.values())
    assert "✓ grounding: 1.0" in explain(signals)


def test_short_answer_scores_lower_than_a_full_one():
    full, _ = score_pair("Describe the process of photosynthesis.",
                         "Plants turn light, water and carbon dioxide into glucose and oxygen in their chloroplasts.")
    stub, signals = score_pair("Describe the process of photosynthesis in detail, step by step, for a student.", "Light.")
    assert stub < full
    assert not signals["answer_length"]["ok"] and not signals["length_ratio"]["ok"]
    assert score_pair("Question?", "")[0] == 0.0


def test_grounding_is_recall_of_answer_words_in_the_chunk():
    chunk = "The mitochondria is the powerhouse of the cell and produces ATP."
    grounded, g = score_pair("What does the mitochondria do?", "The mitochondria produces ATP for the cell.", chunk)
    invented, i = score_pair("What does the mitochondria do?", "It stores genetic blueprints in vacuoles.", chunk)
    assert g["grounding"]["value"] == 1.0 and g["grounding"]["ok"]
    assert i["grounding"]["value"] < 0.5 and not i["grounding"]["ok"] and invented < grounded
    _, no_chunk = score_pair("q", "an answer of several words here")
    assert "grounding" not in no_chunk  # unknown, not punished


def test_diversity_flags_near_duplicate_questions():
    q = "Give three tips for staying healthy."
    _, same = score_pair(q, "Eat well, sleep, move.", neighbours=["Give three tips for staying healthy!"])
    _, other = score_pair(q, "Eat well, sleep, move.", neighbours=["Translate this sentence into French."])
    assert same["diversity"]["value"] <= 1 - MAX_SIMILARITY and not same["diversity"]["ok"]
    assert other["diversity"]["ok"]
    assert jaccard(shingles(q), shingles(q)) == 1.0 and jaccard(set(), set()) == 0.0


def test_rescore_dataset_fills_every_pair_in_batches(workspace, monkeypatch):
    ds, ids = build_dataset(workspace)
    monkeypatch.setattr(pair_scoring, "BATCH", 25)
    seen = []
    summary = svc.rescore_dataset(workspace, ds, TaskState(on_progress=lambda d, t, m: seen.append((d, t))))
    assert summary["scored"] == len(ids)
    rows = {r["id"]: r for r in svc.fetch_pairs(workspace, ids)}
    assert all(r["quality"] is not None and r["quality_signals"] for r in rows.values())
    assert all(rows[i]["quality_signals"]["grounding"]["value"] == 1.0 for i in ids[:10])  # extractive
    dup = svc.query_pair_ids(workspace, ds, svc.PairFilter(flagged="duplicate"))[0]
    assert rows[dup]["quality_signals"]["diversity"]["value"] == 0.0
    assert seen[-1][0] == seen[-1][1]


def test_rescore_cancel_keeps_committed_batches(workspace, monkeypatch):
    ds, ids = build_dataset(workspace)
    monkeypatch.setattr(pair_scoring, "BATCH", 20)
    state = TaskState()

    def progress(done, total, message):
        if "scored" in message and done > total // 2:  # first scoring batch committed
            state.cancel()

    state.on_progress = progress
    with pytest.raises(Cancelled):
        svc.rescore_dataset(workspace, ds, state)
    scored = [r["quality"] is not None for r in svc.fetch_pairs(workspace, ids)]
    assert scored[:20] == [True] * 20 and not all(scored)
