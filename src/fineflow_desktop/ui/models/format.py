"""Text of the Models pane: how catalog rows and comparison summaries read (formatting only;
every number comes from ``services.models``)."""

from __future__ import annotations

VOTE_TEXT = {"a": "A better", "b": "B better", "tie": "Tie", None: ""}


def score(value) -> str:
    """A 0..1 score with two decimals, "—" when missing."""
    return "—" if value is None else f"{float(value):.2f}"


def last_comparison_text(comp: dict | None) -> str:
    """``#id A vs B · closer A n / B n`` of a stored comparison (from ``list_comparisons``)."""
    if not comp:
        return ""
    closer = (comp.get("summary") or {}).get("closer_to_reference") or {}
    text = f"#{comp['id']} ({comp['status']})"
    if closer:
        text += f" · closer A {closer.get('a', 0)} / B {closer.get('b', 0)}"
    return text


def comparison_title(comp: dict) -> str:
    """One line of the stored comparisons list."""
    when = comp["created_at"].strftime("%Y-%m-%d %H:%M") if comp.get("created_at") else ""
    n = (comp.get("summary") or {}).get("prompts", 0)
    return f"#{comp['id']} {comp['model_a']} vs {comp['model_b']} · {n} prompts · {comp['status']} · {when}"


def _rate_text(v: dict, who: str) -> str:
    if v.get("a_rate") is None:
        return f" · {who} win rate — (no decided verdicts)"
    lo, hi = v.get("ci95") or (0.0, 1.0)
    return f" · {who} win rate {v['a_rate'] * 100:.0f}% (95% interval {lo * 100:.0f}–{hi * 100:.0f}%)"


def summary_text(summary: dict, model_a: str, model_b: str) -> str:
    """The compare view's summary: per-model means, closer-to-reference counts (ROUGE-L and
    cosine), errors, votes and A's win rate with its 95 % interval, and the judge's verdicts
    (all read from the stored summary)."""
    if not summary:
        return "No answers yet."
    means = summary.get("means") or {}
    parts = []
    for side, name in (("a", model_a), ("b", model_b)):
        m = means.get(side) or {}
        parts.append(f"{side.upper()} ({name}): ROUGE-L {score(m.get('rouge_l'))}, token F1 {score(m.get('token_f1'))}, "
                     f"exact {score(m.get('exact_match'))}, cosine {score(m.get('cosine'))}")
    closer = summary.get("closer_to_reference") or {}
    by_cos = (summary.get("closer_by") or {}).get("cosine") or {}
    errors = summary.get("errors") or {}
    lines = [" · ".join(parts),
             f"Closer to the reference: A {closer.get('a', 0)}, B {closer.get('b', 0)}, tie {closer.get('tie', 0)}"
             + (f" · by cosine: A {by_cos.get('a', 0)}, B {by_cos.get('b', 0)}, tie {by_cos.get('tie', 0)}" if by_cos else "")
             + f" · errors: A {errors.get('a', 0)}, B {errors.get('b', 0)}"]
    v = summary.get("votes") or {}
    votes = f"Votes: A {v.get('a', 0)}, B {v.get('b', 0)}, tie {v.get('tie', 0)}, not voted {v.get('unvoted', 0)}"
    votes += _rate_text(v, "A's") if v.get("a_rate") is not None else " · A's win rate — (no decided votes)"
    lines.append(votes)
    j = summary.get("judge")
    if j:
        lines.append(f"Judge: A {j.get('a', 0)}, B {j.get('b', 0)}, tie {j.get('tie', 0)}, errors {j.get('errors', 0)}"
                     + _rate_text(j, "A's judged"))
    return "\n".join(lines)


def params_text(params: dict, prompt_source: str = "") -> str:
    """What a comparison ran with: parameters (and which were overridden), prompt source, the
    embedder of the cosine, the judge."""
    if not params:
        return ""
    over = params.get("overridden") or []
    head = (f"Ran with temperature {params.get('temperature')}, max tokens {params.get('max_tokens')}"
            + (f" (overridden: {', '.join(over)})" if over else " (workspace defaults)"))
    bits = [head]
    if prompt_source:
        bits.append(f"prompts: {prompt_source}")
    if params.get("embedder"):
        bits.append(f"cosine: {params['embedder']}")
    j = params.get("judge")
    if j:
        bits.append(f"judge: {j['model']} via {j['credential']}, template {j['template']} v{j['version']}")
    return " · ".join(bits)


def row_scores_text(scores: dict) -> str:
    """One line of a row's scores for both models."""
    out = []
    for side in ("a", "b"):
        s = scores.get(side) or {}
        if not s:
            out.append(f"{side.upper()}: no scores (no reference or no answer)")
            continue
        out.append(f"{side.upper()}: exact {score(s.get('exact_match'))} · F1 {score(s.get('token_f1'))} · "
                   f"ROUGE-L {score(s.get('rouge_l'))} · cosine {score(s.get('cosine'))}")
    return "   |   ".join(out)


JUDGE_TEXT = {"a": "A better", "b": "B better", "tie": "Tie"}


def judge_cell(judge: dict | None) -> str:
    """The judge column: the verdict, "error" or nothing when no judge ran."""
    if not judge:
        return ""
    return JUDGE_TEXT.get(judge.get("winner"), "error" if judge.get("error") else "")


def judge_text(judge: dict | None, judged_run: bool = True) -> str:
    """The judge's verdict on one row with its reason, or its error. *judged_run*: the comparison
    had a judge (a row without a verdict then lacked an answer)."""
    if not judge:
        return "Judge: not run on this prompt (an answer is missing)." if judged_run else "Judge: none in this run."
    if judge.get("error"):
        return f"Judge: error — {judge['error']}"
    order = "B shown first" if judge.get("swapped") else "A shown first"
    return f"Judge: {JUDGE_TEXT.get(judge.get('winner'), '?')} ({order}) — {judge.get('reason') or 'no reason given'}"
