"""Import and export templates as JSON, with every version, to move them between workspaces.

File shape (``FORMAT`` / ``FORMAT_VERSION``)::

    {"format": "fineflow-templates", "format_version": 1, "exported_at": "...",
     "templates": [{"slug", "name", "description", "tags", "output_format", "mode", "active",
                    "is_builtin", "published_number",
                    "versions": [{"number", "body", "name", "description", "tags",
                                  "output_format", "status", "note", "author",
                                  "created_at", "published_at", "parent_number"}]}]}

Import validates the whole file first (errors name the file, the JSON path and the field) and
writes nothing if it is bad. A new slug is created with its versions, numbers, statuses and
published pointer kept. For an existing slug, versions equal to one already stored are
skipped and the others appended as new drafts, so nothing stored is changed or lost. Each
template commits on its own, so a crash loses at most the template being written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fineflow_desktop.core.templates import OUTPUT_FORMATS, VERSION_STATUSES
from fineflow_desktop.core.templates.builtin import GENERATION_MODES
from fineflow_desktop.core.templates.changeset import META_FIELDS
from fineflow_desktop.services.templates import common
from fineflow_desktop.store.models import utcnow
from fineflow_desktop.store.models_templates import Template, TemplateVersion

FORMAT = "fineflow-templates"
FORMAT_VERSION = 1


class TemplateImportError(ValueError):
    """A template file is unreadable or malformed; names ``source`` and the JSON ``path``."""

    def __init__(self, source: str, path: str, message: str):
        self.source, self.path = source, path
        super().__init__(f"{source}: {path}: {message}" if path else f"{source}: {message}")


@dataclass
class ImportReport:
    """What an import did: slugs created, versions added to existing slugs, versions skipped."""

    created: list[str] = field(default_factory=list)
    versions_added: int = 0
    versions_skipped: int = 0
    messages: list[str] = field(default_factory=list)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_templates(ws, slugs: list[str] | None = None) -> dict[str, Any]:
    """Export *slugs* (all templates if None) with every version, as a JSON-ready dict.

    Raises ``TemplateNotFound`` for an unknown slug.
    """
    infos = [common.get_template(ws, s) for s in slugs] if slugs else common.list_templates(ws)
    out = []
    for t in infos:
        versions = common.list_versions(ws, t.slug)
        out.append({
            "slug": t.slug, "name": t.name, "description": t.description, "tags": t.tags,
            "output_format": t.output_format, "mode": t.mode, "active": t.active, "is_builtin": t.is_builtin,
            "published_number": t.published_number,
            "versions": [{
                "number": v.number, "body": v.body, "name": v.name, "description": v.description, "tags": v.tags,
                "output_format": v.output_format, "status": v.status, "note": v.note, "author": v.author,
                "created_at": _iso(v.created_at), "published_at": _iso(v.published_at), "parent_number": v.parent_number,
            } for v in versions],
        })
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": utcnow().isoformat() + "Z", "templates": out}


def write_export(ws, path: str | Path, slugs: list[str] | None = None) -> int:
    """Write ``export_templates`` to *path* (UTF-8, atomic replace). Returns the template count."""
    data = export_templates(ws, slugs)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return len(data["templates"])


def _load(source: str | Path | dict) -> tuple[str, Any]:
    if isinstance(source, dict):
        return "<data>", source
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateImportError(str(path), "", f"cannot read file ({exc})") from exc
    try:
        return str(path), json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateImportError(str(path), "", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc


def _need(src: str, obj: dict, key: str, path: str, kinds, *, optional: bool = False, choices=None):
    if key not in obj or obj[key] is None:
        if optional:
            return None
        raise TemplateImportError(src, f"{path}.{key}", "missing")
    value = obj[key]
    if not isinstance(value, kinds) or (kinds is int and isinstance(value, bool)):
        names = kinds.__name__ if isinstance(kinds, type) else "/".join(k.__name__ for k in kinds)
        raise TemplateImportError(src, f"{path}.{key}", f"expected {names}, got {type(value).__name__}")
    if choices is not None and value not in choices:
        raise TemplateImportError(src, f"{path}.{key}", f"{value!r} is not one of {', '.join(choices)}")
    return value


def _date(src: str, value: Any, path: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).rstrip("Z"))
    except ValueError as exc:
        raise TemplateImportError(src, path, f"bad ISO date {value!r}") from exc


def _validate(src: str, data: Any) -> list[dict]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TemplateImportError(src, "format", f"not a FineFlow templates file (expected \"format\": \"{FORMAT}\")")
    if data.get("format_version") != FORMAT_VERSION:
        raise TemplateImportError(src, "format_version", f"unsupported version {data.get('format_version')!r}; this app reads {FORMAT_VERSION}")
    items = data.get("templates")
    if not isinstance(items, list):
        raise TemplateImportError(src, "templates", "expected a list")
    seen = set()
    for i, t in enumerate(items):
        p = f"templates[{i}]"
        if not isinstance(t, dict):
            raise TemplateImportError(src, p, "expected an object")
        slug = _need(src, t, "slug", p, str)
        if not common.SLUG_RE.fullmatch(slug):
            raise TemplateImportError(src, f"{p}.slug", f"bad slug {slug!r}")
        if slug in seen:
            raise TemplateImportError(src, f"{p}.slug", f"slug {slug!r} appears twice")
        seen.add(slug)
        _need(src, t, "mode", p, str, optional=True, choices=GENERATION_MODES)
        _need(src, t, "published_number", p, int, optional=True)
        versions = _need(src, t, "versions", p, list)
        if not versions:
            raise TemplateImportError(src, f"{p}.versions", "a template needs at least one version")
        numbers = set()
        for j, v in enumerate(versions):
            vp = f"{p}.versions[{j}]"
            if not isinstance(v, dict):
                raise TemplateImportError(src, vp, "expected an object")
            n = _need(src, v, "number", vp, int)
            if n < 1 or n in numbers:
                raise TemplateImportError(src, f"{vp}.number", f"version numbers must be unique and >= 1 (got {n})")
            numbers.add(n)
            _need(src, v, "body", vp, str)
            _need(src, v, "name", vp, str)
            _need(src, v, "description", vp, str, optional=True)
            tags = _need(src, v, "tags", vp, list, optional=True) or []
            if not all(isinstance(x, str) for x in tags):
                raise TemplateImportError(src, f"{vp}.tags", "expected a list of strings")
            _need(src, v, "output_format", vp, str, choices=OUTPUT_FORMATS)
            _need(src, v, "status", vp, str, choices=VERSION_STATUSES)
            _need(src, v, "parent_number", vp, int, optional=True)
            _date(src, v.get("created_at"), f"{vp}.created_at")
            _date(src, v.get("published_at"), f"{vp}.published_at")
        pub = t.get("published_number")
        if pub is not None and pub not in numbers:
            raise TemplateImportError(src, f"{p}.published_number", f"no version {pub} in this template")
        if pub is not None and next(v for v in versions if v["number"] == pub)["status"] != "published":
            raise TemplateImportError(src, f"{p}.published_number", f"version {pub} is not published")
    return items


def _file_snap(v: dict) -> dict:
    return {"body": v["body"], "name": v["name"], "description": v.get("description") or "",
            "tags": list(v.get("tags") or []), "output_format": v["output_format"]}


def import_templates(ws, source: str | Path | dict, *, author: str | None = None) -> ImportReport:
    """Import a templates file (path) or already-parsed dict; see the module docstring.

    Raises ``TemplateImportError`` (nothing written) if the file is unreadable or malformed.
    """
    src, data = _load(source)
    items = _validate(src, data)
    report = ImportReport()
    label = Path(src).name if src != "<data>" else "import"
    for t in items:
        versions = sorted(t["versions"], key=lambda v: v["number"])
        with ws.session() as s:
            existing = s.scalar(select(Template).where(Template.slug == t["slug"]))
            if existing is None:
                _create(s, t, versions)
                report.created.append(t["slug"])
                report.versions_added += len(versions)
                continue
            stored = [
                {"body": v.body, **{f: getattr(v, f) for f in META_FIELDS}}
                for v in s.scalars(select(TemplateVersion).where(TemplateVersion.template_id == existing.id))
            ]
            for v in versions:
                snap = _file_snap(v)
                if snap in stored:
                    report.versions_skipped += 1
                    continue
                latest = s.scalar(select(TemplateVersion).where(TemplateVersion.template_id == existing.id)
                                  .order_by(TemplateVersion.number.desc()).limit(1))
                note = f"imported v{v['number']} from {label}" + (f": {v['note']}" if v.get("note") else "")
                common.add_version(s, existing, snap, parent_id=latest.id, note=note, author=author or v.get("author"))
                stored.append(snap)
                report.versions_added += 1
            report.messages.append(f"{t['slug']}: exists; new versions appended as drafts")
    return report


def _create(s, t: dict, versions: list[dict]) -> None:
    last = versions[-1]
    tmpl = Template(
        slug=t["slug"], name=last["name"], description=last.get("description") or "", tags=list(last.get("tags") or []),
        output_format=last["output_format"], mode=t.get("mode"), active=bool(t.get("active", True)),
        is_builtin=bool(t.get("is_builtin", False)),
    )
    s.add(tmpl)
    s.flush()
    ids: dict[int, int] = {}
    for v in versions:
        row = TemplateVersion(
            template_id=tmpl.id, number=v["number"], **_file_snap(v), status=v["status"], note=v.get("note") or "",
            author=v.get("author") or "", parent_version_id=ids.get(v.get("parent_number")),
            created_at=_date("", v.get("created_at"), "") or utcnow(), published_at=_date("", v.get("published_at"), ""),
        )
        s.add(row)
        s.flush()
        ids[v["number"]] = row.id
    pub = t.get("published_number")
    tmpl.published_version_id = ids.get(pub) if pub is not None else None
