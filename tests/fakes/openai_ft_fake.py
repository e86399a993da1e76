"""OpenAI fine-tuning on the loopback OpenAI fake, checked against the official OpenAPI spec.

Adds to ``OpenAIFake`` (files, models, chat…) the ``/v1/fine_tuning/jobs`` endpoints: create
(``method`` supervised/DPO, ``metadata``, ``suffix``, ``seed``, hyperparameters with
``"auto"``), list (newest first, ``after``/``limit`` cursor, ``metadata[k]=v`` filter),
retrieve, cancel, pause, resume, events (newest first, ``after``/``limit``), checkpoints.
Jobs advance on the wall clock (``ft_sim.JobSim``: ``timing`` = validate/queue/step seconds):
``validating_files → queued → running → succeeded`` with one ``metrics`` event per step, a
checkpoint per epoch and, at the end, a results CSV file (``fine-tune-results``) whose content
is **base64 of the CSV**, as OpenAI serves it. An invalid training file (not JSON, no
``messages``, fewer than 10 examples) fails the job with ``error {code, message, param}``.

Faults: the base fake's ``fail_next``/``failure_mix`` (429 + Retry-After, 5xx, timeouts) apply
to ``/fine_tuning`` and ``/files``; ``delete_job(id)`` makes the provider forget a job (404);
``restart(down_s)`` (base fake) closes the port for a while and reopens it with the same
jobs (a provider restart mid-job). ``created`` lists every create request body, so tests can assert a job was
never created twice. Responses with status ``paused`` are not flagged (the spec's enum lacks it;
the API sends it — issue 11).

Standalone (a fake that outlives the app, for kill -9 tests): ``fakes.ft_fake_server``.
"""

from __future__ import annotations

import base64
import csv
import io
import math
import re
import threading
import time
from typing import Any

from fineflow_desktop.core.finetune.cost import auto_epochs

from .ft_sim import JobSim, Timing, check_chat_jsonl, count_examples
from .openai_fake import OpenAIFake
from .server import Reply, Request

PHASE_STATUS = {"validating": "validating_files", "queued": "queued", "running": "running", "completed": "succeeded",
                "failed": "failed", "cancelled": "cancelled", "paused": "paused"}
RESULT_COLUMNS = ["step", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy",
                  "train_mean_token_accuracy", "full_valid_loss", "full_valid_mean_token_accuracy"]


