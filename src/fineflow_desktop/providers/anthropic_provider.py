"""Anthropic adapter over the official ``anthropic`` SDK (Messages API, sync client).

OpenAI-style ``messages`` are converted: ``system`` turns are joined into the ``system``
parameter, consecutive same-role turns are merged (the Messages API wants alternating
user/assistant turns starting with user). Temperature is not sent: the Messages API of the
pinned SDK (anthropic 2.12, ``MessageCreateParams``) has no sampling parameters any more.
There is no JSON response mode in the Messages API we rely on, so ``json_mode`` adds a
"JSON only" instruction to the system prompt; parsers must stay tolerant.
Explicit ``base_url`` and ``max_retries=0`` as for OpenAI; errors mapped by ``error_map``
(529 ``overloaded_error`` → ``ServerError``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from fineflow_desktop.providers.base import BadRequestError, ChatResult, ModelInfo
from fineflow_desktop.providers.batch import BatchRequest, BatchResult
from fineflow_desktop.providers.error_map import map_sdk_exception, sdk_errors
from fineflow_desktop.providers.keys import remember_secret

ANTHROPIC_BASE_URL = "https://api.anthropic.com"
JSON_INSTRUCTION = "Respond with a single valid JSON value only, no prose and no code fences."


def to_anthropic_messages(messages: list[dict]) -> tuple[str, list[dict]]:
    """Split OpenAI-style messages into ``(system, messages)`` for the Messages API.

    Raises ``BadRequestError`` if no user/assistant turn remains or a role is unknown.
    """
    system_parts: list[str] = []
    out: list[dict] = []
    for i, m in enumerate(messages):
        role, content = m.get("role"), m.get("content") or ""
        if role in ("system", "developer"):
            system_parts.append(content)
            continue
        if role not in ("user", "assistant"):
            raise BadRequestError(f"anthropic: messages[{i}].role {role!r} is not system/user/assistant")
        if out and out[-1]["role"] == role:
            out[-1]["content"] += "\n\n" + content
        else:
            out.append({"role": role, "content": content})
    if not out:
        raise BadRequestError("anthropic: messages contain no user turn")
    if out[0]["role"] != "user":
        out.insert(0, {"role": "user", "content": "(continue)"})
    return "\n\n".join(p for p in system_parts if p), out


class AnthropicProvider:
    """``ChatProvider`` for the Anthropic Messages API. *api_key* required."""

    name = "anthropic"

    def __init__(self, api_key: str, base_url: str | None = None, *, timeout_s: float = 60.0, settings: dict | None = None):
        remember_secret(api_key)
        self.base_url = (base_url or ANTHROPIC_BASE_URL).rstrip("/")
        self.settings = settings or {}
        import anthropic  # here, not at module level: the SDK is slow to import (cold start)

        self.client = anthropic.Anthropic(api_key=api_key, base_url=self.base_url, max_retries=0, timeout=timeout_s)

    def _where(self, what: str) -> str:
        return f"anthropic {what} at {self.base_url}"

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
        """One Messages API call (``temperature`` is accepted for the protocol and ignored)."""
        system, msgs = to_anthropic_messages(messages)
        if json_mode:
            system = f"{system}\n\n{JSON_INSTRUCTION}".strip()
        kwargs: dict = {
            "model": model,
            "messages": msgs,
            "max_tokens": max_tokens,
            "timeout": timeout_s,
        }
        if system:
            kwargs["system"] = system
        start = time.perf_counter()
        try:
            resp = self.client.messages.create(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every SDK error is mapped
            raise map_sdk_exception(exc, self._where("messages")) from None
        latency = time.perf_counter() - start
        text = "".join(getattr(b, "text", "") for b in (resp.content or []) if getattr(b, "type", "") == "text")
        usage = getattr(resp, "usage", None)
        return ChatResult(
            text=text,
            model=resp.model or model,
            input_tokens=int(getattr(usage, "input_tokens", 0) or 0),
            output_tokens=int(getattr(usage, "output_tokens", 0) or 0),
            latency_s=latency,
            raw_finish_reason=getattr(resp, "stop_reason", None),
        )

    def list_models(self) -> list[ModelInfo]:
        """``GET /v1/models`` (all pages)."""
        try:
            return [ModelInfo(m.id, "anthropic") for m in self.client.models.list(limit=1000)]
        except Exception as exc:  # noqa: BLE001
            raise map_sdk_exception(exc, self._where("model list")) from None

    def retrieve_model(self, model: str) -> ModelInfo:
        """``GET /v1/models/{model}``; ``BadRequestError`` (404) if unknown."""
        try:
            m = self.client.models.retrieve(model)
            return ModelInfo(m.id, "anthropic")
        except Exception as exc:  # noqa: BLE001
            raise map_sdk_exception(exc, self._where(f"model {model!r}")) from None

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.client.close()

    # --- BatchProvider (providers/batch.py): Anthropic Message Batches ---
    max_batch_requests = 100_000  # Message Batches docs: 100,000 requests per batch
    max_batch_bytes = 190 * 1024 * 1024  # the docs cap a batch at 256 MB; same headroom as OpenAI

    def prepare_batch_request(self, request: BatchRequest) -> tuple[dict, int]:
        """One ``{"custom_id", "params"}`` entry (JSON instruction in the system prompt, no
        temperature: see the module docstring) and its JSON size in bytes."""
        system, msgs = to_anthropic_messages(request.messages)
        entry = {"custom_id": request.custom_id,
                 "params": {"model": request.model, "max_tokens": request.max_tokens,
                            "system": f"{system}\n\n{JSON_INSTRUCTION}".strip(), "messages": msgs}}
        return entry, len(json.dumps(entry))

    def submit_batch(self, entries: list[dict], *, label: str, metadata: dict[str, str], checkpoint) -> dict:
        """``POST /v1/messages/batches`` (*label*, *metadata* and *checkpoint* are not needed:
        the batch exists as soon as the call returns)."""
        with sdk_errors("anthropic batch submission"):
            b = self.client.messages.batches.create(requests=entries)
        return {"id": b.id, "status": b.processing_status}

    def refresh_batch(self, record: dict) -> tuple[bool, dict]:
        """``GET /v1/messages/batches/{id}``: processing status (``ended`` when done) and counts."""
        with sdk_errors(f"anthropic batch {record['id']}"):
            b = self.client.messages.batches.retrieve(record["id"])
        return b.processing_status == "ended", {"status": b.processing_status, "counts": b.request_counts.model_dump()}

    def batch_results(self, record: dict) -> Iterator[BatchResult]:
        """``GET /v1/messages/batches/{id}/results``: succeeded, errored, canceled or expired."""
        with sdk_errors(f"anthropic batch {record['id']}"):
            for entry in self.client.messages.batches.results(record["id"]):
                result = entry.result
                if result.type == "succeeded":
                    msg = result.message
                    text = "".join(getattr(b, "text", "") for b in msg.content if getattr(b, "type", "") == "text")
                    yield BatchResult(entry.custom_id, True, text, None, msg.usage.input_tokens, msg.usage.output_tokens)
                elif result.type == "errored":
                    err = getattr(result.error, "error", result.error)
                    yield BatchResult(entry.custom_id, False, None,
                                      f"{getattr(err, 'type', 'error')}: {getattr(err, 'message', err)}")
                else:
                    yield BatchResult(entry.custom_id, False, None, f"request {result.type} (batch ended before it ran)")

    def cancel_batch(self, record: dict) -> None:
        """``POST /v1/messages/batches/{id}/cancel`` (``canceling``, then ``ended``)."""
        with sdk_errors(f"anthropic batch {record['id']} (cancel)"):
            self.client.messages.batches.cancel(record["id"])

    def find_batch(self, record: dict) -> str | None:
        """Always None: an Anthropic batch is created in one call, nothing is left half-made."""
        return None
