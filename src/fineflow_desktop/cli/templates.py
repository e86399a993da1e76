"""``fineflow templates ...``: versioned prompt templates from the command line.

Subcommands: list, show, versions, diff, render, publish, restore, branch, export, import,
create, edit. All accept ``--json``. Exit codes: 0 ok; 1 ``render`` found missing variables
or syntax errors; 2 bad usage or input (unknown slug/version, unreadable file, bad JSON).
The built-in generation templates are seeded on first use.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import sys
from pathlib import Path

from fineflow_desktop.cli.common import UsageError, command, emit


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the ``templates`` command group."""
    p = subparsers.add_parser("templates", help="versioned prompt templates", description=__doc__)
    sub = p.add_subparsers(dest="templates_command", required=True, metavar="SUBCOMMAND")

    def add(name, fn, help_):
        sp = sub.add_parser(name, parents=[common], help=help_, description=help_)
        sp.set_defaults(handler=_templates_command(fn))
        return sp

    sp = add("list", cmd_list, "list templates")
    sp.add_argument("--search", default=None, help="match slug, name or description")
    sp.add_argument("--tag", default=None, help="only templates with this tag")
    sp = add("show", cmd_show, "show a template version (default: latest)")
    sp.add_argument("slug")
    sp.add_argument("--version", type=int, default=None)
    sp = add("versions", cmd_versions, "version history with changesets")
    sp.add_argument("slug")
    sp = add("diff", cmd_diff, "compare two versions")
    sp.add_argument("slug")
    sp.add_argument("v1", type=int)
    sp.add_argument("v2", type=int)
    sp.add_argument("--unified", action="store_true", help="print a standard unified diff of the bodies")
    sp = add("render", cmd_render, "render a version (default: published, else latest) with a context")
    sp.add_argument("slug")
    sp.add_argument("--version", type=int, default=None)
    sp.add_argument("--context", required=True, help="JSON object, or @FILE holding one")
    sp = add("publish", cmd_publish, "publish a version and make it the active one")
    sp.add_argument("slug")
    sp.add_argument("version", type=int)
    sp = add("restore", cmd_restore, "roll back: new version equal to an old one")
    sp.add_argument("slug")
    sp.add_argument("version", type=int)
    sp.add_argument("--note", default=None)
    sp = add("branch", cmd_branch, "start a new draft from any version")
    sp.add_argument("slug")
    sp.add_argument("version", type=int)
    sp.add_argument("--note", default=None)
    sp = add("export", cmd_export, "export templates with every version as JSON")
    sp.add_argument("slugs", nargs="*", metavar="SLUG", help="templates to export (default: all)")
    sp.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    sp = add("import", cmd_import, "import a templates JSON file")
    sp.add_argument("file", type=Path)
    sp = add("create", cmd_create, "create a template (version 1, draft)")
    sp.add_argument("slug")
    sp.add_argument("--body-file", type=Path, required=True)
    sp.add_argument("--name", default=None)
    sp.add_argument("--description", default="")
    sp.add_argument("--tags", default="", help="comma-separated")
    sp.add_argument("--format", dest="output_format", default="text", choices=["text", "json", "markdown", "html"])
    sp.add_argument("--mode", default=None, choices=["qa", "instruction", "conversation", "auto"],
                    help="generation mode this template serves")
    sp.add_argument("--note", default="")
    sp = add("edit", cmd_edit, "save a new version (draft) with a new body")
    sp.add_argument("slug")
    sp.add_argument("--body-file", type=Path, required=True)
    sp.add_argument("--note", default="")
    sp.add_argument("--name", default=None)
    sp.add_argument("--tags", default=None, help="comma-separated (replaces the tags)")
    sp.add_argument("--format", dest="output_format", default=None, choices=["text", "json", "markdown", "html"])


def _templates_command(fn):
    """*fn* ``(ws, args)`` as a ``@command`` that seeds the built-in templates first and turns
    the template services' errors into usage errors (exit 2)."""

    @command
    @functools.wraps(fn)
    def handler(ws, args) -> int:
        from fineflow_desktop.services import templates as T
        from fineflow_desktop.services.templates import TemplateImportError

        try:
            T.ensure_builtin_templates(ws)
            return fn(ws, args)
        except (T.TemplateServiceError, TemplateImportError) as exc:
            raise UsageError(str(exc)) from exc

    return handler


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc


