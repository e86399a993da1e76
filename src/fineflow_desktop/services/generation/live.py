"""Live generation runs: run with N workers, cancel, resume, retry.

Qt-free; the GUI worker and ``fineflow generate`` both call these. A run's chunks become work
items in SQLite (``store/models_generation.py``); ``run_generation`` drives them with a thread
pool of ``run.concurrency`` workers. Each worker claims an item (``pending → running``, one
commit), calls the provider through ``providers.retry.call_with_retry`` (Retry-After honoured,
≤ 5 retries, jittered backoff capped at 5 min), parses the reply and hands it to the run's
single writer thread, which stores the pairs and ``done`` in one transaction
(``generation.items``) while the worker already sends its next request. Auth/quota errors and exhausted retries
fall over to the next credential of the provider by priority; the answering credential is
recorded. Cancel leaves unfinished items ``pending``; a crash leaves some ``running``, which the
next start puts back to ``pending``. Run creation, listing and details live in ``generation.runs``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor, wait

from sqlalchemy import update

from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.services.generation import batch, items
from fineflow_desktop.services.generation.execution import (
    ProviderFactory, RunSummary, count_pairs, provider_for_run, runner_id,
)
from fineflow_desktop.services.generation.runs import acquire_run, release_run
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_generation import GenerationRun

log = logging.getLogger(__name__)

HEARTBEAT_S = 5.0  # how often a live run refreshes heartbeat_at
PROGRESS_TICK_S = 0.2  # progress refresh period of the coordinating thread
NO_JSON_RETRIES = 2  # re-asks when a reply has no JSON at all (our choice)
DEFAULT_GENERATION_MAX_TOKENS = 4096  # reply budget when neither run nor credential sets one
# Per-request timeout (s); a credential may set settings["timeout_s"]. Long replies of 3 pairs
# take tens of seconds on slow models, so more than the SDKs' usual 60 s.
DEFAULT_REQUEST_TIMEOUT_S = 120.0

def _fmt_eta(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def progress_message(done: int, failed: int, remaining: int, rate: float) -> str:
    """``"312 done · 4 failed · 84 left · 38.5 items/s · ETA 0:02"`` (ETA omitted at rate 0)."""
    eta = f" · ETA {_fmt_eta(remaining / rate)}" if rate > 0 and remaining else ""
    return f"{done} done · {failed} failed · {remaining} left · {rate:.1f} items/s{eta}"


class _AllCredentialsFailed(Exception):
    """Every credential of the chain is unusable (auth/quota); the run stops, items stay pending."""


class _Runner:
    """One execution of a run: the shared state of its worker threads."""

    def __init__(self, ws, cfg: items.RunConfig, state: TaskState, sleep, factory: ProviderFactory):
        from fineflow_desktop.providers.base import AuthError, BadRequestError, ProviderError, QuotaError
        from fineflow_desktop.providers.credentials import CredentialError, credentials_for, get_credential
        from fineflow_desktop.providers.retry import call_with_retry

        self._errors = (AuthError, QuotaError, BadRequestError, ProviderError)
        self._call_with_retry = call_with_retry
        self.ws, self.cfg, self.state, self.sleep, self.factory = ws, cfg, state, sleep, factory
        chain = credentials_for(ws, cfg.provider)
        first = [c for c in chain if c.id == cfg.credential_id]
        if not first and cfg.credential_id is not None:
            try:
                first = [get_credential(ws, cfg.credential_id)]
            except CredentialError:
                first = []  # deleted since the run was created: the provider's other credentials answer
        self.chain = first + [c for c in chain if c.id != cfg.credential_id]
        self.max_tokens = cfg.max_tokens or (first[0].max_tokens if first else 0) or DEFAULT_GENERATION_MAX_TOKENS
        self.temperature = cfg.temperature if cfg.temperature is not None else (first[0].temperature if first else 0.7)
        self.timeouts = {c.id: float((c.settings or {}).get("timeout_s") or DEFAULT_REQUEST_TIMEOUT_S) for c in self.chain}
        self.dead: dict[int, str] = {}  # credential id -> why it is unusable for this run
        self.providers: dict[int, object] = {}
        self.closers: list = []
        from fineflow_desktop.providers.usage import price_for

        self.price = price_for(ws, cfg.provider, cfg.model)
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.processed = 0
        self.stop = threading.Event()
        self.abort_reason: str | None = None
        # Finished items for the writer thread. Bounded: if the writer lags, workers wait rather
        # than pile up answers that a crash would lose (and the provider would bill again).
        self.writes: queue.Queue = queue.Queue(maxsize=max(1, cfg.concurrency))

    def provider(self, credential_id: int):
        """The adapter for a credential. A metered provider (registry) is unwrapped: this run
        records usage itself, in the same transaction as the pairs (one write instead of four
        per call, see ``generation_items.complete``); failed calls go through ``record_call``."""
        with self.lock:
            if credential_id not in self.providers:
                made = self.factory(self.ws, credential_id, self.cfg.run_id)
                self.providers[credential_id] = getattr(made, "inner", made)
                self.closers.append(made)
            return self.providers[credential_id]

    def cancel_check(self) -> bool:
        return self.state.cancelled or self.stop.is_set()

    def _record_failure(self, credential_id: int, exc: BaseException) -> None:
        try:
            from fineflow_desktop.providers.usage import record_call
        except ImportError:
            return
        with items.writer_lock(self.ws):
            record_call(self.ws, provider=self.cfg.provider, model=self.cfg.model, credential_id=credential_id, ok=False,
                        error_kind=type(exc).__name__, purpose="generate", run_id=self.cfg.run_id)

    def usage_for(self, credential_id: int, result) -> items.Usage:
        """Usage of one successful call, priced with the run's price (looked up once)."""
        from fineflow_desktop.providers.usage import cost_usd

        return items.Usage(self.cfg.provider, result.model or self.cfg.model, credential_id, result.input_tokens,
                           result.output_tokens, result.latency_s * 1000,
                           cost_usd(self.price, result.input_tokens, result.output_tokens))

    def call(self, messages: list[dict]):
        """Ask the chain; returns ``(credential_id, ChatResult)`` or raises the last error."""
        AuthError, QuotaError, BadRequestError, ProviderError = self._errors
        last: Exception | None = None
        for cred in self.chain:
            if cred.id in self.dead:
                continue
            try:
                provider = self.provider(cred.id)
                result = self._call_with_retry(
                    lambda: provider.chat(messages, self.cfg.model, temperature=self.temperature,
                                          max_tokens=self.max_tokens, json_mode=True,
                                          timeout_s=self.timeouts[cred.id]),
                    sleep=self.sleep, cancel_check=self.cancel_check,
                    on_retry=lambda _n, exc, _d, cid=cred.id: self._record_failure(cid, exc),
                )
            except BadRequestError as exc:
                self._record_failure(cred.id, exc)
                raise  # the request itself is wrong; another key would not help
            except (AuthError, QuotaError) as exc:
                self._record_failure(cred.id, exc)
                with self.lock:
                    self.dead[cred.id] = f"{cred.name}: {items.mask_error(exc)}"
                last = exc
                continue
            except ProviderError as exc:  # retries exhausted (5xx, 429, timeouts): try the next key
                self._record_failure(cred.id, exc)
                last = exc
                continue
            return cred.id, result
        if self.chain and all(c.id in self.dead for c in self.chain):
            raise _AllCredentialsFailed("; ".join(self.dead.values()))
        if last is None:
            raise RuntimeError(f"no credential for provider {self.cfg.provider!r}")
        raise last

    def work_one(self, item: items.ItemInput) -> None:
        """Process one claimed item to done or failed (or back to pending on cancel)."""
        messages = items.request_messages(self.cfg, item)
        answered_by = None
        try:
            for attempt in range(NO_JSON_RETRIES + 1):
                answered_by, result = self.call(messages)
                try:
                    outcome = items.process_reply(self.cfg, item, messages, result.text)
                    break
                except items.NoJSONError:
                    if attempt == NO_JSON_RETRIES:
                        raise
            # The store write happens on the writer thread, so this worker sends its next
            # request at once; the item stays "running" until the write commits.
            self.writes.put((item, outcome, answered_by, self.usage_for(answered_by, result)))
        except Cancelled:
            items.release(self.ws, item.item_id)
            raise
        except _AllCredentialsFailed as exc:
            items.release(self.ws, item.item_id)
            self.abort_reason = f"every credential failed: {items.mask_error(exc)}"
            self.stop.set()
        except Exception as exc:  # noqa: BLE001 - any error ends the item as failed, with its text
            items.fail(self.ws, item.item_id, f"{type(exc).__name__}: {exc}", answered_by)
            self._count("failed")

    def writer(self) -> None:
        """The single writer: stores each finished item (pairs + done + usage, one transaction)."""
        while (job := self.writes.get()) is not None:
            item, outcome, answered_by, usage = job
            try:
                items.complete(self.ws, self.cfg, item, outcome, answered_by, usage)
            except Exception as exc:  # noqa: BLE001 - e.g. the chunk was deleted meanwhile
                items.fail(self.ws, item.item_id, f"storing the pairs failed: {type(exc).__name__}: {exc}", answered_by)
                self._count("failed")
            else:
                self._count("done")

    def _count(self, key: str) -> None:
        with self.lock:
            self.counts[key] += 1
            self.counts["pending"] -= 1
            self.processed += 1

    def worker(self, feed: "_ItemFeed") -> None:
        while not (self.stop.is_set() or self.state.cancelled):
            item = feed.next()
            if item is None:
                return
            if not items.claim(self.ws, item.item_id):
                continue  # taken by someone else meanwhile
            try:
                self.work_one(item)
            except Cancelled:
                return


