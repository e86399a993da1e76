"""A loopback fake of Together AI's fine-tuning API, checked against Together's official OpenAPI spec.

Endpoints as the official ``together`` SDK (3.1.1) calls them (paths under ``/v1``):
- upload (SDK redirect flow, not in the spec — FINE-TUNING-APIS.md §1): ``POST /files`` (multipart
  form ``purpose, file_name, file_type, checksum``) → **302** with ``Location`` (a PUT target on
  this fake) and ``X-Together-File-Id``; ``PUT <Location>`` with the bytes → 200;
  ``POST /files/{id}/preprocess`` → ``FileResponse``. ``GET /files/{id}``.
- ``GET /fine-tunes/models/limits?model_name=`` (the SDK asks before every create),
  ``POST /fine-tunes/estimate-price``, ``POST /fine-tunes`` (create), ``GET /fine-tunes`` (list, no
  paging), ``GET /fine-tunes/{id}``, ``POST /fine-tunes/{id}/cancel``, ``GET /fine-tunes/{id}/events``,
  ``GET /fine-tunes/{id}/checkpoints``, ``GET /fine-tunes/{id}/metrics`` (the SDK sends the filters
  as query parameters; the spec has them as a JSON body on the GET — both accepted),
  ``DELETE /fine-tunes/{id}`` (``FinetuneDeleteResponse {message}``; 404 afterwards). The spec has
  no endpoint to delete a model.
Every request matching a spec operation has its JSON body validated; every 200 JSON answer is
checked against the spec's response schema (``spec_index`` fix-ups for the spec's OAS 3.0 quirks).

Behaviour: jobs follow ``ft_sim.JobSim``: ``pending → queued → running → completed``, metrics
``{"train/loss", "train/learning_rate", "train/global_step", "eval/loss"}`` per step, a
``checkpoint_save`` event per epoch. A bad training file ends in ``user_error`` with the reason
only in a ``job_error`` event (the job object has no error field). Cancel answers
``cancel_requested``, the next read ``cancelled``. The job object carries no metadata: FineFlow
puts its marker in ``suffix``, which list/retrieve return. ``created`` records create bodies;
``delete_job``, ``restart`` (base), ``fail_next``/``failure_mix`` as in the other fakes.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from datetime import datetime, timezone
from typing import Any

from fineflow_desktop.core.finetune.cost import auto_epochs

from .ft_sim import JobSim, Timing, check_chat_jsonl, count_examples
from .openai_spec import parse_multipart
from .server import FakeAPI, Reply, Request, bearer_or_key
from .spec_index import SpecIndex, find_spec

PHASE_STATUS = {"validating": "pending", "queued": "queued", "running": "running", "completed": "completed",
                "failed": "user_error", "cancelled": "cancelled", "paused": "running"}
EVENT_TYPES = {"created": "job_pending", "validating": "training_data_downloading",
               "validated": "training_data_download_complete", "started": "training_start",
               "checkpoint": "checkpoint_save", "completed": "job_complete", "failed": "job_error",
               "cancelled": "job_stopped"}
KNOWN_MODELS = ("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "meta-llama/Llama-3.2-3B-Instruct",
                "Qwen/Qwen2.5-7B-Instruct", "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference")
_SPEC: SpecIndex | None = None
_SPEC_LOCK = threading.Lock()


def together_spec() -> SpecIndex:
    """Together's OpenAPI document, loaded once per process."""
    global _SPEC
    with _SPEC_LOCK:
        if _SPEC is None:
            _SPEC = SpecIndex(find_spec("together-openapi.yaml"), lenient_one_of=True)
        return _SPEC


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat().replace("+00:00", "Z")