class OpenAIFineTuneFake(OpenAIFake):
    """See the module docstring. ``jobs``: id → job dict (``sim`` inside); ``created``: create bodies."""

    default_failure_paths = ("/chat/completions", "/embeddings", "/fine_tuning", "/files")

    def __init__(self, *, timing: Timing | None = None, organization_id: str = "org-fake", **kw):
        super().__init__(**kw)
        self.timing = timing or Timing()
        self.file_checker = check_chat_jsonl  # bytes -> {code, message, param} | None (job fails at validation)
        self.organization_id = organization_id
        self.jobs: dict[str, dict] = {}
        self.created: list[dict] = []
        self._tl = threading.local()
        self._job_lock = threading.Lock()

    # -- test controls ---------------------------------------------------------------------------
    def delete_job(self, job_id: str) -> None:
        """The provider forgets the job: every later request for it answers 404."""
        with self._job_lock:
            self.jobs.pop(job_id, None)

    def finish_all(self) -> None:
        """Jump every live job to its end."""
        for j in list(self.jobs.values()):
            j["sim"].finish_now()
            self._settle(j)

    # -- routing ---------------------------------------------------------------------------------
    def route(self, req: Request, malformed: bool = False) -> Reply:
        self._tl.req = req
        before = len(self.violations)
        reply = super().route(req, malformed)
        with self._lock:  # the API sends "paused" although the spec's enum lacks it (issue 11)
            kept = [v for v in self.violations[before:] if "'paused' is not one of" not in v["error"]]
            del self.violations[before:]
            self.violations.extend(kept)
        return reply

    def _route_param(self, method: str, rel: str, params: dict) -> Reply:
        if rel.startswith("/fine_tuning/jobs"):
            return self._fine_tuning(method, rel, self._tl.req)
        return super()._route_param(method, rel, params)

    def _not_found(self, job_id: str) -> Reply:
        return self._err(404, f"No fine-tuning job found with id {job_id}", code="fine_tune_not_found", param="fine_tuning_job_id")

    def _fine_tuning(self, method: str, rel: str, req: Request) -> Reply:
        if rel == "/fine_tuning/jobs":
            return self._create(req.json) if method == "POST" else self._list(req.query)
        m = re.fullmatch(r"/fine_tuning/jobs/([^/]+)(?:/(cancel|pause|resume|events|checkpoints))?", rel)
        if not m:
            return self._err(404, f"Invalid URL ({method} {rel})")
        job = self.jobs.get(m.group(1))
        if job is None:
            return self._not_found(m.group(1))
        action = m.group(2)
        if action in ("cancel", "pause", "resume"):
            sim: JobSim = job["sim"]
            ok = {"cancel": sim.cancel, "pause": sim.pause, "resume": sim.resume}[action]()
            if not ok and action != "cancel":
                return self._err(400, f"Cannot {action} a job with status {self._view(job)['status']}.", param="fine_tuning_job_id")
            if not ok:
                return self._err(400, f"Job {job['id']} has already finished and cannot be cancelled.", param="fine_tuning_job_id")
            return Reply(200, self._view(job))
        if action == "events":
            return self._events(job, req.query)
        if action == "checkpoints":
            return self._checkpoints(job, req.query)
        return Reply(200, self._view(job))

    # -- endpoints -------------------------------------------------------------------------------
    def _create(self, body: dict) -> Reply:
        f = self.files.get(body["training_file"])
        if f is None:
            return self._err(400, f"invalid training_file: {body['training_file']}", code="invalid_file", param="training_file")
        if f["meta"]["purpose"] != "fine-tune":
            return self._err(400, f"File {body['training_file']} has purpose {f['meta']['purpose']!r}; fine-tuning needs 'fine-tune'.",
                             param="training_file")
        vfile = body.get("validation_file")
        if vfile and vfile not in self.files:
            return self._err(400, f"invalid validation_file: {vfile}", code="invalid_file", param="validation_file")
        if body["model"] not in self.models and not any(body["model"].startswith(m) for m in self.models):
            return self._err(404, f"Model {body['model']} is not available for fine-tuning or does not exist.",
                             code="model_not_available", param="model")
        method = body.get("method") or {"type": "supervised"}
        mtype = method.get("type", "supervised")
        hp = dict((method.get(mtype) or {}).get("hyperparameters") or body.get("hyperparameters") or {})
        data = f["content"]
        n = count_examples(data)
        epochs = hp.get("n_epochs", "auto")
        epochs = auto_epochs(n) if epochs == "auto" else int(epochs)
        batch = hp.get("batch_size", "auto")
        batch = max(1, min(256, round(n * 0.002))) if batch == "auto" else int(batch)
        lr = hp.get("learning_rate_multiplier", "auto")
        lr = 1.8 if lr == "auto" else lr
        resolved = {"n_epochs": epochs, "batch_size": batch, "learning_rate_multiplier": lr}
        if mtype == "dpo":
            resolved["beta"] = hp.get("beta", 0.1) if hp.get("beta", "auto") != "auto" else 0.1
        with self._job_lock:
            jid = self.new_id("ftjob-")
            self.created.append(body)
            sim = JobSim(n_examples=n, epochs=epochs, batch_size=batch, timing=self.timing, has_validation=bool(vfile),
                         failure=self.file_checker(data), seed=len(self.created))
            seed = body.get("seed")
            job = {"id": jid, "body": body, "sim": sim, "created_at": int(time.time()), "model": body["model"],
                   "training_file": body["training_file"], "validation_file": vfile, "suffix": body.get("suffix"),
                   "seed": seed if seed is not None else int(self._rng.getrandbits(31)), "metadata": body.get("metadata"),
                   "method": {"type": mtype, mtype: {"hyperparameters": resolved}}, "hyperparameters": resolved,
                   "tokens_per_epoch": sum(len(line) // 4 + 1 for line in data.splitlines() if line.strip()),
                   "result_files": [], "fine_tuned_model": None, "order": len(self.created)}
            self.jobs[jid] = job
        return Reply(200, self._view(job))

    def _settle(self, job: dict) -> None:
        """After the sim finished: model id, trained tokens, results CSV (once)."""
        sim: JobSim = job["sim"]
        if sim.phase == "completed" and not job["result_files"]:
            suffix = job.get("suffix") or ""
            job["fine_tuned_model"] = f"ft:{job['model']}:{self.organization_id}:{suffix}:{job['id'][-8:]}"
            with self._lock:  # the model (and its checkpoints) can now be chatted with, retrieved and deleted
                for mid in [job["fine_tuned_model"], *self._checkpoint_models(job)]:
                    if mid not in self.models:
                        self.models.append(mid)
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(RESULT_COLUMNS)
            for mtr in sim.metrics:
                w.writerow([mtr["step"], mtr["train_loss"], mtr["train_mean_token_accuracy"], mtr.get("valid_loss", ""),
                            mtr.get("valid_mean_token_accuracy", ""), mtr["train_mean_token_accuracy"],
                            mtr.get("full_valid_loss", ""), mtr.get("full_valid_mean_token_accuracy", "")])
            content = base64.b64encode(buf.getvalue().encode())  # OpenAI serves the results file base64-encoded
            fid = self.new_id("file-")
            self.files[fid] = {"meta": {"id": fid, "object": "file", "bytes": len(content), "created_at": int(time.time()),
                                        "filename": "step_metrics.csv", "purpose": "fine-tune-results", "status": "processed"},
                               "content": content}
            job["result_files"] = [fid]

    def _checkpoint_models(self, job: dict) -> list[str]:
        return [c["fine_tuned_model_checkpoint"] for c in self._checkpoint_dicts(job)]

    def _view(self, job: dict) -> dict:
        sim: JobSim = job["sim"]
        sim.advance()
        self._settle(job)
        status = PHASE_STATUS[sim.phase]
        err = None
        if sim.phase == "failed" and sim.failure:
            err = dict(sim.failure)
        done = sim.phase in ("completed", "failed", "cancelled")
        eta = sim.estimated_finish()
        return {
            "object": "fine_tuning.job", "id": job["id"], "created_at": job["created_at"], "error": err,
            "fine_tuned_model": job["fine_tuned_model"], "finished_at": int(sim.finished_at) if sim.finished_at and done else None,
            "hyperparameters": job["hyperparameters"] if job["method"]["type"] == "supervised" else {},
            "model": job["model"], "organization_id": self.organization_id, "result_files": job["result_files"],
            "status": status, "trained_tokens": job["tokens_per_epoch"] * sim.epochs if sim.phase == "completed" else None,
            "training_file": job["training_file"], "validation_file": job["validation_file"], "integrations": None,
            "seed": job["seed"], "estimated_finish": int(eta) if eta else None, "method": job["method"],
            "metadata": job["metadata"],
        }

    def _list(self, query: dict) -> Reply:
        wanted = {m.group(1): v[0] for k, v in query.items() if (m := re.fullmatch(r"metadata\[(.+)\]", k))}
        jobs = sorted(self.jobs.values(), key=lambda j: j["order"], reverse=True)
        if wanted:
            jobs = [j for j in jobs if all((j["metadata"] or {}).get(k) == v for k, v in wanted.items())]
        after = (query.get("after") or [None])[0]
        if after:
            ids = [j["id"] for j in jobs]
            jobs = jobs[ids.index(after) + 1:] if after in ids else []
        limit = int((query.get("limit") or [20])[0])
        page = jobs[:limit]
        return Reply(200, {"object": "list", "data": [self._view(j) for j in page], "has_more": len(jobs) > limit})

    def _event_dicts(self, job: dict) -> list[dict]:
        sim: JobSim = job["sim"]
        sim.advance()
        out = []
        for e in sim.events:
            level = "error" if e.kind == "failed" else "info"
            d = {"object": "fine_tuning.job.event", "id": f"ftevent-{job['id'][-12:]}-{e.seq:06d}", "created_at": int(e.t),
                 "level": level, "message": e.message, "type": "metrics" if e.kind == "metrics" else "message", "data": {}}
            if e.kind == "metrics":
                d["data"] = {**e.metrics, "total_steps": sim.total_steps}
            out.append(d)
        return out[::-1]  # newest first, as OpenAI lists them

    def _events(self, job: dict, query: dict) -> Reply:
        events = self._event_dicts(job)
        after = (query.get("after") or [None])[0]
        if after:
            ids = [e["id"] for e in events]
            events = events[ids.index(after) + 1:] if after in ids else []
        limit = int((query.get("limit") or [20])[0])
        return Reply(200, {"object": "list", "data": events[:limit], "has_more": len(events) > limit})

    def _checkpoint_dicts(self, job: dict) -> list[dict]:
        """The last three epochs' checkpoints, newest first (OpenAI keeps three)."""
        sim: JobSim = job["sim"]
        sim.advance()
        by_step = {m["step"]: m for m in sim.metrics}
        cps = []
        for e in sim.events:
            if e.kind == "checkpoint":
                m = by_step.get(e.step, {})
                cps.append({"object": "fine_tuning.job.checkpoint", "id": f"ftckpt-{job['id'][-8:]}-{e.step}",
                            "created_at": int(e.t), "fine_tuning_job_id": job["id"], "step_number": e.step,
                            "fine_tuned_model_checkpoint": f"ft:{job['model']}:{self.organization_id}:{job.get('suffix') or ''}:{job['id'][-8:]}:ckpt-step-{e.step}",
                            "metrics": {k: v for k, v in m.items() if v is not None}})
        return cps[::-1][:3]

    def _checkpoints(self, job: dict, query: dict) -> Reply:
        cps = self._checkpoint_dicts(job)
        limit = int((query.get("limit") or [10])[0])
        page = cps[:limit]
        body: dict[str, Any] = {"object": "list", "data": page, "has_more": len(cps) > limit}
        if page:
            body.update(first_id=page[0]["id"], last_id=page[-1]["id"])
        return Reply(200, body)
