"""Build a ``ChatProvider`` for a stored credential; metered calls; fallback across credentials.

``provider_for_credential(ws, credential_id)`` reads the credential row and its key (keyring or
session memory) and returns an adapter wrapped in ``MeteredProvider``, which records every
``chat`` call (ok or failed) in ``usage_records`` and the credential's counters.
``chat_with_fallback`` runs one request on a provider kind's credentials in fallback order
(default first, then priority): retryable errors are retried per ``providers.retry``; on
``AuthError``, ``QuotaError`` or exhausted retries it moves to the next credential;
``BadRequestError`` is raised at once (another key would not fix the request).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.base import (
    AuthError,
    BadRequestError,
    ChatProvider,
    ChatResult,
    ModelInfo,
    ProviderError,
)
from fineflow_desktop.providers.retry import call_with_retry

DEFAULT_TIMEOUT_S = 60.0


class NoCredentialError(ProviderError):
    """No usable credential for a provider kind (none stored, or all failed)."""


def build_provider(kind: str, *, base_url: str = "", api_key: str | None = None, settings: dict | None = None,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> ChatProvider:
    """An unmetered adapter from plain values (e.g. a form not saved yet).

    Raises ``AuthError`` when *kind* needs a key and none is given, ``BadRequestError`` for an
    unknown kind or a bad base URL.
    """
    settings = settings or {}
    if kind in ("openai", "anthropic") and not api_key:
        raise AuthError(f"{kind}: no API key is stored for this credential; add one in Settings")
    if kind == "openai":
        from fineflow_desktop.providers.openai_provider import OpenAIProvider

        return OpenAIProvider(api_key, base_url or None, timeout_s=timeout_s, settings=settings)
    if kind == "anthropic":
        from fineflow_desktop.providers.anthropic_provider import AnthropicProvider

        return AnthropicProvider(api_key, base_url or None, timeout_s=timeout_s, settings=settings)
    if kind == "compatible":
        from fineflow_desktop.providers.compatible import CompatibleError, CompatibleProvider

        try:
            return CompatibleProvider(base_url, api_key, timeout_s=timeout_s, settings=settings)
        except CompatibleError as exc:
            raise BadRequestError(str(exc)) from None
    if kind == "extractive":
        from fineflow_desktop.providers.extractive import ExtractiveProvider

        return ExtractiveProvider()
    raise BadRequestError(f"provider: unknown provider kind {kind!r}")


def workspace_chat_defaults(ws) -> dict | None:
    """``{"chat_model", "temperature", "max_tokens", "instructions"}`` of the workspace's AI
    Settings (the ``ai_config`` row; ``services.retrieval.ai_config`` edits it), ``None`` before it
    exists. Issue 12: AI Settings is the one place for chat defaults, credentials hold connection
    data and limits."""
    from fineflow_desktop.store.models_retrieval import AiConfig

    with ws.session() as s:
        row = s.get(AiConfig, 1)
        if row is None:
            return None
        return {"chat_model": row.chat_model, "temperature": row.temperature, "max_tokens": row.max_tokens,
                "instructions": row.instructions}


class MeteredProvider:
    """Wraps an adapter; records each ``chat`` call in usage (tokens, latency, cost, errors).

    ``credential_id``, ``credential_name``, ``concurrency`` and the defaults of a call that omits
    them are exposed for callers: ``temperature`` and ``max_tokens`` from the workspace's AI
    Settings (``workspace_chat_defaults``; the credential's old columns only before AI Settings
    exist), ``model`` = the credential's test model, else the workspace chat model.
    ``purpose`` and ``run_id`` are stored with each usage record. Safe to share across threads
    (each record is its own short session).
    """

    def __init__(self, inner: ChatProvider, ws, info: creds.CredentialInfo, *, purpose: str = "chat", run_id: int | None = None):
        self.inner, self.ws, self.info = inner, ws, info
        self.name = inner.name
        self.credential_id, self.credential_name = info.id, info.name
        defaults = workspace_chat_defaults(ws) if ws is not None else None
        if defaults is None:
            self.model, self.temperature, self.max_tokens = info.model, info.temperature, info.max_tokens
        else:
            self.model = info.model or defaults["chat_model"]
            self.temperature, self.max_tokens = defaults["temperature"], defaults["max_tokens"]
        self.concurrency = info.concurrency
        self.purpose, self.run_id = purpose, run_id

    def chat(self, messages: list[dict], model: str | None = None, *, temperature: float | None = None,
             max_tokens: int | None = None, json_mode: bool = False, timeout_s: float = DEFAULT_TIMEOUT_S) -> ChatResult:
        """``inner.chat`` with the credential's defaults for omitted arguments, then recorded."""
        from fineflow_desktop.providers.usage import record_call

        model = model or self.model
        if not model:
            raise BadRequestError(f"credential {self.credential_name!r}: no model given and no preferred model set")
        start = time.perf_counter()
        try:
            result = self.inner.chat(
                messages, model,
                temperature=self.temperature if temperature is None else temperature,
                max_tokens=self.max_tokens if max_tokens is None else max_tokens,
                json_mode=json_mode, timeout_s=timeout_s,
            )
        except ProviderError as exc:
            record_call(self.ws, provider=self.name, model=model, credential_id=self.credential_id,
                        latency_ms=(time.perf_counter() - start) * 1000, ok=False,
                        error_kind=type(exc).__name__, purpose=self.purpose, run_id=self.run_id)
            raise
        record_call(self.ws, provider=self.name, model=result.model or model, credential_id=self.credential_id,
                    input_tokens=result.input_tokens, output_tokens=result.output_tokens,
                    latency_ms=result.latency_s * 1000, purpose=self.purpose, run_id=self.run_id)
        return result

    def list_models(self) -> list[ModelInfo]:
        return self.inner.list_models()

    def retrieve_model(self, model: str) -> ModelInfo:
        """``GET /models/{id}`` where the adapter supports it, else a search of ``list_models``."""
        if hasattr(self.inner, "retrieve_model"):
            return self.inner.retrieve_model(model)
        for m in self.inner.list_models():
            if m.id == model:
                return m
        raise BadRequestError(f"model {model!r} is not available", 404)

    @property
    def client(self):
        """The SDK client (OpenAI/Anthropic) for Files/Batch APIs; ``None`` for extractive."""
        return getattr(self.inner, "client", None)

    def close(self) -> None:
        if hasattr(self.inner, "close"):
            self.inner.close()


