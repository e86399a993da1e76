"""Compare two models on the same prompts (issue 12): base vs fine-tuned, or any two models.

Prompts come from ``services.models.prompts`` (a job's held-out split, a dataset, a file, typed
text). Both models get every prompt with the same parameters — the workspace defaults unless the
run overrides them (``targets.run_parameters``; the instructions become the system message of
prompts that have none) — concurrently, through the metered providers (usage log) and
``providers.retry.call_with_retry``; a prompt that fails for one model keeps the other's answer
and records the error. Each answer is scored against the reference (``core.compare_scores``:
exact match, token F1, ROUGE-L, and cosine with the offline embedder, ``similarity``); an
optional judge model (``judge``) gives a verdict per row. Scores, verdicts and the summary are
stored with the comparison, which can be reopened (``get_comparison``), voted on (``set_vote``)
and exported (``export_comparison``).

Storage: the judge's verdict of a row is kept in the row's ``scores`` JSON under ``"judge"``
(no schema change this session; migration 0013 belongs to the catalog branch) and returned as the
row's own ``judge`` key, so ``scores`` stays ``{"a": {...}, "b": {...}}`` (the CLI contract).
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
from fineflow_desktop.core.embeddings import EmbeddingError
from fineflow_desktop.core.jsonl_io import atomic_write_text
from fineflow_desktop.core.progress import Cancelled, TaskState
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.providers.registry import provider_for_credential
from fineflow_desktop.providers.retry import call_with_retry
from fineflow_desktop.services.models.judge import JudgeSpec, judge_row, resolve_judge
from fineflow_desktop.services.models.prompts import PromptItem
from fineflow_desktop.services.models.similarity import comparison_embedder, cosines
from fineflow_desktop.services.models.targets import credential_of, run_parameters
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_catalog import CatalogModel, ComparisonRow, ModelComparison

VOTES = ("a", "b", "tie")
JUDGE_KEY = "judge"  # the row's judge verdict inside its scores JSON (see the module docstring)


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
    prompt_source: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def with_instructions(messages: list[dict], instructions: str) -> list[dict]:
    """*messages* with *instructions* as the system message when they have none (a prompt from a
    dataset keeps its own system prompt: the fine-tune was trained with it)."""
    if not (instructions or "").strip() or any(m.get("role") in ("system", "developer") for m in messages):
        return list(messages)
    return [{"role": "system", "content": instructions}, *messages]


def compare_models(ws, model_a: str, model_b: str, prompts: list[PromptItem], *, credential_a: str | None = None,
                   credential_b: str | None = None, temperature: float | None = None, max_tokens: int | None = None,
                   instructions: str | None = None, concurrency: int = 4, prompt_source: str = "",
                   judge: JudgeSpec | None = None, state: TaskState | None = None) -> Comparison:
    """Send every prompt to both models and store answers, errors, scores and judge verdicts.

    *temperature*, *max_tokens*, *instructions*: None = the workspace default (AI Settings).
    Rows are written as answers arrive (a crash keeps what was answered; the comparison stays
    ``running`` and can be reopened). ``Cancelled`` from *state* stops sending, marks the
    comparison ``cancelled`` and keeps the answered rows. Raises ``ModelNotFound`` /
    ``creds.CredentialError`` / ``ProviderError`` (no key) / ``ValueError`` (bad parameters,
    judge template) / ``TemplateNotFound`` before anything is sent."""
    state = state or TaskState()
    if not prompts:
        raise ValueError("prompts: nothing to compare (the source has no prompts)")
    run = run_parameters(ws, temperature=temperature, max_tokens=max_tokens, instructions=instructions)
    cred_a = credential_of(ws, model_a, credential_a)
    cred_b = credential_of(ws, model_b, credential_b, fallback=cred_a)
    judge_cfg = resolve_judge(ws, judge) if judge is not None else None
    providers: dict[str, object] = {}
    try:
        for cred in (cred_a, cred_b, *([judge_cfg["credential"]] if judge_cfg else [])):
            if cred not in providers:
                providers[cred] = provider_for_credential(ws, cred, purpose="compare")
        return _run(ws, model_a, model_b, prompts, providers, cred_a, cred_b, run, concurrency, prompt_source,
                    judge_cfg, state)
    finally:
        for p in providers.values():
            p.close()


def _run(ws, model_a, model_b, prompts, providers, cred_a, cred_b, run, concurrency, prompt_source, judge_cfg,
         state) -> Comparison:
    prov_a, prov_b = providers[cred_a], providers[cred_b]
    judge_prov = providers[judge_cfg["credential"]] if judge_cfg else None
    params = {"temperature": run["temperature"], "max_tokens": run["max_tokens"], "instructions": run["instructions"],
              "overridden": run["overridden"], "prompts": len(prompts), "concurrency": concurrency}
    if judge_cfg:
        params["judge"] = {k: judge_cfg[k] for k in ("model", "credential", "template", "version")}
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
            res = call_with_retry(lambda: provider.chat(messages, model, temperature=run["temperature"],
                                                        max_tokens=run["max_tokens"]), cancel_check=state.check)
            return res.text, None
        except ProviderError as exc:
            return None, str(exc)

    def one(i: int):
        state.check()
        msgs = with_instructions(prompts[i].messages, run["instructions"])
        (ans_a, err_a), (ans_b, err_b) = ask(prov_a, model_a, msgs), ask(prov_b, model_b, msgs)
        verdict = None
        if judge_cfg:
            verdict = judge_row(ws, judge_prov, judge_cfg, i, prompts[i].messages[-1]["content"], prompts[i].reference,
                                ans_a, ans_b, cancel_check=state.check)
        return i, (ans_a, err_a), (ans_b, err_b), verdict

    status = "completed"
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="compare") as pool:
        futures = [pool.submit(one, i) for i in range(len(prompts))]
        try:
            for fut in futures:
                i, (ans_a, err_a), (ans_b, err_b), verdict = fut.result()
                ref = prompts[i].reference
                scores = {"a": score_answer(ans_a, ref), "b": score_answer(ans_b, ref)}
                if verdict is not None:
                    scores[JUDGE_KEY] = verdict
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
    params["embedder"] = add_cosines(ws, comp_id, state)
    with ws.session() as s:
        s.get(ModelComparison, comp_id).params = params
    refresh_summary(ws, comp_id, status=status)
    return get_comparison(ws, comp_id)


def add_cosines(ws, comparison_id: int, state: TaskState | None = None) -> str:
    """Add ``cosine`` to the scores of every answered row with a reference, in one pass once the
    answers are in (the embedder is chosen — or, without a usable index model, fitted — on the
    prompts, references and both models' answers, so neither model's words are unknown to it).
    Returns the embedder's label (``similarity.comparison_embedder``); an embedder failure is
    reported in the label and leaves the other scores as they are."""
    with ws.session() as s:
        rows = s.execute(select(ComparisonRow.id, ComparisonRow.prompt, ComparisonRow.reference, ComparisonRow.answer_a,
                                ComparisonRow.answer_b).where(ComparisonRow.comparison_id == comparison_id,
                                                              ComparisonRow.reference.is_not(None))).all()
    items = [(r.id, side, ans, r.reference) for r in rows for side, ans in (("a", r.answer_a), ("b", r.answer_b))
             if ans is not None and r.reference]
    texts = [r.reference for r in rows if r.reference] + [r.prompt[-1]["content"] for r in rows if r.prompt]
    texts += [ans for _id, _side, ans, _ref in items]
    if not items:
        return "no answered prompt with a reference: no cosine"
    if state is not None:
        state.progress(0, 0, "cosine similarity with the offline embedder")
    try:
        embedder, label = comparison_embedder(ws, texts)
        values = cosines(embedder, [(ans, ref) for _id, _side, ans, ref in items])
    except (EmbeddingError, ValueError) as exc:  # scores without cosine beat no scores
        return f"cosine not computed: {exc}"
    by_row: dict[int, dict[str, float | None]] = {}
    for (row_id, side, _ans, _ref), value in zip(items, values):
        by_row.setdefault(row_id, {})[side] = value
    with ws.session() as s:
        for row in s.scalars(select(ComparisonRow).where(ComparisonRow.id.in_(list(by_row)))):
            scores = {k: dict(v) if isinstance(v, dict) else v for k, v in (row.scores or {}).items()}
            for side, value in by_row[row.id].items():
                scores.setdefault(side, {})["cosine"] = value
            row.scores = scores  # a new dict: the JSON column sees the change
    return label


def refresh_summary(ws, comparison_id: int, status: str | None = None) -> dict:
    """Recompute and store the comparison's summary (after answers or votes change)."""
    with ws.session() as s:
        comp = s.get(ModelComparison, comparison_id)
        rows = s.scalars(select(ComparisonRow).where(ComparisonRow.comparison_id == comparison_id)
                         .order_by(ComparisonRow.idx)).all()
        summary = summarize({"scores": r.scores, "error_a": r.error_a, "error_b": r.error_b, "vote": r.vote,
                             "judge": (r.scores or {}).get(JUDGE_KEY)} for r in rows)
        comp.summary = summary
        if status is not None:
            comp.status, comp.finished_at = status, utcnow()
        for model in (comp.model_a, comp.model_b):
            for m in s.scalars(select(CatalogModel).where(CatalogModel.model_id == model)):
                m.last_comparison_id = comparison_id
        return summary


