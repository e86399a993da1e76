"""Per-model token limits of a workspace: the defaults of ``core.model_limits`` overlaid with the
user's edits (setting row ``token_limits``). A module of its own so that the pair editor
(``services.pairs``) and the dataset service (``services.datasets``, which re-exports these) both
read it without importing each other (``services-acyclic`` in pyproject's import contracts)."""

from __future__ import annotations

from fineflow_desktop.core import model_limits
from fineflow_desktop.store.models import Setting
from fineflow_desktop.store.workspace import Workspace


def token_limits(ws: Workspace) -> dict[str, int]:
    """Per-model token limits: defaults overlaid with the workspace's edits (setting ``token_limits``)."""
    with ws.session() as s:
        row = s.get(Setting, "token_limits")
        return {**model_limits.TOKEN_LIMITS, **(row.value if row and isinstance(row.value, dict) else {})}


def set_token_limit(ws: Workspace, model: str, limit: int) -> None:
    """Edit the token limit of *model* for this workspace; raises ``ValueError`` if *limit* ≤ 0."""
    if limit <= 0:
        raise ValueError("token limit must be positive")
    with ws.session() as s:
        row = s.get(Setting, "token_limits") or Setting(key="token_limits", value={})
        row.value = {**(row.value or {}), model: int(limit)}
        s.merge(row)
