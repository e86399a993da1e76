"""Fine-tuned models (issue 12): the catalog and model comparisons — Qt-free, for the GUI and the CLI.

Typical use::

    from fineflow_desktop.services import models
    models.list_models(ws)                                  # [ModelRecord]; completed jobs added first
    models.add_model(ws, "ft:gpt-4o-mini:acme::abc", "oa")   # a model trained elsewhere
    models.deploy_model(ws, "ft:gpt-4o-mini:acme::abc")      # the workspace's chat model now
    cmp = models.compare_models(ws, "ft:…", "gpt-4o-mini", models.dataset_prompts(ws, "support", 20),
                                credential_a="oa", credential_b="oa")
    models.set_vote(ws, cmp.comparison_id, 0, "a")
    models.add_checkpoints(ws, "ft:…")                       # the job's checkpoints, each a model
    models.delete_model(ws, "ft:…")                          # asks the provider where its API can
"""

from fineflow_desktop.services.models.catalog import (
    ModelNotFound,
    ModelRecord,
    add_model,
    deploy_model,
    get_model,
    list_models,
    restore_previous_default,
    set_archived,
    sync_from_jobs,
)
from fineflow_desktop.services.models.defaults import ChatDefaults, chat_defaults, model_choices
from fineflow_desktop.services.models.lifecycle import (
    DeleteResult,
    add_checkpoints,
    delete_model,
    delete_support,
)
from fineflow_desktop.services.models.compare import (
    DEFAULT_LIMIT,
    Comparison,
    PromptItem,
    PromptsFileError,
    compare_models,
    dataset_prompts,
    export_comparison,
    get_comparison,
    list_comparisons,
    read_prompts_file,
    refresh_summary,
    set_vote,
)

__all__ = [
    "DEFAULT_LIMIT", "ChatDefaults", "Comparison", "DeleteResult", "ModelNotFound", "ModelRecord", "PromptItem", "PromptsFileError",
    "add_checkpoints", "add_model", "chat_defaults", "compare_models", "delete_model", "delete_support", "dataset_prompts", "deploy_model", "export_comparison", "get_comparison",
    "get_model", "list_comparisons", "list_models", "model_choices", "read_prompts_file", "refresh_summary",
    "restore_previous_default", "set_archived", "set_vote", "sync_from_jobs",
]
