"""A loopback fake of Fireworks AI's supervised fine-tuning API, following the official
``fireworks-ai`` SDK's types (no licensed OpenAPI file exists; FINE-TUNING-APIS.md §2).

Endpoints (paths ``/v1/accounts/{account}/…``): ``datasets`` create (``{datasetId, dataset}``),
``datasets/{d}:upload`` (multipart ``file``), ``datasets/{d}`` get; ``supervisedFineTuningJobs``
create (``?supervisedFineTuningJobId=`` — a client-chosen id; the same id again → 409
``ALREADY_EXISTS``), list (``pageSize``/``pageToken`` → ``{supervisedFineTuningJobs,
nextPageToken}``), get, ``:cancel``, ``:resume``. Request bodies may only use the SDK's field
names (camelCase aliases of ``SupervisedFineTuningJob`` / ``Dataset``) and every 200 job or
dataset answer is parsed with the SDK's pydantic model and its ``state`` checked against the
SDK's ``Literal`` — mismatches are recorded in ``violations``.

Jobs follow ``ft_sim.JobSim``: ``JOB_STATE_VALIDATING → JOB_STATE_PENDING → JOB_STATE_RUNNING →
JOB_STATE_COMPLETED`` with ``jobProgress.percent``/``epoch``; a bad dataset ends in
``JOB_STATE_FAILED`` with ``status {code: INVALID_ARGUMENT, message}``. A completed job's
``outputModel`` can be read and deleted (``GET``/``DELETE /v1/accounts/{a}/models/{m}``, SDK
``models.get``/``models.delete``); deleted → 404. No events, metrics or
checkpoints endpoints exist for SFT jobs (NOT FOUND in the SDK), so the fake has none.
Errors use the gRPC-gateway shape ``{"code": <int>, "message", "details": []}``.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from fireworks.types.dataset import Dataset
from fireworks.types.supervised_fine_tuning_job import SupervisedFineTuningJob

from .ft_sim import JobSim, Timing, check_chat_jsonl, count_examples
from .openai_spec import parse_multipart
from .server import FakeAPI, Reply, Request, bearer_or_key

PHASE_STATE = {"validating": "JOB_STATE_VALIDATING", "queued": "JOB_STATE_PENDING", "running": "JOB_STATE_RUNNING",
               "completed": "JOB_STATE_COMPLETED", "failed": "JOB_STATE_FAILED", "cancelled": "JOB_STATE_CANCELLED",
               "paused": "JOB_STATE_PAUSED"}
GRPC = {400: (3, "INVALID_ARGUMENT"), 401: (16, "UNAUTHENTICATED"), 404: (5, "NOT_FOUND"), 409: (6, "ALREADY_EXISTS"),
        429: (8, "RESOURCE_EXHAUSTED"), 500: (13, "INTERNAL"), 503: (14, "UNAVAILABLE")}
JOB_FIELDS = {f.alias or n for n, f in SupervisedFineTuningJob.model_fields.items()}
DATASET_FIELDS = {f.alias or n for n, f in Dataset.model_fields.items()}
STATES = set(SupervisedFineTuningJob.model_fields["state"].annotation.__args__[0].__args__)


def _ts(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat().replace("+00:00", "Z")


class FireworksFake(FakeAPI):
    """See the module docstring. ``created``: create bodies (with ``_id`` = the requested job id)."""

    base_path = "/v1"
    default_failure_paths = ("/accounts",)

    def __init__(self, *, account_id: str = "fake-acct", timing: Timing | None = None, **kw):
        super().__init__(**kw)
        self.account_id = account_id
        self.timing = timing or Timing()
        self.datasets: dict[str, dict] = {}
        self.jobs: dict[str, dict] = {}
        self.created: list[dict] = []
        self.deleted_models: set[str] = set()
        self.file_checker = check_chat_jsonl

    @property
    def base_url(self) -> str:
        return self.root_url  # the SDK's paths start with /v1

    def delete_job(self, job_id: str) -> None:
        self.jobs.pop(job_id, None)

    def error_body(self, status: int, kind: str, message: str) -> dict:
        code = GRPC.get(status, (2, "UNKNOWN"))[0]
        return {"code": code, "message": message, "details": []}

    def _err(self, status: int, message: str) -> Reply:
        return Reply(status, self.error_body(status, "", message))

    def check_auth(self, req: Request) -> Reply | None:
        key = bearer_or_key(req.headers)
        if not key or (self.api_key is not None and key != self.api_key):
            return self._err(401, "unauthenticated: invalid API key")
        return None

    def route(self, req: Request, malformed: bool = False) -> Reply:
        m = re.fullmatch(r"/v1/accounts/([^/]+)/(datasets|supervisedFineTuningJobs|models)(?:/([^/:]+))?(?::(\w+))?", req.path)
        if not m:
            self.record_violation(req, f"no SDK endpoint {req.method} {req.path}")
            return self._err(404, f"unknown path {req.path}")
        acct, kind, ident, verb = m.groups()
        if acct != self.account_id:
            return self._err(404, f"account {acct} not found")
        if kind == "models":
            return self._models(req, ident, verb)
        reply = self._datasets(req, ident, verb) if kind == "datasets" else self._jobs(req, ident, verb)
        if reply.status == 200 and isinstance(reply.body, dict):
            self._check_response(req, kind, ident, verb, reply.body)
        return reply

    def _check_response(self, req, kind, ident, verb, body) -> None:
        items = []
        if kind == "supervisedFineTuningJobs":
            items = body.get("supervisedFineTuningJobs", []) if ident is None and req.method == "GET" else [body]
            for it in items:
                SupervisedFineTuningJob.model_validate(it)
                if it.get("state") not in STATES:
                    self.record_violation(req, f"state {it.get('state')!r} not in the SDK's JOB_STATE_* literal")
        elif verb is None:
            Dataset.model_validate(body)

    def _body_keys_ok(self, req: Request, body: dict, allowed: set[str]) -> bool:
        unknown = set(body) - allowed
        if unknown:
            self.record_violation(req, f"fields not in the SDK's types: {sorted(unknown)}")
        return not unknown

    # -- datasets ------------------------------------------------------------------------------------
    def _dataset_view(self, d: dict) -> dict:
        return {"name": f"accounts/{self.account_id}/datasets/{d['id']}", "createTime": _ts(d["t"]), "updateTime": _ts(d["t"]),
                "displayName": d["meta"].get("displayName", d["id"]), "state": "READY" if d["content"] is not None else "UPLOADING",
                "exampleCount": str(count_examples(d["content"] or b"")), "format": d["meta"].get("format", "CHAT"),
                "userUploaded": {}}

    def _datasets(self, req: Request, ident: str | None, verb: str | None) -> Reply:
        if req.method == "POST" and ident is None:
            body = req.json or {}
            if "datasetId" not in body or "dataset" not in body:
                self.record_violation(req, "dataset create needs datasetId and dataset")
                return self._err(400, "datasetId and dataset are required")
            if not self._body_keys_ok(req, body["dataset"], DATASET_FIELDS):
                return self._err(400, "unknown dataset field")
            if body["datasetId"] in self.datasets:
                return self._err(409, f"dataset {body['datasetId']} already exists")
            self.datasets[body["datasetId"]] = {"id": body["datasetId"], "meta": body["dataset"], "content": None, "t": time.time()}
            return Reply(200, self._dataset_view(self.datasets[body["datasetId"]]))
        d = self.datasets.get(ident or "")
        if d is None:
            return self._err(404, f"dataset {ident} not found")
        if verb == "upload" and req.method == "POST":
            fields = parse_multipart(req.headers.get("content-type", ""), req.body)
            if "file" not in fields or not isinstance(fields["file"], tuple):
                self.record_violation(req, "upload needs a multipart 'file'")
                return self._err(400, "file is required")
            name, data = fields["file"]
            d["content"] = data
            return Reply(200, {"id": d["id"], "bytes": len(data), "created_at": int(time.time()), "filename": name or "upload",
                               "object": "file", "purpose": "fine-tune"})
        if verb is None and req.method == "GET":
            return Reply(200, self._dataset_view(d))
        return self._err(404, f"unknown dataset call {req.method} :{verb}")

    # -- jobs ----------------------------------------------------------------------------------------
    def _job_view(self, job: dict) -> dict:
        sim: JobSim = job["sim"]
        sim.advance()
        b = job["body"]
        out = {"name": f"accounts/{self.account_id}/supervisedFineTuningJobs/{job['id']}", "dataset": b["dataset"],
               "baseModel": b.get("baseModel"), "displayName": b.get("displayName", job["id"]), "state": PHASE_STATE[sim.phase],
               "createTime": _ts(job["t"]), "updateTime": _ts(time.time()), "createdBy": "fake@example.com",
               "epochs": sim.epochs, "jobProgress": {"percent": int(100 * sim.step / sim.total_steps), "epoch": sim.step // sim.steps_per_epoch,
                                                     "inputTokens": str(job["tokens"])},
               "outputModel": b.get("outputModel") or f"accounts/{self.account_id}/models/{job['id']}"}
        if sim.phase == "completed":
            out["completedTime"] = _ts(sim.finished_at or time.time())
        if sim.phase == "failed" and sim.failure:
            out["status"] = {"code": "INVALID_ARGUMENT", "message": sim.failure["message"]}
        else:
            out["status"] = {"code": "OK", "message": ""}
        for k in ("learningRate", "loraRank", "maxContextLength", "evaluationDataset"):
            if k in b:
                out[k] = b[k]
        return out

    def _jobs(self, req: Request, ident: str | None, verb: str | None) -> Reply:
        if ident is None:
            if req.method == "POST":
                return self._create(req)
            jobs = sorted(self.jobs.values(), key=lambda j: j["order"], reverse=True)
            size = int((req.query.get("pageSize") or [50])[0])
            start = int((req.query.get("pageToken") or ["0"])[0] or 0)
            page = jobs[start:start + size]
            body = {"supervisedFineTuningJobs": [self._job_view(j) for j in page], "totalSize": len(jobs)}
            if start + size < len(jobs):
                body["nextPageToken"] = str(start + size)
            return Reply(200, body)
        job = self.jobs.get(ident)
        if job is None:
            return self._err(404, f"supervisedFineTuningJob {ident} not found")
        if verb == "cancel":
            job["sim"].cancel()
        elif verb == "resume":
            job["sim"].resume()
        elif verb is not None or req.method != "GET":
            return self._err(404, f"unknown call {req.method} :{verb}")
        return Reply(200, self._job_view(job))

    # -- models ----------------------------------------------------------------------------------------
    def model_ids(self) -> list[str]:
        """Output models of completed jobs not deleted (a completed SFT job's ``outputModel``)."""
        out = []
        for job in self.jobs.values():
            view = self._job_view(job)
            mid = view["outputModel"].rsplit("/", 1)[-1]
            if view["state"] == "JOB_STATE_COMPLETED" and mid not in self.deleted_models:
                out.append(mid)
        return out

    def _models(self, req: Request, ident: str | None, verb: str | None) -> Reply:
        """``GET``/``DELETE .../models/{m}`` (SDK ``models.get`` / ``models.delete``: a free-form
        object, ``{}`` here); other model calls are not faked."""
        if ident is None or verb is not None or req.method not in ("GET", "DELETE"):
            self.record_violation(req, f"model call {req.method} {req.path} is not faked")
            return self._err(404, f"unknown call {req.method} {req.path}")
        if ident not in self.model_ids():
            return self._err(404, f"model accounts/{self.account_id}/models/{ident} not found")
        if req.method == "DELETE":
            self.deleted_models.add(ident)
            return Reply(200, {})
        return Reply(200, {"name": f"accounts/{self.account_id}/models/{ident}", "state": "READY", "kind": "HF_PEFT_ADDON"})

    def _create(self, req: Request) -> Reply:
        body = req.json or {}
        if not self._body_keys_ok(req, body, JOB_FIELDS):
            return self._err(400, "unknown field")
        if "dataset" not in body:
            self.record_violation(req, "dataset is required")
            return self._err(400, "dataset is required")
        jid = (req.query.get("supervisedFineTuningJobId") or [None])[0] or self.new_id("sftj-")
        if jid in self.jobs:
            return self._err(409, f"supervisedFineTuningJob {jid} already exists")
        ds_id = body["dataset"].rsplit("/", 1)[-1]
        d = self.datasets.get(ds_id)
        if d is None or d["content"] is None:
            return self._err(400, f"dataset {body['dataset']} is not ready")
        n = count_examples(d["content"])
        epochs = int(body.get("epochs") or 1)
        self.created.append({**body, "_id": jid})
        sim = JobSim(n_examples=n, epochs=epochs, batch_size=8, timing=self.timing, has_validation="evaluationDataset" in body,
                     failure=self.file_checker(d["content"]), seed=len(self.created))
        self.jobs[jid] = {"id": jid, "body": body, "sim": sim, "t": time.time(), "order": len(self.created),
                          "tokens": sum(len(l) // 4 + 1 for l in d["content"].splitlines() if l.strip()) * epochs}
        return Reply(200, self._job_view(self.jobs[jid]))
