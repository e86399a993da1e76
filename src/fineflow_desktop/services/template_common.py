"""Shared parts of the template services: errors, info objects, row helpers and read queries.

``services.templates`` re-exports everything public here; import from there. Kept apart so
each module stays small (writes and lifecycle in ``templates``, audit in
``template_executions``, files in ``template_io``).
"""

from __future__ import annotations

import getpass
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fineflow_desktop.core.diff import DiffModel
from fineflow_desktop.core.templates import OUTPUT_FORMATS
from fineflow_desktop.core.templates.builtin import GENERATION_MODES
from fineflow_desktop.core.templates.changeset import META_FIELDS, Changeset
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_templates import Template, TemplateVersion

# Slugs are stable identifiers used on the command line and in exports.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")


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
        """All fields as a dict (CLI ``--json``)."""
        return asdict(self)


@dataclass(frozen=True)
class HistoryEntry:
    """One history row: a version and its changeset versus its parent."""

    version: VersionInfo
    changeset: Changeset  # versus the parent version (initial for the first one)


@dataclass(frozen=True)
class VersionDiff:
    """Two versions, their line diff (``core.diff.DiffModel``) and metadata changeset."""

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


def published_version(ws, slug: str) -> VersionInfo | None:
    """The active published version of *slug* (via the pointer, no history scan), or None."""
    with ws.session() as s:
        t = _template(s, slug)
        if t.published_version_id is None:
            return None
        return _vinfo(s, t, s.get(TemplateVersion, t.published_version_id))


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


def version(ws, slug: str, number: int | None = None) -> VersionInfo:
    """Version *number* of *slug* (latest if None); ``TemplateNotFound`` if absent."""
    with ws.session() as s:
        t = _template(s, slug)
        return _vinfo(s, t, _version(s, t, number))


def version_by_id(ws, version_id: int) -> VersionInfo:
    """A version by database id; ``TemplateNotFound`` if absent."""
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


