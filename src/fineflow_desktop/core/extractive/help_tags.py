"""Tagged entries of Vim's help format (``:help help-writing``), for the offline extractive
generator's qa pass: ``tagged_entries`` reads the entries of an option, an Ex command or a
function and the questions they answer.

A Vim help file (Vim's own ``doc/*.txt``, every Vim and Neovim plugin's documentation; vim2html
prints it as one preformatted block) marks each entry with its tags, ``*name*``, at the right end
of the entry's first line or on a line of their own just above it. The entry line names the item
(``'autoindent' 'ai'  boolean  (default off)``, ``:[range]d[elete] [x]  Delete [range] lines
…``, ``abs({expr})``) and the description follows, indented::

                \t\t\t*'autoindent'* *'ai'* *'noautoindent'* *'noai'*
    'autoindent' 'ai'\tboolean\t(default off)
    \t\t\tlocal to buffer
    \tCopy indent from current line when starting a new line …

Only the three kinds whose tag says what the item is are read: an option (a quoted tag,
``'autoindent'``), an Ex command (a tag that starts with ``:``) and a function (a tag that ends
with ``()``). Other tags name keys, events, variables or topics, and the generator cannot tell
which ("*x*", "*BufNewFile*", "*g:netrw_dav_cmd*"), so they give no question.
"""

from __future__ import annotations

import re
from typing import Iterator

from fineflow_desktop.core.extractive.sentences import is_question_sentence

_TAG = re.compile(r"(?<![^\s])\*([^*\s|]+)\*(?=\s|$)")
_TAG_LINE = re.compile(r"^\s*(?:\*[^*\s|]+\*\s*)+$")
# Metadata lines of an option, between its entry line and its description: deeper than the
# description ("\t\t\tlocal to buffer", "\t\t\t{not available when compiled without …}").
_META_INDENT = 16
_MIN_WORDS = 6


