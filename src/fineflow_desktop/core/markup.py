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
# Hugo shortcodes ("{{< example >}}", "{{< /callout >}}", "{{% note %}}"): template calls of a docs
# site's Markdown sources (Bootstrap's docs), not text a reader sees; a link whose target is one
# ("[margin utilities]({{< docsref "/utilities/spacing" >}})") keeps its text.
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}")
_SHORTCODE_LINK = re.compile(r"\[(?P<text>[^\]\n]+)\]\(\s*\{\{[<%].*?[%>]\}\}[^)\s]*\)")
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
        if "{{" in line and _SHORTCODE.search(line):
            line = _SHORTCODE.sub("", _SHORTCODE_LINK.sub(lambda m: m.group("text"), line))
            if not line.strip():
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


# ---------------------------------------------------------------- prose tidying (pairs, export)

_FENCE = re.compile(r"^\s*(```|~~~)")
# A line that must stay on its own line: list item, definition line, table row, quote, heading.
_KEEP_BREAK_BEFORE = re.compile(r"^\s*(?:[-*+•]\s|\d{1,3}[.)]\s|[a-z][.)]\s|:\s|>|#{1,6}\s|\|)")
_BOLD = re.compile(r"(?<![\w*\\])\*\*(?=\S)(?P<body>[^*\n]+?)(?<=\S)\*\*(?![\w*])")
_EMPH = re.compile(r"(?<![\w*\\`])\*(?=[^\s*])(?P<body>[^*\n]+?)(?<=[^\s*])\*(?![\w*`])")
_FIELD_LINE = re.compile(r"^\s*:[A-Za-z][\w -]*:(?:\s|$)")
_SOURCE_LINE = re.compile(r"^\s*(?:\*\*)?Source code:?(?:\*\*)?:?\s+\S.*$", re.I)


def code_spans(text: str) -> list[tuple[int, int, bool]]:
    """Split *text* into ``(start, end, is_code)`` line-aligned blocks: fenced code (```/~~~)
    and indented blocks (every line indented ≥ 4 spaces or a tab) are code, the rest prose."""
    out: list[tuple[int, int, bool]] = []
    pos = 0
    in_fence = False
    start = 0
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            if not in_fence:
                if pos > start:
                    out.append((start, pos, False))
                start, in_fence = pos, True
            else:
                out.append((start, pos + len(line), True))
                start, in_fence = pos + len(line), False
        pos += len(line)
    if pos > start:
        out.append((start, pos, in_fence))
    return out


def _paragraphs(block: str) -> list[str]:
    return re.split(r"(\n[ \t]*\n)", block)


def _is_indented_block(par: str) -> bool:
    lines = [ln for ln in par.splitlines() if ln.strip()]
    return bool(lines) and all(ln.startswith(("    ", "\t")) for ln in lines)


_CODE_LINE = re.compile(r"^\s*(?:import\s|from\s+\S+\s+import|def\s|class\s|return\b|#|//|/\*|\$\s|>>>|\.\.\.\s)"
                        r"|[{};]\s*$|\s=\s|\w\(.*\)\s*$|^\s*[)\]}]")


def _wrapped_prose(par: str) -> bool:
    """True when *par* looks like prose hard-wrapped at a fixed width: mostly words, no line
    that looks like code, and (list items aside) lines that fill most of the wrap width."""
    lines = [ln for ln in par.strip("\n").split("\n") if ln.strip()]
    if any(_CODE_LINE.search(ln) for ln in lines):
        return False
    text = " ".join(lines)
    letters = sum(ch.isalpha() or ch.isspace() or ch in ".,;:'\"()-`*?!/" for ch in text)
    if letters < 0.9 * len(text):
        return False
    body = [ln for ln in lines if not _KEEP_BREAK_BEFORE.match(ln) and " | " not in ln]
    items = len(lines) - len(body)
    if items and all(ln.startswith((" ", "\t")) for ln in body):
        return True  # list items with wrapped, indented continuations
    # Wrapping breaks lines mid-sentence; one sentence (or dialogue turn) per line is meant.
    ends = [ln.rstrip() for ln in lines[:-1] if not _KEEP_BREAK_BEFORE.match(ln)]
    if ends and sum(bool(re.search(r"[.!?:;\"”)]$", e)) for e in ends) > 0.4 * len(ends):
        return False
    width = max(len(ln.rstrip()) for ln in lines)
    short = [ln for ln in lines[:-1] if len(ln.rstrip()) < 0.6 * width and not _KEEP_BREAK_BEFORE.match(ln)]
    return width >= 40 and not short


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines of prose paragraphs into one line each.

    Kept as they are: fenced and indented code blocks, list items and definition lines
    (``- ``, ``1. ``, ``: ``; their wrapped continuations are joined onto the item), table rows
    (lines with `` | `` or starting ``|``), quoted lines and headings. Blank lines are unchanged.
    Rule source: CommonMark "soft line breaks" (a newline inside a paragraph renders as a space).
    """
    pieces: list[str] = []
    for start, end, is_code in code_spans(text):
        block = text[start:end]
        if is_code:
            pieces.append(block)
            continue
        for par in _paragraphs(block):
            if not par.strip() or "\n" not in par.strip("\n") or _is_indented_block(par) or not _wrapped_prose(par):
                pieces.append(par)
                continue
            lead = par[: len(par) - len(par.lstrip("\n"))]
            trail = par[len(par.rstrip("\n")):]
            lines = par.strip("\n").split("\n")
            joined = [lines[0].rstrip()]
            for line in lines[1:]:
                prev = joined[-1]
                if (_KEEP_BREAK_BEFORE.match(line) or " | " in line or " | " in prev
                        or prev.endswith(("  ", "\\")) or not line.strip()):
                    joined.append(line.rstrip())
                else:
                    joined[-1] = prev.rstrip() + " " + line.strip()
            pieces.append(lead + "\n".join(joined) + trail)
    return "".join(pieces)


def strip_inline_markup(text: str) -> str:
    """Source markup a reader of the rendered page never sees, outside code blocks → plain text.

    reST roles and links (``clean_inline``), ````literal```` → ```literal``` (Markdown code span),
    ``**bold**`` / ``*emphasis*`` → the words. Single-backtick code spans are kept: they are
    Markdown, which chat models read and write. Code blocks are untouched.
    """
    pieces: list[str] = []
    for start, end, is_code in code_spans(text):
        block = text[start:end]
        if not is_code:
            block = clean_inline(block)
            block = _BOLD.sub(lambda m: m.group("body"), block)
            block = _EMPH.sub(lambda m: m.group("body"), block)
        pieces.append(block)
    return "".join(pieces)


def drop_leading_metadata(text: str) -> str:
    """Drop metadata lines at the start of *text*: reST field lists (``:Email: …``,
    ``:Release: …``), "Source code: Lib/…" lines and horizontal rules — page furniture, not an
    answer. Returns the rest, leading blank lines removed."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or _FIELD_LINE.match(line) or _SOURCE_LINE.match(line) or _ADORNMENT.match(line):
            i += 1
        elif i > 0 and line.startswith((" ", "\t")) and _FIELD_LINE.match(lines[i - 1]):
            i += 1  # continuation of a field
        else:
            break
    return "\n".join(lines[i:]).strip()


def tidy_prose(text: str) -> str:
    """``unwrap_lines``, ``strip_inline_markup`` (markup may span a wrapped line), then
    ``unwrap_lines`` again (without markup more paragraphs read as wrapped prose)."""
    return unwrap_lines(strip_inline_markup(unwrap_lines(text)))
