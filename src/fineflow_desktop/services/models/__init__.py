"""Fine-tuned models (issue 12): the catalog, model comparisons and the playground — Qt-free, for
the GUI and the CLI.

Typical use::

    from fineflow_desktop.services import models
    models.list_models(ws)                                  # [ModelRecord]; completed jobs added first
    models.add_model(ws, "ft:gpt-4o-mini:acme::abc", "oa")   # a model trained elsewhere
    models.deploy_model(ws, "ft:gpt-4o-mini:acme::abc")      # the workspace's chat model now
    prompts, label = models.job_prompts(ws, job_id, 50)      # the job's held-out split (default source)
    cmp = models.compare_models(ws, "ft:…", "gpt-4o-mini", prompts, prompt_source=label,
                                judge=models.JudgeSpec("gpt-4o", "oa"))   # temperature etc.: AI Settings
    models.set_vote(ws, cmp.comparison_id, 0, "a")
    models.playground_answer(ws, "How do I reset it?")      # deployed model + instructions + RAG context
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
from fineflow_desktop.services.models.compare import (
    Comparison,
    compare_models,
    export_comparison,
    get_comparison,
    list_comparisons,
    refresh_summary,
    set_vote,
    with_instructions,
)
from fineflow_desktop.services.models.defaults import ChatDefaults, chat_defaults, model_choices
from fineflow_desktop.services.models.judge import JudgeSpec, ensure_judge_template, judge_templates, resolve_judge
from fineflow_desktop.services.models.lifecycle import DeleteResult, add_checkpoints, delete_model, delete_support
from fineflow_desktop.services.models.playground import playground_answer
from fineflow_desktop.services.models.prompts import (
    DEFAULT_LIMIT,
    NoHeldOutSplit,
    PromptItem,
    PromptsFileError,
    dataset_prompts,
    has_held_out,
    held_out_info,
    job_of_model,
    job_prompts,
    parse_prompts_text,
    prompts_from_source,
    read_prompts_file,
)
from fineflow_desktop.services.models.targets import (
    RUN_PARAMETERS,
    credential_of,
    default_credential,
    deployed_target,
    run_defaults,
    run_parameters,
)

__all__ = [
    "DEFAULT_LIMIT", "RUN_PARAMETERS", "ChatDefaults", "Comparison", "DeleteResult", "JudgeSpec", "ModelNotFound", "ModelRecord", "NoHeldOutSplit",
    "PromptItem", "PromptsFileError", "add_checkpoints", "add_model", "chat_defaults", "compare_models",
    "credential_of", "dataset_prompts", "delete_model", "delete_support",
    "default_credential", "deploy_model", "deployed_target", "ensure_judge_template", "export_comparison",
    "get_comparison", "get_model", "has_held_out", "held_out_info", "job_of_model", "job_prompts", "judge_templates",
    "list_comparisons", "list_models", "model_choices", "parse_prompts_text", "playground_answer", "prompts_from_source", "read_prompts_file",
    "refresh_summary", "resolve_judge", "restore_previous_default", "run_defaults", "run_parameters",
    "set_archived", "set_vote", "sync_from_jobs", "with_instructions",
]
