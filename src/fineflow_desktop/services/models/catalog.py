"""The fine-tuned model catalog (issue 12): models from completed jobs, models added by id,
archive / unarchive, and deploy = the workspace's default chat model (previous one remembered).

Every function takes a ``Workspace`` first and returns plain ``ModelRecord`` values. Models are
named by catalog id (int or digits) or model id.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select

from fineflow_desktop.core.finetune import states
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.usage import totals_per_model_id
from fineflow_desktop.providers.finetuning.local_run import LOCAL
from fineflow_desktop.services.retrieval import get_ai_config, set_ai_config
from fineflow_desktop.store.models import Setting, utcnow
from fineflow_desktop.store.models_catalog import CatalogModel
from fineflow_desktop.store.models_finetune import FineTuneJob

PREVIOUS_DEFAULT_KEY = "models.previous_chat_model"
# A deleted model's row is kept (status "deleted", hidden everywhere) so its comparisons keep their
# model and a completed job's model is not added back by ``sync_from_jobs``.
DELETED = "deleted"


class ModelNotFound(LookupError):
    """No catalog model with that id or model id."""


@dataclass
class ModelRecord:
    """One catalog model (``fineflow models list`` keys). ``deployed``: it is the workspace's
    chat model now. ``source``: ``job`` | ``checkpoint`` (``checkpoint_step`` set; ``job_id`` the
    job that saved it) | ``added``. ``usage``: ``{calls, errors, input_tokens, output_tokens,
    cost_usd, unpriced_calls}`` of this model id in the usage log (all credentials; cost in USD,
    priced calls only). ``created_at``: naive UTC — the job's finish, the checkpoint's save, or
    when it was added."""

    id: int
    model_id: str
    provider: str
    credential: str
    base_model: str | None
    job_id: int | None
    dataset_id: int | None
    dataset_name: str | None
    source: str
    checkpoint_step: int | None
    status: str
    created_at: datetime
    last_comparison_id: int | None
    deployed: bool = False
    usage: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


NO_USAGE = {"calls": 0, "errors": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0, "unpriced_calls": 0}


def _record(row: CatalogModel, chat_model: str, usage: dict | None = None) -> ModelRecord:
    u = (usage or {}).get(row.model_id)
    return ModelRecord(row.id, row.model_id, row.provider, row.credential_name, row.base_model, row.job_id, row.dataset_id,
                       row.dataset_name, row.source, row.checkpoint_step, row.status, row.created_at,
                       row.last_comparison_id, deployed=row.model_id == chat_model,
                       usage={k: getattr(u, k) for k in NO_USAGE} if u is not None else dict(NO_USAGE))


def sync_from_jobs(ws) -> int:
    """Add every completed job's fine-tuned model not yet in the catalog; returns how many."""
    added = 0
    with ws.session() as s:
        known = {(p, m) for p, m in s.execute(select(CatalogModel.provider, CatalogModel.model_id))}
        jobs = s.scalars(select(FineTuneJob).where(FineTuneJob.status == states.COMPLETED,
                                                   FineTuneJob.fine_tuned_model.is_not(None)))
        for job in jobs:
            if (job.provider, job.fine_tuned_model) in known:
                continue
            s.add(CatalogModel(model_id=job.fine_tuned_model, provider=job.provider, credential_name=job.credential_name,
                               base_model=job.model or None, job_id=job.id, dataset_id=job.dataset_id,
                               dataset_name=job.dataset_name, source="job", status="active",
                               created_at=job.finished_at or utcnow()))
            known.add((job.provider, job.fine_tuned_model))
            added += 1
    return added


def list_models(ws, include_archived: bool = True) -> list[ModelRecord]:
    """Catalog models, newest first (completed jobs' models are added first)."""
    sync_from_jobs(ws)
    chat = get_ai_config(ws)["chat_model"]
    usage = totals_per_model_id(ws)
    with ws.session() as s:
        q = select(CatalogModel).where(CatalogModel.status != DELETED).order_by(CatalogModel.created_at.desc(),
                                                                               CatalogModel.id.desc())
        if not include_archived:
            q = q.where(CatalogModel.status == "active")
        return [_record(r, chat, usage) for r in s.scalars(q)]


