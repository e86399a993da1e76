"""Export a dataset to any training format, optionally split and with a provenance sidecar.

Pairs are read in id order, page by page (``PAGE_ROWS``), converted to canonical examples
(``core.formats.canonical.example_from_row``) and written by ``core.formats.writers`` through
``AtomicJsonlWriter``: UTF-8, one object per line, temp file + fsync + rename, so a failed or
cancelled export leaves any earlier file untouched. A pair the format cannot hold (tool calls in
Alpaca, no preferences in ``openai-dpo``…) is skipped and listed with its reason.

Train/validation split: pairs are grouped by source document (pairs without a document are
groups of one); the groups are shuffled with ``random.Random(seed)`` and taken into the
validation file until it holds ``round((1 - split) × n)`` pairs, so no document leaks across the
two files and the same seed gives the same split.
"""

from __future__ import annotations

import logging
import random
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from fineflow_desktop.core.formats.canonical import example_from_row
from fineflow_desktop.core.formats.writers import EXPORT_FORMATS, WRITERS, Unrepresentable
from fineflow_desktop.core.jsonl_io import AtomicJsonlWriter
from fineflow_desktop.core.markup import strip_inline_markup, unwrap_lines
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.pairs import ensure_scores
from fineflow_desktop.store.models import Dataset, Document, Pair
from fineflow_desktop.store.workspace import Workspace

log = logging.getLogger(__name__)

PAGE_ROWS = 1000
# Pairs whose text was copied from the documents' source (hard wraps, reST/Markdown markup).
# Imported and model-written pairs keep their text exactly: their Markdown is meant.
TIDY_SOURCES = ("extractive",)
MAX_REPORTED_SKIPS = 10_000


class ExportError(ValueError):
    """The export cannot run as asked (unknown dataset/format, no preferences, bad split)."""


class EmptyExport(ExportError):
    """No pair would be written (empty dataset, filters leave none, or the format can hold none):
    nothing is written and the message says which."""


def tidy_example(example: dict, unwrap: bool = True, strip_markup: bool = True) -> dict:
    """Apply the export's text options to every text content of *example* in place (messages,
    preferred / non-preferred outputs): ``core.markup.strip_inline_markup`` (reST roles,
    ``**bold**``, double backticks) and ``core.markup.unwrap_lines`` (hard-wrapped prose lines
    joined). Code blocks, tool calls and non-text parts are untouched. Returns *example*."""
    if not (unwrap or strip_markup):
        return example

    def fix(text: str) -> str:  # unwrap first: bold and roles may span a line break
        if unwrap:
            text = unwrap_lines(text)
        return strip_inline_markup(text) if strip_markup else text

    for key in ("messages", "preferred", "non_preferred"):
        for msg in example.get(key) or []:
            content = msg.get("content")
            if isinstance(content, str):
                msg["content"] = fix(content)
            elif isinstance(content, list):
                for part in content:
                    if isinstance(part, dict) and isinstance(part.get("text"), str):
                        part["text"] = fix(part["text"])
    return example


def _filters(dataset_id: int, validated_only: bool, min_quality: float | None) -> list:
    conds = [Pair.dataset_id == dataset_id, Pair.rejected.is_(False)]  # rejected pairs never leave
    if validated_only:
        conds.append(Pair.validated.is_(True))
    if min_quality is not None:
        conds.append(Pair.quality >= min_quality)  # unscored pairs (NULL) are left out
    return conds


def has_preferences(ws: Workspace, dataset_id: int) -> bool:
    """True when at least one pair of the dataset holds preference data (``openai-dpo`` export)."""
    with ws.session() as s:
        return s.scalar(select(Pair.id).where(
            Pair.dataset_id == dataset_id,
            func.json_extract(Pair.meta, "$.non_preferred_output").is_not(None)).limit(1)) is not None


def split_paths(out_path: Path) -> tuple[Path, Path]:
    """``data.jsonl`` → (``data.train.jsonl``, ``data.validation.jsonl``)."""
    suffix = out_path.suffix or ".jsonl"
    stem = out_path.name[: -len(out_path.suffix)] if out_path.suffix else out_path.name
    return out_path.with_name(f"{stem}.train{suffix}"), out_path.with_name(f"{stem}.validation{suffix}")