def _tags(text: str | None) -> list[str] | None:
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def _version_dict(v, *, body: bool = True) -> dict:
    from fineflow_desktop.core.templates.render import check_syntax, variable_names

    d = v.as_dict()
    if not body:
        d.pop("body")
    else:
        d["variable_names"] = variable_names(v.body)
        d["syntax_issues"] = [{"line": i.line, "column": i.column, "message": i.message} for i in check_syntax(v.body)]
    return d


def cmd_list(ws, args) -> int:
    """Handler of ``fineflow templates list``."""
    from fineflow_desktop.services import templates as T

    items = T.list_templates(ws, search=args.search, tag=args.tag)
    lines = [f"{'SLUG':28} {'VER':>4} {'PUB':>4} {'FORMAT':8} {'MODE':12} NAME"]
    for t in items:
        pub = f"v{t.published_number}" if t.published_number else "-"
        lines.append(f"{t.slug:28} {'v' + str(t.latest_number):>4} {pub:>4} {t.output_format:8} {t.mode or '-':12} "
                     f"{t.name}{'' if t.active else '  (inactive)'}")
    emit(args, [vars(t) for t in items], "\n".join(lines))
    return 0


def cmd_show(ws, args) -> int:
    """Handler of ``fineflow templates show``."""
    from fineflow_desktop.services import templates as T

    t = T.get_template(ws, args.slug)
    v = T.version(ws, args.slug, args.version)
    d = _version_dict(v)
    d.update(mode=t.mode, active=t.active, published_number=t.published_number)
    head = (f"{t.slug} v{v.number} ({v.status}{', active' if v.is_active else ''}) — {v.name}\n"
            f"format: {v.output_format}  tags: {', '.join(v.tags) or '-'}  mode: {t.mode or '-'}\n"
            f"variables: {', '.join(d['variable_names']) or '-'}\n"
            + "".join(f"syntax error: line {i['line']}, column {i['column']}: {i['message']}\n" for i in d["syntax_issues"])
            + "---\n" + v.body)
    emit(args, d, head)
    return 0


def cmd_versions(ws, args) -> int:
    """Handler of ``fineflow templates versions``."""
    from fineflow_desktop.services import templates as T

    hist = T.history(ws, args.slug)
    payload = [dict(_version_dict(h.version, body=False), changeset=h.changeset.as_dict()) for h in hist]
    lines = []
    for h in hist:
        v = h.version
        status = v.status + ("*" if v.is_active else "")
        parent = f"v{v.parent_number}" if v.parent_number else "-"
        lines.append(f"v{v.number:<3} {status:10} {v.created_at:%Y-%m-%d %H:%M} {v.author:10} parent {parent:4} "
                     f"{h.changeset.summary()}{'  — ' + v.note if v.note else ''}")
    emit(args, payload, "\n".join(lines) + "\n(* = active published version)")
    return 0


def cmd_diff(ws, args) -> int:
    """Handler of ``fineflow templates diff``."""
    from fineflow_desktop.core.diff import unified_diff
    from fineflow_desktop.services import templates as T

    d = T.diff_versions(ws, args.slug, args.v1, args.v2)
    unified = unified_diff(d.left.body, d.right.body, f"{args.slug}@v{args.v1}", f"{args.slug}@v{args.v2}")
    if args.unified and not args.json:
        sys.stdout.write(unified)
        return 0
    payload = {
        "slug": args.slug, "left": args.v1, "right": args.v2, "change_count": d.model.change_count,
        "lines_added": d.model.added, "lines_removed": d.model.removed, "lines_modified": d.model.modified,
        "changeset": d.changeset.as_dict(),
        "rows": [{"kind": r.kind, "left_no": r.left_no, "left_text": r.left_text, "right_no": r.right_no,
                  "right_text": r.right_text, "left_spans": [[s.start, s.end] for s in r.left_spans],
                  "right_spans": [[s.start, s.end] for s in r.right_spans]} for r in d.model.rows],
    }
    if args.unified:
        payload["unified"] = unified
    emit(args, payload, _side_by_side(d))
    return 0


