"""The execution audit: every model call made from a template version, its outcome and feedback.

An execution moves pending -> processing -> completed | failed (``update_execution``).
``execute_preview`` renders a version, records the execution, calls a ``ChatProvider``
(providers/base.py) and records the outcome; ``rerun_execution`` repeats an execution with
identical version, context, model and parameters, ``regenerate_execution`` with a changed
context/model/parameters; both link back to the original. Only a credential's name is stored.
Generation runs record their calls with ``record_execution(..., is_preview=False, run_id=...)``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import case, func, select

from fineflow_desktop.core.templates.render import render
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_templates import PromptExecution, Template, TemplateVersion

EXECUTION_STATUSES = ("pending", "processing", "completed", "failed")
_NEXT = {
    "pending": {"processing", "completed", "failed"},
    "processing": {"completed", "failed"},
    "completed": set(),
    "failed": set(),
}
# Keyword arguments of ChatProvider.chat that a template execution may set, with the
# protocol's defaults (providers/base.py).
CHAT_PARAMETERS = {"temperature": 0.7, "max_tokens": 1024, "json_mode": False, "timeout_s": 60.0}


class InvalidExecution(ValueError):
    """Unknown execution id, bad status change, bad feedback value or unknown parameter."""


@dataclass(frozen=True)
class ExecutionInfo:
    """One execution as plain values; ``version_number``/``template_slug`` for display."""

    id: int
    template_id: int
    template_slug: str
    template_version_id: int
    version_number: int
    context: dict
    rendered_prompt: str
    provider: str
    credential_name: str | None
    model: str
    parameters: dict
    status: str
    output: str | None
    input_tokens: int | None
    output_tokens: int | None
    duration_ms: int | None
    error: str | None
    error_context: dict
    is_preview: bool
    feedback: int
    rerun_of_id: int | None
    regenerated_from_id: int | None
    run_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class ExecutionMetrics:
    """Aggregates over a filtered execution history.

    ``failure_rate`` = failed / (completed + failed), 0.0 when none finished;
    ``mean_duration_ms`` over finished executions with a duration (None if there are none).
    """

    count: int
    completed: int
    failed: int
    failure_rate: float
    mean_duration_ms: float | None
    input_tokens: int
    output_tokens: int
    thumbs_up: int
    thumbs_down: int


def _info(e: PromptExecution, slug: str, number: int) -> ExecutionInfo:
    return ExecutionInfo(
        e.id, e.template_id, slug, e.template_version_id, number, dict(e.context or {}), e.rendered_prompt,
        e.provider, e.credential_name, e.model, dict(e.parameters or {}), e.status, e.output, e.input_tokens,
        e.output_tokens, e.duration_ms, e.error, dict(e.error_context or {}), e.is_preview, e.feedback,
        e.rerun_of_id, e.regenerated_from_id, e.run_id, e.created_at, e.started_at, e.finished_at,
    )


def _labels(s, version_id: int) -> tuple[str, int]:
    row = s.execute(
        select(Template.slug, TemplateVersion.number)
        .join(TemplateVersion, TemplateVersion.template_id == Template.id)
        .where(TemplateVersion.id == version_id)
    ).first()
    return (row.slug, row.number) if row else ("?", 0)


def record_execution(ws, template_version_id: int, context: Mapping[str, Any], rendered_prompt: str, *,
                     provider: str, model: str, credential_name: str | None = None,
                     parameters: Mapping[str, Any] | None = None, is_preview: bool = False,
                     status: str = "pending", run_id: int | None = None, rerun_of_id: int | None = None,
                     regenerated_from_id: int | None = None) -> int:
    """Store a new execution and return its id. Raises ``InvalidExecution`` for an unknown version."""
    if status not in EXECUTION_STATUSES:
        raise InvalidExecution(f"bad execution status {status!r}; expected one of {', '.join(EXECUTION_STATUSES)}")
    with ws.session() as s:
        v = s.get(TemplateVersion, template_version_id)
        if v is None:
            raise InvalidExecution(f"no template version with id {template_version_id}")
        now = utcnow()
        e = PromptExecution(
            template_id=v.template_id, template_version_id=v.id, context=dict(context), rendered_prompt=rendered_prompt,
            provider=provider, credential_name=credential_name, model=model, parameters=dict(parameters or {}),
            status=status, is_preview=is_preview, run_id=run_id, rerun_of_id=rerun_of_id,
            regenerated_from_id=regenerated_from_id, created_at=now, error_context={},
            started_at=now if status != "pending" else None,
        )
        s.add(e)
        s.flush()
        return e.id


def update_execution(ws, execution_id: int, *, status: str | None = None, output: str | None = None,
                     input_tokens: int | None = None, output_tokens: int | None = None,
                     duration_ms: int | None = None, error: str | None = None,
                     error_context: Mapping[str, Any] | None = None) -> ExecutionInfo:
    """Advance an execution's status and record its outcome (fields left None are unchanged).

    ``started_at`` is set on entering processing, ``finished_at`` on completed/failed.
    Raises ``InvalidExecution`` for an unknown id or a status change outside the lifecycle.
    """
    with ws.session() as s:
        e = s.get(PromptExecution, execution_id)
        if e is None:
            raise InvalidExecution(f"no execution with id {execution_id}")
        if status is not None and status != e.status:
            if status not in _NEXT.get(e.status, ()):
                raise InvalidExecution(f"execution {execution_id} is {e.status}; it cannot become {status}")
            e.status = status
            now = utcnow()
            if status == "processing" or e.started_at is None:
                e.started_at = now
            if status in ("completed", "failed"):
                e.finished_at = now
        for name, value in (("output", output), ("input_tokens", input_tokens), ("output_tokens", output_tokens),
                            ("duration_ms", duration_ms), ("error", error)):
            if value is not None:
                setattr(e, name, value)
        if error_context is not None:
            e.error_context = dict(error_context)
        s.flush()
        return _info(e, *_labels(s, e.template_version_id))


def get_execution(ws, execution_id: int) -> ExecutionInfo:
    """One execution by id; ``InvalidExecution`` if absent."""
    with ws.session() as s:
        e = s.get(PromptExecution, execution_id)
        if e is None:
            raise InvalidExecution(f"no execution with id {execution_id}")
        return _info(e, *_labels(s, e.template_version_id))


def _filtered(template_id, status, model, preview):
    conds = []
    if template_id is not None:
        conds.append(PromptExecution.template_id == template_id)
    if status:
        conds.append(PromptExecution.status == status)
    if model:
        conds.append(PromptExecution.model == model)
    if preview is not None:
        conds.append(PromptExecution.is_preview.is_(bool(preview)))
    return conds


def list_executions(ws, template_id: int | None = None, *, status: str | None = None, model: str | None = None,
                    preview: bool | None = None, limit: int = 1000) -> list[ExecutionInfo]:
    """Executions newest first, filtered by template, status, model and preview (True) vs live (False)."""
    with ws.session() as s:
        q = (
            select(PromptExecution, Template.slug, TemplateVersion.number)
            .join(TemplateVersion, TemplateVersion.id == PromptExecution.template_version_id)
            .join(Template, Template.id == PromptExecution.template_id)
            .where(*_filtered(template_id, status, model, preview))
            .order_by(PromptExecution.id.desc())
            .limit(limit)
        )
        return [_info(e, slug, number) for e, slug, number in s.execute(q)]


def execution_models(ws, template_id: int | None = None) -> list[str]:
    """Distinct model names seen in executions (of one template), sorted (for filter pickers)."""
    with ws.session() as s:
        q = select(PromptExecution.model).distinct().where(*_filtered(template_id, None, None, None))
        return sorted(m for m in s.scalars(q) if m)


def execution_metrics(ws, template_id: int | None = None, *, status: str | None = None, model: str | None = None,
                      preview: bool | None = None) -> ExecutionMetrics:
    """Count, failure rate, mean duration, token totals and feedback over the filtered executions."""
    E = PromptExecution
    with ws.session() as s:
        row = s.execute(
            select(
                func.count(E.id),
                func.sum(case((E.status == "completed", 1), else_=0)),
                func.sum(case((E.status == "failed", 1), else_=0)),
                func.avg(case((E.status.in_(("completed", "failed")), E.duration_ms), else_=None)),
                func.sum(E.input_tokens),
                func.sum(E.output_tokens),
                func.sum(case((E.feedback > 0, 1), else_=0)),
                func.sum(case((E.feedback < 0, 1), else_=0)),
            ).where(*_filtered(template_id, status, model, preview))
        ).one()
    count, completed, failed, mean, tin, tout, up, down = row
    completed, failed = completed or 0, failed or 0
    finished = completed + failed
    return ExecutionMetrics(
        count or 0, completed, failed, failed / finished if finished else 0.0,
        float(mean) if mean is not None else None, tin or 0, tout or 0, up or 0, down or 0,
    )


def set_feedback(ws, execution_id: int, value: int) -> ExecutionInfo:
    """Thumbs up (+1), down (-1) or cleared (0) for one output."""
    if value not in (-1, 0, 1):
        raise InvalidExecution(f"feedback must be -1, 0 or +1, not {value!r}")
    with ws.session() as s:
        e = s.get(PromptExecution, execution_id)
        if e is None:
            raise InvalidExecution(f"no execution with id {execution_id}")
        e.feedback = value
        s.flush()
        return _info(e, *_labels(s, e.template_version_id))


def chat_parameters(params: Mapping[str, Any] | None, output_format: str) -> dict[str, Any]:
    """Complete chat parameters: defaults of ``CHAT_PARAMETERS``; ``json_mode`` on for json templates.

    Raises ``InvalidExecution`` naming an unknown parameter.
    """
    out = dict(CHAT_PARAMETERS, json_mode=output_format == "json")
    for key, value in (params or {}).items():
        if key not in CHAT_PARAMETERS:
            raise InvalidExecution(f"unknown model parameter {key!r}; allowed: {', '.join(CHAT_PARAMETERS)}")
        out[key] = value
    return out


def execute_preview(ws, version_id: int, context: Mapping[str, Any], provider, model: str,
                    params: Mapping[str, Any] | None = None, *, credential_name: str | None = None,
                    is_preview: bool = True, rerun_of_id: int | None = None,
                    regenerated_from_id: int | None = None) -> ExecutionInfo:
    """Render a version with *context*, send it to *provider* (a ``ChatProvider``) and audit it.

    The rendered prompt goes as one user message. Rendering errors (``TemplateSyntaxError``,
    ``MissingVariablesError``) are raised before anything is recorded or sent. A provider
    failure is recorded (status ``failed``, error text, and context: error type, HTTP status,
    provider, model, retryable) and the failed execution is returned, not raised.
    """
    with ws.session() as s:
        v = s.get(TemplateVersion, version_id)
        if v is None:
            raise InvalidExecution(f"no template version with id {version_id}")
        body, output_format = v.body, v.output_format
    prompt = render(body, context)
    effective = chat_parameters(params, output_format)
    credential_name = credential_name or getattr(provider, "credential_name", None)
    exec_id = record_execution(
        ws, version_id, context, prompt, provider=getattr(provider, "name", type(provider).__name__), model=model,
        credential_name=credential_name, parameters=effective, is_preview=is_preview,
        rerun_of_id=rerun_of_id, regenerated_from_id=regenerated_from_id,
    )
    update_execution(ws, exec_id, status="processing")
    t0 = time.perf_counter()
    try:
        result = provider.chat([{"role": "user", "content": prompt}], model, **effective)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded in the audit
        return update_execution(
            ws, exec_id, status="failed", error=str(exc) or type(exc).__name__,
            duration_ms=int((time.perf_counter() - t0) * 1000),
            error_context={
                "type": type(exc).__name__, "status": getattr(exc, "status", None),
                "retryable": bool(getattr(exc, "retryable", False)), "provider": getattr(provider, "name", None),
                "model": model, "credential_name": credential_name,
            },
        )
    return update_execution(
        ws, exec_id, status="completed", output=result.text, input_tokens=result.input_tokens,
        output_tokens=result.output_tokens, duration_ms=int((time.perf_counter() - t0) * 1000),
    )


def rerun_execution(ws, execution_id: int, provider, *, credential_name: str | None = None) -> ExecutionInfo:
    """Execute again with the identical version, context, model and parameters (``rerun_of_id`` link)."""
    old = get_execution(ws, execution_id)
    return execute_preview(
        ws, old.template_version_id, old.context, provider, old.model, old.parameters,
        credential_name=credential_name or old.credential_name, is_preview=old.is_preview, rerun_of_id=old.id,
    )


def regenerate_execution(ws, execution_id: int, provider, *, context: Mapping[str, Any] | None = None,
                         model: str | None = None, params: Mapping[str, Any] | None = None,
                         credential_name: str | None = None) -> ExecutionInfo:
    """Execute again with a changed context, model and/or parameters (``regenerated_from_id`` link).

    Anything left None is taken from the original execution.
    """
    old = get_execution(ws, execution_id)
    return execute_preview(
        ws, old.template_version_id, old.context if context is None else context, provider,
        model or old.model, old.parameters if params is None else {**old.parameters, **params},
        credential_name=credential_name or old.credential_name, is_preview=old.is_preview,
        regenerated_from_id=old.id,
    )