def sidecar_path(out_path: Path) -> Path:
    """``data.jsonl`` → ``data.provenance.jsonl``."""
    stem = out_path.name[: -len(out_path.suffix)] if out_path.suffix else out_path.name
    return out_path.with_name(f"{stem}.provenance.jsonl")


def _validation_members(ws: Workspace, conds: list, split: float, seed: int) -> tuple[set[int], set[int]]:
    """(document ids, ungrouped pair ids) that go to the validation file."""
    with ws.session() as s:
        doc_sizes = dict(s.execute(select(Pair.document_id, func.count()).where(*conds, Pair.document_id.is_not(None))
                                   .group_by(Pair.document_id)).all())
        loose = list(s.scalars(select(Pair.id).where(*conds, Pair.document_id.is_(None)).order_by(Pair.id)))
    groups: list[tuple[str, int, int]] = [("d", doc, n) for doc, n in sorted(doc_sizes.items())]
    groups += [("p", pid, 1) for pid in loose]
    total = sum(n for _k, _i, n in groups)
    target = round(total * (1 - split))
    if split < 1 and total >= 2:
        target = max(target, 1)
    random.Random(seed).shuffle(groups)
    val_docs, val_pairs, taken = set(), set(), 0
    for kind, ident, n in groups:
        if taken >= target:
            break
        if taken + n >= total:  # never leave the training file empty
            continue
        (val_docs if kind == "d" else val_pairs).add(ident)
        taken += n
    return val_docs, val_pairs