def _width(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def _tags(line: str) -> list[str]:
    return _TAG.findall(line)


def _kind(tags: list[str], term: str) -> tuple[str, str] | None:
    """``(name, kind)`` of an entry whose *term* (its first line, tags removed) is named by one of
    its *tags* as an option, an Ex command or a function; else None."""
    options = [t for t in tags if re.fullmatch(r"'[a-z][a-z0-9]*'", t)]
    if options and term.startswith(options[0]):
        return options[0], "option"
    commands = [t for t in tags if re.fullmatch(r":[A-Za-z]+", t)]
    if commands and term.startswith(":"):
        longest = max(commands, key=len)
        # the command the entry line spells (":[range]d[elete]" → ":delete", ":se[t]" → ":set")
        full = re.sub(r"^:(?:\[[^\]]*\])*", ":", term.split()[0])
        full = re.sub(r"\[([a-z]+)\]", r"\1", full)
        full = re.sub(r"\[[^\]]*\]|\{[^}]*\}", "", full)
        return (full if full in commands else longest), "command"
    functions = [t for t in tags if re.fullmatch(r"[A-Za-z_][\w.:#]*\(\)", t)]
    if functions and term.startswith(functions[0][:-1]):
        return functions[0], "function"
    return None


def _question(name: str, kind: str) -> str:
    if kind == "function":
        return f"What does {name} do?"
    return f"What does the {name} {kind} do?"


def _answer(lines: list[str]) -> str:
    """The description *lines* as an answer: tags, lines that only point elsewhere
    (``|cmdwin|``) and the bars of links (``|timestamp|`` → timestamp) removed; a paragraph whose
    lines all start at the description's indent is prose and joined, one with deeper lines (a
    table of values, an example) keeps its lines, dedented."""
    lines = [ln for ln in lines if not re.fullmatch(r"\s*(?:\|[^|\s]+\|\s*)+", ln)]
    base = _prose_indent(lines)
    paragraphs: list[list[str]] = [[]]
    for ln in lines:
        if ln.strip():
            paragraphs[-1].append(ln)
        elif paragraphs[-1]:
            paragraphs.append([])
    out = []
    for par in (p for p in paragraphs if p):
        # a link after the sentence's end points elsewhere ("… below the current one. |:split|")
        texts = [re.sub(r"\|([^|\s]+)\|", r"\1", re.sub(r"(?<=[.!?])(?:\s+\|[^|\s]+\|)+\s*$", "", _TAG.sub("", ln)))
                 .rstrip().expandtabs(8)[min(base, _width(ln)):] for ln in par]
        # lines at the description's indent are prose, joined; deeper lines (an example, a table of
        # values) keep their line and indent
        lines_out: list[str] = []
        for ln, text in zip(par, texts):
            if not text.strip():
                continue
            if _width(ln) == base and lines_out and not lines_out[-1][:1].isspace():
                lines_out[-1] += " " + " ".join(text.split())
            else:
                lines_out.append(" ".join(text.split()) if _width(ln) == base else text)
        out.append("\n".join(lines_out))
    return "\n\n".join(p for p in out if p.strip())


def _prose_indent(lines: list[str]) -> int:
    """The indent of a description's prose: that of its first line that reads as a sentence (a
    capital and four words: "Return the absolute value of {expr}."). An example may come first,
    deeper ("echo max([apples, pears])"), or at the margin (vim2html's bold "  :echo …"); neither is
    the prose's indent. Without such a line, the first line's indent."""
    filled = [ln for ln in lines if ln.strip()]
    for ln in filled:
        if re.match(r"[A-Z][a-z]", ln.strip()) and len(ln.split()) >= 4:
            return _width(ln)
    return _width(filled[0]) if filled else 0


def _ends_entry(lines: list[str], k: int) -> bool:
    """True when line *k* (a tag line) starts the next entry: the first line after its tag lines
    is not indented. A tag line followed by an indented line tags a value inside the
    description ("*pkzip*" above "   zip  PkZip compatible method.")."""
    while k < len(lines) and _TAG_LINE.match(lines[k]):
        k += 1
    return k >= len(lines) or not lines[k][:1].isspace()


def tagged_entries(text: str) -> Iterator[tuple[str, str, str]]:
    """Yield ``(name, question, answer)`` for each complete option, Ex command or function entry
    of Vim help *text* (one chunk; see the module docstring): "What does the 'autoindent' option
    do?", "What does the :delete command do?", "What does abs() do?", answered by the entry's
    description. An entry the chunk cuts (its description runs into the chunk's end) and one
    whose description has fewer than 6 words give nothing."""
    lines = text.split("\n")
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if not line.strip() or _TAG_LINE.match(line) or line[:1].isspace() or line.startswith("```"):
            i += 1
            continue
        tags = _tags(line)
        j = i - 1
        while j >= 0 and _TAG_LINE.match(lines[j]):
            tags = _tags(lines[j]) + tags
            j -= 1
        term = _TAG.sub("", line).strip()
        named = _kind(tags, term) if tags else None
        if not named:
            i += 1
            continue
        name, kind = named
        # the description: on the entry line after a tab (commands, functions), then indented lines
        first = ""
        head = _TAG.sub("", line).rstrip()
        if kind != "option" and "\t" in head.strip():
            first = head.strip().split("\t")[-1].strip()
        k = i + 1
        body: list[str] = []
        if kind == "option":
            while k < n and lines[k].strip() and _width(lines[k]) >= _META_INDENT and not _TAG_LINE.match(lines[k]):
                k += 1  # "local to buffer", "{not in Vi}": metadata, not the description
        while k < n and not lines[k].startswith("```") and not (_TAG_LINE.match(lines[k]) and _ends_entry(lines, k)):
            if lines[k].strip() and not lines[k][:1].isspace():
                # a second form of the command right under the first (":ll[!] [nr]  Same as ':cc', except
                # the location list for the" / ":[nr]ll[!]  current window is used …"): its
                # description goes on after the tab; any other line at the margin starts something new
                form = _TAG.sub("", lines[k]).rstrip()
                if kind != "command" or (body and not body[-1].strip()) or form[:1] != ":":
                    break
                if "\t" in form.strip():
                    said = form.strip().split("\t")[-1].strip()
                    if body:
                        body.append(" " * _width(body[-1]) + said)
                    else:
                        first = f"{first} {said}".strip()
            else:
                body.append(lines[k])
            k += 1
        complete = k < n and not lines[k].startswith("```")
        while body and not body[-1].strip():
            body.pop()
        i = max(k, i + 1)
        if not complete:
            continue  # the chunk ends inside the description: the next chunk holds it whole
        indent = _prose_indent(body) if any(b.strip() for b in body) else 16
        answer = _answer(([" " * indent + first] if first else []) + body)
        if len(re.findall(r"[A-Za-z]{2,}", answer)) < _MIN_WORDS or answer.endswith(":"):
            continue  # too short, or it announces what the chunk does not hold
        question = _question(name, kind)
        if is_question_sentence(question):
            yield name, question, answer
