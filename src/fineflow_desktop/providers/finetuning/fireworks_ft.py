"""Fireworks AI fine-tuning adapter on the official ``fireworks-ai`` SDK (1.2.30, pinned).

Facts it relies on (``shared/specs/FINE-TUNING-APIS.md`` §2, the SDK's types):
- Everything lives under ``/v1/accounts/{account_id}``: the credential's settings carry
  ``account_id``; the base URL is the host root (the SDK's paths start with ``/v1``).
- Upload = ``datasets.create`` (``datasetId`` chosen by us: ``ff-`` + the file's SHA-256, so a
  retried upload of the same bytes finds its dataset — 409 is "already there") + ``:upload``.
- The job id is client-chosen (``supervisedFineTuningJobId``): FineFlow uses ``ff-<marker>``, so
  the marker lookup is one GET and a second create with the same id is refused (409) by Fireworks.
- No events, metrics or checkpoints endpoints for SFT jobs (NOT FOUND): progress comes from
  ``jobProgress.percent``; the metrics file (``metricsFileSignedUrl``) has no published format.
- Fireworks has no ``"auto"`` epochs: FineFlow sends the cookbook count it estimated.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import fireworks

from fineflow_desktop.providers.base import BadRequestError, ProviderError
from fineflow_desktop.providers.error_map import sdk_errors
from fineflow_desktop.providers.finetuning.base import (
    MARKER_KEY,
    FineTuneNotFound,
    JobRequest,
    RemoteCheckpoint,
    RemoteEvent,
    RemoteJob,
    parse_time,
)

JOB_ID_PREFIX = "ff-"
MARKER_LEN = 24


def job_id_for(marker: str) -> str:
    """The Fireworks job id FineFlow creates for *marker*."""
    return JOB_ID_PREFIX + marker[:MARKER_LEN]



class FireworksFineTuning:
    """``FineTuningProvider`` for Fireworks AI (supervised fine-tuning jobs)."""

    name = "fireworks"
    training_format = "openai"
    dpo_format = None

    def __init__(self, api_key: str, base_url: str | None = None, *, account_id: str = "", timeout_s: float = 30.0,
                 max_retries: int = 2):
        if not account_id:
            raise BadRequestError("Fireworks: the credential needs an account id (fineflow credentials add … --account-id ID)")
        base = (base_url or "").rstrip("/")
        if base.endswith("/v1"):
            base = base[:-3]
        self.account_id = account_id
        self.client = fireworks.Fireworks(api_key=api_key, account_id=account_id, base_url=base or None,
                                          timeout=timeout_s, max_retries=max_retries)

    def close(self) -> None:
        self.client.close()

    def _job(self, j) -> RemoteJob:
        d = j.model_dump(by_alias=False) if hasattr(j, "model_dump") else dict(j)
        jid = (d.get("name") or "").rsplit("/", 1)[-1]
        state = d.get("state") or "JOB_STATE_UNSPECIFIED"
        status = d.get("status") or {}
        err = None
        if state in ("JOB_STATE_FAILED", "JOB_STATE_EXPIRED") or (status.get("code") not in (None, "OK") and status.get("message")):
            err = {"code": status.get("code") or state, "message": status.get("message") or f"Fireworks reports {state}", "param": None}
        prog = d.get("job_progress") or {}
        progress = {}
        if prog.get("percent") is not None:
            progress["percent"] = float(prog["percent"])
        if prog.get("epoch") is not None and d.get("epochs"):  # jobProgress.epoch: epochs finished so far
            progress["epoch"], progress["total_epochs"] = int(prog["epoch"]), int(d["epochs"])
        marker = jid[len(JOB_ID_PREFIX):] if jid.startswith(JOB_ID_PREFIX) else ""
        hp = {k: d.get(k) for k in ("epochs", "learning_rate", "lora_rank", "max_context_length", "batch_size") if d.get(k) is not None}
        return RemoteJob(
            id=jid, status=state, model=d.get("base_model"),
            fine_tuned_model=d.get("output_model") if state in ("JOB_STATE_COMPLETED", "JOB_STATE_EARLY_STOPPED") else None,
            training_file=d.get("dataset"), validation_file=d.get("evaluation_dataset"), hyperparameters=hp,
            metadata={MARKER_KEY: marker} if marker else {}, error=err, created_at=parse_time(d.get("create_time")),
            finished_at=parse_time(d.get("completed_time")), progress=progress, raw=d)

    def _not_found(self, exc: Exception) -> bool:
        return getattr(exc, "status", None) == 404

    # -- protocol ------------------------------------------------------------------------------------
    def check_key(self) -> None:
        with sdk_errors("Fireworks fine-tuning: checking the key"):
            self.client.supervised_fine_tuning_jobs.list(page_size=1)

    def upload_file(self, path: Path, purpose: str = "fine-tune") -> str:
        path = Path(path)
        data = path.read_bytes()
        did = "ff-" + hashlib.sha256(data).hexdigest()[:32]
        n = sum(1 for line in data.splitlines() if line.strip())
        with sdk_errors(f"Fireworks: creating dataset for {path.name}"):
            try:
                self.client.datasets.create(dataset_id=did, dataset={"display_name": path.name, "example_count": str(n),
                                                                     "user_uploaded": {}, "format": "CHAT"})
            except fireworks.ConflictError:
                pass  # same bytes uploaded before (e.g. a launch retried after a crash)
        with sdk_errors(f"Fireworks: uploading {path.name}"):
            self.client.datasets.upload(did, file=(path.name, data))
        return f"accounts/{self.account_id}/datasets/{did}"

    def create_job(self, request: JobRequest) -> RemoteJob:
        epochs = int(request.extra.get("resolved_epochs") or 1) if request.epochs == "auto" else int(request.epochs)
        kwargs: dict = {"dataset": request.training_file, "base_model": request.model, "epochs": epochs,
                        "supervised_fine_tuning_job_id": job_id_for(request.marker),
                        "display_name": request.suffix or f"fineflow {request.marker[:8]}"}
        if request.validation_file:
            kwargs["evaluation_dataset"] = request.validation_file
        for k in ("learning_rate", "lora_rank", "max_context_length"):
            if request.extra.get(k) not in (None, "auto"):
                kwargs[k] = request.extra[k]
        with sdk_errors("Fireworks: creating the fine-tuning job"):
            try:
                return self._job(self.client.with_options(max_retries=0).supervised_fine_tuning_jobs.create(**kwargs))
            except fireworks.ConflictError:  # this marker's job exists already: it is the one we want
                return self._job(self.client.supervised_fine_tuning_jobs.get(kwargs["supervised_fine_tuning_job_id"]))

    def retrieve_job(self, job_id: str) -> RemoteJob:
        try:
            with sdk_errors(f"Fireworks: fine-tuning job {job_id}"):
                return self._job(self.client.supervised_fine_tuning_jobs.get(job_id))
        except ProviderError as exc:
            if self._not_found(exc):
                raise FineTuneNotFound(str(exc), 404) from exc
            raise

    def list_jobs(self, marker: str | None = None, limit: int = 100) -> list[RemoteJob]:
        out: list[RemoteJob] = []
        with sdk_errors("Fireworks: listing fine-tuning jobs"):
            for j in self.client.supervised_fine_tuning_jobs.list(page_size=min(limit, 200)):
                job = self._job(j)
                if marker is None or job.id == job_id_for(marker):
                    out.append(job)
                if len(out) >= limit:
                    break
        return out

    def find_by_marker(self, marker: str) -> RemoteJob | None:
        try:
            return self.retrieve_job(job_id_for(marker))
        except FineTuneNotFound:
            return None

    def delete_model(self, model: str, job_id: str | None = None) -> str:
        """``DELETE /v1/accounts/{a}/models/{m}`` (fireworks-ai SDK ``models.delete``); *model* is
        the job's ``outputModel`` (``accounts/{a}/models/{m}``) or the bare model id."""
        parts = model.split("/")
        account, model_id = (parts[1], parts[3]) if len(parts) == 4 and parts[0] == "accounts" else (self.account_id, parts[-1])
        with sdk_errors(f"Fireworks: deleting model {model}"):
            try:
                self.client.models.delete(model_id, account_id=account)
            except fireworks.NotFoundError:
                raise FineTuneNotFound(f"Fireworks: no model {model} (already deleted?)") from None
        return f"Fireworks deleted model {model}"

    def cancel_job(self, job_id: str) -> RemoteJob:
        with sdk_errors(f"Fireworks: cancelling {job_id}"):
            return self._job(self.client.supervised_fine_tuning_jobs.cancel(job_id, body={}))

    def pause_job(self, job_id: str) -> RemoteJob:
        raise NotImplementedError("Fireworks has no pause for supervised fine-tuning jobs")

    def resume_job(self, job_id: str) -> RemoteJob:
        with sdk_errors(f"Fireworks: resuming {job_id}"):
            return self._job(self.client.supervised_fine_tuning_jobs.resume(job_id, body={}))

    def events(self, job_id: str, after: str | None = None) -> list[RemoteEvent]:
        return []  # no events endpoint for SFT jobs (FINE-TUNING-APIS.md §2)

    def metrics(self, job_id: str, job: RemoteJob | None = None) -> list[dict]:
        return []  # metrics file format not published; progress comes from jobProgress

    def checkpoints(self, job_id: str) -> list[RemoteCheckpoint]:
        return []  # no checkpoints endpoint for SFT jobs
