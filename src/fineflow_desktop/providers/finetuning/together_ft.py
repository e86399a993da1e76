"""Together AI fine-tuning adapter on the official ``together`` SDK (3.1.1, pinned).

Facts it relies on (``shared/specs/FINE-TUNING-APIS.md`` §1 and the SDK source):
- The SDK's paths start with ``/v1``: the base URL is the host root (default ``https://api.together.ai``).
- Upload uses the SDK's redirect flow (``POST /files`` → 302 + ``X-Together-File-Id``, PUT, ``/preprocess``).
- ``fine_tuning.create`` first calls ``models/limits`` and ``estimate-price``; it is sent with SDK
  retries off (a retried create could make a second job; the caller looks the marker up instead).
- Jobs have no metadata: the client marker goes into ``suffix`` (``<user suffix>-ff<12 hex>``),
  which list and retrieve return. ``list`` has no filter or paging: the marker is matched here.
- Together has no ``"auto"`` epochs: FineFlow sends the cookbook count it estimated (``extra["resolved_epochs"]``);
  ``"auto"`` batch size is sent as ``"max"``.
- Events carry no id: the event ``hash`` is the id. A failed job (``error``/``user_error``) has no
  error field: the message is the last error-level event.
- Loss lives only in ``/metrics`` (flat ``{"train/loss", "train/global_step", "eval/loss", …}``).
- ``total_price`` is an integer whose unit the spec does not state: it is not taken as USD.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import together

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

MARKER_PREFIX = "ff"
MARKER_LEN = 12
METRIC_NAMES = {"train/loss": "train_loss", "eval/loss": "valid_loss", "train/learning_rate": "learning_rate",
                "train/token_accuracy": "train_mean_token_accuracy",
                "eval/token_accuracy": "valid_mean_token_accuracy"}


def marker_tag(marker: str) -> str:
    """The part of the suffix that carries the marker."""
    return MARKER_PREFIX + marker[:MARKER_LEN]



def _s(v) -> str:
    return str(getattr(v, "value", v) or "")


class TogetherFineTuning:
    """``FineTuningProvider`` for Together AI."""

    name = "together"
    training_format = "openai"
    dpo_format = "openai-dpo"

    def __init__(self, api_key: str, base_url: str | None = None, *, timeout_s: float = 30.0, max_retries: int = 2):
        base = (base_url or "").rstrip("/")
        if base.endswith("/v1"):  # the SDK adds /v1 itself
            base = base[:-3]
        self.client = together.Together(api_key=api_key, base_url=base or None, timeout=timeout_s, max_retries=max_retries)

    def close(self) -> None:
        self.client.close()

    def _job(self, j, events: list[dict] | None = None) -> RemoteJob:
        d = j.model_dump() if hasattr(j, "model_dump") else dict(j)
        suffix = d.get("suffix") or ""
        marker = suffix.rsplit("-", 1)[-1] if MARKER_PREFIX in suffix else ""
        status = _s(d.get("status"))
        err = None
        if status in ("error", "user_error"):
            evs = events if events is not None else (d.get("events") or [])
            bad = [e for e in evs if str(e.get("level") or "").lower() == "error" or _s(e.get("type")) in ("job_error", "JOB_ERROR")]
            err = {"code": status, "message": (bad[-1].get("message") if bad else "") or f"Together reports {status}", "param": None}
        prog = d.get("progress") or {}
        eta = None
        if prog.get("estimate_available") and prog.get("seconds_remaining") is not None:
            eta = datetime.utcnow().replace(microsecond=0) + __import__("datetime").timedelta(seconds=int(prog["seconds_remaining"]))
        hp = {k: d.get(k) for k in ("n_epochs", "batch_size", "learning_rate", "warmup_ratio", "n_checkpoints", "n_evals") if d.get(k) is not None}
        progress = {}
        if d.get("total_steps"):
            progress["total_steps"] = d["total_steps"]
        if d.get("steps_completed") is not None:
            progress["step"] = d["steps_completed"]
        return RemoteJob(
            id=d["id"], status=status, model=d.get("model"), fine_tuned_model=d.get("model_output_name") if status == "completed" else None,
            trained_tokens=d.get("token_count") or None, training_file=d.get("training_file"),
            validation_file=d.get("validation_file") or None, hyperparameters=hp,
            metadata={MARKER_KEY: marker} if marker else {}, error=err, created_at=parse_time(d.get("created_at")),
            finished_at=parse_time(d.get("updated_at")) if status in ("completed", "cancelled", "error", "user_error") else None,
            estimated_finish=eta, progress=progress,
            # total_price is an integer of unstated unit (spec example: 1500 for 850,000 tokens): not used
            # as USD; the service prices trained tokens with the price table instead.
            cost_usd=None, raw=d)

    # -- protocol ------------------------------------------------------------------------------------
    def check_key(self) -> None:
        with sdk_errors("Together fine-tuning: checking the key"):
            self.client.fine_tuning.list()

    def upload_file(self, path: Path, purpose: str = "fine-tune") -> str:
        with sdk_errors(f"Together: uploading {Path(path).name}"):
            return self.client.files.upload(file=Path(path), purpose=purpose, check=False).id

    def _epochs(self, request: JobRequest) -> int:
        if request.epochs == "auto":
            return int(request.extra.get("resolved_epochs") or 1)
        return int(request.epochs)

    def create_job(self, request: JobRequest) -> RemoteJob:
        tag = marker_tag(request.marker)
        suffix = f"{request.suffix}-{tag}" if request.suffix else tag
        kwargs: dict = {"training_file": request.training_file, "model": request.model, "n_epochs": self._epochs(request),
                        "batch_size": "max" if request.batch_size == "auto" else int(request.batch_size), "suffix": suffix,
                        "training_method": "dpo" if request.method == "dpo" else "sft",
                        # Explicit: with lora=None the SDK sends "training_type": null, which the spec does not allow.
                        "lora": bool(request.extra.get("lora", True))}
        if request.validation_file:
            kwargs.update(validation_file=request.validation_file, n_evals=int(request.extra.get("n_evals") or 1))
        if request.seed is not None:
            kwargs["random_seed"] = int(request.seed)
        for k in ("learning_rate", "warmup_ratio", "n_checkpoints", "dpo_beta"):
            if request.extra.get(k) not in (None, "auto"):
                kwargs[k] = request.extra[k]
        if request.learning_rate_multiplier != "auto" and "learning_rate" not in kwargs:
            kwargs["learning_rate"] = 1e-5 * float(request.learning_rate_multiplier)  # relative to Together's default
        with sdk_errors("Together: creating the fine-tuning job"):
            return self._job(self.client.with_options(max_retries=0).fine_tuning.create(**kwargs))

    def retrieve_job(self, job_id: str) -> RemoteJob:
        try:
            with sdk_errors(f"Together: fine-tuning job {job_id}"):
                return self._job(self.client.fine_tuning.retrieve(job_id))
        except Exception as exc:
            if getattr(exc, "status", None) == 404:
                raise FineTuneNotFound(str(exc), 404) from exc
            raise

    def list_jobs(self, marker: str | None = None, limit: int = 100) -> list[RemoteJob]:
        with sdk_errors("Together: listing fine-tuning jobs"):
            data = list(self.client.fine_tuning.list().data)
        jobs = [self._job(j) for j in data]
        if marker:
            tag = marker_tag(marker)
            jobs = [j for j in jobs if (j.raw.get("suffix") or "").endswith(tag)]
        return jobs[:limit]

    def find_by_marker(self, marker: str) -> RemoteJob | None:
        found = self.list_jobs(marker=marker, limit=5)
        return found[0] if found else None

    def cancel_job(self, job_id: str) -> RemoteJob:
        with sdk_errors(f"Together: cancelling {job_id}"):
            return self._job(self.client.fine_tuning.cancel(job_id))

    def delete_model(self, model: str, job_id: str | None = None) -> str:
        """Together's API has no model-delete call (together-openapi.yaml: only ``DELETE
        /fine-tunes/{id}``, "Delete a fine-tuning job"); with the producing job's id that job is
        deleted, else ``NotImplementedError``."""
        if not job_id:
            raise NotImplementedError("Together's API has no endpoint to delete a model, and this model has no "
                                      "Together fine-tuning job to delete")
        with sdk_errors(f"Together: deleting fine-tuning job {job_id}"):
            try:
                resp = self.client.fine_tuning.delete(job_id)
            except together.NotFoundError:
                raise FineTuneNotFound(f"Together: no fine-tuning job {job_id} (already deleted?)") from None
        said = getattr(resp, "message", None) or ""
        return (f"Together has no model-delete endpoint; deleted fine-tuning job {job_id}, which produced {model}"
                + (f" (Together: {said})" if said else ""))

    def pause_job(self, job_id: str) -> RemoteJob:
        raise NotImplementedError("Together has no pause")

    def resume_job(self, job_id: str) -> RemoteJob:
        raise NotImplementedError("Together has no resume")

    def events(self, job_id: str, after: str | None = None) -> list[RemoteEvent]:
        with sdk_errors(f"Together: events of {job_id}"):
            data = [e.model_dump() for e in self.client.fine_tuning.list_events(job_id).data]
        ids = [str(e.get("hash") or "") for e in data]
        start = ids.index(after) + 1 if after and after in ids else 0
        out = []
        for e in data[start:]:
            out.append(RemoteEvent(id=str(e.get("hash") or ""), created_at=parse_time(e.get("created_at")) or datetime.utcnow(),
                                   level=_s(e.get("level")).lower() or "info", type=_s(e.get("type")) or "message",
                                   message=e.get("message") or "",
                                   data={k: e.get(k) for k in ("step", "total_steps", "checkpoint_path", "token_count") if e.get(k)}))
        return out

    def metrics(self, job_id: str, job: RemoteJob | None = None) -> list[dict]:
        with sdk_errors(f"Together: metrics of {job_id}"):
            rows = self.client.fine_tuning.list_metrics(job_id).metrics or []
        points = []
        for r in rows:
            step = r.get("train/global_step", r.get("global_step"))
            if step is None:
                continue
            p = {"step": int(step)}
            for src, dst in METRIC_NAMES.items():
                if r.get(src) is not None:
                    p[dst] = float(r[src])
            points.append(p)
        return points

    def checkpoints(self, job_id: str) -> list[RemoteCheckpoint]:
        with sdk_errors(f"Together: checkpoints of {job_id}"):
            data = [c.model_dump() for c in self.client.fine_tuning.list_checkpoints(job_id).data]
        return [RemoteCheckpoint(step=c.get("step"), model=c.get("path"), created_at=parse_time(c.get("created_at"))) for c in data]

    def estimate_price(self, request: JobRequest) -> dict:
        """Together's own estimate: ``{"cost_usd", "training_tokens", "allowed_to_proceed", "source"}``."""
        with sdk_errors("Together: estimating the price"):
            r = self.client.fine_tuning.estimate_price(training_file=request.training_file, model=request.model,
                                                       n_epochs=self._epochs(request))
        d = r.model_dump() if hasattr(r, "model_dump") else dict(r)
        return {"cost_usd": d.get("estimated_total_price"), "training_tokens": d.get("estimated_train_token_count"),
                "allowed_to_proceed": d.get("allowed_to_proceed"), "source": "together estimate-price"}
