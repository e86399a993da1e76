"""Work-item persistence shared by live and batch generation runs.

Every state change of a work item is one short transaction taken under the workspace's single
writer lock (``writer_lock``), so worker threads never fight over SQLite's write lock. The
crucial invariant: a reply's pairs are inserted and its item marked ``done`` in ONE
transaction, after deleting any pairs of the same (run, chunk) — a crash at any point leaves
either no pairs and a non-done item, or the pairs and a done item, never duplicates.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, update

from fineflow_desktop.core.generation.parse import parse_output, validate_all
from fineflow_desktop.core.generation.prompts import build_messages
from fineflow_desktop.core.generation.sanitize import SanitizeReport, sanitize
from fineflow_desktop.core.tokens import chat_tokens
from fineflow_desktop.store.models import Chunk, Dataset, Document, Pair, utcnow
from fineflow_desktop.store.models_generation import GenerationRun, WorkItem
from fineflow_desktop.store.models_templates import TemplateVersion

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_KEYISH = re.compile(r"\b(sk-[A-Za-z0-9_\-]{6,})")
MAX_ERROR_CHARS = 2000


def writer_lock(ws) -> threading.Lock:
    """The one writer lock of *ws*'s database in this process (Anki ``taskman.py`` pattern)."""
    key = str(ws.db_path)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def mask_error(text: object) -> str:
    """Error text safe to store: API keys masked (``providers.keys.scrub``), length capped."""
    try:
        from fineflow_desktop.providers.keys import scrub

        s = scrub(text)
    except ImportError:  # provider layer not present: mask key-shaped tokens ourselves
        s = _KEYISH.sub(lambda m: "sk-…" + m.group(1)[-4:], str(text))
    return s[:MAX_ERROR_CHARS]


@dataclass(frozen=True)
class RunConfig:
    """The run's parameters as plain values (safe to share between worker threads)."""

    run_id: int
    dataset_id: int
    provider: str
    credential_id: int | None
    model: str
    mode: str
    pairs_per_chunk: int
    system_prompt: str
    language: str | None
    temperature: float | None
    max_tokens: int | None
    concurrency: int
    is_batch: bool
    template_version_id: int | None
    dataset_system_prompt: str
    template_body: str | None = None  # body of the recorded template version (None: built-in)
    max_example_tokens: int = 4096


def load_config(ws, run_id: int) -> RunConfig:
    """``RunConfig`` of run *run_id*; ``LookupError`` if there is no such run."""
    with ws.session() as s:
        run = s.get(GenerationRun, run_id)
        if run is None:
            raise LookupError(f"run: no generation run {run_id} in this workspace")
        ds = s.get(Dataset, run.dataset_id)
        version = s.get(TemplateVersion, run.template_version_id) if run.template_version_id else None
        return RunConfig(
            run.id, run.dataset_id, run.provider, run.credential_id, run.model, run.mode, run.pairs_per_chunk,
            run.system_prompt or "", run.language, run.temperature, run.max_tokens, run.concurrency, run.is_batch,
            run.template_version_id, ds.system_prompt if ds else "", version.body if version else None,
        )


@dataclass(frozen=True)
class ItemInput:
    """What one work item needs to build its request."""

    item_id: int
    chunk_id: int
    document_id: int
    document_name: str
    text: str
    heading_path: list
    language: str | None


# Hot-path statements use SQLAlchemy Core on the tables (no ORM unit of work): per item the
# ORM cost ~3x more CPU, and at 40 items/s the GIL is the bottleneck (bench_generation.py).
_WI, _CH, _DOC, _PAIR = WorkItem.__table__, Chunk.__table__, Document.__table__, Pair.__table__
_LOAD = (select(_WI.c.id, _CH.c.id, _DOC.c.id, _DOC.c.name, _CH.c.text, _CH.c.heading_path, _CH.c.language)
         .join(_CH, _CH.c.id == _WI.c.chunk_id).join(_DOC, _DOC.c.id == _CH.c.document_id))


def load_items(ws, item_ids: list[int]) -> dict[int, ItemInput]:
    """Chunk data for many items in one query (read-only; no lock needed under WAL)."""
    out: dict[int, ItemInput] = {}
    with ws.engine.connect() as conn:
        for item_id, chunk_id, doc_id, doc_name, text, heading, lang in conn.execute(_LOAD.where(_WI.c.id.in_(item_ids))):
            out[item_id] = ItemInput(item_id, chunk_id, doc_id, doc_name, text, list(heading or []), lang)
    return out