class TogetherFake(FakeAPI):
    """See the module docstring. ``base_url`` is the root (the SDK's paths start with ``/v1``)."""

    base_path = "/v1"
    default_failure_paths = ("/fine-tunes", "/files")

    def __init__(self, *, timing: Timing | None = None, price_per_million: float = 0.48, **kw):
        super().__init__(**kw)
        self.spec = together_spec()
        self.timing = timing or Timing()
        self.price_per_million = price_per_million
        self.files: dict[str, dict] = {}
        self.jobs: dict[str, dict] = {}
        self.created: list[dict] = []
        self.file_checker = check_chat_jsonl

    @property
    def base_url(self) -> str:
        return self.root_url

    def delete_job(self, job_id: str) -> None:
        self.jobs.pop(job_id, None)

    # -- plumbing ----------------------------------------------------------------------------------
    def error_body(self, status: int, kind: str, message: str) -> dict:
        return {"error": {"message": message, "type": {"rate_limit": "rate_limit_exceeded"}.get(kind, "server_error" if status >= 500 else "invalid_request_error")}}

    def _err(self, status: int, message: str, etype: str = "invalid_request_error", param: str | None = None) -> Reply:
        body: dict[str, Any] = {"error": {"message": message, "type": etype}}
        if param:
            body["error"]["param"] = param
        return Reply(status, body)

    def check_auth(self, req: Request) -> Reply | None:
        if req.path.startswith("/upload-target/"):
            return None  # presigned URL: no bearer
        key = bearer_or_key(req.headers)
        if not key or (self.api_key is not None and key != self.api_key):
            return self._err(401, "Invalid API key provided. You can find your API key at https://api.together.ai/settings/api-keys.",
                             "invalid_api_key")
        return None

    def route(self, req: Request, malformed: bool = False) -> Reply:
        if req.method == "PUT" and (m := re.fullmatch(r"/upload-target/([^/]+)", req.path)):
            f = self.files.get(m.group(1))
            if f is None:
                return Reply(404, "no such upload", content_type="text/plain")
            f["content"] = req.body
            return Reply(200, b"", content_type="text/plain")
        if not req.path.startswith("/v1/"):
            self.record_violation(req, "path outside /v1")
            return self._err(404, f"Invalid URL ({req.method} {req.path})")
        rel = req.path[3:]
        if req.method == "POST" and rel == "/files":  # SDK-only upload redirect (not in the spec)
            return self._upload_start(req)
        if req.method == "POST" and (m := re.fullmatch(r"/files/([^/]+)/preprocess", rel)):
            return self._checked(req, None, self._preprocess(m.group(1)))
        found = self.spec.match(req.method, rel)
        if found is None:
            self.record_violation(req, f"no operation {req.method} {rel} in the Together spec")
            return self._err(404, f"Invalid URL ({req.method} {req.path})")
        op, params = found
        if rel.endswith("/metrics") and req.method == "GET":
            errors = []  # the SDK sends the filters as query parameters (spec: JSON body); see module doc
        else:
            errors = self.spec.body_errors(op, req.json) if op.get("requestBody") else []
        if errors:
            self.record_violation(req, errors[0])
            return self._err(400, f"Invalid request: {errors[0]}")
        return self._checked(req, op, self._dispatch(req, rel, params))

    def _checked(self, req: Request, op: dict | None, reply: Reply) -> Reply:
        before = len(self.violations)
        reply = self._check_response(req, op, reply)
        with self._lock:  # user_error is the v1 SDK's status, not in the spec's enum (FINE-TUNING-APIS.md §1)
            kept = [v for v in self.violations[before:] if "'user_error' is not one of" not in v["error"]]
            del self.violations[before:]
            self.violations.extend(kept)
        return reply

    def _check_response(self, req: Request, op: dict | None, reply: Reply) -> Reply:
        if op is None and reply.status == 200 and isinstance(reply.body, dict):
            op = {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/FileResponse"}}}}}}
        if op is not None and reply.status == 200 and isinstance(reply.body, dict):
            for err in self.spec.response_errors(op, 200, reply.body):
                self.record_violation(req, f"response does not match spec: {err}")
        return reply

    def _dispatch(self, req: Request, rel: str, params: dict) -> Reply:
        if rel == "/fine-tunes/models/limits":
            return self._limits((req.query.get("model_name") or [""])[0])
        if rel == "/fine-tunes/estimate-price":
            return self._estimate(req.json)
        if rel == "/fine-tunes":
            if req.method == "POST":
                return self._create(req.json)
            return Reply(200, {"data": [self._truncated(j) for j in sorted(self.jobs.values(), key=lambda j: j["order"], reverse=True)]})
        if m := re.fullmatch(r"/files/([^/]+)", rel):
            f = self.files.get(m.group(1))
            return Reply(200, f["meta"]) if f else self._err(404, f"File {m.group(1)} not found")
        m = re.fullmatch(r"/fine-tunes/([^/]+)(?:/(cancel|events|checkpoints|metrics))?", rel)
        if not m:
            return self._err(404, f"Invalid URL ({req.method} {rel})")
        job = self.jobs.get(m.group(1))
        if job is None:
            return self._err(404, f"Fine-tune job {m.group(1)} not found")
        action = m.group(2)
        if action is None and req.method == "DELETE":  # spec: "Delete a fine-tune job" → FinetuneDeleteResponse
            with self._lock:
                self.jobs.pop(job["id"], None)
            return Reply(200, {"message": f"Fine-tune job {job['id']} deleted"})
        if action == "cancel":
            if job["sim"].cancel():
                job["cancel_requested"] = True
            return Reply(200, self._truncated(job))
        if action == "events":
            return Reply(200, {"data": self._events(job)})
        if action == "checkpoints":
            return Reply(200, {"data": self._checkpoints(job)})
        if action == "metrics":
            return Reply(200, {"metrics": self._metrics(job, req.query)})
        return Reply(200, self._full(job))

    # -- files ---------------------------------------------------------------------------------------
    def _upload_start(self, req: Request) -> Reply:
        fields = parse_multipart(req.headers.get("content-type", ""), req.body)
        missing = [k for k in ("purpose", "file_name", "file_type") if k not in fields]
        if missing:
            self.record_violation(req, f"upload form lacks {missing}")
            return self._err(400, f"missing form field {missing[0]}")
        fid = "file-" + self.new_id("")
        self.files[fid] = {"meta": {"id": fid, "object": "file", "created_at": int(time.time()), "filename": fields["file_name"],
                                    "bytes": 0, "purpose": fields["purpose"], "FileType": fields["file_type"], "Processed": False},
                           "content": None}
        return Reply(302, b"", content_type="text/plain",
                     headers={"Location": f"{self.root_url}/upload-target/{fid}", "X-Together-File-Id": fid})

    def _preprocess(self, fid: str) -> Reply:
        f = self.files.get(fid)
        if f is None or f["content"] is None:
            return self._err(404, f"File {fid} was not uploaded")
        f["meta"].update(bytes=len(f["content"]), Processed=True)
        return Reply(200, f["meta"])

    # -- jobs ----------------------------------------------------------------------------------------
    def _limits(self, model: str) -> Reply:
        if model not in KNOWN_MODELS:
            return self._err(404, f"Model {model} is not supported for fine-tuning", param="model_name")
        # The spec's fields plus those the SDK 3.1.1 model requires (default_rank, max_seq_length_*, …):
        # the SDK's create() reads them, so the live API must send them.
        return Reply(200, {"model_name": model, "max_num_epochs": 20, "max_num_evals": 100, "max_learning_rate": 1.0,
                           "min_learning_rate": 1e-6, "supports_vision": False, "supports_tools": True,
                           "supports_reasoning": False, "merge_output_lora": False, "supports_full_training": True,
                           "default_gradient_accumulation_steps": 1, "max_num_checkpoints": 20,
                           "max_seq_length_sft": 8192, "max_seq_length_dpo": 8192, "min_max_seq_length": 512,
                           "full_training": {"max_batch_size": 96, "max_batch_size_dpo": 48, "min_batch_size": 8},
                           "lora_training": {"max_batch_size": 128, "max_batch_size_dpo": 64, "min_batch_size": 8, "default_rank": 16,
                                             "max_rank": 64, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]}})

    def _tokens(self, data: bytes) -> int:
        return sum(len(line) // 4 + 1 for line in data.splitlines() if line.strip())

    def _estimate(self, body: dict) -> Reply:
        f = self.files.get(body["training_file"])
        if f is None or f["content"] is None:
            return self._err(400, f"training_file {body['training_file']} not found", param="training_file")
        tokens = self._tokens(f["content"]) * int(body.get("n_epochs") or 1)
        return Reply(200, {"estimated_total_price": round(tokens / 1e6 * self.price_per_million, 6), "allowed_to_proceed": True,
                           "user_limit": 100.0, "estimated_train_token_count": tokens, "estimated_eval_token_count": 0})

    def _create(self, body: dict) -> Reply:
        f = self.files.get(body["training_file"])
        if f is None or f["content"] is None:
            return self._err(400, f"training_file {body['training_file']} not found", param="training_file")
        if body["model"] not in KNOWN_MODELS:
            return self._err(400, f"Model {body['model']} is not supported for fine-tuning", param="model")
        data = f["content"]
        n = count_examples(data)
        epochs = int(body.get("n_epochs") or 1)
        batch = body.get("batch_size", "max")
        batch = 8 if batch == "max" else int(batch)
        jid = "ft-" + hashlib.sha256(self.new_id("").encode()).hexdigest()[:8] + "-" + self.new_id("")[:4]
        self.created.append(body)
        sim = JobSim(n_examples=n, epochs=max(1, epochs), batch_size=batch, timing=self.timing,
                     has_validation=bool(body.get("validation_file")), failure=self.file_checker(data), seed=len(self.created))
        self.jobs[jid] = {"id": jid, "body": body, "sim": sim, "order": len(self.created), "created": time.time(),
                          "tokens": self._tokens(data) * max(1, epochs), "cancel_requested": False}
        return Reply(200, self._truncated(self.jobs[jid]))

    def _status(self, job: dict) -> str:
        sim: JobSim = job["sim"]
        sim.advance()
        if sim.phase == "cancelled" and job["cancel_requested"]:
            job["cancel_requested"] = False  # first read after cancel: cancel_requested, then cancelled
            return "cancel_requested"
        return PHASE_STATUS[sim.phase]

    def _common(self, job: dict) -> dict:
        b, sim = job["body"], job["sim"]
        status = self._status(job)
        out = {"id": job["id"], "status": status, "created_at": _iso(job["created"]), "updated_at": _iso(time.time()),
               "training_file": b["training_file"], "model": b["model"], "n_epochs": sim.epochs,
               "batch_size": sim.batch_size, "learning_rate": b.get("learning_rate", 1e-5),
               "model_output_name": f"fakeuser/{b['model'].split('/')[-1]}-{b.get('suffix') or 'ft'}-{job['id'][-4:]}",
               "token_count": job["tokens"] if sim.phase == "completed" else 0,
               # integer, unit not stated by the spec (its example: 1500 for 850,000 tokens); cents here
               "total_price": int(round(job["tokens"] / 1e6 * self.price_per_million * 100)) if sim.phase == "completed" else 0}
        if b.get("validation_file"):
            out["validation_file"] = b["validation_file"]
        return out

    def _truncated(self, job: dict) -> dict:
        out = self._common(job)
        b = job["body"]
        if b.get("suffix"):
            out["suffix"] = b["suffix"]
        if b.get("random_seed") is not None:
            out["random_seed"] = b["random_seed"]
        return out

    def _full(self, job: dict) -> dict:
        sim: JobSim = job["sim"]
        out = self._common(job)
        eta = sim.estimated_finish()
        out.update(epochs_completed=min(sim.epochs, sim.step // max(1, sim.steps_per_epoch)),
                   progress={"estimate_available": eta is not None, "seconds_remaining": int(max(0, (eta or time.time()) - time.time()))},
                   events=self._events(job))
        return out

    def _events(self, job: dict) -> list[dict]:
        sim: JobSim = job["sim"]
        sim.advance()
        out = []
        for e in sim.events:
            if e.kind not in EVENT_TYPES:
                continue  # per-step metrics live in /metrics, not in events
            out.append({"object": "fine-tune-event", "created_at": _iso(e.t), "level": "error" if e.kind == "failed" else "info",
                        "message": e.message, "type": EVENT_TYPES[e.kind], "param_count": 8_000_000_000,
                        "token_count": job["tokens"], "total_steps": sim.total_steps, "wandb_url": "", "step": e.step or sim.step,
                        "checkpoint_path": f"s3://fake/{job['id']}/step-{e.step}" if e.kind == "checkpoint" else "",
                        "model_path": "", "training_offset": 0, "hash": hashlib.sha256(f"{job['id']}:{e.seq}".encode()).hexdigest()[:16]})
        return out

    def _checkpoints(self, job: dict) -> list[dict]:
        sim: JobSim = job["sim"]
        sim.advance()
        cps = [{"step": e.step, "created_at": _iso(e.t), "path": f"s3://fake/{job['id']}/step-{e.step}", "checkpoint_type": "intermediate"}
               for e in sim.events if e.kind == "checkpoint"]
        return cps[::-1]

    def _metrics(self, job: dict, query: dict) -> list[dict]:
        sim: JobSim = job["sim"]
        sim.advance()
        lo = int((query.get("global_step_from") or [0])[0])
        out = []
        for m in sim.metrics:
            if m["step"] < lo:
                continue
            d = {"train/loss": m["train_loss"], "train/learning_rate": 1e-5, "train/global_step": m["step"]}
            if "valid_loss" in m:
                d["eval/loss"] = m["valid_loss"]
            out.append(d)
        return out