class _ItemFeed:
    """Hands pending items to the workers in order, loading chunk text a page at a time
    (one query per ``PAGE`` items instead of one per item)."""

    PAGE = 128

    def __init__(self, runner: _Runner, ids: list[int]):
        self.runner, self.ids, self.pos = runner, ids, 0
        self.buffer: deque[items.ItemInput] = deque()
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def next(self) -> items.ItemInput | None:
        with self.lock:
            while not self.buffer and self.pos < len(self.ids):
                page = self.ids[self.pos:self.pos + self.PAGE]
                self.pos += len(page)
                loaded = items.load_items(self.runner.ws, page)
                for item_id in page:
                    if item_id in loaded:
                        self.buffer.append(loaded[item_id])
                    else:  # its chunk was deleted since the run was created
                        items.fail(self.runner.ws, item_id, "the chunk no longer exists")
                        self.runner._count("failed")
            return self.buffer.popleft() if self.buffer else None


def run_generation(ws, run_id: int, state: TaskState | None = None, *, sleep=time.sleep,
                   include_failed: bool = False, provider_factory: ProviderFactory | None = None) -> RunSummary:
    """Execute run *run_id* until no pending item is left, it is cancelled, or every credential fails.

    Items left ``running`` by a crashed process go back to ``pending`` first; with
    *include_failed* failed items are retried too. Batch runs are handed to
    ``generation.batch.run_batch``. *sleep* is used for retry waits (tests pass a fake).
    Raises ``LookupError`` for an unknown run and ``RunBusyError`` if another live process
    is executing it. Returns a ``RunSummary``; status is ``completed``, ``partial``,
    ``cancelled`` or ``failed`` (``error`` says why).
    """
    state = state or TaskState()
    cfg = items.load_config(ws, run_id)
    if cfg.is_batch:
        return batch.run_batch(ws, run_id, state, sleep=sleep, provider_factory=provider_factory or provider_for_run,
                               include_failed=include_failed)
    acquire_run(ws, run_id, runner_id())
    try:
        summary = _execute(ws, cfg, state, sleep, include_failed, provider_factory or provider_for_run)
        log.info("generation run finished", extra={
            "workspace": str(ws.path), "run_id": run_id, "provider": cfg.provider, "model": cfg.model,
            "status": summary.status, "items_done": summary.done, "items_failed": summary.failed,
            "pairs": summary.pairs, "duration_ms": round(summary.elapsed_s * 1000)})
        return summary
    except BaseException as exc:
        # Unexpected error (or KeyboardInterrupt): claimed items go back to pending; the run is
        # marked failed with the reason so the user can Resume after fixing it.
        items.reset_states(ws, run_id, ("running",))
        items.refresh_run_counts(ws, run_id, status="failed" if isinstance(exc, Exception) else "cancelled",
                                 error=items.mask_error(f"{type(exc).__name__}: {exc}"), runner=None, finished_at=utcnow())
        raise
    finally:
        release_run(ws, run_id)


