"""Issue 9, "one pane shape": widget-building code stays split into small named sub-builders.

Every ``__init__``, ``build`` and ``_build_*`` under ``src/fineflow_desktop/ui`` must be at most
``MAX_BUILDER_LINES`` long (``def`` line to last line, docstring included). A longer one is split
the way ``ui/pane.py``'s docstring shows: the builder calls a few ``_build_*`` methods, each
building one visible part of the screen.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "src" / "fineflow_desktop" / "ui"
MAX_BUILDER_LINES = 60

# Files that still have a longer builder. Empty since every file was split (issue 9, session 11);
# keep it so: an entry is only a temporary exception (a file being reworked on another branch),
# and the second test below fails once an entry is no longer needed.
ALLOWED_LONG: set[str] = set()


def is_builder(name: str) -> bool:
    """True for the widget-building function names the rule covers."""
    return name in ("__init__", "build") or name.startswith("_build_")


def long_builders(source: str, limit: int = MAX_BUILDER_LINES) -> list[tuple[str, int, int]]:
    """``(name, first line, length in lines)`` of every builder in *source* longer than *limit*."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_builder(node.name):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                out.append((node.name, node.lineno, length))
    return out


def ui_files() -> dict[str, str]:
    """Source of every module under ``ui/``, keyed by its path relative to ``ui/``."""
    return {p.relative_to(UI).as_posix(): p.read_text(encoding="utf-8") for p in sorted(UI.rglob("*.py"))}


def test_widget_builders_are_split_into_named_parts():
    offenders = [
        f"ui/{rel}:{line} {name} is {length} lines (max {MAX_BUILDER_LINES}): split it into _build_* parts"
        for rel, source in ui_files().items()
        if rel not in ALLOWED_LONG
        for name, line, length in long_builders(source)
    ]
    assert not offenders, "\n".join(offenders)


def test_allow_list_names_only_files_that_still_need_it():
    files = ui_files()
    stale = sorted(rel for rel in ALLOWED_LONG if rel not in files or not long_builders(files[rel]))
    assert not stale, f"remove from ALLOWED_LONG (no builder over {MAX_BUILDER_LINES} lines left): {stale}"


def _method(name: str, body_lines: int) -> str:
    body = "\n".join(f"        x{i} = {i}" for i in range(body_lines))
    return f"    def {name}(self):\n{body}\n"


def test_checker_flags_long_builders_and_only_those():
    source = "class W:\n" + "".join((
        _method("__init__", MAX_BUILDER_LINES),        # 61 lines with its def line
        _method("build", MAX_BUILDER_LINES - 1),       # exactly the limit
        _method("_build_toolbar", MAX_BUILDER_LINES),
        _method("refresh", 3 * MAX_BUILDER_LINES),     # not a builder: not checked
    ))
    nested = textwrap.dedent("""
        def make():
            class Inner:
        """) + textwrap.indent(_method("build", MAX_BUILDER_LINES + 5), "    ")
    found = long_builders(source) + long_builders(nested)
    assert [(name, length) for name, _line, length in found] == [
        ("__init__", MAX_BUILDER_LINES + 1), ("_build_toolbar", MAX_BUILDER_LINES + 1),
        ("build", MAX_BUILDER_LINES + 6),
    ]


# Issue 9, "colours come from the style": named colours live in ``ui/style.py`` (light and dark);
# the diff viewer's Primer hues are its own palette module. Anywhere else a literal ``#rrggbb``
# is a colour that ignores the dark palette.
COLOUR_MODULES = {"style.py", "widgets/diff_style.py"}


def hex_colours(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every string literal in *source* holding a ``#rrggbb`` colour."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"#[0-9a-fA-F]{6}\b", node.value):
            found.append((node.lineno, node.value))
    return found


def test_ui_colours_come_from_the_style_module():
    offenders = {name: hex_colours(src) for name, src in ui_files().items() if name not in COLOUR_MODULES}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_hex_colour_checker_sees_plain_and_rich_text_literals():
    assert hex_colours('c = QColor("#b00020")\nt = f"<span style=\'color:#2e7d32\'>{x}</span>"') == [
        (1, "#b00020"), (2, "<span style='color:#2e7d32'>")]
    assert hex_colours('t = f"<span style=\'color:{css(\'ok\')}\'>"\nn = "issue #123456x"') == []
