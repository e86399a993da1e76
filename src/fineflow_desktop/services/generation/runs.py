"""Generation runs as records: parameters, estimate, creation, ownership, listing, details.

``create_run`` selects the chunks (source filter), writes the run row and one ``pending`` work
item per chunk in one transaction, and stores the estimate shown to the user. ``acquire_run``
marks a run as executed by this process (``runner`` = host:pid, ``heartbeat_at``), refusing a
run another live process is executing. ``list_runs``/``run_detail`` give live counts, and flag
runs left ``running`` by a crash (``needs_resume``) so the GUI can offer Resume.
"""

from __future__ import annotations

import os
import socket
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from fineflow_desktop.core.generation.estimate import Estimate, Price, estimate_run
from fineflow_desktop.core.generation.prompts import DEFAULT_PAIRS_PER_CHUNK, MODES
from fineflow_desktop.services.generation.items import writer_lock
from fineflow_desktop.store.models import Chunk, Dataset, Document, utcnow
from fineflow_desktop.store.models_generation import GenerationRun, WorkItem

STALE_AFTER = timedelta(seconds=30)  # 6 missed heartbeats (HEARTBEAT_S = 5 s)
MAX_PAIRS_PER_CHUNK = 20
MAX_CONCURRENCY = 64
_active: set[tuple[str, int]] = set()  # (db path, run id) executing in this process
_active_guard = threading.Lock()


class GenerationError(ValueError):
    """Bad run parameters; the message starts with the field name."""


class RunBusyError(RuntimeError):
    """The run is being executed by another live process (or already in this one)."""


@dataclass
class SourceFilter:
    """Which chunks a run uses. ``document_ids`` None = all documents; duplicates and chunks
    flagged for prompt injection are skipped by default (issue 4, "Safety guards")."""

    document_ids: list[int] | None = None
    min_quality: float | None = None
    exclude_duplicates: bool = True
    exclude_flagged: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "SourceFilter":
        d = d or {}
        return cls(**{k: d[k] for k in ("document_ids", "min_quality", "exclude_duplicates", "exclude_flagged") if k in d})


@dataclass
class RunParams:
    """What the user picked. *dataset* and *credential* are names or ids; *model* None means the
    credential's preferred model; *concurrency* None means the credential's limit."""

    dataset: str | int
    credential: str | int
    mode: str = "auto"
    model: str | None = None
    pairs_per_chunk: int = DEFAULT_PAIRS_PER_CHUNK
    concurrency: int | None = None
    system_prompt: str = ""
    language: str | None = None
    source_filter: SourceFilter = field(default_factory=SourceFilter)
    batch: bool = False
    temperature: float | None = None
    max_tokens: int | None = None
    provider: str | None = None  # if given, must match the credential's provider
    template_version_id: int | None = None


@dataclass
class Resolved:
    """``RunParams`` checked against the workspace (ids, effective model and concurrency).
    *dataset_id* is None for a dataset named but not created yet (``create_run`` makes it)."""

    dataset_id: int | None
    dataset_name: str
    credential_id: int
    credential_name: str
    provider: str
    model: str
    concurrency: int
    chunk_ids: list[int]
    chunk_tokens: list[int]
    estimate: Estimate


def _chunk_query(sf: SourceFilter):
    q = select(Chunk.id, Chunk.n_tokens).join(Document, Document.id == Chunk.document_id).where(Document.status == "ready")
    if sf.document_ids:
        q = q.where(Chunk.document_id.in_(sf.document_ids))
    if sf.min_quality is not None:
        q = q.where(Chunk.quality >= sf.min_quality)
    if sf.exclude_duplicates:
        q = q.where(Chunk.is_duplicate.is_(False))
    if sf.exclude_flagged:
        q = q.where(Chunk.is_flagged.is_(False))
    return q.order_by(Chunk.document_id, Chunk.ordinal, Chunk.id)