def provider_for_credential(ws, credential_id: int | str, *, purpose: str = "chat", run_id: int | None = None,
                            timeout_s: float = DEFAULT_TIMEOUT_S) -> MeteredProvider:
    """The metered ``ChatProvider`` of a stored credential (by id or name).

    Raises ``creds.CredentialError`` if it does not exist, ``AuthError`` if it needs a key and
    none is stored (or the keyring cannot be read), ``BadRequestError`` for a bad base URL.
    """
    info = creds.get_credential(ws, credential_id)
    key = creds.get_credential_key(ws, info.id) if info.provider != "extractive" else None
    try:
        inner = build_provider(info.provider, base_url=info.base_url, api_key=key, settings=info.settings, timeout_s=timeout_s)
    except AuthError:
        raise AuthError(
            f"credential {info.name!r} ({info.provider}): no API key available "
            f"({'key was saved but the keyring cannot be read' if info.has_key else 'none saved'}); add one in Settings"
        ) from None
    return MeteredProvider(inner, ws, info, purpose=purpose, run_id=run_id)


def providers_by_name(ws, *, purpose: str = "preview") -> dict[str, MeteredProvider]:
    """``{credential name: metered provider}`` for every credential that can be used now
    (credentials without a usable key are left out). Used by template previews."""
    out: dict[str, MeteredProvider] = {}
    for info in creds.list_credentials(ws):
        try:
            out[info.name] = provider_for_credential(ws, info.id, purpose=purpose)
        except ProviderError:
            continue
    return out


@dataclass
class FallbackAttempt:
    """One credential tried by ``chat_with_fallback`` and why it was left."""

    credential_id: int
    credential_name: str
    error: str


def chat_with_fallback(
    ws,
    kind: str,
    messages: list[dict],
    *,
    model: str | None = None,
    credential_ids: list[int] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    cancel_check: Callable[[], object] | None = None,
    on_retry: Callable[[int, BaseException, float], None] | None = None,
    purpose: str = "chat",
    run_id: int | None = None,
    **chat_kwargs,
) -> tuple[ChatResult, int, list[FallbackAttempt]]:
    """Send *messages* with the first credential of *kind* that answers.

    Returns ``(result, credential_id_that_answered, failed_attempts)``. *credential_ids*
    overrides the order (default: ``credentials_for(ws, kind)``). Raises ``BadRequestError`` at
    once, and ``NoCredentialError`` (message lists each credential's error) when all fail.
    """
    ids = credential_ids if credential_ids is not None else [c.id for c in creds.credentials_for(ws, kind)]
    if not ids:
        raise NoCredentialError(f"{kind}: no credential is configured; add one in Settings")
    failed: list[FallbackAttempt] = []
    for cid in ids:
        try:
            provider = provider_for_credential(ws, cid, purpose=purpose, run_id=run_id)
            result = call_with_retry(lambda: provider.chat(messages, model, **chat_kwargs),
                                     sleep=sleep, cancel_check=cancel_check, on_retry=on_retry)
            return result, cid, failed
        except BadRequestError:
            raise
        except ProviderError as exc:  # auth, quota, retries exhausted: next credential
            info = creds.get_credential(ws, cid)
            failed.append(FallbackAttempt(cid, info.name, f"{type(exc).__name__}: {exc}"))
    summary = "; ".join(f"{a.credential_name}: {a.error}" for a in failed)
    raise NoCredentialError(f"{kind}: every credential failed ({summary})")
