"""Prompt templates with immutable versions: create, edit, publish, restore, branch, history.

Every save creates a new version (``draft``); the lifecycle is draft -> preview -> published
(``set_status``/``publish``). Only published versions drive generation
(``published_version``, ``generation_template_for``); publishing makes that version the
template's active one via ``Template.published_version_id``, so it is found without scanning
history. ``restore`` (rollback) saves a new version equal to an old one; ``branch`` starts a
draft from any version. Functions take a ``Workspace`` and return frozen info objects (plain
values, safe to pass across threads).

The execution audit (``record_execution``, ``execute_preview``, ...) lives in
``services.template_executions`` and import/export in ``services.template_io``; both are
re-exported here so callers need one module.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fineflow_desktop.core.diff import DiffModel, diff_texts
from fineflow_desktop.core.templates import OUTPUT_FORMATS, VERSION_STATUSES
from fineflow_desktop.core.templates.builtin import BUILTIN_TEMPLATES, GENERATION_MODES, builtin_slug_for_mode
from fineflow_desktop.core.templates.changeset import META_FIELDS, Changeset, compute_changeset
from fineflow_desktop.core.templates.render import TemplateSyntaxError, check_syntax, render
from fineflow_desktop.services.template_executions import (  # noqa: F401 - re-exported API
    ExecutionInfo,
    ExecutionMetrics,
    InvalidExecution,
    execute_preview,
    execution_metrics,
    execution_models,
    get_execution,
    list_executions,
    record_execution,
    regenerate_execution,
    rerun_execution,
    set_feedback,
    update_execution,
)
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_templates import Template, TemplateVersion

# Slugs are stable identifiers used on the command line and in exports.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")

# Allowed status changes. Published is final for a version (a newer version replaces it).
TRANSITIONS = {
    "draft": {"preview", "published"},
    "preview": {"draft", "published"},
    "published": set(),
}


class TemplateServiceError(Exception):
    """Base class of errors raised by the template services (message is user-facing)."""


class TemplateNotFound(TemplateServiceError):
    """No template with that slug, or no such version number."""


class InvalidTemplate(TemplateServiceError):
    """Bad slug, output format, mode or status value."""


class DuplicateSlug(TemplateServiceError):
    """``create_template`` with a slug that already exists."""


class InvalidTransition(TemplateServiceError):
    """A status change the lifecycle does not allow, or publishing a body with syntax errors."""


class NothingToSave(TemplateServiceError):
    """An edit that changes neither the body nor any metadata field."""


@dataclass(frozen=True)
class TemplateInfo:
    """A template's current metadata plus where its versions stand."""

    id: int
    slug: str
    name: str
    description: str
    tags: list
    output_format: str
    mode: str | None
    active: bool
    is_builtin: bool
    published_version_id: int | None
    published_number: int | None
    latest_number: int
    latest_status: str
    updated_at: datetime


@dataclass(frozen=True)
class VersionInfo:
    """One immutable version. ``parent_number`` is the number of ``parent_version_id``."""

    id: int
    template_id: int
    slug: str
    number: int
    body: str
    name: str
    description: str
    tags: list
    output_format: str
    status: str
    note: str
    author: str
    parent_version_id: int | None
    parent_number: int | None
    created_at: datetime
    published_at: datetime | None
    is_active: bool  # the template's published_version_id points here

    def snapshot(self) -> dict[str, Any]:
        """``body`` + metadata fields, the input of ``compute_changeset``."""
        return {"body": self.body, **{f: getattr(self, f) for f in META_FIELDS}}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HistoryEntry:
    version: VersionInfo
    changeset: Changeset  # versus the parent version (initial for the first one)


@dataclass(frozen=True)
class VersionDiff:
    left: VersionInfo
    right: VersionInfo
    model: DiffModel
    changeset: Changeset


