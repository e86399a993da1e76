"""``{{variable_name}}`` interpolation for prompt templates.

Syntax (the Mustache/Handlebars subset prompt tools use; escaping follows Handlebars):

* ``{{name}}`` is replaced by ``context["name"]``. Spaces inside the braces are allowed
  (``{{ name }}``). A name is ``[A-Za-z_][A-Za-z0-9_]*`` (a Python identifier in ASCII).
* ``\\{{`` renders a literal ``{{`` (the backslash is consumed; what follows is plain text, so
  ``\\{{name}}`` renders ``{{name}}``). ``\\\\{{name}}`` renders one backslash followed by the
  value: in a run of backslashes directly before ``{{``, each pair renders one backslash and
  an odd last one escapes the braces. Backslashes anywhere else are plain text.
* Nested / surplus braces: a placeholder is the *innermost* ``{{name}}``. Extra ``{`` before it
  and extra ``}`` after it are literal text, so ``{{{x}}}`` renders ``{`` + value + ``}`` and
  ``{{{{x}}}}`` renders ``{{`` + value + ``}}``. A lone ``}}`` is literal text too, so JSON
  examples such as ``{"a": {"b": 1}}`` need no escaping; only ``{{`` does.
* Malformed placeholders are errors, never passed through silently: empty ``{{ }}``, unclosed
  ``{{name`` (no ``}}`` before the end of the line or before the next ``{{``), and bad names
  (``{{first-name}}``, ``{{a b}}``). Each ``TemplateIssue`` carries a 1-based line and column
  (in characters, i.e. Unicode code points) of the opening ``{{``.
* Values are inserted verbatim and never re-interpreted: a value containing ``{{x}}`` stays
  literal (so document text cannot inject template syntax). ``str`` values as is, ``None`` as
  ``""``, numbers/bools via ``str()``, lists/dicts as JSON (``ensure_ascii=False``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TemplateError(Exception):
    """Base class of template errors."""


@dataclass(frozen=True)
class TemplateIssue:
    """One malformed placeholder.

    ``line``/``column`` are 1-based (column in code points); ``start``/``end`` are 0-based
    character offsets into the body of the offending text (for highlighting). ``kind`` is
    ``empty``, ``unclosed`` or ``bad_name``.
    """

    kind: str
    message: str
    line: int
    column: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class TemplateSyntaxError(TemplateError):
    """The body has malformed placeholders; ``issues`` lists all of them (first one in str)."""

    def __init__(self, issues: list[TemplateIssue]):
        self.issues = list(issues)
        first = self.issues[0]
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(f"template syntax error at {first}{more}")
        self.line, self.column = first.line, first.column


class MissingVariablesError(TemplateError):
    """``render`` was given a context that lacks variables the body uses (``missing``, in order)."""

    def __init__(self, missing: list[str]):
        self.missing = list(missing)
        super().__init__("missing template variables: " + ", ".join(self.missing))


@dataclass(frozen=True)
class Var:
    """A placeholder occurrence: ``name`` at character offsets [start, end) of the body."""

    name: str
    start: int
    end: int


# Parsed form: literal strings and Var objects, in order.
Part = str | Var


def _line_col(body: str, offset: int) -> tuple[int, int]:
    line = body.count("\n", 0, offset) + 1
    col = offset - (body.rfind("\n", 0, offset) + 1) + 1
    return line, col


def parse(body: str) -> tuple[list[Part], list[TemplateIssue]]:
    """Split *body* into literal text and ``Var`` parts, collecting syntax issues.

    Never raises: malformed placeholders become issues and their text is kept literally in
    the parts, so live editors can still show something. Returns ``(parts, issues)``.
    """
    parts: list[Part] = []
    issues: list[TemplateIssue] = []
    buf: list[str] = []
    i, n = 0, len(body)

    def issue(kind: str, message: str, start: int, end: int) -> None:
        line, col = _line_col(body, start)
        issues.append(TemplateIssue(kind, message, line, col, start, end))

    while i < n:
        # Fast path: copy plain text up to the next character that may matter.
        j = i
        while j < n and body[j] not in "{\\":
            j += 1
        if j > i:
            buf.append(body[i:j])
            i = j
            if i >= n:
                break
        ch = body[i]
        if ch == "\\":
            r = i
            while r < n and body[r] == "\\":
                r += 1
            run = r - i
            if body.startswith("{{", r):
                buf.append("\\" * (run // 2))
                if run % 2:  # escaped: literal "{{", the rest is plain text
                    buf.append("{{")
                    i = r + 2
                else:
                    i = r
            else:
                buf.append(body[i:r])
                i = r
            continue
        # ch == "{"
        if not body.startswith("{{", i):
            buf.append("{")
            i += 1
            continue
        # Surplus opening braces are literal; the last two open the placeholder.
        k = i
        while k + 2 < n and body[k + 2] == "{":
            k += 1
        if k > i:
            buf.append(body[i:k])
        open_at = k
        inner_start = k + 2
        close = body.find("}}", inner_start)
        nl = body.find("\n", inner_start)
        next_open = body.find("{{", inner_start)
        limit = min(x for x in (close, nl, next_open, n) if x != -1)
        if close == -1 or close != limit:
            end = limit
            issue("unclosed", f"unclosed placeholder {body[open_at:end]!r}: missing '}}}}'", open_at, end)
            buf.append(body[open_at:end])
            i = end
            continue
        inner = body[inner_start:close]
        name = inner.strip()
        end = close + 2
        if not name:
            issue("empty", "empty placeholder '{{ }}': write a variable name inside the braces", open_at, end)
            buf.append(body[open_at:end])
        elif not NAME_RE.fullmatch(name):
            issue(
                "bad_name",
                f"bad variable name {name!r}: use letters, digits and underscores, not starting with a digit",
                open_at,
                end,
            )
            buf.append(body[open_at:end])
        else:
            if buf:
                parts.append("".join(buf))
                buf = []
            parts.append(Var(name, open_at, end))
        i = end
    if buf:
        parts.append("".join(buf))
    return parts, issues


def check_syntax(body: str) -> list[TemplateIssue]:
    """All malformed placeholders in *body* (empty list when the body is well formed)."""
    return parse(body)[1]


def variable_names(body: str) -> list[str]:
    """Variable names in order of first use, each once. Malformed placeholders are ignored."""
    seen: dict[str, None] = {}
    for part in parse(body)[0]:
        if isinstance(part, Var):
            seen.setdefault(part.name, None)
    return list(seen)


def validate_context(body: str, context: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Compare a context with the body's variables.

    Returns ``(missing, unknown_extra)``: variables the body uses that the context lacks (in
    order of first use), and context keys the body never uses (in the context's order; a
    warning, not an error). A key present with value ``None`` or ``""`` counts as provided.
    """
    names = variable_names(body)
    used = set(names)
    missing = [name for name in names if name not in context]
    extra = [key for key in context if key not in used]
    return missing, extra


def format_value(value: Any) -> str:
    """How a context value is written into the prompt (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(body: str, context: Mapping[str, Any], *, strict: bool = True) -> str:
    """Fill the placeholders of *body* from *context*.

    Raises ``TemplateSyntaxError`` if the body has malformed placeholders, and (with *strict*)
    ``MissingVariablesError`` naming every variable the context lacks. With ``strict=False``
    a missing variable is left in the output as ``{{name}}`` (for previews while typing).
    """
    parts, issues = parse(body)
    if issues:
        raise TemplateSyntaxError(issues)
    if strict:
        missing, _extra = validate_context(body, context)
        if missing:
            raise MissingVariablesError(missing)
    out: list[str] = []
    for part in parts:
        if isinstance(part, Var):
            out.append(format_value(context[part.name]) if part.name in context else "{{" + part.name + "}}")
        else:
            out.append(part)
    return "".join(out)


def sample_context(body: str) -> dict[str, str]:
    """A placeholder context for previews: ``{name: "[name_value]"}`` for every variable."""
    return {name: f"[{name}_value]" for name in variable_names(body)}
