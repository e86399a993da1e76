"""Compare two models on the same prompts (issue 12): base vs fine-tuned, or any two models.

Prompts come from a dataset (each pair's conversation without its last assistant turn; that
turn is the reference answer) or from a file (``read_prompts_file``: plain text, one prompt per
line, or JSONL ``{"prompt": str | "messages": [...], "reference"?: str}``). Both models get
every prompt with the same parameters, concurrently, through the metered providers (usage log)
and ``providers.retry.call_with_retry``; a prompt that fails for one model keeps the other's
answer and records the error. Scores (``core.compare_scores``) and the summary are stored with
the comparison, which can be reopened (``get_comparison``), voted on (``set_vote``) and
exported (``export_comparison``).
"""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select

from fineflow_desktop.core.compare_scores import score_answer, summarize
from fineflow_desktop.core.formats.canonical import example_from_row, text_of, trailing_assistant
from fineflow_desktop.core.jsonl_io import atomic_write_text
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.providers.registry import provider_for_credential
from fineflow_desktop.providers.retry import call_with_retry
from fineflow_desktop.services import datasets as ds_service
from fineflow_desktop.services.models.catalog import ModelNotFound
from fineflow_desktop.store.models import Pair, utcnow
from fineflow_desktop.store.models_catalog import CatalogModel, ComparisonRow, ModelComparison

DEFAULT_LIMIT = 50
VOTES = ("a", "b", "tie")


class PromptsFileError(ValueError):
    """A prompts file that cannot be read; the message names the file and the line."""


@dataclass
class PromptItem:
    """One prompt: chat messages (ending with the user turn) and the reference answer, if any."""

    messages: list[dict]
    reference: str | None = None