def export_dataset(ws: Workspace, dataset_id: int, out_path: str | Path, fmt: str, validated_only: bool = False,
                   min_quality: float | None = None, include_system: bool = True, split: float | None = None,
                   seed: int = 0, provenance_sidecar: bool = False, state: TaskState | None = None,
                   unwrap: bool = True, strip_markup: bool = True) -> dict:
    """Write the dataset's pairs to *out_path* in *fmt* (``writers.EXPORT_FORMATS``).

    Rejected pairs are never written. Options: only validated pairs; only pairs with ``quality >= min_quality``; drop system
    messages (``include_system=False``; when kept, the dataset's system prompt is added to pairs
    that have none); *split* = train fraction in (0, 1) → two files (``split_paths``) split by
    source document with *seed*; *provenance_sidecar* → ``sidecar_path`` JSONL with one line per
    written example ``{file, line, pair_id, document_id, document, chunk_id, template_version_id,
    run_id, model, source}``. Text options, on by default for prose taken from documents (pairs of
    a source in ``TIDY_SOURCES``; ``tidy_example``; code blocks untouched): *unwrap* joins
    hard-wrapped lines, *strip_markup* removes source markup.

    With *min_quality*, stale and unscored pairs are scored first (``services.pairs.ensure_scores``,
    progress through *state*), so the filter reads current scores.

    Returns ``{format, dataset_id, files: {train[, validation]}, written, counts: {train[,
    validation]}, skipped: [{pair_id, reason}], skipped_count, provenance, scored_first}``
    (``scored_first``: ``ensure_scores``' summary ``{scored, mean, low, reason}``, or None
    without *min_quality*).
    Raises ``ExportError`` for an unknown dataset or format, a split outside (0, 1), or
    ``openai-dpo`` on a dataset without preferences; ``EmptyExport`` when no pair would be
    written (then no file is written); ``Cancelled`` via *state*.
    """
    state = state or TaskState()
    started = time.perf_counter()
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if split is not None and not 0 < split < 1:
        raise ExportError(f"split must be the training fraction between 0 and 1 (e.g. 0.9), got {split}")
    out_path = Path(out_path)
    with ws.session() as s:
        ds = s.get(Dataset, dataset_id)
        if ds is None:
            raise ExportError(f"no dataset with id {dataset_id}")
        system_prompt = ds.system_prompt or ""
    if fmt == "openai-dpo" and not has_preferences(ws, dataset_id):
        raise ExportError("this dataset has no preference pairs (preferred / non-preferred output); "
                          "openai-dpo needs them — import a DPO file or choose another format")
    writer = WRITERS[fmt]
    # a quality filter reads stored scores: score stale and unscored pairs first (with progress),
    # or an edited pair (its score cleared) or a new one would be left out without a word
    scoring = ensure_scores(ws, dataset_id, state) if min_quality is not None else None
    conds = _filters(dataset_id, validated_only, min_quality)
    with ws.session() as s:
        total = s.scalar(select(func.count()).select_from(Pair).where(*conds)) or 0
        if total == 0:
            n_all = s.scalar(select(func.count()).select_from(Pair).where(Pair.dataset_id == dataset_id)) or 0
    if total == 0:
        why = (f"dataset {ds.name!r} has no pairs" if n_all == 0 else
               f"none of the {n_all} pairs of dataset {ds.name!r} passes the filters"
               f"{' (validated only)' if validated_only else ''}"
               f"{f' (quality >= {min_quality}, after scoring stale and unscored pairs)' if min_quality is not None else ''}")
        raise EmptyExport(f"nothing to export: {why}; no file was written")
    val_docs: set[int] = set()
    val_pairs: set[int] = set()
    files = {"train": out_path}
    if split is not None:
        val_docs, val_pairs = _validation_members(ws, conds, split, seed)
        files = dict(zip(("train", "validation"), split_paths(out_path)))
    counts = {name: 0 for name in files}
    skipped: list[dict[str, Any]] = []
    skipped_count = 0
    doc_names: dict[int, str] = {}
    sidecar = sidecar_path(out_path) if provenance_sidecar else None
    cols = (Pair.id, Pair.system, Pair.user, Pair.assistant, Pair.messages, Pair.meta, Pair.document_id,
            Pair.chunk_id, Pair.template_version_id, Pair.run_id, Pair.source)
    done = 0
    with ExitStack() as stack:
        writers = {name: stack.enter_context(AtomicJsonlWriter(p)) for name, p in files.items()}
        side = stack.enter_context(AtomicJsonlWriter(sidecar)) if sidecar else None
        last_id = 0
        while True:
            state.check()
            with ws.session() as s:
                page = s.execute(select(*cols).where(*conds, Pair.id > last_id).order_by(Pair.id).limit(PAGE_ROWS)).all()
                missing = {r.document_id for r in page if r.document_id and r.document_id not in doc_names}
                if side is not None and missing:
                    doc_names.update(s.execute(select(Document.id, Document.name).where(Document.id.in_(missing))).all())
            if not page:
                break
            last_id = page[-1].id
            for r in page:
                done += 1
                example = example_from_row(r.system, r.user, r.assistant, r.messages, r.meta)
                if r.source in TIDY_SOURCES:
                    tidy_example(example, unwrap, strip_markup)
                if include_system and system_prompt and not any(
                        m.get("role") in ("system", "developer") for m in example["messages"]):
                    example["messages"].insert(0, {"role": "system", "content": system_prompt})
                try:
                    record = writer(example, include_system=include_system)
                except Unrepresentable as exc:
                    skipped_count += 1
                    if len(skipped) < MAX_REPORTED_SKIPS:
                        skipped.append({"pair_id": r.id, "reason": str(exc)})
                    continue
                part = "validation" if split is not None and (
                    r.document_id in val_docs if r.document_id is not None else r.id in val_pairs) else "train"
                writers[part].write(record)
                counts[part] += 1
                if side is not None:
                    meta = r.meta or {}
                    side.write({"file": files[part].name, "line": counts[part], "pair_id": r.id,
                                "document_id": r.document_id, "document": doc_names.get(r.document_id),
                                "chunk_id": r.chunk_id, "template_version_id": r.template_version_id,
                                "run_id": r.run_id, "model": meta.get("model"), "source": r.source})
            state.progress(done, total, f"exported {sum(counts.values()):,} of {total:,}")
        if not sum(counts.values()):  # raising inside the writers discards their temp files
            raise EmptyExport(f"nothing to export: none of the {total} pairs can be written as {fmt} "
                              f"({skipped[0]['reason'] if skipped else 'all skipped'}); no file was written")
    log.info("export finished", extra={"workspace": str(ws.path), "dataset_id": dataset_id, "format": fmt,
                                       "written": sum(counts.values()), "skipped": skipped_count,
                                       "duration_ms": round((time.perf_counter() - started) * 1000)})
    return {
        "format": fmt,
        "dataset_id": dataset_id,
        "files": {k: str(v) for k, v in files.items()},
        "written": sum(counts.values()),
        "counts": counts,
        "skipped": skipped,
        "skipped_count": skipped_count,
        "provenance": str(sidecar) if sidecar else None,
        "scored_first": scoring,
    }
