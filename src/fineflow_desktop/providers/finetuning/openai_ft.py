"""OpenAI fine-tuning adapter on the official ``openai`` SDK (Files + ``fine_tuning.jobs``).

- Supervised and DPO through ``method`` (``{"type": …, "<type>": {"hyperparameters": …}}``);
  ``"auto"`` hyperparameters are sent as ``"auto"`` (the API's own default).
- The client marker goes in ``metadata`` and ``list(metadata={MARKER_KEY: marker})`` finds the
  job again (server-side filter, openai-openapi.yaml ``GET /fine_tuning/jobs``).
- Events come newest first, paginated by ``after`` = the last event id of the previous page;
  ``events(after=id)`` walks pages until it meets the known id, then returns oldest first.
- Metrics: ``type == "metrics"`` events carry ``data {step, train_loss, …}``; when the job is
  finished the results CSV (``result_files``) is read too — its content may be base64 of the CSV.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
from datetime import datetime
from pathlib import Path

import openai

from fineflow_desktop.providers.base import BadRequestError
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

METRIC_KEYS = ("train_loss", "valid_loss", "train_mean_token_accuracy", "valid_mean_token_accuracy",
               "full_valid_loss", "full_valid_mean_token_accuracy")
EVENT_PAGE = 100
MAX_EVENT_PAGES = 200  # 20k events per poll at most; the rest arrive next poll



def _float(v) -> float | None:
    if v in (None, ""):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def parse_results_csv(content: bytes) -> list[dict]:
    """Metric points from an OpenAI results file; the bytes may be the CSV or base64 of it.

    Columns (``step, train_loss, train_accuracy, valid_loss, valid_mean_token_accuracy,
    train_mean_token_accuracy, full_valid_loss, …``): empty cells → ``None``;
    ``train_accuracy`` fills ``train_mean_token_accuracy`` when that column is absent."""
    text = content.decode("utf-8", "replace").strip()
    if text and not text.startswith("step"):
        try:
            text = base64.b64decode(text, validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return []
    points = []
    for row in csv.DictReader(io.StringIO(text)):
        step = _float(row.get("step"))
        if step is None:
            continue
        p = {"step": int(step)}
        for k in METRIC_KEYS:
            p[k] = _float(row.get(k))
        if p["train_mean_token_accuracy"] is None:
            p["train_mean_token_accuracy"] = _float(row.get("train_accuracy"))
        points.append(p)
    return points


class OpenAIFineTuning:
    """``FineTuningProvider`` for OpenAI (and OpenAI-compatible servers given a base URL)."""

    name = "openai"
    training_format = "openai"
    dpo_format = "openai-dpo"

    def __init__(self, api_key: str, base_url: str | None = None, *, timeout_s: float = 30.0, max_retries: int = 2):
        self.client = openai.OpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout_s, max_retries=max_retries)

    def close(self) -> None:
        self.client.close()

    # -- conversion ------------------------------------------------------------------------------
    def _job(self, j) -> RemoteJob:
        d = j.model_dump() if hasattr(j, "model_dump") else dict(j)
        method = d.get("method") or {}
        mtype = method.get("type") or "supervised"
        hp = dict(d.get("hyperparameters") or {})
        hp.update(((method.get(mtype) or {}).get("hyperparameters")) or {})
        err = d.get("error")
        if err and not (err.get("message") or err.get("code")):
            err = None
        return RemoteJob(
            id=d["id"], status=str(d.get("status") or ""), model=d.get("model"), fine_tuned_model=d.get("fine_tuned_model"),
            trained_tokens=d.get("trained_tokens"), training_file=d.get("training_file"), validation_file=d.get("validation_file"),
            hyperparameters={k: v for k, v in hp.items() if v is not None}, metadata=dict(d.get("metadata") or {}),
            error={"code": err.get("code"), "message": err.get("message") or "", "param": err.get("param")} if err else None,
            created_at=parse_time(d.get("created_at")), finished_at=parse_time(d.get("finished_at")),
            estimated_finish=parse_time(d.get("estimated_finish")), result_files=list(d.get("result_files") or []), raw=d,
        )

    # -- protocol --------------------------------------------------------------------------------
    def check_key(self) -> None:
        with sdk_errors("OpenAI fine-tuning: checking the key"):
            self.client.fine_tuning.jobs.list(limit=1)

    def upload_file(self, path: Path, purpose: str = "fine-tune") -> str:
        with sdk_errors(f"OpenAI: uploading {Path(path).name}"), open(path, "rb") as fh:
            return self.client.files.create(file=(Path(path).name, fh), purpose=purpose).id

    def create_job(self, request: JobRequest) -> RemoteJob:
        hp: dict = {"n_epochs": request.epochs, "batch_size": request.batch_size,
                    "learning_rate_multiplier": request.learning_rate_multiplier}
        mtype = "dpo" if request.method == "dpo" else "supervised"
        if mtype == "dpo" and "beta" in request.extra:
            hp["beta"] = request.extra["beta"]
        kwargs: dict = {"model": request.model, "training_file": request.training_file,
                        "method": {"type": mtype, mtype: {"hyperparameters": hp}},
                        "metadata": {MARKER_KEY: request.marker}}
        if request.validation_file:
            kwargs["validation_file"] = request.validation_file
        if request.suffix:
            kwargs["suffix"] = request.suffix
        if request.seed is not None:
            kwargs["seed"] = int(request.seed)
        with sdk_errors("OpenAI: creating the fine-tuning job"):
            # No SDK retries: a timed-out create may have succeeded; the caller looks the marker up instead.
            return self._job(self.client.with_options(max_retries=0).fine_tuning.jobs.create(**kwargs))

    def retrieve_job(self, job_id: str) -> RemoteJob:
        try:
            with sdk_errors(f"OpenAI: fine-tuning job {job_id}"):
                return self._job(self.client.fine_tuning.jobs.retrieve(job_id))
        except Exception as exc:
            if getattr(exc, "status", None) == 404:
                raise FineTuneNotFound(str(exc), 404) from exc
            raise

    def list_jobs(self, marker: str | None = None, limit: int = 100) -> list[RemoteJob]:
        kwargs: dict = {"limit": min(limit, 100)}
        if marker:
            kwargs["metadata"] = {MARKER_KEY: marker}
        out: list[RemoteJob] = []
        with sdk_errors("OpenAI: listing fine-tuning jobs"):
            for j in self.client.fine_tuning.jobs.list(**kwargs):
                job = self._job(j)
                if marker is None or job.metadata.get(MARKER_KEY) == marker:
                    out.append(job)
                if len(out) >= limit:
                    break
        return out

    def find_by_marker(self, marker: str) -> RemoteJob | None:
        found = self.list_jobs(marker=marker, limit=5)
        return found[0] if found else None

    def cancel_job(self, job_id: str) -> RemoteJob:
        with sdk_errors(f"OpenAI: cancelling {job_id}"):
            return self._job(self.client.fine_tuning.jobs.cancel(job_id))

    def delete_model(self, model: str, job_id: str | None = None) -> str:
        """``DELETE /models/{model}`` (openai-openapi.yaml ``deleteModel``: fine-tuned models only,
        Owner role needed). A 404 is ``FineTuneNotFound``."""
        with sdk_errors(f"OpenAI: deleting model {model}"):
            try:
                resp = self.client.models.delete(model)
            except openai.NotFoundError:
                raise FineTuneNotFound(f"OpenAI: no model {model} (already deleted?)") from None
        if not getattr(resp, "deleted", False):
            raise BadRequestError(f"OpenAI: model {model} was not deleted (the API answered deleted=false)")
        return f"OpenAI deleted model {model}"

    def pause_job(self, job_id: str) -> RemoteJob:
        with sdk_errors(f"OpenAI: pausing {job_id}"):
            return self._job(self.client.fine_tuning.jobs.pause(job_id))

    def resume_job(self, job_id: str) -> RemoteJob:
        with sdk_errors(f"OpenAI: resuming {job_id}"):
            return self._job(self.client.fine_tuning.jobs.resume(job_id))

    def events(self, job_id: str, after: str | None = None) -> list[RemoteEvent]:
        """Events newer than *after*: pages newest-first until the known id shows up."""
        collected: list[RemoteEvent] = []
        cursor = None
        with sdk_errors(f"OpenAI: events of {job_id}"):
            for _ in range(MAX_EVENT_PAGES):
                kwargs = {"limit": EVENT_PAGE}
                if cursor:
                    kwargs["after"] = cursor
                page = self.client.fine_tuning.jobs.list_events(job_id, **kwargs)
                data = list(page.data)
                stop = False
                for e in data:
                    if after is not None and e.id == after:
                        stop = True
                        break
                    d = e.model_dump()
                    payload = d.get("data") or {}
                    metrics = None
                    if d.get("type") == "metrics" and isinstance(payload, dict) and payload.get("step") is not None:
                        metrics = {"step": int(payload["step"]), **{k: _float(payload.get(k)) for k in METRIC_KEYS}}
                    collected.append(RemoteEvent(id=e.id, created_at=parse_time(d.get("created_at")) or datetime.utcnow(),
                                                 level=str(d.get("level") or "info"), type=str(d.get("type") or "message"),
                                                 message=d.get("message") or "", data=payload or None, metrics=metrics))
                if stop or not page.has_more or not data:
                    break
                cursor = data[-1].id
        return collected[::-1]

    def metrics(self, job_id: str, job: RemoteJob | None = None) -> list[dict]:
        """Points from the results CSV of a finished job (empty while running: events carry them)."""
        job = job or self.retrieve_job(job_id)
        points: list[dict] = []
        for fid in job.result_files:
            with sdk_errors(f"OpenAI: results file {fid} of {job_id}"):
                content = self.client.files.content(fid).read()
            points.extend(parse_results_csv(content))
        return points

    def checkpoints(self, job_id: str) -> list[RemoteCheckpoint]:
        with sdk_errors(f"OpenAI: checkpoints of {job_id}"):
            out = []
            for c in self.client.fine_tuning.jobs.checkpoints.list(job_id, limit=100):
                d = c.model_dump()
                out.append(RemoteCheckpoint(step=d.get("step_number"), model=d.get("fine_tuned_model_checkpoint"),
                                            created_at=parse_time(d.get("created_at")),
                                            metrics={k: v for k, v in (d.get("metrics") or {}).items() if v is not None}))
            return out
