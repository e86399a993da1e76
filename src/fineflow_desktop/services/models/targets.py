"""Which credential reaches a model, and the workspace defaults a compare or playground run
starts from (the AI Settings: chat model, temperature, max tokens, instructions, RAG).

A run's parameters are the workspace defaults unless the run overrides them; the values used
are stored with the comparison, so a reopened comparison says what it ran with.
"""

from __future__ import annotations

from sqlalchemy import select

from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.services.models.catalog import ModelNotFound
from fineflow_desktop.services.retrieval import get_ai_config
from fineflow_desktop.store.models_catalog import CatalogModel

# The per-run parameters that come from the AI Settings (the "workspace defaults").
RUN_PARAMETERS = ("temperature", "max_tokens", "instructions")


def run_defaults(ws) -> dict:
    """``{"chat_model", "temperature", "max_tokens", "instructions", "rag_enabled"}`` from the
    workspace AI configuration."""
    cfg = get_ai_config(ws)
    return {k: cfg[k] for k in ("chat_model", *RUN_PARAMETERS, "rag_enabled")}


def run_parameters(ws, **overrides) -> dict:
    """The workspace defaults of ``RUN_PARAMETERS`` with the given non-None *overrides* applied,
    plus ``"overridden"``: the names that differ from the defaults. Raises ``ValueError`` for
    a temperature outside 0–2 or max tokens below 1 (the OpenAI API's ranges)."""
    defaults = run_defaults(ws)
    out = {k: defaults[k] for k in RUN_PARAMETERS}
    for k, v in overrides.items():
        if k not in RUN_PARAMETERS:
            raise ValueError(f"{k}: not a run parameter (one of {', '.join(RUN_PARAMETERS)})")
        if v is not None:
            out[k] = v
    out["temperature"], out["max_tokens"] = float(out["temperature"]), int(out["max_tokens"])
    if not 0.0 <= out["temperature"] <= 2.0:
        raise ValueError(f"temperature: {out['temperature']} is outside 0..2")
    if out["max_tokens"] < 1:
        raise ValueError(f"max_tokens: {out['max_tokens']} must be at least 1")
    out["overridden"] = [k for k in RUN_PARAMETERS if out[k] != defaults[k]]
    return out


def default_credential(ws) -> str | None:
    """The first chat credential (providers in name order, each provider's default first), or None."""
    for c in creds.list_credentials(ws):
        if c.provider != "extractive":
            return c.name
    return None


def credential_of(ws, model: str, credential: str | None, fallback: str | None = None) -> str:
    """The credential to reach *model*: the one given, else the catalog's for that model id, else
    *fallback* (model B — typically the base model — goes through model A's credential).
    Raises ``ModelNotFound`` when none applies."""
    if credential:
        return credential
    with ws.session() as s:
        row = s.scalar(select(CatalogModel).where(CatalogModel.model_id == model).order_by(CatalogModel.id))
    if row is not None and row.credential_name and not row.credential_name.startswith("("):
        return row.credential_name
    if fallback:
        return fallback
    raise ModelNotFound(f"model: {model!r} is not in the catalog; give --credential for it")


def deployed_target(ws) -> tuple[str, str]:
    """``(model, credential)`` of the workspace chat model (the deployed one): the catalog's
    credential for it, else the AI Settings' chat credential when it has one, else the first chat
    credential. Raises ``ModelNotFound`` when the workspace has no credential at all."""
    cfg = get_ai_config(ws)
    model = cfg["chat_model"]
    fallback = cfg.get("chat_credential") or default_credential(ws)
    try:
        return model, credential_of(ws, model, None, fallback=fallback)
    except ModelNotFound:
        raise ModelNotFound(f"chat model {model!r}: no credential to reach it; add one in Settings") from None
