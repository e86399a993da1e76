"""Strip reStructuredText / Markdown markup from text meant for training examples.

Keeps the words and code a reader sees in the rendered page: ``:func:`breakpoint``` →
``breakpoint``, ```pdb <https://…>`_`` → ``pdb``; drops directive lines (``.. index::``),
link targets (``.. _label:``), directive options and section adornment lines.
Rules follow the docutils reStructuredText reference (roles, hyperlink references, directives).
"""

from __future__ import annotations

import re

_ROLE = re.compile(r":[A-Za-z][\w:.+-]*:`(?P<body>[^`]*)`")
_ROLE_TARGET = re.compile(r"^(?P<text>.*?)\s*<[^<>]*>$", re.S)
_LINK = re.compile(r"`(?P<text>[^`<]+?)\s*<[^`>]*>`__?")
_REF = re.compile(r"`(?P<text>[^`]+)`_{1,2}(?![\w])")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+[\w:-]+::.*$")
_TARGET = re.compile(r"^\s*\.\.\s+_[^:]*:.*$|^\s*\.\.\s+\|[^|]+\|.*$")
_COMMENT = re.compile(r"^\.\.(\s.*)?$")
_OPTION = re.compile(r"^\s+:[\w-]+:.*$")
_ADORNMENT = re.compile(r"^\s*([=\-~^\"'`#*+_:.])\1{2,}\s*$")
_KEEP_BODY_DIRECTIVES = ("code-block", "code", "sourcecode", "note", "warning", "tip", "important",
                         "versionadded", "versionchanged", "deprecated", "seealso", "doctest", "testcode")


def _role(m: re.Match) -> str:
    body = m.group("body")
    target = _ROLE_TARGET.match(body)
    if target and target.group("text"):
        body = target.group("text")
    body = body.lstrip("~!")
    return f"`{body}`"


def clean_inline(text: str) -> str:
    """Inline markup only (roles, links, references, double backticks) → plain text."""
    text = _ROLE.sub(_role, text)
    text = _LINK.sub(lambda m: m.group("text"), text)
    text = _REF.sub(lambda m: m.group("text"), text)
    return text.replace("``", "`")


def clean_markup(text: str) -> str:
    """Block and inline markup → readable text, code blocks kept; whitespace tidied."""
    out: list[str] = []
    skip_options = False
    skip_indented = False
    for line in text.splitlines():
        if skip_indented:
            if not line.strip() or line.startswith((" ", "\t")):
                continue
            skip_indented = False
        if _DIRECTIVE.match(line):
            name = line.split("..", 1)[1].split("::", 1)[0].strip()
            skip_options = True
            if name in _KEEP_BODY_DIRECTIVES:
                label = line.split("::", 1)[1].strip()
                if name in ("versionadded", "versionchanged", "deprecated"):
                    out.append(f"{name.replace('version', 'Version ').capitalize()} {label}".strip())
                continue
            # directives like index, only, contents, toctree, highlight: drop their body too
            skip_indented = name in ("index", "toctree", "contents", "highlight", "only", "raw", "include",
                                     "image", "figure", "moduleauthor", "sectionauthor", "module", "currentmodule",
                                     "testsetup", "testcleanup", "productionlist", "tabularcolumns")
            continue
        if _TARGET.match(line) or _COMMENT.match(line):
            continue
        if skip_options and _OPTION.match(line):
            continue
        skip_options = False
        if _ADORNMENT.match(line):
            continue
        stripped = line.rstrip()
        if stripped.endswith("::"):
            stripped = stripped[:-2].rstrip()
            stripped = stripped + ":" if stripped else ""
        out.append(stripped)
    cleaned = clean_inline("\n".join(out))  # roles and links may span lines
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return cleaned.strip()
