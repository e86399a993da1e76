"""Catalog models and the provider (issue 12): a job's checkpoints as catalog models, and delete
— asking the provider to delete the model where its API can.

What each provider's API offers (``shared/specs``):

| provider | delete call | source |
|---|---|---|
| openai | ``DELETE /models/{model}`` (``models.delete``; fine-tuned models only) | openai-openapi.yaml ``deleteModel`` |
| fireworks | ``DELETE /v1/accounts/{a}/models/{m}`` (``models.delete``) | fireworks-ai SDK, FINE-TUNING-APIS.md §2 |
| together | no model delete; ``DELETE /fine-tunes/{id}`` deletes the job that made it | together-openapi.yaml |
| local | none: the adapter folder is the user's file | — |
| anthropic, compatible | none | — |

Checkpoint models are never deleted at the provider (no API deletes one checkpoint).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from fineflow_desktop.providers.finetuning.base import FineTuneNotFound
from fineflow_desktop.providers.finetuning.local_run import LOCAL
from fineflow_desktop.services import finetune as ft
from fineflow_desktop.services.models.catalog import (
    DELETED,
    ModelRecord,
    catalog_row,
    get_model,
    restore_previous_default,
)
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_catalog import CatalogModel

DELETABLE = ("openai", "fireworks", "together")


@dataclass
class DeleteResult:
    """What ``delete_model`` did. ``deleted_at_provider``: the provider confirmed (or already had
    no such model); ``provider_message``: what was asked and answered, or why nothing was asked;
    ``chat_model``: the workspace chat model afterwards when the deleted model was deployed."""

    model_id: str
    catalog_id: int
    deleted_at_provider: bool
    provider_message: str
    removed_from_catalog: bool = True
    chat_model: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def delete_support(rec: ModelRecord) -> tuple[bool, str]:
    """``(asks_provider, plain words)``: whether deleting *rec* asks its provider to delete it,
    and what happens — the text the confirmation dialog and the CLI show."""
    if rec.source == "checkpoint":
        return False, (f"{rec.provider} has no call to delete one checkpoint: it is removed from the catalog only "
                       "(the provider deletes checkpoints with their model or job)")
    if rec.provider == LOCAL:
        return False, f"a local adapter folder is never deleted by FineFlow: {rec.model_id} stays on disk"
    if rec.provider not in DELETABLE:
        return False, (f"the {rec.provider} API has no call to delete a model: it is removed from the catalog only "
                       "and stays at the provider")
    if rec.provider == "together":
        if rec.job_id is None:
            return False, ("Together's API has no call to delete a model, and FineFlow knows no Together job that "
                           "made it: removed from the catalog only")
        return True, ("Together's API has no call to delete a model; FineFlow asks Together to delete the "
                      f"fine-tuning job #{rec.job_id} that made it (DELETE /fine-tunes/{{id}})")
    return True, f"FineFlow asks {rec.provider} to delete {rec.model_id} (credential {rec.credential!r})"


def _provider_job_id(ws, job_id: int | None) -> str | None:
    if job_id is None:
        return None
    try:
        return ft.get_job(ws, job_id).provider_job_id
    except ft.JobNotFound:
        return None


def delete_model(ws, ref: int | str, *, at_provider: bool = True) -> DeleteResult:
    """Delete a catalog model: first at the provider when its API can (``delete_support``) and
    *at_provider* is true, then from the catalog (the row stays, status ``deleted`` and hidden,
    so its comparisons keep their model and the job's model is not added back).

    Raises ``ModelNotFound``; ``ft.CredentialRejected`` (unknown credential or no key) and
    ``ProviderError`` (refused, rate limited, network) leave the catalog row untouched, so the
    delete can be retried. A provider that no longer has the model counts as deleted there.
    When the model was the workspace chat model, the previous default is restored."""
    rec = get_model(ws, ref)
    asks, why = delete_support(rec)
    deleted, message = False, why if not asks else f"kept at {rec.provider} on request (removed from the catalog only)"
    if asks and at_provider:
        adapter, _info = ft.open_provider(ws, rec.credential)
        try:
            message = adapter.delete_model(rec.model_id, _provider_job_id(ws, rec.job_id))
            deleted = True
        except FineTuneNotFound as exc:
            message, deleted = f"the provider no longer has it ({exc})", True
        except NotImplementedError as exc:
            message = str(exc)
        finally:
            adapter.close()
    with ws.session() as s:
        row = catalog_row(s, rec.id)
        row.status, row.archived_at = DELETED, utcnow()
    chat = None
    if rec.deployed:
        chat = restore_previous_default(ws)
    return DeleteResult(rec.model_id, rec.id, deleted, message, True, chat)


def add_checkpoints(ws, ref: int | str) -> list[ModelRecord]:
    """Add the saved checkpoints of the job that made catalog model *ref* as catalog models
    (``source="checkpoint"``, ``checkpoint_step``; each usable for compare and deploy like any
    model). Asks the provider (a network call; local runs list their ``checkpoint-<step>``
    folders). Returns the records added (already known checkpoints are skipped).

    Raises ``ModelNotFound``; ``ValueError`` (``model: …``) for a model not made by a job here;
    ``ft.FineTuneError`` / ``ProviderError`` from the provider."""
    rec = get_model(ws, ref)
    if rec.job_id is None:
        raise ValueError(f"model: {rec.model_id} was added by id; FineFlow knows no job whose checkpoints to list")
    checkpoints = [c for c in ft.job_checkpoints(ws, rec.job_id) if c.model]
    added: list[int] = []
    with ws.session() as s:
        known = set(s.scalars(select(CatalogModel.model_id).where(CatalogModel.provider == rec.provider)))  # deleted too
        for c in checkpoints:
            if c.model in known:
                continue
            row = CatalogModel(model_id=c.model, provider=rec.provider, credential_name=rec.credential,
                               base_model=rec.base_model, job_id=rec.job_id, dataset_id=rec.dataset_id,
                               dataset_name=rec.dataset_name, source="checkpoint", checkpoint_step=c.step,
                               status="active", created_at=c.created_at or utcnow())
            s.add(row)
            s.flush()
            known.add(c.model)
            added.append(row.id)
    return [get_model(ws, i) for i in added]

