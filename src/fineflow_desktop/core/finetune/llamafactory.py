"""A ready-to-run LLaMA-Factory project for a dataset: record shapes, ``dataset_info.json``
entries and the training YAML (Qt-free, no I/O).

Sources: LLaMA-Factory ``data/README.md`` (``shared/specs/FINE-TUNING-APIS.md`` §3) and
``examples/train_lora/llama3_lora_sft.yaml`` / ``llama3_lora_dpo.yaml``:

- chat data → ``formatting: sharegpt`` with OpenAI-style tags (``role_tag: role``,
  ``content_tag: content``, ``user_tag: user``, ``assistant_tag: assistant``, ``system_tag:
  system``) over a ``messages`` column — the same JSONL the Hugging Face ``datasets`` loaders of
  the Unsloth and Axolotl notebooks read;
- instruction data (every example one user → assistant exchange) → ``formatting: alpaca``
  (``instruction``, ``input``, ``output``, ``system``);
- preference data → ``ranking: true`` with ``chosen`` / ``rejected`` message objects.

Hyperparameter defaults are the LoRA example's (rank 8, target ``all``, lr 1e-4, cosine,
warmup 0.1, batch 1 × 8 accumulation).
"""

from __future__ import annotations

from typing import Any, Mapping

from fineflow_desktop.core.formats.canonical import prompt_messages
from fineflow_desktop.core.formats.writers import Unrepresentable

TRAIN_NAME, VALID_NAME = "fineflow_train", "fineflow_validation"
CHAT, ALPACA = "sharegpt", "alpaca"
OPENAI_TAGS = {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant",
               "system_tag": "system"}
LORA_DEFAULTS = {"lora_rank": 8, "lora_target": "all", "learning_rate": 1.0e-4, "per_device_train_batch_size": 1,
                 "gradient_accumulation_steps": 8, "lr_scheduler_type": "cosine", "warmup_ratio": 0.1,
                 "cutoff_len": 2048, "template": "default"}


class NotExportable(Unrepresentable):
    """An example that the chosen LLaMA-Factory format cannot hold; the message says why (the
    export skips it and reports it, as every exporter does)."""


def _plain(messages: list[Mapping]) -> list[dict]:
    out = []
    for i, m in enumerate(messages):
        if m.get("tool_calls") or m.get("role") in ("tool", "function"):
            raise NotExportable(f"messages[{i}]: tool calls are not exported to LLaMA-Factory here")
        if not isinstance(m.get("content"), str):
            raise NotExportable(f"messages[{i}]: content is not plain text")
        role = "system" if m.get("role") == "developer" else m.get("role")
        out.append({"role": role, "content": m["content"]})
    return out


def is_single_turn(example: Mapping) -> bool:
    """True when the example is (system?) + one user message + one assistant message, plain text."""
    roles = [m.get("role") for m in example.get("messages", []) if m.get("role") not in ("system", "developer")]
    return roles == ["user", "assistant"] and all(isinstance(m.get("content"), str) for m in example.get("messages", []))


def chat_record(example: Mapping, include_system: bool = True) -> dict:
    """``{"messages": [{role, content}, ...]}`` — sharegpt formatting with OpenAI tags."""
    msgs = _plain(example.get("messages", []))
    if not msgs or msgs[-1]["role"] != "assistant":
        raise NotExportable("the conversation does not end with an assistant message")
    return {"messages": msgs}


def alpaca_record(example: Mapping, include_system: bool = True) -> dict:
    """``{"instruction", "input", "output", "system"}`` of a single-turn example."""
    if not is_single_turn(example):
        raise NotExportable("not a single user → assistant exchange (use the chat format)")
    msgs = _plain(example["messages"])
    system = "\n\n".join(m["content"] for m in msgs if m["role"] == "system")
    user = next(m["content"] for m in msgs if m["role"] == "user")
    answer = next(m["content"] for m in msgs if m["role"] == "assistant")
    return {"instruction": user, "input": "", "output": answer, "system": system}


def ranking_record(example: Mapping, include_system: bool = True) -> dict:
    """``{"messages": prompt, "chosen": {role, content}, "rejected": {role, content}}``."""
    if not example.get("preferred") or not example.get("non_preferred"):
        raise NotExportable("no preference data (preferred and non-preferred output)")
    prompt = _plain(prompt_messages(example))
    chosen, rejected = _plain(example["preferred"]), _plain(example["non_preferred"])
    if not prompt or prompt[-1]["role"] != "user":
        raise NotExportable("the preference prompt does not end with a user message")
    return {"messages": prompt, "chosen": chosen[-1], "rejected": rejected[-1]}


def dataset_entry(file_name: str, formatting: str, ranking: bool = False) -> dict:
    """One ``dataset_info.json`` entry for *file_name* (relative to the dataset folder)."""
    if formatting == ALPACA:
        return {"file_name": file_name, "formatting": "alpaca",
                "columns": {"prompt": "instruction", "query": "input", "response": "output", "system": "system"}}
    columns = {"messages": "messages"}
    if ranking:
        columns.update(chosen="chosen", rejected="rejected")
    entry: dict[str, Any] = {"file_name": file_name, "formatting": "sharegpt"}
    if ranking:
        entry["ranking"] = True
    entry["columns"] = columns
    entry["tags"] = dict(OPENAI_TAGS)
    return entry


def training_config(*, base_model: str, method: str, epochs: int, has_validation: bool, output_dir: str = "output",
                    dataset_dir: str = "data", overrides: Mapping[str, Any] | None = None) -> dict:
    """The LLaMA-Factory training YAML as a dict (LoRA SFT, or LoRA DPO for ``method="dpo"``).

    *overrides*: any LLaMA-Factory argument (e.g. ``learning_rate``, ``lora_rank``, ``template``)."""
    cfg: dict[str, Any] = {
        "model_name_or_path": base_model,
        "trust_remote_code": True,
        "stage": "dpo" if method == "dpo" else "sft",
        "do_train": True,
        "finetuning_type": "lora",
        "lora_rank": LORA_DEFAULTS["lora_rank"],
        "lora_target": LORA_DEFAULTS["lora_target"],
    }
    if method == "dpo":
        cfg.update(pref_beta=0.1, pref_loss="sigmoid")
    cfg.update({
        "dataset_dir": dataset_dir,
        "dataset": TRAIN_NAME,
        "template": LORA_DEFAULTS["template"],
        "cutoff_len": LORA_DEFAULTS["cutoff_len"],
        "overwrite_cache": True,
        "output_dir": output_dir,
        "logging_steps": 10,
        "save_steps": 500,
        "plot_loss": True,
        "overwrite_output_dir": True,
        "report_to": "none",
        "per_device_train_batch_size": LORA_DEFAULTS["per_device_train_batch_size"],
        "gradient_accumulation_steps": LORA_DEFAULTS["gradient_accumulation_steps"],
        "learning_rate": LORA_DEFAULTS["learning_rate"] if method != "dpo" else 5.0e-6,
        "num_train_epochs": float(epochs),
        "lr_scheduler_type": LORA_DEFAULTS["lr_scheduler_type"],
        "warmup_ratio": LORA_DEFAULTS["warmup_ratio"],
        "bf16": True,
    })
    if has_validation:
        cfg.update(eval_dataset=VALID_NAME, per_device_eval_batch_size=1, eval_strategy="steps", eval_steps=50)
    for k, v in (overrides or {}).items():
        if v is not None:
            cfg[k] = v
    return cfg