def resolve(ws, p: RunParams) -> Resolved:
    """Validate *p* and compute chunks and estimate; raises ``GenerationError`` naming the field.

    A dataset given by a new name (a non-empty ``str``) is valid: runs create it (as the
    extractive generator does), so ``Resolved.dataset_id`` is None then; an unknown id is an error."""
    from fineflow_desktop.providers.credentials import BATCH_PROVIDERS, CredentialError, get_credential
    from fineflow_desktop.providers.usage import price_for

    if p.mode not in MODES:
        raise GenerationError(f"mode: {p.mode!r} is not one of {', '.join(MODES)}")
    if not 1 <= int(p.pairs_per_chunk) <= MAX_PAIRS_PER_CHUNK:
        raise GenerationError(f"pairs_per_chunk: must be between 1 and {MAX_PAIRS_PER_CHUNK}")
    try:
        cred = get_credential(ws, p.credential)
    except CredentialError as exc:
        raise GenerationError(str(exc)) from None
    if p.provider and p.provider != cred.provider:
        raise GenerationError(f"provider: credential {cred.name!r} is for {cred.provider}, not {p.provider}")
    if p.batch and cred.provider not in BATCH_PROVIDERS:
        raise GenerationError(f"batch: batch mode needs an {' or '.join(BATCH_PROVIDERS)} credential, not {cred.provider}")
    model = (p.model or cred.model or "").strip()
    if not model:
        raise GenerationError(f"model: credential {cred.name!r} has no preferred model; pick one")
    concurrency = int(p.concurrency or cred.concurrency or 4)
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise GenerationError(f"concurrency: must be between 1 and {MAX_CONCURRENCY}")
    with ws.session() as s:
        col = Dataset.id if isinstance(p.dataset, int) else Dataset.name
        ds = s.scalar(select(Dataset).where(col == p.dataset))
        if ds is None and not (isinstance(p.dataset, str) and p.dataset.strip()):
            raise GenerationError(f"dataset: no dataset {p.dataset!r} in this workspace")
        ds_id, ds_name = (ds.id, ds.name) if ds is not None else (None, p.dataset.strip())
        rows = s.execute(_chunk_query(p.source_filter)).all()
    if not rows:
        raise GenerationError("source_filter: no chunk matches (import documents, or relax the filter)")
    price = price_for(ws, cred.provider, model)
    est = estimate_run(
        [n for _, n in rows], mode=p.mode, pairs_per_chunk=int(p.pairs_per_chunk), system_prompt=p.system_prompt or None,
        price=Price(price.input_per_mtok, price.output_per_mtok) if price else None, batch=p.batch,
    )
    return Resolved(ds_id, ds_name, cred.id, cred.name, cred.provider, model, concurrency,
                    [i for i, _ in rows], [n for _, n in rows], est)


def estimate_for(ws, p: RunParams) -> Estimate:
    """The estimate (calls, tokens, cost) of a run with parameters *p*, without creating it."""
    return resolve(ws, p).estimate


def create_run(ws, p: RunParams) -> tuple[int, Estimate]:
    """Create the run and its work items (one transaction); returns ``(run_id, estimate)``.

    A dataset given by a new name is created (as the extractive generator does), but only once
    every other parameter checked out, so a refused run leaves nothing behind."""
    from fineflow_desktop.services.templates import generation_template_for, version_by_id

    r = resolve(ws, p)

    template_version_id = p.template_version_id
    if template_version_id is None:  # the published version of the mode's template (issue 6)
        template_version_id, _body = generation_template_for(ws, p.mode)
    elif version_by_id(ws, template_version_id).status != "published":
        raise GenerationError(f"template_version_id: version {template_version_id} is not published; "
                              "only a published template version can drive a generation run")
    if r.dataset_id is None:
        from fineflow_desktop.services.datasets import get_or_create_dataset

        r.dataset_id = get_or_create_dataset(ws, r.dataset_name)
    with ws.session() as s:
        run = GenerationRun(
            dataset_id=r.dataset_id, provider=r.provider, credential_id=r.credential_id, credential_name=r.credential_name,
            model=r.model, mode=p.mode, pairs_per_chunk=int(p.pairs_per_chunk), system_prompt=p.system_prompt or "",
            language=p.language or None, temperature=p.temperature, max_tokens=p.max_tokens,
            source_filter=p.source_filter.to_dict(), concurrency=r.concurrency, is_batch=bool(p.batch), batch_state={},
            status="created", estimate=r.estimate.to_dict(), n_items=len(r.chunk_ids),
            template_version_id=template_version_id,
        )
        s.add(run)
        s.flush()
        now = utcnow()
        s.execute(insert(WorkItem), [
            {"run_id": run.id, "chunk_id": cid, "state": "pending", "attempts": 0, "n_pairs": 0, "rejects": {}, "updated_at": now}
            for cid in r.chunk_ids
        ])
        return run.id, r.estimate


def _pid_alive(runner: str | None) -> bool | None:
    """True/False if *runner* is a process on this host, None if it runs elsewhere."""
    if not runner or ":" not in runner:
        return False
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname()[:40]:
        return None
    try:
        import psutil

        return psutil.pid_exists(int(pid))
    except (ValueError, ImportError):
        return None


