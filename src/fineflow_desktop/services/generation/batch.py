"""Batch mode: the provider's batch API (OpenAI Batch API, Anthropic Message Batches) for big,
cheap, slow runs, through ``providers.batch.BatchProvider`` only.

Submission: the run's pending items are claimed (``running``) and sent as one request per item
with ``custom_id = f"run{run}-item{item}"``; the provider's limits per batch
(``max_batch_requests``, ``max_batch_bytes``) split large runs into several batches.

State lives in the run row (``batch_state = {"batches": [...]}``) and is written before and
right after each remote call, so the run survives app restarts: ``poll_batch`` can be called by
any later process. Results are matched back by ``custom_id`` and stored with the same
one-transaction ``complete``/``fail`` as live runs; lines missing from the output fail their
item with a reason, so no item is ever silently lost.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass

from sqlalchemy import select, update

from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.providers.batch import BatchRequest, as_batch_provider
from fineflow_desktop.services.generation import items
from fineflow_desktop.services.generation.execution import RunSummary, count_pairs, provider_for_run, runner_id
from fineflow_desktop.services.generation.runs import acquire_run, release_run
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_generation import GenerationRun, WorkItem

POLL_INTERVAL_S = 30.0
_CUSTOM_ID = re.compile(r"^run(\d+)-item(\d+)$")


def custom_id(run_id: int, item_id: int) -> str:
    """The batch request id of one work item (``[A-Za-z0-9_-]{1,64}`` as Anthropic requires)."""
    return f"run{run_id}-item{item_id}"


def parse_custom_id(value: str) -> tuple[int, int] | None:
    """``(run_id, item_id)`` from a ``custom_id``, or ``None`` if it is not ours."""
    m = _CUSTOM_ID.match(value or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


@dataclass
class BatchPoll:
    """Result of one ``poll_batch`` pass."""

    run_id: int
    status: str  # run status after the pass
    batches: list[dict]
    ingested: int  # items completed or failed in this pass
    done: int
    failed: int
    waiting: int  # items still at the provider

    def to_dict(self) -> dict:
        return asdict(self)


def set_batch_state(ws, run_id: int, state: dict, **values) -> None:
    """Store the run's batch records (``{"batches": [record, …]}``) and other run columns."""
    with items.writer_lock(ws), ws.session() as s:
        s.execute(update(GenerationRun).where(GenerationRun.id == run_id).values(batch_state=state, **values))


def get_batch_state(ws, run_id: int) -> dict:
    """The run's batch records, ``{"batches": [record, …]}`` (see ``providers.batch``)."""
    with ws.session() as s:
        return dict(s.scalar(select(GenerationRun.batch_state).where(GenerationRun.id == run_id)) or {"batches": []})


def _claim_pending(ws, run_id: int) -> list[int]:
    """Claim every pending item of the run for a batch (pending → running, attempts + 1)."""
    ids = items.pending_ids(ws, run_id)
    with items.writer_lock(ws), ws.session() as s:
        for start in range(0, len(ids), 5000):
            s.execute(update(WorkItem).where(WorkItem.id.in_(ids[start:start + 5000]), WorkItem.state == "pending")
                      .values(state="running", attempts=WorkItem.attempts + 1, updated_at=utcnow()))
    return ids


def submit_batches(ws, run_id: int, provider, cfg: items.RunConfig | None = None) -> list[dict]:
    """Send the run's pending items as new batch(es) through *provider* (a ``BatchProvider`` or
    a wrapper of one); returns the batch records added. On a provider error the items go back
    to ``pending``, the error is stored on the run and the ``ProviderError`` is raised."""
    api = as_batch_provider(provider)
    cfg = cfg or items.load_config(ws, run_id)
    ids = _claim_pending(ws, run_id)
    if not ids:
        return []
    max_tokens = cfg.max_tokens or getattr(provider, "max_tokens", 0) or 4096
    temperature = cfg.temperature if cfg.temperature is not None else getattr(provider, "temperature", 0.7)
    state = get_batch_state(ws, run_id)
    added = []
    groups: list[list[tuple[str, object]]] = [[]]
    size = 0
    for start in range(0, len(ids), 500):
        inputs = items.load_items(ws, ids[start:start + 500])
        for item_id in ids[start:start + 500]:
            item = inputs.get(item_id)
            if item is None:
                items.fail(ws, item_id, "the chunk no longer exists")
                continue
            cid = custom_id(run_id, item_id)
            entry, n = api.prepare_batch_request(BatchRequest(cid, items.request_messages(cfg, item), cfg.model,
                                                              max_tokens, temperature))
            if len(groups[-1]) >= api.max_batch_requests or size + n > api.max_batch_bytes:
                groups.append([])
                size = 0
            groups[-1].append((cid, entry))
            size += n
    for group in (g for g in groups if g):
        record = {"provider": cfg.provider, "n": len(group), "status": "submitting", "submitted_at": utcnow().isoformat(timespec="seconds"),
                  "first": group[0][0], "last": group[-1][0]}
        state.setdefault("batches", []).append(record)

        def checkpoint(fields: dict, record=record) -> None:
            record.update(fields)
            set_batch_state(ws, run_id, state)  # so a crash right after can find the batch

        try:
            record.update(api.submit_batch([e for _, e in group], label=f"fineflow-run{run_id}",
                                           metadata={"fineflow_run": str(run_id)}, checkpoint=checkpoint))
        except Exception as exc:  # noqa: BLE001 - the items go back to pending; the user can retry
            _release_group(ws, [parse_custom_id(c)[1] for c, _ in group])
            state["batches"].remove(record)
            set_batch_state(ws, run_id, state, error=items.mask_error(exc))
            raise
        set_batch_state(ws, run_id, state, status="batch_pending")
        added.append(record)
    return added


