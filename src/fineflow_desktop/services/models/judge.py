"""The optional judge model of a comparison (issue 12): any configured credential and model, its
prompt a versioned template of the templates system (tag ``judge``; the built-in ``builtin-judge``
is seeded on first use and can be edited, versioned and published like any template).

Each judge call is rendered from the chosen template version with ``{{prompt}}``,
``{{reference}}``, ``{{answer_1}}``, ``{{answer_2}}``, sent through the metered provider with the
retry policy, and recorded in the template execution audit (``services.templates``), like a
generation run's calls. The verdict is parsed by ``core.judge.parse_verdict``; a failed call or
an unreadable verdict is kept on the row as ``{"error": …}`` and never stops the comparison.
The model shown first alternates by row (even rows A first) against position bias.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from fineflow_desktop.core.judge import (
    JUDGE_SLUG, JUDGE_TAG, JUDGE_TEMPLATE, JUDGE_VARIABLES, NO_REFERENCE, JudgeParseError, parse_verdict, unswap,
)
from fineflow_desktop.core.templates.render import render, variable_names
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.providers.retry import call_with_retry
from fineflow_desktop.services import templates as tpl

JUDGE_MAX_TOKENS = 400
JUDGE_TEMPERATURE = 0.0  # a verdict should not depend on sampling


@dataclass
class JudgeSpec:
    """Which judge to use: *model* through credential *credential*, template *template* at
    version *version* (None: its published version, else its latest)."""

    model: str
    credential: str
    template: str = JUDGE_SLUG
    version: int | None = None


def ensure_judge_template(ws) -> None:
    """Seed the built-in judge template as published version 1 if its slug is absent (an edited
    one is left alone)."""
    try:
        tpl.get_template(ws, JUDGE_SLUG)
        return
    except tpl.TemplateNotFound:
        pass
    try:
        v = tpl.create_template(ws, JUDGE_SLUG, JUDGE_TEMPLATE["body"], name=JUDGE_TEMPLATE["name"],
                                description=JUDGE_TEMPLATE["description"], tags=JUDGE_TEMPLATE["tags"],
                                output_format=JUDGE_TEMPLATE["output_format"], note="built-in", author="FineFlow",
                                is_builtin=True)
    except tpl.DuplicateSlug:  # another window seeded it meanwhile
        return
    tpl.set_status(ws, v.id, "published")


def judge_templates(ws) -> list[dict]:
    """Active templates tagged ``judge`` (the built-in first): ``{slug, name, version}`` where
    ``version`` is the number a judge run uses (published, else latest)."""
    ensure_judge_template(ws)
    out = []
    for t in tpl.list_templates(ws, tag=JUDGE_TAG, active_only=True):
        v = tpl.published_version(ws, t.slug) or tpl.version(ws, t.slug)
        out.append({"slug": t.slug, "name": t.name, "version": v.number})
    return out


def resolve_judge(ws, spec: JudgeSpec) -> dict:
    """The judge as plain values for a run and for the comparison's params: ``{model, credential,
    template, version, version_id, body, output_format}``. Raises ``tpl.TemplateNotFound`` and
    ``ValueError`` when the template uses variables a judge run does not supply (named)."""
    if spec.template == JUDGE_SLUG:
        ensure_judge_template(ws)
    if spec.version is None:
        v = tpl.published_version(ws, spec.template) or tpl.version(ws, spec.template)
    else:
        v = tpl.version(ws, spec.template, spec.version)
    unknown = [n for n in variable_names(v.body) if n not in JUDGE_VARIABLES]
    if unknown:
        raise ValueError(f"judge template {spec.template!r} v{v.number}: variables {', '.join(unknown)} are not "
                         f"supplied by a comparison (available: {', '.join(JUDGE_VARIABLES)})")
    return {"model": spec.model, "credential": spec.credential, "template": spec.template, "version": v.number,
            "version_id": v.id, "body": v.body, "output_format": v.output_format}


def judge_row(ws, provider, judge: dict, idx: int, prompt: str, reference: str | None, answer_a: str | None,
              answer_b: str | None, cancel_check=None) -> dict | None:
    """Ask the judge about one row. Returns ``{"winner": "a"|"b"|"tie", "verdict": "1"|"2"|"tie",
    "reason", "swapped", "execution_id"}``, ``{"error", "swapped", "execution_id"?}`` when the call
    or the parse failed, or None when one answer is missing (nothing to judge). ``Cancelled``
    from *cancel_check* propagates."""
    if answer_a is None or answer_b is None:
        return None
    swapped = idx % 2 == 1
    first, second = (answer_b, answer_a) if swapped else (answer_a, answer_b)
    context = {"prompt": prompt, "reference": reference or NO_REFERENCE, "answer_1": first, "answer_2": second}
    rendered = render(judge["body"], context)
    params = {"temperature": JUDGE_TEMPERATURE, "max_tokens": JUDGE_MAX_TOKENS,
              "json_mode": judge["output_format"] == "json"}
    exec_id = tpl.record_execution(ws, judge["version_id"], context, rendered, provider=getattr(provider, "name", "?"),
                                   model=judge["model"], credential_name=judge["credential"], parameters=params,
                                   status="processing")
    t0 = time.perf_counter()
    try:
        res = call_with_retry(lambda: provider.chat([{"role": "user", "content": rendered}], judge["model"], **params),
                              cancel_check=cancel_check)
    except ProviderError as exc:
        tpl.update_execution(ws, exec_id, status="failed", error=str(exc),
                             duration_ms=int((time.perf_counter() - t0) * 1000))
        return {"error": f"judge call failed: {exc}", "swapped": swapped, "execution_id": exec_id}
    tpl.update_execution(ws, exec_id, status="completed", output=res.text, input_tokens=res.input_tokens,
                         output_tokens=res.output_tokens, duration_ms=int((time.perf_counter() - t0) * 1000))
    try:
        verdict, reason = parse_verdict(res.text)
    except JudgeParseError as exc:
        return {"error": str(exc), "swapped": swapped, "execution_id": exec_id}
    return {"winner": unswap(verdict, swapped), "verdict": verdict, "reason": reason, "swapped": swapped,
            "execution_id": exec_id}
