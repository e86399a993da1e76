"""A loopback fake of the Anthropic API (Messages, Message Batches, Models), typed by the SDK.

Tests drive the real ``anthropic`` SDK against it over real sockets.

Usage::

    from fakes.anthropic_fake import AnthropicFake      # tests/ is on sys.path under pytest
    with AnthropicFake(api_key="sk-ant-test", latency_s=0.2) as fake:
        client = anthropic.Anthropic(api_key="sk-ant-test", base_url=fake.base_url, max_retries=0)
        ...
        assert fake.violations == []

    # or the pytest fixture: ``from fakes.fixtures import anthropic_fake``

Endpoints: ``POST /v1/messages``, ``POST /v1/messages/batches``, ``GET /v1/messages/batches/{id}``,
``GET /v1/messages/batches/{id}/results`` (JSONL), ``POST /v1/messages/batches/{id}/cancel``,
``GET /v1/models``, ``GET /v1/models/{id}``.

There is no published OpenAPI file here, so request checking follows the SDK's own types:
the body's keys must be fields of ``anthropic.types.MessageCreateParamsBase`` (the API rejects
extra inputs), ``model``/``max_tokens``/``messages`` are required with the JSON types the
TypedDicts declare, roles alternate between ``user``/``assistant``, and the
``anthropic-version`` header and a key (``x-api-key`` or ``Authorization: Bearer``) must be
present. With ``validate_responses=True`` the fake parses its own answers with the SDK's
pydantic models (``Message``, ``MessageBatch``, ``ModelInfo``,
``MessageBatchIndividualResponse``). Violations answer 400 in Anthropic's error shape
(``{"type": "error", "error": {"type": ..., "message": ...}}``) and go to ``fake.violations``.

Knobs as in ``tests/fakes/server.py`` (``latency_s``, ``failure_mix``/``fail_next`` with kinds
``429`` (+``retry-after``), ``500``, ``529`` (``overloaded_error``), ``timeout``,
``disconnect``, ``malformed``, ``quota`` (400 "credit balance is too low", as the real API
answers)), plus ``api_key``, ``models``, ``responder(body) -> str | dict | Reply`` (dict keys:
``content``, ``stop_reason``, ``input_tokens``, ``output_tokens``), ``batch_complete_after_s``,
``complete_batches()``, ``batch_line_failure_rate``.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import anthropic
from anthropic.types import Message, ModelInfo, message_create_params
from anthropic.types.messages import MessageBatch, MessageBatchIndividualResponse

from fineflow_desktop.core.tokens import count_tokens, get_encoding

from .openai_fake import MALFORMED_OUTPUT, default_responder
from .server import FakeAPI, Reply, Request, bearer_or_key

DEFAULT_MODELS = ("claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1")
# Body fields the SDK's MessageCreateParams declare; user_profile_id/workspace_id travel as headers.
ALLOWED_FIELDS = set(message_create_params.MessageCreateParamsBase.__annotations__) - {"user_profile_id", "workspace_id"} | {"stream"}
REQUIRED_FIELDS = ("model", "max_tokens", "messages")


def _iso(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def message_problems(body: Any) -> list[str]:
    """Why *body* is not a valid Messages request (empty list if it is)."""
    if not isinstance(body, dict):
        return ["body: must be a JSON object"]
    problems = [f"{k}: Field required" for k in REQUIRED_FIELDS if k not in body]
    problems += [f"{k}: Extra inputs are not permitted" for k in body if k not in ALLOWED_FIELDS]
    if "model" in body and not (isinstance(body["model"], str) and body["model"]):
        problems.append("model: must be a non-empty string")
    if "max_tokens" in body and not (isinstance(body["max_tokens"], int) and not isinstance(body["max_tokens"], bool) and body["max_tokens"] >= 1):
        problems.append("max_tokens: must be an integer >= 1")
    msgs = body.get("messages")
    if "messages" in body:
        if not isinstance(msgs, list) or not msgs:
            problems.append("messages: must be a non-empty array")
        else:
            for i, m in enumerate(msgs):
                if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
                    problems.append(f"messages.{i}.role: Input should be 'user' or 'assistant'")
                    continue
                c = m.get("content")
                if not (isinstance(c, str) or (isinstance(c, list) and all(isinstance(b, dict) and "type" in b for b in c))):
                    problems.append(f"messages.{i}.content: must be a string or a list of content blocks")
                if i and isinstance(msgs[i - 1], dict) and msgs[i - 1].get("role") == m.get("role"):
                    problems.append(f"messages.{i}: roles must alternate between 'user' and 'assistant'")
    if "system" in body:
        s = body["system"]
        if not (isinstance(s, str) or (isinstance(s, list) and all(isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str) for b in s))):
            problems.append("system: must be a string or a list of text blocks")
    if "stop_sequences" in body and not (isinstance(body["stop_sequences"], list) and all(isinstance(x, str) for x in body["stop_sequences"])):
        problems.append("stop_sequences: must be a list of strings")
    return problems


def _openai_style(body: dict) -> dict:
    """Messages request seen as an OpenAI-style body, so ``default_responder`` can be shared."""
    msgs = []
    for m in body.get("messages", []):
        c = m.get("content")
        if isinstance(c, list):
            c = " ".join(b.get("text", "") for b in c if isinstance(b, dict))
        msgs.append({"role": m.get("role"), "content": c})
    sys_text = body.get("system") if isinstance(body.get("system"), str) else ""
    wants_json = "json" in (sys_text or "").lower()
    return {"model": body.get("model"), "messages": msgs, **({"response_format": {"type": "json_object"}} if wants_json else {})}


class AnthropicFake(FakeAPI):
    """See the module docstring."""

    base_path = ""  # the SDK appends /v1/... itself
    default_failure_paths = ("/v1/messages",)

    def __init__(self, *, models: tuple[str, ...] | list[str] = DEFAULT_MODELS, responder: Callable[[dict], Any] | None = None,
                 validate_responses: bool = True, batch_complete_after_s: float = 0.2, batch_line_failure_rate: float = 0.0, **kw):
        super().__init__(**kw)
        self.models = list(models)
        get_encoding()  # warm tiktoken so the first answer is not 1 s late
        self.responder = responder or (lambda body: default_responder(_openai_style(body)))
        self.validate_responses = validate_responses
        self.batch_complete_after_s = batch_complete_after_s
        self.batch_line_failure_rate = batch_line_failure_rate
        self.batches: dict[str, dict] = {}
        self._created = datetime(2025, 9, 29, tzinfo=timezone.utc)

    def _pick_failure(self, req: Request) -> str | None:
        # Failures hit message creation only, not batch polling.
        if req.method != "POST" or req.path != "/v1/messages":
            return None
        return super()._pick_failure(req)

    # -- helpers -------------------------------------------------------------------------------
    def error_body(self, status: int, kind: str, message: str) -> dict:
        etype = {
            "rate_limit": "rate_limit_error", "server": "overloaded_error" if status == 529 else "api_error",
            "api_error": "api_error", "insufficient_quota": "invalid_request_error",
        }.get(kind, kind)
        if kind == "insufficient_quota":
            message = "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."
            if status == 429:
                status = 400
        if status == 529:
            message = "Overloaded"
        return {"type": "error", "error": {"type": etype, "message": message}, "request_id": self.new_id("req_")}

    def failure_reply(self, req: Request, kind: str) -> Reply:
        if kind == "quota":
            return Reply(400, self.error_body(400, "insufficient_quota", ""))
        reply = super().failure_reply(req, kind)
        if kind == "429":
            reply.headers = {"retry-after": f"{self.retry_after_s:g}"}
        return reply

    def _err(self, status: int, etype: str, message: str) -> Reply:
        return Reply(status, {"type": "error", "error": {"type": etype, "message": message}, "request_id": self.new_id("req_")},
                     headers={"request-id": self.new_id("req_")})

    def message_bodies(self) -> list[dict]:
        """JSON bodies of every ``POST /v1/messages`` received."""
        return [e.json for e in self.log if e.method == "POST" and e.path == "/v1/messages"]

    def check_auth(self, req: Request) -> Reply | None:
        key = bearer_or_key(req.headers)
        if not key:
            return self._err(401, "authentication_error", "x-api-key header is required")
        if self.api_key is not None and key != self.api_key:
            return self._err(401, "authentication_error", "invalid x-api-key")
        if "anthropic-version" not in req.headers:
            self.record_violation(req, "anthropic-version header missing")
            return self._err(400, "invalid_request_error", "anthropic-version: header is required")
        return None

    def _check(self, req: Request, model_cls, payload: Any) -> None:
        if self.validate_responses:
            try:
                model_cls.model_validate(payload)
            except Exception as exc:  # noqa: BLE001
                self.record_violation(req, f"response does not match {model_cls.__name__}: {exc}")

    # -- routing -------------------------------------------------------------------------------
    def route(self, req: Request, malformed: bool = False) -> Reply:
        p, m = req.path, req.method
        if (m, p) == ("POST", "/v1/messages"):
            problems = message_problems(req.json)
            if problems:
                self.record_violation(req, problems[0])
                return self._err(400, "invalid_request_error", problems[0])
            status, payload = self.complete_message(req.json, malformed)
            if status == 200:
                self._check(req, Message, payload)
            return Reply(status, payload)
        if (m, p) == ("GET", "/v1/models"):
            data = [self._model(x) for x in self.models]
            for d in data:
                self._check(req, ModelInfo, d)
            return Reply(200, {"data": data, "has_more": False, "first_id": self.models[0] if self.models else None,
                               "last_id": self.models[-1] if self.models else None})
        if m == "GET" and (mt := re.fullmatch(r"/v1/models/([^/]+)", p)):
            if mt.group(1) not in self.models:
                return self._err(404, "not_found_error", f"model: {mt.group(1)}")
            return Reply(200, self._model(mt.group(1)))
        if (m, p) == ("POST", "/v1/messages/batches"):
            return self._create_batch(req)
        if mt := re.fullmatch(r"/v1/messages/batches/([^/]+)(/results|/cancel)?", p):
            b = self.batches.get(mt.group(1))
            if b is None:
                return self._err(404, "not_found_error", f"message_batch: {mt.group(1)}")
            if mt.group(2) == "/results" and m == "GET":
                self._advance(b)
                if b["processing_status"] != "ended":
                    return self._err(400, "invalid_request_error", "Batch is still processing; results are not available yet.")
                lines = b["_results"]
                for line in lines:
                    self._check(req, MessageBatchIndividualResponse, line)
                return Reply(200, "".join(json.dumps(x) + "\n" for x in lines), content_type="application/binary")
            if mt.group(2) == "/cancel" and m == "POST":
                if b["processing_status"] == "in_progress":
                    b["processing_status"], b["cancel_initiated_at"] = "canceling", _iso(datetime.now(timezone.utc))
            if m == "GET" or mt.group(2) == "/cancel":
                view = self._batch_view(b)
                self._check(req, MessageBatch, view)
                return Reply(200, view)
        self.record_violation(req, f"no endpoint {m} {p} in the Anthropic API")
        return self._err(404, "not_found_error", f"Not found: {m} {p}")

    # -- endpoints -----------------------------------------------------------------------------
    def _model(self, mid: str) -> dict:
        return {"type": "model", "id": mid, "display_name": mid.replace("-", " ").title(),
                "created_at": _iso(self._created), "lifecycle": "active"}

    def complete_message(self, body: dict, malformed: bool = False) -> tuple[int, dict]:
        """(status, JSON) for one Messages request body (also used by batches)."""
        if body["model"] not in self.models:
            return 404, {"type": "error", "error": {"type": "not_found_error", "message": f"model: {body['model']}"}}
        out = self.responder(body)
        if isinstance(out, Reply):
            return out.status, out.body
        spec = out if isinstance(out, dict) else {"content": out}
        content = MALFORMED_OUTPUT if malformed else spec.get("content", "")
        stop = spec.get("stop_reason", "end_turn")
        enc = get_encoding()
        toks = enc.encode(content)
        if len(toks) > body["max_tokens"]:
            content, stop = enc.decode(toks[: body["max_tokens"]]), "max_tokens"
        prompt = json.dumps(body.get("messages")) + (body.get("system") if isinstance(body.get("system"), str) else "")
        return 200, {
            "id": self.new_id("msg_"), "type": "message", "role": "assistant", "model": body["model"],
            "content": [{"type": "text", "text": content}], "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": spec.get("input_tokens", count_tokens(prompt)),
                      "output_tokens": spec.get("output_tokens", min(len(toks), body["max_tokens"]))},
        }

    def _create_batch(self, req: Request) -> Reply:
        body = req.json
        if not isinstance(body, dict) or not isinstance(body.get("requests"), list) or not body["requests"]:
            self.record_violation(req, "requests: must be a non-empty array")
            return self._err(400, "invalid_request_error", "requests: Field required")
        ids = []
        for i, r in enumerate(body["requests"]):
            if not isinstance(r, dict) or "custom_id" not in r or "params" not in r:
                self.record_violation(req, f"requests.{i}: custom_id and params are required")
                return self._err(400, "invalid_request_error", f"requests.{i}: custom_id and params are required")
            if not re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", str(r["custom_id"])):
                self.record_violation(req, f"requests.{i}.custom_id: must match ^[a-zA-Z0-9_-]{{1,64}}$")
                return self._err(400, "invalid_request_error", f"requests.{i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'")
            problems = message_problems(r["params"])
            if problems:
                self.record_violation(req, f"requests.{i}.params.{problems[0]}")
                return self._err(400, "invalid_request_error", f"requests.{i}.params.{problems[0]}")
            ids.append(r["custom_id"])
        if len(set(ids)) != len(ids):
            return self._err(400, "invalid_request_error", "requests: custom_id values must be unique within a batch")
        now = datetime.now(timezone.utc)
        bid = self.new_id("msgbatch_")
        b = {"id": bid, "type": "message_batch", "processing_status": "in_progress",
             "request_counts": {"processing": len(ids), "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0},
             "ended_at": None, "created_at": _iso(now), "expires_at": _iso(now + timedelta(hours=24)),
             "archived_at": None, "cancel_initiated_at": None, "results_url": None,
             "_requests": body["requests"], "_t0": time.monotonic(), "_results": []}
        self.batches[bid] = b
        view = self._batch_view(b)
        self._check(req, MessageBatch, view)
        return Reply(200, view)

    def complete_batches(self) -> None:
        """End every pending batch now."""
        for b in self.batches.values():
            self._advance(b, force=True)

    def _advance(self, b: dict, force: bool = False) -> None:
        if b["processing_status"] == "ended":
            return
        canceling = b["processing_status"] == "canceling"
        if not canceling and not force and time.monotonic() - b["_t0"] < self.batch_complete_after_s:
            return
        counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        results = []
        for r in b["_requests"]:
            if canceling:
                result = {"type": "canceled"}
            elif self._rng.random() < self.batch_line_failure_rate:
                result = {"type": "errored", "error": {"type": "error", "error": {"type": "api_error", "message": "Internal server error (fake)."}}}
            else:
                status, payload = self.complete_message(r["params"])
                result = ({"type": "succeeded", "message": payload} if status == 200
                          else {"type": "errored", "error": {"type": "error", "error": payload["error"]}})
            counts[{"succeeded": "succeeded", "errored": "errored", "canceled": "canceled"}[result["type"]]] += 1
            results.append({"custom_id": r["custom_id"], "result": result})
        b.update(processing_status="ended", ended_at=_iso(datetime.now(timezone.utc)), request_counts=counts,
                 results_url=f"{self.root_url}/v1/messages/batches/{b['id']}/results", _results=results)

    def _batch_view(self, b: dict) -> dict:
        self._advance(b)
        return {k: v for k, v in b.items() if not k.startswith("_")}


__all__ = ["AnthropicFake", "message_problems", "anthropic"]
