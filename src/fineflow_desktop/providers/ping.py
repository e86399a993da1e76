"""Three-level connection test of a credential, stored with time, and its history.

Level 1 "reach + authenticate": list the models (``GET /models``) — proves the URL answers
and the key is accepted. Level 2 "model accessible": the credential's model is in that list,
or ``GET /models/{id}`` answers (some servers list only part of what they serve). Level 3
"end-to-end": a tiny prompt (``PING_PROMPT``, ≤ 16 output tokens) returns text. A level runs
only if the one before passed; skipped levels are reported as not ok with detail "skipped".
Latency is wall time per level in milliseconds. No retries: a test shows the first answer.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.base import PingResult, ProviderError
from fineflow_desktop.providers.keys import scrub
from fineflow_desktop.store.models_providers import PingResult as PingRow

LEVEL_NAMES = {1: "Reach + authenticate", 2: "Model accessible", 3: "End-to-end prompt"}
PING_PROMPT = "Reply with the single word: pong"
PING_MAX_TOKENS = 16
PING_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class PingRecord:
    """A stored level result with its time and test id."""

    test_id: str
    credential_id: int
    level: int
    ok: bool
    latency_ms: float
    model: str
    detail: str
    created_at: datetime

    def to_dict(self) -> dict:
        d = asdict(self)
        d["created_at"] = self.created_at.isoformat(timespec="seconds")
        d["level_name"] = LEVEL_NAMES[self.level]
        return d


def _timed(fn):
    start = time.perf_counter()
    try:
        value = fn()
        return True, value, (time.perf_counter() - start) * 1000, None
    except ProviderError as exc:
        return False, None, (time.perf_counter() - start) * 1000, exc
    except Exception as exc:  # noqa: BLE001 - a test must report, never crash the UI
        return False, None, (time.perf_counter() - start) * 1000, exc


_WHERE = re.compile(r"^\w+ [^:]*? at \S+?: ")  # error_map's "<provider> <what> at <url>: " prefix


def _describe(exc: BaseException) -> str:
    """``Type: message`` without the provider/URL prefix (the test already names both)."""
    return scrub(f"{type(exc).__name__}: {_WHERE.sub('', str(exc), count=1)}")


def run_ping(provider, model: str, *, levels: int = 3, on_level=None) -> list[PingResult]:
    """Run up to *levels* levels on *provider* (a ChatProvider); returns one result per level.

    ``on_level(PingResult)`` is called as each level finishes (for live UI updates).
    """
    results: list[PingResult] = []

    def emit(r: PingResult) -> None:
        results.append(r)
        if on_level is not None:
            on_level(r)

    ok, models, ms, err = _timed(provider.list_models)
    ids = [m.id for m in models] if ok else []
    emit(PingResult(1, ok, ms, f"{len(ids)} models listed" if ok else _describe(err), {"models": ids[:200]}))
    if levels >= 2:
        if not ok:
            emit(PingResult(2, False, 0.0, "skipped: level 1 failed"))
        elif not model:
            emit(PingResult(2, False, 0.0, "no model set for this credential"))
        elif model in ids:
            emit(PingResult(2, True, 0.0, f"{model} is listed"))
        else:
            retrieve = getattr(provider, "retrieve_model", None)
            if retrieve is None:
                emit(PingResult(2, False, 0.0, f"{model} is not in the model list"))
            else:
                ok2, _, ms2, err2 = _timed(lambda: retrieve(model))
                emit(PingResult(2, ok2, ms2, f"{model} is accessible" if ok2 else f"{model} is not accessible: {_describe(err2)}"))
    if levels >= 3:
        if not results[-1].ok:
            emit(PingResult(3, False, 0.0, "skipped: level 2 failed"))
        else:
            msgs = [{"role": "user", "content": PING_PROMPT}]
            ok3, res, ms3, err3 = _timed(lambda: provider.chat(msgs, model, temperature=0.0, max_tokens=PING_MAX_TOKENS, timeout_s=PING_TIMEOUT_S))
            if ok3 and not (res.text or "").strip():
                ok3, detail = False, "the model answered with empty text"
            elif ok3:
                detail = f"answered {res.text.strip()[:40]!r} ({res.input_tokens}+{res.output_tokens} tokens)"
            else:
                detail = _describe(err3)
            emit(PingResult(3, ok3, ms3, detail))
    return results


def test_credential(ws, credential_id: int | str, *, levels: int = 3, on_level=None) -> list[PingResult]:
    """Run the connection test for a stored credential and store each level's result.

    Errors building the provider (missing key, bad URL) become a failed level 1. The level-3
    call is recorded in usage with purpose ``ping``.
    """
    from fineflow_desktop.providers.registry import provider_for_credential

    info = creds.get_credential(ws, credential_id)
    test_id = uuid.uuid4().hex
    try:
        provider = provider_for_credential(ws, info.id, purpose="ping", timeout_s=PING_TIMEOUT_S)
    except (ProviderError, ValueError) as exc:
        results = [PingResult(1, False, 0.0, _describe(exc))]
        results += [PingResult(n, False, 0.0, "skipped: level 1 failed") for n in range(2, levels + 1)]
        for r in results:
            if on_level is not None:
                on_level(r)
    else:
        try:
            results = run_ping(provider, info.model, levels=levels, on_level=on_level)
        finally:
            provider.close()
    with ws.session() as s:
        for r in results:
            s.add(PingRow(credential_id=info.id, test_id=test_id, level=r.level, ok=r.ok,
                          latency_ms=round(r.latency_ms, 1), model=info.model, detail=scrub(r.detail)[:2000]))
    return results


test_credential.__test__ = False  # not a pytest test despite the name


def ping_history(ws, credential_id: int, limit: int = 20) -> list[list[PingRecord]]:
    """The last *limit* tests of a credential, newest first, each as its list of levels."""
    with ws.session() as s:
        rows = s.scalars(select(PingRow).where(PingRow.credential_id == credential_id)
                         .order_by(PingRow.created_at.desc(), PingRow.id.desc()).limit(limit * 3)).all()
        recs = [PingRecord(r.test_id, r.credential_id, r.level, r.ok, r.latency_ms, r.model, r.detail, r.created_at) for r in rows]
    tests: dict[str, list[PingRecord]] = {}
    for r in recs:
        tests.setdefault(r.test_id, []).append(r)
    out = [sorted(levels, key=lambda x: x.level) for levels in tests.values()]
    return out[:limit]


def last_status(ws, credential_id: int) -> tuple[bool | None, datetime | None, str]:
    """(all levels ok?, when, one-line summary) of the latest test; ``(None, None, "never tested")``."""
    hist = ping_history(ws, credential_id, limit=1)
    if not hist:
        return None, None, "never tested"
    levels = hist[0]
    ok = all(l.ok for l in levels)
    failed = next((l for l in levels if not l.ok), None)
    summary = "all levels passed" if ok else f"level {failed.level} ({LEVEL_NAMES[failed.level]}) failed: {failed.detail}"
    return ok, levels[0].created_at, summary