def get_comparison(ws, comparison_id: int) -> Comparison:
    """A stored comparison with its rows (``{idx, prompt, messages, reference, a, b, error_a, error_b,
    scores: {a, b}, judge, vote}``; ``judge`` None when no judge ran on the row)."""
    with ws.session() as s:
        comp = s.get(ModelComparison, int(comparison_id))
        if comp is None:
            raise LookupError(f"comparison: no comparison #{comparison_id} in this workspace")
        rows = s.scalars(select(ComparisonRow).where(ComparisonRow.comparison_id == comp.id).order_by(ComparisonRow.idx))
        out = [{"idx": r.idx, "prompt": r.prompt[-1]["content"] if r.prompt else "", "messages": r.prompt,
                "reference": r.reference, "a": r.answer_a, "b": r.answer_b, "error_a": r.error_a, "error_b": r.error_b,
                "scores": {k: v for k, v in (r.scores or {}).items() if k != JUDGE_KEY},
                "judge": (r.scores or {}).get(JUDGE_KEY), "vote": r.vote} for r in rows]
        return Comparison(comp.id, comp.model_a, comp.model_b, comp.status, dict(comp.params or {}),
                          dict(comp.summary or {}), out, comp.prompt_source or "")


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
                    "rouge_l_a", "rouge_l_b", "token_f1_a", "token_f1_b", "cosine_a", "cosine_b", "vote",
                    "judge_winner", "judge_reason", "judge_error"])
        for r in comp.rows:
            sa, sb = r["scores"].get("a") or {}, r["scores"].get("b") or {}
            j = r["judge"] or {}
            w.writerow([r["idx"], r["prompt"], r["reference"] or "", comp.model_a, r["a"] or "", r["error_a"] or "",
                        comp.model_b, r["b"] or "", r["error_b"] or "", sa.get("rouge_l", ""), sb.get("rouge_l", ""),
                        sa.get("token_f1", ""), sb.get("token_f1", ""), sa.get("cosine", ""), sb.get("cosine", ""),
                        r["vote"] or "", j.get("winner", ""), j.get("reason", ""), j.get("error", "")])
        text = buf.getvalue()
    else:
        raise ValueError(f"format: {fmt!r} is not one of jsonl, csv")
    atomic_write_text(path, text)
    return path