def request_messages(cfg: RunConfig, item: ItemInput) -> list[dict]:
    """The chat messages sent for *item*: the run's template version rendered for the chunk."""
    return build_messages(
        cfg.mode, chunk_text=item.text, heading_path=item.heading_path, document_name=item.document_name,
        pairs_per_chunk=cfg.pairs_per_chunk, language=cfg.language, chunk_language=item.language,
        system_prompt=cfg.system_prompt or None, template_body=cfg.template_body,
    )


class NoJSONError(ValueError):
    """The model's reply contained no JSON at all (worth asking again)."""


@dataclass
class Outcome:
    """Pairs ready to store for one item plus why candidates were dropped (reason -> count)."""

    pairs: list[dict] = field(default_factory=list)
    rejects: Counter = field(default_factory=Counter)


def process_reply(cfg: RunConfig, item: ItemInput, messages: list[dict], reply: str) -> Outcome:
    """Parse, sanitize and validate a reply into pair dicts (``Pair`` columns).

    Raises ``NoJSONError`` if the reply has no JSON; an empty ``pairs`` list with rejects is a
    legitimate result (e.g. every pair read as an injection).
    """
    parsed = parse_output(reply)
    if not parsed.found_json:
        raise NoJSONError(f"model reply contained no JSON: {reply.strip()[:200]!r}")
    out = Outcome()
    out.rejects.update(r.reason for r in parsed.rejects)
    report = SanitizeReport()
    generator_system = messages[0]["content"] if messages and messages[0]["role"] == "system" else ""
    cleaned = [c for c in (sanitize(c, generator_system, report) for c in parsed.candidates) if c is not None]
    out.rejects.update(report.dropped)
    kept, rejects = validate_all(
        cleaned, source_text=item.text, prompt_text=messages[-1]["content"],
        system=cfg.dataset_system_prompt, max_tokens=cfg.max_example_tokens,
    )
    out.rejects.update(r.reason for r in rejects)
    for c in kept:
        full = ([{"role": "system", "content": cfg.dataset_system_prompt}] if cfg.dataset_system_prompt else []) + c.messages
        out.pairs.append({
            "dataset_id": cfg.dataset_id, "system": cfg.dataset_system_prompt, "user": c.user, "assistant": c.assistant,
            "messages": full if c.kind == "conversation" else None, "n_tokens": chat_tokens(full),
            "source": "generated", "document_id": item.document_id, "chunk_id": item.chunk_id,
            "run_id": cfg.run_id, "template_version_id": cfg.template_version_id,
            "content_hash": hashlib.sha256(json.dumps(full, ensure_ascii=False, sort_keys=True).encode()).hexdigest(),
            "meta": {"model": cfg.model, "provider": cfg.provider, "mode": cfg.mode, "kind": c.kind,
                     "cleaned": sorted(report.cleaned)},
        })
    return out


def claim(ws, item_id: int, from_states: tuple[str, ...] = ("pending",)) -> bool:
    """Move one item to ``running`` (attempts + 1) if it is in *from_states*; True if claimed."""
    with writer_lock(ws), ws.engine.begin() as conn:
        res = conn.execute(
            update(_WI).where(_WI.c.id == item_id, _WI.c.state.in_(from_states))
            .values(state="running", attempts=_WI.c.attempts + 1, updated_at=utcnow())
        )
        return res.rowcount == 1


@dataclass(frozen=True)
class Usage:
    """One successful provider call to record with the item (``usage_records`` row)."""

    provider: str
    model: str
    credential_id: int | None
    input_tokens: int
    output_tokens: int
    latency_ms: float
    cost_usd: float | None
    purpose: str = "generate"
    batch: bool = False


