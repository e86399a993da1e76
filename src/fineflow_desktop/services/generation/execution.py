"""What live runs (``live``) and batch runs (``batch``, ``batch_cancel``) share: the metered
provider of a run, this process's runner id, the pair count of a run and the ``RunSummary``
both return. Kept apart so that neither execution module imports the other's internals."""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass
from typing import Callable

from sqlalchemy import func, select

from fineflow_desktop.store.models import Pair

ProviderFactory = Callable[..., object]  # (ws, credential_id, run_id) -> ChatProvider (+ BatchProvider)


@dataclass
class RunSummary:
    """Outcome of one ``run_generation`` call (counts are over the whole run)."""

    run_id: int
    status: str
    done: int
    failed: int
    pending: int
    pairs: int
    processed: int  # items finished (done or failed) during this call
    elapsed_s: float
    rate: float  # processed / elapsed, items per second
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def runner_id() -> str:
    """``host:pid`` of this process (recorded on a run while it executes)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def provider_for_run(ws, credential_id: int, run_id: int | None = None):
    """The credential's metered provider (``providers.registry``): every call, ok or failed,
    lands in the usage records with purpose ``generate`` and the run id. The default
    ``ProviderFactory`` of live and batch runs."""
    from fineflow_desktop.providers.registry import provider_for_credential

    return provider_for_credential(ws, credential_id, purpose="generate", run_id=run_id)


def count_pairs(ws, run_id: int) -> int:
    """How many pairs run *run_id* has stored."""
    with ws.session() as s:
        return int(s.scalar(select(func.count()).select_from(Pair).where(Pair.run_id == run_id)))
