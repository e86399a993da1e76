"""Dataset use cases: create/list, offline extractive generation, validation, stats.

Qt-free; the GUI runs these through workers, the CLI calls them directly.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from sqlalchemy import func, select

from fineflow_desktop.core import model_limits
from fineflow_desktop.core.chunking import split_combined
from fineflow_desktop.core.examples import content_hash, pair_messages
from fineflow_desktop.core.extractive import SectionInput, by_document, explain_nothing, extract_pairs, furniture_of
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.core.tokens import chat_tokens
from fineflow_desktop.core.validation import Example, ValidationReport, validate_examples
from fineflow_desktop.services.token_limits import token_limits
from fineflow_desktop.store.models import Chunk, Dataset, Document, Pair
from fineflow_desktop.store.workspace import Workspace

INSERT_BATCH = 500  # pairs per transaction: a crash loses at most one batch


class DatasetNotFound(LookupError):
    """No dataset with that name or id."""


class NothingExtracted(ValueError):
    """The extractive generator found no pair; ``str()`` says why and what to try instead.
    ``stats`` holds the counts behind the message (``core.extractive.extract_pairs``)."""

    def __init__(self, message: str, stats: dict):
        super().__init__(message)
        self.stats = stats


def list_datasets(ws: Workspace) -> list[dict]:
    """All datasets: ``[{id, name, description, target_model, system_prompt, n_pairs, created_at}]``."""
    with ws.session() as s:
        counts = dict(s.execute(select(Pair.dataset_id, func.count()).group_by(Pair.dataset_id)).all())
        return [
            {"id": d.id, "name": d.name, "description": d.description, "target_model": d.target_model,
             "system_prompt": d.system_prompt, "n_pairs": counts.get(d.id, 0), "created_at": d.created_at}
            for d in s.scalars(select(Dataset).order_by(Dataset.name))
        ]


def get_or_create_dataset(ws: Workspace, name: str, system_prompt: str = "", target_model: str | None = None) -> int:
    """Id of the dataset *name*, created if missing."""
    name = name.strip()
    if not name:
        raise ValueError("dataset name is empty")
    with ws.session() as s:
        ds = s.scalar(select(Dataset).where(Dataset.name == name))
        if ds is None:
            ds = Dataset(name=name, system_prompt=system_prompt,
                         target_model=target_model or model_limits.DEFAULT_MODEL, description="")
            s.add(ds)
            s.flush()
        return ds.id


def dataset_id(ws: Workspace, name_or_id: str | int) -> int:
    """Resolve a dataset name (or numeric id) to its id; raises ``DatasetNotFound``."""
    with ws.session() as s:
        ds = s.get(Dataset, name_or_id) if isinstance(name_or_id, int) else \
            s.scalar(select(Dataset).where(Dataset.name == name_or_id))
        if ds is None:
            names = ", ".join(s.scalars(select(Dataset.name))) or "none yet"
            raise DatasetNotFound(f"no dataset {name_or_id!r} (datasets: {names})")
        return ds.id


def _sections(ws: Workspace, include_duplicates: bool, include_flagged: bool, min_quality: float | None,
              document_ids: list[int] | None):
    """Chunks of ready documents grouped into sections (same document + heading path, in order); a
    chunk that combines small sections (``core.chunking.split_combined``) gives each of them back."""
    q = (select(Chunk.id, Chunk.document_id, Chunk.heading_path, Chunk.text, Document.name, Document.meta,
                Chunk.meta)
         .join(Document, Document.id == Chunk.document_id)
         .where(Document.status == "ready")
         .order_by(Chunk.document_id, Chunk.ordinal))
    if not include_duplicates:
        q = q.where(Chunk.is_duplicate.is_(False))
    if not include_flagged:
        q = q.where(Chunk.is_flagged.is_(False))
    if min_quality is not None:
        q = q.where((Chunk.quality.is_(None)) | (Chunk.quality >= min_quality))
    if document_ids:
        q = q.where(Chunk.document_id.in_(document_ids))
    sections: list[SectionInput] = []
    with ws.session() as s:
        for chunk_id, doc_id, heading_path, chunk_text, doc_name, doc_meta, chunk_meta in s.execute(q):
            for path, text in split_combined(list(heading_path or []), chunk_text,
                                             chunk_meta if isinstance(chunk_meta, dict) else None):
                last = sections[-1] if sections else None
                if last and last.document_id == doc_id and last.heading_path == path:
                    last.chunks.append((chunk_id, text))
                else:
                    title = (doc_meta or {}).get("title") or "" if isinstance(doc_meta, dict) else ""
                    sections.append(SectionInput(doc_id, doc_name, path, [(chunk_id, text)], str(title or "")))
    return sections


def generate_extractive(ws: Workspace, dataset_name: str, mode: str = "qa", system_prompt: str = "",
                        state: TaskState | None = None, include_duplicates: bool = False,
                        include_flagged: bool = False, min_quality: float | None = None,
                        document_ids: list[int] | None = None) -> dict:
    """Extract pairs from the workspace's ready documents into dataset *dataset_name*.

    Duplicate and injection-flagged chunks are excluded unless asked for. Pairs already in the
    dataset (same content hash) are not added again, so re-running is safe. Commits every
    ``INSERT_BATCH`` pairs; cancelling keeps what was committed. A new dataset is created only
    when there is a pair to put in it.
    Returns ``{dataset_id, dataset, sections, pairs_added, pairs_skipped_existing, mode, rules}``
    (``rules``: pairs per extraction rule). Raises ``NothingExtracted`` (saying why, and what to
    try instead) when no pair was found at all.
    """
    state = state or TaskState()
    sections = _sections(ws, include_duplicates, include_flagged, min_quality, document_ids)
    ds_id: int | None = None
    existing: set[str] = set()
    added = skipped = 0
    batch: list[dict] = []

    def dataset() -> int:
        nonlocal ds_id, existing
        if ds_id is None:
            ds_id = get_or_create_dataset(ws, dataset_name, system_prompt)
            with ws.session() as s:
                existing = set(s.scalars(select(Pair.content_hash).where(Pair.dataset_id == ds_id)))
        return ds_id

    def flush():
        nonlocal batch
        if batch:
            with ws.session() as s:
                s.execute(Pair.__table__.insert(), batch)
            batch = []

    total = len(sections)
    seen_users: set[str] = set()
    stats: dict = {}
    done = 0
    # extract per document (reference pages need the whole document) so progress and
    # cancellation stay fine-grained
    groups = list(by_document(sections))
    furniture = furniture_of(groups)  # a site banner repeated on every page is no answer
    for group in groups:
        state.check()
        state.progress(done, total, f"{added} pairs from {done} of {total} sections")
        for draft in extract_pairs(group, mode=mode, system_prompt=system_prompt, seen=seen_users, stats=stats,
                                   furniture=furniture):
            messages = pair_messages(system_prompt, draft.user, draft.assistant)
            digest = content_hash(messages)
            dataset()
            if digest in existing:
                skipped += 1
                continue
            existing.add(digest)
            now = _now()
            batch.append({
                "dataset_id": ds_id, "system": system_prompt, "user": draft.user, "assistant": draft.assistant,
                "messages": None, "n_tokens": chat_tokens(messages), "source": "extractive",
                "document_id": draft.document_id, "chunk_id": draft.chunk_id, "meta": draft.meta,
                "validated": False, "quality_signals": {}, "tags": [], "content_hash": digest,
                "created_at": now, "updated_at": now,
            })
            added += 1
            if len(batch) >= INSERT_BATCH:
                flush()
        done += len(group)
    flush()
    if ds_id is None:
        raise NothingExtracted(explain_nothing(stats, mode), stats)
    state.progress(total, total, f"{added} pairs added")
    return {"dataset_id": ds_id, "dataset": dataset_name, "sections": total, "pairs_added": added,
            "pairs_skipped_existing": skipped, "mode": mode, "rules": stats.get("pairs_by_rule", {})}


def _now():
    from fineflow_desktop.store.models import utcnow

    return utcnow()


def dataset_examples(ws: Workspace, ds_id: int, validated_only: bool = False):
    """Yield ``Example`` records (OpenAI chat dicts with pair ids) of a dataset, streaming.
    Rejected pairs are left out (they are not part of what gets exported)."""
    q = select(Pair.id, Pair.system, Pair.user, Pair.assistant, Pair.messages).where(
        Pair.dataset_id == ds_id, Pair.rejected.is_(False))
    if validated_only:
        q = q.where(Pair.validated.is_(True))
    with ws.engine.connect() as conn:
        for pid, system, user, assistant, messages in conn.execute(q.order_by(Pair.id)).yield_per(2000):
            yield Example({"messages": pair_messages(system, user, assistant, messages)}, pair_id=pid)


def validate_dataset(ws: Workspace, ds_id: int, model: str | None = None) -> ValidationReport:
    """Validate every pair of dataset *ds_id* for *model* (default: the dataset's target model)."""
    with ws.session() as s:
        ds = s.get(Dataset, ds_id)
        if ds is None:
            raise DatasetNotFound(f"no dataset with id {ds_id}")
        model = model or ds.target_model
    return validate_examples(dataset_examples(ws, ds_id), model=model, token_limits=token_limits(ws))


def read_jsonl_examples(path: Path):
    """Yield ``(Example, None)`` per line of a JSONL file or ``(None, Issue)`` for a line that is
    not valid JSON (named by line number). Blank lines are skipped."""
    from fineflow_desktop.core.validation import Issue

    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield Example(orjson.loads(raw), line=line_no), None
            except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
                yield None, Issue("error", "invalid_json", f"{path}:{line_no}: not valid JSON ({exc})", line=line_no)


def validate_file(path: Path, model: str = model_limits.DEFAULT_MODEL) -> ValidationReport:
    """Validate a dataset file without a workspace.

    An OpenAI chat JSONL file (or one whose format cannot be told) is checked record by record as
    written, JSON errors reported per line. A file in another format that ``fineflow import``
    reads (Alpaca, ShareGPT, Anthropic, Bedrock, Hugging Face chat, DPO, CSV, …, detected by
    ``core.formats``) is read with that format's reader into chat messages first, so an export in
    any of FineFlow's formats validates; a record the reader rejects is an ``unreadable_record``
    error naming its line and the field. ``report.stats["format"]`` is the format used.
    Raises ``OSError`` if the file cannot be read.
    """
    from fineflow_desktop.core.formats.source import FormatError, Skip, inspect_source, iter_examples
    from fineflow_desktop.core.jsonl_io import FileFormatError
    from fineflow_desktop.core.validation import Issue

    parse_errors = []
    try:
        source = inspect_source(path)
    except (FormatError, FileFormatError, UnicodeDecodeError):
        source = None  # nothing recognisable: the chat checks say what is missing, line by line

    def chat_records():
        for ex, issue in read_jsonl_examples(path):
            if issue:
                parse_errors.append(issue)
            else:
                yield ex

    def converted():
        for line, item in iter_examples(source, max_count=0):
            if isinstance(item, Skip):
                parse_errors.append(Issue("error", "unreadable_record", f"{path}:{line}: {item.reason}", line=line))
                continue
            record = {"messages": item["messages"]}
            if item.get("tools"):
                record["tools"] = item["tools"]
            yield Example(record, line=line)

    as_written = source is None or (source.format == "openai" and source.container == "jsonl")
    report = validate_examples(chat_records() if as_written else converted(), model=model)
    report.errors = parse_errors + report.errors
    report.stats["errors"] = len(report.errors)
    report.stats["format"] = "openai" if source is None else source.format
    return report


def workspace_stats(ws: Workspace) -> dict:
    """Counts: documents (ready/error), chunks, duplicate and flagged chunks, datasets, pairs."""
    with ws.session() as s:
        def count(q):
            return s.scalar(q) or 0

        return {
            "workspace": str(ws.path),
            "documents": count(select(func.count()).select_from(Document)),
            "documents_error": count(select(func.count()).select_from(Document).where(Document.status == "error")),
            "chunks": count(select(func.count()).select_from(Chunk)),
            "duplicate_chunks": count(select(func.count()).select_from(Chunk).where(Chunk.is_duplicate.is_(True))),
            "flagged_chunks": count(select(func.count()).select_from(Chunk).where(Chunk.is_flagged.is_(True))),
            "tokens": count(select(func.sum(Chunk.n_tokens))),
            "datasets": count(select(func.count()).select_from(Dataset)),
            "pairs": count(select(func.count()).select_from(Pair)),
        }


def export_dataset(ws: Workspace, ds_id: int, out_path: Path, fmt: str = "openai", **options) -> dict:
    """Export a dataset (see ``services.export.export_dataset`` for formats and options)."""
    from fineflow_desktop.services.export import export_dataset as _export

    return _export(ws, ds_id, Path(out_path), fmt, **options)