def _release_group(ws, item_ids: list[int]) -> None:
    with items.writer_lock(ws), ws.session() as s:
        s.execute(update(WorkItem).where(WorkItem.id.in_(item_ids), WorkItem.state == "running")
                  .values(state="pending", updated_at=utcnow()))


def _ingest_line(ws, cfg: items.RunConfig, run_id: int, cid: str, ok: bool, text: str | None, error: str | None,
                 in_tok: int, out_tok: int, credential_id: int | None, inputs: dict) -> str | None:
    """Store one result line; returns ``"done"``/``"failed"`` or ``None`` if not ours/not running."""
    parsed = parse_custom_id(cid)
    if parsed is None or parsed[0] != run_id:
        return None
    item = inputs.get(parsed[1])
    if item is None:
        return None
    if ok:
        try:
            outcome = items.process_reply(cfg, item, items.request_messages(cfg, item), text or "")
        except items.NoJSONError as exc:
            items.fail(ws, item.item_id, exc, credential_id)
            return "failed"
        items.complete(ws, cfg, item, outcome, credential_id)
        state = "done"
    else:
        items.fail(ws, item.item_id, error or "batch request failed", credential_id)
        state = "failed"
    try:
        from fineflow_desktop.providers.usage import record_call

        with items.writer_lock(ws):
            record_call(ws, provider=cfg.provider, model=cfg.model, credential_id=credential_id, input_tokens=in_tok,
                        output_tokens=out_tok, ok=ok, error_kind="" if ok else "batch_error", purpose="batch", batch=True,
                        run_id=run_id)
    except ImportError:
        pass
    return state


def _running_inputs(ws, run_id: int) -> dict[int, items.ItemInput]:
    with ws.session() as s:
        ids = list(s.scalars(select(WorkItem.id).where(WorkItem.run_id == run_id, WorkItem.state == "running")))
    return items.load_items(ws, ids) if ids else {}


def poll_batch(ws, run_id: int, provider_factory=None) -> BatchPoll:
    """One pass: refresh every unfinished batch of the run, ingest the ended ones.

    Safe to call from any process at any time (idempotent: only ``running`` items are
    ingested). Items of an ended batch without a result line are failed with a reason.
    """
    cfg = items.load_config(ws, run_id)
    state = get_batch_state(ws, run_id)
    pending_batches = [b for b in state.get("batches", []) if not b.get("ingested")]
    ingested = 0
    provider = None
    try:
        for record in pending_batches:
            provider = provider or (provider_factory or provider_for_run)(ws, cfg.credential_id, run_id)
            ingested += _refresh_batch(ws, cfg, run_id, provider, record)
    finally:
        if provider is not None:
            getattr(provider, "close", lambda: None)()
    counts = items.state_counts(ws, run_id)
    waiting = counts["running"]
    if waiting:
        status = "batch_pending"
    elif counts["pending"]:
        status = "cancelled"
    else:
        status = "partial" if counts["failed"] else "completed"
    finished = {"finished_at": utcnow()} if status in ("completed", "partial") else {}
    set_batch_state(ws, run_id, state, status=status, heartbeat_at=utcnow(), **finished)
    items.refresh_run_counts(ws, run_id)
    return BatchPoll(run_id, status, state.get("batches", []), ingested, counts["done"], counts["failed"], waiting)


