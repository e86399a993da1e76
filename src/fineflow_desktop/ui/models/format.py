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


def summary_text(summary: dict, model_a: str, model_b: str) -> str:
    """The compare view's summary: per-model means, closer-to-reference counts, errors, votes
    and A's win rate with its 95 % interval (all read from the stored summary)."""
    if not summary:
        return "No answers yet."
    means = summary.get("means") or {}
    parts = []
    for side, name in (("a", model_a), ("b", model_b)):
        m = means.get(side) or {}
        parts.append(f"{side.upper()} ({name}): ROUGE-L {score(m.get('rouge_l'))}, token F1 {score(m.get('token_f1'))}, "
                     f"exact {score(m.get('exact_match'))}")
    closer = summary.get("closer_to_reference") or {}
    errors = summary.get("errors") or {}
    lines = [" · ".join(parts),
             f"Closer to the reference: A {closer.get('a', 0)}, B {closer.get('b', 0)}, tie {closer.get('tie', 0)}"
             f" · errors: A {errors.get('a', 0)}, B {errors.get('b', 0)}"]
    v = summary.get("votes") or {}
    votes = f"Votes: A {v.get('a', 0)}, B {v.get('b', 0)}, tie {v.get('tie', 0)}, not voted {v.get('unvoted', 0)}"
    if v.get("a_rate") is not None:
        lo, hi = v.get("ci95") or (0.0, 1.0)
        votes += f" · A's win rate {v['a_rate'] * 100:.0f}% (95% interval {lo * 100:.0f}–{hi * 100:.0f}%)"
    else:
        votes += " · A's win rate — (no decided votes)"
    lines.append(votes)
    return "\n".join(lines)
