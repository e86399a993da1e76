"""Fill ``pairs.quality`` / ``pairs.quality_signals`` for a whole dataset (Qt-free, batched).

Scores come from ``core.pair_quality.score_pair``. Grounding uses the pair's source chunk text;
diversity compares each question with its *candidate* neighbours only: questions sharing enough
MinHash-LSH bands (rensa, 64 permutations, Jaccard threshold ``LSH_THRESHOLD`` over the same
uni+bigram features), which keeps a 100k-pair dataset near-linear instead of 10^10 comparisons.
Each batch of ``BATCH`` pairs is one transaction, so cancelling or a crash keeps earlier batches.

Stale scores: the scorer version that last scored a whole dataset is stored in the settings
row ``SETTING`` (``{dataset id: core.pair_quality.SCORER_VERSION}``); editing a pair's content
clears its score (``review.update_pair``). ``stale_scores`` tells whether a dataset needs a
refresh and ``refresh_stale_scores`` does it: every pair when the scorer changed (or the scores
predate versions), else only the pairs without a score. A score is written only if the pair's
question and answer are still those that were scored (an edit during a background run wins).
"""

from __future__ import annotations

import json

from fineflow_desktop.core.neardup import lsh_bands
from fineflow_desktop.core.pair_quality import SCORER_VERSION, score_pair, shingles
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.store.models import Setting
from fineflow_desktop.store.workspace import Workspace

SETTING = "pair_quality_versions"
# why pairs were (re)scored, as a clause for messages ("scored 3 pairs first: they had no score")
SCORE_REASONS = {"scorer changed": "the scorer changed", "not scored": "they had no score",
                 "never scored": "the dataset was never scored"}

BATCH = 1000
NUM_PERM = 64
LSH_THRESHOLD = 0.5  # candidates; the diversity signal then uses exact Jaccard (flag at 0.7)
MAX_NEIGHBOURS = 50  # cap per pair: a huge duplicate cluster must not make scoring quadratic
SEED = 1  # rensa's permutation seed: every sketch of one run must share it


def _minhashes(texts: list[str]) -> list:
    """rensa ``RMinHash`` sketches of the questions' uni+bigram features."""
    from rensa import RMinHash  # loaded on first use, not at start-up

    return RMinHash.from_token_sets([list(shingles(t)) for t in texts], NUM_PERM, SEED)


def scorer_version(ws: Workspace, dataset_id: int) -> int | None:
    """The ``SCORER_VERSION`` that last scored the whole of *dataset_id* (None: never, or
    before versions were stored)."""
    with ws.session() as s:
        row = s.get(Setting, SETTING)
        value = (row.value or {}).get(str(dataset_id)) if row is not None and isinstance(row.value, dict) else None
    return int(value) if value is not None else None


def _store_version(ws: Workspace, dataset_id: int) -> None:
    with ws.session() as s:
        row = s.get(Setting, SETTING) or Setting(key=SETTING, value={})
        row.value = {**(row.value if isinstance(row.value, dict) else {}), str(dataset_id): SCORER_VERSION}
        s.add(row)


def stale_scores(ws: Workspace, dataset_id: int) -> dict:
    """``{reason, pairs}``: why the stored scores of *dataset_id* are out of date and how many
    pairs need scoring; ``reason`` is ``"scorer changed"`` (all pairs), ``"not scored"`` (pairs
    without a score — edited, imported or generated since — in a dataset that was scored) or
    None (up to date, or never scored: scoring a dataset the first time is the user's call)."""
    version = scorer_version(ws, dataset_id)
    with ws.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        total, unscored = raw.execute(
            "SELECT COUNT(*), COALESCE(SUM(quality IS NULL), 0) FROM pairs WHERE dataset_id = ?", (dataset_id,)).fetchone()
    scored = total - unscored
    if scored and version != SCORER_VERSION:
        return {"reason": "scorer changed", "pairs": total}
    if unscored and (version is not None or scored):
        return {"reason": "not scored", "pairs": unscored}
    return {"reason": None, "pairs": 0}


def refresh_stale_scores(ws: Workspace, dataset_id: int, state: TaskState | None = None) -> dict:
    """Re-score what ``stale_scores`` finds out of date; returns ``rescore_dataset``'s summary
    plus ``reason`` (``scored`` 0 and reason None when nothing was stale)."""
    stale = stale_scores(ws, dataset_id)
    if stale["reason"] is None:
        return {"scored": 0, "mean": None, "low": 0, "reason": None}
    summary = rescore_dataset(ws, dataset_id, state, only_unscored=stale["reason"] == "not scored")
    return {**summary, "reason": stale["reason"]}


