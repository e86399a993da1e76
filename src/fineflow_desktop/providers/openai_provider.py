"""OpenAI adapter over the official ``openai`` SDK (3.x, sync client).

Always passes an explicit ``base_url`` (an ``OPENAI_BASE_URL`` in the environment would
otherwise silently redirect the client, shared/design "Known traps") and ``max_retries=0``
(``providers/retry.py`` owns retries). SDK exceptions become ``providers.base`` errors via
``error_map``. The underlying client is exposed as ``.client`` for the Files and Batch APIs.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator

from fineflow_desktop.providers.base import ChatResult, ModelInfo, ProviderError
from fineflow_desktop.providers.batch import BatchRequest, BatchResult
from fineflow_desktop.providers.error_map import map_sdk_exception, sdk_errors
from fineflow_desktop.providers.keys import remember_secret

OPENAI_BASE_URL = "https://api.openai.com/v1"
# Reasoning models reject max_tokens (need max_completion_tokens) and any temperature but the
# default (OpenAI API reference, "Reasoning models").
_REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")
OPENAI_BATCH_ENDED = ("completed", "failed", "expired", "cancelled")  # Batch API: terminal statuses


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
        import openai  # here, not at module level: the SDK takes ~0.9 s to import (cold start)

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

    # --- BatchProvider (providers/batch.py): OpenAI Batch API, one JSONL file per batch ---
    max_batch_requests = 50_000  # OpenAI Batch API guide: up to 50,000 requests per batch
    max_batch_bytes = 190 * 1024 * 1024  # input files are capped at 200 MB; keep headroom

    def prepare_batch_request(self, request: BatchRequest) -> tuple[bytes, int]:
        """One JSONL line for ``/v1/chat/completions`` (JSON reply) and its size in bytes."""
        body: dict = {"model": request.model, "messages": request.messages, "response_format": {"type": "json_object"},
                      "max_completion_tokens": request.max_tokens}
        if not is_reasoning_model(request.model):  # reasoning models accept only the default temperature
            body["temperature"] = request.temperature
        line = json.dumps({"custom_id": request.custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body},
                          ensure_ascii=False).encode() + b"\n"
        return line, len(line)

    def submit_batch(self, entries: list[bytes], *, label: str, metadata: dict[str, str], checkpoint) -> dict:
        """Upload the lines as a ``batch`` file, checkpoint its id, create the batch (24 h window)."""
        with sdk_errors(f"{self.name} batch submission"):
            f = self.client.files.create(file=(f"{label}.jsonl", io.BytesIO(b"".join(entries)), "application/jsonl"),
                                         purpose="batch")
            checkpoint({"input_file_id": f.id})  # a crash right after can still find the batch (find_batch)
            b = self.client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h",
                                           metadata=metadata)
        return {"id": b.id, "status": b.status}

    def refresh_batch(self, record: dict) -> tuple[bool, dict]:
        """``GET /v1/batches/{id}``: status, output/error file ids, request counts, errors."""
        with sdk_errors(f"{self.name} batch {record['id']}"):
            b = self.client.batches.retrieve(record["id"])
        fields = {"status": b.status, "output_file_id": b.output_file_id, "error_file_id": b.error_file_id,
                  "counts": b.request_counts.model_dump() if b.request_counts else None}
        if b.status == "failed" and b.errors:
            fields["error"] = "; ".join(f"{e.code}: {e.message}" for e in (b.errors.data or [])[:3])
        return b.status in OPENAI_BATCH_ENDED, fields

    def batch_results(self, record: dict) -> Iterator[BatchResult]:
        """Results read from the batch's output and error files."""
        with sdk_errors(f"{self.name} batch {record['id']}"):
            for key in ("output_file_id", "error_file_id"):
                if record.get(key):
                    yield from _openai_result_lines(self.client.files.content(record[key]).text)

    def cancel_batch(self, record: dict) -> None:
        """``POST /v1/batches/{id}/cancel`` (the batch goes ``cancelling`` then ``cancelled``)."""
        with sdk_errors(f"{self.name} batch {record['id']} (cancel)"):
            self.client.batches.cancel(record["id"])

    def find_batch(self, record: dict) -> str | None:
        """The batch created from the record's uploaded input file, if any (newest 100 listed)."""
        if not record.get("input_file_id"):
            return None
        with sdk_errors(f"{self.name} batch list"):
            for b in self.client.batches.list(limit=100):
                if b.input_file_id == record["input_file_id"]:
                    return b.id
        return None


def _openai_result_lines(text: str) -> Iterator[BatchResult]:
    """``BatchResult``s of an output/error file (JSONL, one line per request)."""
    for raw in text.splitlines():
        if not raw.strip():
            continue
        line = json.loads(raw)
        resp = line.get("response") or {}
        body = resp.get("body") or {}
        if resp.get("status_code") == 200 and body.get("choices"):
            usage = body.get("usage") or {}
            yield BatchResult(line.get("custom_id"), True, body["choices"][0]["message"].get("content") or "", None,
                              usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0))
        else:
            err = line.get("error") or (body.get("error") if isinstance(body, dict) else None) or {}
            msg = err.get("message") if isinstance(err, dict) else str(err)
            yield BatchResult(line.get("custom_id"), False, None, f"HTTP {resp.get('status_code')}: {msg}")