@dataclass
class Comparison:
    """A stored comparison (``fineflow models compare`` JSON: ``comparison_id``, ``rows``, ``summary``)."""

    comparison_id: int
    model_a: str
    model_b: str
    status: str
    params: dict
    summary: dict
    rows: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


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
    items: list[PromptItem] = []
    jsonl = path.suffix.lower() in (".jsonl", ".json") or text.lstrip().startswith("{")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not jsonl:
            items.append(PromptItem([{"role": "user", "content": line.strip()}]))
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise PromptsFileError(f"{path}, line {n}: not a JSON object ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise PromptsFileError(f"{path}, line {n}: expected a JSON object with 'prompt' or 'messages'")
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
            raise PromptsFileError(f"{path}, line {n}: field 'prompt' (text) or 'messages' (list) is missing")
        if not msgs or msgs[-1]["role"] != "user":
            raise PromptsFileError(f"{path}, line {n}: field 'messages' must end with a user message")
        items.append(PromptItem(msgs, ref if isinstance(ref, str) else None))
    if not items:
        raise PromptsFileError(f"{path}: no prompts in the file")
    return items


def dataset_prompts(ws, dataset: int | str, limit: int = DEFAULT_LIMIT) -> list[PromptItem]:
    """The first *limit* pairs of a dataset as prompts with their reference answers."""
    did = ds_service.dataset_id(ws, int(dataset) if isinstance(dataset, str) and dataset.isdigit() else dataset)
    with ws.session() as s:
        rows = s.execute(select(Pair.system, Pair.user, Pair.assistant, Pair.messages, Pair.meta)
                         .where(Pair.dataset_id == did).order_by(Pair.id).limit(limit)).all()
    items = []
    for r in rows:
        msgs = example_from_row(r.system, r.user, r.assistant, r.messages, r.meta)["messages"]
        answer = trailing_assistant(msgs)  # the reference: the conversation's last assistant turn(s)
        prompt = [{"role": m.get("role"), "content": text_of(m.get("content"))} for m in msgs[: len(msgs) - len(answer)]]
        if prompt and prompt[-1]["role"] == "user" and answer:
            items.append(PromptItem(prompt, text_of(answer[-1].get("content"))))
    return items


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


def compare_models(ws, model_a: str, model_b: str, prompts: list[PromptItem], *, credential_a: str | None = None,
                   credential_b: str | None = None, temperature: float = 0.0, max_tokens: int = 512,
                   concurrency: int = 4, prompt_source: str = "", state: TaskState | None = None) -> Comparison:
    """Send every prompt to both models and store answers, errors and scores.

    Rows are written as answers arrive (a crash keeps what was answered; the comparison stays
    ``running`` and can be reopened). ``Cancelled`` from *state* stops sending, marks the
    comparison ``cancelled`` and keeps the answered rows. Raises ``ModelNotFound`` /
    ``creds.CredentialError`` / ``ProviderError`` (no key) before anything is sent."""
    state = state or TaskState()
    if not prompts:
        raise ValueError("prompts: nothing to compare (the dataset or file has no prompts)")
    cred_a = credential_of(ws, model_a, credential_a)
    cred_b = credential_of(ws, model_b, credential_b, fallback=cred_a)
    prov_a = provider_for_credential(ws, cred_a, purpose="compare")
    prov_b = prov_a if cred_b == cred_a else provider_for_credential(ws, cred_b, purpose="compare")
    params = {"temperature": temperature, "max_tokens": max_tokens, "prompts": len(prompts), "concurrency": concurrency}
    with ws.session() as s:
        comp = ModelComparison(model_a=model_a, model_b=model_b, credential_a=cred_a, credential_b=cred_b,
                               prompt_source=prompt_source[:512], params=params, status="running", summary={})
        s.add(comp)
        s.flush()
        comp_id = comp.id
        for i, p in enumerate(prompts):
            s.add(ComparisonRow(comparison_id=comp_id, idx=i, prompt=p.messages, reference=p.reference, scores={}))

    def ask(provider, model: str, messages: list[dict]) -> tuple[str | None, str | None]:
        try:
            res = call_with_retry(lambda: provider.chat(messages, model, temperature=temperature, max_tokens=max_tokens),
                                  cancel_check=state.check)
            return res.text, None
        except ProviderError as exc:
            return None, str(exc)

    def one(i: int) -> tuple[int, tuple, tuple]:
        state.check()
        msgs = prompts[i].messages
        return i, ask(prov_a, model_a, msgs), ask(prov_b, model_b, msgs)

    status = "completed"
    done = 0
    try:
        with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="compare") as pool:
            futures = [pool.submit(one, i) for i in range(len(prompts))]
            try:
                for fut in futures:
                    i, (ans_a, err_a), (ans_b, err_b) = fut.result()
                    ref = prompts[i].reference
                    scores = {"a": score_answer(ans_a, ref), "b": score_answer(ans_b, ref)}
                    with ws.session() as s:
                        row = s.scalar(select(ComparisonRow).where(ComparisonRow.comparison_id == comp_id,
                                                                   ComparisonRow.idx == i))
                        row.answer_a, row.error_a, row.answer_b, row.error_b = ans_a, err_a, ans_b, err_b
                        row.scores = scores
                    done += 1
                    state.progress(done, len(prompts), f"compared {done} of {len(prompts)} prompts")
            except Cancelled:
                status = "cancelled"
                for f in futures:
                    f.cancel()
    finally:
        prov_a.close()
        if prov_b is not prov_a:
            prov_b.close()
    refresh_summary(ws, comp_id, status=status)
    return get_comparison(ws, comp_id)


def refresh_summary(ws, comparison_id: int, status: str | None = None) -> dict:
    """Recompute and store the comparison's summary (after answers or votes change)."""
    with ws.session() as s:
        comp = s.get(ModelComparison, comparison_id)
        rows = s.scalars(select(ComparisonRow).where(ComparisonRow.comparison_id == comparison_id)
                         .order_by(ComparisonRow.idx)).all()
        summary = summarize({"scores": r.scores, "error_a": r.error_a, "error_b": r.error_b, "vote": r.vote} for r in rows)
        comp.summary = summary
        if status is not None:
            comp.status, comp.finished_at = status, utcnow()
        for model in (comp.model_a, comp.model_b):
            for m in s.scalars(select(CatalogModel).where(CatalogModel.model_id == model)):
                m.last_comparison_id = comparison_id
        return summary