def _side_by_side(d) -> str:
    width = max(20, (shutil.get_terminal_size((160, 24)).columns - 16) // 2)
    mark = {"equal": " ", "insert": ">", "delete": "<", "replace": "|"}
    out = [f"v{d.left.number} → v{d.right.number}: {d.model.change_count} change(s), {d.changeset.summary()}"]
    out += [f"  {c.describe()}" for c in d.changeset.fields]
    for r in d.model.rows:
        ln = f"{r.left_no:>5}" if r.left_no else "     "
        rn = f"{r.right_no:>5}" if r.right_no else "     "
        out.append(f"{ln} {r.left_text[:width]:<{width}} {mark[r.kind]} {rn} {r.right_text[:width]}")
    return "\n".join(out)


def cmd_render(ws, args) -> int:
    """Handler of ``fineflow templates render``."""
    from fineflow_desktop.core.templates.render import MissingVariablesError, TemplateSyntaxError
    from fineflow_desktop.services import templates as T

    raw = _read(Path(args.context[1:])) if args.context.startswith("@") else args.context
    try:
        context = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--context is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    if not isinstance(context, dict):
        raise UsageError("--context must be a JSON object of variable names to values")
    try:
        text = T.render_version(ws, args.slug, context, args.version)
    except MissingVariablesError as exc:
        emit(args, {"ok": False, "missing": exc.missing}, "")
        if not args.json:
            print("missing variables: " + ", ".join(exc.missing), file=sys.stderr)
        return 1
    except TemplateSyntaxError as exc:
        issues = [{"line": i.line, "column": i.column, "message": i.message} for i in exc.issues]
        emit(args, {"ok": False, "syntax_issues": issues}, "")
        if not args.json:
            for i in exc.issues:
                print(f"syntax error: {i}", file=sys.stderr)
        return 1
    emit(args, {"ok": True, "rendered": text}, text)
    return 0


def cmd_publish(ws, args) -> int:
    """Handler of ``fineflow templates publish``."""
    from fineflow_desktop.services import templates as T

    v = T.publish(ws, args.slug, args.version)
    emit(args, _version_dict(v, body=False), f"published {args.slug} v{v.number}; it is now the active version")
    return 0


def cmd_restore(ws, args) -> int:
    """Handler of ``fineflow templates restore``."""
    from fineflow_desktop.services import templates as T

    v = T.restore(ws, args.slug, args.version, note=args.note)
    emit(args, _version_dict(v, body=False), f"restored {args.slug} v{args.version} as new draft v{v.number}")
    return 0


def cmd_branch(ws, args) -> int:
    """Handler of ``fineflow templates branch``."""
    from fineflow_desktop.services import templates as T

    v = T.branch(ws, args.slug, args.version, note=args.note)
    emit(args, _version_dict(v, body=False), f"new draft {args.slug} v{v.number} branched from v{args.version}")
    return 0


def cmd_export(ws, args) -> int:
    """Handler of ``fineflow templates export``."""
    from fineflow_desktop.services import templates as T

    if args.out:
        n = T.write_export(ws, args.out, args.slugs or None)
        emit(args, {"file": str(args.out), "templates": n}, f"exported {n} template(s) to {args.out}")
    else:
        print(json.dumps(T.export_templates(ws, args.slugs or None), indent=2, ensure_ascii=False))
    return 0


def cmd_import(ws, args) -> int:
    """Handler of ``fineflow templates import``."""
    from fineflow_desktop.services import templates as T

    r = T.import_templates(ws, args.file)
    emit(args, vars(r), f"created {len(r.created)} template(s) ({', '.join(r.created) or '-'}); "
                        f"{r.versions_added} version(s) added, {r.versions_skipped} already present")
    return 0


def cmd_create(ws, args) -> int:
    """Handler of ``fineflow templates create``."""
    from fineflow_desktop.services import templates as T

    body = _read(args.body_file)
    T.check_body(body, source=str(args.body_file))  # refuse at write time, before anything is saved
    v = T.create_template(ws, args.slug, body, name=args.name, description=args.description,
                          tags=_tags(args.tags) or [], output_format=args.output_format, mode=args.mode,
                          note=args.note or "created")
    emit(args, _version_dict(v), f"created {v.slug} v1 (draft)")
    return 0


def cmd_edit(ws, args) -> int:
    """Handler of ``fineflow templates edit``."""
    from fineflow_desktop.services import templates as T

    body = _read(args.body_file)
    T.check_body(body, source=str(args.body_file))  # refuse at write time, before anything is saved
    v = T.edit_template(ws, args.slug, body=body, note=args.note, name=args.name,
                        tags=_tags(args.tags), output_format=args.output_format)
    emit(args, _version_dict(v), f"saved {v.slug} v{v.number} (draft)")
    return 0