def is_live(ws, run: GenerationRun) -> bool:
    """Is some process executing *run* right now (this one, or another with a fresh heartbeat)?"""
    if (str(ws.db_path), run.id) in _active:
        return True
    if run.status not in ("running", "batch_pending") or not run.runner:
        return False
    if run.runner.endswith(f":{os.getpid()}") and _pid_alive(run.runner):
        return False  # our pid but not active here: left over from a failed call in this process
    alive = _pid_alive(run.runner)
    fresh = run.heartbeat_at is not None and utcnow() - run.heartbeat_at < STALE_AFTER
    return fresh if alive is None else (alive and fresh)


def acquire_run(ws, run_id: int, runner: str) -> None:
    """Mark *run_id* as executed by *runner* (this process). Raises ``RunBusyError`` if a live
    process already executes it, ``LookupError`` if there is no such run."""
    key = (str(ws.db_path), run_id)
    with writer_lock(ws), ws.session() as s:
        run = s.get(GenerationRun, run_id)
        if run is None:
            raise LookupError(f"run: no generation run {run_id} in this workspace")
        with _active_guard:
            if is_live(ws, run):
                raise RunBusyError(f"run {run_id} is already running ({run.runner}); wait for it or cancel it there")
            _active.add(key)
        now = utcnow()
        run.status, run.runner, run.heartbeat_at, run.error, run.finished_at = "running", runner, now, None, None
        run.started_at = run.started_at or now


def release_run(ws, run_id: int) -> None:
    """Forget that this process executes *run_id* (always called when a run call ends)."""
    with _active_guard:
        _active.discard((str(ws.db_path), run_id))


@dataclass
class RunInfo:
    """A run for lists: parameters, live counts and whether it waits for Resume."""

    id: int
    dataset_id: int
    dataset_name: str
    provider: str
    credential_name: str
    model: str
    mode: str
    pairs_per_chunk: int
    concurrency: int
    is_batch: bool
    status: str
    total: int
    done: int
    failed: int
    pending: int
    running: int
    pairs: int
    live: bool
    needs_resume: bool
    error: str | None
    estimate: dict
    created_at: datetime
    finished_at: datetime | None
    language: str | None = None
    system_prompt: str = ""
    source_filter: dict = field(default_factory=dict)
    batch_state: dict = field(default_factory=dict)
    template_version_id: int | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("created_at", "finished_at"):
            d[k] = d[k].isoformat(timespec="seconds") if d[k] else None
        return d


def _info(ws, run: GenerationRun, ds_name: str, counts: Counter, pairs: int) -> RunInfo:
    live = is_live(ws, run)
    needs_resume = not live and (
        run.status in ("running", "batch_pending")
        or (run.status in ("cancelled", "created") and (counts["pending"] + counts["running"]) > 0)
    )
    return RunInfo(
        run.id, run.dataset_id, ds_name, run.provider, run.credential_name, run.model, run.mode, run.pairs_per_chunk,
        run.concurrency, run.is_batch, run.status, sum(counts.values()), counts["done"], counts["failed"],
        counts["pending"], counts["running"], pairs, live, needs_resume, run.error, dict(run.estimate or {}),
        run.created_at, run.finished_at, run.language, run.system_prompt, dict(run.source_filter or {}),
        dict(run.batch_state or {}), run.template_version_id,
    )


def list_runs(ws, dataset_id: int | None = None) -> list[RunInfo]:
    """Runs, newest first, with live counts from the work items."""
    with ws.session() as s:
        q = select(GenerationRun, Dataset.name).join(Dataset, Dataset.id == GenerationRun.dataset_id)
        if dataset_id is not None:
            q = q.where(GenerationRun.dataset_id == dataset_id)
        runs = s.execute(q.order_by(GenerationRun.id.desc())).all()
        counts: dict[int, Counter] = {}
        pairs: dict[int, int] = {}
        for run_id, state, n, npairs in s.execute(
            select(WorkItem.run_id, WorkItem.state, func.count(), func.coalesce(func.sum(WorkItem.n_pairs), 0))
            .group_by(WorkItem.run_id, WorkItem.state)
        ):
            counts.setdefault(run_id, Counter())[state] = n
            pairs[run_id] = pairs.get(run_id, 0) + int(npairs)
        return [_info(ws, run, name, counts.get(run.id, Counter()), pairs.get(run.id, 0)) for run, name in runs]


