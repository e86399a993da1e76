"""The workspace's chat defaults and the models a run can pick (issue 12): AI Settings is the one
place for the defaults (instructions, chat model, temperature, max tokens); a deployed catalog
model is the chat model, and every active catalog model is selectable in generation runs and
template executions next to the models the credential's server lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from fineflow_desktop.services.models.catalog import list_models
from fineflow_desktop.services.models.targets import run_defaults


@dataclass(frozen=True)
class ChatDefaults:
    """The workspace defaults a run or preview starts from (AI Settings): ``model``,
    ``temperature`` (0–2), ``max_tokens``, ``instructions`` (system prompt), and ``credential``:
    the credential of the catalog model that is the chat model (``None`` when it is not a catalog
    model, e.g. a base model)."""

    model: str
    temperature: float
    max_tokens: int
    instructions: str
    credential: str | None


def chat_defaults(ws) -> ChatDefaults:
    """The workspace's chat defaults (see ``ChatDefaults``)."""
    d = run_defaults(ws)
    cred = next((m.credential for m in list_models(ws, include_archived=False) if m.model_id == d["chat_model"]),
                None)
    return ChatDefaults(d["chat_model"], float(d["temperature"]), int(d["max_tokens"]), d["instructions"], cred)


def model_choices(ws, credential: str | None = None, listed: list[str] | tuple = ()) -> list[str]:
    """Model ids to offer for a call through *credential*, best first: the workspace chat model,
    the active catalog models reached through that credential (all of them when *credential* is
    ``None``), then *listed* (the server's ``GET /models``), without repeats."""
    chat = run_defaults(ws)["chat_model"]
    catalog = [m.model_id for m in list_models(ws, include_archived=False)
               if credential is None or m.credential == credential]
    out: list[str] = []
    for mid in [chat, *catalog, *listed]:
        if mid and mid not in out:
            out.append(mid)
    return out
