"""Import files and folders into a workspace: parse → chunk → exact-dedup → store.

Crash safety: each file is ONE transaction (its document row, all its chunks and their
duplicate marking), so a kill at any moment leaves either the whole document or nothing, and
rerunning finishes the job: a file whose raw-bytes sha256 is already stored as ``ready`` is
skipped as unchanged, an ``error`` row for it is replaced by a retry, and a file at a known
path with new content replaces its old version. Parsing, chunking and the curation columns
(quality score, injection flags, language: ``services.curation_scores.curate_text``) are
computed before the write transaction opens, so the database is locked only for the inserts,
and a stored chunk always has its scores.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from collections import deque
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, or_, select, update

from fineflow_desktop.core.chunking import ChunkDraft, chunk_sections
from fineflow_desktop.core.dedup import norm_hash
from fineflow_desktop.core.ingest import ParseError, parse_file
from fineflow_desktop.core.ingest.base import parser_for
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.services.curation_scores import curate_text
from fineflow_desktop.services.documents import delete_documents_in
from fineflow_desktop.services.ingest.pool import start_pool, stop_pool
from fineflow_desktop.services.ingest.report import IngestReport
from fineflow_desktop.store.models import Chunk, Document

log = logging.getLogger(__name__)

_IN_BATCH = 500  # hashes per IN (...) query, far below SQLite's parameter limit
POOL_MIN_FILES = 16  # below this, starting worker processes (~1 s each) costs more than it saves


def collect_files(paths: list[Path]) -> tuple[list[Path], int, list[tuple[str, str]]]:
    """Expand *paths* (folders recursively, sorted, hidden entries skipped).

    Returns ``(supported_files, unsupported_count, missing)`` where *missing* lists
    ``(path, reason)`` for paths that do not exist.
    """
    files: list[Path] = []
    unsupported = 0
    missing: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            candidates = sorted(
                f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif p.is_file():
            candidates = [p]
        else:
            missing.append((str(p), "no such file or folder"))
            continue
        for f in candidates:
            key = f.resolve()
            if key in seen:
                continue
            seen.add(key)
            if parser_for(f) is None:
                unsupported += 1
            else:
                files.append(f)
    return files, unsupported, missing


def ingest_workers(n_files: int) -> int:
    """Worker processes for a batch of *n_files*: 0 (in this process) for small batches, else
    one per core up to 4. ``FINEFLOW_INGEST_WORKERS`` overrides it (0 = in-process)."""
    forced = os.environ.get("FINEFLOW_INGEST_WORKERS")
    if forced is not None:
        return max(0, int(forced))
    if n_files < POOL_MIN_FILES:
        return 0
    return max(0, min(4, os.cpu_count() or 1)) if (os.cpu_count() or 1) > 1 else 0


def ingest_paths(
    ws,
    paths: list[Path],
    state: TaskState | None = None,
    max_tokens: int = 512,
    overlap_tokens: int = 64,
    parser_options: dict[str, dict] | None = None,
) -> IngestReport:
    """Import files and folders into *ws*; see the module docstring for the guarantees.

    *parser_options* maps a file suffix to keyword arguments for its parser, e.g.
    ``{".xlsx": {"text_column": "answer"}}`` (the column the user picked).

    Progress is ``(files done, total files, "name — N chunks")``. ``state.check()`` runs
    between files; on cancel, files already done stay stored and ``Cancelled`` is raised with
    the partial report attached as ``exc.report``. Raises ``ValueError`` for bad chunk sizes.

    Parsing, chunking and scoring (pure CPU) run in worker processes for larger batches, a few
    files ahead; every database write stays in this thread, in file order, one transaction per
    file, so results are identical to a serial run.
    """
    state = state or TaskState()
    started = time.perf_counter()
    chunk_sections([], max_tokens, overlap_tokens)  # validates the sizes before any work
    report = IngestReport()
    files, report.unsupported_skipped, missing = collect_files([Path(p) for p in paths])
    report.errors.extend(missing)
    report.files_seen = len(files)
    total = len(files)
    state.progress(0, total, "")
    workers = ingest_workers(total)
    pool = start_pool(workers) if workers else None
    window: deque = deque()  # (path, source, size, digest, future or prepared), in file order
    done = 0

    def finish_oldest() -> None:
        nonlocal done
        path, source, size, digest, job = window.popleft()
        prepared = _result(job, path, max_tokens, overlap_tokens, (parser_options or {}).get(path.suffix.lower()))
        n = _store_prepared(ws, path, source, size, digest, prepared, report)
        done += 1
        state.progress(done, total, f"{path.name} — {n} chunks")

    try:
        for path in files:
            state.check()
            opts = (parser_options or {}).get(path.suffix.lower())
            staged = _stage(ws, path, report, opts)
            if staged is None:  # unreadable (error stored) or unchanged
                done += 1
                state.progress(done, total, path.name)
                continue
            source, data, digest = staged
            job = (pool.submit(_prepare, str(path), data, max_tokens, overlap_tokens, opts) if pool
                   else _prepare(str(path), data, max_tokens, overlap_tokens, opts))
            window.append((path, source, len(data), digest, job))
            while len(window) > (2 * workers if pool else 0):
                state.check()
                finish_oldest()
        while window:
            state.check()
            finish_oldest()
    except Cancelled as exc:
        report.cancelled = True
        exc.report = report
        raise
    finally:
        if pool is not None:
            # No worker outlives the ingest: all done, the idle workers exit (one still starting
            # up under load took > 3 s); cancelled or failed, the busy ones are terminated.
            stop_pool(pool, finished=sys.exc_info()[0] is None)
    log.info("ingest finished", extra={"workspace": str(ws.path), "duration_ms": round((time.perf_counter() - started) * 1000),
                                       **{k: v for k, v in report.to_dict().items() if k not in ("errors", "document_ids")},
                                       "errors": len(report.errors)})
    return report


def _result(job, path: Path, max_tokens: int, overlap_tokens: int, options: dict | None) -> "_Prepared":
    """The prepared file; a crashed worker process is retried in this process."""
    if not isinstance(job, Future):
        return job
    try:
        return job.result()
    except BrokenProcessPool:
        return _prepare(str(path), path.read_bytes(), max_tokens, overlap_tokens, options)


def _stage(ws, path: Path, report: IngestReport, options: dict | None = None) -> tuple[str, bytes, str] | None:
    """Read and hash one file; None when it is unreadable (error stored) or already stored.

    The hash covers the parser *options* too: the same workbook read with another text column
    is new content (it replaces the earlier version of that path), not "unchanged"."""
    source = str(path.resolve())
    try:
        data = path.read_bytes()
    except OSError as exc:
        _store_error(ws, path, source, None, 0, f"{path}: cannot read file: {exc.strerror or exc}", report)
        return None
    digest = hashlib.sha256(data).hexdigest()
    if options:
        digest = hashlib.sha256(f"{digest}:{json.dumps(options, sort_keys=True)}".encode()).hexdigest()
    with ws.session() as s:
        status = s.scalar(select(Document.status).where(Document.content_hash == digest))
    if status == "ready":
        report.unchanged_skipped += 1
        return None
    return source, data, digest


@dataclass
class _Prepared:
    """The CPU work for one file (picklable: it comes back from a worker process)."""

    error: str | None
    kind: str | None = None
    encoding: str | None = None
    meta: dict = field(default_factory=dict)
    drafts: list[ChunkDraft] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    curation: list[dict] = field(default_factory=list)


def _prepare(path_str: str, data: bytes, max_tokens: int, overlap_tokens: int, options: dict | None = None) -> _Prepared:
    """Parse, chunk, hash and score one file. Never raises: failures become ``error``."""
    path = Path(path_str)
    parsed = None
    try:
        parsed = parse_file(path, data, options)
        drafts = chunk_sections(parsed.sections, max_tokens, overlap_tokens)
        if not drafts:
            return _Prepared(f"{path}: no text found in the file", parsed.kind)
        meta = {"title": parsed.title, "sections": len(parsed.sections), **parsed.meta}
        return _Prepared(None, parsed.kind, parsed.encoding, meta, drafts,
                         [norm_hash(d.text) for d in drafts], _curation_fields(drafts))
    except ParseError as exc:
        return _Prepared(str(exc), parsed.kind if parsed else None)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the batch
        return _Prepared(f"{path}: cannot parse ({type(exc).__name__}: {exc})", parsed.kind if parsed else None)


def _store_prepared(ws, path: Path, source: str, size: int, digest: str, prep: _Prepared, report: IngestReport) -> int:
    """Store one prepared file in one transaction; returns the number of chunks stored."""
    if prep.error:
        _store_error(ws, path, source, digest, size, prep.error, report, prep.kind)
        return 0
    drafts = prep.drafts
    with ws.session() as s:
        if _replace_previous(s, source, digest, report):
            return 0
        doc = Document(
            source_path=source,
            name=path.name,
            kind=prep.kind,
            size_bytes=size,
            content_hash=digest,
            encoding=prep.encoding,
            status="ready",
            n_chunks=len(drafts),
            n_tokens=sum(d.n_tokens for d in drafts),
            meta=prep.meta,
        )
        s.add(doc)
        s.flush()
        dups, flagged = _insert_chunks(s, doc.id, drafts, prep.hashes, prep.curation)
        doc_id = doc.id
    report.imported += 1
    report.document_ids.append(doc_id)
    report.chunks += len(drafts)
    report.tokens += sum(d.n_tokens for d in drafts)
    report.duplicate_chunks += dups
    report.flagged_chunks += flagged
    return len(drafts)


def _replace_previous(s, source: str, digest: str, report: IngestReport) -> bool:
    """Drop error rows and older versions of this file; True if it is already stored ready."""
    rows = s.execute(
        select(Document.id, Document.status, Document.content_hash).where(
            or_(Document.content_hash == digest, Document.source_path == source)
        )
    ).all()
    if any(st == "ready" and h == digest for _, st, h in rows):
        report.unchanged_skipped += 1  # another process stored it meanwhile
        return True
    report.replaced += sum(1 for _, st, h in rows if st == "ready")
    delete_documents_in(s, [doc_id for doc_id, _, _ in rows])
    return False


def _store_error(ws, path: Path, source: str, digest: str | None, size: int, reason: str, report, kind=None) -> None:
    """Record a failed file as a ``status="error"`` document (replacing older rows for it).

    A *reason* that starts with the path as the user gave it ("../docs/a.docx: no text …") is
    stored with the resolved path, the document's ``source_path``, so readers can strip it."""
    if str(path) != source and reason.startswith(str(path)):
        reason = source + reason[len(str(path)):]
    with ws.session() as s:
        rows = s.execute(
            select(Document.id, Document.status, Document.content_hash).where(
                or_(Document.source_path == source, Document.content_hash == digest) if digest else Document.source_path == source
            )
        ).all()
        delete_documents_in(s, [doc_id for doc_id, _, _ in rows])
        s.add(
            Document(
                source_path=source,
                name=path.name,
                kind=kind or (path.suffix.lstrip(".").lower() or "unknown"),
                size_bytes=size,
                content_hash=digest,
                status="error",
                error=reason,
            )
        )
    report.errors.append((source, reason))


