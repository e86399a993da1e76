"""Display text for fine-tuning jobs: durations, money, progress, (formatting only; badge colours are ``ui.style.status_colour``).

Every figure comes from the store (``services.finetune.JobRecord``); these helpers only turn
values into short strings for the monitor and the wizard.
"""

from __future__ import annotations

from datetime import datetime

def utcnow() -> datetime:
    """Naive UTC now (the store's times are naive UTC)."""
    from datetime import timezone

    return datetime.now(timezone.utc).replace(tzinfo=None)


def duration(seconds: float | None) -> str:
    """``"42 s"``, ``"3 min 05 s"``, ``"2 h 07 min"``, ``"1 d 3 h"``; ``None`` → ``"—"``."""
    if seconds is None:
        return "—"
    s = max(0, int(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def elapsed(job: dict, now: datetime | None = None) -> str:
    """Time since the job was created, until it finished (or now)."""
    start = job.get("created_at")
    if start is None:
        return "—"
    end = job.get("finished_at") or now or utcnow()
    return duration((end - start).total_seconds())


def finish_text(job: dict, now: datetime | None = None) -> str:
    """Finished time, the provider's estimated finish ("in 12 min"), or "—"."""
    if job.get("finished_at"):
        return job["finished_at"].strftime("%Y-%m-%d %H:%M") + " UTC"
    eta = job.get("estimated_finish")
    if eta is None:
        return "—"
    left = (eta - (now or utcnow())).total_seconds()
    return f"in {duration(left)}" if left > 0 else "any moment"


def progress_text(job: dict) -> str:
    """``"37 / 96 steps (38%)"`` from the stored progress, ``"epoch 1 / 3 done (40%)"`` where the
    provider counts epochs (Fireworks ``jobProgress``), ``"40%"``, or ``"—"``."""
    p = job.get("progress") or {}
    step, total, pct = p.get("step"), p.get("total_steps"), p.get("percent")
    if step is not None and total:
        return f"{step:,} / {total:,} steps" + (f" ({pct:.0f}%)" if pct is not None else "")
    if step is not None:
        return f"step {step:,}"
    if p.get("total_epochs"):
        return f"epoch {p.get('epoch', 0)} / {p['total_epochs']} done" + (f" ({pct:.0f}%)" if pct is not None else "")
    if pct is not None:
        return f"{pct:.0f}%"
    return "—"


def money(usd: float | None, estimate: bool = False) -> str:
    """``"$0.0112"`` below one dollar (small test jobs stay readable) / ``"$12.40"``; *estimate*
    prefixes "≈"; ``None`` → "—"."""
    if usd is None:
        return "—"
    text = f"${usd:,.2f}" if usd >= 1 or usd == 0 else f"${usd:.4f}"
    return f"≈ {text}" if estimate else text


def job_cost(job: dict) -> str:
    """Actual cost when the provider reported it (or it was computed at the end), else the estimate."""
    if job.get("cost_actual_usd") is not None:
        return money(job["cost_actual_usd"])
    return money(job.get("cost_estimate_usd"), estimate=True)


def job_title(job: dict) -> str:
    """``"#3 gpt-4o-mini · support"`` (local id, base model, dataset); a local run:
    ``"#4 lora-r8 · local run"`` (its name; the base model when known)."""
    if job.get("provider") == "local":
        base = f" · {job['model']}" if job.get("model") else ""
        return f"#{job['id']} {job.get('suffix') or 'local run'}{base} · local run"
    ds = f" · {job['dataset_name']}" if job.get("dataset_name") else ""
    return f"#{job['id']} {job.get('model') or ''}{ds}"
