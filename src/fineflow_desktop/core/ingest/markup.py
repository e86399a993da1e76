"""Section splitting for reStructuredText headings, and heading-title clean-up.

``rst_sections`` returns ``Section`` lists whose ``heading_path`` is the chain of enclosing
titles, and whose ``meta["line"]`` is the 1-based line where the section's text starts.

* reStructuredText (docutils "reStructuredText Markup Specification", section Sections):
  a title is underlined, or over- and underlined, by a line of one repeated punctuation
  character. Levels are not fixed per character: like docutils, the first adornment style
  seen is level 1, the next new one level 2, and so on; overline+underline is a different
  style from underline-only with the same character.
* Markdown is rendered to HTML by markdown-it-py and read by the HTML walker
  (``markdown_html``, issue 10 round md7); its regex heading splitter used to live here.
"""

from __future__ import annotations

import re

from fineflow_desktop.core.ingest.base import Section

# ---------------------------------------------------------------- shared


def sections_from_headings(lines: list[str], heads: list[tuple[int, int, int, str]]) -> list[Section]:
    """Cut *lines* at *heads* = ``[(first_line, end_line_exclusive, level, title)]`` (sorted).

    Text before the first heading gets ``heading_path == []``. Sections with no text are
    omitted (their titles still appear in the paths of their subsections).
    """
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    path: list[str] = []
    pos = 0

    def add(start: int, stop: int) -> None:
        while start < stop and not lines[start].strip():
            start += 1
        while stop > start and not lines[stop - 1].strip():
            stop -= 1
        if start < stop:
            sections.append(Section(list(path), "\n".join(lines[start:stop]), {"line": start + 1}))

    for start, end, level, title in heads:
        add(pos, start)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        path = [t for _, t in stack]
        pos = end
    add(pos, len(lines))
    return sections


# Sphinx/docutils inline markup in titles: :role:`text <target>` → text, ``code`` → code.
_ROLE = re.compile(r":[\w.:+-]+:`(?:([^`<]*?)\s*<[^`>]*>|([^`]*))`")
_LITERAL = re.compile(r"``([^`]+)``")
_EMPH = re.compile(r"(\*{1,2})(\S[^*]*?)\1")


def clean_title(title: str) -> str:
    """A heading's display text: inline markup and trailing permalink marks removed."""
    title = _ROLE.sub(lambda m: (m.group(1) if m.group(1) is not None else m.group(2) or "").lstrip("~!"), title)
    title = _LITERAL.sub(r"\1", title)
    title = _EMPH.sub(r"\2", title)
    title = title.replace("¶", "").replace("\\", "")
    return " ".join(title.split()).strip(" #")


# ---------------------------------------------------------------- reStructuredText

# One punctuation character repeated (docutils allows any non-alphanumeric printable 7-bit char).
_ADORN = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}[ \t]*$")


def _adornment(line: str) -> str | None:
    m = _ADORN.match(line)
    return m.group(1) if m else None


def rst_sections(text: str) -> tuple[list[Section], str | None]:
    """Split reStructuredText *text* into sections; returns (sections, document title)."""
    lines = text.split("\n")
    styles: list[tuple[str, bool]] = []  # order of first appearance = level (docutils rule)
    heads: list[tuple[int, int, int, str]] = []
    i, n = 0, len(lines)
    last_end = 0
    while i < n:
        line = lines[i]
        blank_before = i == 0 or not lines[i - 1].strip() or last_end == i
        char = _adornment(line)
        if (
            char
            and blank_before
            and i + 2 < n
            and lines[i + 1].strip()
            and _adornment(lines[i + 1]) is None
            and _adornment(lines[i + 2]) == char
            and len(lines[i + 2].rstrip()) == len(line.rstrip())
            and len(line.rstrip()) >= len(lines[i + 1].strip())
        ):
            style = (char, True)
            title, end = lines[i + 1].strip(), i + 3
        elif (
            blank_before
            and line.strip()
            and not line[0].isspace()
            and char is None
            and i + 1 < n
            and (under := _adornment(lines[i + 1])) is not None
            and not line.startswith((">>>", ".. "))
            and (len(lines[i + 1].rstrip()) >= len(line.rstrip()) or len(lines[i + 1].rstrip()) >= 4)
        ):
            style = (under, False)
            title, end = line.strip(), i + 2
        else:
            i += 1
            continue
        if style not in styles:
            styles.append(style)
        heads.append((i, end, styles.index(style) + 1, clean_title(title)))
        last_end = end
        i = end
    title = heads[0][3] if heads else None
    return sections_from_headings(lines, heads), title
