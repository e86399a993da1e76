"""The provider interface every LLM adapter implements, and the errors it raises.

Generation code depends only on this module: ``ChatProvider.chat`` sends one chat request and
returns a ``ChatResult`` or raises one of the ``ProviderError`` subclasses below, which the
retry policy (``providers/retry.py``) classifies: ``RateLimitError`` (honour ``retry_after``),
``ServerError`` and ``TransientError`` are retried with backoff; ``AuthError``,
``QuotaError`` and ``BadRequestError`` are not, and auth/quota trigger credential fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass
class ChatResult:
    """One completed chat call. Token counts as reported by the provider; latency in seconds."""

    text: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    raw_finish_reason: str | None = None


@dataclass
class ModelInfo:
    """A model the credential can use, as listed by the provider."""

    id: str
    owned_by: str | None = None


class ProviderError(Exception):
    """Base class; ``str()`` never contains an API key (keys are masked as ``sk-…abcd``)."""

    retryable = False

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class AuthError(ProviderError):
    """401/403: bad or missing key. Not retried; the run falls back to the next credential."""


class QuotaError(ProviderError):
    """Billing quota exhausted (e.g. OpenAI 429 ``insufficient_quota``). Falls back, not retried."""


class BadRequestError(ProviderError):
    """400/404/422: the request itself is wrong (model name, parameters). Not retried."""


class RateLimitError(ProviderError):
    """429: retry after ``retry_after`` seconds (from the ``Retry-After`` header) or backoff."""

    retryable = True

    def __init__(self, message: str, status: int | None = 429, retry_after: float | None = None):
        super().__init__(message, status)
        self.retry_after = retry_after


class ServerError(ProviderError):
    """5xx from the provider. Retried with backoff."""

    retryable = True


class TransientError(ProviderError):
    """Timeout, dropped connection, DNS failure. Retried with backoff."""

    retryable = True


@runtime_checkable
class ChatProvider(Protocol):
    """An LLM endpoint bound to one credential (key, base URL, settings)."""

    name: str  # provider kind: "openai", "anthropic", "compatible", "extractive"

    def chat(
        self,
        messages: list[dict],
        model: str,
        *,
        temperature: float = 0.7,
        max_tokens: int = 1024,
        json_mode: bool = False,
        timeout_s: float = 60.0,
    ) -> ChatResult:
        """Send OpenAI-style ``messages`` (role/content dicts); return the reply."""
        ...

    def list_models(self) -> list[ModelInfo]:
        """Models visible to this credential (``GET /v1/models``)."""
        ...


@dataclass
class PingResult:
    """One level of a connection test: ``level`` 1 reach+auth, 2 model access, 3 end-to-end."""

    level: int
    ok: bool
    latency_ms: float
    detail: str = ""
    extra: dict = field(default_factory=dict)
