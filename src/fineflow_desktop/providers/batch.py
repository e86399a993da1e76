"""The batch interface: many chat requests sent at once, answered within hours, at about half
price (OpenAI Batch API, Anthropic Message Batches). ``services.generation.batch`` works only
through ``BatchProvider``; the OpenAI and Anthropic adapters implement it.

A batch is described by a *record*, a JSON-ready dict the service stores on the run (so any
later process can poll it): the adapter returns the fields to keep (``id``, ``status`` and
anything it needs later, e.g. OpenAI's ``input_file_id`` / ``output_file_id``) and receives
the record back on every later call. Every method raises ``providers.base.ProviderError``
subclasses naming the provider and the batch (SDK errors are mapped by ``error_map``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from fineflow_desktop.providers.base import BadRequestError


@dataclass(frozen=True)
class BatchRequest:
    """One chat request of a batch. *messages* are OpenAI-style (``system`` first); the reply
    is asked for as JSON; *custom_id* (``[A-Za-z0-9_-]{1,64}``, Anthropic's rule) matches the
    result back. *max_tokens* is the reply budget in tokens."""

    custom_id: str
    messages: list[dict]
    model: str
    max_tokens: int
    temperature: float


@dataclass(frozen=True)
class BatchResult:
    """The answer to one request: *text* when *ok*, else *error* (a short reason)."""

    custom_id: str
    ok: bool
    text: str | None
    error: str | None
    input_tokens: int = 0
    output_tokens: int = 0


@runtime_checkable
class BatchProvider(Protocol):
    """What a provider with a batch API offers (see the module docstring for *record*)."""

    name: str
    max_batch_requests: int  # requests per batch (provider limit)
    max_batch_bytes: int  # encoded size per batch, bytes (provider limit minus headroom)

    def prepare_batch_request(self, request: BatchRequest) -> tuple[Any, int]:
        """``(entry, size_in_bytes)``: the request encoded for ``submit_batch``."""

    def submit_batch(self, entries: list[Any], *, label: str, metadata: dict[str, str],
                     checkpoint: Callable[[dict], None]) -> dict:
        """Create one batch of prepared *entries*; returns the record fields (``id``, ``status``…).
        *checkpoint(fields)* is called with fields worth storing before the batch exists (e.g. an
        uploaded input file), so that ``find_batch`` can recover it after a crash."""

    def refresh_batch(self, record: dict) -> tuple[bool, dict]:
        """``(ended, fields)``: whether the batch has ended, and the record fields to update."""

    def batch_results(self, record: dict) -> Iterator[BatchResult]:
        """The results of an ended batch, one per answered request."""

    def cancel_batch(self, record: dict) -> None:
        """Ask the provider to stop the batch (it ends later; answered requests keep results)."""

    def find_batch(self, record: dict) -> str | None:
        """The id of the batch made from a record that was checkpointed but never got one
        (a crash between upload and creation), or None if no batch was created."""


def as_batch_provider(provider: object) -> BatchProvider:
    """*provider* (an adapter, or a wrapper such as ``registry.MeteredProvider`` exposing the
    adapter as ``inner``) as a ``BatchProvider``; ``BadRequestError`` if it has no batch API."""
    for candidate in (provider, getattr(provider, "inner", None)):
        if isinstance(candidate, BatchProvider):
            return candidate
    raise BadRequestError(f"{getattr(provider, 'name', type(provider).__name__)}: this provider has no batch API")