def get_comparison(ws, comparison_id: int) -> Comparison:
    """A stored comparison with its rows (``{idx, prompt, reference, a, b, error_a, error_b, scores, vote}``)."""
    with ws.session() as s:
        comp = s.get(ModelComparison, int(comparison_id))
        if comp is None:
            raise LookupError(f"comparison: no comparison #{comparison_id} in this workspace")
        rows = s.scalars(select(ComparisonRow).where(ComparisonRow.comparison_id == comp.id).order_by(ComparisonRow.idx))
        out = [{"idx": r.idx, "prompt": r.prompt[-1]["content"] if r.prompt else "", "messages": r.prompt,
                "reference": r.reference, "a": r.answer_a, "b": r.answer_b, "error_a": r.error_a, "error_b": r.error_b,
                "scores": r.scores or {}, "vote": r.vote} for r in rows]
        return Comparison(comp.id, comp.model_a, comp.model_b, comp.status, dict(comp.params or {}),
                          dict(comp.summary or {}), out)


def list_comparisons(ws) -> list[dict]:
    """Stored comparisons, newest first: ``{id, model_a, model_b, status, created_at, summary}``."""
    with ws.session() as s:
        return [{"id": c.id, "model_a": c.model_a, "model_b": c.model_b, "status": c.status,
                 "created_at": c.created_at, "summary": c.summary}
                for c in s.scalars(select(ModelComparison).order_by(ModelComparison.id.desc()))]


def set_vote(ws, comparison_id: int, idx: int, vote: str | None) -> dict:
    """Record the user's vote on one prompt (``a``, ``b``, ``tie`` or None to clear); returns the
    new summary. ``ValueError`` for another value, ``LookupError`` for an unknown row."""
    if vote is not None and vote not in VOTES:
        raise ValueError(f"vote: {vote!r} is not one of {', '.join(VOTES)}")
    with ws.session() as s:
        row = s.scalar(select(ComparisonRow).where(ComparisonRow.comparison_id == comparison_id, ComparisonRow.idx == idx))
        if row is None:
            raise LookupError(f"comparison #{comparison_id} has no prompt {idx}")
        row.vote = vote
    return refresh_summary(ws, comparison_id)


def export_comparison(ws, comparison_id: int, path: str | Path, fmt: str | None = None) -> Path:
    """Write the comparison's rows as JSONL (one object per prompt) or CSV (by *fmt* or the suffix)."""
    comp = get_comparison(ws, comparison_id)
    path = Path(path)
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    if fmt == "jsonl":
        text = "".join(json.dumps({"model_a": comp.model_a, "model_b": comp.model_b, **r}, ensure_ascii=False) + "\n"
                       for r in comp.rows)
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["idx", "prompt", "reference", "model_a", "answer_a", "error_a", "model_b", "answer_b", "error_b",
                    "rouge_l_a", "rouge_l_b", "token_f1_a", "token_f1_b", "vote"])
        for r in comp.rows:
            sa, sb = r["scores"].get("a") or {}, r["scores"].get("b") or {}
            w.writerow([r["idx"], r["prompt"], r["reference"] or "", comp.model_a, r["a"] or "", r["error_a"] or "",
                        comp.model_b, r["b"] or "", r["error_b"] or "", sa.get("rouge_l", ""), sb.get("rouge_l", ""),
                        sa.get("token_f1", ""), sb.get("token_f1", ""), r["vote"] or ""])
        text = buf.getvalue()
    else:
        raise ValueError(f"format: {fmt!r} is not one of jsonl, csv")
    atomic_write_text(path, text)
    return path