def ensure_scores(ws: Workspace, dataset_id: int, state: TaskState | None = None) -> dict:
    """Give every pair of *dataset_id* a current score before a quality filter reads the scores
    (``export --min-quality``; unscored pairs would be left out, stale ones judged by an old
    scorer): what ``stale_scores`` finds out of date, and a dataset never scored at all is
    scored whole (``stale_scores`` leaves that to the user in the Pairs pane, but a filter on
    quality asks for it). Returns ``rescore_dataset``'s summary plus ``reason``: ``"scorer
    changed"``, ``"not scored"``, ``"never scored"`` or None (``scored`` 0: nothing to do).
    Progress and cancelling as ``rescore_dataset``."""
    stale = stale_scores(ws, dataset_id)
    if stale["reason"] is not None:
        return refresh_stale_scores(ws, dataset_id, state)
    with ws.engine.connect() as conn:
        unscored = conn.connection.dbapi_connection.execute(
            "SELECT COUNT(*) FROM pairs WHERE dataset_id = ? AND quality IS NULL", (dataset_id,)).fetchone()[0]
    if not unscored:
        return {"scored": 0, "mean": None, "low": 0, "reason": None}
    return {**rescore_dataset(ws, dataset_id, state), "reason": "never scored"}


def rescore_dataset(ws: Workspace, dataset_id: int, state: TaskState | None = None,
                    only_unscored: bool = False) -> dict:
    """Score every pair of *dataset_id* (only those without a score if *only_unscored*; their
    neighbours for diversity are still all the dataset's questions); returns ``{scored, mean,
    low}`` (low = score < 0.5) and stores the scorer version after a whole-dataset run.

    Progress: pairs done / total. Raises ``core.progress.Cancelled`` when cancelled (the batches
    committed so far keep their new scores).
    """
    state = state or TaskState()
    with ws.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        rows = raw.execute("SELECT id, user, quality IS NULL FROM pairs WHERE dataset_id = ? ORDER BY id",
                           (dataset_id,)).fetchall()
    total = len(rows)
    state.progress(0, total, "indexing questions")
    ids = [r[0] for r in rows]
    users = {r[0]: r[1] or "" for r in rows}
    todo = [r[0] for r in rows if r[2]] if only_unscored else ids
    from rensa import RMinHashLSH  # loaded on first use (start-up time)

    lsh = RMinHashLSH(LSH_THRESHOLD, NUM_PERM, lsh_bands(LSH_THRESHOLD, NUM_PERM))
    hashes: dict[int, object] = {}
    for start in range(0, total, BATCH):
        state.check()
        chunk = ids[start:start + BATCH]
        for pid, mh in zip(chunk, _minhashes([users[i] for i in chunk])):
            hashes[pid] = mh
        for pid in chunk:
            lsh.insert(pid, hashes[pid])
        state.progress(start + len(chunk), total * 2, "indexing questions")

    scored = low = 0
    score_sum = 0.0
    for start in range(0, len(todo), BATCH):
        state.check()
        chunk = todo[start:start + BATCH]
        with ws.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            recs = raw.execute(
                "SELECT p.id, p.user, p.assistant, c.text, p.source FROM pairs p LEFT JOIN chunks c ON c.id = p.chunk_id "
                "WHERE p.id IN (SELECT value FROM json_each(?))", (json.dumps(chunk),)).fetchall()
        updates = []
        for pid, user, assistant, chunk_text, source in recs:
            near = sorted(n for n in lsh.query(hashes[pid]) if n != pid)[:MAX_NEIGHBOURS]
            score, signals = score_pair(user or "", assistant or "", chunk_text, [users[n] for n in near], source)
            updates.append((score, json.dumps(signals, ensure_ascii=False), pid, user, assistant))
            scored += 1
            score_sum += score
            low += score < 0.5
        with ws.engine.begin() as conn:
            conn.connection.dbapi_connection.executemany(
                "UPDATE pairs SET quality = ?, quality_signals = ? WHERE id = ? AND user IS ? AND assistant IS ?",
                updates)
        state.progress(total + (start + len(chunk)) * total // max(len(todo), 1), total * 2,
                       f"{scored} of {len(todo)} pairs scored")
    if not only_unscored:
        _store_version(ws, dataset_id)
    return {"scored": scored, "mean": round(score_sum / scored, 4) if scored else None, "low": low}
