"""Where a comparison's prompts come from (issue 12): a fine-tuning job's held-out validation split
(the default for a model made by a job), a dataset, a prompts file, or text typed / pasted in the
app. Every source gives ``PromptItem`` values: chat messages ending with the user turn, and the
reference answer when the source has one (a conversation's last assistant turn).

Held-out split of a job: the launch wrote the validation side to ``request["validation_path"]``
(``services.finetune.launch``: the provider's training format, OpenAI chat or preference JSONL),
so that exact file is read — it is what the model never trained on, even if the wizard moved
leaking pairs or the dataset changed since. If the file is gone, the split is recomputed from the
dataset with the launch's ``validation_split`` and ``split_seed`` (the same rule and seed give the
same split of an unchanged dataset), and the source label says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fineflow_desktop.core.formats.canonical import example_from_row, prompt_messages, text_of, trailing_assistant
from fineflow_desktop.core.formats.source import FormatError, inspect_source, iter_examples
from fineflow_desktop.services import datasets as ds_service
from fineflow_desktop.services.finetune import LaunchRefused, split_dataset
from fineflow_desktop.store.models import Pair
from fineflow_desktop.store.models_catalog import CatalogModel
from fineflow_desktop.store.models_finetune import FineTuneJob

DEFAULT_LIMIT = 50
# Import format of each launch training format (``providers.finetuning.registry.TRAINING_FORMATS``).
_READ_FORMAT = {"openai": "openai", "openai-dpo": "openai-dpo"}


class PromptsFileError(ValueError):
    """Prompts that cannot be read; the message names the file (or "typed prompts") and the line."""


class NoHeldOutSplit(LookupError):
    """The job has no validation split to draw prompts from; the message says what to use instead."""


@dataclass
class PromptItem:
    """One prompt: chat messages (ending with the user turn) and the reference answer, if any."""

    messages: list[dict]
    reference: str | None = None


def prompt_from_example(example: dict) -> PromptItem | None:
    """A canonical example (``core.formats``) as a prompt: the conversation up to its last user
    turn, and the trailing assistant turn(s) — for a preference example the preferred answer — as
    the reference. None when it does not end with a user turn followed by an answer."""
    if example.get("preferred"):
        msgs = prompt_messages(example)
        answer = [m for m in example["preferred"] if m.get("role") == "assistant"]
    else:
        msgs = list(example.get("messages") or [])
        answer = trailing_assistant(msgs)
        msgs = msgs[: len(msgs) - len(answer)]
    prompt = [{"role": m.get("role"), "content": text_of(m.get("content"))} for m in msgs]
    if not prompt or prompt[-1]["role"] != "user" or not answer:
        return None
    return PromptItem(prompt, text_of(answer[-1].get("content")))


def parse_prompts_text(text: str, where: str = "typed prompts", jsonl: bool | None = None) -> list[PromptItem]:
    """Prompts of a text: one prompt per line, or JSONL ``{"prompt": str | "messages": [...],
    "reference"?: str}`` (*jsonl* None: JSONL when the first non-blank line starts with ``{``).
    Blank lines are skipped. Raises ``PromptsFileError`` ``"<where>, line N: …"`` naming the field."""
    lines = text.splitlines()
    if jsonl is None:
        first = next((ln for ln in lines if ln.strip()), "")
        jsonl = first.lstrip().startswith("{")
    items: list[PromptItem] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if not jsonl:
            items.append(PromptItem([{"role": "user", "content": line.strip()}]))
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise PromptsFileError(f"{where}, line {n}: not a JSON object ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise PromptsFileError(f"{where}, line {n}: expected a JSON object with 'prompt' or 'messages'")
        if isinstance(obj.get("messages"), list) and obj["messages"]:
            msgs = [{"role": m.get("role"), "content": text_of(m.get("content"))} for m in obj["messages"] if isinstance(m, dict)]
            if msgs and msgs[-1]["role"] == "assistant":
                ref = obj.get("reference") or msgs[-1]["content"]
                msgs = msgs[:-1]
            else:
                ref = obj.get("reference")
        elif isinstance(obj.get("prompt"), str) and obj["prompt"].strip():
            msgs, ref = [{"role": "user", "content": obj["prompt"]}], obj.get("reference")
        else:
            raise PromptsFileError(f"{where}, line {n}: field 'prompt' (text) or 'messages' (list) is missing")
        if not msgs or msgs[-1]["role"] != "user":
            raise PromptsFileError(f"{where}, line {n}: field 'messages' must end with a user message")
        items.append(PromptItem(msgs, ref if isinstance(ref, str) else None))
    if not items:
        raise PromptsFileError(f"{where}: no prompts")
    return items


def read_prompts_file(path: str | Path) -> list[PromptItem]:
    """Prompts of a ``.jsonl`` file (one JSON object per line) or a text file (one per line).
    Raises ``PromptsFileError`` naming the file and line for anything else."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptsFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise PromptsFileError(f"{path}, line {line}: not UTF-8 text (a prompts file is text or JSONL)") from None
    jsonl = path.suffix.lower() in (".jsonl", ".json") or text.lstrip().startswith("{")
    try:
        return parse_prompts_text(text, str(path), jsonl)
    except PromptsFileError as exc:
        if str(exc) == f"{path}: no prompts":
            raise PromptsFileError(f"{path}: no prompts in the file") from None
        raise


def pair_prompts(ws, pair_ids: list[int] | None = None, dataset_id: int | None = None,
                 limit: int = DEFAULT_LIMIT) -> list[PromptItem]:
    """Prompts of pairs (by id list, or the first *limit* of a dataset), in id order."""
    q = select(Pair.system, Pair.user, Pair.assistant, Pair.messages, Pair.meta)
    q = q.where(Pair.id.in_(pair_ids)) if pair_ids is not None else q.where(Pair.dataset_id == dataset_id)
    with ws.session() as s:
        rows = s.execute(q.order_by(Pair.id).limit(limit)).all()
    items = []
    for r in rows:
        item = prompt_from_example(example_from_row(r.system, r.user, r.assistant, r.messages, r.meta))
        if item is not None:
            items.append(item)
    return items


def dataset_prompts(ws, dataset: int | str, limit: int = DEFAULT_LIMIT) -> list[PromptItem]:
    """The first *limit* pairs of a dataset as prompts with their reference answers.
    Raises ``DatasetNotFound``."""
    did = ds_service.dataset_id(ws, int(dataset) if isinstance(dataset, str) and dataset.isdigit() else dataset)
    return pair_prompts(ws, dataset_id=did, limit=limit)


def job_of_model(ws, model_id: str) -> int | None:
    """The fine-tuning job that made catalog model *model_id* (its checkpoints too), else None."""
    with ws.session() as s:
        row = s.scalar(select(CatalogModel.job_id).where(CatalogModel.model_id == model_id,
                                                          CatalogModel.job_id.is_not(None)).order_by(CatalogModel.id))
        if row is None:
            row = s.scalar(select(FineTuneJob.id).where(FineTuneJob.fine_tuned_model == model_id).order_by(FineTuneJob.id))
    return row


def held_out_info(ws, job_id: int) -> dict:
    """What the job's held-out split is: ``{"job_id", "path", "examples", "validation_split",
    "split_seed", "dataset_id", "dataset_name", "format"}`` (``path`` None when the launch wrote
    no validation file). Raises ``LookupError`` for an unknown job."""
    with ws.session() as s:
        job = s.get(FineTuneJob, int(job_id))
        if job is None:
            raise LookupError(f"job: no fine-tuning job #{job_id} in this workspace")
        request = dict(job.request or {})
        spec = request.get("spec") or {}
        return {"job_id": job.id, "path": request.get("validation_path"), "examples": job.validation_examples or 0,
                "validation_split": spec.get("validation_split") or 0.0, "split_seed": spec.get("split_seed") or 0,
                "dataset_id": job.dataset_id, "dataset_name": job.dataset_name, "format": request.get("format") or "openai",
                "provider": job.provider}


def has_held_out(ws, job_id: int) -> bool:
    """True when the job was launched with a validation split (file or split fraction)."""
    info = held_out_info(ws, job_id)
    return bool(info["path"]) or (info["validation_split"] > 0 and info["dataset_id"] is not None)


def job_prompts(ws, job_id: int, limit: int = DEFAULT_LIMIT) -> tuple[list[PromptItem], str]:
    """The first *limit* prompts of the job's held-out validation split, and a source label.

    Reads the validation file the launch wrote; when it is gone, recomputes the split from the
    dataset (same fraction and seed). Raises ``NoHeldOutSplit`` when the job had none,
    ``PromptsFileError`` naming the file and line for a damaged file, ``LookupError`` for an
    unknown job."""
    info = held_out_info(ws, job_id)
    path = Path(info["path"]) if info["path"] else None
    if path is not None and path.is_file():
        fmt = _READ_FORMAT.get(info["format"], None)
        try:
            source = inspect_source(path, fmt)
        except (FormatError, ValueError) as exc:
            raise PromptsFileError(f"{path}: {exc}") from None
        items: list[PromptItem] = []
        for line, example in iter_examples(source):
            if not isinstance(example, dict):
                raise PromptsFileError(f"{path}, line {line}: {example.reason}")
            item = prompt_from_example(example)
            if item is not None:
                items.append(item)
            if len(items) >= limit:
                break
        if not items:
            raise NoHeldOutSplit(f"job #{job_id}: the validation file {path} holds no prompt with an answer")
        return items, f"held-out split of job #{job_id} ({path.name})"
    if info["validation_split"] > 0 and info["dataset_id"] is not None:
        try:
            plan = split_dataset(ws, info["dataset_id"], info["validation_split"], info["split_seed"])
        except LaunchRefused as exc:  # the dataset was deleted since the launch
            raise NoHeldOutSplit(f"job #{job_id}: its validation file is gone and {exc}") from None
        if plan.validation_pair_ids:
            items = pair_prompts(ws, plan.validation_pair_ids, limit=limit)
            return items, (f"held-out split of job #{job_id} (recomputed from dataset {info['dataset_name']!r}, "
                           f"{info['validation_split']:g} with seed {info['split_seed']}; the validation file is gone)")
    raise NoHeldOutSplit(f"job #{job_id} was launched without a validation split; compare on a dataset, "
                         f"a prompts file or typed prompts instead")


SOURCE_KINDS = ("job", "dataset", "file", "typed")


def prompts_from_source(ws, kind: str, value, limit: int = DEFAULT_LIMIT) -> tuple[list[PromptItem], str]:
    """``(prompts, label)`` of one source: ``("job", job_id)`` its held-out split, ``("dataset",
    name or id)``, ``("file", path)``, ``("typed", text)`` (one prompt per line or JSONL). At most
    *limit* prompts. Raises what the source's reader raises (``NoHeldOutSplit``,
    ``DatasetNotFound``, ``PromptsFileError``) and ``ValueError`` for an unknown kind."""
    if kind == "job":
        return job_prompts(ws, int(value), limit)
    if kind == "dataset":
        return dataset_prompts(ws, value, limit), f"dataset {value}"
    if kind == "file":
        return read_prompts_file(value)[:limit], f"file {value}"
    if kind == "typed":
        items = parse_prompts_text(value or "")
        return items[:limit], f"typed prompts ({min(len(items), limit)})"
    raise ValueError(f"prompt source: {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
