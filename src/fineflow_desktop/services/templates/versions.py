"""Prompt templates with immutable versions: create, edit, publish, restore, branch, history.

Every save creates a new version (``draft``); the lifecycle is draft -> preview -> published
(``set_status``/``publish``). Only published versions drive generation
(``published_version``, ``generation_template_for``); publishing makes that version the
template's active one via ``Template.published_version_id``, so it is found without scanning
history. ``restore`` (rollback) saves a new version equal to an old one; ``branch`` starts a
draft from any version. Functions take a ``Workspace`` and return frozen info objects (plain
values, safe to pass across threads).

The execution audit lives in ``executions`` and import/export in ``io``; callers use the
package ``services.templates``, which exports all three.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from sqlalchemy import select

from fineflow_desktop.core.diff import diff_texts
from fineflow_desktop.core.templates import VERSION_STATUSES
from fineflow_desktop.core.templates.builtin import BUILTIN_TEMPLATES, builtin_slug_for_mode
from fineflow_desktop.core.templates.changeset import compute_changeset
from fineflow_desktop.core.templates.render import TemplateSyntaxError, check_syntax, render
from fineflow_desktop.services.templates.common import (
    DuplicateSlug,
    HistoryEntry,
    InvalidTemplate,
    InvalidTransition,
    NothingToSave,
    TemplateInfo,
    TemplateNotFound,
    VersionDiff,
    VersionInfo,
    add_version,
    check_meta,
    check_slug,
    clean_tags,
    list_versions,
    published_version,
    snapshot,
    template_info,
    template_row,
    version,
    version_info,
    version_row,
)
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_templates import Template, TemplateVersion

# Allowed status changes. Published is final for a version (a newer version replaces it).
TRANSITIONS = {
    "draft": {"preview", "published"},
    "preview": {"draft", "published"},
    "published": set(),
}


def check_body(body: str, source: str = "body") -> None:
    """Refuse a body with malformed placeholders before it is saved: raises ``InvalidTemplate``
    ("*source*: template syntax error at line L, column C: …", 1-based, all issues counted).
    The service itself stores drafts with syntax errors (the editor shows them live; publishing
    refuses them); front ends that write a whole body at once (the CLI) call this first."""
    issues = check_syntax(body)
    if issues:
        raise InvalidTemplate(f"{source}: {TemplateSyntaxError(issues)}")


def create_template(ws, slug: str, body: str, *, name: str | None = None, description: str = "",
                    tags: Iterable[str] = (), output_format: str = "text", mode: str | None = None,
                    note: str = "", author: str | None = None, is_builtin: bool = False) -> VersionInfo:
    """Create a template and its version 1 (draft). ``name`` defaults to the slug.

    Raises ``InvalidTemplate`` (slug/format/mode) or ``DuplicateSlug``.
    """
    check_slug(slug)
    check_meta(output_format, mode)
    with ws.session() as s:
        if s.scalar(select(Template.id).where(Template.slug == slug)) is not None:
            raise DuplicateSlug(f"a template with slug {slug!r} already exists")
        t = Template(slug=slug, name=name or slug, description=description or "", tags=clean_tags(tags),
                     output_format=output_format, mode=mode, active=True, is_builtin=is_builtin)
        s.add(t)
        s.flush()
        snap = {"body": body, "name": t.name, "description": t.description, "tags": t.tags, "output_format": output_format}
        v = add_version(s, t, snap, parent_id=None, note=note or "created", author=author)
        return version_info(s, t, v)


def edit_template(ws, slug: str, *, body: str | None = None, name: str | None = None,
                  description: str | None = None, tags: Iterable[str] | None = None,
                  output_format: str | None = None, note: str = "", author: str | None = None,
                  base_number: int | None = None) -> VersionInfo:
    """Save a new draft version: the base version (default: latest) with the given fields changed.

    Fields left as None keep the base's value. Raises ``NothingToSave`` if nothing differs
    from the base, ``TemplateNotFound``, ``InvalidTemplate``.
    """
    check_meta(output_format)
    with ws.session() as s:
        t = template_row(s, slug)
        base = version_row(s, t, base_number)
        snap = snapshot(base)
        for key, value in (("body", body), ("name", name), ("description", description), ("output_format", output_format)):
            if value is not None:
                snap[key] = value
        if tags is not None:
            snap["tags"] = clean_tags(tags)
        if compute_changeset(snapshot(base), snap).is_empty:
            raise NothingToSave(f"nothing changed since version {base.number} of {slug!r}")
        v = add_version(s, t, snap, parent_id=base.id, note=note, author=author)
        return version_info(s, t, v)


def set_status(ws, version_id: int, status: str) -> VersionInfo:
    """Move a version along draft -> preview -> published (``TRANSITIONS``).

    Publishing also makes the version the template's active one (see ``publish``). Raises
    ``InvalidTransition`` for a disallowed change or a body with syntax errors.
    """
    if status not in VERSION_STATUSES:
        raise InvalidTemplate(f"bad status {status!r}; expected one of {', '.join(VERSION_STATUSES)}")
    with ws.session() as s:
        v = s.get(TemplateVersion, version_id)
        if v is None:
            raise TemplateNotFound(f"no template version with id {version_id}")
        t = s.get(Template, v.template_id)
        if status == "published" and v.status == "published":
            _activate(t, v)  # re-activating an older published version
        elif status != v.status:
            if status not in TRANSITIONS[v.status]:
                raise InvalidTransition(f"version {v.number} of {t.slug!r} is {v.status}; it cannot become {status}")
            if status == "published":
                issues = check_syntax(v.body)
                if issues:
                    raise InvalidTransition(f"cannot publish version {v.number} of {t.slug!r}: {TemplateSyntaxError(issues)}")
                v.published_at = utcnow()
                _activate(t, v)
            v.status = status
        s.flush()
        return version_info(s, t, v)


def _activate(t: Template, v: TemplateVersion) -> None:
    t.published_version_id = v.id
    t.updated_at = utcnow()


def publish(ws, slug: str, number: int) -> VersionInfo:
    """Publish version *number* of *slug* and make it the active one (see ``set_status``)."""
    return set_status(ws, version(ws, slug, number).id, "published")


def restore(ws, slug: str, number: int, *, note: str | None = None, author: str | None = None) -> VersionInfo:
    """Rollback: a new draft (parent = latest) whose body and metadata equal version *number*.

    Raises ``NothingToSave`` if the latest version already equals it.
    """
    with ws.session() as s:
        t = template_row(s, slug)
        old, latest = version_row(s, t, number), version_row(s, t)
        if compute_changeset(snapshot(latest), snapshot(old)).is_empty:
            raise NothingToSave(f"the latest version of {slug!r} (v{latest.number}) already equals v{number}")
        v = add_version(s, t, snapshot(old), parent_id=latest.id, note=note or f"restored from v{number}", author=author)
        return version_info(s, t, v)


def branch(ws, slug: str, number: int, *, note: str | None = None, author: str | None = None) -> VersionInfo:
    """Start a new draft from version *number* (same content, parent = that version)."""
    with ws.session() as s:
        t = template_row(s, slug)
        old = version_row(s, t, number)
        v = add_version(s, t, snapshot(old), parent_id=old.id, note=note or f"branched from v{number}", author=author)
        return version_info(s, t, v)


def set_active(ws, slug: str, active: bool) -> TemplateInfo:
    """Show or hide a template in pickers (versions are kept either way)."""
    with ws.session() as s:
        t = template_row(s, slug)
        t.active = bool(active)
        s.flush()
        return template_info(s, t)


def history(ws, slug: str) -> list[HistoryEntry]:
    """Versions newest first, each with its changeset versus its parent."""
    versions = list_versions(ws, slug)
    by_id = {v.id: v for v in versions}
    out = []
    for v in reversed(versions):
        parent = by_id.get(v.parent_version_id) if v.parent_version_id else None
        out.append(HistoryEntry(v, compute_changeset(parent.snapshot() if parent else None, v.snapshot())))
    return out


def diff_versions(ws, slug: str, left: int, right: int) -> VersionDiff:
    """Line diff and changeset from version *left* to version *right* of *slug*."""
    a, b = version(ws, slug, left), version(ws, slug, right)
    return VersionDiff(a, b, diff_texts(a.body, b.body), compute_changeset(a.snapshot(), b.snapshot()))


def render_version(ws, slug: str, context: Mapping[str, Any], number: int | None = None) -> str:
    """Render version *number* (default: the published one, else the latest) with *context*.

    Raises ``TemplateSyntaxError`` / ``MissingVariablesError`` from ``core.templates.render``.
    """
    if number is None:
        v = published_version(ws, slug) or version(ws, slug)
    else:
        v = version(ws, slug, number)
    return render(v.body, context)


def ensure_builtin_templates(ws) -> list[str]:
    """Seed the built-in generation templates as published v1 if their slugs are absent.

    Idempotent (existing slugs, edited or not, are left alone). Returns the slugs created.
    """
    created = []
    with ws.session() as s:
        existing = set(s.scalars(select(Template.slug)))
    for slug, spec in BUILTIN_TEMPLATES.items():
        if slug in existing:
            continue
        try:
            v = create_template(ws, slug, spec["body"], name=spec["name"], description=spec["description"],
                                tags=spec["tags"], output_format=spec["output_format"], mode=spec["mode"],
                                note="built-in", author="FineFlow", is_builtin=True)
        except DuplicateSlug:  # another window seeded it meanwhile
            continue
        set_status(ws, v.id, "published")
        created.append(slug)
    return created


def generation_template_for(ws, mode: str, slug: str | None = None) -> tuple[int, str]:
    """The published template version a generation run in *mode* uses: ``(version_id, body)``.

    With *slug*, that template's published version. Otherwise the most recently published
    active user template whose ``mode`` is *mode*, falling back to the built-in one (seeded on
    demand). Raises ``TemplateNotFound`` when the chosen template has no published version.
    """
    check_meta(None, mode)
    if slug is None:
        ensure_builtin_templates(ws)
        with ws.session() as s:
            row = s.execute(
                select(TemplateVersion.id, TemplateVersion.body)
                .join(Template, Template.published_version_id == TemplateVersion.id)
                .where(Template.mode == mode, Template.active.is_(True), Template.is_builtin.is_(False))
                .order_by(TemplateVersion.published_at.desc(), TemplateVersion.id.desc())
                .limit(1)
            ).first()
        if row is not None:
            return row.id, row.body
        slug = builtin_slug_for_mode(mode)
    v = published_version(ws, slug)
    if v is None:
        raise TemplateNotFound(f"template {slug!r} has no published version; publish one before generating")
    return v.id, v.body