def get_run(ws, run_id: int) -> RunInfo:
    """One run's ``RunInfo``; ``LookupError`` if missing."""
    with ws.session() as s:
        row = s.execute(select(GenerationRun, Dataset.name).join(Dataset, Dataset.id == GenerationRun.dataset_id)
                        .where(GenerationRun.id == run_id)).first()
        if row is None:
            raise LookupError(f"run: no generation run {run_id} in this workspace")
        counts = Counter(dict(s.execute(select(WorkItem.state, func.count()).where(WorkItem.run_id == run_id)
                                        .group_by(WorkItem.state)).all()))
        pairs = int(s.scalar(select(func.coalesce(func.sum(WorkItem.n_pairs), 0)).where(WorkItem.run_id == run_id)))
        return _info(ws, row[0], row[1], counts, pairs)


@dataclass
class ItemInfo:
    """One work item for the details / failed-items views."""

    id: int
    chunk_id: int
    document_name: str
    heading: str
    state: str
    attempts: int
    last_error: str | None
    answered_by: str | None  # credential name (or "#id" if deleted)
    n_pairs: int
    rejects: dict
    updated_at: datetime

    def to_dict(self) -> dict:
        d = asdict(self)
        d["updated_at"] = self.updated_at.isoformat(timespec="seconds") if self.updated_at else None
        return d


@dataclass
class RunDetail:
    """A run with its items (filtered by state) and totals of dropped candidate pairs."""

    run: RunInfo
    items: list[ItemInfo]
    rejects: dict

    def to_dict(self) -> dict:
        return {"run": self.run.to_dict(), "items": [i.to_dict() for i in self.items], "rejects": self.rejects}


def run_detail(ws, run_id: int, states: tuple[str, ...] | None = None, limit: int | None = None) -> RunDetail:
    """Run *run_id* with per-item states and errors (only *states* if given, at most *limit*)."""
    from fineflow_desktop.store.models_providers import Credential

    info = get_run(ws, run_id)
    with ws.session() as s:
        names = dict(s.execute(select(Credential.id, Credential.name)).all())
        q = (select(WorkItem, Document.name, Chunk.heading_path).join(Chunk, Chunk.id == WorkItem.chunk_id)
             .join(Document, Document.id == Chunk.document_id).where(WorkItem.run_id == run_id).order_by(WorkItem.id))
        if states:
            q = q.where(WorkItem.state.in_(states))
        if limit:
            q = q.limit(limit)
        rows = []
        for wi, doc, heading in s.execute(q):
            who = None if wi.answered_by is None else names.get(wi.answered_by, f"#{wi.answered_by}")
            rows.append(ItemInfo(wi.id, wi.chunk_id, doc, " > ".join(heading or []), wi.state, wi.attempts,
                                 wi.last_error, who, wi.n_pairs, dict(wi.rejects or {}), wi.updated_at))
        rejects: Counter = Counter()
        for r in s.scalars(select(WorkItem.rejects).where(WorkItem.run_id == run_id)):
            rejects.update(r or {})
    return RunDetail(info, rows, dict(rejects))


@dataclass
class Choices:
    """What the Run dialog offers: datasets ``(id, name)``, generation-capable credentials
    (``CredentialInfo``), documents ``(id, name, n_chunks)``."""

    datasets: list[tuple[int, str]]
    credentials: list
    documents: list[tuple[int, str, int]]


def run_choices(ws) -> Choices:
    """Datasets, credentials (openai / anthropic / compatible) and ready documents of *ws*."""
    from fineflow_desktop.providers.credentials import CHAT_PROVIDERS, list_credentials

    with ws.session() as s:
        datasets = [tuple(r) for r in s.execute(select(Dataset.id, Dataset.name).order_by(Dataset.name))]
        docs = [tuple(r) for r in s.execute(select(Document.id, Document.name, Document.n_chunks)
                                            .where(Document.status == "ready").order_by(Document.name, Document.id))]
    creds = [c for c in list_credentials(ws) if c.provider in CHAT_PROVIDERS]
    return Choices(datasets, creds, docs)


def list_models(ws, credential_id: int) -> list[str]:
    """Model ids the credential can use (``GET /models``), sorted; raises ``ProviderError``."""
    from fineflow_desktop.providers.registry import provider_for_credential

    provider = provider_for_credential(ws, credential_id, timeout_s=15.0)
    try:
        return sorted(m.id for m in provider.list_models())
    finally:
        getattr(provider, "close", lambda: None)()