def catalog_row(s, ref: int | str) -> CatalogModel:
    """The ``CatalogModel`` row for a catalog id or model id inside session *s* (deleted rows are
    not found); ``ModelNotFound``."""
    row = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        row = s.get(CatalogModel, int(ref))
    if row is None or row.status == DELETED:
        row = s.scalar(select(CatalogModel).where(CatalogModel.model_id == str(ref), CatalogModel.status != DELETED)
                       .order_by(CatalogModel.id))
    if row is None:
        raise ModelNotFound(f"model: no model {ref!r} in the catalog (see 'fineflow models list')")
    return row


def get_model(ws, ref: int | str) -> ModelRecord:
    """One catalog model; ``ModelNotFound`` if none."""
    sync_from_jobs(ws)
    chat = get_ai_config(ws)["chat_model"]
    usage = totals_per_model_id(ws)
    with ws.session() as s:
        return _record(catalog_row(s, ref), chat, usage)


def add_model(ws, model_id: str, credential: str, base_model: str | None = None) -> ModelRecord:
    """Add a model trained elsewhere by its id, reached through *credential* (its provider is the
    credential's). Raises ``ValueError`` (``model_id: …``) for an empty id and
    ``creds.CredentialError`` for an unknown credential. Adding a known model returns it."""
    model_id = (model_id or "").strip()
    if not model_id:
        raise ValueError("model_id: must not be empty")
    info = creds.get_credential(ws, credential)
    chat = get_ai_config(ws)["chat_model"]  # read before the write session: a second session would wait on it
    with ws.session() as s:
        row = s.scalar(select(CatalogModel).where(CatalogModel.provider == info.provider, CatalogModel.model_id == model_id))
        if row is None:
            row = CatalogModel(model_id=model_id, provider=info.provider, credential_name=info.name,
                               base_model=base_model, source="added", status="active")
            s.add(row)
            s.flush()
        elif row.status == DELETED:  # added again after a delete
            row.status, row.archived_at, row.credential_name = "active", None, info.name
            row.base_model = base_model or row.base_model
        return _record(row, chat)


def set_archived(ws, ref: int | str, archived: bool = True) -> ModelRecord:
    """Archive (hidden from pickers, kept with its comparisons) or unarchive a model."""
    chat = get_ai_config(ws)["chat_model"]
    with ws.session() as s:
        row = catalog_row(s, ref)
        row.status = "archived" if archived else "active"
        row.archived_at = utcnow() if archived else None
        s.flush()
        return _record(row, chat)


def deploy_model(ws, ref: int | str) -> dict:
    """Make the model the workspace's default chat model (AI configuration); the previous default
    is remembered for ``restore_previous_default``. Returns ``{"model_id", "previous"}``.
    Raises ``ValueError`` for an archived model or a local run without a serving endpoint."""
    rec = get_model(ws, ref)
    if rec.status == "archived":
        raise ValueError(f"model: {rec.model_id} is archived; unarchive it first")
    if rec.provider == LOCAL:
        raise ValueError(f"model: {rec.model_id} is a local adapter folder; serve it with an OpenAI-compatible "
                         "server (vLLM, llama.cpp) and add the served model id with 'fineflow models add'")
    previous = get_ai_config(ws)["chat_model"]
    if previous != rec.model_id:
        with ws.session() as s:
            s.merge(Setting(key=PREVIOUS_DEFAULT_KEY, value=previous))
        set_ai_config(ws, chat_model=rec.model_id)
    return {"model_id": rec.model_id, "previous": previous}


def restore_previous_default(ws) -> str | None:
    """Put back the chat model that was the default before the last deploy; returns it (``None``
    when nothing was remembered)."""
    with ws.session() as s:
        row = s.get(Setting, PREVIOUS_DEFAULT_KEY)
        previous = row.value if row is not None else None
    if previous:
        set_ai_config(ws, chat_model=previous)
    return previous
