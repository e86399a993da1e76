"""Shared parts of the template services: errors, info objects, row helpers and read queries.

Used by ``versions`` (writes and lifecycle) and ``io`` (files); callers outside the package
import from ``services.templates``.
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


def check_slug(slug: str) -> None:
    """Raise ``InvalidTemplate`` unless *slug* matches ``SLUG_RE`` (stable CLI/export identifier)."""
    if not SLUG_RE.fullmatch(slug or ""):
        raise InvalidTemplate(
            f"bad slug {slug!r}: use 1-128 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"
        )


def check_meta(output_format: str | None, mode: str | None = None) -> None:
    """Raise ``InvalidTemplate`` for an output format not in ``core.templates.OUTPUT_FORMATS`` or a
    mode not in ``GENERATION_MODES`` (None skips a check)."""
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise InvalidTemplate(f"bad output format {output_format!r}; expected one of {', '.join(OUTPUT_FORMATS)}")
    if mode is not None and mode not in GENERATION_MODES:
        raise InvalidTemplate(f"bad generation mode {mode!r}; expected one of {', '.join(GENERATION_MODES)}")


def clean_tags(tags: Iterable[str] | None) -> list[str]:
    """Tags stripped, empties and repeats dropped, first-seen order kept."""
    out: list[str] = []
    for t in tags or ():
        t = str(t).strip()
        if t and t not in out:
            out.append(t)
    return out


def template_row(s: Session, slug: str) -> Template:
    """The ``Template`` row of *slug* in session *s*; ``TemplateNotFound`` if there is none."""
    t = s.scalar(select(Template).where(Template.slug == slug))
    if t is None:
        raise TemplateNotFound(f"no template with slug {slug!r}")
    return t


def version_row(s: Session, t: Template, number: int | None = None) -> TemplateVersion:
    """Version *number* of *t* (default: the latest) in session *s*; ``TemplateNotFound`` if missing."""
    q = select(TemplateVersion).where(TemplateVersion.template_id == t.id)
    if number is None:
        v = s.scalar(q.order_by(TemplateVersion.number.desc()).limit(1))
    else:
        v = s.scalar(q.where(TemplateVersion.number == number))
    if v is None:
        raise TemplateNotFound(f"template {t.slug!r} has no version {number}" if number else f"template {t.slug!r} has no versions")
    return v


def version_info(s: Session, t: Template, v: TemplateVersion) -> VersionInfo:
    """*v* as a frozen ``VersionInfo`` (plain values, safe across threads)."""
    parent_number = None
    if v.parent_version_id is not None:
        parent_number = s.scalar(select(TemplateVersion.number).where(TemplateVersion.id == v.parent_version_id))
    return VersionInfo(
        v.id, t.id, t.slug, v.number, v.body, v.name, v.description, list(v.tags or []), v.output_format,
        v.status, v.note, v.author, v.parent_version_id, parent_number, v.created_at, v.published_at,
        t.published_version_id == v.id,
    )


def template_info(s: Session, t: Template) -> TemplateInfo:
    """*t* as a frozen ``TemplateInfo`` with its latest and published version numbers."""
    latest = version_row(s, t)
    published_number = None
    if t.published_version_id is not None:
        published_number = s.scalar(select(TemplateVersion.number).where(TemplateVersion.id == t.published_version_id))
    return TemplateInfo(
        t.id, t.slug, t.name, t.description, list(t.tags or []), t.output_format, t.mode, t.active,
        t.is_builtin, t.published_version_id, published_number, latest.number, latest.status, t.updated_at,
    )


def add_version(s: Session, t: Template, snap: Mapping[str, Any], *, parent_id: int | None, note: str,
                author: str | None, status: str = "draft") -> TemplateVersion:
    """Append version max(number)+1 of *t* from *snap* (``body`` + ``META_FIELDS``) and mirror
    its metadata on the template row; flushed, not committed (the caller's session commits)."""
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


def snapshot(v: TemplateVersion) -> dict[str, Any]:
    """*v*'s body and ``META_FIELDS`` as a dict (what a changeset compares)."""
    return {"body": v.body, **{f: getattr(v, f) for f in META_FIELDS}}


def published_version(ws, slug: str) -> VersionInfo | None:
    """The active published version of *slug* (via the pointer, no history scan), or None."""
    with ws.session() as s:
        t = template_row(s, slug)
        if t.published_version_id is None:
            return None
        return version_info(s, t, s.get(TemplateVersion, t.published_version_id))


def get_template(ws, slug: str) -> TemplateInfo:
    """Template metadata by slug; ``TemplateNotFound`` if absent."""
    with ws.session() as s:
        return template_info(s, template_row(s, slug))


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
        return [template_info(s, t) for t in rows if tag is None or tag in (t.tags or [])]


def all_tags(ws) -> list[str]:
    """Every tag used by a template, sorted."""
    with ws.session() as s:
        return sorted({tag for tags in s.scalars(select(Template.tags)) for tag in (tags or [])})


def version(ws, slug: str, number: int | None = None) -> VersionInfo:
    """Version *number* of *slug* (latest if None); ``TemplateNotFound`` if absent."""
    with ws.session() as s:
        t = template_row(s, slug)
        return version_info(s, t, version_row(s, t, number))


def version_by_id(ws, version_id: int) -> VersionInfo:
    """A version by database id; ``TemplateNotFound`` if absent."""
    with ws.session() as s:
        v = s.get(TemplateVersion, version_id)
        if v is None:
            raise TemplateNotFound(f"no template version with id {version_id}")
        return version_info(s, s.get(Template, v.template_id), v)


def list_versions(ws, slug: str) -> list[VersionInfo]:
    """All versions of *slug*, oldest first."""
    with ws.session() as s:
        t = template_row(s, slug)
        vs = s.scalars(select(TemplateVersion).where(TemplateVersion.template_id == t.id).order_by(TemplateVersion.number))
        return [version_info(s, t, v) for v in vs]


