"""A loopback fake of the OpenAI REST API, checked against the official OpenAPI spec.

Tests drive the real ``openai`` SDK against it over real sockets (openai 3.x uses httpx2, so
httpx mocking would not intercept anything).

Usage::

    from fakes.openai_fake import OpenAIFake      # tests/ is on sys.path under pytest
    with OpenAIFake(api_key="sk-test-1", latency_s=0.2) as fake:
        client = openai.OpenAI(api_key="sk-test-1", base_url=fake.base_url, max_retries=0)
        ...
        assert fake.violations == []            # every request matched the spec

    # or the pytest fixture: ``from fakes.fixtures import openai_fake`` in a test module

Endpoints (under ``/v1``): ``GET /models``, ``GET /models/{model}``, ``DELETE /models/{model}``
(fine-tuned models only: a base model answers 403), ``POST /chat/completions``
(incl. ``response_format`` ``json_object``/``json_schema``), ``POST /files`` (multipart),
``GET /files``, ``GET /files/{id}``, ``GET /files/{id}/content``, ``DELETE /files/{id}``,
``POST /batches``, ``GET /batches/{id}``, ``POST /batches/{id}/cancel``, ``POST /embeddings``.

Spec checking: the spec ``shared/specs/openai-openapi.yaml`` is loaded once (PyYAML CLoader).
Every request is matched to a spec operation (path template + method); request bodies are
validated with jsonschema (Draft 2020-12) against the operation's ``requestBody`` schema with
``$ref``s resolved inside the spec (``openai_spec.py``). A violation answers 400 (unknown path: 404) in OpenAI's
error shape and is appended to ``fake.violations``. With ``validate_responses=True`` (default)
the fake also checks its own 200 answers against the response schema.

Knobs (constructor args or attributes): ``api_key`` (wrong key → 401 ``invalid_api_key``;
``None`` accepts any key), ``models`` (ids listed by ``/models``; chat with another model → 404
``model_not_found``), ``latency_s``, ``failure_mix`` / ``fail_next`` / ``retry_after_s`` /
``hang_s`` (see ``tests/fakes/server.py``; failures apply to ``/chat/completions`` and
``/embeddings`` by default), ``responder(body) -> str | dict | Reply`` producing the assistant
content (a dict may set ``content``, ``finish_reason``, ``prompt_tokens``,
``completion_tokens``), ``batch_complete_after_s`` (a batch is ``in_progress`` until then,
``complete_batches()`` forces it), ``batch_line_failure_rate``.
Inspection: ``log``, ``requests_to(suffix)``, ``counts()``, ``max_concurrent``, ``files``,
``batches``, ``chat_bodies()``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import time
from typing import Any, Callable

from fineflow_desktop.core.tokens import chat_tokens, count_tokens, get_encoding

from .openai_spec import (  # noqa: F401 - re-exported for tests
    SPEC_PATH, load_spec, match_operation, parse_multipart, response_schema, schema_errors, validator_for,
)
from .server import FakeAPI, Reply, Request, bearer_or_key, fake_mask

DEFAULT_MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "text-embedding-3-small")
EMBED_DIMS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072, "text-embedding-ada-002": 1536}
MALFORMED_OUTPUT = 'Sure! Here are the pairs you asked for:\n```json\n{"pairs": [{"question": "What is'


def _last_user_text(messages: list[dict]) -> str:
    for m in reversed(messages or []):
        if m.get("role") == "user":
            c = m.get("content")
            if isinstance(c, list):
                return " ".join(p.get("text", "") for p in c if isinstance(p, dict))
            return c or ""
    return ""


def default_responder(body: dict) -> str:
    """Plausible content: JSON pairs when JSON was requested, ``pong`` for pings, else prose.

    The number of pairs follows "N pairs"/"N questions" in the prompt (default 3); answers
    quote sentences of the prompt so they are grounded and distinct per chunk.
    """
    text = _last_user_text(body.get("messages", []))
    fmt = (body.get("response_format") or {}).get("type")
    if fmt in ("json_object", "json_schema"):
        m = re.search(r"(\d+)\s+(?:pairs|questions|examples)", text)
        n = int(m.group(1)) if m else 3
        count_rx = re.compile(r"\d+\s+(?:pairs|questions|examples)")
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip() and not count_rx.search(s)]
        sentences = sentences or [text or "nothing"]
        pairs = [{"question": f"Question {i + 1} about: {sentences[i % len(sentences)][:60]}?",
                  "answer": sentences[i % len(sentences)][:400]} for i in range(n)]
        return json.dumps({"pairs": pairs})
    if "pong" in text.lower():
        return "pong"
    return f"(fake answer) {text[:200]}"


class OpenAIFake(FakeAPI):
    """See the module docstring."""

    base_path = "/v1"
    default_failure_paths = ("/chat/completions", "/embeddings")

    def __init__(self, *, models: tuple[str, ...] | list[str] = DEFAULT_MODELS, responder: Callable[[dict], Any] | None = None,
                 validate_responses: bool = True, batch_complete_after_s: float = 0.2, batch_line_failure_rate: float = 0.0,
                 **kw):
        super().__init__(**kw)
        load_spec()  # load before the first request, not inside a timed one
        self.models = list(models)
        get_encoding()  # warm tiktoken so the first answer is not 1 s late
        self.responder = responder or default_responder
        self.validate_responses = validate_responses
        self.batch_complete_after_s = batch_complete_after_s
        self.batch_line_failure_rate = batch_line_failure_rate
        self.files: dict[str, dict] = {}  # id -> {"meta": OpenAIFile dict, "content": bytes}
        self.batches: dict[str, dict] = {}
        self._created = int(time.time())

    # -- helpers -------------------------------------------------------------------------------
    def error_body(self, status: int, kind: str, message: str) -> dict:
        types = {
            "rate_limit": ("requests", "rate_limit_exceeded"),
            "insufficient_quota": ("insufficient_quota", "insufficient_quota"),
            "server": ("server_error", None),
            "api_error": ("server_error", None),
        }
        etype, code = types.get(kind, ("invalid_request_error", kind if kind not in ("invalid",) else None))
        return {"error": {"message": message, "type": etype, "param": None, "code": code}}

    def _err(self, status: int, message: str, code: str | None = None, param: str | None = None) -> Reply:
        return Reply(status, {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}},
                     headers={"x-request-id": self.new_id("req_")})

    def chat_bodies(self) -> list[dict]:
        """JSON bodies of every chat completion request received."""
        return [e.json for e in self.requests_to("/chat/completions", "POST")]

    def check_auth(self, req: Request) -> Reply | None:
        key = bearer_or_key(req.headers)
        if not key:
            return self._err(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
        if self.api_key is not None and key != self.api_key:
            return self._err(401, f"Incorrect API key provided: {fake_mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.", code="invalid_api_key")
        return None

    # -- routing -------------------------------------------------------------------------------
    def route(self, req: Request, malformed: bool = False) -> Reply:
        if not req.path.startswith(self.base_path + "/"):
            self.record_violation(req, "path outside /v1")
            return self._err(404, f"Invalid URL ({req.method} {req.path})")
        rel = req.path[len(self.base_path):]
        found = match_operation(req.method, rel)
        if found is None:
            self.record_violation(req, f"no operation {req.method} {rel} in the OpenAI spec")
            return self._err(404, f"Invalid URL ({req.method} {req.path})")
        op, params = found
        body = self._validate_request(req, op)
        if isinstance(body, Reply):
            return body
        handler = {
            ("GET", "/models"): self._list_models,
            ("POST", "/chat/completions"): self._chat,
            ("POST", "/files"): self._upload_file,
            ("GET", "/files"): self._list_files,
            ("POST", "/batches"): self._create_batch,
            ("POST", "/embeddings"): self._embeddings,
        }.get((req.method, rel))
        if handler is not None:
            reply = handler(body, malformed) if handler == self._chat else handler(body)
        else:
            reply = self._route_param(req.method, rel, params)
        raw_b64 = rel == "/embeddings" and (body or {}).get("encoding_format") == "base64"  # spec lists floats only
        if self.validate_responses and reply.status == 200 and isinstance(reply.body, dict) and not raw_b64:
            schema = response_schema(op)
            if schema is not None:
                for err in schema_errors(schema, reply.body):
                    self.record_violation(req, f"response does not match spec: {err}")
        reply.headers.setdefault("x-request-id", self.new_id("req_"))
        return reply

    def _route_param(self, method: str, rel: str, params: dict) -> Reply:
        if m := re.fullmatch(r"/models/([^/]+)", rel):
            model = params.get("model") or m.group(1)
            if model not in self.models:
                return self._err(404, f"The model `{model}` does not exist or you do not have access to it.", code="model_not_found")
            if method == "GET":
                return Reply(200, self._model(model))
            if method == "DELETE":  # spec deleteModel: "Delete a fine-tuned model" → DeleteModelResponse
                if self._model(model)["owned_by"] != "user":
                    return self._err(403, f"You do not have permission to delete the model `{model}`: only fine-tuned "
                                          "models of your organization can be deleted.", code="model_not_deletable")
                self.models.remove(model)
                return Reply(200, {"id": model, "object": "model", "deleted": True})
        if m := re.fullmatch(r"/files/([^/]+)(/content)?", rel):
            f = self.files.get(m.group(1))
            if f is None:
                return self._err(404, f"No such File object: {m.group(1)}", param="id")
            if m.group(2):
                return Reply(200, f["content"], content_type="application/octet-stream")
            if method == "DELETE":
                del self.files[m.group(1)]
                return Reply(200, {"id": m.group(1), "object": "file", "deleted": True})
            return Reply(200, f["meta"])
        if m := re.fullmatch(r"/batches/([^/]+)(/cancel)?", rel):
            b = self.batches.get(m.group(1))
            if b is None:
                return self._err(404, f"No batch found with id '{m.group(1)}'.")
            if m.group(2):
                if b["status"] in ("validating", "in_progress"):
                    b["status"], b["cancelling_at"] = "cancelling", int(time.time())
                return Reply(200, self._batch_view(b))
            return Reply(200, self._batch_view(b))
        return Reply(501, {"error": {"message": f"fake does not implement {method} {rel}", "type": "server_error", "param": None, "code": None}})

    def _validate_request(self, req: Request, op: dict) -> Any:
        rb = op.get("requestBody")
        if rb is None:
            return None
        ctype = req.headers.get("content-type", "")
        content = rb.get("content", {})
        if "multipart/form-data" in content:
            if "multipart/form-data" not in ctype:
                self.record_violation(req, f"expected multipart/form-data, got {ctype!r}")
                return self._err(400, "Expected multipart/form-data.")
            fields = parse_multipart(ctype, req.body)
            instance = {k: ("<binary>" if isinstance(v, tuple) else v) for k, v in fields.items()}
            schema = content["multipart/form-data"]["schema"]
            body: Any = fields
        else:
            if req.json is None:
                if rb.get("required"):
                    self.record_violation(req, "missing or invalid JSON body")
                    return self._err(400, "We could not parse the JSON body of your request.")
                return None
            instance = body = req.json
            schema = content.get("application/json", {}).get("schema")
        if schema:
            errors = schema_errors(schema, instance)
            if errors:
                self.record_violation(req, errors[0])
                return self._err(400, f"Invalid request: {errors[0]}", param=errors[0].split(":")[0])
        return body

    # -- endpoints -----------------------------------------------------------------------------
    def _model(self, mid: str) -> dict:
        return {"id": mid, "object": "model", "created": self._created, "owned_by": "openai" if mid.startswith(("gpt", "text-", "o")) else "user"}

    def _list_models(self, _body) -> Reply:
        return Reply(200, {"object": "list", "data": [self._model(m) for m in self.models]})

    def complete_chat(self, body: dict, malformed: bool = False) -> tuple[int, dict]:
        """(status, JSON) for one chat completion request body (also used by batches)."""
        model = body["model"]
        if model not in self.models:
            return 404, {"error": {"message": f"The model `{model}` does not exist or you do not have access to it.",
                                   "type": "invalid_request_error", "param": None, "code": "model_not_found"}}
        if "max_tokens" in body and "max_completion_tokens" in body:
            return 400, {"error": {"message": "max_tokens and max_completion_tokens cannot both be set", "type": "invalid_request_error", "param": "max_tokens", "code": None}}
        out = self.responder(body)
        if isinstance(out, Reply):
            return out.status, out.body
        spec = out if isinstance(out, dict) else {"content": out}
        content = MALFORMED_OUTPUT if malformed else spec.get("content", "")
        finish = spec.get("finish_reason", "stop")
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        enc = get_encoding()
        toks = enc.encode(content)
        if limit and len(toks) > limit:
            content, finish = enc.decode(toks[:limit]), "length"
        prompt_tokens = spec.get("prompt_tokens", chat_tokens(body.get("messages", [])))
        completion_tokens = spec.get("completion_tokens", min(len(toks), limit or len(toks)))
        return 200, {
            "id": self.new_id("chatcmpl-"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None, "annotations": []},
                         "logprobs": None, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }

    def _chat(self, body: dict, malformed: bool) -> Reply:
        status, payload = self.complete_chat(body, malformed)
        return Reply(status, payload)

    def _upload_file(self, fields: dict) -> Reply:
        filename, data = fields["file"]
        fid = self.new_id("file-")
        meta = {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                "expires_at": int(time.time()) + 30 * 86400, "filename": filename or "upload",
                "purpose": fields["purpose"], "status": "processed"}
        self.files[fid] = {"meta": meta, "content": data}
        return Reply(200, meta)

    def _list_files(self, _body) -> Reply:
        data = [f["meta"] for f in self.files.values()]
        page = {"object": "list", "data": data, "has_more": False}
        if data:
            page.update(first_id=data[0]["id"], last_id=data[-1]["id"])
        return Reply(200, page)

    def _add_output_file(self, lines: list[dict], name: str) -> str:
        data = "".join(json.dumps(l) + "\n" for l in lines).encode()
        fid = self.new_id("file-")
        self.files[fid] = {"meta": {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                                    "expires_at": int(time.time()) + 30 * 86400, "filename": name,
                                    "purpose": "batch_output", "status": "processed"},
                           "content": data}
        return fid

    def _create_batch(self, body: dict) -> Reply:
        f = self.files.get(body["input_file_id"])
        if f is None:
            return self._err(400, f"Invalid 'input_file_id': '{body['input_file_id']}'. File not found.", param="input_file_id")
        if f["meta"]["purpose"] != "batch":
            return self._err(400, "The input file must be uploaded with purpose 'batch'.", param="input_file_id")
        now = int(time.time())
        bid = self.new_id("batch_")
        lines, errors = [], []
        for i, raw in enumerate(f["content"].decode("utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except ValueError:
                errors.append({"code": "invalid_json_line", "message": "This line is not parseable as valid JSON.", "param": None, "line": i})
                continue
            missing = [k for k in ("custom_id", "method", "url", "body") if k not in line]
            if missing:
                errors.append({"code": "missing_required_parameter", "message": f"Missing {missing[0]}", "param": missing[0], "line": i})
                continue
            if line["url"] != body["endpoint"]:
                errors.append({"code": "mismatched_endpoint", "message": "The URL of this line does not match the batch endpoint.", "param": "url", "line": i})
                continue
            problems = schema_errors({"$ref": "#/components/schemas/CreateChatCompletionRequest"}, line["body"]) if body["endpoint"] == "/v1/chat/completions" else []
            if problems:
                errors.append({"code": "invalid_request", "message": problems[0], "param": "body", "line": i})
                continue
            lines.append(line)
        ids = [l["custom_id"] for l in lines]
        if len(set(ids)) != len(ids):
            errors.append({"code": "duplicate_custom_id", "message": "The custom_id for each request must be unique.", "param": "custom_id", "line": None})
        b = {
            "id": bid, "object": "batch", "endpoint": body["endpoint"], "errors": None,
            "input_file_id": body["input_file_id"], "completion_window": body["completion_window"],
            "status": "validating", "output_file_id": None, "error_file_id": None, "created_at": now,
            "in_progress_at": None, "expires_at": now + 86400, "finalizing_at": None, "completed_at": None,
            "failed_at": None, "expired_at": None, "cancelling_at": None, "cancelled_at": None,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "metadata": body.get("metadata"), "_lines": lines, "_t0": time.monotonic(),
        }
        if errors:
            b.update(status="failed", failed_at=now, errors={"object": "list", "data": errors})
        self.batches[bid] = b
        return Reply(200, self._batch_view(b))

    def complete_batches(self) -> None:
        """Finish every pending batch now."""
        for b in self.batches.values():
            self._advance(b, force=True)

    def _advance(self, b: dict, force: bool = False) -> None:
        now = int(time.time())
        if b["status"] == "cancelling":
            b.update(status="cancelled", cancelled_at=now)
            return
        if b["status"] not in ("validating", "in_progress"):
            return
        if b["status"] == "validating":
            b.update(status="in_progress", in_progress_at=now)
        if not force and time.monotonic() - b["_t0"] < self.batch_complete_after_s:
            return
        out, err = [], []
        for line in b["_lines"]:
            rid = self.new_id("batch_req_")
            if self._rng.random() < self.batch_line_failure_rate:
                status, payload = 500, self.error_body(500, "server", "The server had an error processing this request (fake).")
            else:
                status, payload = self.complete_chat(line["body"])
            entry = {"id": rid, "custom_id": line["custom_id"],
                     "response": {"status_code": status, "request_id": self.new_id("req_"), "body": payload}, "error": None}
            (out if status == 200 else err).append(entry)
        b["output_file_id"] = self._add_output_file(out, f"{b['id']}_output.jsonl") if out else None
        b["error_file_id"] = self._add_output_file(err, f"{b['id']}_error.jsonl") if err else None
        b["request_counts"] = {"total": len(b["_lines"]), "completed": len(out), "failed": len(err)}
        b.update(status="completed", finalizing_at=now, completed_at=now)

    def _batch_view(self, b: dict) -> dict:
        self._advance(b)
        return {k: v for k, v in b.items() if not k.startswith("_") and v is not None}  # spec: absent, not null

    def _embeddings(self, body: dict) -> Reply:
        inputs = body["input"]
        if isinstance(inputs, str) or (isinstance(inputs, list) and inputs and isinstance(inputs[0], int)):
            inputs = [inputs]
        dims = body.get("dimensions") or EMBED_DIMS.get(body["model"], 256)
        data, total = [], 0
        for i, text in enumerate(inputs):
            s = text if isinstance(text, str) else " ".join(map(str, text))
            total += count_tokens(s)
            vec = _vector(s, dims)
            emb: Any = base64.b64encode(struct.pack(f"<{dims}f", *vec)).decode() if body.get("encoding_format") == "base64" else vec
            data.append({"object": "embedding", "index": i, "embedding": emb})
        reply = Reply(200, {"object": "list", "data": data, "model": body["model"], "usage": {"prompt_tokens": total, "total_tokens": total}})
        return reply


def _vector(text: str, dims: int) -> list[float]:
    """Deterministic unit vector from the text's sha256 (same text → same embedding)."""
    seed = hashlib.sha256(text.encode()).digest()
    vals = []
    counter = 0
    while len(vals) < dims:
        block = hashlib.sha256(seed + counter.to_bytes(4, "little")).digest()
        vals.extend((b - 127.5) / 127.5 for b in block)
        counter += 1
    vals = vals[:dims]
    norm = sum(v * v for v in vals) ** 0.5 or 1.0
    return [v / norm for v in vals]
