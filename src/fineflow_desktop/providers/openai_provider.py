"""OpenAI adapter over the official ``openai`` SDK (3.x, sync client).

Always passes an explicit ``base_url`` (an ``OPENAI_BASE_URL`` in the environment would
otherwise silently redirect the client, shared/design "Known traps") and ``max_retries=0``
(``providers/retry.py`` owns retries). SDK exceptions become ``providers.base`` errors via
``error_map``. The underlying client is exposed as ``.client`` for the Files and Batch APIs.
"""

from __future__ import annotations

import time

import openai

from fineflow_desktop.providers.base import ChatResult, ModelInfo, ProviderError
from fineflow_desktop.providers.error_map import map_sdk_exception
from fineflow_desktop.providers.keys import remember_secret

OPENAI_BASE_URL = "https://api.openai.com/v1"
# Reasoning models reject max_tokens (need max_completion_tokens) and any temperature but the
# default (OpenAI API reference, "Reasoning models").
_REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")


def is_reasoning_model(model: str) -> bool:
    """True for OpenAI reasoning models (o-series, gpt-5 family)."""
    return model.split("/")[-1].startswith(_REASONING_PREFIXES)


class OpenAIProvider:
    """``ChatProvider`` for api.openai.com (or any URL speaking the same API).

    *api_key* is required for OpenAI itself; *base_url* defaults to ``OPENAI_BASE_URL`` but is
    always passed explicitly. *timeout_s* is the default per-request timeout in seconds.
    ``settings`` may hold ``organization`` and ``project`` (OpenAI headers).
    """

    name = "openai"
    # OpenAI proper wants max_completion_tokens; OpenAI-compatible servers mostly only know
    # max_tokens (see compatible.py).
    _use_max_completion_tokens = True

    def __init__(self, api_key: str, base_url: str | None = None, *, timeout_s: float = 60.0, settings: dict | None = None):
        settings = settings or {}
        remember_secret(api_key)
        self.base_url = (base_url or OPENAI_BASE_URL).rstrip("/")
        self.client = openai.OpenAI(
            api_key=api_key,
            base_url=self.base_url,
            organization=settings.get("organization") or None,
            project=settings.get("project") or None,
            max_retries=0,
            timeout=timeout_s,
        )

    def _where(self, what: str) -> str:
        return f"{self.name} {what} at {self.base_url}"

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
        """One chat completion; raises a ``ProviderError`` subclass on failure."""
        kwargs: dict = {"model": model, "messages": messages, "timeout": timeout_s}
        reasoning = self._use_max_completion_tokens and is_reasoning_model(model)
        if not reasoning:
            kwargs["temperature"] = temperature
        if self._use_max_completion_tokens:
            kwargs["max_completion_tokens"] = max_tokens
        else:
            kwargs["max_tokens"] = max_tokens
        if json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        start = time.perf_counter()
        try:
            resp = self.client.chat.completions.create(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every SDK error is mapped
            raise map_sdk_exception(exc, self._where("chat")) from None
        latency = time.perf_counter() - start
        if not getattr(resp, "choices", None):
            raise ProviderError(f"{self._where('chat')}: response has no choices")
        choice = resp.choices[0]
        usage = getattr(resp, "usage", None)
        return ChatResult(
            text=(choice.message.content or "") if choice.message else "",
            model=resp.model or model,
            input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            latency_s=latency,
            raw_finish_reason=choice.finish_reason,
        )

    def list_models(self) -> list[ModelInfo]:
        """``GET /models``; raises ``AuthError`` for a bad key, ``TransientError`` if unreachable."""
        try:
            page = self.client.models.list()
            return [ModelInfo(m.id, getattr(m, "owned_by", None)) for m in page]
        except Exception as exc:  # noqa: BLE001
            raise map_sdk_exception(exc, self._where("model list")) from None

    def retrieve_model(self, model: str) -> ModelInfo:
        """``GET /models/{model}``; ``BadRequestError`` (404) if the key cannot use it."""
        try:
            m = self.client.models.retrieve(model)
            return ModelInfo(m.id, getattr(m, "owned_by", None))
        except Exception as exc:  # noqa: BLE001
            raise map_sdk_exception(exc, self._where(f"model {model!r}")) from None

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.client.close()