def _execute(ws, cfg: items.RunConfig, state: TaskState, sleep, include_failed: bool, factory) -> RunSummary:
    run_id = cfg.run_id
    items.reset_states(ws, run_id, ("running",) + (("failed",) if include_failed else ()))
    runner = _Runner(ws, cfg, state, sleep, factory)
    runner.counts.update(items.state_counts(ws, run_id))
    total = sum(runner.counts.values())
    feed = _ItemFeed(runner, items.pending_ids(ws, run_id))
    start = last_beat = time.monotonic()
    n_workers = max(1, min(cfg.concurrency, len(feed) or 1))
    writer = threading.Thread(target=runner.writer, name=f"gen-run{run_id}-writer", daemon=True)
    writer.start()
    try:
        with ThreadPoolExecutor(n_workers, thread_name_prefix=f"gen-run{run_id}") as pool:
            futures = [pool.submit(runner.worker, feed) for _ in range(n_workers)]
            while True:
                try:
                    finished, _ = wait(futures, timeout=PROGRESS_TICK_S)
                except BaseException:  # e.g. Ctrl+C in the CLI: let workers stop after their item
                    runner.stop.set()
                    raise
                elapsed = time.monotonic() - start
                with runner.lock:
                    done, failed, pending, processed = (runner.counts["done"], runner.counts["failed"],
                                                        runner.counts["pending"], runner.processed)
                rate = processed / elapsed if elapsed > 0 else 0.0
                state.progress(done + failed, total, progress_message(done, failed, pending, rate))
                if len(finished) == len(futures):
                    break
                if time.monotonic() - last_beat >= HEARTBEAT_S:
                    _heartbeat(ws, run_id)
                    last_beat = time.monotonic()
        for f in futures:
            f.result()  # re-raise programming errors of a worker
    finally:
        runner.stop.set()
        runner.writes.put(None)  # the writer drains what the workers finished, then stops
        writer.join()
        for p in runner.closers:
            getattr(p, "close", lambda: None)()
    elapsed = time.monotonic() - start
    counts = items.state_counts(ws, run_id)
    if runner.abort_reason:
        status = "failed"
    elif counts["pending"] or counts["running"]:
        status = "cancelled"  # stopped by the user (or early): unfinished items stay pending
    else:
        status = "partial" if counts["failed"] else "completed"
    items.refresh_run_counts(ws, run_id, status=status, error=runner.abort_reason, runner=None,
                             finished_at=utcnow(), heartbeat_at=utcnow())
    summary = RunSummary(run_id, status, counts["done"], counts["failed"], counts["pending"] + counts["running"],
                         count_pairs(ws, run_id), runner.processed, elapsed,
                         runner.processed / elapsed if elapsed > 0 else 0.0, runner.abort_reason)
    state.progress(summary.done + summary.failed, total,
                   progress_message(summary.done, summary.failed, summary.pending, summary.rate))
    return summary


def _heartbeat(ws, run_id: int) -> None:
    with items.writer_lock(ws), ws.session() as s:
        s.execute(update(GenerationRun).where(GenerationRun.id == run_id).values(heartbeat_at=utcnow()))


def resume_run(ws, run_id: int, state: TaskState | None = None, **kwargs) -> RunSummary:
    """Continue an interrupted/cancelled run: its pending and failed items (batch: keep polling)."""
    return run_generation(ws, run_id, state, include_failed=True, **kwargs)


def retry_failed(ws, run_id: int, state: TaskState | None = None, **kwargs) -> RunSummary:
    """Retry the run's failed items (and finish any pending ones). Raises ``ValueError`` for
    a batch run whose batch is still pending (retry after it ended)."""
    cfg = items.load_config(ws, run_id)
    if cfg.is_batch:
        return batch.retry_failed_batch(ws, run_id, state or TaskState(), **kwargs)
    return run_generation(ws, run_id, state, include_failed=True, **kwargs)
