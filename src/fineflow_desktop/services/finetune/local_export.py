"""Export a dataset as a ready-to-run LLaMA-Factory project (issue 12, "Train locally").

The folder holds::

    data/train.jsonl            training examples (chat: {"messages": [...]}, HF datasets-loadable)
    data/validation.jsonl       held-out split, when asked for
    data/dataset_info.json      LLaMA-Factory's entries for both files
    train_lora_sft.yaml         (or train_lora_dpo.yaml) the training arguments
    README.txt                  the exact launch command and what each file is

The split is ``services.finetune.split_dataset`` (seeded, no source document on both sides), the
records ``core.finetune.llamafactory``; files are written atomically. FineFlow never installs or
imports torch or LLaMA-Factory: the command is shown for the user to run (or
``llamafactory_command`` says how to install it when ``llamafactory-cli`` is not on PATH).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import func, select

from fineflow_desktop.core.finetune import llamafactory as lf
from fineflow_desktop.core.finetune.cost import resolve_epochs
from fineflow_desktop.core.jsonl_io import atomic_write_text
from fineflow_desktop.core.progress import TaskState
from fineflow_desktop.services.finetune.files import write_split
from fineflow_desktop.services.finetune.split import split_dataset
from fineflow_desktop.store.models import Pair

TRAINERS = ("llamafactory",)
INSTALL_HINT = "pip install llamafactory  (in a Python environment with PyTorch and a GPU; see LLaMA-Factory's README)"


@dataclass
class LocalExport:
    """What ``export_llamafactory`` wrote. ``counts``: ``{"train", "validation"}`` examples;
    ``skipped``: ``[{pair_id, reason}]``; ``command``: the launch command (run in ``folder``)."""

    folder: Path
    config: Path
    dataset_info: Path
    train: Path
    validation: Path | None
    formatting: str
    method: str
    counts: dict
    skipped: list = field(default_factory=list)
    command: str = ""
    llamafactory_found: bool = False

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "config": str(self.config), "dataset_info": str(self.dataset_info),
                "train": str(self.train), "validation": str(self.validation) if self.validation else None,
                "formatting": self.formatting, "method": self.method, "counts": self.counts,
                "skipped": self.skipped, "command": self.command, "llamafactory_found": self.llamafactory_found,
                "install_hint": None if self.llamafactory_found else INSTALL_HINT}


def llamafactory_command(config_name: str) -> str:
    """The command that starts training from the project folder."""
    return f"llamafactory-cli train {config_name}"


def _formatting(ws, dataset_id: int, method: str, requested: str) -> str:
    if method == "dpo" or requested == lf.CHAT:
        return lf.CHAT
    if requested == lf.ALPACA:
        return lf.ALPACA
    # "auto": instruction data when no pair stores a full message list (core.formats.canonical
    # keeps ``messages`` only for examples that are not a simple system/user/assistant triple; the
    # JSON column holds JSON null otherwise, hence json_type rather than IS NULL).
    with ws.session() as s:
        multi = s.scalar(select(func.count()).select_from(Pair).where(
            Pair.dataset_id == dataset_id, func.json_type(Pair.messages) == "array"))
    return lf.CHAT if multi else lf.ALPACA


def export_llamafactory(ws, dataset: int | str, out_dir: str | Path, *, validation_split: float | None = None,
                        seed: int = 0, base_model: str | None = None, method: str = "supervised",
                        formatting: str = "auto", epochs: int | str = "auto", overrides: dict | None = None,
                        state: TaskState | None = None) -> LocalExport:
    """Write the LLaMA-Factory project of *dataset* into *out_dir* (created; existing project files
    replaced). *formatting*: ``auto`` (alpaca for single-turn instruction data, else sharegpt),
    ``sharegpt`` or ``alpaca``; *method*: ``supervised`` or ``dpo`` (ranking data, sharegpt).
    *base_model*: the model path or hub id the YAML trains (a placeholder is written, and must be
    edited, when omitted). Raises ``ValueError`` (``field: …``) for bad arguments and when no
    example could be written."""
    state = state or TaskState()
    if method not in ("supervised", "dpo"):
        raise ValueError(f"method: {method!r} is not one of supervised, dpo")
    if formatting not in ("auto", lf.CHAT, lf.ALPACA):
        raise ValueError(f"formatting: {formatting!r} is not one of auto, {lf.CHAT}, {lf.ALPACA}")
    if method == "dpo" and formatting == lf.ALPACA:
        raise ValueError("formatting: preference (DPO) data is written as sharegpt ranking entries, not alpaca")
    folder = Path(out_dir).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"out: {folder} is a file")
    plan = split_dataset(ws, dataset, validation_split, seed)
    fmt = _formatting(ws, plan.dataset_id, method, formatting)
    writer = lf.ranking_record if method == "dpo" else (lf.alpaca_record if fmt == lf.ALPACA else lf.chat_record)
    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    written = write_split(ws, plan, writer, data_dir, state=state)
    if written["counts"]["train"] == 0:
        reasons = sorted({s["reason"] for s in written["skipped"]})[:3]
        raise ValueError(f"dataset: no example could be written as LLaMA-Factory {fmt} data"
                         + (f" ({'; '.join(reasons)})" if reasons else " (the dataset has no pairs)"))
    has_val = bool(written["validation"]) and written["counts"]["validation"] > 0
    ranking = method == "dpo"
    info = {lf.TRAIN_NAME: lf.dataset_entry("train.jsonl", fmt, ranking)}
    if has_val:
        info[lf.VALID_NAME] = lf.dataset_entry("validation.jsonl", fmt, ranking)
    info_path = data_dir / "dataset_info.json"
    atomic_write_text(info_path, json.dumps(info, indent=2) + "\n")
    n_epochs = resolve_epochs(epochs, written["counts"]["train"])
    cfg = lf.training_config(base_model=base_model or "PATH/TO/BASE-MODEL", method=method, epochs=n_epochs,
                             has_validation=has_val, overrides=overrides)
    config_name = "train_lora_dpo.yaml" if ranking else "train_lora_sft.yaml"
    config_path = folder / config_name
    header = ("# LLaMA-Factory training arguments written by FineFlow Desktop.\n"
              f"# Run from this folder:  {llamafactory_command(config_name)}\n"
              + ("" if base_model else "# Set model_name_or_path to your base model (a local folder or hub id) first.\n")
              + "# 'template' must match the base model's chat template (e.g. llama3, qwen, mistral).\n")
    atomic_write_text(config_path, header + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    command = llamafactory_command(config_name)
    found = shutil.which("llamafactory-cli") is not None
    readme = (
        f"LLaMA-Factory project for FineFlow dataset #{plan.dataset_id}\n\n"
        f"  cd \"{folder}\"\n  {command}\n\n"
        f"data/train.jsonl: {written['counts']['train']} examples ({fmt}"
        + (", ranking" if ranking else "") + ")\n"
        + (f"data/validation.jsonl: {written['counts']['validation']} held-out examples\n" if has_val else "")
        + "data/dataset_info.json: LLaMA-Factory's dataset entries (dataset_dir: data)\n"
        f"{config_name}: LoRA {'DPO' if ranking else 'SFT'} arguments, {n_epochs} epochs; checkpoints and the "
        "adapter go to output/\n\n"
        "The JSONL files load with Hugging Face datasets (load_dataset('json', data_files=...)) as the "
        "Unsloth and Axolotl notebooks expect.\n"
        "Watch the run in FineFlow: fineflow jobs watch-local output   (or the Fine-tuning jobs pane)\n"
        + ("" if found else f"\nllamafactory-cli was not found on PATH. Install it with:\n  {INSTALL_HINT}\n")
    )
    atomic_write_text(folder / "README.txt", readme)
    return LocalExport(folder=folder, config=config_path, dataset_info=info_path, train=written["train"],
                       validation=written["validation"] if has_val else None, formatting=fmt, method=method,
                       counts=written["counts"], skipped=written["skipped"], command=command,
                       llamafactory_found=found)