def _insert_chunks(s, doc_id: int, drafts: list[ChunkDraft], hashes: list[str], curation: list[dict]) -> tuple[int, int]:
    """Insert the chunks, marking exact duplicates of earlier chunks; returns (duplicates, flagged)."""
    firsts: dict[str, int] = {}
    unique = sorted(set(hashes))
    for i in range(0, len(unique), _IN_BATCH):
        firsts.update(
            s.execute(
                select(Chunk.norm_hash, func.min(Chunk.id))
                .where(Chunk.norm_hash.in_(unique[i : i + _IN_BATCH]))
                .group_by(Chunk.norm_hash)
            ).all()
        )
    in_doc: dict[str, int] = {}  # hash -> ordinal of its first chunk in this document
    rows, later = [], []
    for ordinal, (d, h, cur) in enumerate(zip(drafts, hashes, curation)):
        dup_of = firsts.get(h)
        is_dup = dup_of is not None or h in in_doc
        if dup_of is None and h in in_doc:
            later.append((ordinal, in_doc[h]))
        in_doc.setdefault(h, ordinal)
        rows.append(
            dict(
                document_id=doc_id, ordinal=ordinal, text=d.text, heading_path=d.heading_path, n_tokens=d.n_tokens,
                norm_hash=h, is_duplicate=is_dup, duplicate_of_id=dup_of, meta=d.meta, **cur,
            )
        )
    ids = list(s.scalars(insert(Chunk).returning(Chunk.id, sort_by_parameter_order=True), rows))
    for ordinal, first in later:  # duplicates of a chunk earlier in this same document
        s.execute(update(Chunk).where(Chunk.id == ids[ordinal]).values(duplicate_of_id=ids[first]))
    return sum(r["is_duplicate"] for r in rows), sum(bool(r.get("is_flagged")) for r in rows)


def _curation_fields(drafts: list[ChunkDraft]) -> list[dict]:
    """Per-chunk curation columns filled at ingest time (quality, injection flags, language)."""
    return [curate_text(d.text, d.heading_path) for d in drafts]
