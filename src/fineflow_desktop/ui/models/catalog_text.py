"""Text of the catalog tab (formatting only; every number comes from ``services.models``)."""

from __future__ import annotations

import html


def usage_text(usage: dict) -> str:
    """``12 calls · 3.4k tokens · $0.0021`` (``unpriced`` when calls have no price), "—" for none."""
    calls = int(usage.get("calls") or 0)
    if not calls:
        return "—"
    tokens = int(usage.get("input_tokens") or 0) + int(usage.get("output_tokens") or 0)
    tok = f"{tokens / 1000:.1f}k" if tokens >= 1000 else str(tokens)
    cost = f"${usage.get('cost_usd') or 0.0:.4f}"
    if usage.get("unpriced_calls"):
        cost += f" (+{usage['unpriced_calls']} unpriced)"
    return f"{calls} call{'s' if calls != 1 else ''} · {tok} tokens · {cost}"


def created_text(m) -> str:
    """The model's creation date (UTC), minutes precision."""
    return m.created_at.strftime("%Y-%m-%d %H:%M") if m.created_at else ""


def source_text(m) -> str:
    """Job / checkpoint / added — with the dataset."""
    if m.source == "checkpoint":
        text = f"job #{m.job_id} · checkpoint step {m.checkpoint_step}"
    elif m.job_id is not None:
        text = f"job #{m.job_id}"
    else:
        return "added by id"
    return f"{text} · {m.dataset_name}" if m.dataset_name else text


def detail_html(m, last: dict | None, last_text: str) -> str:
    """The line under the catalog table: links to the source job and dataset (``job:<id>``,
    ``dataset:<id>``), created, usage, last comparison (``comparison:<id>``)."""
    parts = [f"<b>{html.escape(m.model_id)}</b>"]
    if m.job_id is not None:
        what = f"checkpoint step {m.checkpoint_step} of " if m.source == "checkpoint" else "from "
        parts.append(f"{what}<a href='job:{m.job_id}'>job #{m.job_id}</a>")
    if m.dataset_id is not None:
        parts.append(f"dataset <a href='dataset:{m.dataset_id}'>{html.escape(m.dataset_name or str(m.dataset_id))}</a>")
    elif m.dataset_name:
        parts.append(f"dataset {html.escape(m.dataset_name)} (deleted)")
    parts.append(f"created {created_text(m)} UTC")
    parts.append(f"usage: {html.escape(usage_text(m.usage))}")
    if last:
        parts.append(f"last comparison <a href='comparison:{last['id']}'>{html.escape(last_text)}</a>")
    return " · ".join(parts)
