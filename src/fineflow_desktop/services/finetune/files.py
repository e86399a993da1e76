"""Write the training/validation files of a launch from a ``SplitPlan`` (atomic JSONL).

Pairs become canonical examples (``core.formats.canonical.example_from_row``) and records of the
provider's format (``core.formats.writers``), the dataset's system prompt added to pairs
without one — as ``services.export`` does; here the two sides are explicit pair-id lists so a
split edited in the wizard (leaking pairs moved) is written exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from sqlalchemy import select

from fineflow_desktop.core.formats.canonical import example_from_row
from fineflow_desktop.core.formats.writers import WRITERS, Unrepresentable
from fineflow_desktop.core.jsonl_io import AtomicJsonlWriter
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.store.models import Dataset, Pair
from fineflow_desktop.services.finetune.types import SplitPlan

PAGE = 900  # ids per IN (...) query


def write_split(ws, plan: SplitPlan, fmt: str | Callable[..., dict], folder: Path, state: TaskState | None = None) -> dict:
    """Write ``train.jsonl`` (and ``validation.jsonl`` when the plan has a validation side) into
    *folder* in export format *fmt* (a ``core.formats.writers`` name, or a writer
    ``(example, include_system=True) -> dict`` raising ``Unrepresentable``). Returns ``{"train": path, "validation": path|None,
    "counts": {"train", "validation"}, "skipped": [{pair_id, reason}]}``."""
    state = state or TaskState()
    writer = WRITERS[fmt] if isinstance(fmt, str) else fmt
    with ws.session() as s:
        system_prompt = (s.get(Dataset, plan.dataset_id).system_prompt or "") if s.get(Dataset, plan.dataset_id) else ""
    folder = Path(folder)
    sides = [("train", plan.train_pair_ids)]
    if plan.validation_pair_ids:
        sides.append(("validation", plan.validation_pair_ids))
    paths: dict[str, Path | None] = {"train": folder / "train.jsonl", "validation": None}
    counts = {"train": 0, "validation": 0}
    skipped: list[dict] = []
    total = len(plan.train_pair_ids) + len(plan.validation_pair_ids)
    done = 0
    cols = (Pair.id, Pair.system, Pair.user, Pair.assistant, Pair.messages, Pair.meta)
    for side, ids in sides:
        paths[side] = folder / f"{side}.jsonl"
        with AtomicJsonlWriter(paths[side]) as out:
            for i in range(0, len(ids), PAGE):
                state.check()
                chunk = ids[i:i + PAGE]
                with ws.session() as s:
                    rows = s.execute(select(*cols).where(Pair.id.in_(chunk)).order_by(Pair.id)).all()
                for r in rows:
                    example = example_from_row(r.system, r.user, r.assistant, r.messages, r.meta)
                    if system_prompt and not any(m.get("role") in ("system", "developer") for m in example["messages"]):
                        example["messages"].insert(0, {"role": "system", "content": system_prompt})
                    try:
                        out.write(writer(example, include_system=True))
                        counts[side] += 1
                    except Unrepresentable as exc:
                        skipped.append({"pair_id": r.id, "reason": str(exc)})
                done += len(chunk)
                state.progress(done, total, f"writing {side} file")
    return {"train": paths["train"], "validation": paths["validation"], "counts": counts, "skipped": skipped}
