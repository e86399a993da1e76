"""Wizard step 1: dataset summary, reproducible validation split, train/validation leakage check.

The split groups pairs by source document (pairs without a document are groups of one),
shuffles the groups with ``random.Random(seed)`` and takes groups into validation until it holds
``round(fraction × n)`` pairs, never emptying the training side — the exporter's rule
(``services.export``), so no document straddles the split and a seed always gives the same split.
Leakage: MinHash near-duplicates (``core.neardup.find_pairs``) of the user + assistant text
across the two sides.
"""

from __future__ import annotations

import random

from sqlalchemy import func, select

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services import datasets as ds_service
from fineflow_desktop.store.models import Dataset, Pair
from fineflow_desktop.services.finetune.types import DatasetSummary, LaunchRefused, LeakagePair, SplitPlan

MAX_LISTED_ERRORS = 200


def resolve_dataset(ws, dataset: int | str) -> tuple[int, str, str]:
    """(id, name, target model) of a dataset given by id, digits or name; ``LaunchRefused("input")`` if none."""
    ref: int | str = int(dataset) if isinstance(dataset, str) and dataset.isdigit() else dataset
    try:
        did = ds_service.dataset_id(ws, ref)
    except ds_service.DatasetNotFound as exc:
        if isinstance(ref, int):  # a dataset may be named "12": try the name too
            try:
                did = ds_service.dataset_id(ws, str(dataset))
            except ds_service.DatasetNotFound:
                raise LaunchRefused("input", f"dataset: {exc}") from None
        else:
            raise LaunchRefused("input", f"dataset: {exc}") from None
    with ws.session() as s:
        d = s.get(Dataset, did)
        return d.id, d.name, d.target_model


def issue_dicts(issues) -> list[dict]:
    """Validation issues as ``{code, message, line, pair_id, field}`` dicts (first ``MAX_LISTED_ERRORS``)."""
    return [{"code": i.code, "message": i.message, "line": i.line, "pair_id": i.pair_id, "field": i.field}
            for i in issues[:MAX_LISTED_ERRORS]]


def dataset_summary(ws, dataset: int | str, model: str | None = None, *, state: TaskState | None = None) -> DatasetSummary:
    """Pairs, tokens (total/min/mean/max) and validation errors of *dataset* for *model*
    (default: the dataset's target model). Raises ``LaunchRefused("input", …)`` for an unknown dataset."""
    did, name, target = resolve_dataset(ws, dataset)
    if state is not None:
        state.check()
    report = ds_service.validate_dataset(ws, did, model or target)
    st = report.stats
    dist = st.get("tokens_per_example", {})
    return DatasetSummary(dataset_id=did, name=name, pairs=st.get("examples", 0),
                          tokens={"total": st.get("tokens_total", 0), "min": dist.get("min", 0),
                                  "mean": dist.get("mean", 0.0), "max": dist.get("max", 0)},
                          error_count=len(report.errors), errors=issue_dicts(report.errors),
                          warning_count=len(report.warnings))


def split_dataset(ws, dataset: int | str, validation_fraction: float | None, seed: int = 0,
                  validated_only: bool = False) -> SplitPlan:
    """Split the dataset's pairs: pairs are grouped by source document (no document on both sides),
    groups shuffled with ``random.Random(seed)``, taken into validation until ``fraction`` of the
    pairs (the exporter's rule, ``services.export``). ``None``/0 → everything trains.
    Raises ``ValueError`` for a fraction outside [0, 1)."""
    frac = float(validation_fraction or 0.0)
    if not 0.0 <= frac < 1.0:
        raise ValueError(f"validation_split: {validation_fraction} must be a fraction between 0 and 1 (e.g. 0.1)")
    did, _name, _model = resolve_dataset(ws, dataset)
    conds = [Pair.dataset_id == did]
    if validated_only:
        conds.append(Pair.validated.is_(True))
    with ws.session() as s:
        rows = s.execute(select(Pair.id, Pair.document_id).where(*conds).order_by(Pair.id)).all()
    all_ids = [r.id for r in rows]
    if frac == 0.0 or len(all_ids) < 2:
        return SplitPlan(did, all_ids, [], frac, seed)
    groups: dict[tuple[str, int], list[int]] = {}
    for pid, doc in rows:
        groups.setdefault(("d", doc) if doc is not None else ("p", pid), []).append(pid)
    order = sorted(groups)
    random.Random(seed).shuffle(order)
    total = len(all_ids)
    target = max(1, round(total * frac))
    val: list[int] = []
    for key in order:
        if len(val) >= target:
            break
        members = groups[key]
        if len(val) + len(members) >= total:  # never leave the training file empty
            continue
        val.extend(members)
    vset = set(val)
    return SplitPlan(did, [i for i in all_ids if i not in vset], sorted(vset), frac, seed)


def _pair_texts(ws, ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    with ws.session() as s:
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for pid, user, assistant in s.execute(select(Pair.id, Pair.user, Pair.assistant).where(Pair.id.in_(chunk))):
                out[pid] = f"{user}\n{assistant}"
    return out


def find_leakage(ws, plan: SplitPlan, threshold: float = 0.8, *, state: TaskState | None = None) -> list[LeakagePair]:
    """Near-duplicate pairs across the split (MinHash, ``core.neardup.find_pairs`` on the user +
    assistant text), each with its similarity; empty when nothing leaks."""
    if not plan.validation_pair_ids:
        return []
    from fineflow_desktop.core import neardup  # rensa is loaded only when asked

    state = state or TaskState()
    ids = plan.train_pair_ids + plan.validation_pair_ids
    texts = _pair_texts(ws, ids)
    val = set(plan.validation_pair_ids)
    found = neardup.find_pairs(ids, [texts.get(i, "") for i in ids], threshold=threshold,
                               check=state.check, progress=state.progress)
    leaks = []
    for p in found:
        if (p.a in val) != (p.b in val):
            t, v = (p.b, p.a) if p.a in val else (p.a, p.b)
            leaks.append(LeakagePair(t, v, round(p.similarity, 4)))
    return sorted(leaks, key=lambda x: (-x.similarity, x.train_pair_id, x.validation_pair_id))


def move_pairs(plan: SplitPlan, leaks: list[LeakagePair], to: str = "train") -> SplitPlan:
    """A new plan with the leaking pairs moved to one side (``"train"`` or ``"validation"``)."""
    if to not in ("train", "validation"):
        raise ValueError(f"to: {to!r} must be 'train' or 'validation'")
    train, val = set(plan.train_pair_ids), set(plan.validation_pair_ids)
    for leak in leaks:
        if to == "train":
            val.discard(leak.validation_pair_id)
            train.add(leak.validation_pair_id)
        else:
            train.discard(leak.train_pair_id)
            val.add(leak.train_pair_id)
    return SplitPlan(plan.dataset_id, sorted(train), sorted(val), plan.fraction, plan.seed)


def count_pairs(ws, dataset_id: int) -> int:
    """Pairs in a dataset."""
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(Pair).where(Pair.dataset_id == dataset_id)) or 0