def default_author() -> str:
    """The OS user name, recorded as a version's author."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some sandboxes
        return "unknown"


def _check_slug(slug: str) -> None:
    if not SLUG_RE.fullmatch(slug or ""):
        raise InvalidTemplate(
            f"bad slug {slug!r}: use 1-128 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"
        )


def _check_meta(output_format: str | None, mode: str | None = None) -> None:
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise InvalidTemplate(f"bad output format {output_format!r}; expected one of {', '.join(OUTPUT_FORMATS)}")
    if mode is not None and mode not in GENERATION_MODES:
        raise InvalidTemplate(f"bad generation mode {mode!r}; expected one of {', '.join(GENERATION_MODES)}")


def _tags(tags: Iterable[str] | None) -> list[str]:
    out: list[str] = []
    for t in tags or ():
        t = str(t).strip()
        if t and t not in out:
            out.append(t)
    return out


def _template(s: Session, slug: str) -> Template:
    t = s.scalar(select(Template).where(Template.slug == slug))
    if t is None:
        raise TemplateNotFound(f"no template with slug {slug!r}")
    return t


def _version(s: Session, t: Template, number: int | None = None) -> TemplateVersion:
    q = select(TemplateVersion).where(TemplateVersion.template_id == t.id)
    if number is None:
        v = s.scalar(q.order_by(TemplateVersion.number.desc()).limit(1))
    else:
        v = s.scalar(q.where(TemplateVersion.number == number))
    if v is None:
        raise TemplateNotFound(f"template {t.slug!r} has no version {number}" if number else f"template {t.slug!r} has no versions")
    return v


def _vinfo(s: Session, t: Template, v: TemplateVersion) -> VersionInfo:
    parent_number = None
    if v.parent_version_id is not None:
        parent_number = s.scalar(select(TemplateVersion.number).where(TemplateVersion.id == v.parent_version_id))
    return VersionInfo(
        v.id, t.id, t.slug, v.number, v.body, v.name, v.description, list(v.tags or []), v.output_format,
        v.status, v.note, v.author, v.parent_version_id, parent_number, v.created_at, v.published_at,
        t.published_version_id == v.id,
    )


def _tinfo(s: Session, t: Template) -> TemplateInfo:
    latest = _version(s, t)
    published_number = None
    if t.published_version_id is not None:
        published_number = s.scalar(select(TemplateVersion.number).where(TemplateVersion.id == t.published_version_id))
    return TemplateInfo(
        t.id, t.slug, t.name, t.description, list(t.tags or []), t.output_format, t.mode, t.active,
        t.is_builtin, t.published_version_id, published_number, latest.number, latest.status, t.updated_at,
    )


def _add_version(s: Session, t: Template, snap: Mapping[str, Any], *, parent_id: int | None, note: str,
                 author: str | None, status: str = "draft") -> TemplateVersion:
    number = (s.scalar(select(func.max(TemplateVersion.number)).where(TemplateVersion.template_id == t.id)) or 0) + 1
    v = TemplateVersion(
        template_id=t.id, number=number, body=snap["body"], name=snap["name"], description=snap["description"] or "",
        tags=list(snap["tags"] or []), output_format=snap["output_format"], status=status, note=note or "",
        author=author or default_author(), parent_version_id=parent_id, created_at=utcnow(),
    )
    s.add(v)
    # The template row mirrors the latest saved metadata (lists and search read it).
    t.name, t.description, t.tags, t.output_format = v.name, v.description, list(v.tags), v.output_format
    t.updated_at = utcnow()
    s.flush()
    return v


def _snap(v: TemplateVersion) -> dict[str, Any]:
    return {"body": v.body, **{f: getattr(v, f) for f in META_FIELDS}}


def create_template(ws, slug: str, body: str, *, name: str | None = None, description: str = "",
                    tags: Iterable[str] = (), output_format: str = "text", mode: str | None = None,
                    note: str = "", author: str | None = None, is_builtin: bool = False) -> VersionInfo:
    """Create a template and its version 1 (draft). ``name`` defaults to the slug.

    Raises ``InvalidTemplate`` (slug/format/mode) or ``DuplicateSlug``.
    """
    _check_slug(slug)
    _check_meta(output_format, mode)
    with ws.session() as s:
        if s.scalar(select(Template.id).where(Template.slug == slug)) is not None:
            raise DuplicateSlug(f"a template with slug {slug!r} already exists")
        t = Template(slug=slug, name=name or slug, description=description or "", tags=_tags(tags),
                     output_format=output_format, mode=mode, active=True, is_builtin=is_builtin)
        s.add(t)
        s.flush()
        snap = {"body": body, "name": t.name, "description": t.description, "tags": t.tags, "output_format": output_format}
        v = _add_version(s, t, snap, parent_id=None, note=note or "created", author=author)
        return _vinfo(s, t, v)


def edit_template(ws, slug: str, *, body: str | None = None, name: str | None = None,
                  description: str | None = None, tags: Iterable[str] | None = None,
                  output_format: str | None = None, note: str = "", author: str | None = None,
                  base_number: int | None = None) -> VersionInfo:
    """Save a new draft version: the base version (default: latest) with the given fields changed.

    Fields left as None keep the base's value. Raises ``NothingToSave`` if nothing differs
    from the base, ``TemplateNotFound``, ``InvalidTemplate``.
    """
    _check_meta(output_format)
    with ws.session() as s:
        t = _template(s, slug)
        base = _version(s, t, base_number)
        snap = _snap(base)
        for key, value in (("body", body), ("name", name), ("description", description), ("output_format", output_format)):
            if value is not None:
                snap[key] = value
        if tags is not None:
            snap["tags"] = _tags(tags)
        if compute_changeset(_snap(base), snap).is_empty:
            raise NothingToSave(f"nothing changed since version {base.number} of {slug!r}")
        v = _add_version(s, t, snap, parent_id=base.id, note=note, author=author)
        return _vinfo(s, t, v)


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
        return _vinfo(s, t, v)


def _activate(t: Template, v: TemplateVersion) -> None:
    t.published_version_id = v.id
    t.updated_at = utcnow()


def publish(ws, slug: str, number: int) -> VersionInfo:
    """Publish version *number* of *slug* and make it the active one (see ``set_status``)."""
    return set_status(ws, version(ws, slug, number).id, "published")


def published_version(ws, slug: str) -> VersionInfo | None:
    """The active published version of *slug* (via the pointer, no history scan), or None."""
    with ws.session() as s:
        t = _template(s, slug)
        if t.published_version_id is None:
            return None
        return _vinfo(s, t, s.get(TemplateVersion, t.published_version_id))


def restore(ws, slug: str, number: int, *, note: str | None = None, author: str | None = None) -> VersionInfo:
    """Rollback: a new draft (parent = latest) whose body and metadata equal version *number*.

    Raises ``NothingToSave`` if the latest version already equals it.
    """
    with ws.session() as s:
        t = _template(s, slug)
        old, latest = _version(s, t, number), _version(s, t)
        if compute_changeset(_snap(latest), _snap(old)).is_empty:
            raise NothingToSave(f"the latest version of {slug!r} (v{latest.number}) already equals v{number}")
        v = _add_version(s, t, _snap(old), parent_id=latest.id, note=note or f"restored from v{number}", author=author)
        return _vinfo(s, t, v)


def branch(ws, slug: str, number: int, *, note: str | None = None, author: str | None = None) -> VersionInfo:
    """Start a new draft from version *number* (same content, parent = that version)."""
    with ws.session() as s:
        t = _template(s, slug)
        old = _version(s, t, number)
        v = _add_version(s, t, _snap(old), parent_id=old.id, note=note or f"branched from v{number}", author=author)
        return _vinfo(s, t, v)


def get_template(ws, slug: str) -> TemplateInfo:
    """Template metadata by slug; ``TemplateNotFound`` if absent."""
    with ws.session() as s:
        return _tinfo(s, _template(s, slug))


def list_templates(ws, search: str | None = None, tag: str | None = None, active_only: bool = False) -> list[TemplateInfo]:
    """Templates ordered by name; *search* matches slug, name or description (case-insensitive)."""
    with ws.session() as s:
        q = select(Template).order_by(Template.is_builtin.desc(), Template.name, Template.slug)
        if search:
            like = f"%{search.lower()}%"
            q = q.where(func.lower(Template.slug).like(like) | func.lower(Template.name).like(like)
                        | func.lower(Template.description).like(like))
        if active_only:
            q = q.where(Template.active.is_(True))
        rows = s.scalars(q).all()
        return [_tinfo(s, t) for t in rows if tag is None or tag in (t.tags or [])]


def all_tags(ws) -> list[str]:
    """Every tag used by a template, sorted."""
    with ws.session() as s:
        return sorted({tag for tags in s.scalars(select(Template.tags)) for tag in (tags or [])})


def set_active(ws, slug: str, active: bool) -> TemplateInfo:
    """Show or hide a template in pickers (versions are kept either way)."""
    with ws.session() as s:
        t = _template(s, slug)
        t.active = bool(active)
        s.flush()
        return _tinfo(s, t)


def version(ws, slug: str, number: int | None = None) -> VersionInfo:
    """Version *number* of *slug* (latest if None); ``TemplateNotFound`` if absent."""
    with ws.session() as s:
        t = _template(s, slug)
        return _vinfo(s, t, _version(s, t, number))


def version_by_id(ws, version_id: int) -> VersionInfo:
    with ws.session() as s:
        v = s.get(TemplateVersion, version_id)
        if v is None:
            raise TemplateNotFound(f"no template version with id {version_id}")
        return _vinfo(s, s.get(Template, v.template_id), v)


def list_versions(ws, slug: str) -> list[VersionInfo]:
    """All versions of *slug*, oldest first."""
    with ws.session() as s:
        t = _template(s, slug)
        vs = s.scalars(select(TemplateVersion).where(TemplateVersion.template_id == t.id).order_by(TemplateVersion.number))
        return [_vinfo(s, t, v) for v in vs]


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
    _check_meta(None, mode)
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


_IO_NAMES = ("export_templates", "write_export", "import_templates", "ImportReport", "TemplateImportError")


def __getattr__(name: str):
    # Lazy re-export: template_io imports this module, so a top-level import would be a cycle.
    if name in _IO_NAMES:
        from fineflow_desktop.services import template_io

        return getattr(template_io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