def complete(ws, cfg: RunConfig, item: ItemInput, outcome: Outcome, answered_by: int | None,
             usage: Usage | None = None) -> None:
    """Store the item's pairs, mark it done and record the call's usage — one transaction."""
    now = utcnow()
    rows = [{**p, "validated": False, "quality": None, "quality_signals": {}, "tags": [], "created_at": now, "updated_at": now}
            for p in outcome.pairs]
    with writer_lock(ws), ws.engine.begin() as conn:
        conn.execute(delete(_PAIR).where(_PAIR.c.run_id == cfg.run_id, _PAIR.c.chunk_id == item.chunk_id))
        if rows:
            conn.execute(insert(_PAIR), rows)
        conn.execute(
            update(_WI).where(_WI.c.id == item.item_id)
            .values(state="done", answered_by=answered_by, n_pairs=len(rows),
                    rejects=dict(outcome.rejects), last_error=None, updated_at=now)
        )
        if usage is not None:
            _record_usage(conn, usage, cfg.run_id, now)


def _record_usage(conn, u: Usage, run_id: int, now) -> None:
    """The ``usage_records`` row and credential counters ``providers.usage.record_call`` writes,
    inside the caller's transaction (so usage and pairs are stored together)."""
    try:
        from fineflow_desktop.store.models_providers import Credential, UsageRecord
    except ImportError:
        return
    conn.execute(insert(UsageRecord.__table__).values(
        created_at=now, provider=u.provider, model=u.model, credential_id=u.credential_id, input_tokens=u.input_tokens,
        output_tokens=u.output_tokens, latency_ms=u.latency_ms, cost_usd=u.cost_usd, ok=True, error_kind="",
        purpose=u.purpose, batch=u.batch, run_id=run_id))
    if u.credential_id is not None:
        c = Credential.__table__.c
        conn.execute(update(Credential.__table__).where(c.id == u.credential_id).values(
            n_calls=c.n_calls + 1, input_tokens=c.input_tokens + u.input_tokens,
            output_tokens=c.output_tokens + u.output_tokens, cost_usd=c.cost_usd + float(u.cost_usd or 0.0),
            last_used_at=now))


def fail(ws, item_id: int, error: object, answered_by: int | None = None) -> str:
    """Mark the item failed with its (key-masked) error; returns the stored text."""
    text = mask_error(error)
    with writer_lock(ws), ws.engine.begin() as conn:
        conn.execute(update(_WI).where(_WI.c.id == item_id)
                     .values(state="failed", last_error=text, answered_by=answered_by, updated_at=utcnow()))
    return text


def release(ws, item_id: int) -> None:
    """Put a claimed item back to ``pending`` (cancelled mid-item); its attempt is not counted."""
    with writer_lock(ws), ws.session() as s:
        s.execute(update(WorkItem).where(WorkItem.id == item_id, WorkItem.state == "running")
                  .values(state="pending", attempts=func.max(WorkItem.attempts - 1, 0), updated_at=utcnow()))


def reset_states(ws, run_id: int, from_states: tuple[str, ...], to_state: str = "pending") -> int:
    """Move every item of the run in *from_states* to *to_state*; returns how many moved."""
    with writer_lock(ws), ws.session() as s:
        return s.execute(update(WorkItem).where(WorkItem.run_id == run_id, WorkItem.state.in_(from_states))
                         .values(state=to_state, updated_at=utcnow())).rowcount


def pending_ids(ws, run_id: int) -> list[int]:
    """Ids of the run's pending items, oldest first."""
    with ws.session() as s:
        return list(s.scalars(select(WorkItem.id).where(WorkItem.run_id == run_id, WorkItem.state == "pending")
                              .order_by(WorkItem.id)))


def state_counts(ws, run_id: int) -> Counter:
    """Items of the run per state (``pending``/``running``/``done``/``failed``)."""
    with ws.session() as s:
        return Counter(dict(s.execute(
            select(WorkItem.state, func.count()).where(WorkItem.run_id == run_id).group_by(WorkItem.state)).all()))


def refresh_run_counts(ws, run_id: int, **values) -> Counter:
    """Write the count snapshot (and any extra column *values*) into the run row."""
    counts = state_counts(ws, run_id)
    with ws.session() as s:
        pairs = s.scalar(select(func.coalesce(func.sum(WorkItem.n_pairs), 0)).where(WorkItem.run_id == run_id))
        rejected = sum(sum((r or {}).values()) for r in s.scalars(select(WorkItem.rejects).where(WorkItem.run_id == run_id)))
    with writer_lock(ws), ws.session() as s:
        s.execute(update(GenerationRun).where(GenerationRun.id == run_id).values(
            n_items=sum(counts.values()), n_done=counts["done"], n_failed=counts["failed"],
            n_pairs=int(pairs), n_rejected=int(rejected), **values))
    return counts
