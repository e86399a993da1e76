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
    assert set(signals) == {"answer_length", "length_ratio", "grounding", "diversity", "question_form",
                            "answer_markup", "hard_wraps", "answer_start", "answer_end"}
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


# What a reviewer of the Python docs extractive pairs saw (issue 10), and pairs that read well.
REVIEWER_CASES = [
    ("How do I log HOWTO?", "The logging module provides a flexible event logging system for applications.", "question_form"),
    ("How do I print and clearing?", "Use print() to write text and the terminal's clear command to wipe it.", "question_form"),
    ("How do I...?", "This section answers many small questions about Python programming tasks.", "question_form"),
    ("... choose a name for my project?", "Pick a short, lower-case name that is free on the package index.", "question_form"),
    ("What is distutils?", ":Email: distutils-sig@python.org\n\nThe distutils package provides support for building "
     "and installing additional modules.", "answer_start"),
    ("What does json do?", "**Source code:** `Lib/json/__init__.py`\n\nThe :mod:`json` module exposes an API familiar "
     "to users of the standard library marshal and pickle modules.", "answer_markup"),
    ("What does open() do?", "Open file and return a corresponding file object. If the file cannot be opened, an\n"
     "OSError is raised. See the tutorial section on reading and writing files for more\nexamples of how to use "
     "this function in ordinary programs and in your scripts.", "hard_wraps"),
    ("What is pickling?", "Pickling is the process whereby a Python object hierarchy is converted into a byte stream,"
     " and it is used as follows:", "answer_end"),
]


@pytest.mark.parametrize(("user", "assistant", "signal"), REVIEWER_CASES)
def test_reviewer_visible_defects_score_low(user, assistant, signal):
    score, signals = score_pair(user, assistant)
    assert not signals[signal]["ok"] and signals[signal]["detail"]
    # wraps and markup are fixable at export (unwrap / strip markup); a broken question or a cut answer is not
    assert score < (0.9 if signal in ("hard_wraps", "answer_markup") else 0.6), explain(signals)
    assert f"✗ {signal.replace('_', ' ')}" in explain(signals)


def test_clean_pairs_keep_a_high_score():
    for user, assistant in [
        ("How do I install the tools?", "Run the installer and follow the prompts; the tools end up on your PATH."),
        ("What does the --echo-all option of psql do?", "Print all nonempty input lines to standard output as "
         "they are read."),
        ("Explain “Locking” in Concurrency Control.", "PostgreSQL provides various lock modes to control concurrent "
         "access to data in tables.\n\n```\nLOCK TABLE films IN SHARE MODE;\n```"),
    ]:
        score, signals = score_pair(user, assistant)
        assert score == 1.0, explain(signals)


def test_scores_are_stale_after_a_scorer_change_and_refreshed_for_every_pair(workspace, monkeypatch):
    ds, ids = build_dataset(workspace)
    assert svc.stale_scores(workspace, ds) == {"reason": None, "pairs": 0}  # never scored: the user's call
    svc.rescore_dataset(workspace, ds)
    assert svc.scorer_version(workspace, ds) == pair_scoring.SCORER_VERSION
    assert svc.stale_scores(workspace, ds)["reason"] is None
    # the scorer changes (a new version with another rule): every stored score is out of date
    monkeypatch.setattr(pair_scoring, "SCORER_VERSION", pair_scoring.SCORER_VERSION + 1)
    monkeypatch.setattr(pair_scoring, "score_pair", lambda *a, **k: (0.25, {"answer_length": {"value": 1}}))
    assert svc.stale_scores(workspace, ds) == {"reason": "scorer changed", "pairs": len(ids)}
    summary = svc.refresh_stale_scores(workspace, ds)
    assert summary["reason"] == "scorer changed" and summary["scored"] == len(ids)
    assert {r["quality"] for r in svc.fetch_pairs(workspace, ids)} == {0.25}
    assert svc.stale_scores(workspace, ds)["reason"] is None
    assert svc.refresh_stale_scores(workspace, ds)["scored"] == 0


def test_scores_from_before_versions_count_as_stale(workspace):
    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    from fineflow_desktop.store.models import Setting

    with workspace.session() as s:  # a workspace scored before the version was stored
        s.delete(s.get(Setting, pair_scoring.SETTING))
    assert svc.stale_scores(workspace, ds)["reason"] == "scorer changed"


def test_editing_a_pair_clears_its_score_refresh_rescores_only_it_and_undo_restores(workspace):
    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    before = {r["id"]: (r["quality"], r["quality_signals"]) for r in svc.fetch_pairs(workspace, ids)}
    target = ids[3]
    old = svc.update_pair(workspace, target, assistant="Light.")  # a stub answer now
    assert old["quality"] == before[target][0]
    row = svc.fetch_pairs(workspace, [target])[0]
    assert row["quality"] is None and row["quality_signals"] == {}
    assert svc.stale_scores(workspace, ds) == {"reason": "not scored", "pairs": 1}
    # not a content edit: the score stays
    svc.update_pair(workspace, ids[4], validated=True)
    assert svc.fetch_pairs(workspace, [ids[4]])[0]["quality"] == before[ids[4]][0]

    summary = svc.refresh_stale_scores(workspace, ds)
    assert summary == {**summary, "reason": "not scored", "scored": 1}
    after = {r["id"]: (r["quality"], r["quality_signals"]) for r in svc.fetch_pairs(workspace, ids)}
    assert after[target][0] < before[target][0]  # the stub answer scores lower
    assert not after[target][1]["answer_length"]["ok"]
    assert all(after[i] == before[i] for i in ids if i != target)  # nothing else recomputed
    svc.update_pair(workspace, target, **old)  # undo: old text with its old score
    assert (svc.fetch_pairs(workspace, [target])[0]["quality"]) == before[target][0]
    assert svc.stale_scores(workspace, ds)["reason"] is None


def test_a_score_is_not_written_over_an_edit_made_while_scoring(workspace, monkeypatch):
    ds, ids = build_dataset(workspace)
    svc.rescore_dataset(workspace, ds)
    target = ids[0]
    svc.update_pair(workspace, target, user="What changed here?")
    real = pair_scoring.score_pair

    def edit_meanwhile(user, *a, **k):  # the user edits the pair again while it is being scored
        if user == "What changed here?":
            svc.update_pair(workspace, target, user="What changed again?")
        return real(user, *a, **k)

    monkeypatch.setattr(pair_scoring, "score_pair", edit_meanwhile)
    svc.refresh_stale_scores(workspace, ds)
    row = svc.fetch_pairs(workspace, [target])[0]
    assert row["user"] == "What changed again?" and row["quality"] is None  # still stale, not mis-scored
    assert svc.refresh_stale_scores(workspace, ds)["scored"] == 1
