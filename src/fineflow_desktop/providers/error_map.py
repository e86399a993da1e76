"""Map HTTP status / SDK exceptions of the OpenAI and Anthropic SDKs to ``providers.base`` errors.

Rules (issue 4): 401/403 → ``AuthError``; 402 or 429 with code ``insufficient_quota`` →
``QuotaError``; other 429 → ``RateLimitError`` with ``retry_after`` from ``retry-after-ms`` or
``Retry-After`` (delta-seconds or HTTP-date, RFC 9110 §10.2.3); 5xx and Anthropic's 529
``overloaded_error`` → ``ServerError``; timeouts and connection errors → ``TransientError``;
400/404/409/413/422 and any other 4xx → ``BadRequestError``, except Anthropic's 400 "credit
balance is too low" and ``billing_error``, which are ``QuotaError``. Messages pass through
``keys.scrub`` so a key echoed by a server never escapes.
"""

from __future__ import annotations

import email.utils
import time
from contextlib import contextmanager
from typing import Any, Mapping

from fineflow_desktop.providers.base import (
    AuthError,
    BadRequestError,
    ProviderError,
    QuotaError,
    RateLimitError,
    ServerError,
    TransientError,
)
from fineflow_desktop.providers.keys import scrub

QUOTA_CODES = {"insufficient_quota", "billing_hard_limit_reached", "billing_not_active", "billing_error"}
# Anthropic answers an empty prepaid balance with 400 invalid_request_error and this text.
_QUOTA_PHRASES = ("credit balance is too low",)


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` (OpenAI) or ``Retry-After`` (seconds or HTTP-date).

    Returns ``None`` when absent or unparseable; never negative.
    """
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _error_fields(body: Any) -> tuple[str | None, str | None, str | None]:
    """(code, type, message) from an OpenAI ``{"error": {...}}`` or Anthropic error body."""
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict):
            return err.get("code"), err.get("type"), err.get("message")
    return None, None, None


def error_for_status(status: int, body: Any, headers: Mapping[str, str] | None, fallback_message: str, where: str) -> ProviderError:
    """The ``ProviderError`` for an HTTP error response. *where* names the provider/endpoint."""
    code, etype, message = _error_fields(body)
    text = scrub(f"{where}: HTTP {status}: {message or fallback_message}")
    if status in (401, 403):
        return AuthError(text, status)
    if status == 402 or code in QUOTA_CODES or etype in QUOTA_CODES or any(p in (message or "").lower() for p in _QUOTA_PHRASES):
        return QuotaError(text, status)
    if status == 429:
        return RateLimitError(text, status, retry_after=parse_retry_after(headers))
    if status >= 500 or status == 529:
        return ServerError(text, status)
    if status == 408:
        return TransientError(text, status)
    return BadRequestError(text, status)


SDK_MODULES = ("openai", "anthropic", "together", "fireworks", "httpx", "httpx2", "httpcore")


@contextmanager
def sdk_errors(where: str):
    """Re-raise exceptions of the SDKs (and their HTTP stacks) as ``ProviderError`` naming
    *where*; anything else (a database error, a bug) passes through unchanged."""
    try:
        yield
    except ProviderError:
        raise
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in SDK_MODULES:
            raise map_sdk_exception(exc, where) from exc
        raise


def map_sdk_exception(exc: BaseException, where: str) -> ProviderError:
    """Translate an ``openai`` or ``anthropic`` SDK exception (or any other) to a ``ProviderError``.

    Works by duck typing (``status_code``, ``response``, ``body``) so both SDKs share it.
    """
    if isinstance(exc, ProviderError):
        return exc
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    response = getattr(exc, "response", None)
    if isinstance(status, int) and response is not None:
        headers = {k.lower(): v for k, v in response.headers.items()}
        return error_for_status(status, getattr(exc, "body", None), headers, getattr(exc, "message", "") or name, where)
    if "Timeout" in name:
        return TransientError(scrub(f"{where}: request timed out"))
    if "Connection" in name:
        cause = exc.__cause__ or exc.__context__
        detail = f" ({type(cause).__name__}: {cause})" if cause else ""
        return TransientError(scrub(f"{where}: connection failed{detail}"))
    if "ResponseValidation" in name:
        return ServerError(scrub(f"{where}: malformed response: {exc}"))
    return ProviderError(scrub(f"{where}: {name}: {exc}"))