def _refresh_batch(ws, cfg: items.RunConfig, run_id: int, provider, record: dict) -> int:
    """Refresh one batch *record* (in place) from the provider; when it has ended, ingest its
    results and fail its items that have none. Returns how many items were ingested."""
    api = as_batch_provider(provider)
    if "id" not in record:
        record["id"] = api.find_batch(record)
        if record["id"] is None:  # never created: its items go back to pending for resubmission
            _release_running(ws, run_id, record)
            record["ingested"], record["status"] = True, "not_created"
            return 0
    ended, fields = api.refresh_batch(record)
    record.update(fields)
    if not ended:
        return 0
    ingested = 0
    inputs = _running_inputs(ws, run_id)
    seen = set()
    answered_by = getattr(provider, "credential_id", cfg.credential_id)
    for r in api.batch_results(record):
        seen.add(r.custom_id)
        if _ingest_line(ws, cfg, run_id, r.custom_id, r.ok, r.text, r.error, r.input_tokens, r.output_tokens,
                        answered_by, inputs):
            ingested += 1
    reason = record.get("error") or f"no result for this request (batch {record['status']})"
    for item_id in _items_of(record, inputs):
        if custom_id(run_id, item_id) not in seen:
            items.fail(ws, item_id, reason)
            ingested += 1
    record["ingested"] = True
    return ingested


def _items_of(record: dict, inputs: dict) -> list[int]:
    """Running items whose custom_id falls in this batch's [first, last] id range."""
    lo, hi = parse_custom_id(record.get("first", "")), parse_custom_id(record.get("last", ""))
    if not lo or not hi:
        return []
    return [i for i in inputs if lo[1] <= i <= hi[1]]


def _release_running(ws, run_id: int, record: dict) -> None:
    inputs = _running_inputs(ws, run_id)
    _release_group(ws, _items_of(record, inputs))


def run_batch(ws, run_id: int, state: TaskState, *, sleep=time.sleep, provider_factory=None,
              poll_interval_s: float | None = None, include_failed: bool = False):
    """Submit the run's pending items (if any) and poll until every batch ended or cancel.

    Cancel stops watching only: the batch keeps running at the provider and the run stays
    ``batch_pending``; Resume (or ``poll_batch``) picks the results up later. Returns a
    ``RunSummary``.
    """
    factory = provider_factory or provider_for_run
    cfg = items.load_config(ws, run_id)
    acquire_run(ws, run_id, runner_id())
    start = time.monotonic()
    try:
        if include_failed:
            items.reset_states(ws, run_id, ("failed",))
        provider = factory(ws, cfg.credential_id, run_id)
        try:
            submit_batches(ws, run_id, provider, cfg)
        finally:
            getattr(provider, "close", lambda: None)()
        processed = watch_batches(ws, run_id, state, factory, sleep=sleep, poll_interval_s=poll_interval_s)
    finally:
        release_run(ws, run_id)
    return batch_summary(ws, run_id, processed, start)


def batch_summary(ws, run_id: int, processed: int, start: float) -> RunSummary:
    """``RunSummary`` of a batch run after *processed* items were ingested since
    ``time.monotonic()`` was *start*."""
    counts = items.state_counts(ws, run_id)
    elapsed = time.monotonic() - start
    with ws.session() as s:
        status = s.scalar(select(GenerationRun.status).where(GenerationRun.id == run_id))
    return RunSummary(run_id, status, counts["done"], counts["failed"], counts["pending"] + counts["running"],
                      count_pairs(ws, run_id), processed, elapsed, processed / elapsed if elapsed > 0 else 0.0)


def watch_batches(ws, run_id: int, state: TaskState, provider_factory=None, *, sleep=time.sleep,
                  poll_interval_s: float | None = None) -> int:
    """Poll the run's batches every *poll_interval_s* seconds (default ``POLL_INTERVAL_S``,
    read at call time) until none is left at the provider or *state* is cancelled; reports
    progress as it goes. Returns how many items were ingested."""
    interval = POLL_INTERVAL_S if poll_interval_s is None else poll_interval_s
    total = sum(items.state_counts(ws, run_id).values())
    processed = 0
    while True:
        poll = poll_batch(ws, run_id, provider_factory)
        processed += poll.ingested
        waiting = f" · {poll.waiting} waiting at the provider" if poll.waiting else ""
        state.progress(poll.done + poll.failed, total, f"batch: {poll.done} done · {poll.failed} failed{waiting}")
        if poll.status != "batch_pending" or state.cancelled:
            return processed
        end = time.monotonic() + interval
        while not state.cancelled and (left := end - time.monotonic()) > 0:
            sleep(min(left, 0.25))
            if sleep is not time.sleep:
                break  # a test's fake sleep: do not spin


def retry_failed_batch(ws, run_id: int, state: TaskState, **kwargs):
    """Resubmit the failed items of a batch run as a new batch and poll it."""
    return run_batch(ws, run_id, state, include_failed=True, **kwargs)
